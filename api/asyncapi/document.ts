// The AsyncAPI 3.0 description of the MQTT channel (topic tree, payloads, QoS, retained topics), served at
// /asyncapi.json beside the OpenAPI /docs. Payload schemas come from api/schemas/mqtt.ts, written once.
import type { TSchema } from 'typebox';
import { MQTT_TOPIC_ROOT, PROVINCE_LEVEL } from '../../core/mqttTopics.ts';
import {
  MqttAlertPayload,
  MqttCountsPayload,
  MqttPublisherStatusPayload,
  MqttReportReadyPayload,
  MqttStatusPayload,
  MqttZonesPayload,
} from '../schemas/mqtt.ts';

export interface AsyncApiOptions {
  /** The broker a subscriber connects to, as configured (mqtt.url); credentials never appear. */
  brokerUrl: string;
}

const CAMERA_PARAMETERS = {
  district: {
    description: 'District slug: the name without diacritics, lower case, words joined by "-" (Ba Đình → ba-dinh)',
  },
  cameraId: { description: 'Camera id (uuid)' },
};

interface ChannelSpec {
  name: string;
  leaf: string;
  title: string;
  description: string;
  payload: TSchema;
  retained?: boolean;
}

const CHANNELS: readonly ChannelSpec[] = [
  {
    name: 'alerts',
    leaf: 'alerts',
    title: 'Alert lifecycle',
    description: 'Every change of an alert: raised, acknowledged, resolved, dismissed, ended, reopened.',
    payload: MqttAlertPayload,
  },
  {
    name: 'counts',
    leaf: 'counts',
    title: 'Minute counts per line',
    description: 'Vehicles and people crossing each counting line, per UTC minute, by direction and class.',
    payload: MqttCountsPayload,
  },
  {
    name: 'zones',
    leaf: 'zones',
    title: 'Zone statistics per minute',
    description: 'Occupancy (and crowd density where measured) of each zone, per UTC minute and class.',
    payload: MqttZonesPayload,
  },
  {
    name: 'status',
    leaf: 'status',
    title: 'Camera availability',
    description:
      "A camera's ingest state on each change, and unreported when ingest wrote nothing for 30 s (ingest down); retained.",
    payload: MqttStatusPayload,
    retained: true,
  },
];

function plain(schema: TSchema): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

function safeBroker(url: string): { host: string; protocol: string } {
  const parsed = new URL(url);
  return {
    host: parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname,
    protocol: parsed.protocol.replace(/:$/, ''),
  };
}

export function asyncApiDocument(options: AsyncApiOptions): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const channel of CHANNELS) {
    const messageName = `${channel.name}Message`;
    messages[messageName] = {
      name: messageName,
      title: channel.title,
      contentType: 'application/json',
      payload: plain(channel.payload),
      bindings: { mqtt: { bindingVersion: '0.2.0' } },
    };
    channels[channel.name] = {
      address: `${MQTT_TOPIC_ROOT}/{district}/cameras/{cameraId}/${channel.leaf}`,
      title: channel.title,
      description: channel.description,
      parameters: CAMERA_PARAMETERS,
      messages: { [messageName]: { $ref: `#/components/messages/${messageName}` } },
    };
    operations[`publish${channel.name[0]!.toUpperCase()}${channel.name.slice(1)}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channel.name}` },
      bindings: { mqtt: { qos: 1, retain: channel.retained ?? false, bindingVersion: '0.2.0' } },
    };
  }
  messages.publisherStatusMessage = {
    name: 'publisherStatusMessage',
    title: 'Publisher status',
    contentType: 'application/json',
    payload: plain(MqttPublisherStatusPayload),
  };
  channels.publisherStatus = {
    address: `${MQTT_TOPIC_ROOT}/_system/publishers/{clientId}/status`,
    title: 'Publisher status',
    description: 'Retained online/offline of each IOC publisher connection; offline is also its MQTT last will.',
    parameters: { clientId: { description: "The publisher's MQTT client id (config mqtt.clientId)" } },
    messages: { publisherStatusMessage: { $ref: '#/components/messages/publisherStatusMessage' } },
  };
  messages.reportsMessage = {
    name: 'reportsMessage',
    title: 'Report ready',
    contentType: 'application/json',
    payload: plain(MqttReportReadyPayload),
    bindings: { mqtt: { bindingVersion: '0.2.0' } },
  };
  channels.reports = {
    address: `${MQTT_TOPIC_ROOT}/{district}/reports`,
    title: 'Report ready',
    description:
      'A report archived (daily, weekly, monthly; on demand or by the schedule): id, scope, range, sha256 and download paths. ' +
      `A district's report is under its district; the province's under ${MQTT_TOPIC_ROOT}/${PROVINCE_LEVEL}/reports.`,
    parameters: {
      district: {
        description: `${CAMERA_PARAMETERS.district.description}; ${PROVINCE_LEVEL} for the province's reports`,
      },
    },
    messages: { reportsMessage: { $ref: '#/components/messages/reportsMessage' } },
  };
  operations.publishReports = {
    action: 'send',
    channel: { $ref: '#/channels/reports' },
    bindings: { mqtt: { qos: 1, retain: false, bindingVersion: '0.2.0' } },
  };
  operations.publishPublisherStatus = {
    action: 'send',
    channel: { $ref: '#/channels/publisherStatus' },
    bindings: { mqtt: { qos: 1, retain: true, bindingVersion: '0.2.0' } },
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'IOC Vision event channel',
      version: '1.0.0',
      description: [
        'Alerts, per-minute counts, zone statistics, camera availability and reports made ready by the IOC traffic module, published over MQTT at QoS 1.',
        'Messages are written to an outbox in the same transaction as the change they announce and published until the broker acknowledges them:',
        'nothing is lost across a broker or IOC restart, and a message may arrive more than once with the same `id` (deduplicate on it).',
        'One subtree per district (`ioc/v1/<district>/#`) so a broker ACL can restrict a subscriber to its districts. Times are UTC.',
      ].join(' '),
    },
    defaultContentType: 'application/json',
    servers: {
      ioc: { ...safeBroker(options.brokerUrl), description: "The deployment's MQTT broker (config mqtt.url)" },
    },
    channels,
    operations,
    components: { messages },
  };
}
