// a * sigmoid(v) on f32 lanes, for sigmoid itself and for the activations built on it
// (SiLU, tanh-GELU, softplus' derivative).
//
// sigmoid(v) = 1 / (1 + e) for v >= 0 and e / (1 + e) for v < 0, with e = exp(-|v|) <= 1, so
// neither branch overflows. For v < 0 the product a * e is formed from exp's mantissa part p
// (e = p * 2^n) and scaled by 2^n last: x * sigmoid(x) is a normal number down to x = -103 while
// sigmoid(x) alone is subnormal below -87.3, and scaling first would lose those bits.
// Error: exp (<= 1 ulp) + 1 + e (0.5) + division (0.5) (+ a*p, 0.5): measured <= 2 ulp.

import { splat, add, mul, div, mad, lt, absV, neg, selectV, clamp, and } from "./lanes";
import { EXP_MIN, expShifted, expN, expNInt, expReduce, expm1Reduced, scaleByPow2 } from "./exp";

// a * sigmoid(v + vlo), where vlo is the low part of a double-word v (0 for a single float).
@inline export function mulSigmoid<V>(a: V, v: V, vlo: V): V {
  const negative = lt<V>(v, splat<V>(0.0));
  const w = clamp<V>(neg<V>(absV<V>(v)), EXP_MIN, 0.0); // -|v|, NaN stays NaN
  const wlo = selectV<V>(negative, vlo, neg<V>(vlo));
  const shifted = expShifted<V>(w);
  const n = expNInt<V>(shifted);
  const p = add<V>(splat<V>(1.0), expm1Reduced<V>(expReduce<V>(w, expN<V>(shifted), wlo)));
  const e = scaleByPow2<V>(p, n);
  const numerator = selectV<V>(negative, mul<V>(a, p), a);
  const y = scaleByPow2<V>(div<V>(numerator, add<V>(splat<V>(1.0), e)), and<V>(n, negative));
  return vanishBelowExpRange<V>(v, a, y);
}

// Where -|v| is below exp's range, sigmoid(-|v|) < 2^-150 and a * that is taken as a * 0: exact
// (a signed zero) whenever |a| <= 2^50 or so, which holds for every caller (a is x, dy, or 1), and
// it keeps a large a from lifting the clamped exponent's leftover back into the subnormals.
@inline export function vanishBelowExpRange<V>(v: V, a: V, y: V): V {
  return selectV<V>(lt<V>(v, splat<V>(EXP_MIN)), mul<V>(a, splat<V>(0.0)), y);
}

@inline export function sigmoid<V>(v: V): V {
  return mulSigmoid<V>(splat<V>(1.0), v, splat<V>(0.0));
}

// dy * d/dx [x * sigmoid(v(x))] = dy * sigmoid(v) * (1 + x * (1 - sigmoid(v)) * v'(x)),
// with the same split of exp into p * 2^n as mulSigmoid for v < 0, where sigmoid(v) = p*q*2^n
// and 1 - sigmoid(v) = q (q = 1/(1+e)); for v >= 0, sigmoid = q and 1 - sigmoid = e*q.
@inline export function mulSigmoidDerivative<V>(dy: V, x: V, v: V, vlo: V, dv: V): V {
  const negative = lt<V>(v, splat<V>(0.0));
  const w = clamp<V>(neg<V>(absV<V>(v)), EXP_MIN, 0.0);
  const wlo = selectV<V>(negative, vlo, neg<V>(vlo));
  const shifted = expShifted<V>(w);
  const n = expNInt<V>(shifted);
  const p = add<V>(splat<V>(1.0), expm1Reduced<V>(expReduce<V>(w, expN<V>(shifted), wlo)));
  const e = scaleByPow2<V>(p, n);
  const q = div<V>(splat<V>(1.0), add<V>(splat<V>(1.0), e));
  const s = selectV<V>(negative, mul<V>(p, q), q);
  const oneMinusS = selectV<V>(negative, q, mul<V>(e, q));
  const d = mul<V>(s, mad<V>(mul<V>(x, oneMinusS), dv, splat<V>(1.0)));
  return vanishBelowExpRange<V>(v, mul<V>(dy, x), scaleByPow2<V>(mul<V>(dy, d), and<V>(n, negative)));
}
