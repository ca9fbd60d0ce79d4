import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, '..', '..');

export interface StoreChild {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Lines printed so far on stdout. */
  readonly lines: string[];
  /** Resolves with the first stdout line starting with `prefix`; rejects if the child exits first or on timeout. */
  waitForLine(prefix: string, timeoutMs?: number): Promise<string>;
  /** Resolves when the child has exited (and has been reaped, so its PID is gone). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything printed on stderr, for failure messages. */
  stderr(): string;
}

/** Starts test/support/store-child.ts in a new Node process (through tsx, as the CLI runs in development). */
export function spawnStoreChild(args: string[]): StoreChild {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'store-child.ts'), ...args], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (child.pid === undefined) throw new Error('could not start the child process');
  const lines: string[] = [];
  let stderr = '';
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (line.startsWith(waiter.prefix)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    pid: child.pid,
    lines,
    exited,
    stderr: () => stderr,
    waitForLine(prefix, timeoutMs = 30_000) {
      const seen = lines.find((line) => line.startsWith(prefix));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `child printed no "${prefix}" within ${timeoutMs} ms; stdout: ${lines.join(' | ')}; stderr: ${stderr}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          prefix,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(
            new Error(
              `child exited (${code ?? signal}) before "${prefix}"; stdout: ${lines.join(' | ')}; stderr: ${stderr}`,
            ),
          );
        });
      });
    },
  };
}
