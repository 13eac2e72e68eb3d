// Seeded data, so every contestant and every run sees the same numbers.

import { rng } from '../test/reference.mjs';

/** Uniforms in [0, 1) from the tests' seeded generator (mulberry32). */
export const uniformGenerator = rng;

/** n normal values N(0, 1) * scale (Box-Muller), as float32. */
export function normalArray(n, scale, seed) {
  const next = uniformGenerator(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = scale * Math.sqrt(-2 * Math.log(1 - next()));
    const a = 2 * Math.PI * next();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/** The inputs of one cell: x ~ N(0,1)*4 and upstream gradients dy ~ N(0,1). */
export function cellInputs(n) {
  return { x: normalArray(n, 4, 0x5eed), dy: normalArray(n, 1, 0xd1ff) };
}
