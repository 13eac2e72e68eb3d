// Lane operations, generic over the lane type V.
//
// Every kernel is written once against these helpers and instantiated twice: with V = v128
// (four f32 lanes; the `simd` and `relaxed` builds) and with V = f32 (one lane; the `scalar`
// build). Each helper maps to the same IEEE operation in both instantiations, which is what
// makes the `simd` and `scalar` builds bit-identical. Integer lane operations in the scalar
// instantiation reinterpret the f32 bits as i32 and back, so one type carries both.
//
// Masks are all-ones or all-zeros per lane (a NaN bit pattern in the scalar case: masks are only
// ever consumed by `select`, `and`, `andNot`, never by arithmetic).

// ---- constants and memory ----

@inline export function splat<V>(c: f32): V {
  if (isVector<V>()) return f32x4.splat(c);
  else return c;
}

@inline export function splatBits<V>(bits: i32): V {
  if (isVector<V>()) return i32x4.splat(bits);
  else return reinterpret<f32>(bits);
}

@inline export function loadV<V>(ptr: usize): V {
  if (isVector<V>()) return v128.load(ptr);
  else return load<f32>(ptr);
}

@inline export function storeV<V>(ptr: usize, v: V): void {
  if (isVector<V>()) v128.store(ptr, v);
  else store<f32>(ptr, v);
}

// The first `count` (1..3) f32 values at ptr into the low lanes of a vector whose other lanes
// hold `pad`: the tail of an array runs through the same vector code as the body without
// reading or writing past the end and without a scratch buffer (kernels keep no state).
@inline export function loadPartial(ptr: usize, count: usize, pad: f32): v128 {
  let v = f32x4.replace_lane(f32x4.splat(pad), 0, load<f32>(ptr));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(ptr, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(ptr, 8));
  return v;
}

// v with its lanes from `count` (1..3) on set to +0: a partial vector's padded lanes, where the
// padding cannot be chosen so that the computation itself gives exactly zero.
@inline export function keepFirstLanes(v: v128, count: usize): v128 {
  return v128.and(v, i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(<i32>count)));
}

@inline export function storePartial(ptr: usize, count: usize, v: v128): void {
  store<f32>(ptr, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(ptr, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(ptr, f32x4.extract_lane(v, 2), 8);
}

// ---- arithmetic ----

@inline export function add<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.add(a, b);
  else return (a as f32) + (b as f32);
}

@inline export function sub<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.sub(a, b);
  else return (a as f32) - (b as f32);
}

@inline export function mul<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.mul(a, b);
  else return (a as f32) * (b as f32);
}

@inline export function div<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.div(a, b);
  else return (a as f32) / (b as f32);
}

// a*b + c. Fused in the relaxed build (one rounding where the engine has FMA); the simd and
// scalar builds round twice, in the same order, so they agree bit for bit.
@inline export function mad<V>(a: V, b: V, c: V): V {
  if (isVector<V>()) {
    if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
    else return f32x4.add(f32x4.mul(a, b), c);
  } else return (a as f32) * (b as f32) + (c as f32);
}

// c - a*b, fused in the relaxed build as mad is. It rounds as -(a*b - c) would (rounding to
// nearest is symmetric), so a sum a*b + c may be formed as c' - a*b' with b' = -b.
@inline export function nmad<V>(a: V, b: V, c: V): V {
  if (isVector<V>()) {
    if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, c);
    else return f32x4.sub(c, f32x4.mul(a, b));
  } else return (c as f32) - (a as f32) * (b as f32);
}

// -a by flipping the sign bit with a constant, as absV clears it (V8 lowers f32x4.neg as it does
// f32x4.abs).
@inline export function neg<V>(a: V): V {
  if (isVector<V>()) return v128.xor(a, i32x4.splat(0x80000000));
  else return -(a as f32);
}

// |a| by clearing the sign bit with a constant: V8 lowers f32x4.abs on x86 to three instructions
// that build the mask anew at each use (GELU 7-10 % and tanh 11-13 % faster with the constant).
@inline export function absV<V>(a: V): V {
  if (isVector<V>()) return v128.and(a, i32x4.splat(0x7fffffff));
  else return abs<f32>(a as f32);
}

// pmin/pmax: `b < a ? b : a` and `a < b ? b : a`. One instruction on x86 (unlike f32x4.min/max,
// which need several for their NaN and signed-zero rules). A NaN in `a` comes out; a NaN in `b`
// does not, so kernels always pass the data as `a` and the bound as `b`.
@inline export function pmin<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.pmin(a, b);
  else return (b as f32) < (a as f32) ? b : a;
}

@inline export function pmax<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.pmax(a, b);
  else return (a as f32) < (b as f32) ? b : a;
}

// Clamp the data `a` into [lo, hi]; NaN stays NaN.
@inline export function clamp<V>(a: V, lo: f32, hi: f32): V {
  return pmax<V>(pmin<V>(a, splat<V>(hi)), splat<V>(lo));
}

// ---- comparisons (masks) and selection ----

@inline function maskOf<V>(c: bool): V {
  return splatBits<V>(c ? -1 : 0);
}

@inline export function lt<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.lt(a, b);
  else return maskOf<V>((a as f32) < (b as f32));
}

@inline export function le<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.le(a, b);
  else return maskOf<V>((a as f32) <= (b as f32));
}

@inline export function gt<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.gt(a, b);
  else return maskOf<V>((a as f32) > (b as f32));
}

@inline export function ge<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.ge(a, b);
  else return maskOf<V>((a as f32) >= (b as f32));
}

