// Float64 lane operations, generic over D = v128 (two f64 lanes) or f64, for the few places
// where a float32 result is best formed in float64 and rounded once (GELU's and erfc's
// polynomial and products, softmax's sums). A vector build processes an f32x4 as two f64x2
// halves; the scalar build one f64: the same operations per lane, so the builds stay bit-identical.

@inline export function splatD<D>(c: f64): D {
  if (isVector<D>()) return f64x2.splat(c);
  else return c;
}

@inline export function addD<D>(a: D, b: D): D {
  if (isVector<D>()) return f64x2.add(a, b);
  else return (a as f64) + (b as f64);
}

@inline export function subD<D>(a: D, b: D): D {
  if (isVector<D>()) return f64x2.sub(a, b);
  else return (a as f64) - (b as f64);
}

@inline export function mulD<D>(a: D, b: D): D {
  if (isVector<D>()) return f64x2.mul(a, b);
  else return (a as f64) * (b as f64);
}

@inline export function divD<D>(a: D, b: D): D {
  if (isVector<D>()) return f64x2.div(a, b);
  else return (a as f64) / (b as f64);
}

// a*b + c, two roundings in every build (float64 needs no fusing here).
@inline export function madD<D>(a: D, b: D, c: D): D {
  return addD<D>(mulD<D>(a, b), c);
}

// As absV: a constant mask rather than f64x2.abs, which V8 rebuilds at each use.
@inline export function absD<D>(a: D): D {
  if (isVector<D>()) return v128.and(a, i64x2.splat(0x7fffffffffffffff));
  else return abs<f64>(a as f64);
}

@inline export function ltD<D>(a: D, b: D): D {
  if (isVector<D>()) return f64x2.lt(a, b);
  else return reinterpret<f64>(<i64>((a as f64) < (b as f64) ? -1 : 0));
}

@inline export function selectD<D>(mask: D, a: D, b: D): D {
  if (isVector<D>()) return v128.bitselect(a, b, mask);
  else return reinterpret<i64>(mask as f64) != 0 ? a : b;
}

// ---- between f32 lanes and f64 lanes ----

// 2^n as f64 for i32 lanes n (any n the f32 code produces), lanes 0,1 of a vector.
@inline export function pow2Low(n: v128): v128 {
  return i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(n), i64x2.splat(1023)), 52);
}

@inline export function pow2High(n: v128): v128 {
  return i64x2.shl(i64x2.add(i64x2.extend_high_i32x4_s(n), i64x2.splat(1023)), 52);
}

@inline export function pow2Scalar(n: f32): f64 {
  return reinterpret<f64>(<i64>(reinterpret<i32>(n) + 1023) << 52);
}
