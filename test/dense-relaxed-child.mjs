// Run by test/dense-relaxed.test.ts in a child Node process started with
// --experimental-wasm-relaxed-simd (Node 20 hides relaxed SIMD behind that flag): the same gradient
// checks as test/dense.test.ts on the relaxed build, printed as one JSON line.
import { init } from '../dist/index.js';
import { OUTPUT_ACTIVATIONS, SHAPES, checkChained, checkCrossEntropy, checkOutputLayer, randomArray, rng } from './dense-gradcheck.mjs';

const act = await init({ backend: 'relaxed' });
const results = [];
OUTPUT_ACTIVATIONS.forEach((activation, a) => {
  for (const shape of SHAPES) {
    const { ratios } = checkOutputLayer(act, shape, activation, 1000 + a * 31 + shape[0] * 7 + shape[1]);
    results.push({ what: `${activation[0]} ${shape.join('x')}`, ratios });
  }
});
for (const [i, shape] of [[1, 3, 5, 1], [6, 5, 7, 3], [9, 4, 16, 3]].entries()) {
  results.push({ what: `chained ${shape.join('x')}`, ratios: checkChained(act, shape, 77 + i).ratios });
}
const rand = rng(5);
for (const [rows, cols] of [[1, 3], [4, 3], [2, 37]]) {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) t[r * cols + Math.floor(rand() * cols)] = 1;
  results.push({ what: `softmaxCrossEntropy ${rows}x${cols}`, ratios: checkCrossEntropy(act, randomArray(rand, rows * cols, 4), t, cols, 'mean').ratios });
}
console.log(JSON.stringify({ backend: act.backend, results }));
