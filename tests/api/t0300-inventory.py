#!/usr/bin/python3
"""The AI inventory over a real `aims serve`:

- OpenLineage RunEvents POSTed with curl exactly as the OpenLineage HTTP
  transport sends them (POST /api/v1/lineage, one JSON event per request,
  Content-Type and Accept application/json, Authorization: Bearer with a
  service account's token; gzip with Content-Encoding when the transport
  compresses), redelivery, a malformed event refused as problem+json naming
  its position with nothing stored, no token (401), a role without
  lineage.ingest (403); the graph afterwards equals the one the CLI builds.
- Datasets and models registered and verified through `aims --server`: the
  command line hashes the files where they are and sends the digests; a
  changed byte is exit 4 naming the file; digests sent by hand are checked
  (field named in the problem document).
- The same document from the CLI (--json, on the store) and the API for
  every object type of the inventory: dataset, model, run, lineage walk and
  graph, lists, cards; the rendered formats (in-toto, SVG, DOT, Markdown)
  byte for byte.
"""
import gzip
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aimstest import AIMS, Store, Tap  # noqa: E402

ROOT = os.environ.get("AIMS_SRC") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PIPELINE = os.path.join(ROOT, "fuzz", "corpus", "openlineage", "pipeline.json")
RUN1 = "0190f1a2-6c3d-7e4f-8a5b-1c2d3e4f5a01"
RUN2 = "0190f1a2-6c3d-7e4f-8a5b-1c2d3e4f5a02"
RAW = "dataset:s3://northwind-raw#applications/2026-02.parquet@2026-02"
FEAT = "dataset:s3://northwind-curated#features/credit@v41"


def curl_event(s, token, body, gz=False):
    """POST one event to /api/v1/lineage the way the OpenLineage HTTP transport does."""
    path = os.path.join(s.dir, "event.bin")
    data = body.encode() if isinstance(body, str) else body
    if gz:
        data = gzip.compress(data, compresslevel=3)
    with open(path, "wb") as f:
        f.write(data)
    out = os.path.join(s.dir, "curl.out")
    args = ["curl", "-sS", "-o", out, "-w", "%{http_code} %{content_type}", "-X", "POST",
            "-H", "Content-Type: application/json", "-H", "Accept: application/json"]
    if token:
        args += ["-H", "Authorization: Bearer " + token]
    if gz:
        args += ["-H", "Content-Encoding: gzip"]
    args += ["--data-binary", "@" + path, "http://127.0.0.1:%d/api/v1/lineage" % s.port]
    p = subprocess.run(args, capture_output=True, text=True)
    status, _, ctype = p.stdout.partition(" ")
    text = open(out).read() if os.path.exists(out) else ""
    doc = json.loads(text) if "json" in ctype and text else text
    return int(status or 0), ctype, doc


def remote(s, token, args, stdin=None):
    """aims --server URL ARGS with AIMS_TOKEN: the operation over the API."""
    env = s.env(token)
    return subprocess.run([AIMS, "--server", "http://127.0.0.1:%d" % s.port] + args, input=stdin,
                          capture_output=True, text=True, env=env, cwd=s.dir)


