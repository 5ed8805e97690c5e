#!/usr/bin/python3
"""Lifecycle gates and reviews over the HTTP API (issue 15): a gate check
answers 200 with "allowed": false and "Aims-Outcome: denied" while
conditions are unmet, and the CI/CD step of docs/oversight.md
(examples/ci-gate-check.sh, curl and jq) exits 1 listing them; the command
line through --server exits 1 too; a refused production deployment is 422;
after the approval the same check, step and deployment pass. A reviewer
takes and overrides a decision over the API."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aimstest import AIMS, Store, Tap  # noqa: E402

SRC = os.environ.get("AIMS_SRC") or os.path.join(os.path.dirname(__file__), "..", "..")
POLICY = """policy: ci-gates
applies_to:
  systems: [credit-score]
stages:
  deployed:
    approvals:
      - role: risk-owner
        count: 1
review:
  confidence_below: 0.5
"""


def ci_step(s, token, model):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "AIMS_SERVER": "http://127.0.0.1:%d" % s.port,
           "AIMS_TOKEN": token, "SYSTEM": "credit-score", "MODEL": model}
    return subprocess.run(["sh", os.path.join(SRC, "examples", "ci-gate-check.sh")], env=env, capture_output=True,
                          text=True)


def main():
    t = Tap()
    s = Store("gate-api")
    try:
        s.run(["ledger", "keygen", "--name", "example.org/aims", "--out", os.path.join(s.dir, "k.key")], check=True)
        s.run(["ledger", "setup", "--key", os.path.join(s.dir, "k.key")], check=True)
        for name, roles in (("ml", ["ml-engineer"]), ("ro", ["risk-owner"]), ("cm", ["compliance-manager"]),
                            ("ci", ["ml-engineer"]), ("svc", ["service"]), ("rev", ["reviewer"])):
            s.account(name, roles)
        open(os.path.join(s.dir, "m8.bin"), "w").write("weights 8\n")
        open(os.path.join(s.dir, "policy.yaml"), "w").write(POLICY)
        s.run(["system", "add", "credit-score"], check=True)
        s.run(["model", "register", "credit-risk@8", "--file", os.path.join(s.dir, "m8.bin")], check=True)
        s.serve()

        st, _, doc = s.http("POST", "/policies", s.tokens["cm"], {"file": POLICY})
        t.ok(st == 201 and doc.get("version") == 1, "POST /policies stores the policy (201)", doc)
        st, _, doc = s.http("POST", "/policies", s.tokens["cm"], {"file": POLICY.replace("count: 1", "count: 0")})
        t.ok(st == 400 and "request body' line 8: stages.deployed.approvals[0].count" in doc.get("detail", ""),
             "a bad policy in the request body is refused naming the line and key", doc)

        st, h, doc = s.http("POST", "/systems/credit-score/gate-checks", s.tokens["ci"],
                            {"model": "credit-risk@8", "to": "deployed"})
        t.ok(st == 200 and doc["allowed"] is False and h.get("Aims-Outcome") == "denied" and len(doc["unmet"]) == 1,
             "gate check over HTTP: 200, allowed false, Aims-Outcome denied, the unmet approval listed", (st, h, doc))
        p = ci_step(s, s.tokens["ci"], "credit-risk@8")
        t.ok(p.returncode == 1 and "gate refused: credit-risk@8 -> deployed of credit-score" in p.stderr and
             "  - approval: 1 account with role risk-owner must approve" in p.stderr,
             "the CI step exits 1 and lists the unmet condition", p.stdout + p.stderr)
        p = subprocess.run([AIMS, "--server", "http://127.0.0.1:%d" % s.port, "gate", "check", "credit-score",
                            "--model", "credit-risk@8", "--to", "deployed"], capture_output=True, text=True,
                           env=dict(s.env(s.tokens["ci"])))
        t.ok(p.returncode == 1 and "REFUSED" in p.stdout, "aims --server gate check exits 1", p.stdout + p.stderr)
        st, _, doc = s.http("POST", "/systems/credit-score/deployments", s.tokens["ml"],
                            {"model": "credit-risk@8", "env": "production"})
        t.ok(st == 422 and "refused by policy 'ci-gates'" in doc.get("detail", ""),
             "a refused production deployment is 422 naming the policy", doc)
        st, _, doc = s.http("POST", "/systems/credit-score/gates", s.tokens["ml"],
                            {"model": "credit-risk@8", "to": "deployed"})
        t.ok(st == 201 and doc.get("id") == "GATE-0001", "POST a gate request (201)", doc)
        st, _, doc = s.http("POST", "/gates/GATE-0001/approve", s.tokens["ml"], {})
        t.ok(st == 403 and "may not approve" in doc.get("detail", ""), "the requester's approval is 403", doc)
        st, _, doc = s.http("POST", "/gates/GATE-0001/approve", s.tokens["ro"], {})
        t.ok(st == 200 and doc.get("status") == "approved", "the risk owner approves", doc)
        p = ci_step(s, s.tokens["ci"], "credit-risk@8")
        t.ok(p.returncode == 0 and "gate open: credit-risk@8 -> deployed of credit-score" in p.stdout,
             "the CI step now exits 0", p.stdout + p.stderr)
        st, _, doc = s.http("POST", "/systems/credit-score/deployments", s.tokens["ml"],
                            {"model": "credit-risk@8", "env": "production"})
        t.ok(st == 201 and doc.get("env") == "production", "the deployment passes (201)", doc)
        st, _, doc = s.http("GET", "/gate-checks?system=credit-score", s.tokens["rev"])
        t.ok(st == 200 and [c["purpose"] for c in doc["checks"]] == ["check", "deploy", "check", "check", "check"],
             "GET /gate-checks lists the recorded checks", doc)

        recs = "".join(json.dumps({"time": "2026-11-02T09:00:%02dZ" % i, "model": "credit-risk@8",
                                   "input_digest": "sha256:" + "%064x" % i, "output": {"decision": "decline"},
                                   "confidence": 0.3 + 0.1 * (i % 5), "explanation": "e%d" % i}) + "\n"
                       for i in range(10))
        # decision ingest is not an API operation yet (issue 12): the service feeds the log on the command line
        s.run(["decision", "ingest", "--system", "credit-score", "-"], token=s.tokens["svc"], stdin=recs, check=True)
        st, _, doc = s.http("GET", "/reviews?system=credit-score", s.tokens["rev"])
        t.ok(st == 200 and [r["entry"] for r in doc["reviews"]] == [0, 1, 5, 6],
             "decisions with confidence below 0.5 are in the queue", doc)
        st, _, doc = s.http("POST", "/reviews/next", s.tokens["rev"], {"system": "credit-score"})
        t.ok(st == 200 and doc["item"]["entry"] == 0 and doc["item"]["explanation"] == "e0",
             "POST /reviews/next assigns the oldest with its explanation", doc)
        st, _, doc = s.http("POST", "/reviews/%s/override" % doc["item"]["id"], s.tokens["rev"],
                            {"outcome": {"decision": "approve"}, "reason": "the applicant's collateral"})
        t.ok(st == 200 and doc.get("action") == "override" and doc.get("review_entry") == 10,
             "POST /reviews/{id}/override appends review record 10", doc)
        st, _, doc = s.http("GET", "/systems/credit-score/review-metrics", s.tokens["rev"])
        t.ok(st == 200 and doc["decisions"] == 10 and doc["selected"] == 4 and doc["reviewed"] == 1 and
             doc["overrides"] == 1 and doc["backlog"] == 3 and doc["explanation_share"] == 1.0,
             "review metrics over the API", doc)
        p = s.run(["ledger", "verify"])
        t.ok(p.returncode == 0, "the ledger and the decision log verify", p.stdout + p.stderr)
    finally:
        s.close()
    t.done()


main()
