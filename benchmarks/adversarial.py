"""An adversarial probe of nbsupport's public numeric API: prints one table (not a test).

    .venv/bin/python benchmarks/adversarial.py            # every probe (a few seconds)
    .venv/bin/python benchmarks/adversarial.py --defects  # only the rows that found a defect

Every public numeric function (activations, normalizers, losses, gradcheck, init,
optim, identities, the MLP's forward/backward, diagnostics, the training loops) is fed
input classes that an independent checker would try: extreme magnitudes (+-1e308,
subnormals, the overflow edges of exp in float32 and float64), +-inf and NaN, every
dtype (bool, integers, float16 ... longdouble, complex, object, non-native byte
order), containers (lists, tuples, scalars, 0-d arrays, NumPy scalars), memory layouts
(Fortran, transposed, negative strides, zero-stride broadcasts, read-only), shapes
(empty, one element, block boundaries), bad parameters, bad axes, bad reductions,
label and shape mistakes.

For each (function, input class) a row says ``ok`` or ``DEFECT`` and why.  A valid
input must give: no RuntimeWarning, no NaN unless the input had one, the contract's
dtype, the input unchanged, the same values as a C-ordered native float64 array, and
(where a reference is cheap) values within a few ulps of mpmath or of longdouble.
An invalid input must give a ValueError or TypeError whose message names the argument.
A training loop driven past the float range (an lr far too large) must stop, report the
step at which it diverged (``nbsupport.optim.diverged``) and return only finite numbers.
Exit status 1 if any row is a defect.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import warnings
from pathlib import Path
from typing import Callable

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402

import nbsupport as nbs  # noqa: E402
from nbsupport import (_checks, calculus, data, diagnostics, fitting, gradcheck, heads, identities, init, losses, mlp,  # noqa: E402
                       normalizers, optim, training)
from nbsupport.activations import ACTIVATIONS  # noqa: E402

ROWS: list[tuple[str, str, str, str]] = []


# ----------------------------------------------------------------------------- harness

def _run(call: Callable[[], object]) -> tuple[str, object]:
    """('value', result), ('raised', exception) or ('warned', warning message)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("error", DeprecationWarning)
        try:
            return "value", call()
        except (RuntimeWarning, DeprecationWarning) as w:
            return "warned", f"{type(w).__name__}: {w}"
        except Exception as err:  # noqa: BLE001 - the probe reports whatever happens
            return "raised", err


def record(function: str, case: str, problem: str | None) -> None:
    ROWS.append((function, case, "ok" if problem is None else "DEFECT", problem or ""))


def expect_ok(function: str, case: str, call: Callable[[], object],
              check: Callable[[object], str | None] | None = None) -> object:
    """A valid input: no exception, no warning, and ``check(result)`` returns None."""
    kind, result = _run(call)
    if kind == "warned":
        record(function, case, result)
        return None
    if kind == "raised":
        record(function, case, f"raised {type(result).__name__}: {str(result)[:90]}")
        return None
    record(function, case, check(result) if check else None)
    return result


def expect_error(function: str, case: str, call: Callable[[], object], names: tuple[str, ...]) -> None:
    """An invalid input: a ValueError or TypeError whose message names one of ``names``."""
    kind, result = _run(call)
    if kind == "value":
        record(function, case, "accepted silently")
    elif kind == "warned":
        record(function, case, f"warned instead of raising ({result[:80]})")
    elif not isinstance(result, (ValueError, TypeError)):
        record(function, case, f"{type(result).__name__}: {str(result)[:80]}")
    elif not any(name in str(result) for name in names):
        record(function, case, f"message does not name {names[0]}: {str(result)[:80]}")
    else:
        record(function, case, None)


def all_of(*checks: Callable[[object], str | None]) -> Callable[[object], str | None]:
    def check(result: object) -> str | None:
        for c in checks:
            problem = c(result)
            if problem:
                return problem
        return None
    return check


def no_new_nan(inputs: tuple) -> Callable[[object], str | None]:
    had_nan = any(np.isnan(np.asarray(a, dtype=float)).any() for a in inputs if _is_float_like(a))

    def check(result):
        if not had_nan and np.isnan(np.asarray(result, dtype=np.float64)).any():
            return "NaN from input without NaN"
        return None
    return check


def _is_float_like(a) -> bool:
    try:
        return np.asarray(a).dtype.kind in "fiub"
    except Exception:  # noqa: BLE001
        return False


def dtype_is(dtype) -> Callable[[object], str | None]:
    def check(result):
        got = np.asarray(result).dtype
        return None if got == np.dtype(dtype) else f"dtype {got}, contract says {np.dtype(dtype)}"
    return check


def equals(expected, rtol: float = 0.0) -> Callable[[object], str | None]:
    def check(result):
        a, b = np.asarray(result, dtype=np.float64), np.asarray(expected, dtype=np.float64)
        if a.shape != b.shape:
            return f"shape {a.shape}, expected {b.shape}"
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        if rtol:
            with np.errstate(all="ignore"):
                same |= np.abs(a - b) <= rtol * np.abs(b)
        return None if same.all() else f"differs from the C-ordered float64 result ({np.count_nonzero(~same)} values)"
    return check


def unchanged(arrays: list[np.ndarray], copies: list[np.ndarray]) -> Callable[[object], str | None]:
    def check(_):
        for a, c in zip(arrays, copies):
            if not np.array_equal(a, c, equal_nan=True):
                return "modified its input"
        return None
    return check


def layouts(a: np.ndarray) -> dict[str, np.ndarray]:
    """The values of ``a`` (2-D) in other memory layouts."""
    ro = a.copy()
    ro.flags.writeable = False
    return {
        "Fortran order": np.asfortranarray(a),
        "transposed view": np.ascontiguousarray(a.T).T,
        "negative strides": np.ascontiguousarray(a[::-1, ::-1])[::-1, ::-1],
        "strided view": np.repeat(a, 2, axis=1)[:, ::2],
        "read-only": ro,
        ">f8 byte order": a.astype(">f8"),
    }


def ulps(got: np.ndarray, exact: list, dtype=np.float64) -> float:
    """Largest error of ``got`` in ulps (of ``dtype``) of the mpmath values ``exact``."""
    worst = 0.0
    for g, e in zip(np.asarray(got).ravel(), exact):
        if mp.isfinite(e) and abs(e) > float(np.finfo(dtype).max) * (1 + 2.0 ** -(np.finfo(dtype).nmant + 1)):
            e = mp.inf if e > 0 else -mp.inf  # rounds to +-inf in dtype
        if not math.isfinite(float(g)) or not mp.isfinite(e):
            if float(g) != float(e):
                return math.inf
            continue
        rounded = dtype(float(e))
        ulp = float(np.spacing(np.abs(rounded))) if rounded != 0 else float(np.finfo(dtype).smallest_subnormal)
        worst = max(worst, float(abs(mp.mpf(float(g)) - e) / ulp))
    return worst


# ----------------------------------------------------------------------------- activations

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_activations import REFERENCES  # noqa: E402

EDGES64 = [1e308, 1e-308, 5e-324, 2.2250738585072014e-308, 709.78, 709.8, 710.0, 708.4, 708.9, 745.1, 745.2,
           354.5, 354.9, 355.0, 88.7, 37.5, 40.0, 1.0986122886681098, 0.5, 1e-20]
EDGES32 = [3.4e38, 1e-38, 1e-45, 1.1754944e-38, 88.7, 88.72, 87.4, 87.5, 103.9, 104.0, 43.6, 44.0, 44.4,
           51.9, 9.0, 1e-10]


def _elementwise_functions() -> list[tuple[str, Callable, dict]]:
    out = []
    for key, spec in ACTIVATIONS.items():
        out.append((key, spec.fn, dict(spec.params)))
        out.append((key + "_grad", spec.grad, dict(spec.params)))
    out.append(("prelu_grad_alpha", nbs.prelu_grad_alpha, {"alpha": 0.25}))
    return out


def _exact_activation(name: str) -> Callable | None:
    key = {"softplus_grad": "sigmoid"}.get(name, name)
    if key in REFERENCES:
        return REFERENCES[key][1]
    return None


