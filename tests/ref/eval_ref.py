#!/usr/bin/python3
"""Reference values for `aims eval fairness|performance`, computed independently
with pandas, numpy and scikit-learn (Debian's system python3), and the check
of the JSON aims printed against them.

Usage:
  eval_ref.py compute fairness|performance --data FILE --label COL --pred COL
                      [--score COL] [--group COL ...] [--pos-label V] [--reference G]
      prints the reference figures as JSON (the files in tests/data/ref/)
  eval_ref.py check OURS.json REF.json
      compares aims' JSON with stored reference figures; needs only the
      Python standard library
  eval_ref.py fairness|performance OURS.json --data FILE ... (as compute)
      computes the reference and checks in one go (for data made in a test)

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


def fl(x):
    """A plain float for JSON (None for undefined)."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def safe_div(a, b):
    return None if b == 0 else a / b


# ---- computing the reference (pandas, numpy, scikit-learn) ----

def load(args):
    import pandas as pd
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
    from sklearn import metrics
    tn, fp, fn, tp = metrics.confusion_matrix(y, yhat, labels=[0, 1]).ravel()
    return int(tp), int(fp), int(tn), int(fn)


def compute_performance(y, yhat, score):
    import numpy as np
    from sklearn import metrics
    tp, fp, tn, fn = conf(y, yhat)
    r = {
        "confusion_matrix": {"tp": tp, "fp": fp, "tn": tn, "fn": fn},
        "n": len(y),
        "accuracy": fl(metrics.accuracy_score(y, yhat)),
        "precision": fl(metrics.precision_score(y, yhat, zero_division=0)) if tp + fp else None,
        "recall": fl(metrics.recall_score(y, yhat, zero_division=0)) if tp + fn else None,
        "f1": fl(metrics.f1_score(y, yhat, zero_division=0)) if 2 * tp + fp + fn else None,
    }
    if score is None:
        return r
    two = len(np.unique(y)) == 2
    r["roc_auc"] = fl(metrics.roc_auc_score(y, score)) if two else None
    r["log_loss"] = fl(metrics.log_loss(y, score, eps="auto")) if two else None
    r["brier"] = fl(metrics.brier_score_loss(y, score))
    # ECE: 10 equal-width bins on the positive-class score; the last bin holds 1.0
    b = np.minimum(np.floor(score * 10), 9).astype(int)
    ece = 0.0
    cal = []
    for k in range(10):
        m = b == k
        nb = int(m.sum())
        if nb == 0:
            cal.append({"n": 0, "mean_score": None, "fraction_positive": None})
            continue
        conf_ = score[m].mean()
        acc = y[m].mean()
        cal.append({"n": nb, "mean_score": fl(conf_), "fraction_positive": fl(acc)})
        ece += nb / len(y) * abs(acc - conf_)
    r["calibration"] = cal
    r["ece"] = fl(ece)
    return r


def group_figures(y, yhat):
    import numpy as np
    from sklearn import metrics
    tp, fp, tn, fn = conf(y, yhat)
    n = len(y)
    return {
        "n": n, "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "selection_rate": fl(np.mean(yhat)),
        "tpr": fl(metrics.recall_score(y, yhat, zero_division=0)) if tp + fn else None,
        "fpr": safe_div(fp, fp + tn),
        "tnr": safe_div(tn, tn + fp),
        "fnr": safe_div(fn, fn + tp),
        "precision": fl(metrics.precision_score(y, yhat, zero_division=0)) if tp + fp else None,
        "accuracy": fl(metrics.accuracy_score(y, yhat)),
    }


def between(values):
    v = [x for x in values if x is not None]
    if not v:
        return None, None
    hi, lo = max(v), min(v)
    return hi - lo, (lo / hi if hi > 0 else None)


def compute_fairness(df, y, yhat, args):
    groups = args.group
    sets = [[g] for g in groups] + ([groups] if len(groups) > 1 else [])
    out = []
    for cols in sets:
        keys = df[cols].astype(str).agg(" & ".join, axis=1).to_numpy()
        figs = {}
        for g in sorted(set(keys)):
            m = keys == g
            figs[g] = group_figures(y[m], yhat[m])
        ref = args.reference if args.reference in figs else max(sorted(figs), key=lambda g: figs[g]["n"])
        ref_sel = figs[ref]["selection_rate"]
        glist = []
        for g in sorted(figs):
            f = dict(figs[g], group=g)
            di = safe_div(f["selection_rate"], ref_sel)
            f["disparate_impact"] = di
            f["four_fifths"] = None if di is None else bool(0.8 <= di <= 1.25)
            f["small"] = f["n"] < 30 or (f["tp"] + f["fn"]) < 5 or (f["tn"] + f["fp"]) < 5
            glist.append(f)
        sd, sr = between([f["selection_rate"] for f in figs.values()])
        td, tr = between([f["tpr"] for f in figs.values()])
        fd, fr = between([f["fpr"] for f in figs.values()])
        out.append({
            "name": " & ".join(cols), "reference": ref, "groups": glist,
            "demographic_parity_difference": sd, "demographic_parity_ratio": sr,
            "equal_opportunity_difference": td, "equal_opportunity_ratio": tr,
            "equalized_odds_difference": None if td is None or fd is None else max(td, fd),
            "equalized_odds_ratio": None if tr is None or fr is None else min(tr, fr),
        })
    return {"sensitive": out}


