import { describe, expect, it } from 'vitest';
import { FORBIDDEN_COST, solveAssignment } from '../../../analytics/assignment.ts';
import { Rng } from '../../../harness/scenes/scene.ts';

/** Exhaustive search: most pairs, then least cost. */
function bruteForce(costs: number[], rows: number, columns: number): { pairs: number; cost: number } {
  let best = { pairs: -1, cost: Infinity };
  const taken = new Array<boolean>(columns).fill(false);
  const visit = (row: number, pairs: number, cost: number) => {
    if (row === rows) {
      if (pairs > best.pairs || (pairs === best.pairs && cost < best.cost - 1e-9)) best = { pairs, cost };
      return;
    }
    visit(row + 1, pairs, cost);
    for (let c = 0; c < columns; c++) {
      const v = costs[row * columns + c]!;
      if (taken[c] || v >= FORBIDDEN_COST) continue;
      taken[c] = true;
      visit(row + 1, pairs + 1, cost + v);
      taken[c] = false;
    }
  };
  visit(0, 0, 0);
  return best;
}

describe('solveAssignment', () => {
  it('matches exhaustive search on random rectangular matrices with forbidden pairs', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(rng.next() * 5);
      const columns = 1 + Math.floor(rng.next() * 5);
      const costs = Array.from({ length: rows * columns }, () =>
        rng.next() < 0.3 ? FORBIDDEN_COST : rng.uniform(0, 2),
      );
      const result = solveAssignment(costs, rows, columns);
      const expected = bruteForce(costs, rows, columns);
      const cost = result.matches.reduce((sum, [r, c]) => sum + costs[r * columns + c]!, 0);
      expect(result.matches.length).toBe(expected.pairs);
      expect(cost).toBeCloseTo(expected.cost, 9);
      expect(result.unmatchedRows.length + result.matches.length).toBe(rows);
      expect(result.unmatchedColumns.length + result.matches.length).toBe(columns);
    }
  });

  it('never returns a forbidden pair', () => {
    const result = solveAssignment([FORBIDDEN_COST, FORBIDDEN_COST, 0.5, Infinity], 2, 2);
    expect(result.matches).toEqual([[1, 0]]);
    expect(result.unmatchedRows).toEqual([0]);
    expect(result.unmatchedColumns).toEqual([1]);
  });

  it('handles empty sides', () => {
    expect(solveAssignment([], 0, 3)).toEqual({ matches: [], unmatchedRows: [], unmatchedColumns: [0, 1, 2] });
    expect(solveAssignment([], 2, 0)).toEqual({ matches: [], unmatchedRows: [0, 1], unmatchedColumns: [] });
  });
});
