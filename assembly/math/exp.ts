// exp and expm1 on f32 lanes.
//
// Method (Cody & Waite 1980; the same shape as SLEEF's and XNNPACK's "rr2-p5" kernels):
//   n = round(x / ln2) by the 1.5 * 2^23 shift trick (valid for |x / ln2| < 2^22),
//   r = x - n*ln2_hi - n*ln2_lo, |r| <= ln2/2, with ln2_hi carrying 15 significant bits so that
//       n*ln2_hi is exact for |n| <= 255,
//   expm1(r) = r + r^2 * P(r), P of degree 4 fitted by scripts/fit-polynomials.py
//       (relative error 1.7e-8 = 0.28 ulp before float32 evaluation),
//   exp(x) = (1 + expm1(r)) * 2^n, the power applied in two halves so that results in the
//       subnormal range are rounded once instead of flushed (and 2^128 * 0.99 stays finite).
// Measured error (test suite, every binade): exp <= 1 ulp, expm1 <= 2 ulp.

import {
  splat, splatBits, add, sub, mul, mad, clamp, pmin, pmax, isub, iadd, ishl, ishrs, selectV, gt, negAbs,
} from "./lanes";
import { splatD, addD, subD, mulD } from "./lanes64";

// @ts-ignore: decorator
@inline export const LOG2E: f32 = 1.44269504;
// @ts-ignore: decorator
@inline export const LN2_HI: f32 = 0.693145751953125; // 0x3f317200, 15 significant bits
// @ts-ignore: decorator
@inline export const LN2_LO: f32 = 1.42860677e-6; // ln2 - LN2_HI
// @ts-ignore: decorator
@inline const SHIFT: f32 = 12582912.0; // 1.5 * 2^23: adding it rounds to an integer in the low bits
// @ts-ignore: decorator
@inline const SHIFT_BITS: i32 = 0x4b400000;
// exp(x) rounds to 0 below -103.97 and overflows above 88.73: clamping there keeps n in
// [-150, 128], which the two-step scaling covers, and sends +-Inf to 0 and Inf.
// @ts-ignore: decorator
@inline export const EXP_MIN: f32 = -104.0;
// @ts-ignore: decorator
@inline export const EXP_MAX: f32 = 89.0;

// Coefficients of P: expm1(r) = r + r^2 * (E0 + r*(E1 + r*(E2 + r*(E3 + r*E4)))).
// @ts-ignore: decorator
@inline const E0: f32 = 0.4999999701976776;
// @ts-ignore: decorator
@inline const E1: f32 = 0.1666654348373413;
// @ts-ignore: decorator
@inline const E2: f32 = 0.04166720062494278;
// @ts-ignore: decorator
@inline const E3: f32 = 0.00836651399731636;
// @ts-ignore: decorator
@inline const E4: f32 = 0.0013882522471249104;

// x * log2(e) shifted so that its low mantissa bits hold round(x * log2(e)) as an integer.
@inline export function expShifted<V>(x: V): V {
  return mad<V>(x, splat<V>(LOG2E), splat<V>(SHIFT));
}

// The rounded n as a float, from the shifted value.
@inline export function expN<V>(shifted: V): V {
  return sub<V>(shifted, splat<V>(SHIFT));
}

// The rounded n as an i32 lane, from the shifted value.
@inline export function expNInt<V>(shifted: V): V {
  return isub<V>(shifted, splatBits<V>(SHIFT_BITS));
}

// The reduced argument r = x - n*ln2 (+ tail, the low part of a double-word x).
@inline export function expReduce<V>(x: V, n: V, tail: V): V {
  const r = mad<V>(n, splat<V>(-LN2_HI), x);
  return mad<V>(n, splat<V>(-LN2_LO), add<V>(r, tail));
}

// The reduced argument r = x - n*ln2 of a single-word x.
@inline export function expReduceSingle<V>(x: V, n: V): V {
  return mad<V>(n, splat<V>(-LN2_LO), mad<V>(n, splat<V>(-LN2_HI), x));
}

