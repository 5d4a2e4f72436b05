-- Per-minute traffic counts and zone statistics, written once per key by idempotent upserts
-- (a retried or restarted analyzer replaces a minute's row, never adds to it). Sums and sample
-- counts are stored instead of means so that rollups to 15 min / 1 h / 1 day average correctly.

ALTER TABLE cameras ADD COLUMN analysis jsonb NOT NULL DEFAULT '{"lines": [], "zones": []}'::jsonb;

DO $$
DECLARE
  timescale boolean := EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb');
  partition_clause text := CASE WHEN timescale THEN '' ELSE 'PARTITION BY RANGE (minute)' END;
BEGIN
  EXECUTE format($sql$
    CREATE TABLE traffic_counts (
      minute          timestamptz NOT NULL,
      camera_id       uuid NOT NULL,
      line_id         text NOT NULL,
      direction       text NOT NULL,
      class           text NOT NULL,
      count           integer NOT NULL CHECK (count >= 0),
      speed_sum_kmh   double precision NOT NULL DEFAULT 0,
      speed_samples   integer NOT NULL DEFAULT 0,
      written_at      timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (camera_id, line_id, direction, class, minute)
    ) %s$sql$, partition_clause);

  EXECUTE format($sql$
    CREATE TABLE zone_stats (
      minute            timestamptz NOT NULL,
      camera_id         uuid NOT NULL,
      zone_id           text NOT NULL,
      class             text NOT NULL,
      occupancy_sum     double precision NOT NULL,
      occupancy_max     integer NOT NULL,
      samples           integer NOT NULL CHECK (samples > 0),
      density_sum       double precision,
      written_at        timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (camera_id, zone_id, class, minute)
    ) %s$sql$, partition_clause);

  IF timescale THEN
    PERFORM create_hypertable('traffic_counts', 'minute', chunk_time_interval => interval '7 days');
    PERFORM create_hypertable('zone_stats', 'minute', chunk_time_interval => interval '7 days');
    EXECUTE 'ALTER TABLE traffic_counts SET (timescaledb.compress, timescaledb.compress_segmentby = ''camera_id'')';
    EXECUTE 'ALTER TABLE zone_stats SET (timescaledb.compress, timescaledb.compress_segmentby = ''camera_id'')';
    PERFORM add_compression_policy('traffic_counts', interval '7 days');
    PERFORM add_compression_policy('zone_stats', interval '7 days');
    PERFORM add_retention_policy('traffic_counts', interval '400 days');
    PERFORM add_retention_policy('zone_stats', interval '400 days');
  ELSE
    -- Plain PostgreSQL: monthly partitions are created ahead by store/partitions.ts; the default
    -- partition catches anything outside them so a write is never refused.
    CREATE TABLE traffic_counts_default PARTITION OF traffic_counts DEFAULT;
    CREATE TABLE zone_stats_default PARTITION OF zone_stats DEFAULT;
  END IF;
END
$$;

CREATE INDEX traffic_counts_minute ON traffic_counts (minute);
CREATE INDEX zone_stats_minute ON zone_stats (minute);
