import { describe, expect, it } from 'vitest';
import { DEFAULT_ATT_REPORT_LIMITS } from './format.js';
import { makeZip, utf8 } from './test-support.js';
import { writeAttReportTemplate } from './write-template.js';
import { checkZip } from './zip-guard.js';

const limits = DEFAULT_ATT_REPORT_LIMITS;

describe('checkZip', () => {
  it('lets a template workbook through and reports its real uncompressed size', async () => {
    const check = checkZip(
      await writeAttReportTemplate({ stateId: 'FRA', stateName: 'France', year: 2024, format: 'xlsx' }),
      limits,
    );
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.entries.map((entry) => entry.name)).toContain('xl/workbook.xml');
      expect(check.totalUncompressed).toBeLessThan(2 * 1024 * 1024);
    }
  });

  it('counts every entry, so many small parts cannot add up past the limit', () => {
    const parts = Array.from({ length: 20 }, (_, index) => ({
      name: `xl/part${index}.xml`,
      data: new Uint8Array(100_000),
    }));
    expect(checkZip(makeZip(parts), { ...limits, maxUncompressedBytes: 1_000_000 })).toMatchObject({
      ok: false,
      code: 'zip_bomb',
    });
    expect(checkZip(makeZip(parts), { ...limits, maxZipEntries: 10 })).toMatchObject({
      ok: false,
      code: 'zip_bomb',
    });
  });

  it('refuses a part that inflates to less than it declares, and a stored part with two sizes', () => {
    expect(
      checkZip(makeZip([{ name: 'a.xml', data: utf8('hello'), declaredSize: 50 }]), limits),
    ).toMatchObject({ ok: false, code: 'damaged_zip' });
    expect(
      checkZip(makeZip([{ name: 'a.xml', data: utf8('hello'), method: 0, declaredSize: 9 }]), limits),
    ).toMatchObject({ ok: false, code: 'damaged_zip' });
  });

  it('refuses bytes without a ZIP directory and a directory pointing past the end', () => {
    expect(checkZip(utf8('PK\u0003\u0004 not really'), limits)).toMatchObject({
      ok: false,
      code: 'not_a_zip',
    });
    const zip = makeZip([{ name: 'a.xml', data: utf8('hello') }]);
    const broken = new Uint8Array(zip);
    new DataView(broken.buffer).setUint32(broken.length - 6, 0x7fffffff, true);
    expect(checkZip(broken, limits)).toMatchObject({ ok: false, code: 'damaged_zip' });
  });
});
