import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { ErrorBodySchema } from '../errors.js';
import { requireRole, requireSignedIn, type SignedInKind } from '../auth/guards.js';
import '../auth/context.js';

/**
 * How routes describe who may call them in /openapi.json: `security` (session cookie + x-csrf-token on writes, or a
 * researcher's API key) and `x-att-access`, the roles in words, so that a visibility matrix can be generated from the
 * route table.
 */
export const SIGNED_IN: Record<string, string[]>[] = [{ session: [] }, { apiKey: [] }];
/** Anyone; a signed-in viewer may see more (e.g. private-readers events in a feed). */
export const ANYONE_OR_SIGNED_IN: Record<string, string[]>[] = [{}, ...SIGNED_IN];

/** Route middleware (runs before body validation): 401 anonymous, 403 another role. */
export function roleGuard(kinds: readonly SignedInKind[], action: string): MiddlewareHandler {
  return async (c, next) => {
    requireRole(c.get('viewer'), kinds, action);
    await next();
  };
}

export function signedInGuard(action: string): MiddlewareHandler {
  return async (c, next) => {
    requireSignedIn(c.get('viewer'), action);
    await next();
  };
}

/** One documented error response (the one error shape, src/api/errors.ts) for a route's `responses`. */
export const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBodySchema } } });
const error = errorResponse;
/** A numeric id in the path (`/v1/meetings/{id}`), kept as text by the router and checked here. */
export const NumericIdParam = z.object({ id: z.string().regex(/^[1-9]\d{0,15}$/, 'expected a positive whole number').openapi({ example: '1' }) });
export const ERRORS = {
  400: error('invalid parameter or body: the message names it and the hint says what to do'),
  401: error('not signed in'),
  403: error('signed in with a role that may not do this, or a session without the x-csrf-token header'),
  404: error('no such thing, or one you may not see'),
  409: error('conflicts with what is recorded'),
} as const;
