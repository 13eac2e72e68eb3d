// onnxruntime-web on its wasm backend in Node, one thread: an optional extra, detected with a
// dynamic import. Each function is a single-node model encoded by onnx-model.mjs. Inference only:
// ONNX Runtime Web has no training graph here, so backward passes are not offered.

import { singleNodeModel, floatAttr } from '../onnx-model.mjs';

export const ORT_INSTALL_HINT = 'not installed (npm i --no-save onnxruntime-web@1.30.0)';

/** The single ONNX node for a function, or a string saying why there is none. */
function nodeFor(fn) {
  const p = fn.params;
  switch (fn.kernel) {
    case 'sigmoid': return { opType: 'Sigmoid' };
    case 'tanh': return { opType: 'Tanh' };
    case 'relu': return { opType: 'Relu' };
    case 'relu6': return { opType: 'Clip', constants: [0, 6] };
    case 'leakyRelu': return { opType: 'LeakyRelu', attributes: { alpha: floatAttr(p.alpha) } };
    case 'elu': return { opType: 'Elu', attributes: { alpha: floatAttr(p.alpha) } };
    case 'selu': return { opType: 'Selu' };
    case 'gelu': return { opType: 'Gelu' };
    case 'geluTanh': return { opType: 'Gelu', attributes: { approximate: 'tanh' } };
    case 'mish': return { opType: 'Mish' };
    case 'softplus': return p.beta === 1 && p.threshold === 20 ? { opType: 'Softplus' } : 'ONNX Softplus has no beta/threshold';
    // PyTorch's hardsigmoid: x/6 + 1/2 (ONNX's default alpha is 0.2).
    case 'hardSigmoid': return { opType: 'HardSigmoid', attributes: { alpha: floatAttr(1 / 6), beta: floatAttr(0.5) } };
    case 'hardSwish': return { opType: 'HardSwish' };
    case 'softsign': return { opType: 'Softsign' };
    case 'softmax': return { opType: 'Softmax', attributes: { axis: -1 }, dims: ['R', fn.cols] };
    case 'logSoftmax': return { opType: 'LogSoftmax', attributes: { axis: -1 }, dims: ['R', fn.cols] };
    default: return `no single ONNX operator for ${fn.kernel}`;
  }
}

export function onnxContestant() {
  let ort;
  const sessions = new Map();
  const contestant = {
    id: 'ort-wasm',
    label: 'ONNX Runtime Web wasm (end to end)',
    family: 'onnx',
    mode: 'e2e',
    async: true,
    version: 'onnxruntime-web',
    async setup() {
      try {
        ort = await import('onnxruntime-web');
      } catch (error) {
        if (error?.code === 'ERR_MODULE_NOT_FOUND') throw new Error(ORT_INSTALL_HINT);
        throw error;
      }
      ort.env.wasm.numThreads = 1;
      ort.env.logLevel = 'error';
      contestant.version = `onnxruntime-web ${ort.env.versions?.web ?? '?'} (wasm, 1 thread)`;
      // Fail now, not per cell, if the runtime cannot run at all.
      await sessionFor({ kernel: 'sigmoid', params: {}, kind: 'elementwise' });
    },
    supports(fn, work) {
      if (work !== 'forward') return 'ONNX Runtime Web runs inference only';
      const node = nodeFor(fn);
      return typeof node === 'object' ? true : node;
    },
    async prepare(fn, work, data) {
      const session = await sessionFor(fn);
      const dims = fn.kind === 'rowwise' ? [data.x.length / fn.cols, fn.cols] : [data.x.length];
      let last;
      // As a user calls it: wrap the Float32Array, run, read the output's data.
      const run = async () => {
        const out = await session.run({ X: new ort.Tensor('float32', data.x, dims) });
        last = out.Y.data;
        return last;
      };
      await run();
      return { run, result: async () => Float32Array.from(await run()), dispose() {} };
    },
    async teardown() {
      for (const s of sessions.values()) await (await s).release();
    },
  };
  function sessionFor(fn) {
    const key = `${fn.kernel}/${fn.cols ?? ''}/${JSON.stringify(fn.params)}`;
    if (!sessions.has(key)) {
      const node = nodeFor(fn);
      const model = singleNodeModel(node);
      sessions.set(key, ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }));
    }
    return sessions.get(key);
  }
  return contestant;
}