def probe_activations() -> None:
    base = np.random.default_rng(0).normal(scale=4, size=(7, 9))
    for name, fn, params in _elementwise_functions():
        f = lambda x, fn=fn, params=params: fn(x, **params)  # noqa: E731
        reference = f(base)
        # extreme magnitudes, both precisions, against mpmath where cheap
        exact = _exact_activation(name)
        for dtype, edges, bound in ((np.float64, EDGES64, 8.0), (np.float32, EDGES32, 4.0)):
            x = np.array(sorted(set(edges + [-e for e in edges])), dtype=dtype)
            out = expect_ok(name, f"extremes {dtype.__name__}", lambda: f(x),
                            all_of(no_new_nan((x,)), dtype_is(dtype)))
            if out is not None and exact is not None and name not in ("gelu_grad", "silu_grad"):
                with mp.workdps(60):
                    err = ulps(out, [mp.mpf(exact(mp.mpf(float(t)))) for t in x], dtype)
                record(name, f"ulps at extremes {dtype.__name__}",
                       None if err <= bound else f"{err:.3g} ulps (bound {bound})")
        # inf and NaN
        special = np.array([-np.inf, np.inf, np.nan, 0.0, -0.0])
        expect_ok(name, "+-inf, NaN", lambda: f(special),
                  lambda r: None if (np.isnan(r) == np.isnan(special)).all() else "NaN not exactly where input NaN")
        # dtypes and containers
        for dt, out_dt in (("bool", np.float64), ("int8", np.float64), ("int64", np.float64),
                           ("uint8", np.float64), ("uint64", np.float64), ("float16", np.float32),
                           ("float32", np.float32), ("longdouble", np.float64), (">f4", np.float32),
                           (">f8", np.float64), (">i8", np.float64)):
            x = (base > 0) if dt == "bool" else np.abs(base * 3) if dt.startswith("uint") else base
            expect_ok(name, f"dtype {dt}", lambda x=x, dt=dt: f(x.astype(dt)), dtype_is(out_dt))
        huge = np.array([np.longdouble("1e4000"), -np.longdouble("1e4000"), np.longdouble("1e-4000"), 1.0])
        expect_ok(name, "longdouble beyond float64's range", lambda: f(huge),
                  all_of(dtype_is(np.float64), no_new_nan(())))
        expect_error(name, "complex input", lambda: f(base + 1j), ("x",))
        expect_error(name, "object array", lambda: f(base.astype(object)), ("x",))
        expect_error(name, "masked array", lambda: f(np.ma.masked_array(base, mask=base > 0)), ("x",))
        expect_error(name, "string input", lambda: f("1.0"), ("x",))
        expect_error(name, "None input", lambda: f(None), ("x",))
        expect_error(name, "ragged list", lambda: f([[1.0], [1.0, 2.0]]), ("x",))
        expect_ok(name, "python list", lambda: f(base.tolist()), equals(reference))
        expect_ok(name, "tuple", lambda: f(tuple(base[0])), equals(reference[0]))
        expect_ok(name, "python scalar", lambda: f(1.5),
                  lambda r: None if isinstance(r, np.floating) else f"returned {type(r).__name__}")
        expect_ok(name, "numpy float32 scalar", lambda: f(np.float32(1.5)),
                  lambda r: None if isinstance(r, np.float32) else f"returned {type(r).__name__}")
        expect_ok(name, "0-d array", lambda: f(np.array(-1.5)),
                  lambda r: None if np.ndim(r) == 0 else f"returned shape {np.shape(r)}")
        # layouts
        for layout, x in layouts(base).items():
            before = x.copy()
            expect_ok(name, layout, lambda x=x: f(x), all_of(equals(reference), unchanged([x], [before])))
        bc = np.broadcast_to(base[:1], (40000, 9))  # zero stride, read-only, spans blocks
        expect_ok(name, "broadcast_to (zero stride)", lambda: f(bc),
                  lambda r: None if np.array_equal(r, np.broadcast_to(f(base[:1]), r.shape), equal_nan=True)
                  else "rows differ")
        # shapes: empty, one element, block boundaries
        expect_ok(name, "empty (0,)", lambda: f(np.empty(0)), lambda r: None if r.shape == (0,) else str(r.shape))
        expect_ok(name, "empty (3, 0)", lambda: f(np.empty((3, 0))), lambda r: None if r.shape == (3, 0) else str(r.shape))
        line = np.random.default_rng(1).normal(scale=5, size=3 * _checks.BLOCK + 7)
        for size in (_checks.BLOCK - 1, _checks.BLOCK, _checks.BLOCK + 1, 2 * _checks.BLOCK + 3):
            expect_ok(name, f"size {size} (block edge)", lambda size=size: f(line[:size]),
                      lambda r, size=size: equals(np.concatenate([f(line[i:min(i + 1000, size)])
                                                                  for i in range(0, size, 1000)]))(r))
    # parameters
    for name, fn in (("leaky_relu", nbs.leaky_relu), ("leaky_relu_grad", nbs.leaky_relu_grad),
                     ("elu", nbs.elu), ("elu_grad", nbs.elu_grad), ("prelu", nbs.prelu),
                     ("prelu_grad", nbs.prelu_grad)):
        for case, alpha in (("alpha=-0.1", -0.1), ("alpha=nan", math.nan), ("alpha=inf", math.inf),
                            ("alpha=True", True), ("alpha='0.1'", "0.1"), ("alpha=None", None),
                            ("alpha=1+1j", 1 + 1j), ("alpha=10**400", 10 ** 400)):
            expect_error(name, case, lambda fn=fn, alpha=alpha: fn([1.0, -1.0], alpha=alpha), ("alpha",))
        for case, alpha in (("alpha=0", 0.0), ("alpha=np.float32", np.float32(0.2)), ("alpha=np.int64", np.int64(2)),
                            ("alpha=0-d array", np.array(0.3)), ("alpha=5e-324", 5e-324), ("alpha=1e308", 1e308)):
            expect_ok(name, case, lambda fn=fn, alpha=alpha: fn(np.array([1e308, -1e308, -1.0, 0.0, 5e-324, -5e-324]),
                                                                 alpha=alpha), no_new_nan(()))
    for name, fn in (("leaky_relu", nbs.leaky_relu), ("elu_grad", nbs.elu_grad), ("prelu", nbs.prelu)):
        expect_error(name, "alpha=1e300 with float32 x", lambda fn=fn: fn(np.array([-1.0, 0.0], np.float32), alpha=1e300),
                     ("alpha",))
    expect_ok("rrelu", "lower + upper overflows", lambda: nbs.rrelu(np.array([-1e-300, 0.0]), lower=1e308, upper=1.5e308),
              no_new_nan(()))
    expect_error("prelu", "alpha of the wrong length", lambda: nbs.prelu(np.ones((2, 3)), alpha=[0.1, 0.2]), ("alpha",))
    expect_error("prelu", "alpha per unit as booleans", lambda: nbs.prelu(np.ones((2, 2)), alpha=[True, False]), ("alpha",))
    expect_error("prelu_grad", "alpha per unit as booleans", lambda: nbs.prelu_grad(np.ones((2, 2)), alpha=np.array([True, False])),
                 ("alpha",))
    expect_error("prelu", "alpha with NaN per unit", lambda: nbs.prelu(np.ones((2, 2)), alpha=[0.1, np.nan]), ("alpha",))
    for case, kw in (("lower > upper", {"lower": 0.5, "upper": 0.1}), ("lower=nan", {"lower": math.nan}),
                     ("upper=inf", {"upper": math.inf}), ("lower=-1", {"lower": -1.0})):
        expect_error("rrelu", case, lambda kw=kw: nbs.rrelu([1.0], **kw), tuple(kw))
    expect_error("rrelu", "training='yes'", lambda: nbs.rrelu([1.0], training="yes"), ("training",))
    expect_error("rrelu", "rng='seed'", lambda: nbs.rrelu([1.0], training=True, rng="seed"), ("rng",))
    expect_ok("rrelu", "training, float32, extremes", lambda: nbs.rrelu(np.array([-3e38, 3e38, -np.inf, np.nan], np.float32),
                                                                       training=True, rng=0),
              all_of(dtype_is(np.float32), lambda r: None if np.isnan(r).sum() == 1 else "NaN where input had none"))
    for case, pieces in (("pieces=0", 0), ("pieces=-2", -2), ("pieces=2.0", 2.0), ("pieces=True", True),
                         ("pieces=3 (width 4)", 3)):
        expect_error("maxout", case, lambda pieces=pieces: nbs.maxout(np.ones((2, 4)), pieces=pieces), ("pieces",))
    expect_error("maxout", "scalar x", lambda: nbs.maxout(1.0, pieces=1), ("x",))
    expect_ok("maxout", "F order, read-only", lambda: nbs.maxout(layouts(np.arange(8.0).reshape(2, 4))["Fortran order"], 2),
              equals([[1.0, 3.0], [5.0, 7.0]]))
    expect_ok("maxout_grad", "NaN in a group", lambda: nbs.maxout_grad(np.array([[np.nan, 1.0, 2.0, 3.0]]), 2),
              equals([[1.0, 0.0, 0.0, 1.0]]))
    expect_ok("maxout", "float16", lambda: nbs.maxout(np.ones((2, 4), np.float16), 2), dtype_is(np.float32))


# ----------------------------------------------------------------------------- normalizers

