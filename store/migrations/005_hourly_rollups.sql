-- Hourly rollups of the minute tables. A query over weeks of minutes for a whole city scans millions of
-- rows (seconds); the same query over hours scans 60 times fewer. The writer recomputes an hour from its
-- minutes in the same transaction as the minute upsert, so the rollup is always exactly the minutes' sum
-- and stays idempotent. Hour and day buckets (days start at Vietnam's midnight, a whole hour) read it.

CREATE TABLE traffic_counts_hourly (
  hour            timestamptz NOT NULL,
  camera_id       uuid NOT NULL,
  line_id         text NOT NULL,
  direction       text NOT NULL,
  class           text NOT NULL,
  count           integer NOT NULL,
  speed_sum_kmh   double precision NOT NULL,
  speed_samples   integer NOT NULL,
  PRIMARY KEY (camera_id, line_id, direction, class, hour)
);
CREATE INDEX traffic_counts_hourly_hour ON traffic_counts_hourly (hour);

CREATE TABLE zone_stats_hourly (
  hour            timestamptz NOT NULL,
  camera_id       uuid NOT NULL,
  zone_id         text NOT NULL,
  class           text NOT NULL,
  occupancy_sum   double precision NOT NULL,
  occupancy_max   integer NOT NULL,
  samples         integer NOT NULL,
  density_sum     double precision,
  PRIMARY KEY (camera_id, zone_id, class, hour)
);
CREATE INDEX zone_stats_hourly_hour ON zone_stats_hourly (hour);

-- Rows written before this migration.
INSERT INTO traffic_counts_hourly
SELECT date_trunc('hour', minute), camera_id, line_id, direction, class, sum(count), sum(speed_sum_kmh), sum(speed_samples)
FROM traffic_counts GROUP BY 1, 2, 3, 4, 5;
INSERT INTO zone_stats_hourly
SELECT date_trunc('hour', minute), camera_id, zone_id, class, sum(occupancy_sum), max(occupancy_max), sum(samples), sum(density_sum)
FROM zone_stats GROUP BY 1, 2, 3, 4;

-- One camera's recent minutes (the panel's day view) without walking every camera's rows of that time.
CREATE INDEX traffic_counts_camera_minute ON traffic_counts (camera_id, minute);
CREATE INDEX zone_stats_camera_minute ON zone_stats (camera_id, minute);
