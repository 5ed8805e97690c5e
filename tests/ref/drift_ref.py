#!/usr/bin/python3
"""Reference figures for `aims eval drift`, computed with pandas + scipy 1.10,
and the check of the JSON aims printed against them.

Reads the same two files, applies the same column rules as docs/drift.md
(empty = missing; numeric when every non-missing value of both sides is a
finite number; PSI over 10 reference-decile bins or the categories,
proportions floored at 1e-4, natural log) and compares every figure with the
JSON that aims printed: statistics to 1e-9 relative, p-values to 1e-6
relative or 1e-12 absolute. Prints one line per mismatch; exit 1 if any.

usage: drift_ref.py REF CUR AIMS_JSON [--max-exact N] [--categorical COL]...
         compute the reference of the columns aims reported and check
       drift_ref.py compute REF CUR [--categorical COL]...
         print the reference figures of every column as JSON (tests/data/ref/)
       drift_ref.py check STORED.json AIMS_JSON [--max-exact N]
         check against stored figures; needs only the Python standard library
  with --max-exact N the KS statistic of sketched columns is checked against
  the exact one within the reported error bound instead.
"""
import json
import math
import sys

FLOOR = 1e-4


def read(path):
    import pandas as pd
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def as_numbers(s):
    import numpy as np
    import pandas as pd
    v = s.dropna()
    x = pd.to_numeric(v, errors="coerce")
    if x.isna().any() or not np.isfinite(x.to_numpy(dtype=float)).all():
        return None
    return x.to_numpy(dtype=float)


def psi(pr, pc):
    import numpy as np
    pr = np.maximum(pr, FLOOR)
    pc = np.maximum(pc, FLOOR)
    return float(np.sum((pc - pr) * np.log(pc / pr)))


def numeric_psi(a, b):
    import numpy as np
    edges = np.unique(np.quantile(a, np.arange(1, 10) / 10))
    # bin k holds (edge[k-1], edge[k]]: index = number of edges < x
    ca = np.bincount(np.searchsorted(edges, a, side="left"), minlength=len(edges) + 1)
    cb = np.bincount(np.searchsorted(edges, b, side="left"), minlength=len(edges) + 1)
    return psi(ca / len(a), cb / len(b))


def reference(ref, cur, columns, forced_categorical=()):
    import numpy as np
    from scipy import stats
    from scipy.spatial.distance import jensenshannon
    out = {}
    for c in columns:
        r, k = ref[c], cur[c]
        a, b = as_numbers(r), as_numbers(k)
        if c in forced_categorical:
            a = b = None
        e = {"n_ref": int(r.notna().sum()), "n_cur": int(k.notna().sum()),
             "missing_ref": int(r.isna().sum()), "missing_cur": int(k.isna().sum())}
        if e["n_ref"] == 0 or e["n_cur"] == 0:
            e["tested"] = False
        elif a is not None and b is not None:
            e["type"] = "numeric"
            res = stats.ks_2samp(a, b, method="auto")
            e["ks_statistic"] = float(res.statistic)
            e["ks_pvalue"] = float(res.pvalue)
            e["ks_method"] = "exact" if max(len(a), len(b)) <= 10000 else "asymp"
            e["wasserstein"] = float(stats.wasserstein_distance(a, b))
            e["psi"] = numeric_psi(a, b)
        else:
            e["type"] = "categorical"
            vr, vc = r.dropna().value_counts(), k.dropna().value_counts()
            cats = sorted(set(vr.index) | set(vc.index))
            t = np.array([[vr.get(x, 0) for x in cats], [vc.get(x, 0) for x in cats]], dtype=float)
            if len(cats) > 1:
                chi2, p, dof, _ = stats.chi2_contingency(t, correction=False)
            else:
                chi2, p, dof = 0.0, 1.0, 0
            e["chi2_statistic"], e["chi2_pvalue"], e["chi2_dof"] = float(chi2), float(p), int(dof)
            e["jensenshannon"] = float(jensenshannon(t[0], t[1], base=2))
            e["psi"] = psi(t[0] / t[0].sum(), t[1] / t[1].sum())
            e["categories"] = len(cats)
        out[c] = e
    return out


def close(x, y, rel, tiny=None):
    if x is None or y is None:
        return x == y
    if x == y:
        return True
    if tiny is not None and abs(x - y) <= tiny:
        return True
    return abs(x - y) <= rel * max(abs(x), abs(y))


def options(args):
    max_exact = None
    forced = []
    while "--categorical" in args:
        i = args.index("--categorical")
        forced.append(args[i + 1])
        del args[i:i + 2]
    if "--max-exact" in args:
        i = args.index("--max-exact")
        max_exact = int(args[i + 1])
        del args[i:i + 2]
    return max_exact, forced


