// One onnxruntime session on its own thread, so a frame's inference (synchronous in onnxruntime-node, ~15 ms
// on the caller's thread) never blocks the worker's event loop. Plain JS: a worker thread cannot load .ts.
// Protocol (types in sessionPool.ts): in `{ input }` (transferred) → out `{ input, data, dims }` or `{ input, error }`.
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';

/** @type {{ modelPath: string, sessionOptions: object, inputName: string, outputName: string, inputDims: number[] }} */
const { modelPath, sessionOptions, inputName, outputName, inputDims } = workerData;

let session;
try {
  session = await ort.InferenceSession.create(modelPath, sessionOptions);
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
    const results = await session.run({ [inputName]: new ort.Tensor('float32', input, inputDims) }, [outputName]);
    const output = results[outputName];
    let data = output.data;
    // The output's memory is handed over, not copied, when it is a whole ArrayBuffer of its own.
    if (data.byteOffset !== 0 || data.byteLength !== data.buffer.byteLength) data = data.slice();
    parentPort.postMessage({ input, data, dims: output.dims }, [input.buffer, data.buffer]);
  } catch (err) {
    parentPort.postMessage({ input, error: String(err?.message ?? err) }, [input.buffer]);
  }
});