def _ld_softmax(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """A longdouble reference (64-bit mantissa on x86) for long rows."""
    zl = z.astype(np.longdouble) / np.longdouble(temperature)
    e = np.exp(zl - zl.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float64)


def probe_normalizers() -> None:
    rng = np.random.default_rng(2)
    base = rng.normal(scale=3, size=(6, 7))
    for name, fn in (("softmax", nbs.softmax), ("log_softmax", nbs.log_softmax), ("logsumexp", nbs.logsumexp)):
        reference = fn(base)
        for layout, x in layouts(base).items():
            before = x.copy()
            expect_ok(name, layout, lambda x=x: fn(x), all_of(equals(reference), unchanged([x], [before])))
        expect_ok(name, "axis=0", lambda: fn(base, axis=0), equals(fn(base.T).T if name != "logsumexp" else fn(base.T)))
        expect_ok(name, "axis=-2", lambda: fn(base, axis=-2), equals(fn(base, axis=0)))
        expect_ok(name, "axis=np.int64(1)", lambda: fn(base, axis=np.int64(1)), equals(reference))
        expect_error(name, "axis=2 (out of range)", lambda: fn(base, axis=2), ("axis",))
        expect_error(name, "axis=-3", lambda: fn(base, axis=-3), ("axis",))
        expect_error(name, "axis=(0, 1)", lambda: fn(base, axis=(0, 1)), ("axis",))
        expect_error(name, "axis=True", lambda: fn(base, axis=True), ("axis",))
        expect_error(name, "axis=1.0", lambda: fn(base, axis=1.0), ("axis",))
        expect_error(name, "complex", lambda: fn(base + 1j), ("z",))
        expect_error(name, "empty", lambda: fn(np.empty((3, 0))), ("z",))
        expect_error(name, "scalar", lambda: fn(1.0), ("z",))
        expect_ok(name, "one element", lambda: fn([3.0]), no_new_nan(()))
        for dt, out_dt in (("int64", np.float64), ("bool", np.float64), ("float16", np.float32),
                           ("float32", np.float32), ("longdouble", np.float64), (">f4", np.float32)):
            expect_ok(name, f"dtype {dt}", lambda dt=dt: fn(base.astype(dt)), dtype_is(out_dt))
        extremes = np.array([[1e308, -1e308, 0.0], [-1e308, -1e308, -1e308], [5e-324, -5e-324, 0.0],
                             [709.8, 0.0, -745.2], [1e308, 1e308, 1e308]])
        expect_ok(name, "extremes float64", lambda: fn(extremes), no_new_nan((extremes,)))
        ext32 = np.array([[3.4e38, -3.4e38, 0.0], [88.8, 0.0, -104.0], [-3.4e38, -3.4e38, -3.4e38]], np.float32)
        expect_ok(name, "extremes float32", lambda: fn(ext32), all_of(no_new_nan((ext32,)), dtype_is(np.float32)))
        special = np.array([[np.inf, 0.0], [-np.inf, 0.0], [np.nan, 0.0], [-np.inf, -np.inf], [np.inf, np.inf]])
        expect_ok(name, "+-inf, NaN rows", lambda: fn(special), None)
        bc = np.broadcast_to(base[:1], (30000, 7))
        expect_ok(name, "broadcast_to (zero stride)", lambda: fn(bc),
                  lambda r: None if np.array_equal(r, np.broadcast_to(fn(base[:1]), r.shape)) else "rows differ")
    expect_error("logsumexp", "keepdims='yes'", lambda: nbs.logsumexp(base, keepdims="yes"), ("keepdims",))
    expect_ok("logsumexp", "keepdims=True, axis=0", lambda: nbs.logsumexp(base, axis=0, keepdims=True),
              lambda r: None if r.shape == (1, 7) else str(r.shape))
    record("nbsupport", "unchecked kernels kept out of the top level",
           None if not hasattr(nbs, "shifted_softmax") else "nbs.shifted_softmax takes unchecked input")
    # long rows around the column-block boundary, against longdouble
    for n in (normalizers._BLOCK - 1, normalizers._BLOCK, normalizers._BLOCK + 1, 2 * normalizers._BLOCK + 5):
        z = rng.normal(scale=20, size=(2, n))
        for T in (1.0, 0.3, 7.0):
            def check(r, z=z, T=T):
                ref = _ld_softmax(z, T)
                err = np.max(np.abs(r - ref) / np.spacing(ref))
                return None if err <= 4 else f"{err:.3g} ulps against longdouble"
            expect_ok("softmax", f"row length {n}, T={T}", lambda z=z, T=T: nbs.softmax(z, temperature=T), check)
        expect_ok("logsumexp", f"row length {n}", lambda z=z: nbs.logsumexp(z),
                  lambda r, z=z: None if np.allclose(r, np.log(np.exp(z.astype(np.longdouble)).sum(axis=-1)).astype(float),
                                                     rtol=4e-16, atol=0) else "differs from longdouble")
    # temperatures
    for case, T in (("T=0", 0.0), ("T=-1", -1.0), ("T=nan", math.nan), ("T=inf", math.inf), ("T=True", True),
                    ("T='2'", "2"), ("T=None", None), ("T=10**400", 10 ** 400)):
        expect_error("softmax", case, lambda T=T: nbs.softmax(base, temperature=T), ("temperature",))
    for case, T in (("T=5e-324", 5e-324), ("T=1e-300", 1e-300), ("T=1e300", 1e300), ("T=np.float32(2)", np.float32(2)),
                    ("T=np.int64(3)", np.int64(3)), ("T=0-d array", np.array(2.0))):
        for zcase, z in (("normal", base), ("+-1e308", np.array([[1e308, -1e308, 0.0]])),
                         ("float32 extremes", np.array([[3.4e38, -3.4e38, 1.0]], np.float32))):
            expect_ok("softmax", f"{case}, {zcase} logits", lambda T=T, z=z: nbs.softmax(z, temperature=T),
                      all_of(no_new_nan((z,)), lambda r: None if np.allclose(r.sum(axis=-1), 1, atol=1e-6) else "rows do not sum to 1"))
    # Jacobian
    expect_error("softmax_jacobian", "2-D z", lambda: nbs.softmax_jacobian(base), ("z",))
    expect_error("softmax_jacobian", "empty", lambda: nbs.softmax_jacobian([]), ("z",))
    expect_error("softmax_jacobian", "complex", lambda: nbs.softmax_jacobian([1j, 0]), ("z",))
    expect_ok("softmax_jacobian", "float32", lambda: nbs.softmax_jacobian(np.array([1.0, 2.0], np.float32)),
              dtype_is(np.float32))
    expect_ok("softmax_jacobian", "extremes", lambda: nbs.softmax_jacobian([1e308, -1e308, 0.0, 5e-324]),
              no_new_nan(()))
    z = np.array([0.0, -40.0, -45.0])
    with mp.workdps(50):
        zs = [mp.mpf(float(v)) for v in z]
        tot = sum(mp.exp(v) for v in zs)
        s = [mp.exp(v) / tot for v in zs]
        exact = [s[i] * ((1 if i == j else 0) - s[j]) for i in range(3) for j in range(3)]
    expect_ok("softmax_jacobian", "one class dominates (mpmath)", lambda: nbs.softmax_jacobian(z),
              lambda r: None if ulps(r, exact) <= 4 else f"{ulps(r, exact):.3g} ulps")
    expect_ok("softmax_jacobian", "F-ordered / strided 1-D", lambda: nbs.softmax_jacobian(np.arange(6.0)[::-2]),
              equals(nbs.softmax_jacobian(np.arange(6.0)[::-2].copy())))


# ----------------------------------------------------------------------------- losses

L = losses
REGRESSION = [("mse", L.mse, L.mse_grad), ("half_mse", L.half_mse, L.half_mse_grad), ("sse", L.sse, L.sse_grad),
              ("mae", L.mae, L.mae_grad), ("mape", L.mape, L.mape_grad), ("msle", L.msle, L.msle_grad),
              ("huber", L.huber, L.huber_grad)]
PROBABILITY = [("binary_cross_entropy", L.binary_cross_entropy, L.binary_cross_entropy_grad)]
LOGIT = [("binary_cross_entropy_with_logits", L.binary_cross_entropy_with_logits,
          L.binary_cross_entropy_with_logits_grad)]
CLASS = [("categorical_cross_entropy", L.categorical_cross_entropy, L.categorical_cross_entropy_grad),
         ("softmax_cross_entropy_with_logits", L.softmax_cross_entropy_with_logits,
          L.softmax_cross_entropy_with_logits_grad)]


def _loss_data(name: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    if name in ("msle",):
        return rng.random((5, 4)) * 3, rng.random((5, 4)) * 3
    if name == "binary_cross_entropy":
        return rng.random((5, 4)), rng.uniform(0.05, 0.95, (5, 4))
    if name == "binary_cross_entropy_with_logits":
        return rng.random((5, 4)), rng.normal(scale=3, size=(5, 4))
    if name == "categorical_cross_entropy":
        return rng.integers(0, 4, 5), nbs.softmax(rng.normal(size=(5, 4)))
    if name == "softmax_cross_entropy_with_logits":
        return rng.integers(0, 4, 5), rng.normal(scale=3, size=(5, 4))
    return rng.normal(size=(5, 4)) + 2, rng.normal(size=(5, 4))


def probe_losses() -> None:
    rng = np.random.default_rng(3)
    for name, loss, grad in REGRESSION + PROBABILITY + LOGIT + CLASS:
        y, p = _loss_data(name, rng)
        pred = "logits" if "logits" in name else "y_pred"
        for fname, fn in ((name, loss), (name + "_grad", grad)):
            reference = fn(y, p)
            for layout, x in layouts(p).items():
                before = x.copy()
                expect_ok(fname, f"y_pred {layout}", lambda x=x: fn(y, x),
                          all_of(equals(reference, rtol=4e-16), unchanged([x], [before])))
            if y.ndim == 2:
                for layout, t in layouts(y).items():
                    expect_ok(fname, f"y_true {layout}", lambda t=t: fn(t, p), equals(reference, rtol=4e-16))
            for bad in ("Mean", "avg", None, "none "):
                expect_error(fname, f"reduction={bad!r}", lambda bad=bad: fn(y, p, reduction=bad), ("reduction",))
            for red in ("mean", "sum", "none"):
                expect_error(fname, f"empty, reduction={red}", lambda red=red: fn(y[:0], p[:0], reduction=red),
                             ("y_true", pred, "empty"))
            expect_error(fname, "complex y_pred", lambda: fn(y, p + 0j), (pred,))
            expect_error(fname, "object y_pred", lambda: fn(y, p.astype(object)), (pred,))
            expect_error(fname, "y_true NaN", lambda: fn(np.where(np.arange(y.size).reshape(y.shape) == 0, np.nan, y), p),
                         ("y_true",))
            if y.ndim == 2:  # elementwise losses: shapes must match exactly
                col = p[:, :1]
                expect_error(fname, "(n,) target vs (n,1) predictions", lambda col=col: fn(y[:, 0], col), ("shape",))
                expect_error(fname, "(n,1) target vs (n,) predictions", lambda col=col: fn(y[:, :1], p[:, 0]), ("shape",))
                expect_error(fname, "(1,k) target broadcast", lambda: fn(y[:1], p), ("shape",))
            # dtypes
            expect_ok(fname, "float32 y_pred", lambda: fn(y.astype(np.float32) if y.dtype.kind == "f" else y,
                                                          p.astype(np.float32)), dtype_is(np.float32))
            expect_ok(fname, "float16 y_pred", lambda: fn(y.astype(np.float16) if y.dtype.kind == "f" else y,
                                                          p.astype(np.float16)), dtype_is(np.float32))
            expect_ok(fname, "longdouble y_pred", lambda: fn(y, p.astype(np.longdouble)), dtype_is(np.float64))
            expect_ok(fname, "float32 y_true, float64 y_pred",
                      lambda: fn(y.astype(np.float32) if y.dtype.kind == "f" else y, p), dtype_is(np.float64))
            expect_ok(fname, ">f4 y_true and y_pred", lambda: fn(y.astype(">f4") if y.dtype.kind == "f" else y,
                                                                 p.astype(">f4")), dtype_is(np.float32))
            expect_ok(fname, "python lists", lambda: fn(y.tolist(), p.tolist()), equals(reference, rtol=4e-16))
            # NaN in predictions: the documented rule
            pn = p.copy()
            pn.flat[0] = np.nan
            kind, result = _run(lambda pn=pn: fn(y, pn))
            if name in ("binary_cross_entropy", "categorical_cross_entropy"):
                record(fname, "NaN in y_pred (rule: probabilities raise)",
                       None if kind == "raised" and isinstance(result, ValueError) and pred in str(result)
                       else f"{kind}: {str(result)[:60]}")
            else:
                record(fname, "NaN in y_pred (rule: propagates)",
                       None if kind == "value" and np.isnan(result).any() else f"{kind}: {str(result)[:60]}")
        # gradient vs nbsupport.gradcheck (categorical_cross_entropy_grad treats each p as
        # free, while the loss refuses rows that do not sum to 1: compared with its formula)
        for red in ("mean", "sum") if name != "categorical_cross_entropy" else ():
            def compare(red=red):
                g = grad(y, p, reduction=red)
                num = gradcheck.numerical_grad(lambda v: float(loss(y, v, reduction=red)), p, eps=1e-6)
                return gradcheck.gradient_relative_error(g, num)
            expect_ok(name + "_grad", f"vs numerical_grad ({red})", compare,
                      lambda e: None if e < 1e-6 else f"relative error {e:.2g}")
        if name == "categorical_cross_entropy":
            onehot = np.eye(p.shape[1])[y]
            expect_ok(name + "_grad", "vs -y / (N p)", lambda y=y, p=p: grad(y, p),
                      equals(-onehot / (len(p) * p), rtol=4e-16))
    big = float(np.finfo(np.float64).max)
    expect_ok("softmax_cross_entropy_with_logits", "mean of terms near the largest float",
              lambda: L.softmax_cross_entropy_with_logits([0, 1, 3], [[0.0, big, big, 0.0], [0.0, 8.7e15, big, 0.0],
                                                                      [big, big, 8.7e71, 6.7e16]]),
              lambda r: None if np.isfinite(r) else f"got {r}")
    expect_ok("mae", "mean of terms at the largest float", lambda: L.mae([0.0] * 3, [big] * 3),
              lambda r: None if r == big else f"got {r}")
    # scalar input gives a NumPy scalar (not a 0-d array), as for the activations
    for name, loss, grad in REGRESSION + PROBABILITY + LOGIT:
        for fname, fn in ((name, loss), (name + "_grad", grad)):
            for red in ("mean", "sum", "none"):
                expect_ok(fname, f"python scalars ({red})", lambda fn=fn, red=red: fn(0.5, 0.25, reduction=red),
                          lambda r: None if isinstance(r, np.floating) else f"returned {type(r).__name__} {np.shape(r)}")
    # the two-array blockwise kernel of binary_cross_entropy_with_logits_grad at block edges
    zline = rng.normal(scale=5, size=2 * _checks.BLOCK + 9)
    yline = rng.random(zline.size)
    for size in (_checks.BLOCK - 1, _checks.BLOCK, _checks.BLOCK + 1, 2 * _checks.BLOCK + 9):
        expect_ok("binary_cross_entropy_with_logits_grad", f"size {size} (block edge), strided y",
                  lambda size=size: L.binary_cross_entropy_with_logits_grad(np.repeat(yline[:size], 2)[::2], zline[:size],
                                                                          reduction="sum"),
                  lambda r, size=size: equals(np.concatenate([L.binary_cross_entropy_with_logits_grad(
                      yline[i:min(i + 999, size)], zline[i:min(i + 999, size)], reduction="sum")
                      for i in range(0, size, 999)]))(r))
    # extremes for the elementwise losses
    big = np.array([1e308, -1e308, 5e-324, -5e-324, 0.0, 1.0, -1.0, 1e-308])
    for name, loss, grad in REGRESSION:
        y = np.array([-1e308, 1e308, 1.0, -1.0, 5e-324, 1e308, 1e-308, -1e308])
        if name == "msle":
            y, p = np.abs(y), np.abs(big)
        elif name == "mape":
            y, p = np.where(y == 0, 1.0, y), big
        else:
            p = big
        for fname, fn in ((name, loss), (name + "_grad", grad)):
            for red in ("mean", "sum", "none"):
                expect_ok(fname, f"+-1e308 and subnormals ({red})", lambda fn=fn, red=red, y=y, p=p: fn(y, p, reduction=red),
                          no_new_nan((y, p)))
            expect_ok(fname, "inf prediction", lambda fn=fn, y=y: fn(y[:2], np.array([np.inf, -np.inf]) if name != "msle"
                                                                     else np.array([np.inf, np.inf])),
                      no_new_nan(()))
    for name, loss, grad in PROBABILITY:
        y = np.array([0.0, 1.0, 0.5, 0.5, 1.0, 0.0, 0.25])
        p = np.array([0.0, 1.0, 5e-324, 1 - 2 ** -53, 1e-308, 1 - 2 ** -53, 0.5])
        for fname, fn in ((name, loss), (name + "_grad", grad)):
            expect_ok(fname, "p at 0, 1 and subnormal", lambda fn=fn: fn(y, p), no_new_nan(()))
            expect_error(fname, "p = 1.5", lambda fn=fn: fn([1.0], [1.5]), ("y_pred",))
            expect_error(fname, "y = -0.1", lambda fn=fn: fn([-0.1], [0.5]), ("y_true",))
    for name, loss, grad in LOGIT:
        z = np.array([1e308, -1e308, 5e-324, -5e-324, 709.8, -745.2, 88.7, -104.0, np.inf, -np.inf])
        y = np.array([0.0, 1.0, 0.5, 0.5, 0.3, 0.7, 1.0, 0.0, 1.0, 0.0])
        for fname, fn in ((name, loss), (name + "_grad", grad)):
            expect_ok(fname, "extreme and infinite logits", lambda fn=fn: fn(y, z), no_new_nan(()))
            z32 = np.array([3.4e38, -3.4e38, 1e-45, -1e-45, 88.8, -104.0, 88.7, -104.0, np.inf, -np.inf], np.float32)
            expect_ok(fname, "float32 extremes", lambda fn=fn, z32=z32: fn(y.astype(np.float32), z32),
                      all_of(no_new_nan(()), dtype_is(np.float32)))
            expect_error(fname, "y = 2", lambda fn=fn: fn([2.0], [0.0]), ("y_true",))
        with mp.workdps(60):
            def exact_grad(yv, zv):
                yv, zv = mp.mpf(float(yv)), mp.mpf(float(zv))
                if abs(zv) < 1:
                    return mp.tanh(zv / 2) / 2 + (mp.mpf(1) / 2 - yv)
                return (1 - yv) / (1 + mp.exp(-zv)) - yv / (1 + mp.exp(zv))
            yy = np.array([0.5, 0.5, 0.5, 0.25, 0.0, 1.0])
            zz = np.array([1e-20, -3e-17, 1e-300, 1e-10, -700.0, 700.0])
            exact = [exact_grad(a, b) for a, b in zip(yy, zz)]
        expect_ok(name + "_grad", "target 1/2, tiny logits (mpmath)", lambda: grad(yy, zz, reduction="none"),
                  lambda r: None if ulps(r, exact) <= 2 else f"{ulps(r, exact):.3g} ulps")
    for name, loss, grad in CLASS:
        pred = "logits" if "logits" in name else "y_pred"
        p = nbs.softmax(rng.normal(size=(4, 3))) if pred == "y_pred" else rng.normal(size=(4, 3))
        for fname, fn in ((name, loss), (name + "_grad", grad)):
            for case, y in (("label = n_classes", [0, 1, 2, 3]), ("label = -1", [0, 1, 2, -1]),
                            ("label 1.5", [0, 1.5, 2, 0]), ("bool labels", [True, False, True, False]),
                            ("label NaN", [0, np.nan, 1, 1]), ("label inf", [0, np.inf, 1, 1]),
                            ("labels (n, 1)", [[0], [1], [2], [0]]), ("labels (n-1,)", [0, 1, 2]),
                            ("one-hot rows summing to 1.09", np.eye(3)[[0, 1, 2, 0]] * 1.09),
                            ("rows with a negative entry", [[1.2, -0.2, 0.0]] * 4),
                            ("rows of width 2", np.eye(2)[[0, 1, 0, 1]]),
                            ("complex labels", [0j, 1, 2, 0]), ("string labels", ["0", "1", "2", "0"])):
                expect_error(fname, case, lambda y=y, fn=fn: fn(y, p), ("y_true",))
            for case, y in (("labels float 2.0", [0.0, 1.0, 2.0, 0.0]), ("labels uint8", np.array([0, 1, 2, 0], np.uint8)),
                            ("labels >i8", np.array([0, 1, 2, 0], ">i8")), ("labels int8", np.array([0, 1, 2, 0], np.int8)),
                            ("one-hot int rows", np.eye(3, dtype=int)[[0, 1, 2, 0]]),
                            ("soft float32 rows vs float64", nbs.softmax(rng.normal(size=(4, 3))).astype(np.float32)),
                            ("labels read-only broadcast", np.broadcast_to(np.array(1), (4,)))):
                expect_ok(fname, case, lambda y=y, fn=fn: fn(y, p), no_new_nan(()))
            expect_ok(fname, "one sample, one class", lambda fn=fn: fn([0], [[1.0]] if pred == "y_pred" else [[5.0]]),
                      no_new_nan(()))
            if pred == "y_pred":
                expect_error(fname, "rows of y_pred summing to 0.9", lambda fn=fn: fn([0], [[0.5, 0.4]]), ("y_pred",))
                expect_error(fname, "NaN y_pred", lambda fn=fn: fn([0], [[np.nan, 1.0]]), ("y_pred",))
            else:
                expect_ok(fname, "extreme logits", lambda fn=fn: fn([0, 1, 2], [[1e308, -1e308, 0.0], [-1e308, 1e308, 5e-324],
                                                                              [np.inf, 0.0, -np.inf]]), no_new_nan(()))
                expect_ok(fname, "float32 extreme logits",
                          lambda fn=fn: fn([0, 1], np.array([[3.4e38, -3.4e38, 0.0], [88.8, -104.0, 0.0]], np.float32)),
                          all_of(no_new_nan(()), dtype_is(np.float32)))
            expect_error(fname, "scalar predictions", lambda fn=fn: fn(0, 0.5), (pred,))
    # information theory
    P = nbs.softmax(rng.normal(size=(3, 4)))
    Q = nbs.softmax(rng.normal(size=(3, 4)))
    for name, fn, args in (("entropy", nbs.entropy, (P,)), ("cross_entropy", nbs.cross_entropy, (P, Q)),
                           ("kl_divergence", nbs.kl_divergence, (P, Q))):
        ref = fn(*args)
        for layout, x in layouts(P).items():
            expect_ok(name, f"p {layout}", lambda x=x: fn(x, *args[1:]), equals(ref, rtol=4e-16))
        expect_error(name, "row summing to 1.09", lambda: fn(*(a * 1.09 for a in args)), ("p",))
        expect_error(name, "NaN entry", lambda: fn(*(np.where(a == a.max(), np.nan, a) for a in args)), ("p",))
        expect_error(name, "empty", lambda: fn(*(a[:0] for a in args)), ("p", "empty"))
        expect_error(name, "scalar", lambda: fn(*(1.0 for _ in args)), ("p",))
        expect_ok(name, "float16 rows", lambda: fn(*(a.astype(np.float16) for a in args)), dtype_is(np.float32))
        expect_ok(name, "extreme rows", lambda: fn(*([[1.0, 0.0, 5e-324], [0.5, 0.5, 0.0]] for _ in args)), no_new_nan(()))
        if len(args) == 2:
            expect_error(name, "p and q of different shapes", lambda: fn(P, Q[:, :3] / Q[:, :3].sum(-1, keepdims=True)),
                         ("shape",))


# ----------------------------------------------------------------------------- gradcheck

def probe_gradcheck() -> None:
    a = np.random.default_rng(4).normal(size=(3, 4))
    w = np.arange(12.0).reshape(3, 4)
    f = lambda v: float(np.sum(w * v ** 2))  # noqa: E731
    for layout, x in layouts(a).items():
        before = x.copy()
        expect_ok("numerical_grad", layout, lambda x=x: gradcheck.numerical_grad(f, x),
                  all_of(lambda r: None if np.allclose(r, 2 * w * a, rtol=1e-7, atol=1e-7) else "wrong gradient",
                         unchanged([x], [before])))
    expect_ok("numerical_grad", "int x", lambda: gradcheck.numerical_grad(lambda v: float(np.sum(v ** 2)), [1, 2]),
              lambda r: None if np.allclose(r, [2, 4]) else "wrong")
    expect_ok("numerical_grad", "empty x", lambda: gradcheck.numerical_grad(lambda v: 0.0, np.empty(0)),
              lambda r: None if r.shape == (0,) else str(r.shape))
    expect_ok("numerical_grad", "0-d x", lambda: gradcheck.numerical_grad(lambda v: float(v) ** 2, 3.0),
              lambda r: None if np.allclose(r, 6.0) else f"got {r!r}")
    expect_ok("numerical_grad", "f returning a 1-element array",
              lambda: gradcheck.numerical_grad(lambda v: np.sum(v ** 2, keepdims=True), [1.0, 2.0]),
              lambda r: None if np.allclose(r, [2, 4]) else "wrong")
    def writes_into_its_argument(v):
        v *= 2.0
        return float(np.sum(v))
    expect_error("numerical_grad", "f writing into its argument", lambda: gradcheck.numerical_grad(writes_into_its_argument, [1.0]),
                 ("read-only",))
    expect_error("numerical_grad", "f not callable", lambda: gradcheck.numerical_grad(3.0, [1.0]), ("f",))
    expect_error("numerical_grad", "f returning a vector", lambda: gradcheck.numerical_grad(lambda v: v, [1.0, 2.0]), ("f",))
    expect_error("numerical_grad", "f returning a string", lambda: gradcheck.numerical_grad(lambda v: "x", [1.0]), ("f",))
    for case, eps in (("eps=0", 0.0), ("eps=-1e-6", -1e-6), ("eps=nan", math.nan), ("eps=inf", math.inf),
                      ("eps=True", True), ("eps='1e-6'", "1e-6")):
        expect_error("numerical_grad", case, lambda eps=eps: gradcheck.numerical_grad(f, a, eps=eps), ("eps",))
    expect_ok("numerical_grad", "eps=5e-324 at x = 0", lambda: gradcheck.numerical_grad(lambda v: float(np.sum(v)), [0.0],
                                                                                      eps=5e-324),
              lambda r: None if np.allclose(r, [1.0]) else f"got {r!r}")
    expect_error("numerical_grad", "eps=5e-324 at x = 1 (the step rounds away)",
                 lambda: gradcheck.numerical_grad(lambda v: float(np.sum(v)), [1.0], eps=5e-324), ("eps",))
    expect_error("numerical_grad", "complex x", lambda: gradcheck.numerical_grad(f, a + 1j), ("x",))
    expect_ok("numerical_grad", "float32 x (float64 steps)", lambda: gradcheck.numerical_grad(f, a.astype(np.float32)),
              dtype_is(np.float64))
    expect_ok("check_gradient", "F order", lambda: gradcheck.check_gradient(f, lambda v: 2 * w * v, np.asfortranarray(a)),
              lambda e: None if e < 1e-6 else f"error {e:.2g}")
    expect_error("check_gradient", "grad of the wrong shape",
                 lambda: gradcheck.check_gradient(f, lambda v: np.ones(3), a), ("analytic", "grad"))
    expect_error("check_gradient", "grad not callable", lambda: gradcheck.check_gradient(f, None, a), ("grad",))
    expect_error("gradient_relative_error", "shapes differ",
                 lambda: gradcheck.gradient_relative_error(np.ones(3), np.ones(4)), ("shape",))
    expect_error("gradient_relative_error", "complex", lambda: gradcheck.gradient_relative_error([1j], [1.0]), ("analytic",))
    expect_ok("gradient_relative_error", "+-1e308 (no overflow)",
              lambda: gradcheck.gradient_relative_error([1e308, -1e308], [1e308, -1e308]),
              lambda e: None if e == 0 else f"got {e!r}")
    expect_ok("gradient_relative_error", "1e308 vs -1e308",
              lambda: gradcheck.gradient_relative_error([1e308], [-1e308]),
              lambda e: None if e == 1.0 else f"got {e!r} (exact: 1)")
    expect_ok("gradient_relative_error", "NaN in numerical", lambda: gradcheck.gradient_relative_error([1.0], [np.nan]),
              lambda e: None if math.isnan(e) or math.isinf(e) else f"a NaN gradient scored {e!r}")


# ----------------------------------------------------------------------------- init

def probe_init() -> None:
    for name, fn in init.INITIALIZERS.items():
        for case, args in (("fan_in=0", (0, 3)), ("fan_in=-1", (-1, 3)), ("fan_in=2.0", (2.0, 3)),
                           ("fan_in=True", (True, 3)), ("fan_out='3'", (3, "3")), ("fan_out=None", (3, None))):
            expect_error(name, case, lambda args=args: fn(*args), ("fan_in", "fan_out"))
        expect_ok(name, "np.int64 fans", lambda: fn(np.int64(3), np.uint8(2), rng=0), dtype_is(np.float64))
        for dt in (np.float16, np.float32, np.longdouble):
            expect_ok(name, f"dtype {np.dtype(dt).name}", lambda dt=dt: fn(3, 2, rng=0, dtype=dt), dtype_is(dt))
        for case, dt in (("dtype=int32", np.int32), ("dtype=complex", complex), ("dtype='bogus'", "bogus")):
            expect_error(name, case, lambda dt=dt: fn(3, 2, rng=0, dtype=dt), ("dtype",))
        expect_ok(name, "dtype=None (NumPy's default float64)", lambda: fn(3, 2, rng=0, dtype=None), dtype_is(np.float64))
        for case, rng in (("rng='a'", "a"), ("rng=1.5", 1.5), ("rng=True", True), ("rng=-1", -1)):
            expect_error(name, case, lambda rng=rng: fn(3, 2, rng=rng), ("rng", "seed"))
        expect_ok(name, "same seed twice", lambda: fn(4, 4, rng=7),
                  lambda r: None if np.array_equal(r, fn(4, 4, rng=7)) else "not reproducible")
    for case, std in (("std=-1", -1.0), ("std=nan", math.nan), ("std=inf", math.inf), ("std=True", True),
                      ("std='0.1'", "0.1"), ("std=1e400 int", 10 ** 400)):
        expect_error("normal", case, lambda std=std: init.normal(2, 2, std, rng=0), ("std",))
        expect_error("uniform", case.replace("std", "limit"), lambda std=std: init.uniform(2, 2, std, rng=0), ("limit",))
    expect_ok("normal", "std=1e308", lambda: init.normal(3, 3, 1e308, rng=0), no_new_nan(()))
    expect_error("normal", "std=1e5 for float16 weights", lambda: init.normal(3, 3, 1e5, rng=0, dtype=np.float16), ("std",))
    expect_error("uniform", "limit=1e39 for float32 weights", lambda: init.uniform(3, 3, 1e39, rng=0, dtype=np.float32),
                 ("limit",))
    expect_error("MLP", "init=1e39 (float32 weights)", lambda: mlp.MLP([2, 2], init=1e39), ("std",))
    expect_ok("uniform", "limit=1e308", lambda: init.uniform(3, 3, 1e308, rng=0), no_new_nan(()))
    expect_ok("normal", "std=0", lambda: init.normal(3, 3, 0.0, rng=0), lambda r: None if (r == 0).all() else "nonzero")
    expect_error("init_std", "scheme='bogus'", lambda: init.init_std("bogus", 3, 3), ("scheme",))
    expect_error("init_std", "fan_in=0", lambda: init.init_std("he_normal", 0, 3), ("fan_in",))


# ----------------------------------------------------------------------------- optim

def probe_optim() -> None:
    def fresh(kind, **kw):
        return optim.OPTIMIZERS[kind](0.1, **kw)

    for kind in optim.OPTIMIZERS:
        for case, lr in (("lr=0", 0.0), ("lr=-1", -1.0), ("lr=nan", math.nan), ("lr=inf", math.inf),
                         ("lr=True", True), ("lr='0.1'", "0.1"), ("lr=10**400", 10 ** 400)):
            expect_error(kind, case, lambda kind=kind, lr=lr: optim.OPTIMIZERS[kind](lr), ("lr",))
        expect_ok(kind, "lr=np.float32", lambda kind=kind: optim.OPTIMIZERS[kind](np.float32(0.1)), None)
        g = np.array([[1.0, -2.0], [3e-300, 1e30]])
        for layout, p in layouts(np.array([[1.0, 2.0], [3.0, 4.0]])).items():
            if layout == "read-only":
                expect_error(kind, "read-only params", lambda kind=kind, p=p: fresh(kind).step([p], [g]), ("params",))
                continue
            ref = np.array([[1.0, 2.0], [3.0, 4.0]])
            fresh_ref = fresh(kind)
            fresh_ref.step([ref], [g])
            expect_ok(kind, f"params {layout}", lambda kind=kind, p=p: (fresh(kind).step([p], [g]), p)[1], equals(ref))
        for dt in (np.float16, np.float32, np.longdouble):
            p = np.ones(3, dtype=dt)
            gg = np.array([1e3, -3e4, 1e-8], dtype=dt)
            expect_ok(kind, f"{np.dtype(dt).name} params, large and tiny grads",
                      lambda kind=kind, p=p, gg=gg: (fresh(kind).step([p], [gg]), fresh(kind).step([p], [gg]), p)[2],
                      all_of(no_new_nan(()), dtype_is(dt)))
        expect_ok(kind, "lr=1e300, huge and tiny grads (IEEE, no warning)",
                  lambda kind=kind: (lambda q, o: (o.step([q], [np.array([1e300, -1e-300, 0.0])]),
                                                   o.step([q], [np.array([1e300, -1e-300, 0.0])]), q)[2])(
                      np.zeros(3), optim.OPTIMIZERS[kind](1e300)), no_new_nan(()))
        expect_error(kind, "lr=1e40 for float32 params",
                     lambda kind=kind: optim.OPTIMIZERS[kind](1e40).step([np.zeros(2, np.float32)], [np.ones(2, np.float32)]),
                     ("lr",))
        p = np.ones(3)
        expect_ok(kind, "grads aliasing params", lambda kind=kind, p=p: (fresh(kind).step([p], [p]), p)[1], no_new_nan(()))
        expect_ok(kind, "extreme grads (1e308, subnormal)",
                  lambda kind=kind: (lambda q: (fresh(kind).step([q], [np.array([1e308, -1e308, 5e-324])]), q)[1])(np.zeros(3)),
                  no_new_nan(()))
        expect_error(kind, "int params", lambda kind=kind: fresh(kind).step([np.ones(2, int)], [np.ones(2)]), ("params",))
        expect_error(kind, "params not a list", lambda kind=kind: fresh(kind).step(np.ones(2), [np.ones(2)]), ("params",))
        expect_error(kind, "shape mismatch", lambda kind=kind: fresh(kind).step([np.ones(2)], [np.ones(3)]), ("grads",))
        expect_error(kind, "complex grads", lambda kind=kind: fresh(kind).step([np.ones(2)], [np.ones(2) + 1j]), ("grads",))
        expect_error(kind, "list grads", lambda kind=kind: fresh(kind).step([np.ones(2)], [[1.0, 1.0]]), ("grads",))
    for case, kw in (("momentum=1", {"momentum": 1.0}), ("momentum=-0.1", {"momentum": -0.1}),
                     ("momentum=nan", {"momentum": math.nan}), ("nesterov='yes'", {"momentum": 0.9, "nesterov": "yes"})):
        expect_error("SGD", case, lambda kw=kw: optim.SGD(0.1, **kw), tuple(k for k in kw))
    for case, kw in (("betas=(0.9,)", {"betas": (0.9,)}), ("betas=(1.0, 0.9)", {"betas": (1.0, 0.9)}),
                     ("eps=-1", {"eps": -1.0}), ("eps=inf", {"eps": math.inf}), ("betas='ab'", {"betas": "ab"})):
        expect_error("Adam", case, lambda kw=kw: optim.Adam(0.1, **kw), ("betas", "eps"))
    expect_ok("Adam", "betas as a NumPy array", lambda: optim.Adam(0.1, betas=np.array([0.9, 0.999])), None)
    expect_error("RMSprop", "alpha=1.5", lambda: optim.RMSprop(0.1, alpha=1.5), ("alpha",))
    # test problems
    for name, fn in (("dip_curve", optim.dip_curve), ("dip_curve_grad", optim.dip_curve_grad)):
        x = np.array([1e308, -1e308, 1e200, 5e-324, 0.0, 8.9e307, np.inf, -np.inf])
        expect_ok(name, "+-1e308, +-inf", lambda fn=fn, x=x: fn(x), no_new_nan(()))
        expect_ok(name, "float32", lambda fn=fn: fn(np.array([1.0, 2.0], np.float32)), dtype_is(np.float32))
        expect_error(name, "complex", lambda fn=fn: fn([1j]), ("x",))
        expect_error(name, "string", lambda fn=fn: fn("a"), ("x",))
    q = optim.Quadratic.valley(10.0)
    expect_ok("Quadratic.__call__", "w = 1e200", lambda: q(np.array([1e200, -1e200])), no_new_nan(()))
    expect_ok("Quadratic.grad", "w = 1e308", lambda: q.grad(np.array([1e308, -1e308])), no_new_nan(()))
    expect_error("Quadratic", "H with NaN", lambda: optim.Quadratic([[1.0, np.nan], [np.nan, 1.0]]), ("H",))
    expect_error("Quadratic", "H with inf", lambda: optim.Quadratic([[np.inf, 0.0], [0.0, 1.0]]), ("H",))
    expect_error("Quadratic", "H complex", lambda: optim.Quadratic([[1j]]), ("H",))
    expect_error("Quadratic.valley", "condition=nan", lambda: optim.Quadratic.valley(math.nan), ("condition",))
    expect_error("Quadratic.valley", "angle=inf", lambda: optim.Quadratic.valley(2.0, angle=math.inf), ("angle",))
    expect_error("lr_threshold", "L=0", lambda: optim.lr_threshold(0.0), ("L",))
    expect_ok("lr_threshold", "L=5e-324", lambda: optim.lr_threshold(5e-324), None)
    expect_error("momentum_window", "momentum=1", lambda: optim.momentum_window(1.0), ("momentum",))
    expect_error("momentum_weights", "steps=0", lambda: optim.momentum_weights(0.5, 0), ("steps",))
    expect_error("steps_to_tolerance", "complex values", lambda: optim.steps_to_tolerance(np.array([1j]), 1.0), ("values",))
    expect_error("steps_to_tolerance", "tol=nan", lambda: optim.steps_to_tolerance([1.0], math.nan), ("tol",))
    expect_ok("steps_to_tolerance", "NaN values never count as converged",
              lambda: optim.steps_to_tolerance(np.array([1.0, np.nan]), 2.0), lambda r: None if r is None else f"got {r}")
    expect_ok("descend", "lr far beyond the threshold", lambda: optim.descend(q.grad, [1.0, 1.0], optim.SGD(10.0), 200),
              no_new_nan(()))
    expect_ok("descend", "Adam, huge start", lambda: optim.descend(q.grad, [1e300, -1e300], optim.Adam(1.0), 20),
              no_new_nan(()))
    expect_error("descend", "steps=0", lambda: optim.descend(q.grad, [1.0, 1.0], optim.SGD(0.1), 0), ("steps",))
    expect_error("descend", "start with NaN", lambda: optim.descend(q.grad, [np.nan, 1.0], optim.SGD(0.1), 3), ("start",))
    expect_error("minibatch_gradient_noise", "batch size 0",
                 lambda: optim.minibatch_gradient_noise(lambda i: 0.0, 5, [0]), ("batch_sizes",))


# ----------------------------------------------------------------------------- identities, MLP, diagnostics

def probe_identities() -> None:
    for name, fn in (("tanh_via_sigmoid", identities.tanh_via_sigmoid), ("tanh_via_expm1", identities.tanh_via_expm1)):
        x = np.array([1e308, -1e308, 5e-324, -5e-324, 0.0, 354.9, 709.8, np.inf, -np.inf])
        expect_ok(name, "+-1e308, +-inf", lambda fn=fn, x=x: fn(x), no_new_nan(()))
        expect_ok(name, "float32 stays float32", lambda fn=fn: fn(np.array([0.5], np.float32)), dtype_is(np.float32))
        expect_error(name, "complex", lambda fn=fn: fn(np.array([1j])), ("x",))
        expect_error(name, "string", lambda fn=fn: fn("a"), ("x",))
    expect_ok("tanh_via_expm1", "-0.0 keeps its sign like np.tanh", lambda: identities.tanh_via_expm1(np.array([-0.0])),
              lambda r: None if np.signbit(r[0]) else "tanh(-0.0) gave +0.0")
    expect_ok("stack_scalar_layers", "slope 10, depth 400 (overflows)",
              lambda: identities.stack_scalar_layers(np.array([1.0, -1.0]), 10.0, 400), no_new_nan(()))
    expect_error("stack_scalar_layers", "depth=-1", lambda: identities.stack_scalar_layers(np.ones(2), 2.0, -1), ("depth",))
    expect_error("stack_scalar_layers", "slope=nan", lambda: identities.stack_scalar_layers(np.ones(2), math.nan, 2),
                 ("slope",))
    expect_error("stack_scalar_layers", "depth=2.5", lambda: identities.stack_scalar_layers(np.ones(2), 2.0, 2.5), ("depth",))
    expect_error("tanh_relative_errors", "x = 0", lambda: identities.tanh_relative_errors(np.array([0.0])), ("x",))
    expect_error("tanh_relative_errors", "complex", lambda: identities.tanh_relative_errors(np.array([1j])), ("x",))


def probe_mlp() -> None:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(6, 4))
    for output in ("softmax", "sigmoid", "linear"):
        for act in ("relu", "tanh", "sigmoid", "gelu", "prelu", "leaky_relu", "selu"):
            net = mlp.MLP([4, 5, 3], activations=act, output=output, rng=0)
            y = rng.integers(0, 3, 6) if output == "softmax" else rng.random((6, 3))
            ref = net.forward(X)
            for layout, x in layouts(X).items():
                before = x.copy()
                expect_ok(f"MLP.forward ({act}, {output})", f"X {layout}", lambda net=net, x=x: net.forward(x),
                          all_of(equals(ref), unchanged([x], [before])))
            expect_ok(f"MLP.forward ({act}, {output})", "X +-1e18, subnormal",
                      lambda net=net: net.forward(np.array([[1e18, -1e18, 1e-45, -5e-324]] * 2)), no_new_nan(()))
            X_edge = np.array([[3e38, -3e38, 1.0, 0.0], [3e38, 3e38, 3e38, 3e38]], np.float32)
            def near_limit(net=net, X_edge=X_edge):
                try:
                    return net.forward(X_edge)
                except ValueError as err:  # non-finite outputs: a ValueError naming X
                    return None if "X" in str(err) else err
            expect_ok(f"MLP.forward ({act}, {output})", "X = +-3e38 (float32, overflows inside)", near_limit,
                      lambda r: None if r is None or np.isfinite(r).all() else "non-finite outputs")
            expect_error(f"MLP.forward ({act}, {output})", "X beyond float32's range",
                         lambda net=net: net.forward(np.array([[1e39, 0.0, 0.0, 0.0]])), ("X",))
            expect_error(f"MLP.forward ({act}, {output})", "X with inf", lambda net=net: net.forward(np.full((2, 4), np.inf)),
                         ("X",))
            expect_error(f"MLP.forward ({act}, {output})", "X with NaN", lambda net=net: net.forward(np.full((2, 4), np.nan)),
                         ("X",))
            expect_error(f"MLP.forward ({act}, {output})", "complex X", lambda net=net: net.forward(X + 1j), ("X",))
            expect_error(f"MLP.forward ({act}, {output})", "X of the wrong width", lambda net=net: net.forward(X[:, :3]), ("X",))
            net.forward(X)
            expect_ok(f"MLP.backward ({act}, {output})", "valid targets", lambda net=net, y=y: net.backward(y), None)
            if output == "softmax":
                expect_error(f"MLP.backward ({act}, {output})", "label out of range",
                             lambda net=net: net.backward(np.array([0, 1, 2, 3, 0, 1])), ("y",))
                expect_error(f"MLP.backward ({act}, {output})", "(n,1) labels",
                             lambda net=net: net.backward(np.zeros((6, 1), int)), ("y",))
            else:
                expect_error(f"MLP.backward ({act}, {output})", "(n,) targets for 3 outputs",
                             lambda net=net: net.backward(np.zeros(6)), ("y",))
                expect_error(f"MLP.backward ({act}, {output})", "NaN targets",
                             lambda net=net: net.backward(np.full((6, 3), np.nan)), ("y",))
    # gradients of the whole network against nbsupport.gradcheck (float64)
    for output in ("softmax", "sigmoid", "linear"):
        net = mlp.MLP([3, 4, 2], activations="tanh", output=output, rng=1, dtype=np.float64)
        Xs = rng.normal(size=(5, 3))
        ys = rng.integers(0, 2, 5) if output == "softmax" else rng.random((5, 2))
        def compare(net=net, Xs=Xs, ys=ys):
            net.forward(Xs)
            net.backward(ys)
            W = net.dense[0].W
            analytic = net.dense[0].dW.copy()
            def f(v):
                old = W.copy()
                W[...] = v
                value = net.loss(Xs, ys)
                W[...] = old
                return value
            return gradcheck.gradient_relative_error(analytic, gradcheck.numerical_grad(f, W.copy()))
        expect_ok(f"MLP.backward ({output})", "dW vs numerical_grad", compare,
                  lambda e: None if e < 1e-6 else f"relative error {e:.2g}")


def probe_diagnostics() -> None:
    z = np.random.default_rng(6).normal(size=(8, 5))
    for name, fn in (("dead_units", diagnostics.dead_units), ("active_fraction", diagnostics.active_fraction),
                     ("dead_share", diagnostics.dead_share)):
        expect_error(name, "complex z", lambda fn=fn: fn(z + 1j), ("z",))
        expect_error(name, "string z", lambda fn=fn: fn([["a"]]), ("z",))
        expect_error(name, "1-D z", lambda fn=fn: fn(z[0]), ("z",))
        expect_ok(name, "Fortran / read-only z", lambda fn=fn: fn(layouts(z)["read-only"]), None)
    for name, fn in (("saturated_mask", diagnostics.saturated_mask), ("saturated_share", diagnostics.saturated_share)):
        expect_error(name, "share=nan", lambda fn=fn: fn(z, "tanh", share=math.nan), ("share",))
        expect_error(name, "share='a'", lambda fn=fn: fn(z, "tanh", share="a"), ("share",))
        if name == "saturated_mask":
            expect_error(name, "activation='bogus'", lambda fn=fn: fn(z, "bogus"), ("activation",))
        else:  # documented: NaN for every activation (or output layer) that does not saturate
            expect_ok(name, "activation='relu' (NaN by contract)", lambda fn=fn: fn(z, "relu"),
                      lambda r: None if math.isnan(r) else f"got {r}")
        expect_ok(name, "extremes", lambda fn=fn: fn(np.array([1e308, -np.inf, 5e-324]), "sigmoid"), None)
    expect_error("sigmoid_grad_crossing", "level=nan", lambda: diagnostics.sigmoid_grad_crossing(math.nan), ("level",))
    expect_error("sigmoid_grad_crossing", "level='a'", lambda: diagnostics.sigmoid_grad_crossing("a"), ("level",))
    expect_ok("sigmoid_grad_crossing", "level=5e-324", lambda: diagnostics.sigmoid_grad_crossing(5e-324),
              lambda r: None if math.isfinite(r) else f"got {r}")
    expect_ok("mean_std", "+-1e308", lambda: diagnostics.mean_std(np.array([1e308, -1e308, 1e308])), no_new_nan(()))


# ----------------------------------------------------------------------------- a second round of input classes

def _unaligned(a: np.ndarray) -> np.ndarray:
    """The values of ``a`` in a buffer that starts one byte off the float's alignment."""
    buf = np.zeros(a.nbytes + 1, dtype=np.uint8)
    out = np.frombuffer(buf.data, dtype=a.dtype, count=a.size, offset=1).reshape(a.shape)
    out[...] = a
    return out


class _Sub(np.ndarray):
    """A plain ndarray subclass (no overridden operators)."""


def _same_state() -> Callable[[], str | None]:
    """A check that NumPy's global random state is what it was when this was called."""
    before = np.random.get_state()

    def check(_=None) -> str | None:
        after = np.random.get_state()
        same = before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]
        return None if same else "touched NumPy's global random state"
    return check


