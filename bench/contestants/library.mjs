// This library as a user calls it: with plain Float32Array arguments (the wrapper copies inputs
// into wasm memory and the result out) or with resident F32Buffers (no copies), for one build.

import { init } from '../../dist/index.js';

const instances = new Map();
/** One library instance per build, shared by that build's plain and resident contestants. */
function instanceFor(build) {
  if (!instances.has(build)) instances.set(build, init({ backend: build }));
  return instances.get(build);
}

export function libraryContestant(build, mode, version) {
  let act;
  return {
    id: `lib-${build}-${mode}`,
    label: `simd-activations ${build} (${mode === 'plain' ? 'Float32Array' : 'resident'})`,
    family: 'library',
    build,
    mode,
    version,
    async setup() {
      act = await instanceFor(build);
      if (act.backend !== build) throw new Error(`asked for the ${build} build, got ${act.backend}`);
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
