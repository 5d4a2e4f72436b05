// Snapshot and restore of a camera's analytics state (pipeline + re-order buffer) as JSON, exact to the
// bit, so the analyzer that takes a camera over continues as if the previous one had never stopped.
import { ByteTracker } from './byteTracker.ts';
import { CameraPipeline } from './cameraPipeline.ts';
import { BoxCountDensityEstimator, CrowdMeter, DensityMapEstimator } from './crowd.ts';
import { Homography } from './homography.ts';
import { KalmanBoxFilter } from './kalmanBoxFilter.ts';
import { LineCounter } from './lineCounter.ts';
import { MinuteCounts } from './minuteCounts.ts';
import { PolygonZone } from './polygonZone.ts';
import { RecentCrossings } from './recentCrossings.ts';
import { SeqReorderBuffer } from './seqReorderBuffer.ts';
import { SpeedEstimator } from './speedEstimator.ts';
import { StateSnapshotRegistry, type SnapshotClass, type SnapshotNode } from './stateSnapshot.ts';
import { ZoneMinuteStats } from './zoneMinuteStats.ts';

/** Bumped when a stored snapshot can no longer be read by this code (a checkpoint of another version is ignored). */
export const PIPELINE_SNAPSHOT_VERSION = 2; // 2: minute rows carry speed sums; scene cuts count sourceEnded

export function createAnalyticsRegistry(): StateSnapshotRegistry {
  return new StateSnapshotRegistry().register(
    CameraPipeline,
    SeqReorderBuffer,
    ByteTracker,
    KalmanBoxFilter,
    LineCounter,
    RecentCrossings,
    PolygonZone,
    CrowdMeter,
    BoxCountDensityEstimator,
    DensityMapEstimator,
    SpeedEstimator,
    Homography,
    MinuteCounts,
    ZoneMinuteStats,
  );
}

export interface CameraState<T> {
  pipeline: CameraPipeline;
  reorder: SeqReorderBuffer<T & { seq: number; capturedAtMs: number }>;
}

export class PipelineSnapshotter {
  private readonly registry = createAnalyticsRegistry();

  /**
   * Learns the classes reachable from a freshly built pipeline (helpers of the tracker that this file does
   * not name), so their instances can be restored too. Call with a pipeline built from the same code.
   */
  learnFrom(pipeline: CameraPipeline): this {
    const seen = new Set<object>();
    const visit = (value: unknown): void => {
      if (value === null || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value)) return;
      seen.add(value);
      const prototype = Object.getPrototypeOf(value) as object | null;
      if (
        prototype &&
        prototype !== Object.prototype &&
        prototype !== Array.prototype &&
        !(value instanceof Map) &&
        !(value instanceof Set)
      ) {
        this.registry.register(value.constructor as SnapshotClass);
      }
      const children =
        value instanceof Map
          ? [...value.keys(), ...value.values()]
          : value instanceof Set
            ? [...value]
            : Object.values(value);
      for (const child of children) visit(child);
    };
    visit(pipeline);
    return this;
  }

  /**
   * The layout of the classes reachable from a pipeline (class names and their own property names). Part of
   * a checkpoint's identity: code whose state has another layout must not resume a snapshot of this one.
   */
  static shapeOf(pipeline: CameraPipeline): string {
    const shapes = new Set<string>();
    const seen = new Set<object>();
    const visit = (value: unknown): void => {
      if (value === null || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value)) return;
      seen.add(value);
      const prototype = Object.getPrototypeOf(value) as object | null;
      const isClass =
        prototype &&
        prototype !== Object.prototype &&
        prototype !== Array.prototype &&
        !(value instanceof Map) &&
        !(value instanceof Set);
      if (isClass) shapes.add(`${(value.constructor as SnapshotClass).name}{${Object.keys(value).join(',')}}`);
      const children =
        value instanceof Map
          ? [...value.keys(), ...value.values()]
          : value instanceof Set
            ? [...value]
            : Object.values(value);
      for (const child of children) visit(child);
    };
    visit(pipeline);
    return [...shapes].sort().join(';');
  }

  snapshot<T>(state: CameraState<T>): SnapshotNode {
    return this.registry.snapshot(state);
  }

  restore<T>(node: SnapshotNode): CameraState<T> {
    return this.registry.restore<CameraState<T>>(node);
  }
}
