// GELU (exact form) against the same build's sigmoid, in one run: forward gelu / sigmoid and the
// backward kernel alone (geluBackward(dy, x)) / gelu forward, for several .wasm files side by side
// (e.g. main's and a branch's), with resident buffers, interleaved round by round; medians.
//   node bench/gelu-ratios.mjs SIZES NAME=PATH.wasm[:build] ...
//   node bench/gelu-ratios.mjs 65536,1e6 base=/tmp/gelu-base/simd.wasm new=build/simd.wasm
//   (relaxed files: add :relaxed and run node with --experimental-wasm-relaxed-simd on Node 20)
// ROUNDS=15 by default.
import { init } from '../dist/index.js';
import { readFileSync } from 'node:fs';
import { cellInputs } from './random.mjs';

const [sizesArg, ...variants] = process.argv.slice(2);
const rounds = Number(process.env.ROUNDS ?? 15);
const libs = [];
for (const v of variants) {
  const [name, rest] = v.split('=');
  const [path, backend = 'simd'] = rest.split(':');
  libs.push({ name, act: await init({ backend, wasm: readFileSync(path) }) });
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
for (const n of sizesArg.split(',').map(Number)) {
  const data = cellInputs(n);
  const runners = [];
  for (const l of libs) {
    const x = l.act.from(data.x), dy = l.act.from(data.dy), out = l.act.alloc(n);
    runners.push({ lib: l.name, op: 'sigmoid', run: () => l.act.sigmoid(x, { out }) });
    runners.push({ lib: l.name, op: 'gelu', run: () => l.act.gelu(x, { out }) });
    runners.push({ lib: l.name, op: 'geluBackward', run: () => l.act.geluBackward(dy, x, { out }) });
  }
  const times = runners.map(() => []);
  const calls = Math.max(1, Math.round(2e6 / n));
  for (let r = 0; r < rounds + 2; r++) {
    runners.forEach((c, i) => {
      const t0 = performance.now();
      for (let k = 0; k < calls; k++) c.run();
      if (r >= 2) times[i].push((performance.now() - t0) / calls);
    });
  }
  const med = times.map(median);
  for (const l of libs) {
    const t = (op) => med[runners.findIndex((c) => c.lib === l.name && c.op === op)];
    const rate = (op) => `${(n / t(op) / 1e3).toFixed(0)}M/s`;
    console.log(`${String(n).padStart(8)} ${l.name.padEnd(10)} sigmoid ${rate('sigmoid')}  gelu ${rate('gelu')}  geluBackward ${rate('geluBackward')}` +
      `  gelu/sigmoid ${(t('sigmoid') / t('gelu')).toFixed(3)}  geluBackward/gelu ${(t('gelu') / t('geluBackward')).toFixed(3)}`);
  }
}