// expm1(r) for |r| <= ln2/2, relative error 0.28 ulp plus evaluation. Estrin's scheme rather than
// Horner's: the same operation count with a dependency chain of three multiply-adds instead of
// five, which is what bounds the throughput of exp-heavy kernels (sigmoid, tanh).
@inline export function expm1Reduced<V>(r: V): V {
  const r2 = mul<V>(r, r);
  const p01 = mad<V>(splat<V>(E1), r, splat<V>(E0));
  const p234 = mad<V>(splat<V>(E4), r2, mad<V>(splat<V>(E3), r, splat<V>(E2)));
  return mad<V>(r2, mad<V>(p234, r2, p01), r);
}

// 2^k for integer lanes k in [-126, 127], built in the exponent field.
@inline export function pow2<V>(k: V): V {
  return ishl<V>(iadd<V>(k, splatBits<V>(127)), 23);
}

// y * 2^k for integer lanes k in [-252, 254], in two exact halves: the first multiplication
// stays normal, the second rounds once (into the subnormals when the result is that small).
@inline export function scaleByPow2<V>(y: V, k: V): V {
  const k1 = ishrs<V>(k, 1);
  return mul<V>(mul<V>(y, pow2<V>(k1)), pow2<V>(isub<V>(k, k1)));
}

@inline export function exp<V>(x: V): V {
  const xc = clamp<V>(x, EXP_MIN, EXP_MAX);
  return expClamped<V>(xc);
}

// ---- non-positive arguments: one shift builds the power of two ----
//
// For w in [EXP_MIN, 0], n = round(w / ln2) lies in [-150, 0], so 2^(n + 64) is a normal float
// (exponents -86 to 64). Folding 127 + 64 into the rounding shift (as XNNPACK folds the exponent
// bias into its "magic bias") leaves n + 191 in the low bits of `shifted`, and shifting those
// bits left by 23 is 2^(n + 64) itself: the bits above the low nine fall off the top of the lane.
// p * 2^(n + 64) is then exact, and the multiplication by 2^-64 rounds once, into the
// subnormals where exp(w) is that small: the same result as the two-step scaling above, in
// three operations instead of nine.
// @ts-ignore: decorator
@inline const SHIFT_BIASED: f32 = 12583103.0; // 1.5 * 2^23 + 127 + 64
// @ts-ignore: decorator
@inline const SHIFT_BIASED_BITS: i32 = 0x4b400000 + 191;
// @ts-ignore: decorator
@inline export const UNBIAS: f32 = 5.421010862427522e-20; // 2^-64

// w * log2(e) + SHIFT_BIASED, for w in [EXP_MIN, 0].
@inline export function expShiftedBiased<V>(w: V): V {
  return mad<V>(w, splat<V>(LOG2E), splat<V>(SHIFT_BIASED));
}

// The rounded n as a float, from the biased shifted value.
@inline export function expNBiased<V>(shifted: V): V {
  return sub<V>(shifted, splat<V>(SHIFT_BIASED));
}

// 2^(n + 64), from the biased shifted value.
@inline export function pow2Biased<V>(shifted: V): V {
  return ishl<V>(shifted, 23);
}

// ---- non-positive arguments formed in float64 ----
//
// Where the argument is formed in float64 because float32 would lose it (GELU's tanh form, whose
// argument reaches -120 and whose exp multiplies an argument error by that much), the reduction
// runs there too, on t = w log2(e) (the caller folds log2(e) into its coefficients), with the
// same biased shift at 1.5 * 2^52: for t in [-173, 0] (the callers' bound: GELU's tanh form's TANH_FORM_XMAX) the low 32 bits of the shifted value
// hold n + 191 in [18, 191], so 2^(n + 64) >= 2^-109 is normal and the caller's last product by
// 2^-64 still rounds once. t - n is exact (Sterbenz), and r = (t - n) ln2 is rounded once to
// float32: |r| <= ln2/2 errs by at most 2^-26 (0.25 ulp of exp(r)) plus a relative 2^-52.
// @ts-ignore: decorator
@inline const SHIFT_BIASED64: f64 = 6755399441055935.0; // 1.5 * 2^52 + 127 + 64
// @ts-ignore: decorator
@inline const LN2_64: f64 = 0.6931471805599453;

