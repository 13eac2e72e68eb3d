// GELU, exact form x * Phi(x) and tanh form 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
//
// Exact form: Phi(x) = erfc(-x/sqrt2)/2, from erfc(|x|/sqrt2) = exp(-x^2/2) * erfcx(|x|/sqrt2)
// (math/erf.ts): for x < 0 that product is Phi itself, for x >= 0 Phi = 1 - it/2. x^2/2 is
// carried as a double word into float32 exp, and the rest is float64, rounded once, so the
// result keeps its relative accuracy down to the subnormals.
// Tanh form: 0.5 (1 + tanh u) = sigmoid(2u), so y = x * sigmoid(v) with v = x (C1 + C3 x^2),
// C1 = 2 sqrt(2/pi), C3 = 0.044715 C1; v reaches -88 at x = -10, so it is built as a double word
// (its low part from a float64 evaluation) and its low part goes into exp's reduced argument.
import {
  splat, add, mul, mad, clamp, nanWhereInfinite, nanWhereNegativeInfinity, promoteLow, promoteHigh, demotePair,
} from "../math/lanes";
import { EXP_MIN } from "../math/exp";
import { erfcx64, gaussMantissa, gaussExponent } from "../math/erf";
import { mulSigmoid, mulSigmoidDerivative, nanWhereNotFinite } from "../math/logistic";
import { splatD, subD, mulD, madD, absD, ltD, selectD, pow2Low, pow2High, pow2Scalar } from "../math/lanes64";

// @ts-ignore: decorator
@inline const SQRT_HALF_64: f64 = 0.7071067811865476;
// @ts-ignore: decorator
@inline const INV_SQRT_2PI_64: f64 = 0.3989422804014327;
// @ts-ignore: decorator
@inline const C1_HI: f32 = 1.5957691669464111;
// @ts-ignore: decorator
@inline const C3_HI: f32 = 0.07135481387376785;
// Beyond |x| = 15 the Gaussian factor is 0 and beyond 12 sigmoid(v) is 0 or 1: clamping keeps
// the double-word products far from overflow.
// @ts-ignore: decorator
@inline const GAUSS_XMAX: f32 = 15.0;
// @ts-ignore: decorator
@inline const TANH_XMAX: f32 = 12.0;

// Exact form in float64, from g = exp(-x^2/2) given exactly as p * 2^n (math/erf.ts):
//   erfc(|x|/sqrt2) = g * erfcx(|x|/sqrt2); Phi(x) = that / 2 for x < 0, 1 - that / 2 else;
//   forward x * Phi(x); derivative Phi(x) + x g / sqrt(2 pi).
// g is 0 where -x^2/2 is below exp's range (the clamped exponent would leave a trace otherwise).
@inline function gelu64<D>(backward: bool, dy: D, x: D, p: D, scale: D): D {
  const w = mulD<D>(mulD<D>(x, x), splatD<D>(-0.5));
  const g = selectD<D>(ltD<D>(w, splatD<D>(<f64>EXP_MIN)), splatD<D>(0.0), mulD<D>(p, scale));
  const half = mulD<D>(mulD<D>(g, erfcx64<D>(mulD<D>(absD<D>(x), splatD<D>(SQRT_HALF_64)))), splatD<D>(0.5));
  const cdf = selectD<D>(ltD<D>(x, splatD<D>(0.0)), half, subD<D>(splatD<D>(1.0), half));
  if (!backward) return mulD<D>(x, cdf);
  return mulD<D>(dy, madD<D>(mulD<D>(x, g), splatD<D>(INV_SQRT_2PI_64), cdf));
}

@inline function geluLanes<V>(backward: bool, dy: V, x: V): V {
  const p = gaussMantissa<V>(x, GAUSS_XMAX, true);
  const n = gaussExponent<V>(x, GAUSS_XMAX, true);
  if (isVector<V>()) {
    const lo = gelu64<v128>(backward, promoteLow(dy), promoteLow(x), promoteLow(p), pow2Low(n));
    const hi = gelu64<v128>(backward, promoteHigh(dy), promoteHigh(x), promoteHigh(p), pow2High(n));
    return demotePair(lo, hi);
  } else {
    return <f32>gelu64<f64>(backward, <f64>(dy as f32), <f64>(x as f32), <f64>(p as f32), pow2Scalar(n as f32));
  }
}

