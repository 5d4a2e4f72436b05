// Names of the Redis keys and pub/sub channels that processes share, in one place so the API,
// ingest and the analyzer never disagree on a spelling. Every name carries the deployment prefix.

export function cameraChangesChannel(prefix: string): string {
  return `${prefix}:cameras:changed`;
}
