#!/usr/bin/python3
"""Audit programmes over the HTTP API (issue 16, ISO/IEC 42001 9.2.2): a
compliance manager creates a programme for a period (POST /audit-programmes,
201) and puts audits into it, when planning (programme in POST /audits) or
afterwards (POST /audit-programmes/{id}/audits); GET /audit-programmes/{id}
gives the coverage of clauses, controls and AI systems computed from the
audits' scopes, the audits' status and the nonconformities they opened; the
answers equal the CLI's --json; bad input is refused naming the field and
records nothing; roles without audit.manage are refused (403)."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aimstest import Store, Tap  # noqa: E402


def main():
    t = Tap()
    s = Store("programme-api")
    try:
        for name, roles in (("cm", ["compliance-manager"]), ("ro", ["risk-owner"]), ("aud", ["auditor"])):
            s.account(name, roles)
        for sysname in ("credit-score", "hiring-screen"):
            s.run(["system", "add", sysname, "--owner", "Head of Credit"], check=True)
        s.serve()
        cm, aud, ro = (s.tokens[n] for n in ("cm", "aud", "ro"))

        st, _, doc = s.http("POST", "/audit-programmes", ro, {"title": "x", "period": "2026"})
        t.ok(st == 403 and "audit.manage" in doc.get("detail", ""), "a risk owner cannot create a programme (403)", doc)
        st, _, doc = s.http("POST", "/audit-programmes", cm, {"title": "x", "period": "2026-Q5"})
        t.ok(st == 400 and "period '2026-Q5'" in doc.get("detail", ""), "a bad period is refused naming it (400)", doc)
        st, _, doc = s.http("POST", "/audit-programmes", cm, {"period": "2026"})
        t.ok(st == 400 and "title" in doc.get("detail", ""), "a missing title is refused (400)", doc)
        st, _, doc = s.http("GET", "/audit-programmes", cm)
        t.ok(st == 200 and doc.get("programmes") == [], "nothing was recorded by the refused requests", doc)

        st, h, doc = s.http("POST", "/audit-programmes", cm,
                            {"title": "Internal audits 2026", "period": "2026-01-01..2027-01-01",
                             "objective": "each clause once", "frequency": "quarterly", "method": "sampling"})
        t.ok(st == 201 and doc.get("id") == "PRG-001" and doc.get("since") == "2026-01-01" and
             doc.get("until") == "2027-01-01" and doc.get("owner") == "cm" and doc.get("audits") == [],
             "POST /audit-programmes (201)", doc)

        st, _, doc = s.http("POST", "/audits", cm, {"title": "Q2", "period": "2026-Q2", "auditor": "aud",
                                                    "requirement": ["9.2", "A.10"], "system": ["credit-score"],
                                                    "programme": "PRG-001"})
        t.ok(st == 201 and doc.get("id") == "AUD-001" and doc.get("programme") == "PRG-001",
             "POST /audits with programme plans the audit into it", doc)
        st, _, doc = s.http("POST", "/audits", cm, {"title": "2027", "period": "2027-Q1", "auditor": "aud",
                                                    "requirement": ["5.1"], "programme": "PRG-001"})
        t.ok(st == 400 and "outside audit programme PRG-001's period" in doc.get("detail", ""),
             "an audit outside the programme's period is refused (400)", doc)
        st, _, doc = s.http("POST", "/audits", cm, {"title": "Q3", "period": "2026-Q3", "auditor": "aud",
                                                    "requirement": ["4"]})
        t.ok(st == 201 and doc.get("id") == "AUD-002" and doc.get("programme") is None, "AUD-002 planned alone", doc)
        st, _, doc = s.http("POST", "/audit-programmes/PRG-001/audits", cm, {"audit": "AUD-404"})
        t.ok(st == 404 and "audit AUD-404: not found" in doc.get("detail", ""), "an unknown audit is 404", doc)
        st, _, doc = s.http("POST", "/audit-programmes/PRG-404/audits", cm, {"audit": "AUD-002"})
        t.ok(st == 404 and "audit programme PRG-404" in doc.get("detail", ""), "an unknown programme is 404", doc)
        st, _, doc = s.http("POST", "/audit-programmes/PRG-001/audits", cm, {"audit": "AUD-001"})
        t.ok(st == 409 and "already in audit programme PRG-001" in doc.get("detail", ""),
             "adding an audit twice is a conflict (409)", doc)
        st, _, doc = s.http("POST", "/audit-programmes/PRG-001/audits", aud, {"audit": "AUD-002"})
        t.ok(st == 403, "an auditor cannot add audits to a programme (403)", doc)
        st, _, doc = s.http("POST", "/audit-programmes/PRG-001/audits", cm, {"audit": "AUD-002"})
        t.ok(st == 200 and doc.get("audits") == ["AUD-001", "AUD-002"], "POST /audit-programmes/PRG-001/audits", doc)

        st, _, doc = s.http("POST", "/audits/AUD-001/findings", aud,
                            {"kind": "nonconformity", "requirement": "9.2.2", "text": "no programme before 2026",
                             "owner": "ro", "due": "2026-08-31"})
        t.ok(st == 200 and doc["findings"][0]["nonconformity"] == "NC-001", "a finding opens NC-001", doc)

        st, _, doc = s.http("GET", "/audit-programmes/PRG-001", ro)
        cov = doc.get("coverage", {})
        t.ok(st == 200 and [c["id"] for c in cov.get("clauses", {}).get("covered", [])] ==
             ["4.1", "4.2", "4.3", "4.4", "9.2.1", "9.2.2"] and
             cov["clauses"]["covered"][4] == {"id": "9.2.1", "audits": ["AUD-001"]} and
             cov.get("controls", {}).get("covered") == [{"id": c, "audits": ["AUD-001"]}
                                                         for c in ("A.10.2", "A.10.3", "A.10.4")] and
             len(cov["controls"]["uncovered"]) == 35 and
             cov.get("systems") == {"covered": [{"id": "credit-score", "audits": ["AUD-001"]}],
                                    "uncovered": ["hiring-screen"]},
             "GET /audit-programmes/PRG-001: coverage from the audits' scopes", doc)
        t.ok(cov["clauses"]["uncovered"] == ["5.1", "5.2", "5.3", "6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.2", "6.3",
                                             "7.1", "7.2", "7.3", "7.4", "7.5.1", "7.5.2", "7.5.3", "8.1", "8.2",
                                             "8.3", "8.4", "9.1", "9.3.1", "9.3.2", "9.3.3", "10.1", "10.2"],
             "the clauses not covered, exactly", cov.get("clauses"))
        t.ok([(a["id"], a["status"], a["findings"]["nonconformity"]) for a in doc.get("audit_status", [])] ==
             [("AUD-001", "in-progress", 1), ("AUD-002", "planned", 0)] and
             [(n["id"], n["audit"], n["finding"], n["status"]) for n in doc.get("nonconformities", [])] ==
             [("NC-001", "AUD-001", "F-001", "open")], "the audits' status and their nonconformities", doc)
        p = s.run(["audit", "programme", "show", "PRG-001", "--json"], token=cm, check=True)
        t.ok(json.loads(p.stdout) == doc, "the API's document equals the CLI's --json", p.stdout[:300])
        st, _, lst = s.http("GET", "/audit-programmes", ro)
        t.ok(st == 200 and lst.get("programmes") == [doc], "GET /audit-programmes lists it with its coverage", lst)
        st, _, doc = s.http("GET", "/audit-programmes/PRG-404", ro)
        t.ok(st == 404 and "PRG-404" in doc.get("detail", ""), "an unknown programme is 404", doc)

        p = s.run(["ledger", "log", "--json"])
        acts = [(e["action"], e["actor"]) for e in json.loads(p.stdout)["entries"]
                if e["object_type"] == "audit-programme"]
        t.ok(acts == [("create", "cm"), ("add", "cm"), ("add", "cm")], "every write is a ledger entry", acts)
        p = s.run(["ledger", "verify"])
        t.ok(p.returncode == 0, "the ledger verifies", p.stdout + p.stderr)
    finally:
        s.close()
    t.done()


main()