def probe_containers_and_scalars() -> None:
    """ndarray subclasses, unaligned buffers, Python ints beyond int64, every NumPy scalar."""
    base = np.random.default_rng(11).normal(scale=3, size=(4, 5))
    targets = np.random.default_rng(12).random((4, 5))
    calls = [(name, lambda x, fn=fn, params=params: fn(x, **params)) for name, fn, params in _elementwise_functions()]
    calls += [("softmax", nbs.softmax), ("log_softmax", nbs.log_softmax), ("logsumexp", nbs.logsumexp),
              ("mse", lambda x: L.mse(targets, x)), ("huber_grad", lambda x: L.huber_grad(targets, x)),
              ("binary_cross_entropy_with_logits", lambda x: L.binary_cross_entropy_with_logits(targets, x)),
              ("softmax_cross_entropy_with_logits", lambda x: L.softmax_cross_entropy_with_logits([0, 1, 2, 3], x))]
    for name, f in calls:
        reference = f(base)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            matrix = np.matrix(base)
        for case, x in (("np.matrix", matrix), ("ndarray subclass", base.view(_Sub)),
                        ("unaligned buffer", _unaligned(base)), ("memoryview", memoryview(base))):
            before = np.array(x, copy=True)
            expect_ok(name, case, lambda x=x, f=f: f(x),
                      all_of(lambda r: None if type(r) in (np.ndarray, np.float64) else f"returned {type(r).__name__}",
                             equals(reference), unchanged([np.asarray(x)], [before])))
        expect_error(name, "np.ma without a mask (refused like any masked array)",
                     lambda f=f: f(np.ma.masked_array(base)), ("mask", "x", "z", "y_pred", "logits"))
        expect_error(name, "generator", lambda f=f: f(v for v in base.ravel()), ("x", "z", "y_pred", "logits"))
        out = expect_ok(name, "output does not alias the input", lambda f=f: f(base),
                        lambda r: "shares memory with its input" if isinstance(r, np.ndarray)
                        and np.shares_memory(r, base) else None)
        expect_ok(name, "same output twice, global RNG untouched", lambda f=f, s=_same_state(): (f(base), s)[0],
                  all_of(equals(out if out is not None else reference), _same_state()))
    # Python ints beyond int64: integers like any other (float64, rounded once; +-inf beyond)
    big = [2 ** 70, -(2 ** 64), 3, 2 ** 1100, -(2 ** 1024 - 2 ** 970)]
    as_float = np.array([float(2 ** 70), -float(2 ** 64), 3.0, np.inf, -np.inf])
    for name, fn, params in _elementwise_functions():
        expect_ok(name, "Python ints beyond int64", lambda fn=fn, params=params: fn(big, **params),
                  equals(fn(as_float, **params)))
    expect_ok("softmax", "Python ints beyond int64", lambda: nbs.softmax([0, 2 ** 70]), equals([0.0, 1.0]))
    expect_error("softmax_cross_entropy_with_logits", "label 2**70 (beyond int64)",
                 lambda: L.softmax_cross_entropy_with_logits([0, 2 ** 70], np.zeros((2, 3))), ("y_true",))
    # every NumPy scalar type and 0-d array
    for dt, out_dt in (("bool", np.float64), ("int8", np.float64), ("uint64", np.float64), ("int64", np.float64),
                       ("float16", np.float32), ("float32", np.float32), ("float64", np.float64),
                       ("longdouble", np.float64)):
        scalar = np.dtype(dt).type(1)
        for name, fn, params in _elementwise_functions()[::4]:
            expect_ok(name, f"np.{dt} scalar", lambda fn=fn, params=params, scalar=scalar: fn(scalar, **params),
                      all_of(dtype_is(out_dt), lambda r: None if np.ndim(r) == 0 and not isinstance(r, np.ndarray)
                             else f"returned {type(r).__name__}"))
            expect_ok(name, f"0-d {dt} array", lambda fn=fn, params=params, dt=dt: fn(np.array(1, dt), **params),
                      all_of(dtype_is(out_dt), lambda r: None if np.ndim(r) == 0 else f"shape {np.shape(r)}"))


