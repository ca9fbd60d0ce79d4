import { performance } from 'node:perf_hooks';

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