def local_json(s, args):
    p = s.run(args + ["--json"])
    if p.returncode != 0:
        raise RuntimeError("aims %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return json.loads(p.stdout)


def local_bytes(s, args):
    p = subprocess.run([AIMS, "--db", s.db] + args, capture_output=True, env=s.env(), cwd=s.dir)
    if p.returncode != 0:
        raise RuntimeError("aims %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def raw_get(s, token, path):
    """GET /api/v1<path>, the body as bytes and the content type."""
    import urllib.request
    req = urllib.request.Request("http://127.0.0.1:%d/api/v1%s" % (s.port, path),
                                 headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def q(v):
    import urllib.parse
    return urllib.parse.quote(v, safe="")


def main():
    t = Tap()
    s = Store("inventory")
    try:
        svc = s.account("pipeline", ["service"])
        ml = s.account("mlops", ["ml-engineer"])
        aud = s.account("audit", ["auditor"])
        s.run(["system", "add", "credit-scoring", "--purpose", "Scores loan applications"], check=True)
        s.serve()
        events = json.load(open(PIPELINE))

        # ---- OpenLineage over HTTP, one event per request ----
        results = [curl_event(s, svc, json.dumps(e)) for e in events[:3]]
        t.ok(all(r[0] == 200 and r[2] == {"events": 1, "stored": 1, "duplicates": 0, "runs": 1} for r in results),
             "three RunEvents POSTed as the OpenLineage transport sends them: 200, each stored", results)
        st, ctype, doc = curl_event(s, svc, json.dumps(events[3]), gz=True)
        t.ok(st == 200 and doc.get("stored") == 1, "the fourth gzip-compressed (Content-Encoding: gzip): stored",
             (st, doc))
        st, _, doc = curl_event(s, svc, json.dumps(events[0]))
        t.ok(st == 200 and doc == {"events": 1, "stored": 0, "duplicates": 1, "runs": 0},
             "redelivery of an event changes nothing", (st, doc))
        before = local_json(s, ["status"])["store"]["content_digest"]
        bad = dict(events[1])
        bad["run"] = {k: v for k, v in events[1]["run"].items() if k != "runId"}
        st, ctype, doc = curl_event(s, svc, json.dumps(bad))
        t.ok(st == 400 and ctype.startswith("application/problem+json") and
             "'request body'" in doc.get("detail", "") and "run.runId: missing" in doc.get("detail", ""),
             "an event without run.runId: 400 problem+json naming the request body and the field", (st, doc))
        st, _, doc = curl_event(s, svc, "{\"eventTime\": ")
        t.ok(st == 400 and "request body" in doc.get("detail", ""), "a truncated JSON body: 400", (st, doc))
        st, _, doc = curl_event(s, svc, b"\x1f\x8b\x08\x00garbage", gz=False)
        t.ok(st == 400 and "gzip" in doc.get("detail", ""), "corrupt gzip data: 400", (st, doc))
        t.ok(local_json(s, ["status"])["store"]["content_digest"] == before, "refused events stored nothing")
        st, _, doc = curl_event(s, None, json.dumps(events[0]))
        t.ok(st == 401, "no Authorization header: 401", (st, doc))
        st, _, doc = curl_event(s, aud, json.dumps(events[0]))
        t.ok(st == 403 and "permission 'lineage.ingest'" in doc.get("detail", ""),
             "an auditor's token: 403 naming lineage.ingest", (st, doc))
        st, _, doc = curl_event(s, "nope", json.dumps(events[0]))
        t.ok(st == 401, "an unknown token: 401", (st, doc))

        # the graph afterwards, read over the API by an auditor and by the CLI on the store
        s.run(["deploy", "record", "credit-scoring", "--model", "credit-risk@7", "--env", "production", "--at",
               "2026-03-02T09:00:00Z"], check=True)
        want_up = ["system:credit-scoring", "model:credit-risk@7", "run:" + RUN2, FEAT,
                   "job:airflow-risk#credit.train_model", "run:" + RUN1, RAW, "job:airflow-risk#credit.prepare_features"]
        st, _, up = s.http("GET", "/lineage/upstream?ref=" + q("system:credit-scoring"), aud)
        t.ok(st == 200 and [n["ref"] for n in up["nodes"]] == want_up,
             "upstream of the system over the API: model, runs, features, jobs, raw data", up)
        t.ok(up == local_json(s, ["lineage", "upstream", "system:credit-scoring"]),
             "GET /lineage/upstream equals 'aims lineage upstream --json'")
        p = remote(s, aud, ["lineage", "downstream", "dataset:applications/2026-02.parquet", "--type", "system"])
        t.ok(p.returncode == 0 and p.stdout == "system:credit-scoring\n",
             "which deployed systems used the raw data: aims --server lineage downstream --type system", p.stdout + p.stderr)
        st, _, run = s.http("GET", "/run?id=" + RUN1, aud)
        t.ok(st == 200 and run["state"] == "COMPLETE" and run["events"] == 2 and run == local_json(s, ["lineage", "run", RUN1]),
             "GET /run?id= equals 'aims lineage run --json' (state COMPLETE from two events)", run)

        # ---- the CLI's stream ingest and MLflow import through the API ----
        path = os.path.join(s.dir, "pipeline.json")
        with open(path, "w") as f:
            json.dump(events, f)
        p = remote(s, svc, ["lineage", "ingest", path, "--json"])
        t.ok(p.returncode == 0 and json.loads(p.stdout) == {"events": 4, "stored": 0, "duplicates": 4, "runs": 0},
             "aims --server lineage ingest FILE: all four already known", p.stdout + p.stderr)
        mv = {"model_versions": [{"name": "credit-risk", "version": "8", "source": "mlflow-artifacts:/12/9f/model",
                                  "run_id": "9f8e7d6c5b4a", "tags": [{"key": "stage", "value": "candidate"}]}]}
        st, _, doc = s.http("POST", "/mlflow/import", svc, raw=json.dumps(mv), headers={"Content-Type": "application/json"})
        t.ok(st == 200 and doc == {"models": 1, "created": 1, "runs": 1}, "POST /mlflow/import: one model version",
             (st, doc))

        # ---- datasets: the CLI hashes, the API records ----
        csv = os.path.join(s.dir, "applications.csv")
        with open(csv, "w") as f:
            f.write("applicant_id,income\n1,2500\n2,3100\n")
        digest = "sha256:" + hashlib.sha256(open(csv, "rb").read()).hexdigest()
        p = remote(s, ml, ["dataset", "register", "applications@2026-02", "--file", csv, "--personal-data", "yes",
                           "--json"])
        ds = json.loads(p.stdout) if p.returncode == 0 else {}
        t.ok(ds.get("digest") == digest and ds.get("created") is True and ds.get("file") == "applications.csv",
             "aims --server dataset register: the digest computed by the CLI is recorded", p.stdout + p.stderr)
        p = remote(s, aud, ["dataset", "register", "applications@2026-03", "--file", csv])
        t.ok(p.returncode == 7 and "permission 'inventory.manage'" in p.stderr,
             "an auditor may not register (exit 7)", p.stderr)
        p = remote(s, aud, ["dataset", "verify", "applications@2026-02", "--file", csv])
        t.ok(p.returncode == 0 and p.stdout == "%s: ok (%s)\n" % (csv, digest), "verify over the API: ok",
             p.stdout + p.stderr)
        tampered = os.path.join(s.dir, "tampered.csv")
        with open(tampered, "w") as f:
            f.write("applicant_id,income\n1,2500\n2,3900\n")
        p = remote(s, aud, ["dataset", "verify", "applications@2026-02", "--file", tampered])
        t.ok(p.returncode == 4 and "'tampered.csv': sha256:" in p.stderr and "differs from " + digest in p.stderr,
             "one changed byte: exit 4 naming the file, over the API", p.stderr)
        p = remote(s, aud, ["dataset", "verify", "applications@2026-02", "--file", tampered, "--json"])
        doc = json.loads(p.stdout) if p.stdout else {}
        t.ok(p.returncode == 4 and doc.get("verified") is False and "differs" in doc.get("error", ""),
             "verify --json over the API: the document with verified false, exit 4", p.stdout + p.stderr)
        art = {"kind": "file", "files": [{"path": "x.csv", "digest": digest[:-1] + "g", "size": 3}]}
        st, _, doc = s.http("POST", "/dataset/verify", aud, {"ref": "applications@2026-02", "artifact": art})
        t.ok(st == 400 and doc.get("field") == "artifact.files[0].digest",
             "a malformed digest sent by hand: 400 naming artifact.files[0].digest", doc)
        art = {"kind": "file", "files": [{"path": "a.csv", "digest": digest, "size": 37}]}
        st, h, doc = s.http("POST", "/dataset/verify", aud, {"ref": "applications@2026-02", "artifact": art})
        t.ok(st == 200 and doc.get("verified") is True, "digests sent by hand verify", doc)
        st, h, doc = s.http("POST", "/dataset/verify", aud,
                            {"ref": "applications@2026-02", "artifact": dict(art, files=[dict(art["files"][0],
                                                                                               digest="sha256:" + "0" * 64)])})
        t.ok(st == 200 and doc.get("verified") is False and h.get("Aims-Outcome") == "tampered",
             "a different digest: 200 with Aims-Outcome: tampered", (st, h.get("Aims-Outcome"), doc))

        # ---- models: a directory ----
        mdir = os.path.join(s.dir, "model")
        os.makedirs(os.path.join(mdir, "weights"))
        for name, data in (("config.json", b"{}\n"), ("weights/part-0.bin", os.urandom(5000)), ("VERSION", b"v1\n")):
            with open(os.path.join(mdir, name), "wb") as f:
                f.write(data)
        p = remote(s, ml, ["model", "register", "fraud@1", "--dir", mdir, "--trained-on", "applications@2026-02",
                           "--framework", "scikit-learn 1.2", "--json"])
        m = json.loads(p.stdout) if p.returncode == 0 else {}
        t.ok(m.get("kind") == "dir" and [f["path"] for f in m.get("files", [])] ==
             ["VERSION", "config.json", "weights/part-0.bin"] and m.get("trained_on") == ["dataset:applications@2026-02"],
             "aims --server model register --dir: one digest per file", p.stdout + p.stderr)
        t.ok(m.get("digest") == local_json(s, ["model", "show", "fraud@1"])["digest"] and
             m.get("digest") == json.loads(local_bytes(s, ["model", "show", "fraud@1", "--in-toto"]))["predicate"]["manifest_digest"],
             "the manifest digest is the one of the in-toto statement")
        p = remote(s, aud, ["model", "verify", "fraud@1", "--dir", mdir])
        t.ok(p.returncode == 0 and p.stdout == "fraud@1: ok (%s, 3 files)\n" % m.get("digest"), "model verify: ok",
             p.stdout + p.stderr)
        with open(os.path.join(mdir, "extra.txt"), "w") as f:
            f.write("x")
        p = remote(s, aud, ["model", "verify", "fraud@1", "--dir", mdir])
        t.ok(p.returncode == 4 and "'extra.txt': not a file of model fraud@1" in p.stderr,
             "an extra file: exit 4 naming it", p.stderr)
        files = [dict(f) for f in m["files"]]
        st, _, doc = s.http("POST", "/model/verify", aud,
                            {"ref": "fraud@1", "artifact": {"kind": "dir", "files": files, "digest": "sha256:" + "1" * 64}})
        t.ok(st == 400 and doc.get("field") == "artifact.digest", "a manifest that is not the files': 400", doc)
        st, _, doc = s.http("POST", "/model/verify", aud,
                            {"ref": "fraud@1", "artifact": {"kind": "dir", "files": [dict(files[0], path="../etc/x")]}})
        t.ok(st == 400 and doc.get("field") == "artifact.files[0].path", "a path leaving the directory: 400", doc)
        st, _, doc = s.http("POST", "/model/verify", aud,
                            {"ref": "fraud@1", "artifact": {"kind": "dir", "files": list(reversed(files))}})
        t.ok(st == 200 and doc.get("verified") is True, "files in any order verify (put in path order)", doc)

        # ---- the same document from the CLI and the API, per object type ----
        same = [
            ("/dataset?ref=" + q("applications@2026-02"), ["dataset", "show", "applications@2026-02"]),
            ("/dataset?ref=" + q(FEAT), ["dataset", "show", FEAT]),
            ("/datasets", ["dataset", "list"]),
            ("/model?ref=" + q("fraud@1"), ["model", "show", "fraud@1"]),
            ("/models", ["model", "list"]),
            ("/run?id=" + RUN2, ["lineage", "run", RUN2]),
            ("/lineage/downstream?ref=" + q(RAW), ["lineage", "downstream", RAW]),
            ("/lineage/graph?ref=" + q("model:credit-risk@7") + "&direction=upstream",
             ["lineage", "graph", "model:credit-risk@7", "--direction", "upstream"]),
            ("/model/card?ref=" + q("fraud@1"), ["card", "model", "fraud@1"]),
            ("/dataset/card?ref=" + q("applications@2026-02"), ["card", "dataset", "applications@2026-02"]),
            ("/systems/credit-scoring/card", ["card", "system", "credit-scoring"]),
        ]
        for path, args in same:
            st, _, doc = s.http("GET", path, aud)
            t.ok(st == 200 and doc == local_json(s, args), "GET %s equals 'aims %s --json'" % (path, " ".join(args)),
                 json.dumps(doc)[:500])
        rendered = [
            ("/model?ref=" + q("fraud@1") + "&format=in-toto", ["model", "show", "fraud@1", "--in-toto"],
             "application/vnd.in-toto+json"),
            ("/lineage/graph?ref=" + q("system:credit-scoring") + "&format=svg",
             ["lineage", "graph", "system:credit-scoring", "--format", "svg"], "image/svg+xml"),
            ("/lineage/graph?ref=" + q("system:credit-scoring") + "&format=dot",
             ["lineage", "graph", "system:credit-scoring"], "text/vnd.graphviz"),
            ("/model/card?ref=" + q("fraud@1") + "&format=markdown", ["card", "model", "fraud@1"], "text/markdown"),
            ("/systems/credit-scoring/card?format=markdown", ["card", "system", "credit-scoring"], "text/markdown"),
        ]
        for path, args, ctype in rendered:
            st, got_type, body = raw_get(s, aud, path)
            t.ok(st == 200 and got_type.startswith(ctype) and body == local_bytes(s, args),
                 "GET %s (%s) is the bytes 'aims %s' prints" % (path, ctype, " ".join(args)), got_type)
        st, got_type, body = raw_get(s, aud, "/dataset/card?ref=" + q("applications@2026-02") + "&format=html")
        t.ok(st == 200 and got_type.startswith("text/html") and b"<h1>Datasheet: applications@2026-02</h1>" in body,
             "GET /dataset/card?format=html: the HTML datasheet", body[:300])
        st, _, doc = s.http("GET", "/lineage/upstream?ref=" + q("system:credit-scoring") + "&type=pipeline", aud)
        t.ok(st == 400 and doc.get("field") == "type", "an unknown node type: 400 naming type", doc)
        st, _, doc = s.http("GET", "/dataset?ref=nosuch@1", aud)
        t.ok(st == 404 and "nosuch@1" in doc.get("detail", ""), "an unknown dataset: 404", doc)
    finally:
        s.close()
    t.done()


main()
