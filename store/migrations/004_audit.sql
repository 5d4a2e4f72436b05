-- Who did what, when, from where: logins, configuration changes, video and frame access. Append-only
-- from the application's side (no UPDATE or DELETE anywhere in the code).
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_kind  text NOT NULL CHECK (actor_kind IN ('user', 'apiKey', 'anonymous', 'system')),
  actor_id    uuid,
  actor_name  text NOT NULL,
  action      text NOT NULL,
  target      text,
  outcome     text NOT NULL CHECK (outcome IN ('success', 'failure', 'refused')),
  ip          text,
  detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
