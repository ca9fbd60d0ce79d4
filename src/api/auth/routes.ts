import type { Context } from 'hono';
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from '@hono/zod-openapi';
import { EmailSchema, PasswordSchema, type Account } from '../../model/account.js';
import type { Clock } from '../../model/clock.js';
import { AppError } from '../../model/errors.js';
import type { ReferenceRepository } from '../../store/reference-repository.js';
import { ViewerSchema } from '../../model/viewer.js';
import { ErrorBodySchema } from '../errors.js';
import { requireRole, SECRETARIAT_KINDS } from './guards.js';
import { SESSION_COOKIE, type AuthDeps } from './middleware.js';
import { fixedWindowLimiter } from './rate-limit.js';
import './context.js';

const THROTTLE_WINDOW_MS = 15 * 60_000;
const THROTTLE_FAILURES = 5;
const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60_000;
const INVITATION_TTL_MS = 14 * 24 * 60 * 60_000;

const LoginBody = z.object({ email: EmailSchema, password: z.string().min(1).max(256) });
const InvitationBody = z.object({ email: EmailSchema, stateId: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO3 code such as FRA') });
const RegisterBody = z.object({ email: EmailSchema, displayName: z.string().trim().min(1).max(200), password: PasswordSchema });
const AcceptBody = z.object({ displayName: z.string().trim().min(1).max(200), password: PasswordSchema });

const PublicAccountSchema = z
  .object({ id: z.string(), email: z.string(), displayName: z.string(), role: z.string(), stateId: z.string().nullable() })
  .openapi('Account');

function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

function ok<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid body',
  401: 'not signed in, or wrong credentials',
  403: 'not allowed for this role, or the x-csrf-token header is missing',
  404: 'not found',
  409: 'conflict (e.g. the email already has an account, the invitation was used)',
  429: 'too many attempts: see Retry-After',
};

function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: ERROR_DESCRIPTIONS[status]!, content: { 'application/json': { schema: ErrorBodySchema } } }]),
  );
}

function publicAccount(account: Account) {
  return { id: account.id, email: account.email, displayName: account.displayName, role: account.role, stateId: account.stateId };
}

