import { z } from '@hono/zod-openapi';
import type { Viewer } from './viewer.js';

/** The roles an account can hold (the `operator` viewer is the CLI, never an account). */
export const RoleSchema = z.enum(['researcher', 'state_officer', 'secretariat', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

/** A user account as the rest of the system sees it: never the password hash. */
export interface Account {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  /** Set for a State officer only: the State they report for. */
  stateId: string | null;
  createdAt: Date;
  disabled: boolean;
}

/** Emails compare case-insensitively and without surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const EmailSchema = z.string().trim().min(3).max(254).regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address');
/** Long enough to resist guessing; the upper bound keeps hashing cheap to refuse. */
export const PasswordSchema = z.string().min(12, 'a password has at least 12 characters').max(256);

/**
 * The Viewer an account acts as. `stateParty` says whether a State officer's State is a State Party on the day
 * (computed by the caller from the treaty records and the clock: this layer does no I/O).
 */
export function viewerOf(account: Account, stateParty: (stateId: string) => boolean): Viewer {
  switch (account.role) {
    case 'researcher':
      return { kind: 'researcher', userId: account.id };
    case 'secretariat':
      return { kind: 'secretariat', userId: account.id };
    case 'admin':
      return { kind: 'admin', userId: account.id };
    case 'state_officer': {
      const stateId = account.stateId ?? '';
      return { kind: 'state_officer', userId: account.id, stateId, stateParty: stateId !== '' && stateParty(stateId) };
    }
  }
}

/** Who did something, as written in the audit log: `user:<id>`, `operator` or `anonymous`. */
export function actorOf(viewer: Viewer): string {
  switch (viewer.kind) {
    case 'anonymous':
    case 'operator':
      return viewer.kind;
    default:
      return `user:${viewer.userId}`;
  }
}
