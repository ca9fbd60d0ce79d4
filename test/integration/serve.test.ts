import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = path.resolve('bin/att.js');

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts the built `att serve` on a free port and waits for its "listening" line. */
function startServer(env: Record<string, string>): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: { ...process.env, ATT_PORT: '0', ATT_HOST: '127.0.0.1', ATT_DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.on('exit', (code) =>
      reject(Object.assign(new Error(`server exited with ${code}: ${output}`), { code, output })),
    );
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

describe('att serve', () => {
  let dataDir: string;
  let first: Running;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'att-serve-'));
    first = await startServer({ ATT_DATA_DIR: dataDir });
  }, 120_000);

  afterAll(async () => {
    if (first?.child.exitCode === null) first.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the API and the web app on the port it prints', async () => {
    const api = await fetch(`${first.url}/v1/treaty/status?asOf=2015-08-24&_size=1`);
    expect(api.status).toBe(200);
    expect(
      ((await api.json()) as { summary: { counts: { deposited: number } } }).summary.counts.deposited,
    ).toBe(72);
    const page = await fetch(`${first.url}/states/FRA`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<!doctype html>'.slice(0, 5));
  });

  it('refuses a second server on the same data directory, naming the PID that holds it', async () => {
    const error = (await startServer({ ATT_DATA_DIR: dataDir }).then(
      (second) => {
        second.child.kill('SIGKILL');
        throw new Error('the second server started');
      },
      (e: { code: number; output: string }) => e,
    )) as { code: number; output: string };
    expect(error.code).toBe(1);
    expect(error.output).toContain(String(first.child.pid));
    expect(error.output).not.toMatch(/\n\s+at /);
    // The first server is unharmed.
    const api = await fetch(`${first.url}/v1/states/FRA`);
    expect(api.status).toBe(200);
  });

  it('checkpoints and exits 0 on SIGTERM, and the data directory opens again', async () => {
    first.child.kill('SIGTERM');
    expect(await exitOf(first.child)).toBe(0);
    const again = await startServer({ ATT_DATA_DIR: dataDir });
    try {
      expect((await fetch(`${again.url}/v1/states/FRA`)).status).toBe(200);
    } finally {
      again.child.kill('SIGTERM');
      await exitOf(again.child);
    }
  });
});
