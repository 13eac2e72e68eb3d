// log1p on f32 lanes.
//
// Method (the argument reduction of Sun's fdlibm log1p, re-derived here):
//   u = fl(1 + x) and c = x - (u - 1), the rounding error of that sum (exact while u < 2^24,
//       where u - 1 and the final subtraction are exact by Sterbenz's lemma);
//   u = 2^k * m with m in [sqrt(2)/2, sqrt(2)), f = m - 1 exact;
//   log1p(x) = k*ln2 + log1p(f) + c/u, the last term first order in the tiny c;
//   log1p(f) = f - f^2/2 + f^3 * Q(f), Q of degree 6 fitted by scripts/fit-polynomials.py
//       (relative error 3.5e-8 = 0.58 ulp before float32 evaluation).
// Measured error (test suite): <= 2 ulp over [-1, Inf].

import {
  splat, splatBits, add, sub, mul, div, mad, and, iadd, isub, ishrs, selectV, lt, eq, ilt, intToFloat,
} from "./lanes";
import { LN2_HI, LN2_LO } from "./exp";

// @ts-ignore: decorator
@inline const Q0: f32 = 0.3333390951156616;
// @ts-ignore: decorator
@inline const Q1: f32 = -0.2500133812427521;
// @ts-ignore: decorator
@inline const Q2: f32 = 0.19963063299655914;
// @ts-ignore: decorator
@inline const Q3: f32 = -0.1657758504152298;
// @ts-ignore: decorator
@inline const Q4: f32 = 0.14914767444133759;
// @ts-ignore: decorator
@inline const Q5: f32 = -0.14267486333847046;
// @ts-ignore: decorator
@inline const Q6: f32 = 0.08700435608625412;

// @ts-ignore: decorator
@inline const SQRT_HALF_BITS: i32 = 0x3f3504f3; // sqrt(2)/2
// @ts-ignore: decorator
@inline const ONE_BITS: i32 = 0x3f800000;

// log1p(f) for f in [sqrt(2)/2 - 1, sqrt(2) - 1], as the two parts f and the rest
// (-f^2/2 + f^3 Q(f)) so that the caller can add the small terms before f.
@inline export function log1pReducedRest<V>(f: V): V {
  let q = mad<V>(splat<V>(Q6), f, splat<V>(Q5));
  q = mad<V>(q, f, splat<V>(Q4));
  q = mad<V>(q, f, splat<V>(Q3));
  q = mad<V>(q, f, splat<V>(Q2));
  q = mad<V>(q, f, splat<V>(Q1));
  q = mad<V>(q, f, splat<V>(Q0));
  const f2 = mul<V>(f, f);
  return mad<V>(mul<V>(f2, f), q, mul<V>(f2, splat<V>(-0.5)));
}

@inline export function log1p<V>(x: V): V {
  const u = add<V>(splat<V>(1.0), x);
  // Shift the bits so that the exponent field rounds at sqrt(2)/2 rather than at 1.
  const shifted = iadd<V>(u, splatBits<V>(ONE_BITS - SQRT_HALF_BITS));
  const k = isub<V>(ishrs<V>(shifted, 23), splatBits<V>(127));
  const m = iadd<V>(and<V>(shifted, splatBits<V>(0x007fffff)), splatBits<V>(SQRT_HALF_BITS));
  const f = sub<V>(m, splat<V>(1.0));
  // u >= 2^25 (k >= 25): c/u is far below an ulp of the result, and u - 1 may be inexact.
  const c = selectV<V>(ilt<V>(k, splatBits<V>(25)), sub<V>(x, sub<V>(u, splat<V>(1.0))), splat<V>(0.0));
  const kf = intToFloat<V>(k);
  const small = mad<V>(kf, splat<V>(LN2_LO), div<V>(c, u));
  const y = mad<V>(kf, splat<V>(LN2_HI), add<V>(f, add<V>(log1pReducedRest<V>(f), small)));
  // Out of the reduction's domain: u = +Inf gives +Inf, u = 0 gives -Inf, u < 0 (x < -1) NaN.
  const special = selectV<V>(eq<V>(u, splat<V>(0.0)), splat<V>(-Infinity), selectV<V>(lt<V>(u, splat<V>(0.0)), splat<V>(NaN), u));
  const inDomain = and<V>(lt<V>(splat<V>(0.0), u), lt<V>(u, splat<V>(Infinity)));
  return selectV<V>(inDomain, y, special);
}
