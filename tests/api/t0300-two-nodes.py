#!/usr/bin/python3
"""Two `aims serve` processes on one store (a SQLite file, or on the
PostgreSQL run one database): what one node writes the other serves at once;
of two updates of one object sent at the same time to both nodes with the
same ETag exactly one wins and the other gets 412, with nothing lost; two
creations of one name give 201 and 409; many creations in parallel on both
nodes all land, each once, and the governance ledger has one entry per write,
without gaps, and verifies."""
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aimstest import AIMS, BACKEND, Store, Tap  # noqa: E402

ROUNDS = 12
CREATES = 15


def both(fn1, fn2):
    """Run two requests as close to the same moment as threads allow; returns their results."""
    out = [None, None]
    gate = threading.Barrier(2)

    def go(i, fn):
        gate.wait()
        out[i] = fn()

    ts = [threading.Thread(target=go, args=(0, fn1)), threading.Thread(target=go, args=(1, fn2))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return out


def main():
    t = Tap()
    s = Store("two-nodes")
    try:
        tok = s.account("ml", ["ml-engineer"])
        p1 = s.serve()
        p2 = s.serve()
        t.ok(p1 != p2, "two servers on one %s store (ports %d and %d)" % (BACKEND, p1, p2))

        st, _, doc = s.http("POST", "/systems", tok, {"name": "credit", "purpose": "score loans"}, port=p1)
        t.ok(st == 201, "node 1 creates a system", doc)
        st, h, doc = s.http("GET", "/systems/credit", tok, port=p2)
        t.ok(st == 200 and doc.get("purpose") == "score loans" and h.get("ETag"),
             "node 2 serves what node 1 wrote, with an ETag", doc)

        wins, lost, odd = [], 0, []
        for r in range(ROUNDS):
            st, h, doc = s.http("GET", "/systems/credit", tok, port=p1 if r % 2 else p2)
            etag = h.get("ETag")
            version = doc.get("version")
            body1, body2 = {"purpose": "round %d node 1" % r}, {"purpose": "round %d node 2" % r}
            res = both(lambda: s.http("PATCH", "/systems/credit", tok, body1, {"If-Match": etag}, port=p1),
                       lambda: s.http("PATCH", "/systems/credit", tok, body2, {"If-Match": etag}, port=p2))
            codes = sorted(x[0] for x in res)
            if codes != [200, 412]:
                odd.append((r, [(x[0], x[2]) for x in res]))
                continue
            winner = body1 if res[0][0] == 200 else body2
            loser = res[1] if res[0][0] == 200 else res[0]
            if not (isinstance(loser[2], dict) and loser[2].get("status") == 412):
                odd.append((r, "412 without a problem document: %r" % (loser[2],)))
            st, _, now = s.http("GET", "/systems/credit", tok, port=p2 if r % 2 else p1)
            if now.get("purpose") != winner["purpose"] or now.get("version") != version + 1:
                lost += 1
            wins.append(winner["purpose"])
        t.ok(not odd, "%d rounds of two PATCHes with one ETag: each time one 200 and one 412" % ROUNDS,
             "\n".join(repr(o) for o in odd[:5]))
        t.ok(lost == 0, "the winner's write is what both nodes read next, one version later", "%d lost" % lost)
        st, _, doc = s.http("GET", "/systems/credit", tok, port=p1)
        t.ok(doc.get("version") == 1 + len(wins) and doc.get("purpose") == wins[-1],
             "after %d rounds the record is at version %d: no update lost, none applied twice"
             % (ROUNDS, 1 + len(wins)), doc)

        res = both(lambda: s.http("POST", "/systems", tok, {"name": "fraud"}, port=p1),
                   lambda: s.http("POST", "/systems", tok, {"name": "fraud"}, port=p2))
        t.ok(sorted(x[0] for x in res) == [201, 409], "one name created on both nodes at once: 201 and 409",
             [(x[0], x[2]) for x in res])

        errors = []

        def creator(port, prefix):
            for i in range(CREATES):
                st, _, doc = s.http("POST", "/systems", tok, {"name": "%s-%02d" % (prefix, i)}, port=port)
                if st != 201:
                    errors.append((prefix, i, st, doc))

        both(lambda: creator(p1, "one"), lambda: creator(p2, "two"))
        t.ok(not errors, "%d creations on each node in parallel all succeed" % CREATES, errors[:3])
        st, _, doc = s.http("GET", "/systems?limit=1000", tok, port=p2)
        names = sorted(x["name"] for x in doc.get("systems", []))
        want = sorted(["credit", "fraud"] + ["one-%02d" % i for i in range(CREATES)] +
                      ["two-%02d" % i for i in range(CREATES)])
        t.ok(names == want, "every system is there once (%d)" % len(want), names)

        log = s.run(["ledger", "log", "--json"], check=True)
        import json
        entries = json.loads(log.stdout)["entries"]
        t.ok([e["index"] for e in entries] == list(range(len(entries))),
             "the governance ledger's indices run without gap or duplicate (%d entries)" % len(entries))
        creates = [e for e in entries if e["object_type"] == "ai-system"]
        t.ok(len(creates) == 2 + 2 * CREATES + len(wins),
             "one audit entry per write that succeeded (%d)" % len(creates),
             "%d entries for ai-system" % len(creates))
        v = s.run(["ledger", "verify"])
        t.ok(v.returncode == 0, "the ledger written by both nodes verifies", v.stdout + v.stderr)
    finally:
        s.close()
    t.done()


if __name__ == "__main__":
    subprocess.run([AIMS, "version"], capture_output=True)
    main()
