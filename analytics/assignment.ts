// Minimum-cost assignment of tracks to detections (Hungarian method with potentials, O(n²m)).
// Written here because no maintained assignment library is available offline; it is ~60 lines.

/** A pair is forbidden (outside the gate) when its cost is Infinity or above this. */
export const FORBIDDEN_COST = 1e9;

export interface Assignment {
  /** [row, column] pairs, rows ascending. */
  matches: Array<[number, number]>;
  unmatchedRows: number[];
  unmatchedColumns: number[];
}

/**
 * Solves min-cost matching on a rows×columns cost matrix (row-major). Forbidden pairs are never
 * returned; among the rest the result has as many pairs as possible, then the least total cost, so a
 * track is never left unmatched just to give a neighbour a slightly cheaper pair.
 */
export function solveAssignment(costs: Float64Array | number[], rows: number, columns: number): Assignment {
  if (rows === 0 || columns === 0) {
    return { matches: [], unmatchedRows: range(rows), unmatchedColumns: range(columns) };
  }
  // The potential method wants rows ≤ columns: solve the transpose when there are more rows.
  const transposed = rows > columns;
  const n = transposed ? columns : rows;
  const m = transposed ? rows : columns;
  const cost = (i: number, j: number): number => {
    const c = transposed ? costs[j * columns + i]! : costs[i * columns + j]!;
    return c >= FORBIDDEN_COST || !Number.isFinite(c) ? FORBIDDEN_COST : c;
  };

  // e-maxx formulation: u, v potentials, p[j] = row matched to column j (1-based, 0 = free).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }

  const matches: Array<[number, number]> = [];
  for (let j = 1; j <= m; j++) {
    const i = p[j]!;
    if (i === 0 || cost(i - 1, j - 1) >= FORBIDDEN_COST) continue;
    matches.push(transposed ? [j - 1, i - 1] : [i - 1, j - 1]);
  }
  matches.sort((a, b) => a[0] - b[0]);
  const rowTaken = new Uint8Array(rows);
  const columnTaken = new Uint8Array(columns);
  for (const [r, c] of matches) {
    rowTaken[r] = 1;
    columnTaken[c] = 1;
  }
  return {
    matches,
    unmatchedRows: range(rows).filter((r) => !rowTaken[r]),
    unmatchedColumns: range(columns).filter((c) => !columnTaken[c]),
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
