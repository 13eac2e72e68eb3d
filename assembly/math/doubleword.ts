// Error-free transformations on f32 lanes: a value carried as an unevaluated sum hi + lo.
// Used where an activation feeds a large argument to exp (softmax's x - max, GELU's x^2/2 and
// cubic): the relative error of exp(a) is |a| times the relative error of a, so the argument
// must carry more than 24 bits when |a| is large.

import { add, sub, mul, splat } from "./lanes";

// TwoSum (Knuth, TAOCP vol. 2, 4.2.2): given s = fl(a + b), the exact error a + b - s.
// Six operations, valid for any order of magnitude of a and b (no overflow).
@inline export function twoSumLo<V>(a: V, b: V, s: V): V {
  const bb = sub<V>(s, a);
  return add<V>(sub<V>(a, sub<V>(s, bb)), sub<V>(b, bb));
}

// Veltkamp's split of a into 12 + 12 significant bits (Dekker 1971), for exact products without
// a fused multiply-add: relaxed_madd may or may not fuse, so it cannot be trusted for this.
// Valid for |a| < 2^115 (the callers clamp well inside that).
@inline export function splitHi<V>(a: V): V {
  const c = mul<V>(a, splat<V>(4097.0)); // 2^12 + 1
  return sub<V>(c, sub<V>(c, a));
}

// TwoProduct (Dekker 1971): given p = fl(a * b), the exact error a * b - p (barring underflow).
@inline export function twoProdLo<V>(a: V, b: V, p: V): V {
  const ah = splitHi<V>(a);
  const al = sub<V>(a, ah);
  const bh = splitHi<V>(b);
  const bl = sub<V>(b, bh);
  return add<V>(add<V>(add<V>(sub<V>(mul<V>(ah, bh), p), mul<V>(ah, bl)), mul<V>(al, bh)), mul<V>(al, bl));
}
