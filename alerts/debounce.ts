// A condition switched on only after it held continuously for a minimum time, and off only after it
// stayed false for a hysteresis: a crowd that briefly thins, or a jam that eases for a moment, stays one alert.

/** Plain JSON, kept inside each evaluator's state. */
export interface DebounceState {
  /** Start of the current run of frames where the condition held; null when it does not hold. */
  runSinceMs: number | null;
  /** First frame of the current false run while on; null when the condition holds. */
  falseSinceMs: number | null;
  on: boolean;
}

export function newDebounce(): DebounceState {
  return { runSinceMs: null, falseSinceMs: null, on: false };
}

/**
 * Feeds one frame. Before switching on, the condition must hold without a gap (a false frame restarts
 * the count); once on, false frames must last hysteresisMs (0: the first one) to switch it off.
 */
export function stepDebounce(
  state: DebounceState,
  holds: boolean,
  tMs: number,
  minDurationMs: number,
  hysteresisMs: number,
): boolean {
  if (holds) {
    state.falseSinceMs = null;
    state.runSinceMs ??= tMs;
    if (!state.on && tMs - state.runSinceMs >= minDurationMs) state.on = true;
    return state.on;
  }
  if (state.on) {
    state.falseSinceMs ??= tMs;
    if (tMs - state.falseSinceMs < hysteresisMs) return true;
  }
  state.on = false;
  state.runSinceMs = null;
  state.falseSinceMs = null;
  return false;
}
