-- Users, sessions, API keys and login throttling. Secrets are stored only as hashes: passwords as
-- scrypt (salted, memory-hard), session tokens and API keys as sha256 of 256 random bits.
CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username            text NOT NULL,
  password_hash       text NOT NULL,
  role                text NOT NULL CHECK (role IN ('admin', 'police', 'transport', 'viewer')),
  districts           text[],            -- NULL = the whole province
  disabled            boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_username_unique UNIQUE (username)
);

CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  role         text NOT NULL CHECK (role IN ('admin', 'police', 'transport', 'viewer')),
  districts    text[],
  created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Attempts per account name (known or not, so probing names learns nothing) within the current window.
CREATE TABLE login_throttle (
  username     text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  attempts     integer NOT NULL,
  locked_until timestamptz
);
