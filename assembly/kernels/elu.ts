// ELU and SELU. The negative side is alpha * expm1(x) (expm1 keeps relative accuracy near 0,
// where exp(x) - 1 would cancel), evaluated on min(x, 0): the lanes where x > 0 discard it. Backward passes take the saved input x, as PyTorch's
// elu_backward does with is_result = false: a NaN x passes dy (times the positive slope).
// alpha arrives as the caller's float64 and is rounded to float32, as PyTorch's float32 path does.
import { splat, sub, mul, nmad, le, pmin, pmax, selectV } from "../math/lanes";
import { UNBIAS, expNonPositive, expNonPositiveTimes, negExpm1Clamped } from "../math/exp";

// SELU's constants (Klambauer et al. 2017), rounded to float32; scale * alpha is rounded once.
// @ts-ignore: decorator
@inline const SELU_SCALE: f32 = 1.0507010221481323;
// @ts-ignore: decorator
@inline const SELU_SCALE_ALPHA: f32 = 1.7580993175506592;

// max(x, 0) - alpha (-expm1(min(x, 0))) rather than a select: for x > 0 the second term is
// +0 exactly, for x <= 0 the first is +-0 and the difference is the product itself (the same
// rounding as max(x, 0) + alpha expm1(min(x, 0))); at zero elu(+-0) = +-0 for alpha >= 0
// (-0 - alpha (+0)), as PyTorch's expm1-based formula gives (the select form gave -0 for both). NaN propagates through
// both terms. Fewer operations than the comparison and bitselect, and the relaxed build fuses
// the multiply and subtraction.
@inline export function eluForward<V>(x: V, alpha: f64): V {
  return nmad<V>(splat<V>(<f32>alpha), negExpm1Clamped<V>(x), pmax<V>(x, splat<V>(0.0)));
}

// F: EluUnitAlpha (alpha = 1: the product by alpha, exact, is left out; the same bits), or any
// other form for the general one.
@inline export function eluForwardIn<V, F>(x: V, alpha: f64): V {
  if (sizeof<F>() == sizeof<EluUnitAlpha>()) return sub<V>(pmax<V>(x, splat<V>(0.0)), negExpm1Clamped<V>(x));
  return eluForward<V>(x, alpha);
}

// dy * (x <= 0 ? alpha exp(x) : 1), exp evaluated on x itself rather than min(x, 0): the lanes
// with x > 0 are discarded by the select. alpha is a run-time value that may be as small as a
// subnormal, so it cannot always be folded into exp's scaling (as SELU's constant is): alpha *
// 2^-64 would underflow (the property-based tests caught alpha = 2^-126).
// alpha * exp(x) for x <= 0 (other lanes are discarded). For 2^-62 <= |alpha| <= 2^39, the range
// where expNonPositiveTimes is exact (math/exp.ts), alpha folds into exp's last scaling and the
// slope rounds once, also where exp(x) alone is subnormal but alpha exp(x) is not: formed as a
// separate product, exp(x) rounded into the subnormals first, alpha = 1e10 at x = -100 was 1.7 %
// off. Outside that range (no activation uses such an alpha) the separate product remains. The
// test is on the call's constant, the same branch for every lane.
// @ts-ignore: decorator
@inline const FOLD_MIN: f32 = 2.168404344971009e-19; // 2^-62
// @ts-ignore: decorator
@inline const FOLD_MAX: f32 = 549755813888.0; // 2^39
// How a call's alpha enters the slope, chosen once per call by the drivers
// (kernels/elementwise.ts, eluSlopeFor), which run a loop of one form. Each form is a type
// argument of the lane code: AssemblyScript folds a test of sizeof<F>() where it compiles, but
// not a test of a constant argument of an inlined function, so an enum would leave every form's
// code in every loop for the optimiser to remove (a third form that way cost the simd build 55 %
// more time). The three sizes must differ (they name the forms).
// alpha = 1, ELU's default: the slope is exp(min(x, 0)) for every x (1 where x > 0, and for a
// NaN x, where pmin keeps the bound 0), with no select: three operations per lane fewer, the same
// bits as the folded form.
export type EluUnitAlpha = u16;
// 2^-62 <= |alpha| <= 2^39: alpha folded into exp's last scaling.
export type EluAlphaFolded = u32;
// Any other alpha: a separate product.
export type EluAlphaApart = u64;

@inline function eluFoldsAlpha(alpha: f64): bool {
  const size = abs<f32>(<f32>alpha);
  return size >= FOLD_MIN && size <= FOLD_MAX;
}

// sizeof<F>() of the form for this alpha.
@inline export function eluSlopeFor(alpha: f64): i32 {
  if (<f32>alpha == 1) return sizeof<EluUnitAlpha>();
  return eluFoldsAlpha(alpha) ? sizeof<EluAlphaFolded>() : sizeof<EluAlphaApart>();
}

// alpha exp(x) in form F (EluAlphaFolded or EluAlphaApart).
@inline function eluSlope<V, F>(x: V, alpha: f32): V {
  if (sizeof<F>() == sizeof<EluAlphaFolded>()) return expNonPositiveTimes<V>(x, alpha * UNBIAS);
  return mul<V>(splat<V>(alpha), expNonPositive<V>(x));
}

// F: the form eluSlopeFor(alpha) names.
@inline export function eluBackwardIn<V, F>(dy: V, x: V, alpha: f64): V {
  if (sizeof<F>() == sizeof<EluUnitAlpha>()) return mul<V>(dy, expNonPositiveTimes<V>(pmin<V>(splat<V>(0.0), x), UNBIAS));
  return mul<V>(dy, selectV<V>(le<V>(x, splat<V>(0.0)), eluSlope<V, F>(x, <f32>alpha), splat<V>(1.0)));
}

// With the test per vector, for the callers of one vector at a time (the fused output layer); alpha
// = 1 takes the folded form (the same bits).
@inline export function eluBackward<V>(dy: V, x: V, alpha: f64): V {
  return eluFoldsAlpha(alpha) ? eluBackwardIn<V, EluAlphaFolded>(dy, x, alpha) : eluBackwardIn<V, EluAlphaApart>(dy, x, alpha);
}

@inline export function seluForward<V>(x: V): V {
  return nmad<V>(splat<V>(SELU_SCALE_ALPHA), negExpm1Clamped<V>(x), mul<V>(splat<V>(SELU_SCALE), pmax<V>(x, splat<V>(0.0))));
}

// SELU's slope constant rides on exp's last multiplication (math/exp.ts, expNonPositiveTimes):
// one rounding and one operation fewer, exact for this constant.
@inline export function seluBackward<V>(dy: V, x: V): V {
  return mul<V>(dy, selectV<V>(le<V>(x, splat<V>(0.0)), expNonPositiveTimes<V>(x, SELU_SCALE_ALPHA * UNBIAS), splat<V>(SELU_SCALE)));
}
