// ELU and SELU. The negative side is alpha * expm1(x) (expm1 keeps relative accuracy near 0,
// where exp(x) - 1 would cancel), evaluated on min(x, 0): the lanes where x > 0 discard it. Backward passes take the saved input x, as PyTorch's
// elu_backward does with is_result = false: a NaN x passes dy (times the positive slope).
// alpha arrives as the caller's float64 and is rounded to float32, as PyTorch's float32 path does.
import { splat, mul, gt, le, pmin, selectV } from "../math/lanes";
import { expNonPositive, expm1NonPositive } from "../math/exp";

// SELU's constants (Klambauer et al. 2017), rounded to float32; scale * alpha is rounded once.
// @ts-ignore: decorator
@inline const SELU_SCALE: f32 = 1.0507010221481323;
// @ts-ignore: decorator
@inline const SELU_SCALE_ALPHA: f32 = 1.7580993175506592;

@inline export function eluForward<V>(x: V, alpha: f64): V {
  return selectV<V>(gt<V>(x, splat<V>(0.0)), x, mul<V>(splat<V>(<f32>alpha), expm1NonPositive<V>(pmin<V>(x, splat<V>(0.0)))));
}

@inline export function eluBackward<V>(dy: V, x: V, alpha: f64): V {
  return selectV<V>(le<V>(x, splat<V>(0.0)), mul<V>(dy, mul<V>(splat<V>(<f32>alpha), expNonPositive<V>(pmin<V>(x, splat<V>(0.0))))), dy);
}

@inline export function seluForward<V>(x: V): V {
  return selectV<V>(gt<V>(x, splat<V>(0.0)), mul<V>(splat<V>(SELU_SCALE), x), mul<V>(splat<V>(SELU_SCALE_ALPHA), expm1NonPositive<V>(pmin<V>(x, splat<V>(0.0)))));
}

@inline export function seluBackward<V>(dy: V, x: V): V {
  return selectV<V>(
    le<V>(x, splat<V>(0.0)),
    mul<V>(dy, mul<V>(splat<V>(SELU_SCALE_ALPHA), expNonPositive<V>(pmin<V>(x, splat<V>(0.0))))),
    mul<V>(dy, splat<V>(SELU_SCALE)),
  );
}
