// tanh: forward, and backward from the saved output y (the seed's 1 - tanh^2).
//
// |x| < 0.625: tanh(x) = x + x^3 T(x^2), T of degree 4 fitted by scripts/fit-polynomials.py
//   (relative error 8.6e-9 = 0.14 ulp before evaluation).
// |x| >= 0.625: tanh|x| = (1 - e) / (1 + e), e = exp(-2|x|) <= 0.29 (2|x| is exact); a relative
//   error d of e reaches the result as 2e d / (1 - e^2) <= 0.62 d. Saturates to 1 from |x| = 9.01.
// Both branches run in every lane (SIMD), the polynomial's result is selected below 0.625.
// The sign is copied last, so tanh(-0) = -0.
import { splat, add, sub, mul, div, mad, absV, lt, selectV, copySign, pmax } from "../math/lanes";
import { expNormalRange } from "../math/exp";

// @ts-ignore: decorator
@inline const T0: f32 = -0.3333328068256378;
// @ts-ignore: decorator
@inline const T1: f32 = 0.13331441581249237;
// @ts-ignore: decorator
@inline const T2: f32 = -0.05373971536755562;
// @ts-ignore: decorator
@inline const T3: f32 = 0.0206390880048275;
// @ts-ignore: decorator
@inline const T4: f32 = -0.005704986862838268;
// @ts-ignore: decorator
@inline const POLY_LIMIT: f32 = 0.625;

@inline export function tanhForward<V>(x: V): V {
  const ax = absV<V>(x);
  const s = mul<V>(ax, ax);
  let t = mad<V>(splat<V>(T4), s, splat<V>(T3));
  t = mad<V>(t, s, splat<V>(T2));
  t = mad<V>(t, s, splat<V>(T1));
  t = mad<V>(t, s, splat<V>(T0));
  const small = mad<V>(mul<V>(ax, s), t, ax);
  // Past 2|x| = 87 the quotient is below 2^-126 and 1 - 2q rounds to 1 anyway: clamping there
  // lets exp scale in one step.
  const e = expNormalRange<V>(pmax<V>(mul<V>(ax, splat<V>(-2.0)), splat<V>(-87.0)));
  const large = div<V>(sub<V>(splat<V>(1.0), e), add<V>(splat<V>(1.0), e));
  return copySign<V>(selectV<V>(lt<V>(ax, splat<V>(POLY_LIMIT)), small, large), x);
}

// dy * (1 - y^2) as dy * (1 - |y|)(1 + |y|): 1 - |y| is exact near |y| = 1, where 1 - y^2
// would cancel. <= 1.5 ulp.
@inline export function tanhBackward<V>(dy: V, y: V): V {
  const ay = absV<V>(y);
  return mul<V>(dy, mul<V>(sub<V>(splat<V>(1.0), ay), add<V>(splat<V>(1.0), ay)));
}
