// Checks that an instantiated module is the build the caller asked for: a foreign module, or the
// simd module passed as the scalar build, is refused with an error naming `wasm` rather than
// failing later on a missing export or running the wrong instructions under the wrong name.

import type { KernelExports } from './loader.js';
import { BACKENDS, type Backend } from './table.js';

// The value of the module's buildFeatures(): bit 0 SIMD 128, bit 1 relaxed SIMD.
const FEATURES: Readonly<Record<Backend, number>> = { scalar: 0, simd: 1, relaxed: 3 };

export function checkBuild(exports: KernelExports, backend: Backend): KernelExports {
  const expected = `expected the ${backend} build of simd-activations`;
  const raw = exports as unknown as Record<string, unknown>;
  const missing = !(raw.memory instanceof WebAssembly.Memory)
    ? 'a memory export'
    : ['heapBase', 'buildFeatures'].find((name) => typeof raw[name] !== 'function');
  if (missing !== undefined) {
    throw new RangeError(`wasm: ${expected}, got a module without ${missing.startsWith('a ') ? missing : `the export ${missing}`}`);
  }
  let features: number;
  try {
    features = (raw.buildFeatures as () => number)();
  } catch (cause) {
    throw new RangeError(`wasm: ${expected}, got a module whose buildFeatures() fails`, { cause });
  }
  const actual = BACKENDS.find((b) => FEATURES[b] === features);
  if (actual !== backend) {
    throw new RangeError(`wasm: ${expected}, got ${actual === undefined ? `a build with unknown features ${features}` : `the ${actual} build`}`);
  }
  return exports;
}