// t + SHIFT_BIASED64: n = round(t) in the low bits, for t in [-173, 0].
@inline export function exp2ShiftedBiased64<D>(t: D): D {
  return addD<D>(t, splatD<D>(SHIFT_BIASED64));
}

// r = (t - n) ln2, the reduced argument of exp, n from the shifted value.
@inline export function exp2Reduce64<D>(t: D, shifted: D): D {
  return mulD<D>(subD<D>(t, subD<D>(shifted, splatD<D>(SHIFT_BIASED64))), splatD<D>(LN2_64));
}

// n + 191 on i32 lanes from the float64 shifted values of lanes 0-1 (lo) and 2-3 (hi): their low
// words. pow2Biased of it is 2^(n + 64), as of the float32 shifted value.
@inline export function biasedNFrom64(lo: v128, hi: v128): v128 {
  return v128.shuffle<i32>(lo, hi, 0, 2, 4, 6);
}

@inline export function biasedNFrom64Scalar(shifted: f64): f32 {
  return reinterpret<f32>(<i32>reinterpret<i64>(shifted));
}

// exp(w + tail) for w in [EXP_MIN, 0] or NaN (tail: the low part of a double word, or 0).
@inline export function expNonPositiveTail<V>(w: V, tail: V): V {
  const shifted = expShiftedBiased<V>(w);
  const r = expReduce<V>(w, expNBiased<V>(shifted), tail);
  return scaleBiased<V>(expm1Reduced<V>(r), shifted);
}

// (1 + em) * 2^n from expm1(r) = em and the biased shifted value (or n + 191 on i32 lanes, as
// biasedNFrom64 gives), as (em * s + s) * 2^-64 with
// s = 2^(n + 64): em * s is exact, so the sum rounds once, as 1 + em would (s scales exactly),
// and the relaxed build fuses the pair into one multiply-add.
@inline export function scaleBiased<V>(em: V, shifted: V): V {
  const s = pow2Biased<V>(shifted);
  return mul<V>(mad<V>(em, s, s), splat<V>(UNBIAS));
}

// The rounded n as an i32 lane, from the biased shifted value.
@inline export function expNIntBiased<V>(shifted: V): V {
  return isub<V>(shifted, splatBits<V>(SHIFT_BIASED_BITS));
}

// ---- expm1 of a moderate non-positive argument, for tanh ----
//
// 1 - exp(t) for t = c * a, a in [0, 43] (c = -2 for tanh): with 127 alone folded into the shift,
// the shifted bits give 2^n directly (n in [-125, 0], normal). The constant c * log2(e) is folded
// into the shift's multiplication, which shortens the dependency chain by one multiplication; its
// rounding only moves the points where n changes (|r| stays within the fitted interval).
// 1 - exp(t) = (1 - 2^n) + expm1(r) * (-2^n): 1 - 2^n and the product are exact, so the result
// is rounded once after expm1(r) (<= 1 ulp), and keeps expm1's relative accuracy at n = 0.
// The shift carries 256 + 127: n + 383 has bit 8 set for every n in [-126, 0], and shifting the
// low bits left by 23 moves that bit into the sign, so the shift alone gives -2^n, and the
// relaxed build fuses the last multiply-add.
// @ts-ignore: decorator
@inline const SHIFT_NEG_POW2: f32 = 12583295.0; // 1.5 * 2^23 + 256 + 127

@inline export function oneMinusExpScaled<V>(a: V, c: f32): V {
  const t = mul<V>(a, splat<V>(c));
  return oneMinusExpShifted<V>(t, mad<V>(a, splat<V>(<f32>(<f64>c * 1.4426950408889634)), splat<V>(SHIFT_NEG_POW2)));
}

