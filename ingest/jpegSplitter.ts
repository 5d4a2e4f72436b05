// Splits ffmpeg's MJPEG byte stream (image2pipe on stdout) into whole JPEG images by their SOI/EOI
// markers, with a bounded buffer (each image's size is read by core/jpegHeader.ts).

const SOI_0 = 0xff;
const SOI_1 = 0xd8;
const EOI_1 = 0xd9;

export interface JpegSplitterOptions {
  /** An image growing past this is dropped and the splitter resynchronises on the next SOI. */
  maxFrameBytes: number;
}

/**
 * Feed it chunks as they arrive; it returns the complete JPEGs they finished. Inside a JPEG's
 * entropy-coded data every 0xFF is followed by 0x00 or a restart marker, so the first FFD9 after an SOI
 * is the image's end (ffmpeg's mjpeg encoder writes no embedded thumbnails).
 */
export class JpegSplitter {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** True while inside an image (an SOI was seen and its EOI not yet). */
  private inImage = false;
  /** Images dropped for exceeding maxFrameBytes, and bytes skipped outside any image. */
  droppedFrames = 0;
  skippedBytes = 0;

  constructor(private readonly options: JpegSplitterOptions) {}

  push(chunk: Buffer): Buffer[] {
    const images: Buffer[] = [];
    let data = this.bufferedBytes > 0 ? Buffer.concat([...this.chunks, chunk]) : chunk;
    // Resume the marker scan one byte before the new chunk so an FF split across chunks is found.
    let scanFrom = Math.max(0, this.bufferedBytes - 1);
    this.chunks = [];
    this.bufferedBytes = 0;
    let start = 0;

    while (start < data.length) {
      if (!this.inImage) {
        const soi = findMarker(data, SOI_1, start);
        if (soi < 0) {
          // Keep a trailing 0xFF: it may be the first half of the next SOI.
          const keep = data[data.length - 1] === SOI_0 ? 1 : 0;
          this.skippedBytes += data.length - start - keep;
          start = data.length - keep;
          break;
        }
        this.skippedBytes += soi - start;
        start = soi;
        scanFrom = soi + 2;
        this.inImage = true;
      }
      const eoi = findMarker(data, EOI_1, Math.max(scanFrom, start + 2));
      if (eoi < 0) break;
      images.push(Buffer.from(data.subarray(start, eoi + 2)));
      start = eoi + 2;
      this.inImage = false;
    }

    const rest = data.subarray(start);
    if (this.inImage && rest.length > this.options.maxFrameBytes) {
      // A runaway image (corrupt stream, missing EOI): drop it rather than grow without bound.
      this.droppedFrames++;
      this.inImage = false;
      const resync = findMarker(rest, SOI_1, 2);
      data = resync < 0 ? Buffer.alloc(0) : rest.subarray(resync);
      return images.concat(data.length > 0 ? this.push(Buffer.from(data)) : []);
    }
    if (rest.length > 0) {
      this.chunks = [Buffer.from(rest)];
      this.bufferedBytes = rest.length;
    }
    return images;
  }

  /** Bytes held waiting for the end of an image (always ≤ maxFrameBytes after a push). */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  reset(): void {
    this.chunks = [];
    this.bufferedBytes = 0;
    this.inImage = false;
  }
}

function findMarker(data: Buffer, second: number, from: number): number {
  let i = data.indexOf(SOI_0, from);
  while (i >= 0 && i + 1 < data.length) {
    if (data[i + 1] === second) return i;
    i = data.indexOf(SOI_0, i + 1);
  }
  return -1;
}
