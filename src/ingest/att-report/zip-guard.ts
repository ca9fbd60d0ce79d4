/**
 * Checks an XLSX (a ZIP) before exceljs may load it: exceljs (through JSZip) inflates every entry into memory, so a
 * small file that expands to gigabytes (a zip bomb) must be refused first.
 *
 * Two steps. (1) The central directory is read by hand: entry count, declared sizes, sum, ratio, encryption, methods,
 * ZIP64 and multi-disk archives are checked against the limits. (2) Every entry is then inflated with a hard output
 * cap (zlib `maxOutputLength` = its declared size), because declared sizes can lie: an entry that inflates to more,
 * or less, than it declares is refused. JSZip reads the same central-directory ranges, so what passes here is what
 * exceljs will see.
 */
import { inflateRawSync } from 'node:zlib';
import type { AttReportLimits } from './format.js';

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  method: number;
}

export type ZipCheck =
  | { ok: true; entries: ZipEntryInfo[]; totalUncompressed: number }
  | {
      ok: false;
      code: 'not_a_zip' | 'damaged_zip' | 'zip_bomb' | 'encrypted_workbook' | 'unsupported_zip';
      what: string;
      fix: string;
    };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

type ZipLimits = Pick<
  AttReportLimits,
  'maxZipEntries' | 'maxUncompressedBytes' | 'maxCompressionRatio' | 'ratioCheckAboveBytes'
>;

/** Checks the ZIP structure and real uncompressed sizes against the limits; never throws on content. */
export function checkZip(bytes: Uint8Array, limits: ZipLimits): ZipCheck {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const damaged = (what: string): ZipCheck => ({
    ok: false,
    code: 'damaged_zip',
    what: `the workbook is damaged: ${what}`,
    fix: 'open it in your spreadsheet program, save it again as .xlsx, and upload that copy',
  });
  const bomb = (what: string): ZipCheck => ({
    ok: false,
    code: 'zip_bomb',
    what,
    fix: `an annual report workbook is small; remove images and unused sheets, or send the report as CSV. The limits are ${mib(limits.maxUncompressedBytes)} uncompressed and a compression ratio of ${limits.maxCompressionRatio}:1 per part`,
  });

  // End of central directory: 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0)
    return {
      ok: false,
      code: 'not_a_zip',
      what: 'the file starts like a ZIP/XLSX but has no ZIP directory at its end (cut short?)',
      fix: 'upload the complete .xlsx file again',
    };
  const disk = u16(eocd + 4);
  const cdDisk = u16(eocd + 6);
  const entriesOnDisk = u16(eocd + 8);
  const entryCount = u16(eocd + 10);
  const cdSize = u32(eocd + 12);
  const cdOffset = u32(eocd + 16);
  if (entryCount === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    return {
      ok: false,
      code: 'unsupported_zip',
      what: 'the workbook is a ZIP64 archive, which is only needed for files far larger than an annual report',
      fix: 'save the workbook again as .xlsx from a spreadsheet program',
    };
  }
  if (disk !== 0 || cdDisk !== 0 || entriesOnDisk !== entryCount) {
    return {
      ok: false,
      code: 'unsupported_zip',
      what: 'the workbook is a multi-part (spanned) ZIP archive',
      fix: 'save the workbook again as one .xlsx file',
    };
  }
  if (entryCount > limits.maxZipEntries)
    return bomb(`the workbook holds ${entryCount} parts, more than the limit of ${limits.maxZipEntries}`);
  if (cdOffset + cdSize > eocd) return damaged('its ZIP directory points past its end');

  const entries: ZipEntryInfo[] = [];
  let total = 0;
  let at = cdOffset;
  for (let index = 0; index < entryCount; index++) {
    if (at + 46 > eocd || u32(at) !== CENTRAL)
      return damaged(`ZIP directory entry ${index + 1} is unreadable`);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const compressedSize = u32(at + 20);
    const uncompressedSize = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    const localOffset = u32(at + 42);
    if (at + 46 + nameLength > eocd)
      return damaged(`ZIP directory entry ${index + 1} runs past the directory`);
    const name = new TextDecoder('utf-8').decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1)
      return {
        ok: false,
        code: 'encrypted_workbook',
        what: 'the workbook is password-protected (encrypted)',
        fix: 'remove the password (File > Info > Protect workbook in Excel), save, and upload again',
      };
    if (method !== 0 && method !== 8)
      return {
        ok: false,
        code: 'unsupported_zip',
        what: `part "${name}" uses ZIP compression method ${method}, which XLSX files do not use`,
        fix: 'save the workbook again as .xlsx from a spreadsheet program',
      };
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) {
      return {
        ok: false,
        code: 'unsupported_zip',
        what: `part "${name}" uses ZIP64 sizes`,
        fix: 'save the workbook again as .xlsx from a spreadsheet program',
      };
    }
    total += uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      return bomb(
        `the workbook expands to more than ${mib(limits.maxUncompressedBytes)} (part "${name}" alone declares ${mib(uncompressedSize)}); this looks like a zip bomb or a workbook far larger than an annual report`,
      );
    }
    if (
      uncompressedSize > limits.ratioCheckAboveBytes &&
      uncompressedSize > limits.maxCompressionRatio * Math.max(compressedSize, 1)
    ) {
      return bomb(
        `part "${name}" expands from ${compressedSize} to ${uncompressedSize} bytes, a ratio above ${limits.maxCompressionRatio}:1 typical of zip bombs`,
      );
    }
    if (method === 0 && compressedSize !== uncompressedSize)
      return damaged(`stored part "${name}" has two different sizes`);
    entries.push({ name, compressedSize, uncompressedSize, method });
    if (localOffset + 30 > bytes.length || u32(localOffset) !== LOCAL)
      return damaged(`part "${name}" is missing`);
    const dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28);
    if (dataStart + compressedSize > bytes.length) return damaged(`part "${name}" is cut short`);
    if (method === 8) {
      // Declared sizes can lie: inflate with a hard cap and compare.
      let inflated: number;
      try {
        inflated = inflateRawSync(bytes.subarray(dataStart, dataStart + compressedSize), {
          maxOutputLength: Math.max(1, uncompressedSize),
        }).length;
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
          return bomb(
            `part "${name}" expands to more than the ${uncompressedSize} bytes it declares, a trick of zip bombs`,
          );
        }
        return damaged(`part "${name}" cannot be decompressed`);
      }
      if (inflated !== uncompressedSize)
        return damaged(
          `part "${name}" expands to ${inflated} bytes, not the ${uncompressedSize} it declares`,
        );
    }
  }
  return { ok: true, entries, totalUncompressed: total };
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB` : `${bytes} bytes`;
}
