import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import { AppError } from '../../model/errors.js';
import type { Viewer } from '../../model/viewer.js';
import { validationError } from '../errors.js';

/** A viewer that is a signed-in account (never the anonymous public, never the CLI operator). */
export type SignedInViewer = Exclude<Viewer, { kind: 'anonymous' } | { kind: 'operator' }>;
export type SignedInKind = SignedInViewer['kind'];

/** 401 unless the request is authenticated by a session or an API key. */
export function requireSignedIn(viewer: Viewer, action = 'do this'): SignedInViewer {
  if (viewer.kind === 'anonymous' || viewer.kind === 'operator') {
    throw new AppError('unauthenticated', `sign in to ${action}`, { hint: 'sign in with POST /v1/auth/login' });
  }
  return viewer;
}

/**
 * 401 when anonymous, 403 when signed in with another role. `action` completes "only ... may <action>" in the
 * message, so that the caller learns who may.
 */
export function requireRole<K extends SignedInKind>(viewer: Viewer, kinds: readonly K[], action: string): Extract<SignedInViewer, { kind: K }> {
  const signedIn = requireSignedIn(viewer, action);
  if (!(kinds as readonly string[]).includes(signedIn.kind)) {
    throw new AppError('forbidden', `only ${kinds.map((k) => k.replace('_', ' ')).join(' or ')} accounts may ${action}`, {
      hint: `you are signed in as ${signedIn.kind.replace('_', ' ')}`,
    });
  }
  return signedIn as Extract<SignedInViewer, { kind: K }>;
}

/** The Secretariat and admins: distribute reports (Art. 13(3)), moderate, keep reference data. */
export const SECRETARIAT_KINDS = ['secretariat', 'admin'] as const;

/** Reads and validates a JSON body with a zod schema: 400 with the one error shape when it is not JSON or invalid. */
export async function readJsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new AppError('validation', 'the request body is not JSON', { hint: 'send a JSON object with content-type application/json' });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}
