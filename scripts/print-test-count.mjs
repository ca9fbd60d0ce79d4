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
// A suite that failed to load counts as failed, so a broken import never hides behind a green count.
const failedSuites = (report.testResults ?? []).filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
const passed = report.numPassedTests ?? 0;
const failed = (report.numFailedTests ?? 0) + failedSuites;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
