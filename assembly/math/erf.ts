// erf and erfc on f32 lanes.
//
// Method: for z >= 0, erfc(z) = exp(-z^2) * R(z), where R = erfcx is smooth and slowly varying;
// in the variable t = 2 / (2 + z) (the substitution behind Numerical Recipes' erfcc, Press et al.
// 2007, 6.2.2) it is t * P(t) with P of degree 10, fitted by scripts/fit-polynomials.py for the
// relative error over z in [0, 12] (3.3e-8 = 0.55 ulp before float32 evaluation). exp(-z^2) gets
// z^2 as an exact double word (TwoProduct), because exp amplifies the argument's relative error
// by z^2 (up to 110 here). erfc keeps full relative accuracy down to its underflow at z = 10.05.
// erf(z) = z * S(z^2) below 0.5 (degree 4, 0.95 ulp before evaluation), 1 - erfc(z) above.

import { splat, add, sub, mul, div, mad, absV, selectV, lt, copySign, clamp, neg } from "./lanes";
import { twoProdLo } from "./doubleword";
import { expTail } from "./exp";

// @ts-ignore: decorator
@inline const R0: f32 = 0.2820914685726166;
// @ts-ignore: decorator
@inline const R1: f32 = 0.2821817696094513;
// @ts-ignore: decorator
@inline const R2: f32 = 0.24590282142162323;
// @ts-ignore: decorator
@inline const R3: f32 = 0.18139900267124176;
// @ts-ignore: decorator
@inline const R4: f32 = 0.0701596662402153;
// @ts-ignore: decorator
@inline const R5: f32 = -0.0012258772039785981;
// @ts-ignore: decorator
@inline const R6: f32 = 0.03674200549721718;
// @ts-ignore: decorator
@inline const R7: f32 = -0.35186949372291565;
// @ts-ignore: decorator
@inline const R8: f32 = 0.42339783906936646;
// @ts-ignore: decorator
@inline const R9: f32 = -0.2073095589876175;
// @ts-ignore: decorator
@inline const R10: f32 = 0.03853035718202591;

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

// Past this erfc(z) < 2^-150: the result is 0 and z^2 stays far from overflow.
// @ts-ignore: decorator
@inline export const ERFC_ZMAX: f32 = 10.5;

// erfcx(z) = exp(z^2) erfc(z) for z >= 0 (NaN in, NaN out).
@inline export function erfcx<V>(z: V): V {
  const t = div<V>(splat<V>(2.0), add<V>(splat<V>(2.0), z));
  let p = mad<V>(splat<V>(R10), t, splat<V>(R9));
  p = mad<V>(p, t, splat<V>(R8));
  p = mad<V>(p, t, splat<V>(R7));
  p = mad<V>(p, t, splat<V>(R6));
  p = mad<V>(p, t, splat<V>(R5));
  p = mad<V>(p, t, splat<V>(R4));
  p = mad<V>(p, t, splat<V>(R3));
  p = mad<V>(p, t, splat<V>(R2));
  p = mad<V>(p, t, splat<V>(R1));
  p = mad<V>(p, t, splat<V>(R0));
  return mul<V>(t, p);
}

// exp(-z^2) with z^2 carried exactly.
@inline export function expMinusSquare<V>(z: V): V {
  const zc = clamp<V>(z, -ERFC_ZMAX, ERFC_ZMAX);
  const hi = mul<V>(zc, zc);
  const lo = twoProdLo<V>(zc, zc, hi);
  return expTail<V>(neg<V>(hi), neg<V>(lo));
}

// erfc(|z|), relative accuracy throughout.
@inline export function erfcAbs<V>(z: V): V {
  return mul<V>(expMinusSquare<V>(z), erfcx<V>(absV<V>(z)));
}

@inline export function erfc<V>(z: V): V {
  const e = erfcAbs<V>(z);
  return selectV<V>(lt<V>(z, splat<V>(0.0)), sub<V>(splat<V>(2.0), e), e);
}

@inline export function erf<V>(z: V): V {
  const s = mul<V>(z, z);
  let p = mad<V>(splat<V>(S4), s, splat<V>(S3));
  p = mad<V>(p, s, splat<V>(S2));
  p = mad<V>(p, s, splat<V>(S1));
  p = mad<V>(p, s, splat<V>(S0));
  const small = mul<V>(z, p);
  const large = copySign<V>(sub<V>(splat<V>(1.0), erfcAbs<V>(z)), z);
  return selectV<V>(lt<V>(absV<V>(z), splat<V>(0.5)), small, large);
}
