#!/usr/bin/python3
"""Internal audits over the HTTP API (issue 16, ISO/IEC 42001 9.2): planned
by a compliance manager with an independent auditor (an auditor owning a
risk in scope is refused, 403); only that auditor samples and records
findings; a nonconformity finding opens a nonconformity; the audit's
report is JSON with counts and the nonconformities' status now, or HTML
with format=html; bad input names the field and records nothing."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aimstest import Store, Tap  # noqa: E402


def main():
    t = Tap()
    s = Store("audit-api")
    try:
        for name, roles in (("cm", ["compliance-manager"]), ("ro", ["risk-owner"]), ("aud", ["auditor"]),
                            ("aud2", ["auditor"])):
            s.account(name, roles)
        s.run(["system", "add", "credit-score", "--owner", "Head of Credit"], check=True)
        s.run(["risk", "add", "credit-score", "--title", "Drift unnoticed", "--category", "data-drift", "--owner",
               "aud2", "--likelihood", "2", "--impact", "3"], token=s.tokens["cm"], check=True)
        s.serve()
        cm, aud, aud2, ro = (s.tokens[n] for n in ("cm", "aud", "aud2", "ro"))
        plan = {"title": "AI monitoring, Q2", "period": "2026-Q2", "requirement": ["9.1"], "system": ["credit-score"]}

        st, _, doc = s.http("POST", "/audits", cm, dict(plan, auditor="aud2"))
        t.ok(st == 403 and "auditor aud2 owns records in the audit's scope (RISK-001)" in doc.get("detail", ""),
             "an auditor owning a risk in scope is refused (403)", doc)
        st, _, doc = s.http("POST", "/audits", cm, dict(plan, auditor="ro"))
        t.ok(st == 400 and "an active account with the auditor role is needed" in doc.get("detail", ""),
             "an account without the auditor role is refused (400)", doc)
        st, _, doc = s.http("POST", "/audits", cm, dict(plan, auditor="aud", requirement=["11.9"]))
        t.ok(st == 400 and "requirement '11.9'" in doc.get("detail", ""), "an unknown clause is named (400)", doc)
        st, _, doc = s.http("GET", "/audits", cm)
        t.ok(st == 200 and doc.get("audits") == [], "nothing was recorded by the refused requests", doc)

        st, _, doc = s.http("POST", "/audits", cm, dict(plan, auditor="aud"))
        t.ok(st == 201 and doc.get("id") == "AUD-001" and doc.get("auditor") == "aud", "POST /audits (201)", doc)
        st, _, doc = s.http("POST", "/audits/AUD-001/sample", aud2, {"record": "risk:RISK-001"})
        t.ok(st == 403 and "only its auditor aud" in doc.get("detail", ""), "another auditor cannot sample", doc)
        st, _, doc = s.http("POST", "/audits/AUD-001/sample", aud, {"record": "risk:RISK-001", "note": "plan read"})
        t.ok(st == 200 and doc["sample"][0]["record"] == "risk:RISK-001", "its auditor samples a record", doc)
        st, _, doc = s.http("POST", "/audits/AUD-001/findings", aud,
                            {"kind": "nonconformity", "requirement": "9.1", "text": "no drift evaluation",
                             "owner": "ro", "due": "2026-07-31"})
        t.ok(st == 200 and doc["findings"][0]["nonconformity"] == "NC-001",
             "a nonconformity finding opens NC-001", doc)
        st, _, doc = s.http("POST", "/audits/AUD-001/close", aud, {"summary": "drift monitoring to restore"})
        t.ok(st == 200 and doc.get("status") == "closed", "its auditor closes the audit", doc)

        st, _, doc = s.http("GET", "/audits/AUD-001/report", ro)
        t.ok(st == 200 and doc.get("counts") == {"conformity": 0, "observation": 0, "nonconformity": 1} and
             [(n["id"], n["finding"], n["status"], n["owner"]) for n in doc.get("nonconformities", [])] ==
             [("NC-001", "F-001", "open", "ro")], "GET /audits/AUD-001/report: counts and nonconformities", doc)
        st, h, body = s.http("GET", "/audits/AUD-001/report?format=html", ro)
        t.ok(st == 200 and h.get("Content-Type", "").startswith("text/html") and
             "<h2>10.2 Nonconformities raised and their status</h2>" in body and "<td>NC-001</td>" in body and
             "drift monitoring to restore" in body, "the report as HTML", body[:300])
        st, _, doc = s.http("GET", "/audits/AUD-404/report", ro)
        t.ok(st == 404 and "AUD-404" in doc.get("detail", ""), "an unknown audit is 404", doc)
        st, _, doc = s.http("GET", "/audits/AUD-001/report?format=pdf", ro)
        t.ok(st == 400 and "format" in doc.get("detail", ""), "an unknown format is refused naming it", doc)
        p = s.run(["ledger", "verify"])
        t.ok(p.returncode == 0, "the ledger verifies", p.stdout + p.stderr)
    finally:
        s.close()
    t.done()


main()
