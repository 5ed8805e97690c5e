#!/usr/bin/python3
"""Reference values for `aims eval fairness|performance`, computed independently
with pandas, numpy and scikit-learn (Debian's system python3), compared with
the JSON aims printed.

Usage: eval_ref.py fairness|performance OURS.json --data FILE --label COL --pred COL
                   [--score COL] [--group COL ...] [--pos-label V] [--reference G]

Fairlearn is not installed; its between-groups definitions are computed here
from per-group scikit-learn metrics: difference = max - min over groups,
ratio = min / max, equalized odds = the worse of the TPR and FPR figures.
Every figure is compared to 1e-9 relative (1e-15 absolute near zero); a null
in our output must be a figure whose denominator is zero here. Prints the
number of figures compared; exit 1 with the differences otherwise.
"""
import argparse
import json
import math
import sys

import numpy as np
import pandas as pd
from sklearn import metrics

REL = 1e-9
ABS = 1e-15


class Cmp:
    def __init__(self):
        self.n = 0
        self.bad = []

    def num(self, path, ours, ref):
        """ref None = undefined here: ours must be null."""
        self.n += 1
        if ref is None or (isinstance(ref, float) and math.isnan(ref)):
            if ours is not None:
                self.bad.append(f"{path}: ours {ours!r}, reference undefined")
            return
        if ours is None:
            self.bad.append(f"{path}: ours null, reference {ref!r}")
            return
        ref = float(ref)
        if not (abs(ours - ref) <= max(REL * abs(ref), ABS)):
            self.bad.append(f"{path}: ours {ours!r}, reference {ref!r}")

    def eq(self, path, ours, ref):
        self.n += 1
        if ours != ref:
            self.bad.append(f"{path}: ours {ours!r}, reference {ref!r}")


def safe_div(a, b):
    return None if b == 0 else a / b


def load(args):
    df = pd.read_csv(args.data, dtype=str, keep_default_na=False, na_values=[""])
    cols = [args.label, args.pred] + ([args.score] if args.score else []) + (args.group or [])
    df = df.dropna(subset=cols)
    if args.pos_label is not None:
        pos = lambda s: (s == args.pos_label).astype(int)
    else:
        pos = lambda s: s.isin(["1", "true"]).astype(int)
    y = pos(df[args.label]).to_numpy()
    yhat = pos(df[args.pred]).to_numpy()
    score = df[args.score].astype(float).to_numpy() if args.score else None
    return df, y, yhat, score


def conf(y, yhat):
    tn, fp, fn, tp = metrics.confusion_matrix(y, yhat, labels=[0, 1]).ravel()
    return int(tp), int(fp), int(tn), int(fn)


def performance(c, ours, y, yhat, score):
    tp, fp, tn, fn = conf(y, yhat)
    cm = ours["confusion_matrix"]
    for k, v in (("tp", tp), ("fp", fp), ("tn", tn), ("fn", fn)):
        c.eq(f"confusion_matrix.{k}", cm[k], v)
    c.eq("n", ours["n"], len(y))
    c.num("accuracy", ours["accuracy"], metrics.accuracy_score(y, yhat))
    c.num("precision", ours["precision"],
          metrics.precision_score(y, yhat, zero_division=0) if tp + fp else None)
    c.num("recall", ours["recall"], metrics.recall_score(y, yhat, zero_division=0) if tp + fn else None)
    c.num("f1", ours["f1"], metrics.f1_score(y, yhat, zero_division=0) if 2 * tp + fp + fn else None)
    if score is None:
        return
    two = len(np.unique(y)) == 2
    c.num("roc_auc", ours["roc_auc"], metrics.roc_auc_score(y, score) if two else None)
    c.num("log_loss", ours["log_loss"], metrics.log_loss(y, score, eps="auto") if two else None)
    c.num("brier", ours["brier"], metrics.brier_score_loss(y, score))
    # ECE: 10 equal-width bins on the positive-class score; the last bin holds 1.0
    b = np.minimum(np.floor(score * 10), 9).astype(int)
    ece = 0.0
    for k in range(10):
        m = b == k
        nb = int(m.sum())
        c.eq(f"calibration[{k}].n", ours["calibration"][k]["n"], nb)
        if nb == 0:
            c.num(f"calibration[{k}].mean_score", ours["calibration"][k]["mean_score"], None)
            continue
        conf_ = score[m].mean()
        acc = y[m].mean()
        c.num(f"calibration[{k}].mean_score", ours["calibration"][k]["mean_score"], conf_)
        c.num(f"calibration[{k}].fraction_positive", ours["calibration"][k]["fraction_positive"], acc)
        ece += nb / len(y) * abs(acc - conf_)
    c.num("ece", ours["ece"], ece)


