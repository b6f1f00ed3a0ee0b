#!/usr/bin/env python3
"""Baseline for benches/analysis.rs: the same item analysis in plain numpy.

Reads target/bench/analysis-matrix.bin (written by `cargo bench -p
examgate-shared --bench analysis`), computes every statistic the Rust
analysis reports with ordinary vectorised numpy (np.sort for the
discriminative efficiency, float64 throughout), times it the same way (best
and median of 5 runs, one thread), checks that every number agrees with
target/bench/analysis.json to 1e-6 (relative above 1, absolute below), and
writes target/bench/analysis-numpy.json with the timings and the
numpy / Rust ratio.

Usage: python3 shared/benches/baseline_numpy.py [BENCH_DIR]
Needs numpy (`pip install numpy`). Exits non-zero on any disagreement.
"""

import json
import math
import os
import pathlib
import platform
import sys
import time

# One thread, like the Rust side (set before numpy loads its BLAS).
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import numpy as np  # noqa: E402

UNANSWERED = 255
KIND_CHOICE = 0
RUNS = 5
TOLERANCE = 1e-6


def bench_dir():
    if len(sys.argv) > 1:
        return pathlib.Path(sys.argv[1])
    target = os.environ.get("CARGO_TARGET_DIR")
    if target:
        return pathlib.Path(target) / "bench"
    return pathlib.Path(__file__).resolve().parents[2] / "target" / "bench"


def load(path):
    """The matrix file: see write_matrix in analysis.rs for the layout."""
    buf = np.fromfile(path, dtype=np.uint8)
    assert bytes(buf[:4]) == b"EGAM", "not an examgate matrix"
    version, s, p = (int(v) for v in buf[4:16].view("<u4"))
    assert version == 1, f"matrix version {version}"
    specs = buf[16 : 16 + 8 * p].reshape(p, 8)
    items = {
        "max_milli": specs[:, 0:2].copy().view("<u2").ravel().astype(np.int64),
        "kind": specs[:, 2].copy(),
        "options": specs[:, 3].copy(),
        "key": specs[:, 4].copy(),
    }
    start = 16 + 8 * p
    marks = buf[start : start + 2 * s * p].view("<u2").reshape(p, s)
    choices = buf[start + 2 * s * p : start + 3 * s * p].reshape(p, s)
    return items, marks, choices


def group_weights(totals):
    """Per-attempt weights of the upper and lower 27 % groups: ⌈27 % of s⌉
    attempts each; attempts tied at an edge share the places left."""
    s = totals.size
    size = (27 * s + 99) // 100
    ordered = np.sort(totals)

    def weights(beyond, at):
        n_beyond, n_at = beyond.sum(), at.sum()
        return beyond + at * ((size - n_beyond) / n_at)

    upper_edge, lower_edge = ordered[s - size], ordered[size - 1]
    upper = weights(totals > upper_edge, totals == upper_edge)
    lower = weights(totals < lower_edge, totals == lower_edge)
    return upper, lower, size


def corr_pct(a_centred, b_centred):
    den = math.sqrt(np.dot(a_centred, a_centred) * np.dot(b_centred, b_centred))
    return None if den == 0 else 100.0 * float(np.dot(a_centred, b_centred)) / den


