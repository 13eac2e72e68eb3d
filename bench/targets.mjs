// The figures the report must show, as explicit PASS/FAIL lines computed from one run's results.
// A target whose cells were not measured in this run says SKIP and why, never PASS.

import { speedup } from './stats.mjs';
import { THREAD_CELLS, OWN_FORWARD_RATIO_FNS } from './options.mjs';

const PEER_FAMILIES = new Set(['tfjs', 'onnx']);

function lookup(results) {
  const byKey = new Map();
  for (const cell of results.cells) byKey.set(`${cell.fn}|${cell.work}|${cell.size}`, cell);
  return (fn, work, size, id) => {
    const r = byKey.get(`${fn}|${work}|${size}`)?.results[id];
    return r?.status === 'ok' ? r : undefined;
  };
}

const fmt = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : 'n/a');

/**
 * One ratio target over a set of (fn, size) pairs: the worst ratio must reach `need`.
 * ratio(fn, size) returns a number or NaN when a side was not measured.
 */
function ratioTarget(label, need, pairs, ratio) {
  const got = pairs.map(([fn, size]) => ({ fn, size, r: ratio(fn, size) })).filter((p) => Number.isFinite(p.r));
  if (got.length === 0) return { label, status: 'SKIP', detail: 'not measured in this run' };
  const worst = got.reduce((a, b) => (b.r < a.r ? b : a));
  return {
    label,
    status: worst.r >= need ? 'PASS' : 'FAIL',
    detail: `worst ${fmt(worst.r)} (${worst.fn} @ ${worst.size}), need ${need}x; ${got.length} cell${got.length === 1 ? '' : 's'}`,
    worst: worst.r,
  };
}

