#!/usr/bin/env python3
"""Fits the polynomial coefficients used in assembly/math/.

Method: Lawson's iteratively reweighted least squares (C. L. Lawson, 1961), which converges to
the minimax (equioscillating) polynomial for the *relative* error of each target on a dense grid.
Coefficients are rounded to float32, then re-measured: the printed error is that of the rounded
set, evaluated exactly (mpmath, 40 digits), so it is the approximation error alone; evaluation
rounding in float32 comes on top and is measured by the test suite.

Run: python3 scripts/fit-polynomials.py   (needs numpy and mpmath)
"""
import numpy as np
import mpmath as mp

mp.mp.dps = 40


def f32(v):
    return float(np.float32(v))


def lawson(basis, target, weight, xs, iters=400):
    """min over c of max_i weight_i * |sum_k c_k basis_k(x_i) - target_i|."""
    A = np.array([[b(x) for b in basis] for x in xs])
    y = np.array(target)
    w = np.ones(len(xs)) / len(xs)
    for _ in range(iters):
        sw = np.sqrt(w) * weight
        c, *_ = np.linalg.lstsq(A * sw[:, None], y * sw, rcond=None)
        err = np.abs(A @ c - y) * weight
        w = w * err
        w /= w.sum()
    return c


def fit(name, lo, hi, target, prefix, power, degree, n=3000):
    """target(x) ~ prefix(x) + x^power * P(x), P of the given degree; relative error."""
    xs = [lo + (hi - lo) * (1 - np.cos(np.pi * (i + 0.5) / n)) / 2 for i in range(n)]
    xs = [x for x in xs if x != 0.0]
    t = [float(target(mp.mpf(x))) for x in xs]
    rest = [(t[i] - float(prefix(mp.mpf(xs[i])))) / xs[i] ** power for i in range(len(xs))]
    wt = np.array([abs(xs[i] ** power / t[i]) for i in range(len(xs))])
    basis = [(lambda k: (lambda x: x ** k))(k) for k in range(degree + 1)]
    c = [f32(v) for v in lawson(basis, rest, wt, xs)]
    worst = 0.0
    for x in np.linspace(lo, hi, 20001):
        if x == 0.0:
            continue
        X = mp.mpf(float(x))
        approx = prefix(X) + X ** power * sum(mp.mpf(c[k]) * X ** k for k in range(degree + 1))
        ref = target(X)
        worst = max(worst, float(abs((approx - ref) / ref)))
    print(f"{name}: degree {degree} on [{lo:.6g}, {hi:.6g}], max relative error {worst:.3g}"
          f" = {worst / 2**-24:.3f} ulp(at most)")
    for k, v in enumerate(c):
        print(f"  c{k} = {v!r}  // {np.float32(v).view(np.uint32):#010x}")
    return c


def fit_t(name, target, degree, n=3000, zmax=12.0, rounding=f32):
    """erfc(z) = exp(-z^2) * R(t), t = 2/(2+z), z in [0, zmax]: R(t) = t * P(t); relative error.
    With rounding=float the coefficients stay float64 (for evaluation in float64)."""
    ts = [2 / (2 + zmax) + (1 - 2 / (2 + zmax)) * (1 - np.cos(np.pi * (i + 0.5) / n)) / 2 for i in range(n)]
    r = [float(target(2 / mp.mpf(t) - 2)) / t for t in ts]
    basis = [(lambda k: (lambda x: x ** k))(k) for k in range(degree + 1)]
    c = [rounding(v) for v in lawson(basis, r, 1 / np.abs(np.array(r)), ts)]
    worst = 0.0
    for t in np.linspace(2 / (2 + zmax), 1, 20001):
        T = mp.mpf(float(t))
        approx = T * sum(mp.mpf(c[k]) * T ** k for k in range(degree + 1))
        ref = target(2 / T - 2)
        worst = max(worst, float(abs((approx - ref) / ref)))
    print(f"{name}: degree {degree} in t=2/(2+z), z in [0, {zmax}], max relative error {worst:.3g}"
          f" = {worst / 2**-24:.3f} ulp(at most)")
    for k, v in enumerate(c):
        print(f"  c{k} = {v!r}  // {np.float32(v).view(np.uint32):#010x}")
    return c


