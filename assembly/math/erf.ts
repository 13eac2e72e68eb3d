// erf and erfc on f32 lanes, and the scaled erfcx in float64 that the exact GELU uses.
//
// Method: for z >= 0, erfc(z) = exp(-z^2) * R(z), where R = erfcx is smooth and slowly varying;
// in the variable t = 2 / (2 + z) (the substitution behind Numerical Recipes' erfcc, Press et al.
// 2007, 6.2.2) it is t * P(t), P of degree 12 with float64 coefficients fitted by
// scripts/fit-polynomials.py for the relative error over z in [0, 15] (3.5e-10). R, t and the
// final products are evaluated in float64 (float32 Horner steps on these alternating coefficients
// cost several ulps); exp(-z^2) is float32 exp with z^2 carried as an exact double word, since exp
// multiplies its argument's relative error by z^2 (up to 110). It comes as a mantissa p and a
// power 2^n that float64 applies exactly, so nothing is lost to the float32 subnormals.
// erf(z) = z * S(z^2) below 0.5 (degree 4, float32), 1 - erfc(|z|) with the sign above.
// Measured (test suite, every binade): erfc <= 2 ulp, erf <= 3 ulp.

import {
  splat, add, sub, mul, mad, absV, selectV, lt, clamp, neg, demotePair, promoteLow, promoteHigh,
} from "./lanes";
import { splatD, addD, subD, mulD, divD, madD, absD, ltD, selectD, pow2Low, pow2High, pow2Scalar } from "./lanes64";
import { twoProdLo, splitHi } from "./doubleword";
import { EXP_MIN, EXP_MAX, expShifted, expN, expNInt, expReduce, expm1Reduced } from "./exp";

// P(t), float64 (degree 12).
// @ts-ignore: decorator
@inline const R0: f64 = 0.28209548313246974;
// @ts-ignore: decorator
@inline const R1: f64 = 0.2820688096552693;
// @ts-ignore: decorator
@inline const R2: f64 = 0.24725593867423934;
// @ts-ignore: decorator
@inline const R3: f64 = 0.17237682778234348;
// @ts-ignore: decorator
@inline const R4: f64 = 0.10687914941183602;
// @ts-ignore: decorator
@inline const R5: f64 = -0.09421640563113565;
// @ts-ignore: decorator
@inline const R6: f64 = 0.17416086857199398;
// @ts-ignore: decorator
@inline const R7: f64 = -0.42894912354215164;
// @ts-ignore: decorator
@inline const R8: f64 = 0.3172971213591371;
// @ts-ignore: decorator
@inline const R9: f64 = 0.051619227739467546;
// @ts-ignore: decorator
@inline const R10: f64 = -0.1976670895895848;
// @ts-ignore: decorator
@inline const R11: f64 = 0.10693829924050399;
// @ts-ignore: decorator
@inline const R12: f64 = -0.019859107149199015;

// @ts-ignore: decorator
@inline const S0: f32 = 1.1283791065216064;
// @ts-ignore: decorator
@inline const S1: f32 = -0.37612608075141907;
// @ts-ignore: decorator
@inline const S2: f32 = 0.11282822489738464;
// @ts-ignore: decorator
@inline const S3: f32 = -0.02675718255341053;
// @ts-ignore: decorator
@inline const S4: f32 = 0.004717987962067127;

// Past this, exp(-z^2) < 2^-150 and erfc(z) rounds to 0; it also keeps z^2 far from overflow.
// @ts-ignore: decorator
@inline export const ERFC_ZMAX: f32 = 10.5;

// erfcx(z) = exp(z^2) erfc(z) for z >= 0 in float64 (+Inf gives 0, NaN gives NaN).
@inline export function erfcx64<D>(z: D): D {
  const t = divD<D>(splatD<D>(2.0), addD<D>(splatD<D>(2.0), z));
  let p = madD<D>(splatD<D>(R12), t, splatD<D>(R11));
  p = madD<D>(p, t, splatD<D>(R10));
  p = madD<D>(p, t, splatD<D>(R9));
  p = madD<D>(p, t, splatD<D>(R8));
  p = madD<D>(p, t, splatD<D>(R7));
  p = madD<D>(p, t, splatD<D>(R6));
  p = madD<D>(p, t, splatD<D>(R5));
  p = madD<D>(p, t, splatD<D>(R4));
  p = madD<D>(p, t, splatD<D>(R3));
  p = madD<D>(p, t, splatD<D>(R2));
  p = madD<D>(p, t, splatD<D>(R1));
  p = madD<D>(p, t, splatD<D>(R0));
  return mulD<D>(t, p);
}

