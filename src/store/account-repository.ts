import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { normalizeEmail, type Account, type Role } from '../model/account.js';
import { AppError } from '../model/errors.js';
import { appendAudit } from './audit-log.js';
import type { Store } from './open-store.js';
import type { Database } from './schema.js';

/** 32 random bytes, base64url: session ids, CSRF tokens, invitation tokens and API keys. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Invitation tokens and API keys are stored as sha256 only: they are 256-bit random values, so a fast hash is
 * enough (nothing to brute-force), and a stolen database does not yield usable keys.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  stateId: string | null;
  passwordHash: string;
}

export interface Session {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}


function toAccount(row: {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  state_id: string | null;
  created_at: Date;
  disabled: boolean;
}): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    stateId: row.state_id,
    createdAt: row.created_at,
    disabled: row.disabled,
  };
}

/** What the audit log keeps of an account: never the hash. */
function auditView(account: Account): Record<string, unknown> {
  return { email: account.email, displayName: account.displayName, role: account.role, stateId: account.stateId, disabled: account.disabled };
}

const ACCOUNT_COLUMNS = ['id', 'email', 'display_name', 'role', 'state_id', 'created_at', 'disabled'] as const;

async function insertUser(trx: Transaction<Database>, user: NewUser, actor: string, at: Date): Promise<Account> {
  const email = normalizeEmail(user.email);
  const existing = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) {
    throw new AppError('conflict', `an account with the email ${email} already exists`, {
      location: { parameter: 'email' },
      hint: 'sign in with that account, or use another email',
    });
  }
  if ((user.role === 'state_officer') !== (user.stateId !== null)) {
    throw new AppError('validation', 'a State officer is bound to exactly one State, and only a State officer is', {
      location: { parameter: 'stateId' },
    });
  }
  const row = await trx
    .insertInto('users')
    .values({
      id: randomUUID(),
      email,
      display_name: user.displayName,
      role: user.role,
      state_id: user.stateId,
      password_hash: user.passwordHash,
      created_at: at,
    })
    .returning(ACCOUNT_COLUMNS)
    .executeTakeFirstOrThrow();
  const account = toAccount(row);
  await appendAudit(trx, { at, actor, action: 'user.create', target: `user:${account.id}`, before: null, after: auditView(account) });
  return account;
}

/**
 * Users, sessions, invitations, API keys and login attempts. Every write that changes who can do what is audited
 * in the same transaction (`actor` says who did it). Passwords arrive already hashed: hashing is the caller's
 * (src/api/auth/passwords.ts), so that tests can choose cheap parameters.
 */
