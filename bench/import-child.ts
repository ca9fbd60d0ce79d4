/**
 * One import in a process of its own, so that its peak RSS is its own: opens an EXISTING PGlite data directory (or the
 * server schema), imports the file, prints one JSON line { ms, maxRssMb, status }.
 */
import { readFile } from 'node:fs/promises';
import { resourceUsage } from 'node:process';
import { systemClock } from '../src/model/clock.js';
import { importFile } from '../src/services/import-file.js';
import { createImportRepository } from '../src/store/import-repository.js';
import { openStore, type StoreOptions } from '../src/store/open-store.js';
import { createReferenceRepository } from '../src/store/reference-repository.js';

const [target, file] = process.argv.slice(2) as [string, string];
const options: StoreOptions = target.startsWith('postgres')
  ? { kind: 'postgres', url: target.split('#')[0]!, schema: target.split('#')[1]! }
  : { kind: 'pglite', dataDir: target, bufferCache: 'bulk-load' }; // as `att import` opens it (src/cli/import-commands.ts)
const store = await openStore(options);
try {
  const bytes = new Uint8Array(await readFile(file));
  const deps = { imports: createImportRepository(store), reference: createReferenceRepository(store), clock: systemClock };
  const t0 = performance.now();
  const outcome = await importFile(deps, { source: 'sipri', fileName: file, bytes });
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ms, maxRssMb: resourceUsage().maxRSS / 1024, status: outcome.status, runId: outcome.run?.id }));
} finally {
  await store.close();
}