@inline export function eq<V>(a: V, b: V): V {
  if (isVector<V>()) return f32x4.eq(a, b);
  else return maskOf<V>((a as f32) == (b as f32));
}

// Integer lane comparison (on the bit patterns as i32).
@inline export function ilt<V>(a: V, b: V): V {
  if (isVector<V>()) return i32x4.lt_s(a, b);
  else return maskOf<V>(reinterpret<i32>(a as f32) < reinterpret<i32>(b as f32));
}

// mask ? a : b for two constants: b ^ (mask & (a ^ b)), two operations where v128.bitselect
// takes three on x86 (the relaxed build's lane select, one blend, stays). The same bits.
@inline export function selectConst<V>(mask: V, a: f32, b: f32): V {
  if (isVector<V>() && !ASC_FEATURE_RELAXED_SIMD) {
    return v128.xor(v128.and(mask, i32x4.splat(reinterpret<i32>(a) ^ reinterpret<i32>(b))), f32x4.splat(b));
  }
  return selectV<V>(mask, splat<V>(a), splat<V>(b));
}

// mask ? a : b, lane by lane. Masks here are always all-ones or all-zeros per lane, which is
// exactly where relaxed_laneselect is deterministic (and a single blend instruction on x86).
@inline export function selectV<V>(mask: V, a: V, b: V): V {
  if (isVector<V>()) {
    if (ASC_FEATURE_RELAXED_SIMD) return i32x4.relaxed_laneselect(a, b, mask);
    else return v128.bitselect(a, b, mask);
  } else return reinterpret<i32>(mask as f32) != 0 ? a : b;
}

@inline export function and<V>(a: V, b: V): V {
  if (isVector<V>()) return v128.and(a, b);
  else return reinterpret<f32>(reinterpret<i32>(a as f32) & reinterpret<i32>(b as f32));
}

@inline export function or<V>(a: V, b: V): V {
  if (isVector<V>()) return v128.or(a, b);
  else return reinterpret<f32>(reinterpret<i32>(a as f32) | reinterpret<i32>(b as f32));
}

@inline export function xor<V>(a: V, b: V): V {
  if (isVector<V>()) return v128.xor(a, b);
  else return reinterpret<f32>(reinterpret<i32>(a as f32) ^ reinterpret<i32>(b as f32));
}

// a & ~b
@inline export function andNot<V>(a: V, b: V): V {
  if (isVector<V>()) return v128.andnot(a, b);
  else return reinterpret<f32>(reinterpret<i32>(a as f32) & ~reinterpret<i32>(b as f32));
}

@inline export function signBit<V>(a: V): V {
  return and<V>(a, splatBits<V>(0x80000000));
}

// -|a| by setting the sign bit (NaN stays NaN, with its sign set): exp's argument in the kernels
// built on exp(-|x|).
@inline export function negAbs<V>(a: V): V {
  return or<V>(a, splatBits<V>(0x80000000));
}

// ---- integer lanes (two's complement i32 on the same bits) ----

@inline export function iadd<V>(a: V, b: V): V {
  if (isVector<V>()) return i32x4.add(a, b);
  else return reinterpret<f32>(reinterpret<i32>(a as f32) + reinterpret<i32>(b as f32));
}

@inline export function isub<V>(a: V, b: V): V {
  if (isVector<V>()) return i32x4.sub(a, b);
  else return reinterpret<f32>(reinterpret<i32>(a as f32) - reinterpret<i32>(b as f32));
}

@inline export function ishl<V>(a: V, bits: i32): V {
  if (isVector<V>()) return i32x4.shl(a, bits);
  else return reinterpret<f32>(reinterpret<i32>(a as f32) << bits);
}

@inline export function ishrs<V>(a: V, bits: i32): V {
  if (isVector<V>()) return i32x4.shr_s(a, bits);
  else return reinterpret<f32>(reinterpret<i32>(a as f32) >> bits);
}

// i32 lanes to f32 lanes (exact for |k| < 2^24).
@inline export function intToFloat<V>(k: V): V {
  if (isVector<V>()) return f32x4.convert_i32x4_s(k);
  else return <f32>reinterpret<i32>(k as f32);
}

// f32(f64(x) * a) lane by lane: one rounding of the exact product, as a float64 evaluation of
// x * a rounds it. Used where a parameter given as a JavaScript number scales the data and the
// result must match that evaluation exactly (leaky ReLU).
@inline export function mulF64<V>(x: V, a: f64): V {
  if (isVector<V>()) {
    const m = f64x2.splat(a);
    const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(x), m));
    const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)), m));
    return v128.shuffle<f32>(lo, hi, 0, 1, 4, 5);
  } else return <f32>(<f64>(x as f32) * a);
}

// NaN where x is +-Inf, y elsewhere: for products x * g(x) whose IEEE (and PyTorch) value at an
// infinite x is Inf * 0 = NaN, where the kernel's reassociated evaluation would give +-Inf.
@inline export function nanWhereInfinite<V>(x: V, y: V): V {
  return selectV<V>(eq<V>(absV<V>(x), splat<V>(Infinity)), splat<V>(NaN), y);
}

// NaN where x is -Inf, y elsewhere: x * g(x) with g(-Inf) = 0.
@inline export function nanWhereNegativeInfinity<V>(x: V, y: V): V {
  return selectV<V>(eq<V>(x, splat<V>(-Infinity)), splat<V>(NaN), y);
}

// ---- float64 pairs (vector builds only): lanes 0,1 and lanes 2,3 of an f32x4 ----

@inline export function promoteLow(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline export function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

@inline export function demotePair(lo: v128, hi: v128): v128 {
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}