export function createAccountRepository(store: Store) {
  return {
    async createUser(user: NewUser, actor: string, at: Date): Promise<Account> {
      return store.transaction((trx) => insertUser(trx, user, actor, at));
    },

    async list(): Promise<Account[]> {
      const rows = await store.db.selectFrom('users').select(ACCOUNT_COLUMNS).orderBy('created_at').orderBy('email').execute();
      return rows.map(toAccount);
    },

    async findById(id: string): Promise<Account | undefined> {
      const row = await store.db.selectFrom('users').select(ACCOUNT_COLUMNS).where('id', '=', id).executeTakeFirst();
      return row ? toAccount(row) : undefined;
    },

    /** The account and its password hash, for a login. */
    async credentialsOf(email: string): Promise<{ account: Account; passwordHash: string } | undefined> {
      const row = await store.db
        .selectFrom('users')
        .select([...ACCOUNT_COLUMNS, 'password_hash'])
        .where('email', '=', normalizeEmail(email))
        .executeTakeFirst();
      return row ? { account: toAccount(row), passwordHash: row.password_hash } : undefined;
    },

    /** A new session with new random id and CSRF token (a login never reuses a session id: no fixation). */
    async createSession(userId: string, at: Date, ttlMs: number): Promise<Session> {
      const session: Session = { id: randomToken(), userId, csrfToken: randomToken(), createdAt: at, expiresAt: new Date(at.getTime() + ttlMs) };
      await store.transaction(async (trx) => {
        await trx
          .insertInto('sessions')
          .values({ id: session.id, user_id: userId, csrf_token: session.csrfToken, created_at: at, expires_at: session.expiresAt })
          .execute();
        // The session id is a bearer secret: the audit log names the user, never the id.
        await appendAudit(trx, { at, actor: `user:${userId}`, action: 'session.create', target: `user:${userId}`, before: null, after: { expiresAt: session.expiresAt.toISOString() } });
      });
      return session;
    },

    /** The live session and its (enabled) account; undefined when unknown, expired or the account is disabled. */
    async session(id: string, now: Date): Promise<{ session: Session; account: Account } | undefined> {
      const row = await store.db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select(['s.id as session_id', 's.csrf_token', 's.created_at as session_created_at', 's.expires_at', 'u.id', 'u.email', 'u.display_name', 'u.role', 'u.state_id', 'u.created_at', 'u.disabled'])
        .where('s.id', '=', id)
        .where('s.expires_at', '>', now)
        .where('u.disabled', '=', false)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        session: { id: row.session_id, userId: row.id, csrfToken: row.csrf_token, createdAt: row.session_created_at, expiresAt: row.expires_at },
        account: toAccount(row),
      };
    },

    async deleteSession(id: string, actor: string, at: Date): Promise<void> {
      await store.transaction(async (trx) => {
        const gone = await trx.deleteFrom('sessions').where('id', '=', id).returning('user_id').executeTakeFirst();
        if (gone) await appendAudit(trx, { at, actor, action: 'session.delete', target: `user:${gone.user_id}`, before: null, after: null });
      });
    },

    /** Stores an invitation for a State officer and returns its one-time token (only its hash is kept). */
    async createInvitation(input: { email: string; stateId: string; createdBy: string; at: Date; ttlMs: number }): Promise<{ token: string; expiresAt: Date }> {
      const token = randomToken();
      const hash = tokenHash(token);
      const expiresAt = new Date(input.at.getTime() + input.ttlMs);
      await store.transaction(async (trx) => {
        await trx
          .insertInto('invitations')
          .values({ token_hash: hash, email: normalizeEmail(input.email), role: 'state_officer', state_id: input.stateId, created_by: input.createdBy, created_at: input.at, expires_at: expiresAt })
          .execute();
        await appendAudit(trx, {
          at: input.at,
          actor: `user:${input.createdBy}`,
          action: 'invitation.create',
          target: `invitation:${hash.slice(0, 16)}`,
          before: null,
          after: { email: normalizeEmail(input.email), role: 'state_officer', stateId: input.stateId, expiresAt: expiresAt.toISOString() },
        });
      });
      return { token, expiresAt };
    },

    /**
     * Uses an invitation once: marks it used and creates the State officer's account, in one transaction. The
     * conditional UPDATE is the single-use guarantee: of two concurrent accepts, only one finds `used_at is null`.
     */
    async acceptInvitation(token: string, input: { displayName: string; passwordHash: string }, at: Date): Promise<Account> {
      const hash = tokenHash(token);
      return store.transaction(async (trx) => {
        const invitation = await trx
          .updateTable('invitations')
          .set({ used_at: at })
          .where('token_hash', '=', hash)
          .where('used_at', 'is', null)
          .where('expires_at', '>', at)
          .returningAll()
          .executeTakeFirst();
        if (!invitation) {
          throw new AppError('not_found', 'this invitation does not exist, has expired or has already been used', {
            location: { parameter: 'token' },
            hint: 'ask the Secretariat for a new invitation',
          });
        }
        await appendAudit(trx, { at, actor: 'anonymous', action: 'invitation.accept', target: `invitation:${hash.slice(0, 16)}`, before: { usedAt: null }, after: { usedAt: at.toISOString() } });
        return insertUser(trx, { email: invitation.email, displayName: input.displayName, role: 'state_officer', stateId: invitation.state_id, passwordHash: input.passwordHash }, 'anonymous', at);
      });
    },

    /** A new API key for a user, returned once (only its hash is kept). */
    async createApiKey(userId: string, at: Date): Promise<string> {
      const key = `att_${randomToken()}`;
      const hash = tokenHash(key);
      await store.transaction(async (trx) => {
        await trx.insertInto('api_keys').values({ key_hash: hash, user_id: userId, created_at: at }).execute();
        await appendAudit(trx, { at, actor: `user:${userId}`, action: 'api_key.create', target: `api_key:${hash.slice(0, 16)}`, before: null, after: { userId } });
      });
      return key;
    },

    /**
     * The enabled account an API key belongs to, with the key's hash (for rate limits). Updates `last_used_at`:
     * bookkeeping of a read, not a change of rights, so not audited.
     */
    async accountForApiKey(key: string, at: Date): Promise<{ account: Account; keyHash: string } | undefined> {
      const hash = tokenHash(key);
      const row = await store.db
        .updateTable('api_keys')
        .set({ last_used_at: at })
        .where('key_hash', '=', hash)
        .returning('user_id')
        .executeTakeFirst();
      if (!row) return undefined;
      const account = await this.findById(row.user_id);
      return account && !account.disabled ? { account, keyHash: hash } : undefined;
    },

    /** Login throttling: a failed attempt for an email from an IP. */
    async recordFailedLogin(email: string, ip: string, at: Date): Promise<void> {
      await store.db.insertInto('login_attempts').values({ email: normalizeEmail(email), ip, at }).execute();
    },

    /** Failed attempts since `since`, and the oldest of them (it sets when the window frees up). */
    async failedLogins(email: string, ip: string, since: Date): Promise<{ count: number; oldest: Date | null }> {
      const row = await store.db
        .selectFrom('login_attempts')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
        .where('email', '=', normalizeEmail(email))
        .where('ip', '=', ip)
        .where('at', '>', since)
        .executeTakeFirstOrThrow();
      return { count: Number(row.n), oldest: row.oldest === null ? null : new Date(row.oldest as Date | string) };
    },

    /** A successful login clears the email+IP's failures. */
    async clearFailedLogins(email: string, ip: string): Promise<void> {
      await store.db.deleteFrom('login_attempts').where('email', '=', normalizeEmail(email)).where('ip', '=', ip).execute();
    },
  };
}

export type AccountRepository = ReturnType<typeof createAccountRepository>;
