// A worker's detectors, one per model input size: the configured size's, loaded at start, and the sizes
// cameras ask for in their analysis plans, loaded when first asked (a session pool each) and kept, at most
// inference.maxInputSizes in all. A size refused or beyond the bound is analysed at the configured size, said once.
import type { Logger } from '../core/logger.ts';
import type { Detector } from './detector.ts';
import { inputSizeProblem, sameSize, sizeKey, type InputSizePx } from '../models/inputSize.ts';

export type LoadDetector = (size: InputSizePx) => Promise<Detector>;

export class DetectorsBySize {
  /** Loaded or loading detectors by size key; null for a size whose load failed (not retried until restart). */
  private readonly bySize = new Map<string, Promise<Detector | null>>();
  private readonly refused = new Set<string>();
  private closing: Promise<void> | null = null;

  constructor(
    readonly configured: Detector,
    private readonly load: LoadDetector,
    private readonly maxSizes: number,
    private readonly logger: Logger,
  ) {}

  /** The detector for a camera's size; the configured one when the camera has none or it cannot be had. */
  async forSize(size: InputSizePx | undefined): Promise<Detector> {
    if (!size || sameSize(size, this.configured.inputSizePx) || this.closing) return this.configured;
    const key = sizeKey(size);
    const known = this.bySize.get(key);
    if (known) return (await known) ?? this.configured;
    if (this.refused.has(key)) return this.configured;
    const problem = inputSizeProblem(this.configured.model, size);
    if (problem || this.bySize.size + 1 >= this.maxSizes) {
      this.refused.add(key);
      const reason = problem ?? `inference.maxInputSizes (${this.maxSizes}) sizes are already loaded`;
      this.logger.warn(
        { inputSize: key, configured: sizeKey(this.configured.inputSizePx), reason },
        'camera input size not used; analysed at the configured size',
      );
      return this.configured;
    }
    const loading = this.load(size).then(
      (detector) => {
        this.logger.info({ inputSize: key, modelId: detector.model.id }, 'model loaded at a camera input size');
        return detector;
      },
      (err: unknown) => {
        this.logger.error(
          { err, inputSize: key },
          'model not loaded at a camera input size; analysed at the configured size',
        );
        return null;
      },
    );
    this.bySize.set(key, loading);
    return (await loading) ?? this.configured;
  }

  /** Sizes loaded besides the configured one. */
  get extraSizes(): number {
    return this.bySize.size;
  }

  /** Closes every detector (each after its runs in flight); idempotent, every one closed even when one throws. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const loaded = await Promise.all(this.bySize.values());
      const results = await Promise.allSettled([this.configured, ...loaded].map((d) => d?.close()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    })();
    return this.closing;
  }
}
