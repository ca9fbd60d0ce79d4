import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../model/errors.js';

/** What the lock file records about the process holding a PGlite data directory. */
export interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
  dataDir: string;
  /** Random per acquisition, so that release() removes only its own lock. */
  token: string;
}

export interface DataDirLock {
  readonly lockPath: string;
  readonly holder: LockHolder;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

/** Where the lock for a PGlite data directory lives: beside it, so that it also covers the directory's creation. */
export function lockPathFor(dataDir: string): string {
  const resolved = path.resolve(dataDir);
  return path.join(path.dirname(resolved), `${path.basename(resolved)}.lock`);
}

/** Lock files this process holds now: a lock naming our own PID but absent here is a previous incarnation's. */
const heldHere = new Map<string, LockHolder>();

/** A lock file that cannot be read yet may be one being written right now; older than this it is garbage. */
const UNREADABLE_GRACE_MS = 10_000;

/**
 * Takes the exclusive lock on a PGlite data directory: a file created with O_EXCL beside the directory, holding our
 * PID. PGlite itself lets two processes open one directory and then silently loses one side's commits, so a second
 * opener is refused with an AppError('conflict'). A lock left by a dead process is taken over.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const resolved = path.resolve(dataDir);
  const lockPath = lockPathFor(resolved);
  const holder: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    dataDir: resolved,
    token: randomUUID(),
  };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (tryCreateLockFile(lockPath, holder)) return registerLock(lockPath, holder);
    const existing = readLockFile(lockPath);
    if (existing === 'missing') continue; // released between our attempt and the read: try again
    if (existing === 'unreadable') {
      if (ageMs(lockPath) < UNREADABLE_GRACE_MS) throw conflictError(resolved, lockPath, undefined);
    } else if (holderIsAlive(lockPath, existing)) {
      throw conflictError(resolved, lockPath, existing);
    }
    takeOverStaleLock(lockPath, existing, resolved);
  }
  throw conflictError(resolved, lockPath, undefined);
}

/** Is the process named in a lock file still running? Unknown (another host) counts as alive: refuse, never steal. */
export function holderIsAlive(lockPath: string, holder: LockHolder): boolean {
  if (holder.hostname !== os.hostname()) return true;
  if (holder.pid === process.pid) {
    // Our PID: either this process holds it (alive), or an earlier process with the same PID (a restarted container
    // gives its main process the same PID every time) left it behind.
    return heldHere.get(lockPath)?.token === holder.token;
  }
  return processExists(holder.pid);
}

/** process.kill(pid, 0) sends nothing; it only asks whether the PID exists. EPERM: it exists, owned by someone else. */
export function processExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    if (code === 'EPERM') return true;
    throw error;
  }
}

function tryCreateLockFile(lockPath: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw unwritableError(path.dirname(lockPath), code);
  }
  try {
    fs.writeSync(fd, `${JSON.stringify(holder, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

function readLockFile(lockPath: string): LockHolder | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return 'unreadable';
    return {
      pid: parsed.pid,
      hostname: parsed.hostname,
      startedAt: String(parsed.startedAt ?? ''),
      dataDir: String(parsed.dataDir ?? ''),
      token: String(parsed.token ?? ''),
    };
  } catch {
    return 'unreadable';
  }
}

/**
 * Removes a stale lock so that the next O_EXCL create can succeed. Two processes may find the same stale lock at
 * once; a second O_EXCL file (the takeover guard) lets only one of them remove it, and the remover checks that the
 * lock is still the stale one it saw, so that a fresh lock taken meanwhile is never removed.
 */
function takeOverStaleLock(lockPath: string, stale: LockHolder | 'unreadable', dataDir: string): void {
  const guardPath = `${lockPath}.takeover`;
  let guard: number;
  try {
    guard = fs.openSync(guardPath, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Someone else is taking over; a guard left by a process killed mid-takeover is removed once it is old.
    if (ageMs(guardPath) > UNREADABLE_GRACE_MS) fs.rmSync(guardPath, { force: true });
    throw conflictError(dataDir, lockPath, undefined);
  }
  try {
    fs.writeSync(guard, String(process.pid));
    const current = readLockFile(lockPath);
    const unchanged =
      stale === 'unreadable'
        ? current === 'unreadable'
        : typeof current === 'object' && sameHolder(current, stale);
    if (unchanged) fs.rmSync(lockPath, { force: true });
  } finally {
    fs.closeSync(guard);
    fs.rmSync(guardPath, { force: true });
  }
}

function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.hostname === b.hostname && a.startedAt === b.startedAt && a.token === b.token;
}

function registerLock(lockPath: string, holder: LockHolder): DataDirLock {
  heldHere.set(lockPath, holder);
  let released = false;
  // A process that exits without close() (an uncaught error) still removes its lock; kill -9 leaves it, and the next
  // opener finds the PID dead.
  const onExit = (): void => release();
  process.once('exit', onExit);
  const release = (): void => {
    if (released) return;
    released = true;
    process.removeListener('exit', onExit);
    if (heldHere.get(lockPath)?.token === holder.token) heldHere.delete(lockPath);
    const current = readLockFile(lockPath);
    if (typeof current === 'object' && current.token === holder.token) fs.rmSync(lockPath, { force: true });
  };
  return { lockPath, holder, release };
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function conflictError(dataDir: string, lockPath: string, holder: LockHolder | undefined): AppError {
  const fix = 'or use ATT_DATABASE_URL with a PostgreSQL server for several processes';
  if (holder === undefined) {
    return new AppError(
      'conflict',
      `data directory ${dataDir} is being opened by another process (lock file ${lockPath})`,
      {
        hint: `wait for that process to finish starting and stop it, ${fix}`,
        details: { dataDir, lockPath },
      },
    );
  }
  const where = holder.hostname === os.hostname() ? '' : ` on host ${holder.hostname}`;
  const self = holder.pid === process.pid && holder.hostname === os.hostname();
  return new AppError(
    'conflict',
    self
      ? `data directory ${dataDir} is already open in this process (PID ${holder.pid}, lock file ${lockPath})`
      : `data directory ${dataDir} is in use by process ${holder.pid}${where} since ${holder.startedAt} (lock file ${lockPath})`,
    {
      hint: self
        ? 'close the other store first, or open it once and share it'
        : `stop process ${holder.pid}, ${fix}`,
      details: { dataDir, lockPath, pid: holder.pid, hostname: holder.hostname, startedAt: holder.startedAt },
    },
  );
}

/** The data directory cannot be written: a settings problem, so 'config', naming the variable to change. */
export function unwritableError(directory: string, code: string | undefined): AppError {
  return new AppError('config', `data directory ${directory} is not writable (${code ?? 'error'})`, {
    location: { parameter: 'ATT_DATA_DIR', value: directory },
    hint: 'set ATT_DATA_DIR to a writable directory, or fix its owner and permissions',
  });
}
