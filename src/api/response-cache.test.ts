import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { responseCache } from './response-cache.js';

function appWith(version: { value: string }, today = { value: '2026-11-24' }) {
  let calls = 0;
  const app = new Hono();
  app.use('*', responseCache({ dataVersion: async () => version.value, today: () => today.value }));
  app.get('/count', (c) => c.json({ calls: ++calls }));
  app.get('/missing', (c) => c.json({ error: 'no' }, 404));
  return app;
}

describe('the response cache', () => {
  it('answers a repeated GET from memory while the data version stays the same', async () => {
    const version = { value: 'v1' };
    const app = appWith(version);
    expect(await (await app.request('/count')).json()).toEqual({ calls: 1 });
    expect(await (await app.request('/count')).json()).toEqual({ calls: 1 });
    version.value = 'v2';
    expect(await (await app.request('/count')).json()).toEqual({ calls: 2 });
  });

  it('keys answers by the date, since answers default to asOf = today', async () => {
    const today = { value: '2026-11-24' };
    const app = appWith({ value: 'v1' }, today);
    await app.request('/count');
    today.value = '2026-11-25';
    expect(await (await app.request('/count')).json()).toEqual({ calls: 2 });
  });

  it('never keeps an error answer', async () => {
    const app = appWith({ value: 'v1' });
    expect((await app.request('/missing')).status).toBe(404);
    expect((await app.request('/missing')).status).toBe(404);
  });

  it('keeps the total size under its budget by letting the oldest answers go', async () => {
    const calls = new Map<string, number>();
    const app = new Hono();
    app.use('*', responseCache({ dataVersion: async () => 'v1', today: () => '2026-11-24', maxTotalBytes: 2_500 }));
    app.get('/blob/:n', (c) => {
      const n = c.req.param('n');
      calls.set(n, (calls.get(n) ?? 0) + 1);
      return c.text('x'.repeat(1_000));
    });
    for (const n of ['1', '2', '3']) await app.request(`/blob/${n}`);
    // 3 x 1,000 bytes do not fit in 2,500: the first answer was let go, the last two are kept.
    for (const n of ['2', '3', '1']) await app.request(`/blob/${n}`);
    expect(Object.fromEntries(calls)).toEqual({ '1': 2, '2': 1, '3': 1 });
  });
});
