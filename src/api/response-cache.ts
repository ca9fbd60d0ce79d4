import type { MiddlewareHandler } from 'hono';

interface Entry {
  body: ArrayBuffer;
  status: number;
  headers: [string, string][];
}

/**
 * Keeps public GET answers in memory, keyed by the data version, today's date (answers default to `asOf` = today)
 * and the full URL. Only anonymous, successful, reasonably small answers are kept; the oldest go first.
 */
export function responseCache(options: {
  dataVersion: () => Promise<string>;
  today: () => string;
  maxEntries?: number;
  maxBytes?: number;
  /** All entries together (default 64 MB): the oldest go first beyond it. */
  maxTotalBytes?: number;
}): MiddlewareHandler {
  const maxEntries = options.maxEntries ?? 500;
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxTotalBytes = options.maxTotalBytes ?? 64 * 1024 * 1024;
  const entries = new Map<string, Entry>();
  let totalBytes = 0;
  const evictOldest = () => {
    const oldest = entries.keys().next().value!;
    totalBytes -= entries.get(oldest)!.body.byteLength;
    entries.delete(oldest);
  };
  let version = '';
  return async (c, next) => {
    if (c.req.method !== 'GET') return next();
    const current = await options.dataVersion();
    if (current !== version) {
      entries.clear();
      totalBytes = 0;
      version = current;
    }
    const key = `${options.today()}|${c.req.url}`;
    const hit = entries.get(key);
    if (hit) {
      // Refresh its place: the most used answers stay.
      entries.delete(key);
      entries.set(key, hit);
      return new Response(hit.body, { status: hit.status, headers: hit.headers });
    }
    await next();
    const response = c.res;
    if (response.status !== 200) return;
    const body = await response.clone().arrayBuffer();
    if (body.byteLength > maxBytes) return;
    if (entries.has(key)) return; // filled meanwhile by a concurrent request for the same URL
    while (entries.size > 0 && (entries.size >= maxEntries || totalBytes + body.byteLength > maxTotalBytes)) evictOldest();
    entries.set(key, { body, status: response.status, headers: [...response.headers.entries()] });
    totalBytes += body.byteLength;
  };
}
