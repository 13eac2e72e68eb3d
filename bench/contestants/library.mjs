// This library as a user calls it, for one build: with plain Float32Array arguments and a
// preallocated `out` ('plain': the wrapper copies inputs into wasm memory and the result out),
// with Float32Array arguments and no `out` ('new': each call returns a new Float32Array, as
// `act.sigmoid(x)` does), or with resident F32Buffers ('resident': no copies).

import { init } from '../../dist/index.js';

const instances = new Map();
/** One library instance per build and thread count, shared by its plain and resident contestants. */
function instanceFor(build, threads) {
  const key = `${build}/${threads}`;
  if (!instances.has(key)) instances.set(key, init({ backend: build, threads }));
  return instances.get(key);
}

const MODE_LABELS = { plain: 'Float32Array', new: 'Float32Array, new result', resident: 'resident' };

/** `threads` (init's option, 1 by default): 2 or 'auto' make the threaded contestants, lib-BUILD-MODE-t2 / -tauto. */
export function libraryContestant(build, mode, version, threads = 1) {
  let act;
  const suffix = threads === 1 ? '' : `-t${threads}`;
  return {
    id: `lib-${build}-${mode}${suffix}`,
    label: `simd-activations ${build} (${MODE_LABELS[mode]}${threads === 1 ? '' : `, threads: ${threads}`})`,
    family: 'library',
    build,
    mode,
    version,
    async setup() {
      act = await instanceFor(build, threads);
      if (act.backend !== build) throw new Error(`asked for the ${build} build, got ${act.backend}`);
      // A threaded contestant that would run on one thread measures nothing new: say so.
      if (threads !== 1 && act.threads < 2) throw new Error(`asked for threads: ${threads}, got ${act.threads} thread`);
      if (threads !== 1) this.version = `${version}, ${act.threads} threads`;
    },
    supports: () => true,
    async prepare(fn, work, data) {
      const n = data.x.length;
      const owned = [];
      // Resident: inputs live in wasm memory once; plain: the caller's own arrays every call.
      const copies = mode !== 'resident';
      const tensor = (array) => {
        if (copies) return array;
        const b = act.from(array);
        owned.push(b);
        return b;
      };
      const blank = () => {
        if (copies) return new Float32Array(n);
        const b = act.alloc(n);
        owned.push(b);
        return b;
      };
      const x = tensor(data.x);
      const dy = work === 'forward' ? undefined : tensor(data.dy);
      const saved = work !== 'backward-saved' ? undefined : fn.saved === 'output' ? tensor(data.y) : x;
      const y = work === 'backward' ? blank() : undefined;
      const out = blank();
      const forward = act[fn.name];
      const backward = act[`${fn.name}Backward`];
      // 'new': no `out` for the result the call returns (the forward pass inside a backward
      // measurement keeps its `out`, as a training loop reuses its activations).
      const fwdOpts = mode === 'new' && work === 'forward' ? { ...fn.options } : { ...fn.options, out: work === 'backward' ? y : out };
      const bwdOpts = mode === 'new' ? { ...fn.options } : { ...fn.options, out };
      let last;
      const savedOfForward = fn.saved === 'output' ? y : x;
      const fromInput = act[`${fn.name}BackwardFromInput`];
      let run;
      if (work === 'forward') run = () => (last = forward(x, fwdOpts));
      else if (work === 'backward' && fromInput) {
        // (x, dy) -> dx in one pass where the library has it (sigmoid, tanh): the slope from x.
        run = () => (last = fromInput(dy, x, bwdOpts));
      } else if (work === 'backward') {
        // (x, dy) -> dx as tf.grad does it: the forward pass runs again, then the fused backward.
        run = () => {
          forward(x, fwdOpts);
          last = backward(dy, savedOfForward, bwdOpts);
        };
      } else run = () => (last = backward(dy, saved, bwdOpts));
      return {
        run,
        result: () => (mode === 'new' ? last.slice() : mode === 'plain' ? out.slice() : out.array.slice()),
        dispose: () => owned.forEach((b) => b.free()),
      };
    },
  };
}
