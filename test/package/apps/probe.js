// The fixed computation every consumer app runs, in Node and in each browser build: every
// elementwise activation forward, derivative and backward, the row-wise functions, on inputs
// from an integer generator (no Math.sin: its last bit is the engine's choice), returned as
// float32 bit patterns so that the test compares bits, not printed numbers.

function inputs() {
  const specials = [0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 3.4e38, -3.4e38, 88.5, -88.5, 1e-7, -1e-7, 20, -20, 6, -3, 3];
  const x = new Float32Array(1000);
  x.set(specials);
  let s = 0x9e3779b9;
  for (let i = specials.length; i < x.length; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    // Scales from 2^-4 to 2^8 so that every branch of the kernels (tails included) is reached.
    x[i] = (s / 2 ** 32 - 0.5) * 2 ** ((i % 13) - 4);
  }
  return x;
}

const bits = (a) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function compute(lib, act) {
  const x = inputs();
  const dy = x.map((v, i) => (i % 7) - 3 + v / 64);
  const out = { input: bits(x) };
  for (const name of lib.ELEMENTWISE_NAMES) {
    const y = act[name](x);
    const saved = lib.ELEMENTWISE[name].saved === 'output' ? y : x;
    out[name] = bits(y);
    out[`${name}Derivative`] = bits(act[`${name}Derivative`](saved));
    out[`${name}Backward`] = bits(act[`${name}Backward`](dy, saved));
  }
  out.sigmoidBackwardFromInput = bits(act.sigmoidBackwardFromInput(dy, x));
  const finite = x.map((v) => (Number.isFinite(v) ? v : 0));
  const p = act.softmax(finite, { cols: 50 });
  out.softmax = bits(p);
  out.logSoftmax = bits(act.logSoftmax(finite, { cols: 50 }));
  out.softmaxBackward = bits(act.softmaxBackward(dy, p, { cols: 50 }));
  return out;
}

/** Runs every build the engine supports; `load(backend)` is the app's own way to call init. */
export async function probe(lib, load) {
  const backends = lib.supportedBackends();
  const results = {};
  for (const backend of backends) {
    const act = await load(backend);
    results[backend] = { backend: act.backend, bits: compute(lib, act), liveBuffers: act.memory().liveBuffers };
  }
  return { backends, results };
}

/** In a page: leaves the outcome where the test reads it. */
export function report(promise) {
  promise.then(
    (result) => { globalThis.__result = result; },
    (error) => { globalThis.__result = { error: String((error && error.stack) || error) }; },
  );
}
