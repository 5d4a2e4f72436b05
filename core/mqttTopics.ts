// The MQTT topic tree of the IOC event channel (documented in api/asyncapiDocument.ts and the README):
// ioc/v1/<district-slug>/cameras/<cameraId>/{alerts|counts|zones|status}, one district per subtree for broker ACLs,
// and ioc/v1/<district-slug>/reports (ioc/v1/_province/reports for the province's) when a report is archived.
export const MQTT_TOPIC_ROOT = 'ioc/v1';

export const MQTT_MESSAGE_KINDS = ['alert', 'counts', 'zones', 'status'] as const;
export type MqttMessageKind = (typeof MQTT_MESSAGE_KINDS)[number];

/** Kinds of payload on the channel: the camera kinds and a report made ready. */
export type MqttPayloadKind = MqttMessageKind | 'reportReady';

/** The sub-topic of each kind under a camera. */
const LEAF: Record<MqttMessageKind, string> = { alert: 'alerts', counts: 'counts', zones: 'zones', status: 'status' };

/**
 * A district name as a topic level: Vietnamese diacritics removed (đ → d), lower case, runs of anything
 * else joined by '-'. 'Ba Đình' → 'ba-dinh', 'Quận 1' → 'quan-1'. Never empty, never an MQTT wildcard.
 */
export function districtSlug(district: string): string {
  const slug = district
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'unknown';
}

export function cameraTopic(kind: MqttMessageKind, district: string, cameraId: string): string {
  return `${MQTT_TOPIC_ROOT}/${districtSlug(district)}/cameras/${cameraId}/${LEAF[kind]}`;
}

/** The topic level of the province's own reports: '_' never comes out of districtSlug, so no district can take it. */
export const PROVINCE_LEVEL = '_province';

/** Where a report's "ready" is published: under its district (an ACL on the district covers it), or the province's level. */
export function reportTopic(district: string | null): string {
  return `${MQTT_TOPIC_ROOT}/${district === null ? PROVINCE_LEVEL : districtSlug(district)}/reports`;
}

/** Everything of one district, as a subscriber (or an ACL pattern) writes it. */
export function districtFilter(district: string): string {
  return `${MQTT_TOPIC_ROOT}/${districtSlug(district)}/#`;
}

/** Retained online/offline of one publisher connection; its last will sets offline when the process dies. */
export function publisherStatusTopic(clientId: string): string {
  return `${MQTT_TOPIC_ROOT}/_system/publishers/${clientId}/status`;
}

/** Alert lifecycle events as MQTT carries them: a state change is named by the state it reached. */
export const MQTT_ALERT_EVENTS = ['raised', 'acknowledged', 'resolved', 'dismissed', 'reopened', 'ended'] as const;
export type MqttAlertEvent = (typeof MQTT_ALERT_EVENTS)[number];
