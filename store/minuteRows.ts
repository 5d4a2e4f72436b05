// The minute rows the analyzer writes (line counts, zone statistics): one shape for the store that
// upserts them and the MQTT outbox that announces them.
export interface MinuteCount {
  minute: Date;
  cameraId: string;
  lineId: string;
  direction: string;
  className: string;
  count: number;
  speedSumKmh: number;
  speedSamples: number;
}

export interface MinuteZoneStat {
  minute: Date;
  cameraId: string;
  zoneId: string;
  className: string;
  occupancySum: number;
  occupancyMax: number;
  samples: number;
  densitySum: number | null;
}
