// Prints the plain closing line CI reads, `N passed, N failed`, from vitest's JSON report (../shared/docs/stack.md).
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.test-results/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`no vitest report at ${file}: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// A suite that failed without a failed test (it failed to load, or a beforeAll/afterAll hook failed and its tests
// were skipped) counts as one failure, so that it never hides behind a green count.
const failedSuites = (report.testResults ?? []).filter(
  (s) => s.status === 'failed' && !(s.assertionResults ?? []).some((t) => t.status === 'failed'),
).length;
const passed = report.numPassedTests ?? 0;
let failed = (report.numFailedTests ?? 0) + failedSuites;
// And vitest's own verdict: a run that exited non-zero is never reported as 0 failed.
const exitStatus = Number(process.argv[3] ?? 0);
if (exitStatus !== 0 && failed === 0) failed = 1;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
