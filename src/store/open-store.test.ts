import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../model/errors.js';
import {
  installShutdownHandlers,
  maskDatabaseUrl,
  openStore,
  storeOptionsFromSettings,
  type Store,
} from './open-store.js';

describe('storeOptionsFromSettings', () => {
  it('chooses the PostgreSQL server when ATT_DATABASE_URL is set', () => {
    expect(storeOptionsFromSettings({ dataDir: '/srv/att', databaseUrl: 'postgres://u@db/att' })).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db/att',
    });
  });

  it('chooses PGlite in <ATT_DATA_DIR>/pglite otherwise', () => {
    expect(storeOptionsFromSettings({ dataDir: '/srv/att', databaseUrl: undefined })).toEqual({
      kind: 'pglite',
      dataDir: path.join('/srv/att', 'pglite'),
    });
  });
});

describe('opening a PostgreSQL store', () => {
  it('reports an unreachable server quickly, as a config error naming ATT_DATABASE_URL with the password masked', async () => {
    const started = Date.now();
    const error = await openStore({ kind: 'postgres', url: 'postgres://att:s3cret@127.0.0.1:1/att' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(error).toBeInstanceOf(AppError);
    const description = (error as AppError).describe();
    expect((error as AppError).code).toBe('config');
    expect(description).toContain('ATT_DATABASE_URL=postgres://att:***@127.0.0.1:1/att');
    expect(description).toContain('pg_ctlcluster --skip-systemctl-redirect 15 main start');
    expect(description).not.toContain('s3cret');
    expect(description).not.toMatch(/\n\s+at /);
  });

  it('reports a missing database as a config error saying how to create it', async () => {
    const url = new URL(process.env.ATT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
    url.pathname = '/att_no_such_database';
    await expect(openStore({ kind: 'postgres', url: url.toString() })).rejects.toThrow(
      expect.objectContaining({ code: 'config', hint: expect.stringContaining('createdb') }) as Error,
    );
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(
      openStore({ kind: 'postgres', url: 'postgres://127.0.0.1:1/x', schema: 'a"; drop' }),
    ).rejects.toMatchObject({
      code: 'config',
    });
  });

  it('masks only the password of a URL', () => {
    expect(maskDatabaseUrl('postgres://u:p@h:5432/d?sslmode=require')).toBe(
      'postgres://u:***@h:5432/d?sslmode=require',
    );
    expect(maskDatabaseUrl('postgres://u@h/d')).toBe('postgres://u@h/d');
  });
});

describe('installShutdownHandlers', () => {
  function fakeStore(calls: string[], fail = false): Store {
    return {
      engine: 'postgres',
      db: undefined as never,
      transaction: () => Promise.reject(new Error('unused')),
      checkpoint: async () => {
        calls.push('checkpoint');
        if (fail) throw new AppError('storage', 'disk full');
      },
      close: async () => {
        calls.push('close');
      },
    };
  }

  it('on SIGTERM runs onClose, checkpoints, closes the store, then exits 0', async () => {
    const calls: string[] = [];
    const exited = new Promise<number>((resolve) => {
      const uninstall = installShutdownHandlers(fakeStore(calls), () => void calls.push('onClose'), {
        exit: (code) => {
          uninstall();
          resolve(code);
        },
      });
    });
    process.emit('SIGTERM', 'SIGTERM');
    expect(await exited).toBe(0);
    expect(calls).toEqual(['onClose', 'checkpoint', 'close']);
  });

  it('exits 1 when closing fails', async () => {
    const calls: string[] = [];
    const stderr = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      const exited = new Promise<number>((resolve) => {
        const uninstall = installShutdownHandlers(fakeStore(calls, true), undefined, {
          exit: (code) => {
            uninstall();
            resolve(code);
          },
        });
      });
      process.emit('SIGINT', 'SIGINT');
      expect(await exited).toBe(1);
    } finally {
      process.stderr.write = stderr;
    }
  });
});
