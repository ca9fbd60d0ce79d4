import type { Context } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from '@hono/zod-openapi';
import { EmailSchema, PasswordSchema, type Account } from '../../model/account.js';
import type { Clock } from '../../model/clock.js';
import { AppError } from '../../model/errors.js';
import type { ReferenceRepository } from '../../store/reference-repository.js';
import { readJsonBody, requireRole, SECRETARIAT_KINDS } from './guards.js';
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

  app.post('/v1/auth/login', async (c) => {
    const { email, password } = await readJsonBody(c, LoginBody);
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
    // Always a new session (new id and CSRF token), whatever cookie came in: no session fixation.
    const session = await accounts.createSession(credentials.account.id, now, auth.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS);
    setCookie(c, SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: isHttps(c),
      path: '/',
      expires: session.expiresAt,
    });
    return c.json({ account: publicAccount(credentials.account), csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
  });

  app.post('/v1/auth/logout', async (c) => {
    const session = c.get('session');
    if (session) await accounts.deleteSession(session.id, `user:${session.userId}`, clock.now());
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    return c.body(null, 204);
  });

  app.get('/v1/auth/me', (c) => {
    c.header('Cache-Control', 'private, no-store');
    return c.json({ viewer: c.get('viewer'), csrfToken: c.get('session')?.csrfToken ?? null });
  });

  // Researchers and NGOs register themselves (a researcher sees public data only, plus annotations and API keys);
  // State officers are invited by the Secretariat, never self-registered. Registrations per address are limited.
  const registrationLimit = auth.registrationsPerHour ?? 5;
  const registrations = fixedWindowLimiter({ limit: registrationLimit, windowMs: 60 * 60_000 });
  app.post('/v1/auth/register', async (c) => {
    const input = await readJsonBody(c, RegisterBody);
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
  });

  app.post('/v1/invitations', async (c) => {
    const viewer = requireRole(c.get('viewer'), SECRETARIAT_KINDS, 'invite State officers');
    const input = await readJsonBody(c, InvitationBody);
    const snapshot = await deps.reference.snapshot(viewer);
    if (!snapshot.states.some((s) => s.id === input.stateId)) {
      throw new AppError('validation', `"${input.stateId}" is not a known State`, { location: { parameter: 'stateId', value: input.stateId }, hint: 'list valid codes at /v1/states' });
    }
    const { token, expiresAt } = await accounts.createInvitation({ email: input.email, stateId: input.stateId, createdBy: viewer.userId, at: clock.now(), ttlMs: INVITATION_TTL_MS });
    // The token is shown once; only its hash is stored. The Secretariat passes it to the officer.
    return c.json({ token, acceptPath: `/v1/invitations/${token}/accept`, expiresAt: expiresAt.toISOString() }, 201);
  });

  app.post('/v1/invitations/:token/accept', async (c) => {
    const input = await readJsonBody(c, AcceptBody);
    const passwordHash = await passwords.hash(input.password);
    const account = await accounts.acceptInvitation(c.req.param('token'), { displayName: input.displayName, passwordHash }, clock.now());
    return c.json({ account: publicAccount(account) }, 201);
  });

  app.post('/v1/api-keys', async (c) => {
    const viewer = requireRole(c.get('viewer'), ['researcher'], 'create API keys');
    const key = await accounts.createApiKey(viewer.userId, clock.now());
    return c.json({ key, note: 'shown once: store it now; send it as "authorization: Bearer <key>"' }, 201);
  });
}
