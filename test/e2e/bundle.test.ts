import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/server-process.js';

const DIST = path.join(REPO_ROOT, 'web/dist');
const BUDGET_GZIP = 150 * 1024;

describe('web bundle (web/dist, built by npm run build)', () => {
  it('keeps the JavaScript loaded by index.html within 150 kB gzip', () => {
    const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map(
      (m) => m[1]!,
    );
    expect(scripts.length).toBeGreaterThan(0);
    const total = scripts.reduce(
      (sum, file) => sum + gzipSync(readFileSync(path.join(DIST, file))).length,
      0,
    );
    expect(total).toBeLessThanOrEqual(BUDGET_GZIP);
  });

  it('fetches the map topology as a file instead of bundling it into the JavaScript', () => {
    const assets = readdirSync(path.join(DIST, 'assets'));
    expect(assets.some((file) => /^countries-110m-.*\.json$/.test(file))).toBe(true);
    for (const file of assets.filter((f) => f.endsWith('.js'))) {
      expect(readFileSync(path.join(DIST, 'assets', file), 'utf8')).not.toContain('"arcs"');
    }
    const centroids = JSON.parse(readFileSync(path.join(DIST, 'map/centroids.json'), 'utf8')) as {
      centroids: Record<string, number[]>;
    };
    // Tuvalu has no polygon in world-atlas 50m or 110m: its marker comes from the 10m file.
    expect(centroids.centroids['798']).toHaveLength(2);
  });
});
