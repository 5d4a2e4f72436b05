// Truth files are checked before anything is scored against them: each mistake is named by its field.
import { describe, expect, it } from 'vitest';
import { validateTruth } from '../../../harness/truth.ts';
import { ValidationError } from '../../../core/errors.ts';

const good = () => ({
  clip: 'video/x.mp4',
  sha256: 'a'.repeat(64),
  frameSizePx: { widthPx: 1920, heightPx: 1080 },
  lines: [
    {
      id: 'ngang',
      points: [
        { x: 100, y: 500 },
        { x: 1800, y: 500 },
      ],
      directions: { leftToRight: 've-phia-camera', rightToLeft: 'di-xa' },
    },
  ],
  counts: [{ lineId: 'ngang', direction: 'di-xa', className: 'motorbike', count: 9, min: 8, max: 11 }],
  frames: [
    {
      timeS: 2,
      region: { x: 0, y: 0, widthPx: 1920, heightPx: 1080 },
      boxes: [{ className: 'car', box: [10, 10, 50, 40] }],
    },
  ],
});

function fieldOf(input: unknown): string | undefined {
  try {
    validateTruth(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).details.field;
  }
  return undefined;
}

describe('validateTruth', () => {
  it('accepts a well-formed truth file', () => {
    expect(validateTruth(good()).counts[0]!.count).toBe(9);
  });

  it('names a count that refers to a missing line', () => {
    const truth = good();
    truth.counts[0]!.lineId = 'doc';
    expect(fieldOf(truth)).toBe('counts[0].lineId');
  });

  it('names a direction the line does not have', () => {
    const truth = good();
    truth.counts[0]!.direction = 'in';
    expect(fieldOf(truth)).toBe('counts[0].direction');
  });

  it('names an unknown class', () => {
    const truth = good() as { counts: Array<{ className: string }> };
    truth.counts[0]!.className = 'xe-may';
    expect(fieldOf(truth)).toBe('counts[0].className');
  });

  it('names a line point off the frame', () => {
    const truth = good();
    truth.lines[0]!.points[1] = { x: 2000, y: 500 };
    expect(fieldOf(truth)).toBe('lines[0].points[1]');
  });

  it('names a box off the frame and a range that does not hold its count', () => {
    const offFrame = good();
    offFrame.frames[0]!.boxes[0]!.box = [10, 10, 50, 1200];
    expect(fieldOf(offFrame)).toBe('frames[0].boxes[0].box');
    const badRange = good();
    badRange.counts[0]!.min = 10;
    expect(fieldOf(badRange)).toBe('counts[0]');
  });

  it('names a missing required field and an unknown one', () => {
    const { lines: _lines, ...noLines } = good();
    expect(fieldOf(noLines)).toBe('lines');
    expect(fieldOf({ ...good(), colour: 'red' })).toBe('colour');
  });
});
