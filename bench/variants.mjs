// The common part of the kernel A/B tools (ab.mjs, fb.mjs): several .wasm files of this library
// loaded side by side, and runners timed in interleaved rounds on a shared, noisy machine.

import { readFileSync } from 'node:fs';
import { init } from '../dist/index.js';

/** Instances from NAME=PATH.wasm[:build] arguments (relaxed files need the relaxed-SIMD flag on Node 20). */
export async function loadVariants(args) {
  const libs = [];
  for (const v of args) {
    const [name, rest] = v.split('=');
    const [path, backend = 'simd'] = rest.split(':');
    libs.push({ name, act: await init({ backend, wasm: readFileSync(path) }) });
  }
  return libs;
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };

/**
 * Median ms per call of each runner ({ run }), all timed in the same interleaved rounds (ROUNDS,
 * 15 by default, after two warm-up rounds), each round about `work` elements per runner.
 */
export function timeInterleaved(runners, n, work = 2e5) {
  const rounds = Number(process.env.ROUNDS ?? 15);
  const times = runners.map(() => []);
  const calls = Math.max(1, Math.round(work / n));
  for (let r = 0; r < rounds + 2; r++) {
    runners.forEach((c, i) => {
      const t0 = performance.now();
      for (let k = 0; k < calls; k++) c.run();
      if (r >= 2) times[i].push((performance.now() - t0) / calls);
    });
  }
  return times.map(median);
}
