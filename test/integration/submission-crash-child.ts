/**
 * A process killed in the middle of a submission (src/store/reporting-repository.test.ts):
 *   node --import tsx test/integration/submission-crash-child.ts <pgliteDataDir> <draftId>
 * opens the database, submits the draft and, inside the submission's transaction, after every row has been written
 * and before COMMIT, prints "in-submission" and waits to be killed with SIGKILL.
 */
import path from 'node:path';
import { fixedClock } from '../../src/model/clock.js';
import { DEFAULT_REPORTING_RULES } from '../../src/model/reporting.js';
import { OPERATOR } from '../../src/model/viewer.js';
import { submitDraft } from '../../src/services/reporting.js';
import { openStore } from '../../src/store/open-store.js';
import { createReferenceRepository } from '../../src/store/reference-repository.js';
import { createReportingRepository } from '../../src/store/reporting-repository.js';

const [dataDir, draftId] = process.argv.slice(2);

async function main(): Promise<void> {
  if (!dataDir || !draftId) throw new Error('usage: submission-crash-child.ts <dataDir> <draftId>');
  const store = await openStore({ kind: 'pglite', dataDir: path.resolve(dataDir) });
  const deps = { reporting: createReportingRepository(store), reference: createReferenceRepository(store), clock: fixedClock('2026-03-10T09:00:00Z'), rules: DEFAULT_REPORTING_RULES };
  await submitDraft(deps, OPERATOR, draftId, {
    beforeCommit: async () => {
      process.stdout.write('in-submission\n');
      await new Promise(() => setInterval(() => undefined, 1 << 30));
    },
  });
  process.stdout.write('committed\n');
}

main().catch((error: unknown) => {
  process.stdout.write(`failed ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