// 1 - exp(t) from t and its shifted value t log2(e) + SHIFT_NEG_POW2.
@inline function oneMinusExpShifted<V>(t: V, shifted: V): V {
  const em = expm1Reduced<V>(expReduceSingle<V>(t, sub<V>(shifted, splat<V>(SHIFT_NEG_POW2))));
  const negPow2 = ishl<V>(shifted, 23); // -2^n
  return mad<V>(em, negPow2, add<V>(splat<V>(1.0), negPow2));
}

// -expm1(min(x, 0)) (ELU's negative side, which callers subtract): x clamped into [-20, 0] (past
// -20 expm1 rounds to -1, n in [-29, 0]), then 1 - exp as above. It is the negation of
// expm1's (2^n - 1) + expm1(r) 2^n term by term, and rounding to nearest is symmetric. Zero
// signs: x = +-0 gives +0 (r = -0 for x = -0, but expm1(r) = r + r^2 P(r) is +0 there), and the
// caller's -0 - alpha (+0) stays -0 for alpha >= 0, so ELU(-0) = -0 as IEEE's expm1 (and
// PyTorch's ELU) give, without the sign that an expm1 of this form would have to or back in (two
// operations per lane).
// NaN stays NaN (pmin/pmax keep a NaN first operand).
@inline export function negExpm1Clamped<V>(x: V): V {
  const xc = pmax<V>(pmin<V>(x, splat<V>(0.0)), splat<V>(-20.0));
  return oneMinusExpShifted<V>(xc, mad<V>(xc, splat<V>(LOG2E), splat<V>(SHIFT_NEG_POW2)));
}

// -|v| clamped at EXP_MIN (NaN stays NaN): the argument of exp(-|v|), for callers that take its
// reduction apart.
@inline export function negAbsInExpRange<V>(v: V): V {
  return pmax<V>(negAbs<V>(v), splat<V>(EXP_MIN));
}

// exp(w) for w <= 0 (sigmoid's -|x|): only the lower clamp is needed.
@inline export function expNonPositive<V>(w: V): V {
  const wc = pmax<V>(w, splat<V>(EXP_MIN));
  const shifted = expShiftedBiased<V>(wc);
  return scaleBiased<V>(expm1Reduced<V>(expReduceSingle<V>(wc, expNBiased<V>(shifted))), shifted);
}

// exp of an argument already inside [EXP_MIN, EXP_MAX] (or NaN), single-word.
@inline function expClamped<V>(x: V): V {
  const shifted = expShifted<V>(x);
  const r = expReduceSingle<V>(x, expN<V>(shifted));
  return scaleByPow2<V>(add<V>(splat<V>(1.0), expm1Reduced<V>(r)), expNInt<V>(shifted));
}

// expm1(x) = 2^n * expm1(r) + (2^n - 1). For n = 0 this is expm1(r) itself, so the result keeps
// full relative accuracy near 0; 2^n - 1 is exact for |n| <= 24, and beyond that the small term
// is below half an ulp anyway. For x above 88 (n = 128) 2^n is not a float: exp takes over.
@inline export function expm1<V>(x: V): V {
  const xc = clamp<V>(x, -20.0, EXP_MAX); // expm1(-20) rounds to -1
  const shifted = expShifted<V>(xc);
  const n = expNInt<V>(shifted);
  const em = expm1Reduced<V>(expReduce<V>(xc, expN<V>(shifted), splat<V>(0.0)));
  const big = gt<V>(xc, splat<V>(88.0));
  const s = pow2<V>(selectV<V>(big, splatBits<V>(0), n));
  const moderate = mad<V>(em, s, sub<V>(s, splat<V>(1.0)));
  const huge = scaleByPow2<V>(add<V>(splat<V>(1.0), em), n);
  return selectV<V>(big, huge, moderate);
}

