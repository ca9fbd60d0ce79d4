import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadReferenceData } from './load-reference.js';
import { createStateResolver } from './state-resolver.js';

/**
 * Every Supplier/Recipient name in the shared SIPRI exports must map to the crosswalk (a State, historical State,
 * non-State actor, organisation or UNKNOWN). The files are read here, never copied into the repository.
 */
const SIPRI_DIR = path.resolve(import.meta.dirname, '../../../shared/data/sipri');
const REFERENCE_DIR = path.resolve(import.meta.dirname, '../../data/reference');

function sipriNames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const release of readdirSync(SIPRI_DIR)) {
    const dir = path.join(SIPRI_DIR, release);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
      const bytes = readFileSync(path.join(dir, file));
      const utf8 = bytes.toString('utf8');
      const text = utf8.includes('\uFFFD') ? bytes.toString('latin1') : utf8; // some classic exports are Latin-1
      const lines = text.split(/\r?\n/);
      const headerAt = lines.findIndex((l) => /^(Recipient|SIPRI AT Database ID),/.test(l));
      const [header, ...rows] = parse(lines.slice(headerAt).join('\n'), {
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
      }) as string[][];
      const columns = header!.map((h) => h.replace(/;$/, ''));
      for (const column of ['Supplier', 'Recipient']) {
        const index = columns.indexOf(column);
        if (index < 0) continue;
        for (const row of rows) {
          // A deal split over two lines leaves a short continuation row; the TIV table ends with a totals row.
          if (row.length < columns.length - 3) continue;
          const name = row[index]?.trim();
          if (!name || name.startsWith('Total ')) continue;
          if (!names.has(name)) names.set(name, `${release}/${file} (${column})`);
        }
      }
    }
  }
  return names;
}

describe.skipIf(!existsSync(SIPRI_DIR))('SIPRI names in ../shared/data/sipri', () => {
  it('all map to the crosswalk through state-aliases.csv', async () => {
    const data = await loadReferenceData(REFERENCE_DIR);
    const resolver = createStateResolver(data.states, data.aliases);
    const names = sipriNames();
    expect(names.size).toBeGreaterThan(250);
    const unmapped = [...names]
      .filter(([name]) => !resolver.resolve(name))
      .map(([name, where]) => `${name} (${where})`);
    expect(unmapped).toEqual([]);
  });

  it('are each listed explicitly as a sipri alias, so the lookup is auditable', async () => {
    const data = await loadReferenceData(REFERENCE_DIR);
    const listed = new Set(data.aliases.filter((a) => a.source === 'sipri').map((a) => a.alias));
    expect([...sipriNames().keys()].filter((name) => !listed.has(name))).toEqual([]);
  });
});
