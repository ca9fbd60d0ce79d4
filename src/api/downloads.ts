import ExcelJS from 'exceljs';
import { csvCell } from './csv.js';
import type { Meta } from './envelope.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** SIPRI's user rules: every use carries this credit line; use is non-commercial. */
export const SIPRI_CREDIT =
  'Information from the SIPRI Arms Transfers Database (non-commercial use; https://www.sipri.org/databases/armstransfers)';

export interface DownloadSettings {
  /**
   * SIPRI's terms allow non-commercial use of less than 10 % of the data set: a public deployment can switch the
   * downloads of SIPRI-derived rows (and the bulk export) off with ATT_SIPRI_DOWNLOADS=off.
   */
  sipriDownloads: boolean;
}

export const DEFAULT_DOWNLOAD_SETTINGS: DownloadSettings = Object.freeze({ sipriDownloads: true });

/** A workbook with the rows (sheet "data") and where they come from (sheet "about"). Cells are values, never formulas. */
export async function toXlsx(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[],
  about: { title: string; url: string; meta: Meta; withheld: number },
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ATT Observatory';
  const data = workbook.addWorksheet('data');
  data.addRow([...columns]);
  data.getRow(1).font = { bold: true };
  for (const row of rows) {
    // csvCell flattens arrays and objects and defuses formula-like text (a leading apostrophe), as in the CSV twin.
    data.addRow(columns.map((column) => {
      const value = row[column];
      return typeof value === 'number' || typeof value === 'boolean' ? value : csvCell(value);
    }));
  }
  data.views = [{ state: 'frozen', ySplit: 1 }];
  const sheet = workbook.addWorksheet('about');
  sheet.addRows([
    ['title', about.title],
    ['query', about.url],
    ['retrieved', about.meta.retrievedAt],
    ...about.meta.sources.map((s) => [`source: ${s.dataset}`, `${s.source}; licence: ${s.licence}${s.asAt ? `; as at ${s.asAt}` : ''}`]),
    ...about.meta.notices.map((n) => ['notice', n]),
    ...(about.withheld > 0 ? [['notice', `${about.withheld} SIPRI-derived rows are not downloadable from this deployment`]] : []),
    ['cite as', `ATT Observatory, ${about.title}, ${about.url}, retrieved ${about.meta.retrievedAt}`],
  ]);
  sheet.getColumn(1).width = 24;
  sheet.getColumn(2).width = 120;
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
