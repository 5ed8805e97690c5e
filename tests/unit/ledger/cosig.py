#!/usr/bin/python3
"""An independent transcription of c2sp.org/tlog-cosignature (Ed25519,
cosignature/v1) and of the signed-note key format, for the tests: it makes
and checks cosignatures with Python's `cryptography` (Debian's
python3-cryptography), not with aims.

  cosig.py keygen NAME                 -> prints "SIGNER\\nVERIFIER" (type 0x04)
  cosig.py cosign SIGNERKEY TIME < NOTE -> the cosignature line
  cosig.py verify VERIFIERKEY < NOTE    -> prints the timestamp of the cosignature by
                                            that key, exit 1 if none verifies
"""
import base64
import hashlib
import os
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                                Ed25519PublicKey)
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

ALG = 0x04
DASH = "\u2014 "


def key_id(name, pub):
    return hashlib.sha256(name.encode() + b"\n" + bytes([ALG]) + pub).digest()[:4]


def raw_public(priv):
    return priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def split_note(note):
    i = note.rindex("\n\n")
    return note[: i + 1], note[i + 2:]


def main():
    cmd = sys.argv[1]
    if cmd == "keygen":
        name = sys.argv[2]
        seed = os.urandom(32)
        pub = raw_public(Ed25519PrivateKey.from_private_bytes(seed))
        kid = key_id(name, pub).hex()
        print("PRIVATE+KEY+%s+%s+%s" % (name, kid, base64.b64encode(bytes([ALG]) + seed).decode()))
        print("%s+%s+%s" % (name, kid, base64.b64encode(bytes([ALG]) + pub).decode()))
        return 0
    note = sys.stdin.buffer.read().decode()
    text, _ = split_note(note)
    if cmd == "cosign":
        _, _, name, kid, b64 = sys.argv[2].split("+", 4)
        raw = base64.b64decode(b64)
        assert raw[0] == ALG
        priv = Ed25519PrivateKey.from_private_bytes(raw[1:])
        assert key_id(name, raw_public(priv)).hex() == kid
        ts = int(sys.argv[3])
        msg = ("cosignature/v1\ntime %d\n" % ts + text).encode()
        sig = bytes.fromhex(kid) + struct.pack(">Q", ts) + priv.sign(msg)
        sys.stdout.write(DASH + name + " " + base64.b64encode(sig).decode() + "\n")
        return 0
    if cmd == "verify":
        name, kid, b64 = sys.argv[2].split("+", 2)
        raw = base64.b64decode(b64)
        assert raw[0] == ALG and key_id(name, raw[1:]).hex() == kid
        pub = Ed25519PublicKey.from_public_bytes(raw[1:])
        _, sigs = split_note(note)
        for line in sigs.splitlines():
            if not line.startswith(DASH):
                continue
            who, b = line[len(DASH):].split(" ")
            data = base64.b64decode(b)
            if who != name or data[:4].hex() != kid or len(data) != 4 + 8 + 64:
                continue
            ts = struct.unpack(">Q", data[4:12])[0]
            msg = ("cosignature/v1\ntime %d\n" % ts + text).encode()
            try:
                pub.verify(data[12:], msg)
            except InvalidSignature:
                return 1
            print(ts)
            return 0
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