def probe_parameters_that_round_to_zero() -> None:
    """Nonzero scalar parameters below float32's smallest subnormal, with float32 input."""
    x32 = np.array([-np.inf, -1.0, -0.0, 2.0, np.inf], np.float32)
    calls = [("leaky_relu", "alpha", lambda v: nbs.leaky_relu(x32, alpha=v)),
             ("leaky_relu_grad", "alpha", lambda v: nbs.leaky_relu_grad(x32, alpha=v)),
             ("elu", "alpha", lambda v: nbs.elu(x32, alpha=v)), ("prelu", "alpha", lambda v: nbs.prelu(x32, alpha=v)),
             ("prelu", "alpha", lambda v: nbs.prelu(np.stack([x32, x32], axis=1), alpha=[v, 0.5])),
             ("rrelu", "lower", lambda v: nbs.rrelu(x32, lower=v, upper=0.5)),
             ("rrelu", "upper", lambda v: nbs.rrelu(x32, lower=0.0, upper=v)),
             ("huber", "delta", lambda v: L.huber(np.zeros_like(x32), x32, delta=v)),
             ("huber_grad", "delta", lambda v: L.huber_grad(np.zeros_like(x32), x32, delta=v))]
    for name, param, call in calls:
        for value in (1e-46, 2.2250738585072014e-308, 5e-324):
            expect_error(name, f"{param}={value:.3g} with float32 x (rounds to 0)", lambda call=call, value=value: call(value),
                         (param,))
        expect_ok(name, f"{param}=1.5e-45 with float32 x (float32's smallest)", lambda call=call: call(1.5e-45),
                  no_new_nan(()))


