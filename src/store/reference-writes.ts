import type { Store } from './open-store.js';

/**
 * Writes to reference data made in this process (a reload of the files, a Secretariat's amendment) bump their store's
 * generation once they commit: every reference repository over that store then checks the stored version at once
 * instead of trusting its last check for its TTL (src/store/reference-repository.ts).
 */
const generations = new WeakMap<Store, number>();

export function referenceWritten(store: Store): void {
  generations.set(store, referenceWriteGeneration(store) + 1);
}

export function referenceWriteGeneration(store: Store): number {
  return generations.get(store) ?? 0;
}
