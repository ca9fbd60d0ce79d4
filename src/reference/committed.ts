import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadReferenceData, type ReferenceData } from './load-reference.js';

/** The data/reference/ directory committed with the code (tests and tools; the app takes it from settings). */
export const COMMITTED_REFERENCE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../data/reference',
);

let cached: Promise<ReferenceData> | undefined;

/** Loads the committed reference data once per process. */
export function loadCommittedReference(): Promise<ReferenceData> {
  cached ??= loadReferenceData(COMMITTED_REFERENCE_DIR);
  return cached;
}
