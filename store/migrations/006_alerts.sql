-- Alerts: per-camera rules, the alerts the analyzer raises (one row per deterministic key, so a replayed
-- signal is applied once), their audit trail, evidence, and webhook subscriptions with an outbox of
-- deliveries written in the same transaction as the alert change they announce.
CREATE TABLE alert_rules (
  camera_id   uuid PRIMARY KEY REFERENCES cameras (id) ON DELETE CASCADE,
  rules       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alerts (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key              text NOT NULL UNIQUE,           -- camera:rule:subject:start (event time): idempotent raise
  camera_id        uuid NOT NULL,                  -- no foreign key: an alert and its evidence outlive a removed camera
  camera_name      text NOT NULL DEFAULT '',       -- the camera's name when raised (shown after a removal)
  district         text NOT NULL,                  -- the camera's district when raised (scope filter)
  rule_id          text NOT NULL,
  type             text NOT NULL,
  severity         text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  subject          text NOT NULL,
  summary          text NOT NULL,
  details          jsonb NOT NULL DEFAULT '{}',
  state            text NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'acknowledged', 'resolved', 'dismissed')),
  active           boolean NOT NULL DEFAULT true,
  started_at       timestamptz NOT NULL,           -- event (capture) time the condition began
  last_seen_at     timestamptz NOT NULL,
  ended_at         timestamptz,
  raised_at        timestamptz NOT NULL DEFAULT now(),
  occurrences      integer NOT NULL DEFAULT 1,
  assignee         text,
  resolution_note  text,
  evidence         jsonb,                          -- AlertEvidence of the raise (frame seq, boxes, zone/line)
  clip_state       text NOT NULL DEFAULT 'pending' CHECK (clip_state IN ('pending', 'ready', 'unavailable')),
  retain_until     timestamptz,                    -- evidence kept until then once resolved or dismissed
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_started ON alerts (started_at DESC, id DESC);
CREATE INDEX alerts_camera_started ON alerts (camera_id, started_at DESC);
CREATE INDEX alerts_open ON alerts (state) WHERE state IN ('new', 'acknowledged');
-- At most one active alert per camera, rule and subject: the dedup rule, enforced by the database too.
CREATE UNIQUE INDEX alerts_one_active ON alerts (camera_id, rule_id, subject) WHERE active;

CREATE TABLE alert_history (
  id          bigserial PRIMARY KEY,
  alert_id    uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('system', 'user', 'apiKey')),
  actor       text NOT NULL,
  action      text NOT NULL,
  note        text
);
CREATE INDEX alert_history_alert ON alert_history (alert_id, id);

CREATE TABLE alert_snapshots (
  alert_id     uuid PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
  jpeg         bytea NOT NULL,
  captured_at  timestamptz NOT NULL
);

CREATE TABLE webhooks (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL UNIQUE,
  url           text NOT NULL,
  secret        text NOT NULL,                     -- HMAC key: never returned after creation
  districts     text[],                            -- null = every district
  types         text[],                            -- null = every alert type
  min_severity  text NOT NULL DEFAULT 'info' CHECK (min_severity IN ('info', 'warning', 'critical')),
  enabled       boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  webhook_id       uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  alert_id         uuid NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  event            text NOT NULL,                  -- raised, ended, stateChanged
  payload          jsonb NOT NULL,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  last_status      integer,
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_alert ON webhook_deliveries (alert_id);
