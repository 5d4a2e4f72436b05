// Analytics throughput and counting accuracy: tracked frames/s with 50 objects a frame (tracker + line
// + zone + speed), and line-count errors of the synthetic street at 2, 5 and 10 fps over several seeds.
// Run: npx tsx bench/analyticsThroughput.ts [--frames 2000] [--seeds 10]
import { ByteTracker } from '../analytics/byteTracker.ts';
import { Homography } from '../analytics/homography.ts';
import { LineCounter } from '../analytics/lineCounter.ts';
import { PolygonZone } from '../analytics/polygonZone.ts';
import { SpeedEstimator } from '../analytics/speedEstimator.ts';
import { ROAD_CALIBRATION } from '../harness/scenes/fixtures.ts';
import { FRAME, REALISTIC_NOISE, type SceneObject, sampleScene, trueLineCounts } from '../harness/scenes/scene.ts';
import { SIZES, STREET_DURATION_S, STREET_LINE, streetScene } from '../harness/scenes/trafficScene.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** 50 objects always on screen: 10 columns × 5 rows of vehicles looping down and up the frame. */
function fiftyObjects(): SceneObject[] {
  const objects: SceneObject[] = [];
  for (let col = 0; col < 10; col++) {
    for (let row = 0; row < 5; row++) {
      const className = (['motorbike', 'motorbike', 'car', 'motorbike', 'bus'] as const)[row]!;
      const down = col % 2 === 0;
      const x = 64 + col * 128;
      const speed = 60 + 10 * row;
      const offsetPx = row * 150;
      const path = (tS: number) => {
        const y = (offsetPx + tS * speed) % 720;
        return { x, y: down ? y + SIZES[className].heightPx / 2 : 720 - y + SIZES[className].heightPx / 2 };
      };
      objects.push({ name: `o${col}-${row}`, className, ...SIZES[className], path });
    }
  }
  return objects;
}

function throughput(frameCount: number): void {
  const fps = 5;
  const frames = sampleScene(fiftyObjects(), { fps, durationS: frameCount / fps, seed: 1, noise: REALISTIC_NOISE });
  const tracker = new ByteTracker({ frameSizePx: FRAME });
  const line = new LineCounter({ id: 'l', points: [STREET_LINE.p0, STREET_LINE.p1] });
  const zone = new PolygonZone({
    id: 'z',
    polygon: [
      { x: 200, y: 200 },
      { x: 1000, y: 200 },
      { x: 1000, y: 600 },
      { x: 200, y: 600 },
    ],
  });
  const speed = new SpeedEstimator(
    Homography.fromPoints([...ROAD_CALIBRATION.imagePoints], [...ROAD_CALIBRATION.groundPoints]),
  );
  const detectionsPerFrame = frames.reduce((n, f) => n + f.detections.length, 0) / frames.length;
  let trackerMs = 0;
  const started = performance.now();
  for (const frame of frames) {
    const t0 = performance.now();
    const tracks = tracker.update(frame.detections, frame.timestampMs);
    trackerMs += performance.now() - t0;
    line.update(tracks);
    zone.update(tracks);
    speed.update(tracks);
  }
  const totalMs = performance.now() - started;
  console.log(
    `throughput: ${frames.length} frames, ${detectionsPerFrame.toFixed(1)} detections/frame (50 objects, 20 % dropped, clutter)`,
  );
  console.log(
    `  tracker only:            ${((frames.length / trackerMs) * 1000).toFixed(0)} frames/s (${(trackerMs / frames.length).toFixed(3)} ms/frame)`,
  );
  console.log(
    `  tracker+line+zone+speed: ${((frames.length / totalMs) * 1000).toFixed(0)} frames/s (${(totalMs / frames.length).toFixed(3)} ms/frame)`,
  );
}

function accuracy(seeds: number): void {
  const objects = streetScene();
  const truth = trueLineCounts(objects, STREET_LINE, STREET_DURATION_S);
  const crossingsPerRun = Object.values(truth).reduce(
    (n, perClass) => n + Object.values(perClass).reduce((a, b) => a + (b ?? 0), 0),
    0,
  );
  console.log(
    `accuracy: street scene, ${crossingsPerRun} true crossings per run, ${seeds} noise seeds, 20 % drops + 10 % low scores + 5 % class flips + clutter`,
  );
  for (const fps of [2, 5, 10]) {
    let exactRuns = 0;
    let absErrors = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const frames = sampleScene(objects, { fps, durationS: STREET_DURATION_S, seed, noise: REALISTIC_NOISE });
      const tracker = new ByteTracker({ frameSizePx: FRAME });
      const line = new LineCounter({ id: 'l', points: [STREET_LINE.p0, STREET_LINE.p1] });
      for (const frame of frames) line.update(tracker.update(frame.detections, frame.timestampMs));
      let runErrors = 0;
      for (const [direction, perClass] of Object.entries(line.counts())) {
        for (const [className, n] of Object.entries(perClass))
          runErrors += Math.abs(n - ((truth[direction] as Record<string, number>)[className] ?? 0));
      }
      absErrors += runErrors;
      if (runErrors === 0) exactRuns += 1;
    }
    console.log(
      `  ${String(fps).padStart(2)} fps: exact in ${exactRuns}/${seeds} runs, ${absErrors} per-class count errors of ${crossingsPerRun * seeds} crossings (${((100 * absErrors) / (crossingsPerRun * seeds)).toFixed(1)} %)`,
    );
  }
}

throughput(arg('frames', 2000));
accuracy(arg('seeds', 10));
