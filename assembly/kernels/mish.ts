// Mish: x * tanh(softplus(x)) (Misra 2019), and its backward from the saved input.
//
// With e = exp(-|x|) the composition is a rational function of e alone, so it needs one exp and
// one division and never overflows:
//   x >= 0: tanh(softplus(x)) = (1 + 2e) / (1 + 2e + 2e^2)
//   x <  0: tanh(softplus(x)) = e (e + 2) / (e^2 + 2e + 2)
// For x < 0 the factor e = p * 2^n is applied last (x e is normal while e is subnormal).
// Derivative (formed in float64): tsp + x sigmoid(x) (1 - tsp^2), which becomes, over the same
// denominators D,
//   x >= 0: (N D + 4 x e^2 (1 + e)) / D^2,      N = 1 + 2e, D = 1 + 2e + 2e^2
//   x <  0: e ((e + 2) D + 4 x (e + 1)) / D^2,  D = e^2 + 2e + 2
import {
  splat, splatBits, add, mul, div, mad, lt, selectV, absV, neg, or, pmax, clamp, nanWhereInfinite, nanWhereNegativeInfinity,
  promoteLow, promoteHigh, demotePair,
} from "../math/lanes";
import { splatD, addD, mulD, divD, madD, absD, ltD, selectD, pow2Low, pow2High, pow2Scalar } from "../math/lanes64";
import { vanishBelowExpRange } from "../math/logistic";
import {
  EXP_MIN, UNBIAS, expShifted, expN, expNInt, expReduce, expReduceSingle, expm1Reduced, expShiftedBiased, expNBiased, pow2Biased,
} from "../math/exp";

// exp(-|x|)'s mantissa part p (e = p * 2^n).
@inline function mantissa<V>(x: V): V {
  const w = clamp<V>(neg<V>(absV<V>(x)), EXP_MIN, 0.0);
  return add<V>(splat<V>(1.0), expm1Reduced<V>(expReduce<V>(w, expN<V>(expShifted<V>(w)), splat<V>(0.0))));
}

@inline function exponent<V>(x: V): V {
  return expNInt<V>(expShifted<V>(clamp<V>(neg<V>(absV<V>(x)), EXP_MIN, 0.0)));
}

// The denominator D for each side.
@inline function denominator<V>(e: V, negative: V): V {
  const e2 = mul<V>(e, e);
  const twoE = add<V>(e, e);
  return selectV<V>(negative, add<V>(add<V>(e2, twoE), splat<V>(2.0)), mad<V>(e2, splat<V>(2.0), add<V>(splat<V>(1.0), twoE)));
}

// e = p * 2^n from the biased shift (exp.ts): 2^(n + 64) is one shift, and where x < 0 the
// quotient x p (e + 2) / D, at most 2^8 in magnitude there, takes 2^n as 2^(n + 64) * 2^-64, the
// last multiplication rounding once.
@inline export function mishForward<V>(x: V): V {
  const w = pmax<V>(or<V>(x, splatBits<V>(0x80000000)), splat<V>(EXP_MIN)); // -|x|
  const shifted = expShiftedBiased<V>(w);
  const p = add<V>(splat<V>(1.0), expm1Reduced<V>(expReduceSingle<V>(w, expNBiased<V>(shifted))));
  const scale = pow2Biased<V>(shifted); // 2^(n + 64)
  const e = mul<V>(mul<V>(p, scale), splat<V>(UNBIAS));
  const negative = lt<V>(x, splat<V>(0.0));
  const numerator = selectV<V>(negative, mul<V>(mul<V>(x, p), add<V>(e, splat<V>(2.0))), mul<V>(x, mad<V>(e, splat<V>(2.0), splat<V>(1.0))));
  const q = div<V>(numerator, denominator<V>(e, negative));
  const y = selectV<V>(negative, mul<V>(mul<V>(q, scale), splat<V>(UNBIAS)), q);
  return nanWhereNegativeInfinity<V>(x, vanishBelowExpRange<V>(x, x, y));
}

// The derivative in float64 from e = p * 2^n (exact there), rounded once.
// e = exp(-|x|) is taken as 0 where -|x| is below exp's range (the clamped exponent would leave
// a trace).
@inline function mishDerivative64<D>(dy: D, x: D, p: D, scale: D): D {
  const e = selectD<D>(ltD<D>(absD<D>(x), splatD<D>(-<f64>EXP_MIN)), mulD<D>(p, scale), splatD<D>(0.0));
  const negative = ltD<D>(x, splatD<D>(0.0));
  const e2 = mulD<D>(e, e);
  const twoE = addD<D>(e, e);
  const onePlusE = addD<D>(splatD<D>(1.0), e);
  const fourX = mulD<D>(x, splatD<D>(4.0));
  const dNeg = addD<D>(addD<D>(e2, twoE), splatD<D>(2.0));
  const dPos = addD<D>(addD<D>(splatD<D>(1.0), twoE), addD<D>(e2, e2));
  const d = selectD<D>(negative, dNeg, dPos);
  const bracketNeg = mulD<D>(e, madD<D>(addD<D>(e, splatD<D>(2.0)), d, mulD<D>(fourX, onePlusE)));
  const bracketPos = madD<D>(addD<D>(splatD<D>(1.0), twoE), d, mulD<D>(mulD<D>(fourX, e2), onePlusE));
  return mulD<D>(dy, divD<D>(selectD<D>(negative, bracketNeg, bracketPos), mulD<D>(d, d)));
}

@inline export function mishBackward<V>(dy: V, x: V): V {
  const p = mantissa<V>(x);
  const n = exponent<V>(x);
  if (isVector<V>()) {
    const lo = mishDerivative64<v128>(promoteLow(dy), promoteLow(x), promoteLow(p), pow2Low(n));
    const hi = mishDerivative64<v128>(promoteHigh(dy), promoteHigh(x), promoteHigh(p), pow2High(n));
    return nanWhereInfinite<V>(x, demotePair(lo, hi));
  } else {
    return nanWhereInfinite<V>(x, <f32>mishDerivative64<f64>(<f64>(dy as f32), <f64>(x as f32), <f64>(p as f32), pow2Scalar(n as f32)));
  }
}
