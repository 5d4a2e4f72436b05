-- The MQTT outbox: one row per message to publish (alert lifecycle, minute counts, zone statistics, camera
-- availability), written in the transaction of the change it announces and published at QoS 1 by the
-- publisher, which marks it. message_id is derived from the content, so a replayed write adds nothing.
CREATE TABLE mqtt_outbox (
  id               bigserial PRIMARY KEY,
  message_id       text NOT NULL UNIQUE,           -- stable id carried in the payload: duplicates are recognisable
  topic            text NOT NULL,
  payload          jsonb NOT NULL,
  retain           boolean NOT NULL DEFAULT false,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  published_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mqtt_outbox_pending ON mqtt_outbox (id) WHERE state = 'pending';
CREATE INDEX mqtt_outbox_published ON mqtt_outbox (published_at) WHERE state = 'published';
