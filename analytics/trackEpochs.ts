// Track ids across scene cuts: a cut starts a new tracker, whose ids go on after the last one's, so an id
// names one vehicle for the camera's life (alerts, evidence and live tracks key on it) and never two.
import { Detections } from '../core/detections.ts';
import type { Track, Tracks } from './tracks.ts';

export class TrackEpochs {
  /** Added to the current tracker's ids. */
  private idBase = 0;
  /** Highest id handed out so far (after the base). */
  private highestId = 0;

  /** The tracker's output with ids moved past every id of the trackers before it. */
  relabel(tracks: Tracks): Tracks {
    for (const track of tracks.tracks) this.highestId = Math.max(this.highestId, track.id + this.idBase);
    if (this.idBase === 0) return tracks;
    const base = this.idBase;
    const relabelled: Track[] = tracks.tracks.map((t) => ({ ...t, id: t.id + base }));
    const trackIds = Int32Array.from(tracks.detections.trackIds, (id) => (id >= 0 ? id + base : id));
    const d = tracks.detections;
    return {
      timestampMs: tracks.timestampMs,
      tracks: relabelled,
      detections: new Detections({ boxes: d.boxes, scores: d.scores, classIds: d.classIds, trackIds }),
    };
  }

  /** A new tracker starts (its ids from 1): they will follow the highest id so far. */
  startEpoch(): void {
    this.idBase = this.highestId;
  }
}
