// This library as a user calls it: with plain Float32Array arguments (the wrapper copies inputs
// into wasm memory and the result out) or with resident F32Buffers (no copies), for one build.

import { init } from '../../dist/index.js';

const instances = new Map();
/** One library instance per build and thread count, shared by its plain and resident contestants. */
function instanceFor(build, threads) {
  const key = `${build}/${threads}`;
  if (!instances.has(key)) instances.set(key, init({ backend: build, threads }));
  return instances.get(key);
}

/** `threads` (init's option, 1 by default): 2 or 'auto' make the threaded contestants, lib-BUILD-MODE-t2 / -tauto. */
export function libraryContestant(build, mode, version, threads = 1) {
  let act;
  const suffix = threads === 1 ? '' : `-t${threads}`;
  return {
    id: `lib-${build}-${mode}${suffix}`,
    label: `simd-activations ${build} (${mode === 'plain' ? 'Float32Array' : 'resident'}${threads === 1 ? '' : `, threads: ${threads}`})`,
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
      const tensor = (array) => {
        if (mode === 'plain') return array;
        const b = act.from(array);
        owned.push(b);
        return b;
      };
      const blank = () => {
        if (mode === 'plain') return new Float32Array(n);
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
      const fwdOpts = { ...fn.options, out: work === 'backward' ? y : out };
      const bwdOpts = { ...fn.options, out };
      const savedOfForward = fn.saved === 'output' ? y : x;
      const fromInput = act[`${fn.name}BackwardFromInput`];
      let run;
      if (work === 'forward') run = () => forward(x, fwdOpts);
      else if (work === 'backward' && fromInput) {
        // (x, dy) -> dx in one pass where the library has it (sigmoid, tanh): the slope from x.
        run = () => fromInput(dy, x, bwdOpts);
      } else if (work === 'backward') {
        // (x, dy) -> dx as tf.grad does it: the forward pass runs again, then the fused backward.
        run = () => {
          forward(x, fwdOpts);
          backward(dy, savedOfForward, bwdOpts);
        };
      } else run = () => backward(dy, saved, bwdOpts);
      return {
        run,
        result: () => (mode === 'plain' ? out.slice() : out.array.slice()),
        dispose: () => owned.forEach((b) => b.free()),
      };
    },
  };
}