def fit_mills(m=4, k=5, amax=14.5, n=4000, iters=40):
    """GELU's upper tail Q(a) = erfc(a/sqrt2)/2 = exp(-a^2/2) R(a) (math/erf.ts), with
    R(a) = Qp(a) / (K a Qp(a) + P(a)), K = float32(sqrt(2 pi)): P/Qp fits eps(a) = 1/R(a) - K a
    (Mills' ratio M = sqrt(2 pi) R = 1/(a + eps / K)), P of degree m with P(0) = 2 (R(0) = 1/2
    exactly), Qp of degree k with Qp(0) = 1, for the relative error of R, i.e. the error of eps
    relative to K a + eps. Loeb's linearisation (iterating on the previous denominator) with
    Lawson's weights; coefficients rounded to float32 and re-measured in mpmath."""
    K = f32(np.sqrt(2 * np.pi))
    xs = np.array([amax * (1 - np.cos(np.pi * (i + 0.5) / n)) / 2 for i in range(n)])
    R = lambda a: mp.erfc(a / mp.sqrt(2)) / 2 * mp.exp(a * a / 2)
    eps = np.array([float(1 / R(mp.mpf(x)) - K * mp.mpf(x)) for x in xs])
    V = np.vander(xs, max(m, k) + 1, increasing=True)
    M = np.hstack([V[:, 1:m + 1], -eps[:, None] * V[:, 1:k + 1]])
    rhs = eps - 2.0
    den = np.ones(n)
    w = np.ones(n) / n
    for it in range(iters):
        scale = 1 / (den * (K * xs + eps))
        for _ in range(300 if it == iters - 1 else 30):
            sw = np.sqrt(w) * scale
            c, *_ = np.linalg.lstsq(M * sw[:, None], rhs * sw, rcond=None)
            err = np.abs(M @ c - rhs) * scale
            w = w * err
            w /= w.sum()
        p = np.concatenate([[2.0], c[:m]])
        q = np.concatenate([[1.0], c[m:]])
        den = np.polyval(q[::-1], xs)
    p = [f32(v) for v in p]
    q = [f32(v) for v in q]
    worst = 0.0
    for a in np.linspace(0, amax, 20001):
        A = mp.mpf(float(a))
        P = sum(mp.mpf(p[j]) * A ** j for j in range(m + 1))
        Q = sum(mp.mpf(q[j]) * A ** j for j in range(k + 1))
        worst = max(worst, float(abs(Q / (K * A * Q + P) / R(A) - 1)))
    print(f"mills: R = Qp/(K a Qp + P), degrees {m}/{k} on [0, {amax}], max relative error {worst:.3g}"
          f" = {worst / 2**-24:.3f} ulp(at most)")
    for j, v in enumerate(p):
        print(f"  p{j} = {v!r}  // {np.float32(v).view(np.uint32):#010x}")
    for j, v in enumerate(q):
        print(f"  q{j} = {v!r}  // {np.float32(v).view(np.uint32):#010x}")
    return p, q


def fit_mills_slope(q, m=4, amax=14.5, n=4000):
    """The slope's form of the same rational (math/erf.ts): M(a) = Qp / (a Qp + Pc) with Qp kept
    from fit_mills and Pc refitted (linear: Lawson on Pc - eps_c Qp) against eps_c = C/R - a,
    C = float32(1/sqrt(2 pi)), Pc(0) = 2C; error of C Qp / (a Qp + Pc) relative to R."""
    C = f32(1 / np.sqrt(2 * np.pi))
    xs = np.array([amax * (1 - np.cos(np.pi * (i + 0.5) / n)) / 2 for i in range(n)])
    R = lambda a: mp.erfc(a / mp.sqrt(2)) / 2 * mp.exp(a * a / 2)
    eps = np.array([float(mp.mpf(C) / R(mp.mpf(x)) - mp.mpf(x)) for x in xs])
    Q = np.polyval(np.array(q)[::-1], xs)
    c = lawson([(lambda k: (lambda x: x ** k))(k) for k in range(1, m + 1)], list(eps * Q - 2 * C),
               1 / (Q * (xs + eps)), xs)
    p = [f32(2 * C)] + [f32(v) for v in c]
    worst = 0.0
    for a in np.linspace(0, amax, 20001):
        X = mp.mpf(float(a))
        P = sum(mp.mpf(p[j]) * X ** j for j in range(m + 1))
        Qv = sum(mp.mpf(q[j]) * X ** j for j in range(len(q)))
        worst = max(worst, float(abs(mp.mpf(C) * Qv / (X * Qv + P) / R(X) - 1)))
    print(f"mills (slope): M = Qp/(a Qp + Pc), max relative error {worst:.3g} = {worst / 2**-24:.3f} ulp(at most)")
    for j, v in enumerate(p):
        print(f"  pc{j} = {v!r}  // {np.float32(v).view(np.uint32):#010x}")
    return p


if __name__ == "__main__":
    import sys
    which = sys.argv[1:] or ["expm1", "log1p", "tanh", "erfcx", "erf", "mills"]
    half_ln2 = float(mp.log(2) / 2)
    if "expm1" in which:
        # expm1(r) = r + r^2 * P(r) on the Cody-Waite reduced range; exp(r) = 1 + expm1(r).
        for d in (3, 4):
            fit("expm1", -half_ln2, half_ln2, mp.expm1, lambda x: x, 2, d)
    if "log1p" in which:
        # log1p(f) = f - f^2/2 + f^3 * Q(f), f = m - 1 with m in [sqrt(2)/2, sqrt(2)).
        lo, hi = float(mp.sqrt(2) / 2 - 1), float(mp.sqrt(2) - 1)
        for d in (5, 6, 7):
            fit("log1p", lo, hi, mp.log1p, lambda x: x - x * x / 2, 3, d)
    if "tanh" in which:
        # tanh(x) = x + x^3 * T(x^2) for |x| < 0.625: fitted in s = x^2 via x -> sqrt(s).
        for d in (3, 4, 5):
            fit("tanh(x)=x+x^3 T(x^2), as poly in x^2 (c_k multiplies x^(2k))", 1e-6, 0.625 ** 2,
                lambda s: mp.tanh(mp.sqrt(s)) / mp.sqrt(s), lambda s: 1, 1, d)
    if "erfcx" in which:
        for d in (8, 10, 11, 12):
            fit_t("erfcx", lambda z: mp.erfc(z) * mp.exp(z * z), d)
    if "erfcx64" in which:
        # Evaluated in float64 by the GELU kernels: float64 coefficients, higher degree.
        for d in (12, 14, 16):
            fit_t("erfcx (float64 coefficients)", lambda z: mp.erfc(z) * mp.exp(z * z), d, rounding=float, zmax=15.0)
    if "erf" in which:
        for d in (4, 5):
            fit("erf(z)/z as poly in z^2", 1e-6, 0.5 ** 2, lambda s: mp.erf(mp.sqrt(s)) / mp.sqrt(s), lambda s: 0, 0, d)
    if "mills" in which:
        # GELU (kernels/gelu.ts): float32 rational for the normal upper tail.
        _, q = fit_mills()
        fit_mills_slope(q)
