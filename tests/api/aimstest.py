"""Helpers for the API tests: a store in a temporary folder, accounts with
API tokens, a real `aims serve` on 127.0.0.1 (an ephemeral port), HTTP
requests with urllib, and TAP output for prove. Only the Python standard
library is used (Debian's /usr/bin/python3).

Environment (set by the Makefile's api-test target): AIMS (the binary),
AIMS_SRC (the source tree), AIMS_TEST_TMP (where temporary folders go).
With AIMS_TEST_DB_URL_BASE (set by tests/pg-harness.sh) each Store is a
PostgreSQL database of its own, dropped on close(), instead of a SQLite file.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

AIMS = os.environ.get("AIMS") or os.path.join(os.path.dirname(__file__), "..", "..", "build", "aims")
AIMS = os.path.abspath(AIMS)
PG_BASE = os.environ.get("AIMS_TEST_DB_URL_BASE") or None
BACKEND = "postgres" if PG_BASE else "sqlite"
ROLES = ["admin", "compliance-manager", "risk-owner", "ml-engineer", "reviewer", "auditor", "service"]


class Tap:
    """Minimal TAP producer: ok/not ok lines, diagnostics, a plan at the end."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=None):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            for line in str(diag or "").splitlines()[:40]:
                print("#   " + line)
        sys.stdout.flush()
        return cond

    def skip(self, name, reason):
        """a TAP skip: the check is reported as not run, with the reason"""
        self.n += 1
        print("ok %d - %s # skip %s" % (self.n, name, reason))
        sys.stdout.flush()

    def done(self):
        print("1..%d" % self.n)
        sys.exit(1 if self.failed else 0)


class Store:
    """A fresh store in a temporary folder, with helpers to run aims on it."""

    def __init__(self, name):
        base = os.environ.get("AIMS_TEST_TMP") or tempfile.gettempdir()
        os.makedirs(base, exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix="aims-%s." % name, dir=base)
        self.pgdb = None
        if PG_BASE:
            self.pgdb = ("a_%s_%d_%s" % (name, os.getpid(), os.path.basename(self.dir).split(".")[-1])).lower()
            self.pgdb = "".join(c if c.isalnum() or c == "_" else "_" for c in self.pgdb)[:63]
            self.db = PG_BASE + self.pgdb
        else:
            self.db = os.path.join(self.dir, "aims.db")
        self.tokens = {}
        self.server = None
        self.servers = []
        self.port = None
        self.run(["init"], check=True)

    def env(self, token=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIMS_")}
        env["LC_ALL"] = "C"
        env["TZ"] = "UTC"
        if token:
            env["AIMS_TOKEN"] = token
        return env

    def run(self, args, token=None, stdin=None, check=False):
        p = subprocess.run([AIMS, "--db", self.db] + args, input=stdin, capture_output=True, text=True,
                           env=self.env(token), cwd=self.dir)
        if check and p.returncode != 0:
            raise RuntimeError("aims %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
        return p

    def account(self, name, roles):
        """Create an account with roles and an API token for it; returns the token."""
        args = ["user", "add", name, "--json"]
        for r in roles:
            args += ["--role", r]
        pw = json.loads(self.run(args, check=True).stdout)["initial_password"]
        if roles == ["service"]:
            out = self.run(["token", "create", "--user", name, "--json"], check=True).stdout
        else:
            out = self.run(["token", "create", "--user", name, "--password-stdin", "--json"], stdin=pw + "\n",
                           check=True).stdout
        tok = json.loads(out)["token"]
        self.tokens[name] = tok
        return tok

    def serve(self, *extra):
        """Start an `aims serve` on the store; another call starts one more (another node on the same
        store). self.port is the latest one's port; the port is also returned."""
        n = len(self.servers)
        suffix = "" if n == 0 else "-%d" % n
        port_file = os.path.join(self.dir, "port" + suffix)
        log_name = os.path.join(self.dir, "serve%s.log" % suffix)
        log = open(log_name, "w")
        server = subprocess.Popen([AIMS, "--db", self.db, "serve", "--listen", "127.0.0.1:0", "--port-file",
                                   port_file, "--access-log", os.path.join(self.dir, "access%s.log" % suffix)] +
                                  list(extra), stdout=log, stderr=log, env=self.env())
        self.servers.append(server)
        self.server = server
        for _ in range(200):
            if os.path.exists(port_file) and open(port_file).read().strip():
                self.port = int(open(port_file).read())
                return self.port
            if server.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("aims serve did not start: " + open(log_name).read())

    def http(self, method, path, token=None, body=None, headers=None, raw=None, port=None):
        """One request to /api/v1<path> (to the latest server, or the one on `port`); returns (status,
        headers, parsed JSON or text)."""
        url = "http://127.0.0.1:%d%s" % (port or self.port, path if path.startswith("/metrics") else "/api/v1" + path)
        data = None
        hdrs = dict(headers or {})
        if raw is not None:
            data = raw if isinstance(raw, bytes) else raw.encode()
            hdrs.setdefault("Content-Type", "application/x-ndjson")
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if token:
            hdrs["Authorization"] = "Bearer " + token
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, h, payload = r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            status, h, payload = e.code, dict(e.headers), e.read()
        ctype = h.get("Content-Type", "")
        if "json" in ctype and payload:
            return status, h, json.loads(payload)
        return status, h, payload.decode("utf-8", "replace")

    def close(self):
        for server in self.servers:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        if not os.environ.get("AIMS_TEST_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)
            if self.pgdb:
                subprocess.run(["psql", "-X", "-q", "-d", PG_BASE + "postgres", "-c",
                                'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.pgdb],
                               capture_output=True)
        else:
            print("# kept " + self.dir + (" and database " + self.pgdb if self.pgdb else ""))


def operations():
    out = subprocess.run([AIMS, "help", "--operations"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)["operations"]
