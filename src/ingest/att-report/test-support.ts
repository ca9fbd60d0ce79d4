/**
 * Helpers for the ATT report tests only: a small State lookup, fixture bytes, and XLSX workbooks made with exceljs
 * (filled the way a reporting officer fills the template) instead of committed binaries.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { StateLookup } from '../framework.js';
import { createAttReportStateLookup } from './state-lookup.js';
import { writeAttReportTemplate } from './write-template.js';

export const FIXTURES_DIR = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'att-report',
);

export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(path.join(FIXTURES_DIR, name));
}

/** States and spellings the fixtures use; unit tests do not move when data/reference changes. */
export function attFixtureLookup(): StateLookup {
  return createAttReportStateLookup(
    [
      { alias: 'Deutschland', stateId: 'DEU', source: 'att-report' },
      { alias: 'Federal Republic of Germany', stateId: 'DEU', source: 'untc' },
    ],
    [
      { id: 'FRA', name: 'France' },
      { id: 'DEU', name: 'Germany' },
      { id: 'CHL', name: 'Chile' },
      { id: 'BRA', name: 'Brazil' },
      { id: 'NOR', name: 'Norway' },
      { id: 'H-SUN', name: 'Soviet Union' },
      { id: 'UNKNOWN', name: 'Unknown' },
    ],
  );
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

export type SheetValue = string | number | boolean | Date | null | ExcelJS.CellValue;

export interface FillOptions {
  /** Title answers by key. */
  title?: Record<string, SheetValue>;
  /** Rows by header name (the template's header texts). */
  exports?: Record<string, SheetValue>[];
  imports?: Record<string, SheetValue>[];
}

/** Loads a workbook made by the template writer. */
export async function loadWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

export async function saveWorkbook(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

/** Fills the XLSX template for FRA / 2024 like a reporting officer: answers beside the questions, rows under the headers. */
export async function filledXlsx(fill: FillOptions, template?: Uint8Array): Promise<Uint8Array> {
  const workbook = await loadWorkbook(
    template ??
      (await writeAttReportTemplate({
        stateId: 'FRA',
        stateName: 'France',
        year: 2024,
        format: 'xlsx',
        listRows: 20,
      })),
  );
  fillWorkbook(workbook, fill);
  return saveWorkbook(workbook);
}

export function fillWorkbook(workbook: ExcelJS.Workbook, fill: FillOptions): void {
  const title = workbook.getWorksheet('Title')!;
  for (const [key, value] of Object.entries(fill.title ?? {})) {
    let found = false;
    title.eachRow((row) => {
      if (row.getCell(3).value === key) {
        row.getCell(2).value = value as ExcelJS.CellValue;
        found = true;
      }
    });
    if (!found) throw new Error(`no title key ${key}`);
  }
  for (const form of ['exports', 'imports'] as const) {
    const sheet = workbook.getWorksheet(form === 'exports' ? 'Exports' : 'Imports')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    (fill[form] ?? []).forEach((values, index) => {
      const row = sheet.getRow(index + 2);
      for (const [header, value] of Object.entries(values)) {
        const position = headers.indexOf(header);
        if (position < 0) throw new Error(`no column ${header}`);
        row.getCell(position + 1).value = value as ExcelJS.CellValue;
      }
    });
  }
}

/** A title page that includes both forms (exports actual and public, imports authorised and private). */
export const STANDARD_TITLE: Record<string, SheetValue> = {
  exportsIncluded: 'yes',
  exportsBasis: 'actual',
  exportsVisibility: 'public',
  importsIncluded: 'yes',
  importsBasis: 'authorised',
  importsVisibility: 'private',
  defaultCurrency: 'EUR',
};

export interface ZipEntryInput {
  name: string;
  data: Uint8Array;
  /** Deflate the data (default) or store it. */
  method?: 0 | 8;
  /** Lie about the uncompressed size (zip bombs do). */
  declaredSize?: number;
  flags?: number;
}

/** A minimal ZIP writer for hostile test archives (exceljs only writes honest ones). */
export function makeZip(entries: readonly ZipEntryInput[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const method = entry.method ?? 8;
    const body = method === 8 ? deflateRawSync(entry.data) : Buffer.from(entry.data);
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.flags ?? 0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.flags ?? 0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A small ATT report (CSV) for France, 2024, a public exports form only; `rows` are lines of its [Exports] table. */
export function frenchExportsReportCsv(rows: readonly string[]): string {
  return [
    '[Title]',
    'Question,Answer,Key',
    ',FRA,reportingStateCode',
    ',2024,coveredYear',
    ',yes,exportsIncluded',
    ',actual,exportsBasis',
    ',public,exportsVisibility',
    ',no,importsIncluded',
    '[Exports]',
    'Category,Sub-category,Final importing State,Number of items,Value,Currency,Description of items',
    ...rows,
  ].join('\n');
}
