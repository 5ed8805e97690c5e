#!/usr/bin/python3
"""Independent computation of human-review selection and metrics (issue 15),
for tests/cli/t1310-review.sh, from the rules in docs/oversight.md, with the
Python standard library only (json, datetime, statistics).

  review_ref.py select --system S --from N [--seed N --rate R]
                [--confidence-below C] [--output-field F] [--output-class V ...]
                [--input FIELD=VALUE ...] NDJSON
      The decisions of NDJSON (one per non-blank line, entry = N + ordinal)
      that the rules select: {"selected": [{"entry", "reasons"}]}.

  review_ref.py metrics LOG.json QUEUE.json [--since T] [--until T]
      The review metrics recomputed from `aims decision log --json` and the
      queue of `aims review list --json`.

The sampler, in unsigned 64-bit arithmetic: x = SEED xor FNV-1a-64(SYSTEM
as UTF-8) xor (ENTRY * 0x9e3779b97f4a7c15); then SplitMix64's finalizer
x ^= x >> 30; x *= 0xbf58476d1ce4e5b9; x ^= x >> 27; x *= 0x94d049bb133111eb;
x ^= x >> 31; selected when x modulo 1000000 is below round(rate * 1000000).
"""
import argparse
import datetime
import json
import statistics
import sys


M64 = (1 << 64) - 1


def fnv1a64(s):
    h = 0xcbf29ce484222325
    for b in s.encode():
        h = ((h ^ b) * 0x100000001b3) & M64
    return h


def sample_value(seed, system, entry):
    x = (seed ^ fnv1a64(system) ^ (entry * 0x9e3779b97f4a7c15)) & M64
    x ^= x >> 30
    x = (x * 0xbf58476d1ce4e5b9) & M64
    x ^= x >> 27
    x = (x * 0x94d049bb133111eb) & M64
    x ^= x >> 31
    return x % 1000000


def parse_time(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def lookup(obj, path):
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None, False
        obj = obj[part]
    return obj, True


def value_is(v, text):
    if isinstance(v, str):
        return v == text
    if isinstance(v, bool):
        return ("true" if v else "false") == text
    if v is None:
        return text == "null"
    if isinstance(v, int):
        return str(v) == text
    return False  # other numbers: compared as written, never in these tests


def select(args):
    ppm = round(args.rate * 1000000) if args.rate else 0
    inputs = [x.split("=", 1) for x in args.input]
    out = []
    entry = args.start
    with open(args.ndjson, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            reasons = []
            if "review" not in rec:
                c = rec.get("confidence")
                if args.confidence_below is not None and c is not None and c < args.confidence_below:
                    reasons.append("confidence")
                if args.output_class and "output" in rec:
                    v, found = lookup(rec["output"], args.output_field) if args.output_field else (rec["output"], True)
                    if found and any(value_is(v, x) for x in args.output_class):
                        reasons.append("output")
                if inputs and isinstance(rec.get("input"), dict):
                    for field, want in inputs:
                        v, found = lookup(rec["input"], field)
                        if found and value_is(v, want):
                            reasons.append("input")
                            break
                if ppm and sample_value(args.seed, args.system, entry) < ppm:
                    reasons.append("sample")
            if reasons:
                out.append({"entry": entry, "reasons": reasons})
            entry += 1
    json.dump({"selected": out}, sys.stdout)
    print()


def metrics(args):
    log = json.load(open(args.log, encoding="utf-8"))
    queue = json.load(open(args.queue, encoding="utf-8"))["reviews"]
    entries = {e["index"]: e for e in log["entries"]}
    reviews = {}
    for e in log["entries"]:
        r = e["record"]
        if r is None or not isinstance(r.get("review"), dict) or "entry" not in r["review"]:
            continue
        rv = r["review"]
        target = entries.get(rv["entry"])
        if rv["entry"] >= e["index"] or target is None or target["leaf_hash"] != rv["leaf_hash"]:
            continue
        reviews.setdefault(rv["entry"], []).append((e["index"], parse_time(r["time"]), rv["action"]))
    selected_entries = {q["entry"] for q in queue}
    since = parse_time(args.since) if args.since else None
    until = parse_time(args.until) if args.until else None
    m = dict(decisions=0, selected=0, reviewed=0, overrides=0, backlog=0, explanations=0)
    durations = []
    for e in log["entries"]:
        r = e["record"]
        if r is None or (isinstance(r.get("review"), dict) and "entry" in r["review"]):
            continue
        t = parse_time(r["time"])
        if (since is not None and t < since) or (until is not None and t >= until):
            continue
        m["decisions"] += 1
        if "explanation" in r:
            m["explanations"] += 1
        reviewed = "review" in r
        override = reviewed and r["review"]["action"] == "override"
        rs = sorted(reviews.get(e["index"], []))
        if rs:
            if not reviewed:
                durations.append(rs[0][1] - t)
            reviewed = True
            override = rs[-1][2] == "override"
        m["reviewed"] += reviewed
        m["overrides"] += reviewed and override
        if e["index"] in selected_entries:
            m["selected"] += 1
            m["backlog"] += not reviewed
    m["share_reviewed"] = m["reviewed"] / m["decisions"] if m["decisions"] else None
    m["override_rate"] = m["overrides"] / m["reviewed"] if m["reviewed"] else None
    m["explanation_share"] = m["explanations"] / m["decisions"] if m["decisions"] else None
    m["median_time_to_review_seconds"] = statistics.median(durations) if durations else None
    json.dump(m, sys.stdout, sort_keys=True)
    print()


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("select")
    s.add_argument("--system", required=True)
    s.add_argument("--from", dest="start", type=int, default=0)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--rate", type=float, default=0)
    s.add_argument("--confidence-below", type=float)
    s.add_argument("--output-field")
    s.add_argument("--output-class", action="append", default=[])
    s.add_argument("--input", action="append", default=[])
    s.add_argument("ndjson")
    mt = sub.add_parser("metrics")
    mt.add_argument("log")
    mt.add_argument("queue")
    mt.add_argument("--since")
    mt.add_argument("--until")
    a = p.parse_args()
    select(a) if a.cmd == "select" else metrics(a)


main()