def compute(kind, args):
    df, y, yhat, score = load(args)
    if kind == "performance":
        r = compute_performance(y, yhat, score)
    else:
        r = compute_fairness(df, y, yhat, args)
    params = {k: v for k, v in (("label", args.label), ("pred", args.pred), ("score", args.score),
                                ("group", args.group), ("pos_label", args.pos_label),
                                ("reference", args.reference)) if v is not None}
    return dict(kind=kind, params=params, rows_used=len(df), **r)


# ---- checking aims' output against the reference (standard library only) ----

def check_performance(c, ours, ref):
    for k in ("tp", "fp", "tn", "fn"):
        c.eq(f"confusion_matrix.{k}", ours["confusion_matrix"][k], ref["confusion_matrix"][k])
    c.eq("n", ours["n"], ref["n"])
    for k in ("accuracy", "precision", "recall", "f1"):
        c.num(k, ours[k], ref[k])
    if "calibration" not in ref:
        return
    for k in ("roc_auc", "log_loss", "brier"):
        c.num(k, ours[k], ref[k])
    for k, b in enumerate(ref["calibration"]):
        o = ours["calibration"][k]
        c.eq(f"calibration[{k}].n", o["n"], b["n"])
        c.num(f"calibration[{k}].mean_score", o["mean_score"], b["mean_score"])
        if b["n"]:
            c.num(f"calibration[{k}].fraction_positive", o["fraction_positive"], b["fraction_positive"])
    c.num("ece", ours["ece"], ref["ece"])


def check_fairness(c, ours, ref):
    c.eq("len(sensitive)", len(ours["sensitive"]), len(ref["sensitive"]))
    for si, r in enumerate(ref["sensitive"]):
        if si >= len(ours["sensitive"]):
            break
        s = ours["sensitive"][si]
        name = r["name"]
        c.eq(f"sensitive[{si}].name", s["name"], name)
        figs = {g["group"]: g for g in r["groups"]}
        c.eq(f"{name}.groups", [g["group"] for g in s["groups"]], [g["group"] for g in r["groups"]])
        c.eq(f"{name}.reference", s["reference"], r["reference"])
        for gj in s["groups"]:
            f = figs.get(gj["group"])
            if f is None:
                continue
            for k in ("n", "tp", "fp", "tn", "fn", "four_fifths", "small"):
                c.eq(f"{name}[{gj['group']}].{k}", gj[k], f[k])
            for k in ("selection_rate", "tpr", "fpr", "tnr", "fnr", "precision", "accuracy",
                      "disparate_impact"):
                c.num(f"{name}[{gj['group']}].{k}", gj[k], f[k])
        for k in ("demographic_parity_difference", "demographic_parity_ratio",
                  "equal_opportunity_difference", "equal_opportunity_ratio",
                  "equalized_odds_difference", "equalized_odds_ratio"):
            c.num(f"{name}.{k}", s[k], r[k])


def check(ours, ref):
    c = Cmp()
    c.eq("input.rows_used", ours["input"]["rows_used"], ref["rows_used"])
    if ref["kind"] == "performance":
        check_performance(c, ours, ref)
    else:
        check_fairness(c, ours, ref)
    if c.bad:
        print("\n".join(c.bad))
        print(f"{len(c.bad)} of {c.n} figures differ")
        sys.exit(1)
    print(f"{c.n} figures equal")


def data_args(ap):
    ap.add_argument("--data", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--pred", required=True)
    ap.add_argument("--score")
    ap.add_argument("--group", action="append")
    ap.add_argument("--pos-label")
    ap.add_argument("--reference")


def main():
    argv = sys.argv[1:]
    if argv[:1] == ["check"]:
        ap = argparse.ArgumentParser(prog="eval_ref.py check")
        ap.add_argument("ours")
        ap.add_argument("ref")
        a = ap.parse_args(argv[1:])
        with open(a.ours) as f, open(a.ref) as g:
            check(json.load(f), json.load(g))
        return
    if argv[:1] == ["compute"]:
        ap = argparse.ArgumentParser(prog="eval_ref.py compute")
        ap.add_argument("kind", choices=["fairness", "performance"])
        data_args(ap)
        a = ap.parse_args(argv[1:])
        json.dump(compute(a.kind, a), sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["fairness", "performance"])
    ap.add_argument("ours")
    data_args(ap)
    a = ap.parse_args(argv)
    with open(a.ours) as f:
        ours = json.load(f)
    # through JSON, as the stored references are
    check(ours, json.loads(json.dumps(compute(a.kind, a))))


if __name__ == "__main__":
    main()