export function evaluateTargets(results) {
  const get = lookup(results);
  const sizes = results.sizes;
  const at = (pred) => sizes.filter(pred);
  const elementwise = results.functions.filter((f) => f.kind === 'elementwise').map((f) => f.id);
  const fnsAll = results.functions.map((f) => f.id);
  const pairs = (fns, szs) => fns.flatMap((f) => szs.map((s) => [f, s]));
  const ratio = (idA, idB, work = 'forward') => (fn, size) => speedup(get(fn, work, size, idA), get(fn, work, size, idB));
  const big = at((s) => s >= 1e4 && s <= 1e7);
  const targets = [];

  for (const [build, sigNeed] of [['simd', 1.0], ['relaxed', 1.4]]) {
    const res = `lib-${build}-resident`;
    targets.push(ratioTarget(`[${build}] sigmoid resident vs TF.js wasm op alone, 1e4..1e7`, sigNeed, pairs(['sigmoid'], big), ratio(res, 'tfjs-wasm-op')));
  }
  targets.push(ratioTarget('[simd] tanh resident vs TF.js wasm op alone, 1e4..1e7', 10, pairs(['tanh'], big), ratio('lib-simd-resident', 'tfjs-wasm-op')));
  targets.push(ratioTarget('[simd] softmax rows of 1000 resident vs TF.js wasm op alone, 1e4..1e7', 1.2, pairs(['softmax/1000'], big), ratio('lib-simd-resident', 'tfjs-wasm-op')));
  targets.push(ratioTarget('[simd] sigmoid/tanh/softmax backward (x,dy)->dx resident vs TF.js wasm tf.grad, >=1e4', 3,
    pairs(['sigmoid', 'tanh', 'softmax/1000'], at((s) => s >= 1e4)), ratio('lib-simd-resident', 'tfjs-wasm-op', 'backward')));
  targets.push(ratioTarget('[simd] Float32Array args vs TF.js wasm end to end, every forward, >=1e4', 2,
    pairs(fnsAll, at((s) => s >= 1e4)), ratio('lib-simd-plain', 'tfjs-wasm-e2e')));
  targets.push(ratioTarget('[simd] Float32Array args vs TF.js wasm end to end, every forward, at 1e3', 10,
    pairs(fnsAll, at((s) => s === 1000)), ratio('lib-simd-plain', 'tfjs-wasm-e2e')));

  // Issue 10: row-wise softmax by row length, ELU/SELU against TF.js wasm; GELU against sigmoid.
  const from64k = at((s) => s >= 65536 && s <= 1e7);
  targets.push(ratioTarget('[simd] softmax rows of 2 and 10 resident vs TF.js wasm op, >=65536', 1.5, pairs(['softmax/2', 'softmax/10'], from64k), ratio('lib-simd-resident', 'tfjs-wasm-op')));
  for (const [build, need] of [['simd', 1.0], ['relaxed', 1.25]]) {
    targets.push(ratioTarget(`[${build}] softmax rows of 100 and 1000 resident vs TF.js wasm op, >=65536`, need, pairs(['softmax/100', 'softmax/1000'], from64k), ratio(`lib-${build}-resident`, 'tfjs-wasm-op')));
  }
  for (const work of ['forward', 'backward']) {
    targets.push(ratioTarget(`[simd] elu and selu ${work} resident vs TF.js wasm op (tf.elu, tf.selu${work === 'backward' ? ' through tf.grad' : ''}), 65536..1e6`, 1.1,
      pairs(['elu', 'selu'], at((s) => s >= 65536 && s <= 1e6)), ratio('lib-simd-resident', 'tfjs-wasm-op', work)));
  }
  // Between two passes of the library: from the paired cells where this run measured them (both
  // passes in the same rounds; see PAIRED_RATIOS), else from the two passes' own cells.
  const between = (work, divisorFn, divisorWork) => (fn, size) => {
    const [dFn, dWork] = [divisorFn ?? fn, divisorWork];
    const pair = results.pairs?.find((p) => p.size === size && `${p.a}` === `${fn},${work}` && `${p.b}` === `${dFn},${dWork}`);
    return pair ? pair.ratio : speedup(get(fn, work, size, 'lib-simd-resident'), get(dFn, dWork, size, 'lib-simd-resident'));
  };
  targets.push(ratioTarget('[simd] gelu (erf form) forward vs sigmoid forward, resident, >=65536', 0.4, pairs(['gelu'], from64k), between('forward', 'sigmoid', 'forward')));
  targets.push(ratioTarget('[simd] gelu (tanh form) forward vs sigmoid forward, resident, >=65536', 0.5, pairs(['gelu:tanh'], from64k), between('forward', 'sigmoid', 'forward')));
  // The backward kernel alone (dy, saved x) -> dx against the same function's forward pass.
  targets.push(ratioTarget('[simd] gelu (both forms), silu, mish backward (kernel alone) vs their own forward, resident, >=65536', 0.5,
    pairs(OWN_FORWARD_RATIO_FNS, from64k), between('backward-saved', undefined, 'forward')));

  // Issue 11: 2 threads against 1, same build, resident buffers, on the thread-scaling cells.
  const twoThreads = results.contestants.find((c) => /^lib-\w+-resident-t2$/.test(c.id))?.id;
  if (twoThreads) {
    const oneThread = twoThreads.replace(/-t2$/, '');
    const build = oneThread.split('-')[1];
    const check = results.machine.parallelCheck;
    const machine = check ? `; machine check (a JS loop on 2 threads): ${fmt(check.ratio)}` : '';
    for (const [fn, size, need] of THREAD_CELLS) {
      const t = ratioTarget(`[${build}] ${fn} at ${size}: 2 threads vs 1, resident`, need, [[fn, size]], ratio(twoThreads, oneThread));
      targets.push({ ...t, detail: t.detail + machine });
    }
  }

  // Accuracy: for each function and work, each library build's max ULP <= every peer's.
  const acc = results.accuracy?.errors ?? [];
  if (acc.length === 0) targets.push({ label: 'max ULP error <= every peer (TF.js, ONNX Runtime) per function', status: 'SKIP', detail: 'accuracy not measured' });
  else {
    const peerIds = new Set(results.contestants.filter((c) => PEER_FAMILIES.has(c.family)).map((c) => c.id));
    const worse = [];
    let compared = 0;
    for (const mine of acc.filter((e) => e.contestant.startsWith('lib-') && e.maxUlp !== undefined)) {
      for (const peer of acc.filter((e) => peerIds.has(e.contestant) && e.fn === mine.fn && e.work === mine.work && e.maxUlp !== undefined)) {
        compared++;
        if (mine.maxUlp > peer.maxUlp) worse.push(`${mine.contestant} ${mine.fn} ${mine.work}: ${mine.maxUlp} > ${peer.contestant} ${peer.maxUlp}`);
      }
    }
    targets.push({
      label: 'max ULP error <= every peer (TF.js, ONNX Runtime) per function',
      status: compared === 0 ? 'SKIP' : worse.length ? 'FAIL' : 'PASS',
      detail: compared === 0 ? 'no peer measured' : worse.length ? worse.slice(0, 4).join('; ') + (worse.length > 4 ? ` (+${worse.length - 4})` : '') : `${compared} comparisons`,
    });
  }

  // Issue 2, item 7 (npm run bench:quick).
  targets.push(ratioTarget('[simd] sigmoid resident vs plain JS 1/(1+Math.exp(-x)) at 65536', 10, [['sigmoid', 65536]], ratio('lib-simd-resident', 'plain-js')));
  targets.push(ratioTarget('[simd] tanh resident vs plain JS Math.tanh at 65536', 12, [['tanh', 65536]], ratio('lib-simd-resident', 'plain-js')));
  targets.push(ratioTarget('[relaxed vs simd] sigmoid and tanh resident at 65536', 1.3, pairs(['sigmoid', 'tanh'], [65536]), ratio('lib-relaxed-resident', 'lib-simd-resident')));
  for (const [build, need] of [['simd', 0.5], ['relaxed', 0.7]]) {
    targets.push(ratioTarget(`[${build}] every elementwise forward resident vs wasm copy loop at 1e7`, need, pairs(elementwise, [1e7]), ratio(`lib-${build}-resident`, 'copy-wasm')));
  }
  targets.push(ratioTarget('[simd] relu and leakyRelu resident vs wasm copy loop at 1e7', 0.9, pairs(['relu', 'leakyRelu'], [1e7]), ratio('lib-simd-resident', 'copy-wasm')));
  // Issue 2 item 7 states the small-array targets beside sigmoid's and tanh's loops: a JS loop of
  // 16 relus costs a few nanoseconds, less than any call into wasm, so those two are judged.
  const named = elementwise.filter((id) => id === 'sigmoid' || id === 'tanh');
  targets.push(ratioTarget('[simd] sigmoid/tanh with Float32Array args at 16: time <= 2x plain JS loop (ratio >= 0.5)', 0.5, pairs(named, [16]), ratio('lib-simd-plain', 'plain-js')));
  // "faster than it" is a strict inequality; ratios are reported to 2 decimals, so > 1.0 shows as >= 1.00.
  const faster = ratioTarget('[simd] sigmoid/tanh with Float32Array args faster than plain JS loop from 256 on', 1.0, pairs(named, at((s) => s >= 256)), ratio('lib-simd-plain', 'plain-js'));
  if (faster.status === 'PASS' && faster.worst === 1) faster.status = 'FAIL';
  targets.push(faster);
  return targets;
}