function defaultClientIp(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

/**
 * The accounts endpoints: login/logout/me (session cookie + CSRF token), invitations for State officers, and API
 * keys for researchers. Every write goes through the account repository, which audits it.
 */
export function registerAuthRoutes(app: OpenAPIHono, deps: { auth?: AuthDeps; reference: ReferenceRepository; clock: Clock }): void {
  const auth = deps.auth;
  if (!auth) return;
  const { accounts, passwords, clock } = { ...auth, clock: deps.clock };
  const clientIp = auth.clientIp ?? defaultClientIp;
  // Checked when the email is unknown, so that a login takes as long whether or not the account exists.
  const dummyHash = passwords.hash('not-a-real-password-0000');

  // The security schemes `session` and `apiKey` are registered in app.ts (every route may name them).
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/login',
      tags: ['Accounts'],
      summary: 'Sign in: sets the session cookie and returns the CSRF token for writes (5 failures in 15 minutes: 429)',
      request: { body: jsonBody(LoginBody) },
      responses: {
        200: ok('the account, the CSRF token and the session expiry', z.object({ account: PublicAccountSchema, csrfToken: z.string(), expiresAt: z.string() })),
        ...errorResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const now = clock.now();
      const ip = clientIp(c);
      const failures = await accounts.failedLogins(email, ip, new Date(now.getTime() - THROTTLE_WINDOW_MS));
      if (failures.count >= THROTTLE_FAILURES) {
        const freeAt = (failures.oldest?.getTime() ?? now.getTime()) + THROTTLE_WINDOW_MS;
        const retryAfter = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
        c.header('Retry-After', String(retryAfter));
        throw new AppError('rate_limited', `too many failed logins for this email from this address (${THROTTLE_FAILURES} in 15 minutes)`, {
          hint: `wait ${retryAfter} s (Retry-After) and try again`,
        });
      }
      const credentials = await accounts.credentialsOf(email);
      const ok = credentials
        ? await passwords.verify(credentials.passwordHash, password)
        : (await passwords.verify(await dummyHash, password), false);
      if (!credentials || !ok || credentials.account.disabled) {
        await accounts.recordFailedLogin(email, ip, now);
        throw new AppError('unauthenticated', 'the email or the password is wrong', { hint: 'check both and try again' });
      }
      await accounts.clearFailedLogins(email, ip);
      // Always a new session (new id and CSRF token), whatever cookie came in: no session fixation. A session the
      // request came with is ended, so that signing in as someone else never leaves the earlier session alive.
      const previous = c.get('session');
      if (previous) await accounts.deleteSession(previous.id, `user:${previous.userId}`, now);
      const session = await accounts.createSession(credentials.account.id, now, auth.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS);
      setCookie(c, SESSION_COOKIE, session.id, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: isHttps(c),
        path: '/',
        expires: session.expiresAt,
      });
      return c.json({ account: publicAccount(credentials.account), csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/logout',
      tags: ['Accounts'],
      summary: 'Sign out: ends the session and clears its cookie',
      security: [{ session: [] }],
      responses: { 204: { description: 'signed out' }, ...errorResponses(403) },
    }),
    async (c) => {
      const session = c.get('session');
      if (session) await accounts.deleteSession(session.id, `user:${session.userId}`, clock.now());
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/auth/me',
      tags: ['Accounts'],
      summary: 'Who is asking (anonymous, or the signed-in viewer) and the session CSRF token; never cached',
      security: [{}, { session: [] }, { apiKey: [] }],
      responses: { 200: ok('the viewer', z.object({ viewer: ViewerSchema, csrfToken: z.string().nullable() })) },
    }),
    (c) => {
      c.header('Cache-Control', 'private, no-store');
      return c.json({ viewer: c.get('viewer'), csrfToken: c.get('session')?.csrfToken ?? null }, 200);
    },
  );

  // Researchers and NGOs register themselves (a researcher sees public data only, plus annotations and API keys);
  // State officers are invited by the Secretariat, never self-registered. Registrations per address are limited.
  const registrationLimit = auth.registrationsPerHour ?? 5;
  const registrations = fixedWindowLimiter({ limit: registrationLimit, windowMs: 60 * 60_000 });
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/register',
      tags: ['Accounts'],
      summary: 'Register a researcher / NGO account (State officers are invited instead); limited per address an hour',
      request: { body: jsonBody(RegisterBody) },
      responses: { 201: ok('the new account', z.object({ account: PublicAccountSchema })), ...errorResponses(400, 409, 429) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const now = clock.now();
      const { allowed, retryAfterSeconds } = registrations.hit(clientIp(c), now.getTime());
      if (!allowed) {
        c.header('Retry-After', String(retryAfterSeconds));
        throw new AppError('rate_limited', `too many registrations from this address (${registrationLimit} an hour)`, { hint: `wait ${retryAfterSeconds} s (Retry-After) and try again` });
      }
      const passwordHash = await passwords.hash(input.password);
      const account = await accounts.createUser(
        { email: input.email, displayName: input.displayName, role: 'researcher', stateId: null, passwordHash },
        'anonymous',
        now,
      );
      return c.json({ account: publicAccount(account) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/invitations',
      tags: ['Accounts'],
      summary: 'Invite a State reporting officer (Secretariat): the token is shown once and valid 14 days',
      security: [{ session: [] }],
      request: { body: jsonBody(InvitationBody) },
      responses: {
        201: ok('the invitation token', z.object({ token: z.string(), acceptPath: z.string(), expiresAt: z.string() })),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const viewer = requireRole(c.get('viewer'), SECRETARIAT_KINDS, 'invite State officers');
      const input = c.req.valid('json');
      const snapshot = await deps.reference.snapshot(viewer);
      if (!snapshot.states.some((s) => s.id === input.stateId)) {
        throw new AppError('validation', `"${input.stateId}" is not a known State`, { location: { parameter: 'stateId', value: input.stateId }, hint: 'list valid codes at /v1/states' });
      }
      const { token, expiresAt } = await accounts.createInvitation({ email: input.email, stateId: input.stateId, createdBy: viewer.userId, at: clock.now(), ttlMs: INVITATION_TTL_MS });
      // The token is shown once; only its hash is stored. The Secretariat passes it to the officer.
      return c.json({ token, acceptPath: `/v1/invitations/${token}/accept`, expiresAt: expiresAt.toISOString() }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/invitations/{token}/accept',
      tags: ['Accounts'],
      summary: 'Accept an invitation: creates the State officer account (once)',
      request: { params: z.object({ token: z.string().min(1).max(200) }), body: jsonBody(AcceptBody) },
      responses: { 201: ok('the new account', z.object({ account: PublicAccountSchema })), ...errorResponses(400, 404, 409) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const passwordHash = await passwords.hash(input.password);
      const account = await accounts.acceptInvitation(c.req.valid('param').token, { displayName: input.displayName, passwordHash }, clock.now());
      return c.json({ account: publicAccount(account) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/api-keys',
      tags: ['Accounts'],
      summary: 'Create an API key (researchers): shown once; send it as "authorization: Bearer <key>"',
      security: [{ session: [] }],
      responses: { 201: ok('the key', z.object({ key: z.string(), note: z.string() })), ...errorResponses(401, 403) },
    }),
    async (c) => {
      const viewer = requireRole(c.get('viewer'), ['researcher'], 'create API keys');
      const key = await accounts.createApiKey(viewer.userId, clock.now());
      return c.json({ key, note: 'shown once: store it now; send it as "authorization: Bearer <key>"' }, 201);
    },
  );
}
