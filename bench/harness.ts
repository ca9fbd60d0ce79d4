import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../src/settings.js';

export interface Timing {
  name: string;
  runs: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  totalMs: number;
}

/** Times `fn` `runs` times after `warmup` untimed runs; reports percentiles in milliseconds. */
export async function measure(name: string, fn: () => unknown, runs = 500, warmup = 50): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const totalMs = performance.now() - start;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { name, runs, p50Ms: at(0.5), p99Ms: at(0.99), meanMs: totalMs / runs, totalMs };
}

/**
 * Times several functions side by side: each round calls every one of them once, in turn, so that a change in the
 * machine's load (2 shared cores here) falls on all of them alike and their ratio stays meaningful.
 */
export async function measureSideBySide(
  contenders: readonly { name: string; fn: () => unknown }[],
  runs = 500,
  warmup = 50,
): Promise<Timing[]> {
  for (let i = 0; i < warmup; i++) for (const c of contenders) await c.fn();
  const samples = contenders.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of contenders.entries()) {
      const t0 = performance.now();
      await c.fn();
      samples[k]!.push(performance.now() - t0);
    }
  }
  return contenders.map((c, k) => {
    const sorted = samples[k]!.sort((a, b) => a - b);
    const totalMs = sorted.reduce((a, b) => a + b, 0);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { name: c.name, runs, p50Ms: at(0.5), p99Ms: at(0.99), meanMs: totalMs / runs, totalMs };
  });
}

export function printTiming(t: Timing): void {
  console.log(
    `  ${t.name.padEnd(52)} runs ${String(t.runs).padStart(6)}  p50 ${t.p50Ms.toFixed(3).padStart(8)} ms  p99 ${t.p99Ms.toFixed(3).padStart(8)} ms  total ${t.totalMs.toFixed(0).padStart(7)} ms`,
  );
}

export function printRatio(label: string, numerator: number, denominator: number, goal?: string): void {
  console.log(
    `  ratio ${label.padEnd(46)} ${(numerator / denominator).toFixed(2)}x${goal ? `  (goal ${goal})` : ''}`,
  );
}

/**
 * Starts `att serve` (or the given node arguments) in a second process on a free port, and resolves `ready` with its
 * base URL once it says where it listens. The child is exposed for its pid (memory sampling).
 */
export function startServerProcess(args: string[], env: Record<string, string>): { ready: Promise<string>; child: ChildProcess; stop: () => void } {
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ATT_PORT: '0', ATT_HOST: '127.0.0.1', ATT_DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { ready, child, stop: () => child.kill('SIGTERM') };
}