// exp(-(z/scale)^2 ...) pieces: the argument -(k z)^2 of exp as computed in float32 for
// z clamped to [-zmax, zmax], where k^2 is 1 (erfc) or 1/2 (GELU's exp(-x^2/2)).
@inline export function gaussArg<V>(z: V, zmax: f32, halve: bool): V {
  const zc = clamp<V>(z, -zmax, zmax);
  const sq = mul<V>(zc, zc);
  return clamp<V>(halve ? mul<V>(sq, splat<V>(-0.5)) : neg<V>(sq), EXP_MIN, EXP_MAX);
}

// The float32 mantissa p of exp(-(k z)^2) = p * 2^n, with (k z)^2 carried exactly.
@inline export function gaussMantissa<V>(z: V, zmax: f32, halve: bool): V {
  const zc = clamp<V>(z, -zmax, zmax);
  const sq = mul<V>(zc, zc);
  const lo = twoProdLo<V>(zc, zc, sq);
  const w = gaussArg<V>(z, zmax, halve);
  const tail = halve ? mul<V>(lo, splat<V>(-0.5)) : neg<V>(lo);
  return add<V>(splat<V>(1.0), expm1Reduced<V>(expReduce<V>(w, expN<V>(expShifted<V>(w)), tail)));
}

// The exponent n (i32 lanes) of exp(-(k z)^2) = p * 2^n.
@inline export function gaussExponent<V>(z: V, zmax: f32, halve: bool): V {
  return expNInt<V>(expShifted<V>(gaussArg<V>(z, zmax, halve)));
}

// Applies a float64 computation f(z64, g64) per lane, g = exp(-z^2) exactly from p * 2^n,
// and rounds the result to float32 once. `which` picks f at compile time: 0 erfc, 1 erf.
@inline function erfLanes64<D>(which: i32, z: D, g: D): D {
  const e = mulD<D>(g, erfcx64<D>(absD<D>(z)));
  const negative = ltD<D>(z, splatD<D>(0.0));
  if (which == 0) return selectD<D>(negative, subD<D>(splatD<D>(2.0), e), e);
  const m = subD<D>(splatD<D>(1.0), e);
  return selectD<D>(negative, subD<D>(splatD<D>(0.0), m), m);
}

@inline function erfViaFloat64<V>(which: i32, z: V): V {
  const p = gaussMantissa<V>(z, ERFC_ZMAX, false);
  const n = gaussExponent<V>(z, ERFC_ZMAX, false);
  if (isVector<V>()) {
    const lo = erfLanes64<v128>(which, promoteLow(z), f64x2.mul(promoteLow(p), pow2Low(n)));
    const hi = erfLanes64<v128>(which, promoteHigh(z), f64x2.mul(promoteHigh(p), pow2High(n)));
    return demotePair(lo, hi);
  } else {
    return <f32>erfLanes64<f64>(which, <f64>(z as f32), <f64>(p as f32) * pow2Scalar(n as f32));
  }
}

@inline export function erfc<V>(z: V): V {
  return erfViaFloat64<V>(0, z);
}

@inline export function erf<V>(z: V): V {
  const s = mul<V>(z, z);
  let p = mad<V>(splat<V>(S4), s, splat<V>(S3));
  p = mad<V>(p, s, splat<V>(S2));
  p = mad<V>(p, s, splat<V>(S1));
  p = mad<V>(p, s, splat<V>(S0));
  return selectV<V>(lt<V>(absV<V>(z), splat<V>(0.5)), mul<V>(z, p), erfViaFloat64<V>(1, z));
}

// ---- float32 pieces of the upper tail Q(a) = erfc(a/sqrt2)/2 (GELU) ----
//
// Q(a) = exp(-a^2/2) R(a), R = M / sqrt(2 pi) with M Mills' ratio. 1/R(a) = K a + eps(a),
// K = sqrt(2 pi), eps decreasing from 2 at a = 0 to about sqrt(2 pi)/a (Laplace's continued
// fraction M = 1/(a + 1/(a + 2/(a + ...))), Abramowitz & Stegun 26.2.14, is the classical form
// of this). eps is fitted as P/Qp, P of degree 4 with P(0) = 2 (so R(0) = 1/2 exactly), Qp of
// degree 5 with Qp(0) = 1, all coefficients positive:
//   R(a) = Qp(a) / (K a Qp(a) + P(a)),   a R(a) = N / (K N + P) with N = a Qp(a).
// (The shape erfc = exp(-x^2) P/Q is that of W. J. Cody's 1969 rational approximations; the
// rewriting around 1/R's leading term K a is this kernel's.) Its point is that N (or Qp),
// computed once, enters numerator and denominator alike: float32 Horner errors of Qp and P, several ulps on their own at large a, are
// damped by eps / (K a + eps), which is 1 at a = 0 and about 1/a^2 beyond, and at small a the
// product K N is the small term of the denominator. N is formed as a + a (a Qt), Qt = (Qp - 1)/a,
// which rounds once where a Qp would round twice (Qp's leading 1, then the product).
// Fitted by scripts/fit-polynomials.py (mills) for the relative error of R over a in [0, 14.5]
// (Loeb/Lawson minimax, coefficients rounded to float32): 9.0e-9 = 0.15 ulp.
// @ts-ignore: decorator
@inline const MP1: f32 = 1.2590279579162598;
// @ts-ignore: decorator
@inline const MP2: f32 = 0.41556745767593384;
// @ts-ignore: decorator
@inline const MP3: f32 = 0.07456953823566437;
// @ts-ignore: decorator
@inline const MP4: f32 = 0.0062259770929813385;
// @ts-ignore: decorator
@inline const MQ1: f32 = 1.0849435329437256;
// @ts-ignore: decorator
@inline const MQ2: f32 = 0.5652787685394287;
// @ts-ignore: decorator
@inline const MQ3: f32 = 0.17048177123069763;
// @ts-ignore: decorator
@inline const MQ4: f32 = 0.029761433601379395;
// @ts-ignore: decorator
@inline const MQ5: f32 = 0.0024835565127432346;
// float32(sqrt(2 pi)), the value the fit used.
// @ts-ignore: decorator
@inline export const MILLS_K: f32 = 2.5066282749176025;

