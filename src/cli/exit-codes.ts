import type { AppError } from '../model/errors.js';

/** Exit codes of `att`: 0 ok, 1 a data or environment problem, 2 a usage mistake. */
export const EXIT = { ok: 0, data: 1, usage: 2 } as const;

export function exitCodeFor(error: AppError): number {
  return error.code === 'validation' ? EXIT.usage : EXIT.data;
}
