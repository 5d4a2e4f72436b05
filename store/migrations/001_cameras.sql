-- Cameras and their health history. Timestamps are timestamptz (UTC in, UTC out).
CREATE TABLE cameras (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  main_url    text NOT NULL,           -- may carry credentials: never returned by the API
  sub_url     text,
  district    text NOT NULL,
  lat         double precision,
  lon         double precision,
  enabled     boolean NOT NULL DEFAULT true,
  sample_fps  real NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT cameras_name_unique UNIQUE (name),
  CONSTRAINT cameras_location_pair CHECK ((lat IS NULL) = (lon IS NULL))
);

CREATE TABLE camera_health (
  time          timestamptz NOT NULL,
  camera_id     uuid NOT NULL,
  state         text NOT NULL,
  hls_mode      text NOT NULL,
  input_fps     real,
  bitrate_kbps  real,
  last_frame_at timestamptz,
  restarts      integer NOT NULL,
  message       text
);
CREATE INDEX camera_health_camera_time ON camera_health (camera_id, time DESC);

-- On TimescaleDB the history is a hypertable with retention; on plain PostgreSQL a plain table
-- pruned by the ingest process (store/cameraHealth.ts).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    PERFORM create_hypertable('camera_health', 'time', chunk_time_interval => interval '1 day');
    PERFORM add_retention_policy('camera_health', interval '30 days');
  END IF;
END
$$;
