#!/usr/bin/python3
"""Reference Merkle tree of RFC 9162 section 2.1, written from the RFC text.

Independent of the C code: MTH, PATH, PROOF and SUBPROOF are the recursive
definitions of 2.1.1, 2.1.3.1 and 2.1.4.1 transcribed as they read, and the
verifiers are the algorithms of 2.1.3.2 and 2.1.4.2 step by step. Standard
library only. Used by tests/cli/t0600-merkle.sh.

  rfc9162.py root                            leaves (hex lines) on stdin -> root hex
  rfc9162.py inclusion --index I [--size N]  -> JSON as 'aims merkle inclusion'
  rfc9162.py consistency --old M [--size N]  -> JSON as 'aims merkle consistency'
  rfc9162.py verify-inclusion --index I --size N --leaf-hash H --root H --proof H,...
  rfc9162.py verify-consistency --old M --size N --old-root H --root H --proof H,...
                                             exit 0 valid, 4 invalid, 2 malformed
  rfc9162.py crosscheck AIMS [MAX [full]]    run AIMS on every size 1..MAX (default 64):
                                             roots, proofs for every index and old size up
                                             to size 24 and for the edges above, corrupted
                                             proofs for a sample of sizes (with "full":
                                             every index, old size and size, which takes
                                             minutes); exit 1 on any disagreement
"""
import hashlib
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def HASH(b):
    return hashlib.sha256(b).digest()