// Past a = 14.5, x Phi(x) and the density round to 0 in float32 (exp(-a^2/2) < 2^-151); it also
// keeps -a^2/2 inside exp's biased scaling (n >= -152, 2^(n + 64) normal).
// @ts-ignore: decorator
@inline export const GAUSS_AMAX: f32 = 14.5;

// Qt(a) = (Qp(a) - 1) / a.
@inline export function millsQt<V>(a: V): V {
  let q = mad<V>(splat<V>(MQ5), a, splat<V>(MQ4));
  q = mad<V>(q, a, splat<V>(MQ3));
  q = mad<V>(q, a, splat<V>(MQ2));
  return mad<V>(q, a, splat<V>(MQ1));
}

// P(a) of eps = P / Qp.
@inline export function millsP<V>(a: V): V {
  let p = mad<V>(splat<V>(MP4), a, splat<V>(MP3));
  p = mad<V>(p, a, splat<V>(MP2));
  p = mad<V>(p, a, splat<V>(MP1));
  return mad<V>(p, a, splat<V>(2.0));
}

// The same rational divided through by K, for the slope, which needs M = K R: with C = 1/K,
//   M(a) = Qp(a) / (a Qp(a) + Pc(a)),   Pc = P / K,
// refitted with Qp kept (scripts/fit-polynomials.py mills, fit_mills_slope) against C/R - a with
// C = float32(1/sqrt(2 pi)), the constant the kernel applies: 7.5e-9 = 0.13 ulp. M - a is formed without rounding a product a C.
// @ts-ignore: decorator
@inline const MC0: f32 = 0.7978845834732056; // 2C, exact
// @ts-ignore: decorator
@inline const MC1: f32 = 0.5022794008255005;
// @ts-ignore: decorator
@inline const MC2: f32 = 0.1657876968383789;
// @ts-ignore: decorator
@inline const MC3: f32 = 0.02974879927933216;
// @ts-ignore: decorator
@inline const MC4: f32 = 0.0024838405661284924;
// C 2^-64 (C = float32(1/sqrt(2 pi)) = 0.3989422917366028, scaled exactly).
// @ts-ignore: decorator
@inline export const C_UNBIASED: f32 = 2.1626704969858532e-20;

// Pc(a), the denominator's polynomial of M = Qp / (a Qp + Pc).
@inline export function millsPc<V>(a: V): V {
  let p = mad<V>(splat<V>(MC4), a, splat<V>(MC3));
  p = mad<V>(p, a, splat<V>(MC2));
  p = mad<V>(p, a, splat<V>(MC1));
  return mad<V>(p, a, splat<V>(MC0));
}

// exp(-a^2/2) for a in [0, GAUSS_AMAX] as (1 + em) 2^(n + 64) 2^-64, from exp's biased pieces
// (math/exp.ts: expShiftedBiased, pow2Biased). a^2/2 is carried exactly without a TwoProduct:
// with ah = a rounded to 12 bits (Veltkamp's split, math/doubleword.ts) and al = a - ah, ah^2/2
// is an exact float32 (24 bits) and is exp's argument; the rest, ah al + al^2/2 = al (ah + al/2),
// is below 0.06 and goes into the reduced argument (its one rounding is < 2^-28 absolute, and exp
// turns an absolute error of the argument into the same relative error of the result).
@inline export function gaussHead<V>(a: V): V {
  const ah = splitHi<V>(a);
  return mul<V>(mul<V>(ah, splat<V>(-0.5)), ah);
}

@inline export function gaussTail<V>(a: V): V {
  const ah = splitHi<V>(a);
  const nal = sub<V>(ah, a); // -al, exact
  return mul<V>(nal, mad<V>(nal, splat<V>(-0.5), ah));
}
