import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { treatyStatusOn } from '../../analysis/treaty-status.js';
import { viewerOf, type Account } from '../../model/account.js';
import type { Clock } from '../../model/clock.js';
import { dateInTimeZone } from '../../model/dates.js';
import { AppError } from '../../model/errors.js';
import { ANONYMOUS, OPERATOR, type Viewer } from '../../model/viewer.js';
import type { AccountRepository } from '../../store/account-repository.js';
import type { ReferenceRepository } from '../../store/reference-repository.js';
import type { PasswordHasher } from './passwords.js';
import { fixedWindowLimiter } from './rate-limit.js';
import './context.js';

export const SESSION_COOKIE = 'att_session';
export const CSRF_HEADER = 'x-csrf-token';

/** What the auth middleware and routes need. Absent from AppDeps: every request is anonymous. */
export interface AuthDeps {
  accounts: AccountRepository;
  passwords: PasswordHasher;
  /** Session lifetime (default 8 hours). */
  sessionTtlMs?: number;
  /** Requests per minute per API key (default 60). */
  apiKeyRequestsPerMinute?: number;
  /** Researcher self-registrations per client address per hour (default 5). */
  registrationsPerHour?: number;
  /** The client's address for login throttling; default: the socket's remote address (node server), else 'unknown'. */
  clientIp?: (c: Context) => string;
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a State is a State Party on the request's day (UTC): ATT Art. 13(3) distribution to States Parties. */
async function statePartyOn(reference: ReferenceRepository, clock: Clock): Promise<(stateId: string) => boolean> {
  const snapshot = await reference.snapshot(OPERATOR);
  const today = dateInTimeZone(clock.now(), 'UTC');
  return (stateId) => treatyStatusOn(snapshot.treatyRecords.find((r) => r.stateId === stateId), today) === 'state_party';
}

export async function viewerForAccount(account: Account, reference: ReferenceRepository, clock: Clock): Promise<Viewer> {
  return viewerOf(account, account.role === 'state_officer' ? await statePartyOn(reference, clock) : () => false);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Resolves the Viewer of each request: a session cookie, else `authorization: Bearer <API key>`, else anonymous
 * (an unknown or expired credential is anonymous too: public data stay readable). Then guards writes: a request
 * authenticated by a session cookie must carry the session's CSRF token in `x-csrf-token` (403 otherwise), and an
 * API key is limited to N requests a minute (429 with Retry-After).
 */
export function authMiddleware(deps: { auth?: AuthDeps; reference: ReferenceRepository; clock: Clock }): MiddlewareHandler {
  const auth = deps.auth;
  const limiter = fixedWindowLimiter({ limit: auth?.apiKeyRequestsPerMinute ?? 60, windowMs: 60_000 });
  return async (c, next) => {
    c.set('viewer', ANONYMOUS);
    c.set('session', undefined);
    if (!auth) return next();
    const now = deps.clock.now();

    const sessionId = getCookie(c, SESSION_COOKIE);
    if (sessionId) {
      const found = await auth.accounts.session(sessionId, now);
      if (found) {
        c.set('viewer', await viewerForAccount(found.account, deps.reference, deps.clock));
        c.set('session', found.session);
        if (STATE_CHANGING.has(c.req.method)) {
          const token = c.req.header(CSRF_HEADER);
          if (token === undefined || !sameSecret(token, found.session.csrfToken)) {
            throw new AppError('forbidden', `a ${c.req.method} with a session cookie needs the header ${CSRF_HEADER}`, {
              location: { parameter: CSRF_HEADER },
              hint: 'send the csrfToken given by GET /v1/auth/me in the x-csrf-token header',
            });
          }
        }
        return next();
      }
    }

    const authorization = c.req.header('authorization');
    const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (bearer) {
      const found = await auth.accounts.accountForApiKey(bearer, now);
      if (!found) {
        throw new AppError('unauthenticated', 'this API key is not valid', {
          location: { parameter: 'authorization' },
          hint: 'create a key with POST /v1/api-keys while signed in, or send the request without it',
        });
      }
      const { allowed, retryAfterSeconds } = limiter.hit(found.keyHash, now.getTime());
      if (!allowed) {
        c.header('Retry-After', String(retryAfterSeconds));
        throw new AppError('rate_limited', `this API key has made more than ${auth.apiKeyRequestsPerMinute ?? 60} requests in a minute`, {
          hint: `wait ${retryAfterSeconds} s (Retry-After) and try again`,
        });
      }
      c.set('viewer', await viewerForAccount(found.account, deps.reference, deps.clock));
    }
    return next();
  };
}