def analyse(items, marks, choices):
    p, s = marks.shape
    totals = marks.sum(axis=0, dtype=np.int64).astype(np.float64)
    max_total = float(items["max_milli"].sum())
    total_mean = totals.mean()
    totals_c = totals - total_mean
    var_total = float(np.dot(totals_c, totals_c)) / (s - 1)
    upper_w, lower_w, size = group_weights(totals)

    out_items, variances, covariances = [], [], []
    for i in range(p):
        top = float(items["max_milli"][i])
        x = marks[i].astype(np.float64)
        mean = x.mean()
        xc = x - mean
        var_x = float(np.dot(xc, xc)) / (s - 1)
        cov_xt = float(np.dot(xc, totals_c)) / (s - 1)
        rest = totals - x
        rest_c = rest - rest.mean()
        cov_xr = float(np.dot(xc, rest_c)) / (s - 1)
        cov_max = float(np.dot(np.sort(x) - mean, np.sort(rest) - rest.mean())) / (s - 1)
        upper = 100.0 * float(np.dot(upper_w, x)) / (size * top)
        lower = 100.0 * float(np.dot(lower_w, x)) / (size * top)
        item = {
            "facility_pct": 100.0 * mean / top,
            "sd_pct": 100.0 * math.sqrt(var_x) / top,
            "intended_weight_pct": 100.0 * top / max_total,
            "discrimination_index_pct": corr_pct(xc, rest_c),
            "discriminative_efficiency_pct": None if cov_max == 0 else 100.0 * cov_xr / cov_max,
            "point_biserial_pct": corr_pct(xc, totals_c),
            "upper_facility_pct": upper,
            "lower_facility_pct": lower,
            "upper_minus_lower_pct": upper - lower,
        }
        if items["kind"][i] == KIND_CHOICE:
            rows = []
            for option in list(range(int(items["options"][i]))) + [UNANSWERED]:
                chosen = (choices[i] == option).astype(np.float64)
                rows.append(
                    {
                        "share_pct": 100.0 * chosen.mean(),
                        "upper_share_pct": 100.0 * float(np.dot(upper_w, chosen)) / size,
                        "lower_share_pct": 100.0 * float(np.dot(lower_w, chosen)) / size,
                        "point_biserial_pct": corr_pct(chosen - chosen.mean(), totals_c),
                    }
                )
            item["options"], item["unanswered"] = rows[:-1], rows[-1]
        variances.append(var_x)
        covariances.append(cov_xt)
        out_items.append(item)

    roots = [math.sqrt(c) for c in covariances if c >= 0]
    for item, cov in zip(out_items, covariances):
        item["effective_weight_pct"] = 100.0 * math.sqrt(cov) / sum(roots) if cov >= 0 else None

    n = float(s)
    m2 = float(np.mean(totals_c**2))
    m3 = float(np.mean(totals_c**3))
    m4 = float(np.mean(totals_c**4))
    k2 = var_total
    k3 = n * n * m3 / ((n - 1) * (n - 2))
    k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
    alpha = p / (p - 1) * (1 - sum(variances) / var_total)
    sd = math.sqrt(var_total)
    tenths = (200 * totals.astype(np.int64) + int(max_total)) // (2 * int(max_total))
    histogram = np.bincount(np.minimum(tenths // 5, 19), minlength=20)
    test = {
        "mean": total_mean / 1000,
        "median": float(np.median(totals)) / 1000,
        "sd": sd / 1000,
        "mean_mark10": 10 * total_mean / max_total,
        "sd_mark10": 10 * sd / max_total,
        "skewness": k3 / k2**1.5,
        "excess_kurtosis": k4 / (k2 * k2),
        "alpha": alpha,
        "error_ratio_pct": 100 * math.sqrt(1 - alpha),
        "sem": sd / 1000 * math.sqrt(1 - alpha),
        "group_size": size,
        "histogram": [int(c) for c in histogram],
    }
    return {"test": test, "items": out_items}


def compare(path, ours, theirs, problems):
    """Checks every number of `ours` against the Rust JSON `theirs`."""
    if isinstance(ours, dict):
        for key, value in ours.items():
            compare(f"{path}.{key}", value, theirs[key], problems)
    elif isinstance(ours, list):
        if len(ours) != len(theirs):
            problems.append(f"{path}: {len(ours)} entries vs {len(theirs)}")
        for index, (a, b) in enumerate(zip(ours, theirs)):
            compare(f"{path}[{index}]", a, b, problems)
    else:
        if isinstance(theirs, dict):
            if "undefined" in theirs:
                if ours is not None:
                    problems.append(f"{path}: numpy {ours}, Rust undefined {theirs}")
                return
            theirs = theirs["value"]
        if ours is None:
            problems.append(f"{path}: numpy undefined, Rust {theirs}")
        elif abs(ours - theirs) > TOLERANCE * max(1.0, abs(ours), abs(theirs)):
            problems.append(f"{path}: numpy {ours!r} vs Rust {theirs!r}")


def main():
    directory = bench_dir()
    rust = json.loads((directory / "analysis.json").read_text())
    items, marks, choices = load(directory / "analysis-matrix.bin")
    p, s = marks.shape
    assert (s, p) == (rust["attempts"], rust["items"]), "matrix and JSON disagree on size"

    seconds, result = [], None
    for _ in range(RUNS):
        result = None
        start = time.perf_counter()
        result = analyse(items, marks, choices)
        seconds.append(time.perf_counter() - start)
    best, median = min(seconds), sorted(seconds)[len(seconds) // 2]

    # The histogram is in bins of the Rust report; compare its counts.
    ours = dict(result)
    ours["test"] = dict(result["test"])
    rust_histogram = [b["count"] for b in rust["analysis"]["test"]["histogram"]]
    problems = []
    if ours["test"].pop("histogram") != rust_histogram:
        problems.append("test.histogram differs")
    compare("analysis", ours, rust["analysis"], problems)
    compared = sum(1 for _ in _numbers(ours))

    rust_s = rust["analyse_s"]
    report = {
        "attempts": s,
        "items": p,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "threads": 1,
        "analyse_s": {"best": best, "median": median, "runs": seconds},
        "rust_analyse_s": {"best": rust_s["best"], "median": rust_s["median"]},
        "ratio_numpy_over_rust": {
            "best": best / rust_s["best"],
            "median": median / rust_s["median"],
        },
        "numbers_compared": compared,
        "tolerance": TOLERANCE,
        "agree": not problems,
    }
    (directory / "analysis-numpy.json").write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"numpy analyse: best {best:.3f} s, median {median:.3f} s; "
        f"Rust best {rust_s['best']:.3f} s → numpy/Rust {best / rust_s['best']:.1f}×; "
        f"{compared} numbers compared, {len(problems)} disagreements",
        file=sys.stderr,
    )
    for problem in problems[:20]:
        print("  " + problem, file=sys.stderr)
    sys.exit(1 if problems else 0)


def _numbers(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _numbers(v)
    elif value is not None:
        yield value


if __name__ == "__main__":
    main()