def largest_pow2_below(n):
    """k: the largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def MTH(D):
    """2.1.1: the Merkle Tree Hash of the list of entries D."""
    n = len(D)
    if n == 0:
        return HASH(b"")
    if n == 1:
        return HASH(b"\x00" + D[0])
    k = largest_pow2_below(n)
    return HASH(b"\x01" + MTH(D[0:k]) + MTH(D[k:n]))


def PATH(m, D):
    """2.1.3.1: the inclusion proof of entry m of D."""
    n = len(D)
    if n == 1 and m == 0:
        return []
    k = largest_pow2_below(n)
    if m < k:
        return PATH(m, D[0:k]) + [MTH(D[k:n])]
    return PATH(m - k, D[k:n]) + [MTH(D[0:k])]


def SUBPROOF(m, D, b):
    """2.1.4.1."""
    n = len(D)
    if m == n:
        return [] if b else [MTH(D)]
    k = largest_pow2_below(n)
    if m <= k:
        return SUBPROOF(m, D[0:k], b) + [MTH(D[k:n])]
    return SUBPROOF(m - k, D[k:n], False) + [MTH(D[0:k])]


def PROOF(m, D):
    """2.1.4.1: the consistency proof of the first m entries of D."""
    return SUBPROOF(m, D, True)


def verify_inclusion(leaf_index, tree_size, hash_, inclusion_path, root_hash):
    """2.1.3.2, step by step. Returns (ok, reason)."""
    # 1.
    if leaf_index >= tree_size:
        return False, "index not below size"
    # 2.
    fn, sn = leaf_index, tree_size - 1
    # 3.
    r = hash_
    # 4.
    for p in inclusion_path:
        # a.
        if sn == 0:
            return False, "proof too long"
        # b.
        if fn & 1 or fn == sn:
            r = HASH(b"\x01" + p + r)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            r = HASH(b"\x01" + r + p)
        # c.
        fn >>= 1
        sn >>= 1
    # 5.
    if sn != 0:
        return False, "proof too short"
    if r != root_hash:
        return False, "root mismatch"
    return True, "valid"


def verify_consistency(first, second, first_hash, second_hash, consistency_path):
    """2.1.4.2, step by step, with the edge cases aims documents: equal
    sizes need an empty proof and equal roots; first == 0 is rejected."""
    if first == 0:
        return False, "old size 0"
    if first > second:
        return False, "old size above size"
    if first == second:
        if consistency_path:
            return False, "equal sizes need an empty proof"
        return (first_hash == second_hash), "equal sizes"
    # 1.
    if not consistency_path:
        return False, "empty proof"
    path = list(consistency_path)
    # 2.
    if first & (first - 1) == 0:
        path.insert(0, first_hash)
    # 3.
    fn, sn = first - 1, second - 1
    # 4.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5.
    fr = sr = path[0]
    # 6.
    for c in path[1:]:
        # a.
        if sn == 0:
            return False, "proof too long"
        # b.
        if fn & 1 or fn == sn:
            fr = HASH(b"\x01" + c + fr)
            sr = HASH(b"\x01" + c + sr)
            if not fn & 1:
                while not (fn & 1 or fn == 0):
                    fn >>= 1
                    sn >>= 1
        else:
            sr = HASH(b"\x01" + sr + c)
        # c.
        fn >>= 1
        sn >>= 1
    # 7.
    if sn != 0:
        return False, "proof too short"
    if fr != first_hash:
        return False, "old root mismatch"
    if sr != second_hash:
        return False, "root mismatch"
    return True, "valid"


# ---- command line ----

class Usage(Exception):
    pass


def read_leaves(text):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    out = []
    for i, line in enumerate(lines, 1):
        if line.endswith("\r"):
            line = line[:-1]
        try:
            out.append(bytes.fromhex(line) if len(line) % 2 == 0 and " " not in line else None)
        except ValueError:
            out.append(None)
        if out[-1] is None:
            raise ValueError("line %d is not hex" % i)
    return out


def options(argv, names):
    opts = {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if not a.startswith("--") or a[2:] not in names or i + 1 >= len(argv):
            raise Usage("bad option %r" % a)
        opts[a[2:]] = argv[i + 1]
        i += 2
    return opts


def number(opts, name, required=True):
    v = opts.get(name)
    if v is None:
        if required:
            raise Usage("missing --" + name)
        return None
    if not v.isdigit() or not v.isascii():
        raise Usage("--%s is not a number" % name)
    return int(v)


def hash_arg(v):
    if len(v) != 64:
        raise Usage("not a hash: %r" % v)
    try:
        return bytes.fromhex(v)
    except ValueError:
        raise Usage("not a hash: %r" % v)


def proof_arg(v):
    return [] if v == "" else [hash_arg(x) for x in v.split(",")]


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, rest = argv[0], argv[1:]
    try:
        if cmd == "crosscheck":
            return crosscheck(rest[0], int(rest[1]) if len(rest) > 1 else 64,
                              len(rest) > 2 and rest[2] == "full")
        if cmd in ("root", "inclusion", "consistency"):
            try:
                D = read_leaves(sys.stdin.read())
            except ValueError as e:
                print("error: %s" % e, file=sys.stderr)
                return 3
            if cmd == "root":
                print(MTH(D).hex())
                return 0
            if cmd == "inclusion":
                o = options(rest, {"index", "size"})
                idx, size = number(o, "index"), number(o, "size", False)
            else:
                o = options(rest, {"old", "size"})
                old, size = number(o, "old"), number(o, "size", False)
            size = len(D) if size is None else size
            if size > len(D):
                return 3
            T = D[:size]
            if cmd == "inclusion":
                if idx >= size:
                    return 2
                doc = {"size": size, "index": idx, "leaf_hash": HASH(b"\x00" + T[idx]).hex(),
                       "root": MTH(T).hex(), "proof": [h.hex() for h in PATH(idx, T)]}
            else:
                if old == 0 or old > size:
                    return 2
                doc = {"old_size": old, "size": size, "old_root": MTH(T[:old]).hex(),
                       "root": MTH(T).hex(), "proof": [h.hex() for h in PROOF(old, T)]}
            print(json.dumps(doc, indent=2))
            return 0
        if cmd == "verify-inclusion":
            o = options(rest, {"index", "size", "leaf-hash", "root", "proof"})
            if "proof" not in o:
                raise Usage("missing --proof")
            ok, why = verify_inclusion(number(o, "index"), number(o, "size"),
                                       hash_arg(o.get("leaf-hash", "")), proof_arg(o["proof"]),
                                       hash_arg(o.get("root", "")))
        elif cmd == "verify-consistency":
            o = options(rest, {"old", "size", "old-root", "root", "proof"})
            if "proof" not in o:
                raise Usage("missing --proof")
            ok, why = verify_consistency(number(o, "old"), number(o, "size"),
                                         hash_arg(o.get("old-root", "")),
                                         hash_arg(o.get("root", "")), proof_arg(o["proof"]))
        else:
            raise Usage("unknown command " + cmd)
    except Usage as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    if not ok:
        print("invalid: %s" % why, file=sys.stderr)
    return 0 if ok else 4


# ---- crosscheck: aims against the definitions above ----

def test_leaves(n):
    """Entries of varied length, every fifth one empty."""
    return [bytes((i * 7 + j) & 255 for j in range(i % 5)) for i in range(n)]


def flip(h, byte=0, bit=3):
    return h[:byte] + bytes([h[byte] ^ (1 << bit)]) + h[byte + 1:]


def inclusion_cases(D, indices):
    """(index, size, leaf_hash, proof, root, expected): the valid proof of
    each index and its corrupted variants."""
    size = len(D)
    root = MTH(D)
    other = HASH(b"other")
    for idx in indices:
        leaf = HASH(b"\x00" + D[idx])
        proof = PATH(idx, D)
        yield idx, size, leaf, proof, root, True
        bad = [
            (idx, size, leaf, proof + [other], root),
            (idx, size, leaf, proof + [root], root),
            (idx, size, leaf, [other] + proof, root),
            (idx + 1, size, leaf, proof, root),
            (idx ^ 2, size, leaf, proof, root),
            (idx, size * 2, leaf, proof, root),
            (idx, size // 2, leaf, proof, root),
            (idx, size, flip(leaf), proof, root),
            (idx, size, other, proof, root),
            (idx, size, leaf, proof, flip(root, 31, 0)),
            (idx, size, leaf, proof, HASH(b"")),
            (size, size, leaf, proof, root),
        ]
        if proof:
            bad.append((idx, size, leaf, proof[:-1], root))
            bad.append((idx, size, leaf, [], root))
            if idx > 0:
                bad.append((idx - 1, size, leaf, proof, root))
        for i in range(len(proof)):
            bad.append((idx, size, leaf, proof[:i] + [flip(proof[i], i % 32, i % 8)] + proof[i + 1:],
                        root))
        if len(proof) > 1:
            bad.append((idx, size, leaf, [proof[1], proof[0]] + proof[2:], root))
        for b in bad:
            # the bad list may hold a valid case by accident (e.g. idx ^ 2 == idx
            # is impossible, but size // 2 may equal a real tree): the expected
            # verdict is what the definitions say, checked independently below
            yield b + (None,)


def consistency_cases(D, olds):
    size = len(D)
    root = MTH(D)
    other = HASH(b"other")
    for old in olds:
        old_root = MTH(D[:old])
        proof = PROOF(old, D)
        yield old, size, old_root, root, proof, True
        bad = [
            (old, size, old_root, root, proof + [other]),
            (old, size, old_root, root, [other] + proof),
            (old, size, old_root, root, proof + [root]),
            (old + 1, size, old_root, root, proof),
            (old - 1, size, old_root, root, proof),
            (old ^ 2, size, old_root, root, proof),
            (old, size * 2, old_root, root, proof),
            (old, size // 2, old_root, root, proof),
            (old, size, flip(old_root), root, proof),
            (old, size, old_root, flip(root, 31, 7), proof),
            (old, size, root, old_root, proof),
            (0, size, HASH(b""), root, proof),
            (0, size, HASH(b""), root, []),
            (size + 1, size, old_root, root, proof),
        ]
        if proof:
            bad.append((old, size, old_root, root, proof[:-1]))
            bad.append((old, size, old_root, root, []))
        for i in range(len(proof)):
            bad.append((old, size, old_root, root,
                        proof[:i] + [flip(proof[i], (i * 5) % 32, i % 8)] + proof[i + 1:]))
        if len(proof) > 1:
            bad.append((old, size, old_root, root, [proof[1], proof[0]] + proof[2:]))
        for b in bad:
            yield b + (None,)


def truth_inclusion(all_leaves, idx, size, leaf, proof, root):
    """Valid exactly when everything is what the definitions give."""
    if size == 0 or size > len(all_leaves) or idx >= size:
        return False
    T = all_leaves[:size]
    return (leaf == HASH(b"\x00" + T[idx]) and root == MTH(T) and proof == PATH(idx, T))


def truth_consistency(all_leaves, old, size, old_root, root, proof):
    if old == 0 or old > size or size > len(all_leaves):
        return False
    T = all_leaves[:size]
    return old_root == MTH(T[:old]) and root == MTH(T) and proof == PROOF(old, T)


def run(aims, args, stdin=None):
    p = subprocess.run([aims] + args, input=stdin, capture_output=True, text=True)
    return p.returncode, p.stdout


def crosscheck(aims, max_size, full=False):
    all_leaves = test_leaves(max_size + 1)
    text = "".join(e.hex() + "\n" for e in all_leaves[:max_size])
    jobs, failures = [], []

    def fail(msg):
        failures.append(msg)

    def check_root(size):
        rc, out = run(aims, ["merkle", "root"], "".join(e.hex() + "\n" for e in all_leaves[:size]))
        if rc != 0 or out.strip() != MTH(all_leaves[:size]).hex():
            fail("root of %d leaves: aims says %r (exit %d)" % (size, out.strip(), rc))

    def check_inclusion_json(idx, size):
        rc, out = run(aims, ["merkle", "inclusion", "--index", str(idx), "--size", str(size)], text)
        T = all_leaves[:size]
        want = {"size": size, "index": idx, "leaf_hash": HASH(b"\x00" + T[idx]).hex(),
                "root": MTH(T).hex(), "proof": [h.hex() for h in PATH(idx, T)]}
        if rc != 0 or json.loads(out) != want:
            fail("inclusion index %d size %d: exit %d, %s" % (idx, size, rc, out[:200]))

    def check_consistency_json(old, size):
        rc, out = run(aims, ["merkle", "consistency", "--old", str(old), "--size", str(size)], text)
        T = all_leaves[:size]
        want = {"old_size": old, "size": size, "old_root": MTH(T[:old]).hex(),
                "root": MTH(T).hex(), "proof": [h.hex() for h in PROOF(old, T)]}
        if rc != 0 or json.loads(out) != want:
            fail("consistency old %d size %d: exit %d, %s" % (old, size, rc, out[:200]))

    def hexes(proof):
        return ",".join(h.hex() for h in proof)

    def check_verify_inclusion(case):
        idx, size, leaf, proof, root, expected = case
        ok, why = verify_inclusion(idx, size, leaf, proof, root)
        truth = truth_inclusion(all_leaves, idx, size, leaf, proof, root)
        if ok != truth or (expected is not None and expected != ok):
            fail("python verifier says %s (%s), definitions say %s: inclusion %d/%d proof %d"
                 % (ok, why, truth, idx, size, len(proof)))
        rc, _ = run(aims, ["merkle", "verify-inclusion", "--index", str(idx), "--size", str(size),
                           "--leaf-hash", leaf.hex(), "--root", root.hex(), "--proof", hexes(proof)])
        if rc != (0 if ok else 4):
            fail("aims verify-inclusion exit %d, python says %s (%s): index %d size %d proof %d"
                 % (rc, ok, why, idx, size, len(proof)))

    def check_verify_consistency(case):
        old, size, old_root, root, proof, expected = case
        ok, why = verify_consistency(old, size, old_root, root, proof)
        truth = truth_consistency(all_leaves, old, size, old_root, root, proof)
        if ok != truth or (expected is not None and expected != ok):
            fail("python verifier says %s (%s), definitions say %s: consistency %d/%d proof %d"
                 % (ok, why, truth, old, size, len(proof)))
        rc, _ = run(aims, ["merkle", "verify-consistency", "--old", str(old), "--size", str(size),
                           "--old-root", old_root.hex(), "--root", root.hex(),
                           "--proof", hexes(proof)])
        if rc != (0 if ok else 4):
            fail("aims verify-consistency exit %d, python says %s (%s): old %d size %d proof %d"
                 % (rc, ok, why, old, size, len(proof)))

    counts = {"root": 0, "inclusion": 0, "consistency": 0, "verify-inclusion": 0,
              "verify-consistency": 0}
    with ThreadPoolExecutor(max_workers=4) as pool:
        for size in range(1, max_size + 1):
            T = all_leaves[:size]
            jobs.append(pool.submit(check_root, size))
            counts["root"] += 1
            if full or size <= 24:
                indices, olds = range(size), range(1, size + 1)
            else:
                indices = sorted({0, 1, size // 2, size - 2, size - 1})
                olds = sorted({1, 2, size // 2, size - 1, size})
            for idx in indices:
                jobs.append(pool.submit(check_inclusion_json, idx, size))
                counts["inclusion"] += 1
            for old in olds:
                jobs.append(pool.submit(check_consistency_json, old, size))
                counts["consistency"] += 1
            if full or size in (1, 2, 3, 5, 8, 13, 16, 33, 64):
                vi = indices if full else sorted({0, size // 3, size - 1})
                vo = olds if full else sorted({1, max(1, size // 3), size})
                for case in inclusion_cases(T, vi):
                    jobs.append(pool.submit(check_verify_inclusion, case))
                    counts["verify-inclusion"] += 1
                for case in consistency_cases(T, vo):
                    jobs.append(pool.submit(check_verify_consistency, case))
                    counts["verify-consistency"] += 1
        for j in jobs:
            j.result()
    for f in failures[:30]:
        print("mismatch: " + f)
    print("crosscheck: %s; %d mismatches" % (
        ", ".join("%d %s" % (v, k) for k, v in counts.items()), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