def main():
    args = sys.argv[1:]
    max_exact, forced = options(args)
    if args[:1] == ["compute"]:
        _, ref_path, cur_path = args
        ref, cur = read(ref_path), read(cur_path)
        cols = list(ref.columns)
        json.dump({"columns": cols, "categorical": forced, "figures": reference(ref, cur, cols, forced)},
                  sys.stdout, indent=1, sort_keys=True)
        sys.stdout.write("\n")
        return
    if args[:1] == ["check"]:
        _, stored_path, ours_path = args
        stored = json.load(open(stored_path))
        if forced and forced != stored["categorical"]:
            sys.exit(f"--categorical {forced} differs from the stored {stored['categorical']}")
        sys.exit(check(json.load(open(ours_path)), stored["figures"], max_exact))
    ref_path, cur_path, ours_path = args
    ours = json.load(open(ours_path))
    ref, cur = read(ref_path), read(cur_path)
    cols = [c["name"] for c in ours["columns"]]
    exp = json.loads(json.dumps(reference(ref, cur, cols, forced)))
    sys.exit(check(ours, exp, max_exact))


def check(ours, exp, max_exact):
    bad = 0
    checked = 0

    def fail(msg):
        nonlocal bad
        bad += 1
        print("mismatch:", msg)

    for col in ours["columns"]:
        if col["name"] not in exp:
            fail(f"{col['name']}: no reference figures")
            continue
        name, e = col["name"], exp[col["name"]]
        st = col["statistics"]
        for key in ("n_ref", "n_cur", "missing_ref", "missing_cur"):
            checked += 1
            if col[key] != e[key]:
                fail(f"{name}.{key}: aims {col[key]} scipy {e[key]}")
        if e.get("tested", True) is False:
            checked += 1
            if col["tested"]:
                fail(f"{name}: tested although a side has no values")
            continue
        checked += 1
        if col["type"] != e["type"]:
            fail(f"{name}.type: aims {col['type']} reference {e['type']}")
            continue
        if e["type"] == "numeric" and st["ks_method"] == "sketch":
            # the exact D must lie within the stated bound; p-value from the approximate D
            checked += 2
            if abs(st["ks_statistic"] - e["ks_statistic"]) > st["ks_error_bound"] + 1e-12:
                fail(f"{name}.ks_statistic: sketch {st['ks_statistic']} exact {e['ks_statistic']} "
                     f"bound {st['ks_error_bound']}")
            if abs(st["wasserstein"] - e["wasserstein"]) > st["wasserstein_error_bound"] + 1e-9:
                fail(f"{name}.wasserstein: sketch {st['wasserstein']} exact {e['wasserstein']}")
            if max_exact is None or col["n_ref"] <= max_exact and col["n_cur"] <= max_exact:
                fail(f"{name}: sketched without --max-exact below its size")
            print(f"ok {name} sketch |D-D_exact|={abs(st['ks_statistic'] - e['ks_statistic']):.3g} "
                  f"<= bound {st['ks_error_bound']:.3g}")
            continue
        if e["type"] == "numeric":
            stat_keys, p_keys = ("ks_statistic", "wasserstein", "psi"), ("ks_pvalue",)
            checked += 1
            if st["ks_method"] != e["ks_method"]:
                fail(f"{name}.ks_method: aims {st['ks_method']} scipy {e['ks_method']}")
        else:
            stat_keys, p_keys = ("chi2_statistic", "jensenshannon", "psi"), ("chi2_pvalue",)
            checked += 2
            if st["chi2_dof"] != e["chi2_dof"]:
                fail(f"{name}.chi2_dof: aims {st['chi2_dof']} scipy {e['chi2_dof']}")
            if col["categories"] != e["categories"]:
                fail(f"{name}.categories: aims {col['categories']} reference {e['categories']}")
        for k in stat_keys:
            checked += 1
            if not close(st[k], float(e[k]), 1e-9, 1e-15):
                fail(f"{name}.{k}: aims {st[k]!r} reference {float(e[k])!r}")
        for k in p_keys:
            checked += 1
            if not close(st[k], float(e[k]), 1e-6, 1e-12):
                fail(f"{name}.{k}: aims {st[k]!r} scipy {float(e[k])!r}")
        print(f"ok {name} {e['type']}")
    # dataset level: share of drifted among tested columns
    tested = [c for c in ours["columns"] if c["tested"]]
    share = sum(c["drift"] for c in tested) / len(tested) if tested else 0.0
    checked += 1
    if not close(ours["drift_share"], share, 1e-12):
        fail(f"drift_share: {ours['drift_share']} vs {share}")
    print(f"checked {checked} figures, {bad} mismatches")
    return 1 if bad else 0




if __name__ == "__main__":
    main()
