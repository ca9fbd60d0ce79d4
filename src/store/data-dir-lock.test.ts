import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/engines.js';
import { AppError } from '../model/errors.js';
import { acquireDataDirLock, lockPathFor, processExists, type DataDirLock } from './data-dir-lock.js';

const held: DataDirLock[] = [];
const directories: string[] = [];

function dataDir(): string {
  const root = temporaryDirectory('att-lock-');
  directories.push(root);
  return path.join(root, 'pglite');
}

function acquire(dir: string): DataDirLock {
  const lock = acquireDataDirLock(dir);
  held.push(lock);
  return lock;
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

function writeLock(dir: string, fields: Record<string, unknown>): void {
  fs.writeFileSync(
    lockPathFor(dir),
    JSON.stringify({ hostname: os.hostname(), startedAt: 'then', dataDir: dir, token: 't', ...fields }),
  );
}

afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
  for (const directory of directories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
});

describe('the data directory lock', () => {
  it('is a file beside the data directory recording our PID, host and start time, removed on release', () => {
    const dir = dataDir();
    const lock = acquire(dir);
    expect(lock.lockPath).toBe(path.join(path.dirname(dir), 'pglite.lock'));
    expect(JSON.parse(fs.readFileSync(lock.lockPath, 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: os.hostname(),
      dataDir: dir,
    });
    lock.release();
    lock.release();
    expect(fs.existsSync(lock.lockPath)).toBe(false);
  });

  it('refuses a second holder in the same process', () => {
    const dir = dataDir();
    acquire(dir);
    expect(() => acquire(dir)).toThrow(AppError);
    expect(() => acquire(dir)).toThrow(/already open in this process/);
  });

  it('refuses while a live process holds it, naming its PID, the directory and the fix', () => {
    const dir = dataDir();
    const parent = process.ppid; // alive for as long as this test runs
    writeLock(dir, { pid: parent });
    let error: unknown;
    try {
      acquire(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('conflict');
    expect(appError.message).toContain(`process ${parent}`);
    expect(appError.message).toContain(dir);
    expect(appError.hint).toBe(
      `stop process ${parent}, or use ATT_DATABASE_URL with a PostgreSQL server for several processes`,
    );
    expect(JSON.parse(fs.readFileSync(lockPathFor(dir), 'utf8'))).toMatchObject({ pid: parent });
  });

  it('takes over a lock whose process has exited', async () => {
    const dir = dataDir();
    const pid = await deadPid();
    expect(processExists(pid)).toBe(false);
    writeLock(dir, { pid });
    const lock = acquire(dir);
    expect(JSON.parse(fs.readFileSync(lock.lockPath, 'utf8'))).toMatchObject({
      pid: process.pid,
      token: lock.holder.token,
    });
    expect(fs.existsSync(`${lock.lockPath}.takeover`)).toBe(false);
  });

  it('takes over a lock with our own PID that this process does not hold (a restarted container reuses PIDs)', () => {
    const dir = dataDir();
    writeLock(dir, { pid: process.pid, token: 'previous-run' });
    const lock = acquire(dir);
    expect(lock.holder.token).not.toBe('previous-run');
  });

  it('treats a lock held on another host as alive: it never steals across hosts', () => {
    const dir = dataDir();
    writeLock(dir, { pid: 1, hostname: 'some-other-host' });
    expect(() => acquire(dir)).toThrow(/process 1 on host some-other-host/);
  });

  it('treats an unreadable lock as being written, and takes it over once it is old', () => {
    const dir = dataDir();
    fs.writeFileSync(lockPathFor(dir), '');
    expect(() => acquire(dir)).toThrow(/being opened by another process/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockPathFor(dir), old, old);
    expect(acquire(dir).holder.pid).toBe(process.pid);
  });

  it('does not remove a lock that another holder has taken since', () => {
    const dir = dataDir();
    const lock = acquire(dir);
    writeLock(dir, { pid: process.ppid, token: 'someone-else' });
    lock.release();
    expect(JSON.parse(fs.readFileSync(lockPathFor(dir), 'utf8'))).toMatchObject({ token: 'someone-else' });
  });

  it('reports a directory where the lock cannot be created as a config error naming ATT_DATA_DIR', () => {
    const root = temporaryDirectory('att-lock-');
    directories.push(root);
    const missingParent = path.join(root, 'missing', 'pglite');
    expect(() => acquire(missingParent)).toThrow(expect.objectContaining({ code: 'config' }) as Error);
    try {
      acquire(missingParent);
    } catch (error) {
      expect((error as AppError).describe()).toContain('ATT_DATA_DIR');
      expect((error as AppError).describe()).toContain(path.join(root, 'missing'));
    }
  });
});

describe('processExists', () => {
  it('says yes for this process and no for an exited one', async () => {
    expect(processExists(process.pid)).toBe(true);
    expect(processExists(await deadPid())).toBe(false);
    expect(processExists(0)).toBe(false);
    expect(processExists(-5)).toBe(false);
  });
});
