// Camera credentials live inside RTSP/RTMP URLs (rtsp://user:pass@host). They are stored, but
// never returned by the API nor written to a log: everything that leaves the process goes through here.

// The scheme is bounded (32 chars): unbounded, a long run of letters made every position rescan the run,
// quadratic time on hostile input that reaches a log line (70 KB of letters took seconds).
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]{0,31}:\/\/)([^\s/@:]*)(?::[^\s/@]*)?@/gi;

/** Replaces `user:pass@` in every URL inside `text` with `***:***@`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (_match, scheme: string) => `${scheme}***:***@`);
}

/** True when the URL carries a user or password. */
export function hasUrlCredentials(url: string): boolean {
  URL_CREDENTIALS.lastIndex = 0;
  const found = URL_CREDENTIALS.test(url);
  URL_CREDENTIALS.lastIndex = 0;
  return found;
}

/** Nesting kept in a log payload: a hostile, deeply nested request body must not overflow the stack. */
const MAX_DEPTH = 32;

/** Deep copy of a log payload with credentials redacted in every string. Handles cycles, Errors and deep nesting. */
export function redactDeep(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return redactUrlCredentials(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) {
    const copy: Record<string, unknown> = {
      type: value.name,
      message: redactUrlCredentials(value.message),
      stack: value.stack ? redactUrlCredentials(value.stack) : undefined,
    };
    for (const [key, inner] of Object.entries(value)) copy[key] = redactDeep(inner, seen, depth + 1);
    return copy;
  }
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, seen, depth + 1));
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = redactDeep(inner, seen, depth + 1);
  return copy;
}
