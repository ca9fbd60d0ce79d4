import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { EmailSchema, PasswordSchema } from '../model/account.js';
import { AppError } from '../model/errors.js';
import { argon2Hasher, type PasswordHasher } from '../api/auth/passwords.js';
import type { AuthDeps } from '../api/auth/middleware.js';
import type { Settings } from '../settings.js';
import { createAccountRepository } from '../store/account-repository.js';
import type { Store } from '../store/open-store.js';
import { openContext } from './context.js';
import { formatTable } from './format-table.js';
import type { CliIo } from './main.js';

/** The accounts part of the HTTP app's dependencies (production argon2 cost), for `att serve`. */
export function authDepsFor(
  store: Store,
  limits: Partial<Pick<AuthDeps, 'registrationsPerHour' | 'apiKeyRequestsPerMinute'>> = {},
  passwords: PasswordHasher = argon2Hasher(),
): AuthDeps {
  return { accounts: createAccountRepository(store), passwords, ...limits };
}

/**
 * `att accounts ...`: how an operator creates the first Secretariat account (the Secretariat then invites State
 * officers through the API). Audited with actor `operator`.
 */
export function registerAccountCommands(
  program: Command,
  io: CliIo,
  settings: () => Settings,
  passwords: PasswordHasher = argon2Hasher(),
): void {
  const accounts = program.command('accounts').description('user accounts: create the first Secretariat account, list accounts');

  accounts
    .command('create-secretariat')
    .description('create a Secretariat account; the password is read from ATT_NEW_PASSWORD, or generated and printed once')
    .requiredOption('--email <email>', 'the account email')
    .requiredOption('--name <name>', 'the display name')
    .action(async (options: { email: string; name: string }) => {
      const email = EmailSchema.safeParse(options.email);
      if (!email.success) throw new AppError('validation', `--email "${options.email}" is not an email address`, { location: { parameter: '--email' } });
      // The password never goes on the command line (it would stay in the shell history and the process list).
      const given = io.env['ATT_NEW_PASSWORD'];
      let password: string;
      if (given !== undefined && given !== '') {
        const parsed = PasswordSchema.safeParse(given);
        if (!parsed.success) {
          throw new AppError('validation', `ATT_NEW_PASSWORD: ${parsed.error.issues[0]?.message ?? 'not a valid password'}`, {
            location: { parameter: 'ATT_NEW_PASSWORD' },
            hint: 'use at least 12 characters, or unset it to have one generated',
          });
        }
        password = parsed.data;
      } else {
        password = randomBytes(18).toString('base64url');
      }
      const context = await openContext(settings(), io.clock);
      try {
        const account = await createAccountRepository(context.store).createUser(
          { email: email.data, displayName: options.name, role: 'secretariat', stateId: null, passwordHash: await passwords.hash(password) },
          'operator',
          io.clock.now(),
        );
        io.out(`created Secretariat account ${account.email} (id ${account.id})\n`);
        if (given === undefined || given === '') io.out(`password (shown once, store it now): ${password}\n`);
      } finally {
        await context.store.close();
      }
    });

  accounts
    .command('list')
    .description('list accounts (never their password hashes)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const context = await openContext(settings(), io.clock);
      try {
        const list = await createAccountRepository(context.store).list();
        if (options.json) {
          io.out(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        io.out(
          formatTable(
            ['email', 'name', 'role', 'state', 'created', 'disabled'],
            list.map((a) => [a.email, a.displayName, a.role, a.stateId ?? '', a.createdAt.toISOString().slice(0, 10), a.disabled ? 'yes' : '']),
          ),
        );
      } finally {
        await context.store.close();
      }
    });
}