def probe_optimizer_inputs() -> None:
    """np.matrix parameters, parameters sharing memory, gradients wider than the parameters."""
    w, g = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, -2.0], [0.5, 3.0]])
    for kind in optim.OPTIMIZERS:
        def two_steps(p, grad, kind=kind):
            opt = optim.OPTIMIZERS[kind](0.1)
            for _ in range(2):
                opt.step([p], [grad])
            return np.asarray(p)
        reference = two_steps(w.copy(), g)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            m, mg = np.matrix(w), np.matrix(g)
        expect_ok(kind, "np.matrix params and grads (elementwise, in place)",
                  lambda m=m, mg=mg, two_steps=two_steps: two_steps(m, mg), equals(reference))
        a = np.arange(4.0)
        for case, (p1, p2) in (("the same array twice", (a, a)), ("overlapping views", (a[:3], a[1:]))):
            expect_error(kind, f"params: {case}", lambda kind=kind, p1=p1, p2=p2: optim.OPTIMIZERS[kind](0.1).step(
                [p1, p2], [np.ones_like(p1), np.ones_like(p2)]), ("share memory",))
        expect_ok(kind, "params: disjoint views of one buffer",
                  lambda kind=kind: optim.OPTIMIZERS[kind](0.1).step([a[:2], a[2:]], [np.ones(2), np.ones(2)]), None)
        expect_error(kind, "float64 grad 1e300 for float32 params",
                     lambda kind=kind: optim.OPTIMIZERS[kind](0.1).step([np.ones(2, np.float32)], [np.array([1.0, 1e300])]),
                     ("grads[0]",))
        expect_ok(kind, "float64 grads within float32's range", lambda kind=kind: (
            lambda p: (optim.OPTIMIZERS[kind](0.1).step([p], [np.array([1e30, -1e-50, 0.5])]), p)[1])(np.ones(3, np.float32)),
            all_of(no_new_nan(()), dtype_is(np.float32)))


