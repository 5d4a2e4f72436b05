// Camera source URLs: checked beyond the schema's pattern (a parsable URL with a host), and the
// credentials kept when a client sends back the redacted form it was given.
import { ValidationError } from './errors.ts';
import { redactUrlCredentials } from './redact.ts';

const PROTOCOLS = new Set(['rtsp:', 'rtsps:', 'rtmp:', 'rtmps:']);
const REDACTED = '***';

/** Throws a ValidationError naming `field` unless `url` is an rtsp(s)/rtmp(s) URL with a host. */
export function assertSourceUrl(url: string, field: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`${field} is not a valid URL`, { field });
  }
  if (!PROTOCOLS.has(parsed.protocol)) {
    throw new ValidationError(`${field} must be an rtsp:// or rtmp:// URL`, { field });
  }
  if (!parsed.hostname) throw new ValidationError(`${field} has no host`, { field });
  // Control characters can't reach a shell (ffmpeg is spawned with an argument array) but would corrupt logs.
  if (/[\u0000-\u001f\u007f]/.test(url)) throw new ValidationError(`${field} contains control characters`, { field });
}

/** When `incoming` carries the redacted `***:***@` the API handed out, put the stored credentials back. */
export function keepStoredCredentials(incoming: string, stored: string | null): string {
  const next = new URL(incoming);
  if (next.username !== REDACTED || !stored) return incoming;
  const previous = new URL(stored);
  next.username = previous.username;
  next.password = previous.password;
  return next.toString();
}

export function publicSourceUrl(url: string): string {
  return redactUrlCredentials(url);
}

export function sourceUrlHasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}
