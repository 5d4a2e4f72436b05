// A test subscriber on the IOC's MQTT channel: a persistent session (clean: false) at QoS 1, so what is
// published while it or the broker is away is queued for it, recording every message with its parsed payload.
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { waitFor } from '../../harness/waitFor.ts';

export interface ReceivedMessage {
  topic: string;
  retain: boolean;
  payload: Record<string, unknown> & { id: string; kind: string };
}

export interface TestSubscriber {
  received: ReceivedMessage[];
  client: MqttClient;
  /** Distinct message ids received. */
  ids(): Set<string>;
  close(): Promise<void>;
}

export async function subscribe(
  url: string,
  filters: string[],
  credentials: { username?: string; password?: string } = {},
): Promise<TestSubscriber> {
  const client = mqtt.connect(url, {
    clientId: `test-sub-${randomUUID().slice(0, 8)}`,
    clean: false,
    reconnectPeriod: 100,
    ...credentials,
  });
  const received: ReceivedMessage[] = [];
  client.on('message', (topic, payload, packet) => {
    received.push({ topic, retain: packet.retain, payload: JSON.parse(payload.toString('utf8')) });
  });
  await waitFor('subscriber connected', async () => client.connected, 10_000, 20);
  await client.subscribeAsync(filters, { qos: 1 });
  return {
    received,
    client,
    ids: () => new Set(received.map((m) => m.payload.id)),
    close: () => client.endAsync(true),
  };
}
