-- Archived reports (daily, weekly, monthly; one district or the whole province): the PDF and CSV as made,
-- their sha256, who made them and the data range. One report per kind, scope and period: a schedule that
-- fires twice, or runs again after a restart, finds the row and makes nothing.
CREATE TABLE reports (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind         text NOT NULL CHECK (kind IN ('daily', 'weekly', 'monthly')),
  district     text,                               -- null = the whole province
  scope_key    text NOT NULL,                      -- the district, or '*' for the province (unique key)
  period_from  timestamptz NOT NULL,               -- data range [from, to), UTC
  period_to    timestamptz NOT NULL,
  language     text NOT NULL DEFAULT 'vi',
  made_by      text NOT NULL,                      -- 'scheduler', or the user / API key that asked
  made_at      timestamptz NOT NULL DEFAULT now(),
  summary      jsonb NOT NULL,                     -- the figures the documents show
  pdf          bytea NOT NULL,
  pdf_sha256   text NOT NULL,
  csv          bytea NOT NULL,
  csv_sha256   text NOT NULL,
  UNIQUE (kind, scope_key, period_from)
);
CREATE INDEX reports_period ON reports (period_from DESC);
