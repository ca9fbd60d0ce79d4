/**
 * npm run reference:build [-- <research drop dir>] [--out <dir>]
 * Rebuilds data/reference/ from ../shared/reference (default) and data/reference/manual/, then loads the result with
 * the same validation the application uses.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAppError } from '../src/model/errors.js';
import { buildReference } from '../src/reference/build-reference.js';
import { loadReferenceData } from '../src/reference/load-reference.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  let outDir = path.join(repoRoot, 'data', 'reference');
  const outIndex = args.indexOf('--out');
  if (outIndex >= 0) {
    const value = args[outIndex + 1];
    if (!value) throw new Error('--out needs a directory');
    outDir = path.resolve(value);
    args.splice(outIndex, 2);
  }
  const sourceDir = path.resolve(repoRoot, args[0] ?? '../shared/reference');
  const summary = await buildReference({
    sourceDir,
    outDir,
    manualDir: path.join(repoRoot, 'data', 'reference', 'manual'),
  });
  for (const warning of summary.warnings) console.warn(`warning: ${warning}`);
  for (const { file, rows } of summary.files)
    console.log(`${path.relative(process.cwd(), path.join(outDir, file))}: ${rows} rows`);
  const data = await loadReferenceData(outDir);
  console.log(
    `validated: ${data.states.length} states-crosswalk rows, ${data.aliases.length} aliases, ${data.treatyRecords.length} treaty records, ${data.embargoes.length} embargo episodes`,
  );
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(isAppError(error) ? `error: ${error.describe()}` : error);
  process.exitCode = 1;
});