def group_figures(y, yhat):
    tp, fp, tn, fn = conf(y, yhat)
    n = len(y)
    return {
        "n": n, "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "selection_rate": float(np.mean(yhat)),
        "tpr": metrics.recall_score(y, yhat, zero_division=0) if tp + fn else None,
        "fpr": safe_div(fp, fp + tn),
        "tnr": safe_div(tn, tn + fp),
        "fnr": safe_div(fn, fn + tp),
        "precision": metrics.precision_score(y, yhat, zero_division=0) if tp + fp else None,
        "accuracy": metrics.accuracy_score(y, yhat),
    }


def between(values):
    v = [x for x in values if x is not None]
    if not v:
        return None, None
    hi, lo = max(v), min(v)
    return hi - lo, (lo / hi if hi > 0 else None)


def fairness(c, ours, df, y, yhat, args):
    groups = args.group
    sets = [[g] for g in groups] + ([groups] if len(groups) > 1 else [])
    c.eq("len(sensitive)", len(ours["sensitive"]), len(sets))
    for si, cols in enumerate(sets):
        s = ours["sensitive"][si]
        name = " & ".join(cols)
        c.eq(f"sensitive[{si}].name", s["name"], name)
        keys = df[cols].astype(str).agg(" & ".join, axis=1).to_numpy()
        figs = {}
        for g in sorted(set(keys)):
            m = keys == g
            figs[g] = group_figures(y[m], yhat[m])
        c.eq(f"{name}.groups", [g["group"] for g in s["groups"]], sorted(figs))
        ref = args.reference if args.reference in figs else max(sorted(figs), key=lambda g: figs[g]["n"])
        c.eq(f"{name}.reference", s["reference"], ref)
        ref_sel = figs[ref]["selection_rate"]
        for gj in s["groups"]:
            f = figs.get(gj["group"])
            if f is None:
                continue
            for k in ("n", "tp", "fp", "tn", "fn"):
                c.eq(f"{name}[{gj['group']}].{k}", gj[k], f[k])
            for k in ("selection_rate", "tpr", "fpr", "tnr", "fnr", "precision", "accuracy"):
                c.num(f"{name}[{gj['group']}].{k}", gj[k], f[k])
            di = safe_div(f["selection_rate"], ref_sel)
            c.num(f"{name}[{gj['group']}].disparate_impact", gj["disparate_impact"], di)
            c.eq(f"{name}[{gj['group']}].four_fifths", gj["four_fifths"],
                 None if di is None else bool(0.8 <= di <= 1.25))
            small = f["n"] < 30 or (f["tp"] + f["fn"]) < 5 or (f["tn"] + f["fp"]) < 5
            c.eq(f"{name}[{gj['group']}].small", gj["small"], small)
        sd, sr = between([f["selection_rate"] for f in figs.values()])
        td, tr = between([f["tpr"] for f in figs.values()])
        fd, fr = between([f["fpr"] for f in figs.values()])
        c.num(f"{name}.demographic_parity_difference", s["demographic_parity_difference"], sd)
        c.num(f"{name}.demographic_parity_ratio", s["demographic_parity_ratio"], sr)
        c.num(f"{name}.equal_opportunity_difference", s["equal_opportunity_difference"], td)
        c.num(f"{name}.equal_opportunity_ratio", s["equal_opportunity_ratio"], tr)
        c.num(f"{name}.equalized_odds_difference", s["equalized_odds_difference"],
              None if td is None or fd is None else max(td, fd))
        c.num(f"{name}.equalized_odds_ratio", s["equalized_odds_ratio"],
              None if tr is None or fr is None else min(tr, fr))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["fairness", "performance"])
    ap.add_argument("ours")
    ap.add_argument("--data", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--pred", required=True)
    ap.add_argument("--score")
    ap.add_argument("--group", action="append")
    ap.add_argument("--pos-label")
    ap.add_argument("--reference")
    args = ap.parse_args()
    with open(args.ours) as f:
        ours = json.load(f)
    df, y, yhat, score = load(args)
    c = Cmp()
    c.eq("input.rows_used", ours["input"]["rows_used"], len(df))
    if args.kind == "performance":
        performance(c, ours, y, yhat, score)
    else:
        fairness(c, ours, df, y, yhat, args)
    if c.bad:
        print("\n".join(c.bad))
        print(f"{len(c.bad)} of {c.n} figures differ")
        sys.exit(1)
    print(f"{c.n} figures equal")


if __name__ == "__main__":
    main()
