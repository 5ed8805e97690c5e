#!/usr/bin/python3
"""Baseline for bench/eval_drift.c: the same drift evaluation written the
usual way with pandas + scipy 1.10 (what a notebook would do): read both
CSV files, then per column the KS test, Wasserstein distance and PSI
(numeric) or the chi-square test, Jensen-Shannon distance and PSI
(categorical), the column rules of docs/drift.md.

usage: eval_drift_baseline.py REF CUR  -> prints "seconds N drifted D"
(the time covers reading and computing, not the interpreter start-up).
"""
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon

FLOOR = 1e-4


def psi(pr, pc):
    pr = np.maximum(pr, FLOOR)
    pc = np.maximum(pc, FLOOR)
    return float(np.sum((pc - pr) * np.log(pc / pr)))


def main():
    t0 = time.perf_counter()
    ref = pd.read_csv(sys.argv[1])
    cur = pd.read_csv(sys.argv[2])
    drifted = 0
    for c in ref.columns:
        a, b = ref[c].dropna(), cur[c].dropna()
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            a, b = a.to_numpy(float), b.to_numpy(float)
            ks = stats.ks_2samp(a, b)
            stats.wasserstein_distance(a, b)
            edges = np.unique(np.quantile(a, np.arange(1, 10) / 10))
            ca = np.bincount(np.searchsorted(edges, a), minlength=len(edges) + 1)
            cb = np.bincount(np.searchsorted(edges, b), minlength=len(edges) + 1)
            p = psi(ca / len(a), cb / len(b))
            drifted += ks.pvalue < 0.05 or p >= 0.2
        else:
            vr, vc = a.astype(str).value_counts(), b.astype(str).value_counts()
            t = pd.concat([vr, vc], axis=1).fillna(0).to_numpy(float).T
            chi2, pv, dof, _ = stats.chi2_contingency(t, correction=False)
            jensenshannon(t[0], t[1], base=2)
            p = psi(t[0] / t[0].sum(), t[1] / t[1].sum())
            drifted += pv < 0.05 or p >= 0.2
    print("seconds %.6f drifted %d" % (time.perf_counter() - t0, drifted))


if __name__ == "__main__":
    main()
