import { describe, expect, it } from 'vitest';
import { frameJobCheck, frameJobProblems } from '../../../core/frameJob.ts';
import { inferenceResultCheck, type InferenceResult } from '../../../core/inferenceResult.ts';

const result: InferenceResult = {
  cameraId: 'cam-1',
  seq: 12,
  capturedAtMs: 1_765_000_000_000,
  enqueuedAtMs: 1_765_000_000_010,
  publishedAtMs: 1_765_000_000_090,
  frameWidthPx: 960,
  frameHeightPx: 540,
  modelId: 'yolox-s',
  inferenceMs: 41.3,
  regionCount: 1,
  workerId: 'host:1',
  detections: { boxes: [10, 20, 110, 220], scores: [0.9], classIds: [3], trackIds: [-1] },
  image: { meanLuma: 110, stdLuma: 40, thumb: 'AAAA' },
};
const job = {
  cameraId: 'cam-1',
  seq: 12,
  capturedAtMs: 1_765_000_000_000,
  widthPx: 960,
  heightPx: 540,
  enqueuedAtMs: 1_765_000_000_010,
  jpegBytes: 81_234,
};

describe('inference result schema (what the analyzer accepts from the results stream)', () => {
  it('accepts a result as the worker writes it, and one from an older worker without image statistics', () => {
    expect(inferenceResultCheck.Check(JSON.parse(JSON.stringify(result)))).toBe(true);
    const { image: _image, ...older } = result;
    expect(inferenceResultCheck.Check(older)).toBe(true);
  });

  it.each([
    ['a seq that is not an integer', { seq: 1.5 }],
    ['a seq lost to JSON (NaN written as null)', { seq: null }],
    ['a frame without width', { frameWidthPx: 0 }],
    ['detections without boxes', { detections: { scores: [], classIds: [], trackIds: [] } }],
    ['a class id that is not a number', { detections: { ...result.detections, classIds: ['car'] } }],
    ['image statistics without a thumbnail', { image: { meanLuma: 1, stdLuma: 1 } }],
    ['no model id', { modelId: undefined }],
  ])('refuses %s', (_what, change) => {
    expect(inferenceResultCheck.Check(JSON.parse(JSON.stringify({ ...result, ...change })))).toBe(false);
  });
});

describe('frame job schema (what the worker accepts from the frames queue)', () => {
  it('accepts a job as the sink writes it, and one from an older sink without enqueuedAtMs', () => {
    expect(frameJobCheck.Check(job)).toBe(true);
    const { enqueuedAtMs: _enqueued, ...older } = job;
    expect(frameJobCheck.Check(older)).toBe(true);
  });

  it('names each field at fault once, in the order of the schema', () => {
    expect(frameJobProblems({ ...job, heightPx: 0, cameraId: '', seq: '12', jpegBytes: -1 })).toEqual([
      'cameraId',
      'seq',
      'heightPx',
      'jpegBytes',
    ]);
    expect(frameJobProblems({ ...job, widthPx: 960.5 })).toEqual(['widthPx']);
    expect(frameJobProblems(job)).toEqual([]);
  });
});
