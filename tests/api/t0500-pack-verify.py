#!/usr/bin/python3
"""Verifying an evidence pack over the HTTP API (issue 19): POST
/api/v1/packs/verify with the pack as a tar file (the request body, or the
multipart/form-data part "pack"), the verifier keys in the query, answers
the document `aims pack verify --json` prints, for a pack that verifies and
for one that does not (200 with "Aims-Outcome: tampered" and "ok": false
naming the file, as the command line's exit 4); an auditor may, nothing is
written; what is not a tar file is refused (400, field "pack"), and nobody
unauthenticated may."""
import io
import json
import os
import subprocess
import sys
import tarfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aimstest import AIMS, Store, Tap  # noqa: E402


def cli_verify(s, path, vkey=None):
    args = [AIMS, "pack", "verify", path, "--json"] + (["--vkey", vkey] if vkey else [])
    p = subprocess.run(args, capture_output=True, text=True, env=s.env(), cwd=s.dir)
    return p.returncode, json.loads(p.stdout) if p.stdout.strip() else None


def flip(data, member):
    """the tar with one byte of `member`'s contents changed"""
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        off = tf.getmember(member).offset_data
    b = bytearray(data)
    b[off + 2] ^= 0x01
    return bytes(b)


def multipart(field, filename, data):
    boundary = "aims-test-boundary-7f3a"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
            "Content-Type: application/x-tar\r\n\r\n" % (boundary, field, filename)).encode() + data + \
        ("\r\n--%s--\r\n" % boundary).encode()
    return body, "multipart/form-data; boundary=" + boundary


def main():
    t = Tap()
    s = Store("pack-verify")
    try:
        key = os.path.join(s.dir, "ledger.key")
        subprocess.run([AIMS, "ledger", "keygen", "--name", "example.org/aims", "--out", key], check=True,
                       capture_output=True, env=s.env())
        setup = s.run(["ledger", "setup", "--key", key], check=True).stdout
        vkey = setup.strip().splitlines()[-1]
        other = os.path.join(s.dir, "other.key")
        out = subprocess.run([AIMS, "ledger", "keygen", "--name", "other.example/aims", "--out", other],
                             check=True, capture_output=True, text=True, env=s.env())
        other_vkey = (out.stdout + out.stderr).strip().splitlines()[-1]
        s.run(["system", "add", "credit-score", "--purpose", "score consumer credit applications"], check=True)
        s.account("aud", ["auditor"])
        tar = os.path.join(s.dir, "pack.tar")
        s.run(["pack", "--out", tar, "--tar"], check=True)
        data = open(tar, "rb").read()
        bad = flip(data, "records/organization.json")
        open(os.path.join(s.dir, "bad.tar"), "wb").write(bad)
        s.serve()
        q = "?vkey=" + urllib.parse.quote(vkey, safe="")
        hdr = {"Content-Type": "application/x-tar"}

        st0, _, cp0 = s.http("GET", "/ledger/checkpoint", s.tokens["aud"])
        rc, want = cli_verify(s, tar, vkey)
        st, h, doc = s.http("POST", "/packs/verify" + q, s.tokens["aud"], raw=data, headers=hdr)
        t.ok(rc == 0 and want["ok"] and want["own_key"] is False and want["entries"] > 0,
             "the command line verifies the pack with the trusted key", want)
        t.ok(st == 200 and doc == want and "Aims-Outcome" not in h,
             "an auditor's POST /packs/verify answers the command line's --json document", (st, h, doc, want))

        rc, want_own = cli_verify(s, tar)
        st, h, doc = s.http("POST", "/packs/verify", s.tokens["aud"], raw=data, headers=hdr)
        t.ok(st == 200 and doc == want_own and doc["own_key"] is True,
             "without vkey the pack's own vkey.txt is used, and the document says so", (st, doc, want_own))

        body, ctype = multipart("pack", "pack.tar", data)
        st, h, doc = s.http("POST", "/packs/verify" + q, s.tokens["aud"], raw=body,
                            headers={"Content-Type": ctype})
        t.ok(st == 200 and doc == want, "the pack as the multipart/form-data part 'pack' verifies the same", (st, doc))

        rc, want_bad = cli_verify(s, os.path.join(s.dir, "bad.tar"), vkey)
        st, h, doc = s.http("POST", "/packs/verify" + q, s.tokens["aud"], raw=bad, headers=hdr)
        t.ok(rc == 4 and want_bad["ok"] is False and "records/organization.json" in want_bad["error"],
             "the command line refuses a changed byte, naming the file (exit 4)", (rc, want_bad))
        t.ok(st == 200 and h.get("Aims-Outcome") == "tampered" and doc == want_bad,
             "the API: 200, Aims-Outcome: tampered, the same document naming the file", (st, h, doc))

        st, h, doc = s.http("POST", "/packs/verify?vkey=" + urllib.parse.quote(other_vkey, safe=""),
                            s.tokens["aud"], raw=data, headers=hdr)
        t.ok(st == 200 and h.get("Aims-Outcome") == "tampered" and doc["ok"] is False and
             doc["error"].startswith("manifest.sig"), "a key that did not sign the pack: not verified", (st, doc))

        st, _, doc = s.http("POST", "/packs/verify", s.tokens["aud"], raw=b"not a tar file", headers=hdr)
        t.ok(st == 400 and doc.get("field") == "pack" and "truncated archive" in doc.get("detail", ""),
             "what is not a tar file is refused (400, field pack)", (st, doc))
        st, _, doc = s.http("POST", "/packs/verify", s.tokens["aud"], raw=b"", headers=hdr)
        t.ok(st == 400 and doc.get("field") == "pack", "no pack: 400 naming the field", (st, doc))
        st, _, doc = s.http("POST", "/packs/verify" + q, None, raw=data, headers=hdr)
        t.ok(st == 401, "unauthenticated: 401", (st, doc))

        st1, _, cp1 = s.http("GET", "/ledger/checkpoint", s.tokens["aud"])
        t.ok(st0 == 200 and st1 == 200 and cp0 == cp1, "nothing was written: the same checkpoint", (cp0, cp1))
    finally:
        s.close()
    t.done()


if __name__ == "__main__":
    main()
