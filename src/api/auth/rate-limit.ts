/**
 * A fixed-window counter in memory: at most `limit` hits per key per window. Enough for one server process (API
 * keys); several processes would need the counts in the database.
 */
export function fixedWindowLimiter(options: { limit: number; windowMs: number; maxKeys?: number }) {
  const windows = new Map<string, { start: number; count: number }>();
  const maxKeys = options.maxKeys ?? 10_000;
  return {
    /** Counts a hit; `retryAfterSeconds` is set when the key is over its limit. */
    hit(key: string, nowMs: number): { allowed: boolean; retryAfterSeconds: number } {
      let window = windows.get(key);
      if (!window || nowMs - window.start >= options.windowMs) {
        if (!window && windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        window = { start: nowMs, count: 0 };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count <= options.limit) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + options.windowMs - nowMs) / 1000)) };
    },
  };
}