// ---- exp(x - K ln2) for a row of arguments sharing one integer K (softmax) ----
//
// Softmax is invariant under a common shift of its row, and exp(x - K ln2) = exp(x) 2^-K: with K
// an integer, the shift is carried by the exponent alone, so the argument x - max never has to be
// formed (in float32 it rounds, and exp(d) multiplies that relative error by |d|; carrying it as a
// double word costs a TwoSum and an addition per lane). K = round(m log2(e)) for the row maximum
// m, so x - K ln2 <= m - K ln2 <= ln2/2 (no overflow) and the smallest terms underflow where
// exp(x - m) would. This is Cody and Waite's reduction of x itself, r = x - n ln2 with n =
// round(x log2(e)), as in expNonPositiveTail, with K subtracted from n in the rounding constant
// (its low bits carry n - K + 191), and the same p * 2^(n - K + 64) * 2^-64 scaling: the error is
// exp's (<= 1 ulp), with no contribution from the shift. Valid for |x| <= 176 (|n| <= 254, so
// n * LN2_HI is exact and the shift trick rounds correctly) and n - K >= -190: callers take it
// for rows with |m| <= 64 and clamp x at m - 112 (exp(-112) is far below any float32 result).

// SHIFT_BIASED - K for K = round(m log2(e)), rounded as expShiftedBiased rounds.
@inline export function rowShiftConstant<V>(m: V): V {
  const k = sub<V>(mad<V>(m, splat<V>(LOG2E), splat<V>(SHIFT)), splat<V>(SHIFT));
  return sub<V>(splat<V>(SHIFT_BIASED), k);
}

// exp(x - K ln2) 2^64 for x >= floor (lower arguments are clamped there), c = rowShiftConstant:
// p * 2^(n - K + 64) before the final scaling by 2^-64, which the caller folds into a factor of
// its own (softmax's 1/sum). Normal down to exp(-112) 2^64, so it rounds once, where a
// subnormal exp(x - K ln2) would round twice (here and again when multiplied by the factor).
@inline export function expMinusKLn2Times2p64<V>(x: V, floor: V, c: V): V {
  const xc = pmax<V>(x, floor);
  const shifted = mad<V>(xc, splat<V>(LOG2E), c);
  const r = expReduceSingle<V>(xc, sub<V>(shifted, c)); // n = shifted - c, exact
  const s = pow2Biased<V>(shifted);
  return mad<V>(expm1Reduced<V>(r), s, s);
}

// exp(x - K ln2) itself (as scaleBiased scales).
@inline export function expMinusKLn2<V>(x: V, floor: V, c: V): V {
  return mul<V>(expMinusKLn2Times2p64<V>(x, floor, c), splat<V>(UNBIAS));
}

// ---- a * exp(w) with the constant folded into the unbiasing (ELU's and SELU's slopes) ----
//
// expNonPositive builds 2^(n + 64) from the rounding shift and multiplies p * 2^(n + 64) by 2^-64
// last. Here that last multiplication is by c = a * 2^-64, exact in float32 for |a| >= 2^-62 (or
// a = 0): a * exp(w) is then rounded twice (1 + expm1(r), then the product, once into the
// subnormals where the slope is that small) instead of three times, and the slope's separate
// multiplication by a disappears. Since a multiplies before the rounding, the clamp must send
// exp far enough down that a * exp(clamp) still rounds to 0: w is clamped at -131 (n >= -189,
// so 2^(n + 64) stays normal and n * LN2_HI exact), which holds for |a| < 2^39. Outside
// [2^-62, 2^39] the slope would lose accuracy (c subnormal, or a spurious a * exp(-131) below
// the clamp), so only constants inside that range come here: SELU's, and ELU's run-time alpha
// after a test of its size (kernels/elu.ts). w is clamped below only: a positive w (a lane the caller
// discards) gives a harmless value.
// @ts-ignore: decorator
@inline const EXP_MIN_TIMES: f32 = -131.0;

@inline export function expNonPositiveTimes<V>(w: V, c: f32): V {
  const wc = pmax<V>(w, splat<V>(EXP_MIN_TIMES));
  const shifted = expShiftedBiased<V>(wc);
  const em = expm1Reduced<V>(expReduceSingle<V>(wc, expNBiased<V>(shifted)));
  const s = pow2Biased<V>(shifted); // 2^(n + 64)
  return mul<V>(mad<V>(em, s, s), splat<V>(c));
}
