/*
 * libFuzzer harness for the RFC 9162 proof verifiers (include/aims/merkle.h).
 * The input chooses a tree (1 to 64 leaves), an index or old size, and
 * either a genuine proof that it then corrupts (bits flipped, hashes
 * dropped, inserted, swapped, sizes and index changed) or raw bytes taken
 * as proof hashes, roots and sizes up to 2^64 - 1. The verifiers must never
 * crash and must return 0 or AIMS_ETAMPERED with a message; whenever one
 * accepts, the in-harness reference (RFC 9162's recursive PATH / PROOF and
 * MTH over the same leaves) must say the proof is exactly the right one, or
 * the claim must be one the RFC algorithm cannot tell apart from it: the
 * root recomputed from the proof by the reference's own shape equals the
 * given root. Any broken promise calls abort(). Seeds: fuzz/corpus/merkle_verify/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/merkle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

typedef uint8_t hash_t[32];

typedef struct {
	const uint8_t *p;
	size_t n;
} input;

static uint8_t byte(input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static uint64_t u64(input *in)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | byte(in);
	return v;
}

static void take_hash(input *in, uint8_t out[32])
{
	for (int i = 0; i < 32; i++)
		out[i] = byte(in);
}

/* ---- a recursive reference from RFC 9162 2.1 ---- */

static uint64_t split(uint64_t n)
{
	uint64_t k = 1;
	while (k * 2 < n)
		k *= 2;
	return k;
}

static void mth(uint8_t out[32], const hash_t *d, uint64_t n)
{
	if (n == 1) {
		memcpy(out, d[0], 32);
		return;
	}
	uint64_t k = split(n);
	uint8_t l[32], r[32];
	mth(l, d, k);
	mth(r, d + k, n - k);
	CHECK(aims_merkle_node_hash(out, l, r) == 0);
}

static void path(hash_t *out, size_t *len, uint64_t m, const hash_t *d, uint64_t n)
{
	if (n == 1)
		return;
	uint64_t k = split(n);
	if (m < k) {
		path(out, len, m, d, k);
		mth(out[(*len)++], d + k, n - k);
	} else {
		path(out, len, m - k, d + k, n - k);
		mth(out[(*len)++], d, k);
	}
}

static void subproof(hash_t *out, size_t *len, uint64_t m, const hash_t *d, uint64_t n, int b)
{
	if (m == n) {
		if (!b)
			mth(out[(*len)++], d, n);
		return;
	}
	uint64_t k = split(n);
	if (m <= k) {
		subproof(out, len, m, d, k, b);
		mth(out[(*len)++], d + k, n - k);
	} else {
		subproof(out, len, m - k, d + k, n - k, 0);
		mth(out[(*len)++], d, k);
	}
}

/*
 * The root PATH's shape for (m, n) gives when fed `proof` and `leaf`: what
 * any correct verifier computes for the claim (m, n). -1 if the proof has
 * the wrong length for that shape.
 */
