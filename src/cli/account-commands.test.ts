import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedPGliteDataDir } from '../../test/support/engines.js';
import { argon2Hasher } from '../api/auth/passwords.js';
import { fixedClock } from '../model/clock.js';
import { loadSettings } from '../settings.js';
import { createAccountRepository } from '../store/account-repository.js';
import { openStore, storeOptionsFromSettings } from '../store/open-store.js';
import { main, type CliIo } from './main.js';

async function att(args: string[], env: Record<string, string | undefined>) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env, clock: fixedClock('2026-11-24T12:00:00Z') };
  const code = await main(args, io);
  return { code, out, err };
}

describe('att accounts', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await preparedPGliteDataDir();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function credentials(email: string) {
    const store = await openStore(storeOptionsFromSettings(loadSettings({ ATT_DATA_DIR: dataDir })));
    try {
      return await createAccountRepository(store).credentialsOf(email);
    } finally {
      await store.close();
    }
  }

  it('creates the first Secretariat account with the password from ATT_NEW_PASSWORD, printing no password', async () => {
    const result = await att(['accounts', 'create-secretariat', '--email', 'first@att.example', '--name', 'First'], {
      ATT_DATA_DIR: dataDir,
      ATT_NEW_PASSWORD: 'a long enough password',
    });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).not.toContain('password');
    const stored = await credentials('first@att.example');
    expect(stored?.account.role).toBe('secretariat');
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
    expect(await argon2Hasher().verify(stored!.passwordHash, 'a long enough password')).toBe(true);
  });

  it('generates a password and prints it once when ATT_NEW_PASSWORD is unset', async () => {
    const result = await att(['accounts', 'create-secretariat', '--email', 'second@att.example', '--name', 'Second'], { ATT_DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    const password = result.out.match(/password \(shown once, store it now\): (\S+)/)?.[1];
    expect(password).toBeDefined();
    const stored = await credentials('second@att.example');
    expect(await argon2Hasher().verify(stored!.passwordHash, password!)).toBe(true);
  });

  it('refuses a short ATT_NEW_PASSWORD and a second account with the same email', async () => {
    const short = await att(['accounts', 'create-secretariat', '--email', 'third@att.example', '--name', 'T'], { ATT_DATA_DIR: dataDir, ATT_NEW_PASSWORD: 'short' });
    expect(short.code).toBe(2);
    expect(short.err).toContain('ATT_NEW_PASSWORD');
    const again = await att(['accounts', 'create-secretariat', '--email', 'FIRST@att.example', '--name', 'F'], { ATT_DATA_DIR: dataDir, ATT_NEW_PASSWORD: 'a long enough password' });
    expect(again.code).toBe(1);
    expect(again.err).toContain('already exists');
  });

  it('lists accounts without their password hashes', async () => {
    const result = await att(['accounts', 'list', '--json'], { ATT_DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    const list = JSON.parse(result.out) as { email: string; role: string }[];
    expect(list.map((a) => a.email)).toEqual(['first@att.example', 'second@att.example']);
    expect(result.out).not.toContain('argon2');
  });
});