def probe_statistics() -> None:
    """diagnostics and training statistics: integer squares, the public boundary, over/underflow."""
    for name, fn in (("root_sum_squares", diagnostics.root_sum_squares), ("mean_std", diagnostics.mean_std)):
        for case, x in (("int64 2**40", np.array([2 ** 40, 2 ** 40])), ("int64 max", np.array([np.iinfo(np.int64).max] * 3)),
                        ("bool", np.array([True, True, False])), ("uint8", np.array([200, 100], np.uint8))):
            expect_ok(name, f"{case} (squared as float64)", lambda fn=fn, x=x: fn(x), equals(fn(x.astype(np.float64))))
        expect_ok(name, "python list", lambda fn=fn: fn([1.0, 3.0]), None)
        expect_error(name, "complex x", lambda fn=fn: fn(np.array([1j, 1.0])), ("x",))
        for case, x, exact in (("[1e308, 1e308]", np.array([1e308, 1e308]), None),
                               ("float32 [3e38, -3e38]", np.array([3e38, -3e38], np.float32), None),
                               ("float32 [1e-30, 1e-30]", np.array([1e-30, 1e-30], np.float32), None),
                               ("[1e-200, -1e-200]", np.array([1e-200, -1e-200]), None)):
            ref = np.sqrt(np.mean(x.astype(np.longdouble) ** 2)) if name == "root_sum_squares" else None
            expect_ok(name, f"{case} (squares out of range)", lambda fn=fn, x=x: fn(x),
                      lambda r, ref=ref, x=x: None if all(math.isfinite(v) for v in np.atleast_1d(r)) and (
                          ref is None or np.isclose(float(r) / math.sqrt(x.size), float(ref), rtol=1e-6, atol=0))
                      else f"got {r!r}")
    expect_error("mean_std", "empty x", lambda: diagnostics.mean_std(np.empty(0)), ("x",))
    expect_ok("update_ratio", "+-1e308 weights (differences overflow)",
              lambda: training.update_ratio([[1e308, -1e308]], [[-1e308, 1e308]]), lambda r: None if r == 2.0 else f"got {r!r}")
    expect_ok("update_ratio", "weights of 1e-300 (squares underflow)",
              lambda: training.update_ratio([[1e-300, -1e-300]], [[3e-300, -3e-300]]),
              lambda r: None if math.isclose(r, 2.0, rel_tol=1e-15) else f"got {r!r}")
    for name, call in (("update_ratio", lambda: training.update_ratio(np.empty(0), np.empty(0))),
                       ("spread_parts", lambda: training.spread_parts(np.empty((0, 3)))),
                       ("activation_histogram", lambda: training.activation_histogram([0.2], [1.0, 0.0]))):
        expect_error(name, "empty input or decreasing edges", call, ("before", "a", "edges"))
    expect_ok("spread_parts", "+-1e308 (squares overflow)", lambda: training.spread_parts([[1e308, -1e308], [1e308, -1e308]]),
              lambda r: None if r == (0.0, 1e308) else f"got {r!r}")
    # derived parameters that underflow, and a root near 0
    with mp.workdps(80):
        def exact(share):
            level = mp.mpf(share) / 4
            tail = 2 * level / (1 + mp.sqrt(1 - 4 * level))
            return float(mp.log(1 - tail) - mp.log(tail))
        for share in (5e-324, 1e-320, 4e-308, 0.9999999, 1 - 2 ** -53):
            want = exact(share)
            expect_ok("saturation_bound", f"sigmoid, share={share:.3g}", lambda share=share: diagnostics.saturation_bound(
                "sigmoid", share), lambda r, want=want: None if abs(r - want) <= 4 * np.spacing(want) else f"{r!r}, exact {want!r}")
    # a module-level cache shared by threads
    def threads_agree() -> str | None:
        from concurrent.futures import ThreadPoolExecutor
        scales = [0.5, 2.0, 3.0] * 8
        profile = lambda s: diagnostics.depth_profile("tanh", 8, s, width=32, batch=64).grad_norms  # noqa: E731
        serial = [profile(s) for s in scales]
        with ThreadPoolExecutor(3) as pool:
            threaded = list(pool.map(profile, scales))
        wrong = sum(not np.array_equal(a, b) for a, b in zip(serial, threaded))
        return f"{wrong} of {len(scales)} results differ from serial calls" if wrong else None
    expect_ok("depth_profile", "three threads, three scales, one cached network", threads_agree, lambda r: r)
    for case, kw in (("weight_scale=nan", {"weight_scale": math.nan}), ("weight_scale=-1", {"weight_scale": -1.0}),
                     ("depth=2.0", {"depth": 2.0})):
        args = {"activation": "tanh", "depth": 3, "weight_scale": 1.0, **kw}
        expect_error("depth_profile", case, lambda args=args: diagnostics.depth_profile(**args), tuple(kw))
    expect_error("probe_weights", "std 1e39 (float32 weights)", lambda: diagnostics.probe_weights(1e39, 2, width=3), ("init",))
    expect_error("activation_std_ratio", "std=0 (ratio 0/0)", lambda: diagnostics.activation_std_ratio(0.0), ("std",))
    expect_ok("activation_std_ratio", "std=1e3, ReLU (float32 squares overflow)",
              lambda: diagnostics.activation_std_ratio(1e3, "relu", 5),
              lambda r: None if math.isclose(r, diagnostics.activation_std_ratio(1.0, "relu", 5) * 1e12, rel_tol=1e-5)
              else f"got {r!r}")


