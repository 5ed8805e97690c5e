#!/usr/bin/python3
"""Baseline for bench/monitor.c: the evaluations of one monitoring run
(fairness, performance and drift of the same data) written the usual way
with pandas, scikit-learn and scipy, as a notebook or a scheduled script
would: read the current and the reference CSV, then

- fairness per group of `group`, `sex` and their intersection (confusion
  matrix per group with scikit-learn, rates, Fairlearn-style aggregates,
  disparate impact against the largest group);
- performance: confusion matrix, accuracy, precision, recall, F1, ROC AUC,
  log loss, Brier score and ECE over 10 bins (scikit-learn 1.2, numpy);
- drift of y_score, income, age (KS test, Wasserstein distance, PSI over
  reference deciles with scipy 1.10) and group, sex (chi-square, Jensen-
  Shannon distance, PSI), with the column rules of docs/drift.md;
- the thresholds demographic_parity_ratio >= 0.8, roc_auc >= 0.7,
  drift_share < 0.5.

usage: monitor_baseline.py CURRENT.csv REFERENCE.csv
Prints "seconds S cpu C roc_auc A dpd D drifted N" (S wall and C CPU
seconds after the imports).
"""
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn import metrics

FLOOR = 1e-4


def group_rates(y, yhat):
    tn, fp, fn, tp = metrics.confusion_matrix(y, yhat, labels=[0, 1]).ravel()
    n = tn + fp + fn + tp
    div = lambda a, b: a / b if b else None
    return {"n": n, "selection_rate": (tp + fp) / n, "tpr": div(tp, tp + fn), "fpr": div(fp, fp + tn),
            "tnr": div(tn, tn + fp), "fnr": div(fn, fn + tp), "precision": div(tp, tp + fp),
            "accuracy": (tp + tn) / n}


def between(vals):
    v = [x for x in vals if x is not None]
    hi, lo = max(v), min(v)
    return hi - lo, (lo / hi if hi else None)


def fairness(df, y, yhat, cols):
    out = []
    for s in [[c] for c in cols] + [cols]:
        groups = {k: group_rates(y[idx], yhat[idx]) for k, idx in df.groupby(s).indices.items()}
        ref = max(groups, key=lambda g: groups[g]["n"])
        for g in groups.values():
            g["disparate_impact"] = g["selection_rate"] / groups[ref]["selection_rate"]
        sd, sr = between([g["selection_rate"] for g in groups.values()])
        td, tr = between([g["tpr"] for g in groups.values()])
        fd, fr = between([g["fpr"] for g in groups.values()])
        out.append({"demographic_parity_difference": sd, "demographic_parity_ratio": sr,
                    "equal_opportunity_difference": td, "equal_opportunity_ratio": tr,
                    "equalized_odds_difference": max(td, fd), "equalized_odds_ratio": min(tr, fr)})
    return out


def performance(y, yhat, score):
    b = np.minimum(np.floor(score * 10), 9).astype(int)
    n = len(y)
    cnt = np.bincount(b, minlength=10)
    sp = np.bincount(b, weights=score, minlength=10)
    yp = np.bincount(b, weights=y, minlength=10)
    nz = cnt > 0
    return {"confusion_matrix": metrics.confusion_matrix(y, yhat, labels=[0, 1]),
            "accuracy": metrics.accuracy_score(y, yhat), "precision": metrics.precision_score(y, yhat),
            "recall": metrics.recall_score(y, yhat), "f1": metrics.f1_score(y, yhat),
            "roc_auc": metrics.roc_auc_score(y, score), "log_loss": metrics.log_loss(y, score, eps="auto"),
            "brier": metrics.brier_score_loss(y, score),
            "ece": float(np.sum(cnt[nz] / n * np.abs(yp[nz] / cnt[nz] - sp[nz] / cnt[nz])))}


def psi(pr, pc):
    pr = np.maximum(pr, FLOOR)
    pc = np.maximum(pc, FLOOR)
    return float(np.sum((pc - pr) * np.log(pc / pr)))


def drift(ref, cur, cols):
    drifted = 0
    for c in cols:
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
    return drifted


def main():
    t0, c0 = time.perf_counter(), time.process_time()
    cur = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[""])
    ref = pd.read_csv(sys.argv[2], keep_default_na=False, na_values=[""])
    y, yhat, score = cur["y_true"].to_numpy(), cur["y_pred"].to_numpy(), cur["y_score"].to_numpy()
    fair = fairness(cur, y, yhat, ["group", "sex"])
    perf = performance(y, yhat, score)
    cols = ["y_score", "income", "age", "group", "sex"]
    drifted = drift(ref, cur, cols)
    checks = [min(f["demographic_parity_ratio"] for f in fair[:2]) >= 0.8, perf["roc_auc"] >= 0.7,
              drifted / len(cols) < 0.5]
    assert len(checks) == 3
    print("seconds %.6f cpu %.6f roc_auc %.17g dpd %.17g drifted %d" %
          (time.perf_counter() - t0, time.process_time() - c0, perf["roc_auc"],
           fair[0]["demographic_parity_difference"], drifted))


if __name__ == "__main__":
    main()
