import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is test/support/server-process.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment variables for the server. */
  env?: Record<string, string>;
  /** How long to wait for the "listening" line (PGlite creates its database on first start: seconds). */
  timeoutMs?: number;
  /**
   * Files to import into the fresh data directory before serving, with the CLI (`att import <source> <file>`), in
   * order: e.g. `[['sipri', 'test/fixtures/sipri/delivery-rows.csv']]`. Paths are relative to the repository.
   */
  imports?: readonly (readonly [source: string, file: string])[];
  /**
   * A Secretariat account created with the CLI before serving (`att accounts create-secretariat`), as the README
   * tells an operator to do. Other accounts are made through the API (test/support/api-session.ts).
   */
  secretariat?: { email: string; password: string; name?: string };
}

const run = promisify(execFile);

const LISTENING = /ATT Observatory listening on (https?:\/\/\S+)/;

/**
 * Starts `node bin/att.js serve` as a child process on a free port (ATT_PORT=0) with a fresh, empty data directory,
 * and resolves with its URL once it prints `ATT Observatory listening on http://127.0.0.1:PORT`. `imports` are loaded
 * into that directory first. Needs the build (`npm run build`; `npm test` builds first). `stop()` sends SIGTERM and
 * removes the data directory.
 */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'att-e2e-'));
  // Tests register many researchers from 127.0.0.1: lift the per-address registration limit unless a test sets it.
  const env = { ...process.env, ATT_DATA_DIR: dataDir, ATT_REGISTRATIONS_PER_HOUR: '10000', ...options.env };
  try {
    for (const [source, file] of options.imports ?? []) {
      await run(
        process.execPath,
        [path.join(REPO_ROOT, 'bin/att.js'), 'import', source, path.join(REPO_ROOT, file)],
        {
          cwd: REPO_ROOT,
          env,
          timeout: options.timeoutMs ?? 90_000,
        },
      );
    }
    if (options.secretariat) {
      const { email, password, name } = options.secretariat;
      await run(
        process.execPath,
        [path.join(REPO_ROOT, 'bin/att.js'), 'accounts', 'create-secretariat', '--email', email, '--name', name ?? 'ATT Secretariat'],
        { cwd: REPO_ROOT, env: { ...env, ATT_NEW_PASSWORD: password }, timeout: options.timeoutMs ?? 90_000 },
      );
    }
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`importing the fixtures failed: ${(error as Error).message}`, { cause: error });
  }
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/att.js'), 'serve'], {
    cwd: REPO_ROOT,
    env: { ...env, ATT_PORT: '0', ATT_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => (output += chunk));

  const cleanup = async () => {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `the server did not print its "listening" line within ${options.timeoutMs ?? 90_000} ms. Output:\n${output}`,
            ),
          ),
        options.timeoutMs ?? 90_000,
      );
      child.stdout?.on('data', (chunk: string) => {
        output += chunk;
        const match = LISTENING.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!.replace(/\/$/, ''));
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          new Error(
            `the server exited (code ${code}, signal ${signal}) before listening. Output:\n${output}`,
          ),
        );
      });
    });
    return { url, output: () => output, stop: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