def probe_helpers() -> None:
    """calculus, fitting, heads, gradcheck's step and the exercise checkers."""
    for case, call, names in (
            ("tol=0", lambda: calculus.bisect(lambda t: t - 0.3, 0.0, 1.0, tol=0.0), ("tol",)),
            ("g returns NaN", lambda: calculus.bisect(lambda t: math.nan, 0.0, 1.0), ("g",)),
            ("f returns text", lambda: calculus.normal_mean(lambda t: np.array(["a"] * t.size)), ("f",))):
        expect_error("bisect" if "bisect" in case or "g" in case or "tol" in case else "normal_mean", case, call, names)
    expect_ok("bisect", "root near the largest float (lo + hi overflows)",
              lambda: calculus.bisect(lambda t: t - 1.5e308, 1e308, 1.7976931348623157e308),
              lambda r: None if math.isclose(r, 1.5e308, rel_tol=1e-12) else f"got {r!r}")
    for case, x, y, slope in (("x = +-1e200", [1e200, -1e200, 0.0], [1.0, 2.0, 3.0], -5e-201),
                              ("x ~ 1e-200", [1e-200, 2e-200, 3e-200], [1.0, 2.0, 3.0], 1e200)):
        expect_ok("least_squares_line", case, lambda x=x, y=y: fitting.least_squares_line(x, y).slope,
                  lambda r, slope=slope: None if math.isclose(float(r), slope, rel_tol=1e-14) else f"slope {r!r}")
    for loss in ("mse", "mae"):
        expect_ok("fit_line", f"{loss}, x = +-1.7e308", lambda loss=loss: fitting.fit_line([1.7e308, -1.7e308, 0.0], [1.0, 2.0, 3.0],
                                                                                     loss, steps=50),
                  lambda r: None if math.isfinite(r.slope) and math.isfinite(r.intercept) else f"got {r!r}")
    expect_error("set_constant_weights", "value=nan", lambda: training.set_constant_weights(mlp.MLP([2, 2], rng=0), math.nan),
                 ("value",))
    expect_error("stratified_split", "2-D labels", lambda: data.stratified_split(np.zeros((2, 2), int), 0.5), ("y",))
    expect_ok("one_sample_descent", "|x| = 1e300 (|x|^2 overflows)",
              lambda: fitting.one_sample_descent(np.array([[1e300, 0.0]]), np.array([2.0]), np.zeros(2), 1, rate=1.0)[-1, 0],
              lambda r: None if math.isclose(r, 2e-300, rel_tol=1e-15) else f"got {r!r}")
    expect_error("decode_codes", "NaN output", lambda: heads.decode_codes(np.array([np.nan, 0.5]), [0.0, 1.0]), ("outputs",))
    expect_error("bce_on_classes", "label 3 of 3 classes", lambda: heads.bce_on_classes([0, 3], np.full((2, 3), 1 / 3)),
                 ("labels",))
    expect_error("binary_accuracy", "threshold=nan", lambda: heads.binary_accuracy(np.eye(2), np.eye(2), math.nan),
                 ("threshold",))
    for case, x, eps in (("x = 1e300, eps = 1e-6", 1e300, 1e-6), ("x = 1e10, eps = 1e-6", 1e10, 1e-6)):
        expect_error("numerical_grad", f"{case} (the step rounds away)",
                     lambda x=x, eps=eps: gradcheck.numerical_grad(lambda v: float(np.sum(v)), [x], eps=eps), ("eps",))
    expect_ok("numerical_grad", "eps = 1e308 (2 eps overflows)",
              lambda: gradcheck.numerical_grad(lambda v: float(np.sum(v)), [1.0], eps=1e308), equals([1.0]))
    expect_ok("gradient_relative_error", "inf vs inf (NaN, never small)", lambda: gradcheck.gradient_relative_error([np.inf], [np.inf]),
              lambda r: None if math.isnan(r) else f"got {r!r}")
    from nbsupport.exercises import Exercise
    value = Exercise(prompt="p", solution=lambda: 4.5849, explanation="Right.", hint="Hint.", decimals=2)
    function = Exercise(prompt="p", solution=lambda x: 2 * x, explanation="Right.", hint="Hint.", inputs=[1.0, 2.0])
    for case, exercise, answer in (("answer 10**400", value, 10 ** 400), ("answer '4.59' (text)", value, "4.59"),
                                   ("answer 4.59 + 1j", value, 4.59 + 1j),
                                   ("function returning complex", function, lambda x: 2 * x + 1j)):
        expect_ok("Exercise.evaluate", case, lambda exercise=exercise, answer=answer: exercise.evaluate(answer),
                  lambda r: "marked correct" if r.correct else None)
    expect_ok("Exercise.evaluate", "answer np.float32(4.59)", lambda: value.evaluate(np.float32(4.59)),
              lambda r: None if r.correct else "refused")


def stopped_at(step: int | None, *finite: Callable[[object], object]) -> Callable[[object], str | None]:
    """A diverging run: it reports divergence at ``step`` (any step if None) and returns only finite numbers."""
    def check(run) -> str | None:
        at = getattr(run, "diverged_at", getattr(run, "diverged_step", "missing"))
        if at == "missing" or at is None or (step is not None and at != step):
            return f"divergence reported at {at!r}, expected {'a step' if step is None else step}"
        for part in finite:
            values = part(run)
            arrays = values if isinstance(values, (list, tuple)) else [values]
            if not all(np.all(np.isfinite(np.asarray(a, dtype=np.float64))) for a in arrays):
                return "NaN or inf in the result"
        return None
    return check


def probe_diverging_loops() -> None:
    """Every training loop with a learning rate (or data) that makes its iterates overflow."""
    q = optim.Quadratic([[1.0]])
    path = lambda run: run.path  # noqa: E731
    for name, opt in optim.OPTIMIZERS.items():
        expect_ok("descend_run", f"{name}, lr=1e300 from 1e150 (the step overflows)",
                  lambda opt=opt: optim.descend_run(q.grad, [1e150], opt(1e300), 5), stopped_at(1, path))
    expect_ok("descend_run", "SGD lr = 5 x 2/L (grows 9x a step)",
              lambda: optim.descend_run(q.grad, [1.0], optim.SGD(10.0), 400), stopped_at(162, path))
    x, t = np.array([-1.0, -0.5, 0.5, 1.0]), np.array([0.0, 1.0, 0.0, 1.0])
    logistic = lambda h: [h.loss, h.w, h.b, h.grad_norm]  # noqa: E731
    for loss in fitting.LOGISTIC_LOSSES:
        expect_ok("train_logistic", f"{loss}, x ~ 1e200, lr=1 (lr x^2 overflows)",
                  lambda loss=loss: fitting.train_logistic(x * 1e200, t, loss, lr=1.0, steps=50), stopped_at(1, logistic))
        expect_ok("train_logistic", f"{loss}, lr=1e300",
                  lambda loss=loss: fitting.train_logistic(x, t, loss, lr=1e300, steps=50), stopped_at(1, logistic))
    expect_ok("train_logistic", "float32 x ~ 1e30, lr=1e300",
              lambda: fitting.train_logistic((x * 1e30).astype(np.float32), t, "bce", lr=1e300, steps=20),
              stopped_at(1, logistic))
    expect_ok("rate_sweep", "rates up to 1e300 on x ~ 1e150",
              lambda: fitting.rate_sweep(x * 1e150, t, "bce", [1e-300, 1e300], steps=20),
              lambda r: None if r.settled[1] is None and all(np.isfinite(h.loss).all() for h in r.runs)
              else f"settled {r.settled}")
    line = lambda f: [f.slope, f.intercept]  # noqa: E731
    for loss in fitting.REGRESSION_LOSSES:
        expect_ok("fit_line", f"{loss}, step0=1e300 on data of size 10",
                  lambda loss=loss: fitting.fit_line(np.arange(5.0), np.arange(5.0) + 1, loss, step0=1e300),
                  stopped_at(1, line))
    expect_ok("fit_line", "mse, targets ~ 1e300 (their std overflows)",
              lambda: fitting.fit_line(np.arange(5.0), (np.arange(5.0) + 1) * 1e300, "mse"),
              lambda f: None if f.diverged_at is None and math.isclose(f.slope, 1e300, rel_tol=1e-3) else f"got {f!r}")
    expect_ok("one_sample_run", "rate=3 (each step overshoots twice as far)",
              lambda: fitting.one_sample_run(np.array([[1.0, 0.0]]), np.array([2.0]), np.zeros(2), 1000, rate=3.0),
              stopped_at(513, path))
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 4)), rng.integers(0, 3, 60)
    weights = lambda net: lambda h: net.params()  # noqa: E731
    for activation, output, dtype, lr in (("relu", "softmax", np.float32, 1e3), ("relu", "softmax", np.float32, 1e30),
                                          ("tanh", "softmax", np.float32, 1e30), ("tanh", "softmax", np.float64, 1e160),
                                          ("relu", "linear", np.float32, 1e3)):
        net = mlp.MLP([4, 8, 3 if output == "softmax" else 1], activations=activation, output=output, dtype=dtype, rng=0)
        targets = y if output == "softmax" else y.astype(float)
        expect_ok("train", f"{activation} -> {output}, {np.dtype(dtype).name}, SGD lr={lr:g}",
                  lambda net=net, targets=targets, lr=lr: mlp.train(net, X, targets, 4, 20, optim.SGD(lr)),
                  stopped_at(None, weights(net), lambda h: h.train_loss))
    net = mlp.MLP([4, 8, 3], activations="tanh", rng=0)
    expect_ok("monitored_train", "tanh, float32, lr=1e30 (weights pass 1.8e19 without overflow)",
              lambda: training.monitored_train(net, X, y, epochs=2, batch_size=20, lr=1e30), stopped_at(0, weights(net)))
    xr, yr = heads.regression_data(64, rng=0)
    for head in ("linear", "sigmoid"):
        expect_ok("fit_regression", f"{head} head, lr=1e30",
                  lambda head=head: heads.fit_regression(xr, yr, head, epochs=2, lr=1e30),
                  stopped_at(0, lambda f: f.predict(xr)))
    xn, labels = heads.nominal_data(20, rng=0)
    expect_ok("fit_nominal", "codes, lr=1e30",
              lambda: heads.fit_nominal(xn, labels, (0.0, 1.0, 2.0), epochs=2, lr=1e30),
              stopped_at(0, lambda f: f.outputs(xn)))


#: Every probe, in the order of the table.
PROBES = (probe_activations, probe_normalizers, probe_losses, probe_gradcheck, probe_init, probe_optim,
          probe_identities, probe_mlp, probe_diagnostics, probe_containers_and_scalars,
          probe_parameters_that_round_to_zero, probe_optimizer_inputs, probe_statistics, probe_helpers,
          probe_diverging_loops)


# ----------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--defects", action="store_true", help="print only the rows that found a defect")
    args = parser.parse_args()
    for probe in PROBES:
        probe()
    shown = [r for r in ROWS if r[2] != "ok"] if args.defects else ROWS
    width = max(len(r[0]) for r in ROWS)
    case_width = max(len(r[1]) for r in ROWS)
    print(f"{'function':<{width}}  {'input class':<{case_width}}  result  what happened")
    for function, case, status, detail in shown:
        print(f"{function:<{width}}  {case:<{case_width}}  {status:<6}  {detail}")
    defects = sum(r[2] != "ok" for r in ROWS)
    functions = len({r[0] for r in ROWS})
    print(f"\n{len(ROWS)} probes of {functions} functions: {len(ROWS) - defects} ok, {defects} defects")
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
