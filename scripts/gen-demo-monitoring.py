#!/usr/bin/python3
"""Writes examples/decisions-credit-score-monitoring.ndjson.gz: the demo's
credit-score decisions of September 2026 (the monitoring plan's reference
month) and October 2026, when the applicant mix shifted: scores came out
higher and more applications were approved. Synthetic, deterministic (seed
2026); the record shape is that of examples/decisions-credit-score.ndjson.
Run from the repository root: scripts/gen-demo-monitoring.py
"""
import gzip
import hashlib
import random

rnd = random.Random(2026)
lines = []
for month, n, mu, cut in ((9, 300, 0.55, 0.6), (10, 300, 0.68, 0.6)):
    for i in range(n):
        day = i % 28 + 1
        t = "2026-%02d-%02dT%02d:%02d:%02dZ" % (month, day, 8 + i % 10, i % 60, (i * 7) % 60)
        conf = round(min(0.99, max(0.01, rnd.gauss(mu, 0.12))), 2)
        decision = "approve" if conf >= cut else ("refer" if conf >= cut - 0.15 else "decline")
        limit = 5000 if decision == "approve" else 0
        digest = hashlib.sha256(("applicant-%d-%d" % (month, i)).encode()).hexdigest()
        why = "score above cut-off" if decision == "approve" else "score below cut-off"
        lines.append('{"time":"%s","model":"credit-risk@7","input_digest":"sha256:%s","output":{"decision":"%s",'
                     '"limit_eur":%d},"confidence":%s,"explanation":"%s"}\n' % (t, digest, decision, limit, conf, why))
with gzip.GzipFile("examples/decisions-credit-score-monitoring.ndjson.gz", "wb", mtime=0) as f:
    f.write("".join(lines).encode())
