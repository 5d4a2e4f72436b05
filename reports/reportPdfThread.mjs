// Lays out report PDFs on its own thread (reportPdfRenderer.ts), one after another. Plain JS: a worker thread
// inherits no TypeScript loader under every host (vitest's runner has none to pass on), so it loads the renderer
// through tsx's API. Protocol: in `{ id, input }` (the renderer's input) → out `{ id, pdf }` (the file's bytes) or
// `{ id, error }`.
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { renderReportPdf } = await tsImport('./reportPdf.ts', import.meta.url);

parentPort.on('message', async ({ id, input }) => {
  try {
    const pdf = await renderReportPdf(input);
    parentPort.postMessage({ id, pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength) });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err?.message ?? err) });
  }
});
