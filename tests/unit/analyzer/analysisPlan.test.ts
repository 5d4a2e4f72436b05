import { describe, expect, it } from 'vitest';
import { analysisPlanFor } from '../../../analyzer/analysisPlan.ts';
import { EMPTY_CAMERA_ANALYSIS, type CameraAnalysis } from '../../../core/cameraAnalysis.ts';
import { parseAnalysisPlan } from '../../../core/analysisPlan.ts';

const FRAME = { widthPx: 960, heightPx: 540 };

describe('analysisPlanFor', () => {
  it('crops each line and zone with a margin, scaled from the still to the analysed frame', () => {
    const analysis: CameraAnalysis = {
      widthPx: 1920,
      heightPx: 1080,
      lines: [
        {
          id: 'l',
          points: [
            { x: 200, y: 600 },
            { x: 600, y: 640 },
          ],
        },
      ],
      zones: [
        {
          id: 'z',
          polygon: [
            { x: 1400, y: 100 },
            { x: 1800, y: 100 },
            { x: 1800, y: 300 },
          ],
        },
      ],
      calibration: null,
    };
    const plan = analysisPlanFor(analysis, FRAME, 20)!;
    expect(plan).toEqual({
      wholeFrame: true,
      tiles: null,
      crops: [
        { x: 680, y: 30, widthPx: 240, heightPx: 140 },
        { x: 80, y: 280, widthPx: 240, heightPx: 60 },
      ],
    });
    expect(parseAnalysisPlan(plan)).toEqual(plan);
  });

  it('merges overlapping crops, clamps them to the frame and leaves out one as large as the frame', () => {
    const analysis: CameraAnalysis = {
      widthPx: 960,
      heightPx: 540,
      lines: [
        {
          id: 'a',
          points: [
            { x: 0, y: 100 },
            { x: 300, y: 100 },
          ],
        },
        {
          id: 'b',
          points: [
            { x: 250, y: 110 },
            { x: 500, y: 110 },
          ],
        },
      ],
      zones: [
        {
          id: 'all',
          polygon: [
            { x: 0, y: 0 },
            { x: 960, y: 0 },
            { x: 960, y: 540 },
          ],
        },
      ],
      calibration: null,
    };
    expect(analysisPlanFor(analysis, FRAME, 10)!.crops).toEqual([{ x: 0, y: 90, widthPx: 510, heightPx: 30 }]);
  });

  it('asks for nothing special for a camera without lines or zones', () => {
    expect(analysisPlanFor({ ...EMPTY_CAMERA_ANALYSIS, lines: [], zones: [] }, FRAME, 48)).toBeNull();
  });

  it('analyses the whole frame alone, or with 3x2 overlapping tiles, when the deployment says so', () => {
    const analysis = {
      ...EMPTY_CAMERA_ANALYSIS,
      widthPx: 960,
      heightPx: 540,
      lines: [
        {
          id: 'a',
          points: [
            { x: 0, y: 100 },
            { x: 300, y: 100 },
          ],
        },
      ],
      zones: [],
    };
    expect(analysisPlanFor(analysis, FRAME, 48, 'whole-frame')).toBeNull();
    expect(analysisPlanFor(analysis, FRAME, 48, 'tiles')).toEqual({
      wholeFrame: true,
      crops: [],
      tiles: { cols: 3, rows: 2, overlapFrac: 0.2 },
    });
    expect(analysisPlanFor(analysis, FRAME, 48, 'lines-and-zones')!.crops).toHaveLength(1);
  });

  it("carries the camera's own model input size, with or without crops", () => {
    const inputSizePx = { widthPx: 960, heightPx: 544 };
    const bare = analysisPlanFor({ ...EMPTY_CAMERA_ANALYSIS, lines: [], zones: [], inputSizePx }, FRAME, 48);
    expect(bare).toEqual({ wholeFrame: true, crops: [], tiles: null, inputSizePx });
    expect(parseAnalysisPlan(bare)).toEqual(bare);
    const withLine: CameraAnalysis = {
      widthPx: 960,
      heightPx: 540,
      lines: [
        {
          id: 'l',
          points: [
            { x: 100, y: 300 },
            { x: 300, y: 300 },
          ],
        },
      ],
      zones: [],
      calibration: null,
      inputSizePx,
    };
    expect(analysisPlanFor(withLine, FRAME, 10)).toMatchObject({
      crops: [{ x: 90, y: 290, widthPx: 220, heightPx: 20 }],
      inputSizePx,
    });
    expect(analysisPlanFor({ ...withLine, inputSizePx: null }, FRAME, 10)).not.toHaveProperty('inputSizePx');
  });
});