// At -Inf: -Inf * Phi(-Inf) = -Inf * 0 = NaN, as PyTorch's formula gives.
@inline export function geluForward<V>(x: V): V {
  return geluLanes<V>(false, x, x);
}

// At +-Inf: Phi + Inf * 0 = NaN, as PyTorch's formula gives.
@inline export function geluBackward<V>(dy: V, x: V): V {
  return geluLanes<V>(true, dy, x);
}

// ---- tanh form ----
//
// v = x (C1 + C3 x^2) as a double word vh + vl: vh is the float32 evaluation, vl = f32(v - vh)
// with v evaluated in float64, where x^2 is exact and the two remaining roundings leave a
// relative error below 2^-52 (Muller et al., Handbook of Floating-Point Arithmetic, 2nd ed.,
// section 3.1: an exact product of two float32 values fits a float64); v - vh is then exact
// (Sterbenz) and its float32 rounding is far below vh's ulp. Exp multiplies the relative error
// of its argument by |v| (up to 104 here), so without vl the float32 rounding of v alone would
// cost dozens of ulp. This replaces four Dekker TwoProducts (Dekker 1971) and a TwoSum: about 20
// operations instead of 60 in the simd build (no fused multiply-add there).
// @ts-ignore: decorator
@inline const C1_64: f64 = 1.5957691216057308; // 2 sqrt(2/pi)
// @ts-ignore: decorator
@inline const C3_64: f64 = 0.07135481627260025; // 0.044715 C1
// @ts-ignore: decorator
@inline const C3_TIMES_3_64: f64 = 0.21406444881780073; // 3 * 0.044715 C1, for v'(x) = C1 + 3 C3 x^2

// vh = f32(x (C1 + C3 x^2)) evaluated in float32 (the same bits in every build: no mad).
@inline function tanhFormHi<V>(xc: V): V {
  return mul<V>(add<V>(splat<V>(C1_HI), mul<V>(splat<V>(C3_HI), mul<V>(xc, xc))), xc);
}

@inline function tanhFormLo64<D>(x: D, vh: D): D {
  const v = mulD<D>(madD<D>(mulD<D>(x, x), splatD<D>(C3_64), splatD<D>(C1_64)), x);
  return subD<D>(v, vh);
}

@inline function tanhFormLo<V>(xc: V, vh: V): V {
  if (isVector<V>()) {
    return demotePair(tanhFormLo64<v128>(promoteLow(xc), promoteLow(vh)), tanhFormLo64<v128>(promoteHigh(xc), promoteHigh(vh)));
  } else {
    return <f32>tanhFormLo64<f64>(<f64>(xc as f32), <f64>(vh as f32));
  }
}

// At -Inf: xc = -12 puts v below exp's range, and mulSigmoid's vanishing branch gives
// -Inf * 0 = NaN, as PyTorch's formula does, with no separate test for -Inf.
@inline export function geluTanhForward<V>(x: V): V {
  const xc = clamp<V>(x, -TANH_XMAX, TANH_XMAX);
  const vh = tanhFormHi<V>(xc);
  return mulSigmoid<V>(x, vh, tanhFormLo<V>(xc, vh), true, true);
}

// 1 + t, t = x v'(x) = x (C1 + 3 C3 x^2), in float64 and rounded once: the bracket
// 1 + t + e (x < 0, math/logistic.ts) cancels by up to a factor 1.4 outside the window around
// its zero, where a float32 t (three roundings) measured 4 ulp.
@inline function tanhFormOnePlusT64<D>(x: D): D {
  return madD<D>(madD<D>(mulD<D>(x, x), splatD<D>(C3_TIMES_3_64), splatD<D>(C1_64)), x, splatD<D>(1.0));
}

@inline function tanhFormOnePlusT<V>(xc: V): V {
  if (isVector<V>()) {
    return demotePair(tanhFormOnePlusT64<v128>(promoteLow(xc)), tanhFormOnePlusT64<v128>(promoteHigh(xc)));
  } else {
    return <f32>tanhFormOnePlusT64<f64>(<f64>(xc as f32));
  }
}

@inline export function geluTanhBackward<V>(dy: V, x: V): V {
  const xc = clamp<V>(x, -TANH_XMAX, TANH_XMAX);
  const vh = tanhFormHi<V>(xc);
  return nanWhereNotFinite<V>(x, mulSigmoidDerivative<V>(dy, vh, tanhFormLo<V>(xc, vh), tanhFormOnePlusT<V>(xc), true));
}
