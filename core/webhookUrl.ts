// Webhook target URLs: what a subscription may point at (http/https, no credentials, bounded), and the form
// that may appear in logs and audit entries (no query string: consumers often put their token there).
import { ValidationError } from './errors.ts';

export const WEBHOOK_URL_MAX_CHARS = 2048;
const PROTOCOLS = new Set(['http:', 'https:']);

/** Throws a ValidationError naming `field` unless `url` is an http(s) URL with a host and no user:pass@. */
export function assertWebhookUrl(url: string, field = 'url'): void {
  if (url.length > WEBHOOK_URL_MAX_CHARS) {
    throw new ValidationError(`${field} is longer than ${WEBHOOK_URL_MAX_CHARS} characters`, { field });
  }
  // Control characters would corrupt logs and headers; a URL parser silently strips some of them.
  if (/[\u0000-\u001f\u007f]/.test(url)) throw new ValidationError(`${field} contains control characters`, { field });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`${field} is not a valid URL`, { field });
  }
  if (!PROTOCOLS.has(parsed.protocol))
    throw new ValidationError(`${field} must be an http:// or https:// URL`, { field });
  if (!parsed.hostname) throw new ValidationError(`${field} has no host`, { field });
  // Credentials in the URL would be stored, returned and logged like any other part of it; the signature
  // header is how a consumer authenticates us, and a token belongs in the query string at worst.
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ValidationError(`${field} must not carry credentials (user:password@)`, { field });
  }
}

/** scheme://host[:port]/path of a webhook URL, for logs and audit entries: no credentials, query or fragment. */
export function publicWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '[invalid url]';
  }
}

/** Removes query strings and fragments from every http(s) URL inside `text` (error messages of fetch). */
export function scrubUrlQueries(text: string): string {
  return text.replace(/(https?:\/\/[^\s?#]*)[?#][^\s]*/gi, '$1');
}
