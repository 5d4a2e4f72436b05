// Faint detections (under their class's publishing threshold) in the tracker: they extend a track seen in
// the previous frame where they overlap its prediction, and do nothing else.
import { describe, expect, it } from 'vitest';
import { ByteTracker } from '../../../analytics/byteTracker.ts';
import { Detections, TRAFFIC_CLASSES, type TrafficClass } from '../../../core/detections.ts';

type Box = [number, number, number, number];

function detections(dets: Array<{ box: Box; score: number; className?: TrafficClass }>): Detections {
  return new Detections({
    boxes: Float32Array.from(dets.flatMap((d) => d.box)),
    scores: Float32Array.from(dets.map((d) => d.score)),
    classIds: Uint8Array.from(dets.map((d) => TRAFFIC_CLASSES.indexOf(d.className ?? 'person'))),
  });
}

const NONE = detections([]);
/** A 26×60 cyclist box whose bottom-centre is at (x, y): coming down the kerb lane at 100 px/s. */
const cyclist = (x: number, y: number): Box => [x - 13, y - 60, x + 13, y];
const T0 = Date.UTC(2026, 11, 6, 3, 0, 0);
const at = (k: number) => T0 + k * 200;

describe('faint detections in the tracker', () => {
  it('carry a confirmed track through frames where its object scores under the publishing threshold', () => {
    const tracker = new ByteTracker();
    for (let k = 0; k < 3; k++) tracker.update(detections([{ box: cyclist(750, 220 + 20 * k), score: 0.7 }]), at(k));
    const ids: number[] = [];
    for (let k = 3; k < 7; k++) {
      const out = tracker.update(NONE, at(k), detections([{ box: cyclist(750, 220 + 20 * k), score: 0.2 }]));
      expect(out.detections.length).toBe(1);
      expect(out.tracks).toHaveLength(1);
      expect(out.tracks[0]!.state).toBe('confirmed');
      expect(out.tracks[0]!.detectionIndex).toBe(0);
      ids.push(out.detections.trackIds[0]!);
    }
    // One track throughout, and its box followed the faint boxes down the lane.
    expect(new Set(ids).size).toBe(1);
    const last = tracker.update(NONE, at(7));
    expect(last.tracks[0]!.box[3]).toBeGreaterThan(330);
  });

  it('leaves them out of the output when no track takes them, published detections keeping their places', () => {
    const tracker = new ByteTracker();
    const car: Box = [100, 100, 180, 160];
    const out = tracker.update(
      detections([{ box: car, score: 0.9, className: 'car' }]),
      at(0),
      detections([{ box: cyclist(750, 220), score: 0.3 }]),
    );
    expect(out.detections.length).toBe(1);
    expect(Array.from(out.detections.boxes)).toEqual(car);
  });

  it('never start a track, however long they last', () => {
    const tracker = new ByteTracker();
    for (let k = 0; k < 10; k++) {
      const out = tracker.update(NONE, at(k), detections([{ box: cyclist(750, 220 + 20 * k), score: 0.3 }]));
      expect(out.tracks).toHaveLength(0);
    }
  });

  it('are not taken when they cover only part of the predicted box or lie behind the last sighting', () => {
    const tracker = new ByteTracker();
    for (let k = 0; k < 4; k++) tracker.update(detections([{ box: cyclist(750, 220 + 20 * k), score: 0.7 }]), at(k));
    // The lower third of the rider where he would be (IoU with the prediction ~0.3 or less): a wheel, not him.
    const [x1, y1, x2, y2] = cyclist(750, 300);
    const wheel = tracker.update(NONE, at(4), detections([{ box: [x1, y2 - (y2 - y1) / 4, x2, y2], score: 0.3 }]));
    expect(wheel.tracks[0]!.state).toBe('lost');
    // Seen again, then a faint box of his size a little back up the lane he is riding down.
    tracker.update(detections([{ box: cyclist(750, 320), score: 0.7 }]), at(5));
    const behind = tracker.update(NONE, at(6), detections([{ box: cyclist(750, 318), score: 0.3 }]));
    expect(behind.tracks[0]!.state).toBe('lost');
  });

  it('are not taken by a track already coasting, whose prediction may have drifted onto another object', () => {
    const tracker = new ByteTracker();
    for (let k = 0; k < 3; k++) tracker.update(detections([{ box: cyclist(750, 220 + 20 * k), score: 0.7 }]), at(k));
    // Unseen for a frame, then a faint box where it would be: not taken (a published low-score one would be).
    expect(tracker.update(NONE, at(3)).tracks[0]!.state).toBe('lost');
    const faint = tracker.update(NONE, at(4), detections([{ box: cyclist(750, 300), score: 0.3 }]));
    expect(faint.tracks[0]!.state).toBe('lost');
    expect(faint.detections.length).toBe(0);
    const published = tracker.update(detections([{ box: cyclist(750, 320), score: 0.4 }]), at(5));
    expect(published.tracks[0]!.state).toBe('confirmed');
  });
});
