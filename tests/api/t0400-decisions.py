#!/usr/bin/python3
"""AI decision logs and the governance ledger over a real `aims serve`:

- POST /api/v1/systems/{system}/decisions with an NDJSON body and a service
  account's token: the same ingest as `aims decision ingest` (the response is
  the command's JSON document plus the decision log's signed checkpoint,
  which verifies with the ledger's verifier key); a retry with the same
  Idempotency-Key is a duplicate; the key with other records is 409; a bad
  line is 400 problem+json naming the line and the field, nothing appended;
  an unknown system 404; an auditor 403 naming the permission; no token 401;
  a body over the limit 413.
- The reads as the auditor: the log's records (JSON and text), the list of
  logs, a receipt that verifies offline, the decision log's verification,
  the ledger's entries and verification, the latest checkpoint and the
  export; each JSON document equal to `aims ... --json` of the same account.
- A changed byte in a decision log (in its entries file beside a SQLite
  store, in its row of a PostgreSQL store): the ledger verification answers 200 with
  ok false and Aims-Outcome: tampered, the CLI exit 4.
- /metrics counts the decisions ingested and the log's size.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aimstest import PG_BASE, Store, Tap  # noqa: E402

D64 = "a" * 64


def rec(i, time="2026-01-01T00:00:00Z"):
    return ('{"time":"%s","model":"credit-score@2.1","input_digest":"sha256:%s","output":{"approve":true,"id":%d},'
            '"confidence":0.87}\n' % (time, D64, i))


def cli_json(s, tok, args):
    p = s.run(args + ["--json"], token=tok)
    try:
        return p.returncode, json.loads(p.stdout)
    except ValueError:
        return p.returncode, p.stdout + p.stderr


def main():
    t = Tap()
    s = Store("decisions")
    small = None
    try:
        key = os.path.join(s.dir, "k.key")
        vkey = s.run(["ledger", "keygen", "--name", "example.org/aims", "--out", key], check=True).stdout.strip()
        s.run(["ledger", "setup", "--key", key], check=True)
        s.run(["system", "add", "credit"], check=True)
        with open(os.path.join(s.dir, "m.bin"), "w") as f:
            f.write("weights\n")
        s.run(["model", "register", "credit-score@2.1", "--file", os.path.join(s.dir, "m.bin")], check=True)
        svc = s.account("svc", ["service"])
        aud = s.account("aud", ["auditor"])
        s.serve()

        # ---- ingest ----
        body = rec(0) + rec(1) + rec(2)
        st, h, doc = s.http("POST", "/systems/credit/decisions", svc, raw=body, headers={"Idempotency-Key": "b-1"})
        t.ok(st == 200 and isinstance(doc, dict) and doc.get("appended") == 3 and doc.get("size") == 3 and
             doc.get("first") == 0 and doc.get("duplicate") is False and doc.get("idempotency_key") == "b-1" and
             doc.get("checkpoint") is True, "service token: 3 records appended, size 3", "%d %s" % (st, doc))
        note = doc.get("checkpoint_note") if isinstance(doc, dict) else None
        t.ok(isinstance(note, str) and note.split("\n")[0] == "example.org/aims/decision/credit" and
             note.split("\n")[1] == "3", "the response carries the decision log's checkpoint of size 3", note)
        path = os.path.join(s.dir, "cp.txt")
        with open(path, "w") as f:
            f.write(note or "")
        p = s.run(["note", "verify", "--vkey", vkey, path])
        t.ok(p.returncode == 0, "the checkpoint is signed by the ledger key", p.stderr)

        st, h, doc2 = s.http("POST", "/systems/credit/decisions", svc, raw=body, headers={"Idempotency-Key": "b-1"})
        t.ok(st == 200 and doc2.get("duplicate") is True and doc2.get("appended") == 0 and doc2.get("size") == 3 and
             doc2.get("batch_digest") == doc.get("batch_digest"), "a retry with the same Idempotency-Key is a "
             "duplicate", "%d %s" % (st, doc2))
        t.ok("already ingested" in h.get("Aims-Note", ""), "the duplicate is said in Aims-Note", str(h))
        st, h, d = s.http("POST", "/systems/credit/decisions", svc, raw=rec(3), headers={"Idempotency-Key": "b-1"})
        t.ok(st == 409 and "application/problem+json" in h.get("Content-Type", "") and
             "idempotency key 'b-1' was used for another batch" in d.get("detail", ""),
             "the key with other records: 409", "%d %s" % (st, d))

        bad = rec(3) + rec(4) + '{"time":"yesterday","model":"credit-score@2.1","input_digest":"sha256:%s",' \
            '"output":1}\n' % D64
        st, h, d = s.http("POST", "/systems/credit/decisions", svc, raw=bad)
        t.ok(st == 400 and "application/problem+json" in h.get("Content-Type", "") and
             "request body' line 3: time" in d.get("detail", "") and d.get("field") == "time",
             "a bad line: 400 naming the line and the field", "%d %s" % (st, d))
        st, h, d = s.http("POST", "/systems/credit/decisions", svc,
                          raw=rec(3) + rec(4).replace('"confidence":0.87', '"colour":"red"'))
        t.ok(st == 400 and "line 2: unknown key 'colour'" in d.get("detail", "") and d.get("field") == "colour",
             "an unknown key: 400 naming line 2 and the key", "%d %s" % (st, d))
        st, h, d = s.http("POST", "/systems/credit/decisions", svc, raw=rec(3).replace("credit-score@2.1", "ghost@9"))
        t.ok(st == 400 and "line 1: model: 'ghost@9' is not a registered model version" in d.get("detail", "") and
             d.get("field") == "model", "an unregistered model: 400 naming line and field", "%d %s" % (st, d))
        st, _, d = s.http("GET", "/systems/credit/decisions", aud)
        t.ok(st == 200 and d.get("size") == 3, "nothing of the refused batches was appended", "%d %s" % (st, d))
        st, h, d = s.http("POST", "/systems/nosuch/decisions", svc, raw=rec(0))
        t.ok(st == 404 and "AI system 'nosuch' is not in the inventory" in d.get("detail", ""),
             "unknown system: 404", "%d %s" % (st, d))
        st, h, d = s.http("POST", "/systems/credit/decisions", aud, raw=rec(3))
        t.ok(st == 403 and "permission 'decision.ingest'" in d.get("detail", ""), "auditor: 403 naming "
             "decision.ingest", "%d %s" % (st, d))
        st, h, d = s.http("POST", "/systems/credit/decisions", None, raw=rec(3))
        t.ok(st == 401, "no token: 401", "%d %s" % (st, d))
        st, h, d = s.http("POST", "/systems/credit/decisions", svc, raw=rec(3),
                          headers={"Content-Type": "application/gzip"})
        t.ok(st == 400 and "not gzip" in d.get("detail", ""), "a gzip body is refused, saying NDJSON",
             "%d %s" % (st, d))

        # ---- reads: the API's documents equal the CLI's --json ----
        rc, c = cli_json(s, aud, ["decision", "log", "--system", "credit", "--from", "1", "--limit", "2"])
        st, _, a = s.http("GET", "/systems/credit/decisions?from=1&limit=2", aud)
        t.ok(rc == 0 and st == 200 and c == a and len(a["entries"]) == 2 and a["entries"][0]["index"] == 1,
             "decision log: CLI --json == API", "%s\n%s" % (c, a))
        p = s.run(["decision", "log", "--system", "credit"], token=aud)
        st, h, txt = s.http("GET", "/systems/credit/decisions?format=text", aud)
        t.ok(p.returncode == 0 and st == 200 and txt == p.stdout and txt.count("\n") == 3 and
             h.get("Content-Type", "").startswith("text/plain"), "decision log text: CLI == API", txt)
        rc, c = cli_json(s, aud, ["decision", "list"])
        st, _, a = s.http("GET", "/decision-logs", aud)
        t.ok(rc == 0 and st == 200 and c == a == {"systems": ["credit"]}, "decision list: CLI --json == API",
             "%s %s" % (c, a))
        rc, c = cli_json(s, aud, ["decision", "verify", "--system", "credit"])
        st, _, a = s.http("GET", "/systems/credit/decisions/verification", aud)
        t.ok(rc == 0 and st == 200 and c == a and a.get("verified") is True and a.get("entries") == 3,
             "decision verify: CLI --json == API", "%s %s" % (c, a))
        rc, c = cli_json(s, aud, ["decision", "receipt", "--system", "credit", "--index", "1"])
        st, _, a = s.http("GET", "/systems/credit/decisions/1/receipt", aud)
        t.ok(rc == 0 and st == 200 and c == a and a["receipt"].startswith("c2sp.org/tlog-proof@v1\n"),
             "decision receipt: CLI --json == API", "%s %s" % (c, a))
        st, _, txt = s.http("GET", "/systems/credit/decisions/1/receipt?format=text", aud)
        path = os.path.join(s.dir, "r.proof")
        with open(path, "w") as f:
            f.write(txt if isinstance(txt, str) else "")
        p = s.run(["decision", "verify-receipt", path, "--vkey", vkey])
        t.ok(st == 200 and p.returncode == 0 and "entry 1 is in the signed checkpoint" in p.stdout,
             "the receipt from the API verifies offline", p.stdout + p.stderr)
        rc, c = cli_json(s, aud, ["ledger", "log"])
        st, _, a = s.http("GET", "/ledger/entries?limit=1000", aud)
        t.ok(rc == 0 and st == 200 and c == a and any(e["object_type"] == "decision-log" or
                                                      e["object_id"] == "credit" for e in a["entries"]),
             "ledger log: CLI --json == API", "%s\n%s" % (c, a))
        rc, c = cli_json(s, aud, ["ledger", "verify"])
        st, h, a = s.http("GET", "/ledger/verification", aud)
        t.ok(rc == 0 and st == 200 and c == a and a.get("ok") is True and "Aims-Outcome" not in h and
             [x["log"] for x in a["logs"]] == ["governance", "decision/credit"],
             "ledger verify: CLI --json == API, ok", "%s\n%s" % (c, a))
        rc, c = cli_json(s, aud, ["ledger", "verify", "--system", "credit", "--vkey", vkey])
        st, h, a = s.http("GET", "/ledger/verification?system=credit&vkey=" + vkey.replace("+", "%2B"), aud)
        t.ok(rc == 0 and st == 200 and c == a and a.get("ok") is True, "ledger verify --system --vkey: CLI == API",
             "%s\n%s" % (c, a))
        st, _, a = s.http("GET", "/ledger/checkpoint", aud)
        t.ok(st == 200 and a.get("log") == "governance" and a["checkpoint"].startswith("example.org/aims\n"),
             "the latest governance checkpoint", str(a))
        st, _, a = s.http("GET", "/ledger/checkpoints", aud)
        t.ok(st == 200 and a.get("format") == "aims-checkpoints/v1" and
             sorted(x["log"] for x in a["logs"]) == ["decision/credit", "governance"], "the checkpoint export", str(a))
        st, _, a = s.http("POST", "/ledger/checkpoint", aud, body={})
        t.ok(st == 403 and "ledger.manage" in a.get("detail", ""), "an auditor may not sign a checkpoint", str(a))

        # ---- metrics ----
        st, _, m = s.http("GET", "/metrics")
        t.ok(st == 200 and "aims_decisions_ingested_total 3\n" in m and
             'aims_decision_log_size{system="credit"} 3\n' in m, "metrics: decisions ingested and the log size", m)

        # ---- a changed byte: the verification is a finding, not an error of the request ----
        if PG_BASE:
            # the log's records are rows of the store there
            subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", s.db, "-c",
                            "UPDATE ledger_decision_entries SET body = set_byte(body, 36, get_byte(body, 36) # 1) "
                            "WHERE log = 'decision/credit' AND idx = 0"], check=True, capture_output=True)
        else:
            entries = s.db + ".ledger/decision/credit/entries"
            with open(entries, "r+b") as f:
                f.seek(40)
                b = f.read(1)
                f.seek(40)
                f.write(bytes([b[0] ^ 1]))
        st, h, a = s.http("GET", "/ledger/verification", aud)
        t.ok(st == 200 and a.get("ok") is False and h.get("Aims-Outcome") == "tampered" and
             "entry 0" in a.get("error", ""), "a flipped byte: 200, ok false, Aims-Outcome tampered", "%d %s %s" %
             (st, h, a))
        p = s.run(["ledger", "verify", "--json"], token=aud)
        t.ok(p.returncode == 4 and json.loads(p.stdout) == a, "the CLI: exit 4 and the same document",
             p.stdout + p.stderr)

        # ---- the request body limit of a stream: 64 x --max-body ----
        small = Store("decisions-limit")
        small.run(["ledger", "keygen", "--name", "example.org/aims", "--out", os.path.join(small.dir, "k.key")],
                  check=True)
        small.run(["ledger", "setup", "--key", os.path.join(small.dir, "k.key")], check=True)
        small.run(["system", "add", "credit"], check=True)
        tok = small.account("svc", ["service"])
        small.serve("--max-body", "1024")
        st, h, d = small.http("POST", "/systems/credit/decisions", tok, raw="".join(rec(i) for i in range(600)))
        t.ok(st == 413 and "larger than 65536 bytes" in d.get("detail", ""), "a body over 64 x --max-body: 413",
             "%d %s" % (st, d))
    finally:
        s.close()
        if small:
            small.close()
    t.done()


main()
