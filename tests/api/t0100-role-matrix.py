#!/usr/bin/python3
"""Every operation x every role, over HTTP and over the command line, against
the permission table: a role without the operation's permission is refused
(HTTP 403 / exit 7, naming the permission), a role with it is never refused
by the permission check (the request may still fail for other reasons: the
dummy objects do not exist). The list of operations and the roles allowed
come from `aims help --operations`, which reads the library's tables; this
test decides allow/deny from them and checks what both front ends do."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aimstest import ROLES, Store, Tap, operations  # noqa: E402

DUMMY = {"string": "x", "text": "x", "int": 1, "number": 1, "date": "2030-01-01", "json": {}, "file": "x",
         "list": ["x"], "bool": True}


def http_request(op):
    path = op["path"]
    query, body = [], {}
    for f in op["fields"]:
        if f["path"]:
            path = path.replace("{%s}" % f["name"], "1" if f["name"] == "index" else "x")
        elif f["required"]:
            v = DUMMY[f["type"]]
            if op["method"] in ("GET", "DELETE") or op["stream"]:
                query.append("%s=%s" % (f["name"], v[0] if isinstance(v, list) else str(v).lower()
                                        if isinstance(v, bool) else v))
            else:
                body[f["name"]] = v
    if query:
        path += "?" + "&".join(query)
    return path, body


def cli_args(op, empty):
    args = op["cli"].split()
    # path fields are positional arguments, unless they are options (--system NAME of older commands)
    for f in op["fields"]:
        if (f["path"] and not f.get("option")) or f["arg"]:
            args.append(empty if f["type"] == "file" else "x")
    for f in op["fields"]:
        if f["required"] and not ((f["path"] and not f.get("option")) or f["arg"]) and f["cli"]:
            opt = "--" + f["name"].replace("_", "-")
            if f["type"] == "bool":
                args.append(opt)
            else:
                v = DUMMY[f["type"]]
                args += [opt, empty if f["type"] == "file" else str(v[0] if isinstance(v, list) else v)]
    if op["stream"]:
        args.append(empty)
    return args


def main():
    t = Tap()
    s = Store("role-matrix")
    try:
        for r in ROLES:
            s.account("u-" + r, [r])
        s.serve()
        empty = os.path.join(s.dir, "empty.txt")
        open(empty, "w").close()
        ops = operations()
        t.ok(len(ops) > 10, "the operation table lists %d operations" % len(ops))
        for op in ops:
            perm = op["permission"]
            needle = "permission '%s'" % perm
            path, body = http_request(op)
            for role in ROLES:
                allowed = role in op["roles"]
                tok = s.tokens["u-" + role]
                headers = {"If-Match": '"sha256:0"'} if op["update"] else {}
                if op["stream"]:
                    status, _, doc = s.http(op["method"], path, tok, raw=b"", headers=headers)
                else:
                    status, _, doc = s.http(op["method"], path, tok,
                                            body if op["method"] not in ("GET", "DELETE") else None, headers)
                detail = doc.get("detail", "") if isinstance(doc, dict) else str(doc)
                denied_by_table = status == 403 and needle in detail
                if allowed:
                    # a public operation (sign-in) may answer 401 for the dummy password; others never do
                    t.ok(not denied_by_table and (status != 401 or op["public"]),
                         "HTTP %s %s as %s: allowed (%d)" % (op["method"], op["path"], role, status), detail)
                else:
                    t.ok(denied_by_table, "HTTP %s %s as %s: refused, needs %s" % (op["method"], op["path"], role,
                                                                                  perm), "%d %s" % (status, detail))
                if not op["cli"]:
                    continue
                p = s.run(cli_args(op, empty), token=tok, stdin="")
                cli_denied = p.returncode == 7 and needle in p.stderr
                if allowed:
                    t.ok(not cli_denied, "aims %s as %s: allowed (exit %d)" % (op["cli"], role, p.returncode),
                         p.stderr)
                else:
                    t.ok(cli_denied, "aims %s as %s: exit 7, needs %s" % (op["cli"], role, perm),
                         "exit %d: %s" % (p.returncode, p.stderr))
    finally:
        s.close()
    t.done()


main()
