#!/usr/bin/python3
"""The OpenAPI document: served at /api/v1/openapi.json, equal to
`aims help --openapi`, valid under `redocly lint` (@redocly/cli from npm,
installed by scripts/deps.sh), with one path item per operation route and the
security schemes the server accepts."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aimstest import AIMS, Store, Tap, operations  # noqa: E402

ROOT = os.environ.get("AIMS_SRC") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def main():
    t = Tap()
    s = Store("openapi")
    try:
        s.serve()
        status, headers, served = s.http("GET", "/openapi.json")
        t.ok(status == 200 and isinstance(served, dict), "GET /api/v1/openapi.json without a token", status)
        local = json.loads(subprocess.run([AIMS, "help", "--openapi"], capture_output=True, text=True,
                                          check=True).stdout)
        t.ok(served == local, "the served document equals 'aims help --openapi'")
        ops = operations()
        routes = {(o["method"].lower(), o["path"]) for o in ops}
        documented = {(m, p) for p, item in served["paths"].items() for m in item}
        t.ok(routes == documented, "one path item per operation route (%d)" % len(routes),
             "missing: %s\nextra: %s" % (routes - documented, documented - routes))
        ids = [o["operationId"] for item in served["paths"].values() for o in item.values()]
        t.ok(sorted(ids) == sorted(o["name"] for o in ops), "operationIds are the operation names")
        t.ok(set(served["components"]["securitySchemes"]) == {"bearer", "session"}, "bearer and session schemes")
        path = os.path.join(s.dir, "openapi.json")
        with open(path, "w") as f:
            json.dump(served, f)
        redocly = os.path.join(ROOT, "node_modules", ".bin", "redocly")
        p = subprocess.run([redocly, "lint", "--format=stylish", path], capture_output=True, text=True, cwd=s.dir)
        t.ok(p.returncode == 0, "redocly lint: valid", p.stdout[-3000:] + p.stderr[-2000:])
    finally:
        s.close()
    t.done()


main()
