// Plain JavaScript loops as a user would write them (Math.exp, Math.tanh, ...), writing into a
// preallocated Float32Array. Each loop is generated as its own function from the formula text so
// V8 compiles one monomorphic loop per activation, as hand-written code would be; a shared loop
// calling per-activation closures would be slower than what a user writes.

import erf from '@stdlib/math-base-special-erf';

const SELU = 'const SA = 1.6732632423543772848170429916717, SS = 1.0507009873554804934193349852946;';
const SIG = (a) => `(1 / (1 + Math.exp(-(${a}))))`;

// forward: expression of v. slope: statements setting g = g'(v). slopeFromOutput: expression of y.
const FORMULAS = {
  sigmoid: { forward: SIG('v'), slope: `const s = ${SIG('v')}; g = s * (1 - s);`, slopeFromOutput: 'y * (1 - y)' },
  tanh: { forward: 'Math.tanh(v)', slope: 'const t = Math.tanh(v); g = 1 - t * t;', slopeFromOutput: '1 - y * y' },
  relu: { forward: 'Math.max(v, 0)', slope: 'g = v > 0 ? 1 : 0;' },
  relu6: { forward: 'Math.min(Math.max(v, 0), 6)', slope: 'g = v > 0 && v < 6 ? 1 : 0;' },
  leakyRelu: { forward: 'v > 0 ? v : v * alpha', slope: 'g = v > 0 ? 1 : alpha;' },
  elu: { forward: 'v > 0 ? v : alpha * Math.expm1(v)', slope: 'g = v > 0 ? 1 : alpha * Math.exp(v);' },
  selu: { prelude: SELU, forward: 'v > 0 ? SS * v : SS * SA * Math.expm1(v)', slope: 'g = v > 0 ? SS : SS * SA * Math.exp(v);' },
  gelu: {
    forward: '0.5 * v * (1 + erf(v * Math.SQRT1_2))',
    slope: 'g = 0.5 * (1 + erf(v * Math.SQRT1_2)) + v * 0.3989422804014327 * Math.exp(-0.5 * v * v);',
  },
  geluTanh: {
    forward: '0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)))',
    slope:
      'const t = Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)); ' +
      'g = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * 0.7978845608028654 * (1 + 0.134145 * v * v);',
  },
  silu: { forward: `v * ${SIG('v')}`, slope: `const s = ${SIG('v')}; g = s * (1 + v * (1 - s));` },
  mish: {
    forward: 'v * Math.tanh(Math.log1p(Math.exp(v)))',
    slope: 'const sp = Math.log1p(Math.exp(v)), t = Math.tanh(sp); g = t + v * (1 - t * t) * ' + SIG('v') + ';',
  },
  softplus: {
    forward: 'v * beta > threshold ? v : Math.log1p(Math.exp(v * beta)) / beta',
    slope: `g = v * beta > threshold ? 1 : ${SIG('v * beta')};`,
  },
  hardSigmoid: { forward: 'Math.min(Math.max(v / 6 + 0.5, 0), 1)', slope: 'g = v > -3 && v < 3 ? 1 / 6 : 0;' },
  hardSwish: { forward: '(v * Math.min(Math.max(v + 3, 0), 6)) / 6', slope: 'g = v < -3 ? 0 : v <= 3 ? v / 3 + 0.5 : 1;' },
  softsign: { forward: 'v / (1 + Math.abs(v))', slope: 'const d = 1 + Math.abs(v); g = 1 / (d * d);' },
};

const ROW_LOOPS = {
  softmax: {
    forward: `for (let r = 0; r < n; r += cols) {
      let m = -Infinity; for (let i = r; i < r + cols; i++) if (x[i] > m) m = x[i];
      let s = 0; for (let i = r; i < r + cols; i++) { const e = Math.exp(x[i] - m); out[i] = e; s += e; }
      const k = 1 / s; for (let i = r; i < r + cols; i++) out[i] *= k; }`,
    backwardFromOutput: `for (let r = 0; r < n; r += cols) {
      let dot = 0; for (let i = r; i < r + cols; i++) dot += dy[i] * y[i];
      for (let i = r; i < r + cols; i++) out[i] = y[i] * (dy[i] - dot); }`,
  },
  logSoftmax: {
    forward: `for (let r = 0; r < n; r += cols) {
      let m = -Infinity; for (let i = r; i < r + cols; i++) if (x[i] > m) m = x[i];
      let s = 0; for (let i = r; i < r + cols; i++) s += Math.exp(x[i] - m);
      const l = m + Math.log(s); for (let i = r; i < r + cols; i++) out[i] = x[i] - l; }`,
    backwardFromOutput: `for (let r = 0; r < n; r += cols) {
      let s = 0; for (let i = r; i < r + cols; i++) s += dy[i];
      for (let i = r; i < r + cols; i++) out[i] = dy[i] - Math.exp(y[i]) * s; }`,
  },
};

function compile(args, prelude, body, params) {
  const header = `const alpha = P.alpha, beta = P.beta, threshold = P.threshold; ${prelude ?? ''}`;
  // eslint-disable-next-line no-new-func
  return new Function('erf', 'P', `${header} return function (${args}) { const n = out.length; ${body} };`)(erf, params);
}

/** The loop function for (fn, work), or a string saying why there is none. */
export function plainLoop(fn, work) {
  if (fn.kind === 'rowwise') {
    const f = ROW_LOOPS[fn.name];
    if (!f) return `no plain-JS loop for ${fn.name}`;
    const cols = `const cols = ${fn.cols};`;
    if (work === 'forward') return compile('x, out', cols, f.forward, fn.params);
    const bwd = compile('dy, y, out', cols, f.backwardFromOutput, fn.params);
    if (work === 'backward-saved') return bwd;
    const fwd = compile('x, out', cols, f.forward, fn.params);
    return (x, dy, y, out) => {
      fwd(x, y);
      bwd(dy, y, out);
    };
  }
  const f = FORMULAS[fn.kernel];
  if (!f) return `no plain-JS formula for ${fn.kernel}`;
  if (work === 'forward') return compile('x, out', f.prelude, `for (let i = 0; i < n; i++) { const v = x[i]; out[i] = ${f.forward}; }`, fn.params);
  if (work === 'backward-saved' && fn.saved === 'output') {
    return compile('dy, src, out', f.prelude, `for (let i = 0; i < n; i++) { const y = src[i]; out[i] = dy[i] * (${f.slopeFromOutput}); }`, fn.params);
  }
  // (x, dy) -> dx: the derivative from the input, forward recomputed inside the slope.
  return compile('dy, src, out', f.prelude, `for (let i = 0; i < n; i++) { const v = src[i]; let g; ${f.slope} out[i] = dy[i] * g; }`, fn.params);
}

export function plainJsContestant(version) {
  return {
    id: 'plain-js',
    label: 'plain JavaScript loop',
    family: 'plain-js',
    mode: 'loop',
    version,
    async setup() {},
    supports(fn, work) {
      const loop = plainLoop(fn, work);
      return typeof loop === 'function' ? true : loop;
    },
    async prepare(fn, work, data) {
      const loop = plainLoop(fn, work);
      const out = new Float32Array(data.x.length);
      const y = new Float32Array(data.x.length);
      const { x, dy } = data;
      let run;
      if (work === 'forward') run = () => loop(x, out);
      else if (fn.kind === 'rowwise') run = work === 'backward' ? () => loop(x, dy, y, out) : () => loop(dy, data.y, out);
      else run = () => loop(dy, work === 'backward' || fn.saved === 'input' ? x : data.y, out);
      return { run, result: () => out.slice(), dispose() {} };
    },
  };
}
