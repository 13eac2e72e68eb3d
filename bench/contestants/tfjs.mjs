// TensorFlow.js 4.22 (tfjs-core) on its wasm backend (SIMD build, one thread in Node) or its cpu
// backend. Modes: 'e2e' (Float32Array -> tensor -> op -> dataSync, tensors disposed) and 'op'
// (the op alone on an existing tensor). Backward passes go through tf.grad, forward recomputed.

import { register } from 'node:module';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let loading;

/** Loads tfjs once: core, gradients (through the resolve hook, see tfjs-resolve-hook.mjs), backends. */
export function loadTfjs() {
  loading ??= (async () => {
    register('../tfjs-resolve-hook.mjs', import.meta.url);
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    await import('@tensorflow/tfjs-backend-cpu');
    if (!tf.getGradient('Sigmoid')) throw new Error('tfjs gradients did not register (tf.getGradient("Sigmoid") is empty)');
    return { tf, wasm };
  })();
  return loading;
}

export function tfjsVersions() {
  const v = (p) => require(`${p}/package.json`).version;
  return { core: v('@tensorflow/tfjs-core'), wasm: v('@tensorflow/tfjs-backend-wasm'), cpu: v('@tensorflow/tfjs-backend-cpu') };
}

/** The tfjs op for a function, or a string saying why there is none. */
function opFor(tf, fn) {
  const p = fn.params;
  switch (fn.kernel) {
    case 'sigmoid': return (t) => tf.sigmoid(t);
    case 'tanh': return (t) => tf.tanh(t);
    case 'relu': return (t) => tf.relu(t);
    case 'relu6': return (t) => tf.relu6(t);
    case 'leakyRelu': return (t) => tf.leakyRelu(t, p.alpha);
    case 'elu': return p.alpha === 1 ? (t) => tf.elu(t) : 'tf.elu has no alpha';
    case 'selu': return (t) => tf.selu(t);
    case 'softplus': return p.beta === 1 && p.threshold === 20 ? (t) => tf.softplus(t) : 'tf.softplus has no beta/threshold';
    case 'softmax': return (t) => tf.softmax(t);
    case 'logSoftmax': return (t) => tf.logSoftmax(t);
    default: return `tfjs-core has no ${fn.kernel} op`;
  }
}

export function tfjsContestant(backendName, mode) {
  let tf;
  const versions = tfjsVersions();
  const contestant = {
    id: `tfjs-${backendName}-${mode}`,
    label: `TF.js ${backendName} (${mode === 'e2e' ? 'end to end' : 'op alone'})`,
    family: 'tfjs',
    mode,
    backendName,
    version: `tfjs-core ${versions.core}, backend-${backendName} ${versions[backendName]}`,
    async setup() {
      const loaded = await loadTfjs();
      tf = loaded.tf;
      if (backendName === 'wasm') {
        // One thread, as this library runs; Node has no SharedArrayBuffer workers for tfjs anyway.
        loaded.wasm.setThreadsCount(1);
        if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
        const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
        const threads = loaded.wasm.getThreadsCount();
        if (!simd) throw new Error('tfjs-backend-wasm runs without SIMD here; refusing to measure its scalar fallback');
        contestant.version += ` (SIMD, ${threads} thread${threads === 1 ? '' : 's'})`;
      } else if (!(await tf.setBackend(backendName))) throw new Error(`tf.setBackend("${backendName}") failed`);
    },
    // Backends are global in tfjs: each batch of calls first selects its own (outside the timing).
    async before() {
      if (tf.getBackend() !== backendName) await tf.setBackend(backendName);
    },
    supports(fn, work) {
      if (work === 'backward-saved') return 'tfjs has no public backward from saved tensors';
      const op = opFor(tf, fn);
      return typeof op === 'function' ? true : op;
    },
    async prepare(fn, work, data) {
      await contestant.before();
      const op = opFor(tf, fn);
      const shape = fn.kind === 'rowwise' ? [data.x.length / fn.cols, fn.cols] : [data.x.length];
      const grad = work === 'backward' ? tf.grad(op) : null;
      let last;
      const keep = (t) => {
        last?.dispose();
        last = t;
      };
      let run;
      let tx;
      let tdy;
      if (mode === 'e2e') {
        run = work === 'forward'
          ? () => {
              const t = tf.tensor(data.x, shape);
              const r = op(t);
              const values = r.dataSync();
              t.dispose();
              r.dispose();
              return values;
            }
          : () => {
              const t = tf.tensor(data.x, shape);
              const d = tf.tensor(data.dy, shape);
              const r = grad(t, d);
              const values = r.dataSync();
              t.dispose();
              d.dispose();
              r.dispose();
              return values;
            };
      } else {
        tx = tf.tensor(data.x, shape);
        tdy = tf.tensor(data.dy, shape);
        run = work === 'forward' ? () => keep(op(tx)) : () => keep(grad(tx, tdy));
      }
      // A failing kernel (e.g. missing in this backend) should fail here, loudly, not mid-measurement.
      const probe = run();
      if (mode !== 'e2e') last.dataSync();
      void probe;
      return {
        run,
        result: () => (mode === 'e2e' ? Float32Array.from(run()) : Float32Array.from(last.dataSync())),
        dispose() {
          last?.dispose();
          tx?.dispose();
          tdy?.dispose();
        },
      };
    },
  };
  return contestant;
}
