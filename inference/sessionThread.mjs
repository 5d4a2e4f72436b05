// One onnxruntime session on its own thread, so a frame's inference (synchronous in onnxruntime-node, ~15 ms
// on the caller's thread) never blocks the worker's event loop. Plain JS: a worker thread cannot load .ts.
// Protocol (types in sessionPool.ts): in `{ input }` (packed RGB bytes, transferred) → out `{ input, outputs: [{ data, dims }] }`
// (the outputs in the order of outputNames) or `{ input, error }`.
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';

/** @type {{ model: Uint8Array, sessionOptions: object, inputName: string, outputNames: string[], inputDims: number[] }} */
const { model, sessionOptions, inputName, outputNames, inputDims } = workerData;

let session;
try {
  // The graph's bytes as rewritten at load (inference/onnxGraph.ts).
  session = await ort.InferenceSession.create(model, sessionOptions);
  parentPort.postMessage({ ready: true, inputNames: session.inputNames, outputNames: session.outputNames });
} catch (err) {
  parentPort.postMessage({ ready: false, error: String(err?.message ?? err) });
}

parentPort.on('message', async (message) => {
  if (message.close) {
    await session?.release().catch(() => {});
    parentPort.close();
    return;
  }
  const { input } = message;
  try {
    const results = await session.run({ [inputName]: new ort.Tensor('uint8', input, inputDims) }, outputNames);
    const outputs = [];
    const transfer = [input.buffer];
    for (const name of outputNames) {
      const output = results[name];
      let data = output.data;
      // The output's memory is handed over, not copied, when it is a whole ArrayBuffer of its own.
      if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength || transfer.includes(data.buffer))
        data = data.slice();
      outputs.push({ data, dims: output.dims });
      transfer.push(data.buffer);
    }
    parentPort.postMessage({ input, outputs }, transfer);
  } catch (err) {
    parentPort.postMessage({ input, error: String(err?.message ?? err) }, [input.buffer]);
  }
});