static int root_from_path(uint8_t out[32], uint64_t m, uint64_t n, const uint8_t leaf[32],
			  const hash_t *proof, size_t plen)
{
	int sides[64];
	size_t len = 0;
	uint64_t lo = 0, hi = n;
	while (hi - lo > 1) {  /* root down; sides[] then read from the leaf up */
		uint64_t k = split(hi - lo);
		CHECK(len < 64);
		if (m - lo < k) {
			sides[len++] = 0;
			hi = lo + k;
		} else {
			sides[len++] = 1;
			lo += k;
		}
	}
	if (len != plen)
		return -1;
	memcpy(out, leaf, 32);
	for (size_t i = 0; i < plen; i++) {
		int left = sides[len - 1 - i];
		CHECK(aims_merkle_node_hash(out, left ? proof[i] : out, left ? out : proof[i]) == 0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input in = { data, size };
	hash_t leaves[64], proof[AIMS_MERKLE_MAX_CONSISTENCY + 4], want[AIMS_MERKLE_MAX_CONSISTENCY];
	uint8_t root[32], old_root[32], leaf[32], true_root[32];
	size_t plen = 0, wlen = 0;
	uint64_t n, a, claim_n, claim_a;
	int mode = byte(&in), err;

	aims_error_clear();
	n = 1 + byte(&in) % 64;
	for (uint64_t i = 0; i < n; i++) {
		uint8_t e[2] = { (uint8_t)i, byte(&in) };
		CHECK(aims_merkle_leaf_hash(leaves[i], e, i % 3) == 0);
	}

	if (mode & 0x80) {
		/* raw: everything from the input */
		claim_a = u64(&in);
		claim_n = u64(&in);
		if (mode & 0x40) {
			claim_a %= 70;
			claim_n %= 70;
		}
		take_hash(&in, leaf);
		take_hash(&in, root);
		take_hash(&in, old_root);
		plen = byte(&in) % (AIMS_MERKLE_MAX_CONSISTENCY + 4);
		for (size_t i = 0; i < plen; i++)
			take_hash(&in, proof[i]);
		err = aims_merkle_verify_inclusion(claim_a, claim_n, leaf, (const uint8_t (*)[32])proof,
						   plen, root);
		CHECK(err == 0 || err == AIMS_ETAMPERED);
		CHECK(err == 0 || aims_error_last()[0]);
		err = aims_merkle_verify_consistency(claim_a, claim_n, old_root, root,
						     (const uint8_t (*)[32])proof, plen);
		CHECK(err == 0 || err == AIMS_ETAMPERED);
		CHECK(err == 0 || aims_error_last()[0]);
		return 0;
	}

	/* a genuine proof over the leaves, then corrupted as the input says */
	int consistency = mode & 1;
	a = consistency ? 1 + byte(&in) % n : byte(&in) % n;
	mth(root, leaves, n);
	memcpy(true_root, root, 32);
	if (consistency) {
		mth(old_root, leaves, a);
		subproof(want, &wlen, a, leaves, n, 1);
	} else {
		memcpy(leaf, leaves[a], 32);
		path(want, &wlen, a, leaves, n);
	}
	memcpy(proof, want, wlen * 32);
	plen = wlen;
	claim_a = a;
	claim_n = n;
	for (int ops = byte(&in) % 6; ops > 0; ops--) {
		uint8_t op = byte(&in), x = byte(&in);
		switch (op % 8) {
		case 0:
			if (plen)
				proof[x % plen][byte(&in) % 32] ^= (uint8_t)(1u << (x % 8));
			break;
		case 1:
			if (plen)
				plen--;
			break;
		case 2:
			if (plen < AIMS_MERKLE_MAX_CONSISTENCY + 4) {
				size_t at = plen ? x % (plen + 1) : 0;
				memmove(proof[at + 1], proof[at], (plen - at) * 32);
				take_hash(&in, proof[at]);
				plen++;
			}
			break;
		case 3:
			if (plen > 1) {
				hash_t t;
				size_t i = x % (plen - 1);
				memcpy(t, proof[i], 32);
				memcpy(proof[i], proof[i + 1], 32);
				memcpy(proof[i + 1], t, 32);
			}
			break;
		case 4: claim_a = claim_a + (x & 1 ? 1 : (uint64_t)-1); break;
		case 5: claim_n = x & 1 ? claim_n + 1 + x % 8 : claim_n - x % (claim_n + 1); break;
		case 6: root[x % 32] ^= 1; break;
		default: (consistency ? old_root : leaf)[x % 32] ^= 0x80; break;
		}
	}

	if (!consistency) {
		err = aims_merkle_verify_inclusion(claim_a, claim_n, leaf, (const uint8_t (*)[32])proof, plen,
						   root);
		CHECK(err == 0 || err == AIMS_ETAMPERED);
		if (err == 0) {
			/* accepted: the reference's shape for the claim gives the same root */
			uint8_t r[32];
			CHECK(claim_a < claim_n && claim_n < ((uint64_t)1 << 63));
			CHECK(root_from_path(r, claim_a, claim_n, leaf, (const hash_t *)proof, plen) == 0);
			CHECK(memcmp(r, root, 32) == 0);
			/* for the true claim, only the true proof of the true leaf and root */
			if (claim_a == a && claim_n == n)
				CHECK(plen == wlen && memcmp(proof, want, wlen * 32) == 0 &&
				      memcmp(leaf, leaves[a], 32) == 0 && memcmp(root, true_root, 32) == 0);
		} else {
			CHECK(aims_error_last()[0]);
		}
		/* the genuine proof is always accepted */
		mth(root, leaves, n);
		CHECK(aims_merkle_verify_inclusion(a, n, leaves[a], (const uint8_t (*)[32])want, wlen,
						   root) == 0);
	} else {
		err = aims_merkle_verify_consistency(claim_a, claim_n, old_root, root,
						     (const uint8_t (*)[32])proof, plen);
		CHECK(err == 0 || err == AIMS_ETAMPERED);
		if (err == 0) {
			CHECK(claim_a >= 1 && claim_a <= claim_n);
			/* the untouched tree and proof, or the same roots under a size of the same shape */
			if (claim_a == claim_n)
				CHECK(plen == 0 && memcmp(old_root, root, 32) == 0);
			if (claim_a == a && claim_n == n) {
				uint8_t r1[32];
				mth(r1, leaves, a);
				CHECK(plen == wlen && memcmp(proof, want, wlen * 32) == 0 &&
				      memcmp(old_root, r1, 32) == 0 && memcmp(root, true_root, 32) == 0);
			}
		} else {
			CHECK(aims_error_last()[0]);
		}
		uint8_t r2[32], r1[32];
		mth(r2, leaves, n);
		mth(r1, leaves, a);
		CHECK(aims_merkle_verify_consistency(a, n, r1, r2, (const uint8_t (*)[32])want, wlen) == 0);
	}
	return 0;
}
