#!/usr/bin/python3
"""Baseline for bench/eval.c: the fairness and performance evaluation of
`aims eval fairness` + `aims eval performance` written the usual way with
pandas and scikit-learn (what people run in notebooks; Fairlearn's
MetricFrame calls scikit-learn metrics per group the same way).

usage: eval_baseline.py FILE.csv
Prints "seconds S cpu C roc_auc A dpd D" (S wall and C CPU seconds of the work
after the imports: reading the CSV and computing every figure).
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn import metrics


def group_rates(y, yhat):
    tn, fp, fn, tp = metrics.confusion_matrix(y, yhat, labels=[0, 1]).ravel()
    n = tn + fp + fn + tp
    div = lambda a, b: a / b if b else None
    return {
        "n": n,
        "selection_rate": (tp + fp) / n,
        "tpr": div(tp, tp + fn), "fpr": div(fp, fp + tn), "tnr": div(tn, tn + fp), "fnr": div(fn, fn + tp),
        "precision": div(tp, tp + fp), "accuracy": (tp + tn) / n,
    }


def between(vals):
    v = [x for x in vals if x is not None]
    hi, lo = max(v), min(v)
    return hi - lo, (lo / hi if hi else None)


def fairness(df, y, yhat, cols):
    out = []
    sets = [[c] for c in cols] + ([cols] if len(cols) > 1 else [])
    for s in sets:
        groups = {}
        for key, idx in df.groupby(s).indices.items():
            groups[key] = group_rates(y[idx], yhat[idx])
        ref = max(groups, key=lambda g: groups[g]["n"])
        for g in groups.values():
            g["disparate_impact"] = g["selection_rate"] / groups[ref]["selection_rate"]
            g["four_fifths"] = 0.8 <= g["disparate_impact"] <= 1.25
        sd, sr = between([g["selection_rate"] for g in groups.values()])
        td, tr = between([g["tpr"] for g in groups.values()])
        fd, fr = between([g["fpr"] for g in groups.values()])
        out.append({"groups": groups, "demographic_parity_difference": sd, "demographic_parity_ratio": sr,
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
    ece = float(np.sum(cnt[nz] / n * np.abs(yp[nz] / cnt[nz] - sp[nz] / cnt[nz])))
    return {
        "confusion_matrix": metrics.confusion_matrix(y, yhat, labels=[0, 1]),
        "accuracy": metrics.accuracy_score(y, yhat),
        "precision": metrics.precision_score(y, yhat),
        "recall": metrics.recall_score(y, yhat),
        "f1": metrics.f1_score(y, yhat),
        "roc_auc": metrics.roc_auc_score(y, score),
        "log_loss": metrics.log_loss(y, score, eps="auto"),
        "brier": metrics.brier_score_loss(y, score),
        "ece": ece,
    }


def main():
    t0, c0 = time.perf_counter(), time.process_time()
    df = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[""])
    df = df.dropna(subset=["y_true", "y_pred", "y_score", "group", "sex"])
    y = df["y_true"].to_numpy().astype(int)
    yhat = df["y_pred"].to_numpy().astype(int)
    score = df["y_score"].to_numpy().astype(float)
    f = fairness(df, y, yhat, ["group", "sex"])
    p = performance(y, yhat, score)
    t, c = time.perf_counter() - t0, time.process_time() - c0
    print(f"seconds {t:.6f} cpu {c:.6f} roc_auc {p['roc_auc']:.17g} dpd {f[0]['demographic_parity_difference']:.17g}")


if __name__ == "__main__":
    main()
