/*
 * Unit tests of the RFC 9162 Merkle tree (src/lib/ledger/merkle.c): the
 * Certificate Transparency reference vectors, agreement with a recursive
 * transcription of the RFC's definitions, rejection of every corrupted
 * proof, the tlog-tiles arithmetic and proofs from stored hashes in
 * O(log n) reads, the frontier, and every allocation failure.
 * tests/cli/t0600-merkle.sh cross-checks the command line against the
 * independent Python reference tests/unit/ledger/rfc9162.py.
 */
#include "helpers.h"
#include "core/core.h"

typedef uint8_t hash_t[32];

/* ---- an independent reference: RFC 9162 2.1 as recursive definitions ---- */

static void ref_node(uint8_t out[32], const uint8_t l[32], const uint8_t r[32])
{
	uint8_t buf[65];
	buf[0] = 1;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	assert_int_equal(aims__sha256_oneshot(out, buf, sizeof(buf)), 0);
}

static void ref_leaf(uint8_t out[32], const uint8_t *data, size_t len)
{
	uint8_t buf[64];
	assert_true(len < sizeof(buf));
	buf[0] = 0;
	memcpy(buf + 1, data, len);
	assert_int_equal(aims__sha256_oneshot(out, buf, len + 1), 0);
}

static uint64_t ref_k(uint64_t n)
{
	uint64_t k = 1;
	while (k * 2 < n)
		k *= 2;
	return k;
}

/* MTH over leaf hashes D[0:n] */
static void ref_mth(uint8_t out[32], const hash_t *d, uint64_t n)
{
	if (n == 0) {
		assert_int_equal(aims__sha256_oneshot(out, "", 0), 0);
	} else if (n == 1) {
		memcpy(out, d[0], 32);
	} else {
		uint64_t k = ref_k(n);
		uint8_t l[32], r[32];
		ref_mth(l, d, k);
		ref_mth(r, d + k, n - k);
		ref_node(out, l, r);
	}
}

/* PATH(m, D[n]) appended to out */
static void ref_path(hash_t *out, size_t *len, uint64_t m, const hash_t *d, uint64_t n)
{
	if (n == 1)
		return;
	uint64_t k = ref_k(n);
	if (m < k) {
		ref_path(out, len, m, d, k);
		ref_mth(out[(*len)++], d + k, n - k);
	} else {
		ref_path(out, len, m - k, d + k, n - k);
		ref_mth(out[(*len)++], d, k);
	}
}

static void ref_subproof(hash_t *out, size_t *len, uint64_t m, const hash_t *d, uint64_t n, int b)
{
	if (m == n) {
		if (!b)
			ref_mth(out[(*len)++], d, n);
		return;
	}
	uint64_t k = ref_k(n);
	if (m <= k) {
		ref_subproof(out, len, m, d, k, b);
		ref_mth(out[(*len)++], d + k, n - k);
	} else {
		ref_subproof(out, len, m - k, d + k, n - k, 0);
		ref_mth(out[(*len)++], d, k);
	}
}

/* ---- test data ---- */

static void unhex(uint8_t *out, const char *hex)
{
	for (size_t i = 0; hex[2 * i]; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static const char *const ct_leaves[] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f"
};

/* Certificate Transparency's reference roots (merkle_tree_test.cc, also in trillian) */
static const char *const ct_roots[] = {
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static void ct_leaf_hashes(hash_t out[8])
{
	for (int i = 0; i < 8; i++) {
		uint8_t data[16];
		size_t len = strlen(ct_leaves[i]) / 2;
		unhex(data, ct_leaves[i]);
		assert_aims_ok(aims_merkle_leaf_hash(out[i], data, len));
	}
}

/* leaf hashes of a deterministic tree of n distinct entries, the first one empty */
static hash_t *make_leaves(uint64_t n)
{
	hash_t *d = malloc((size_t)(n ? n : 1) * 32);
	assert_non_null(d);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t e[8];
		for (int j = 0; j < 8; j++)
			e[j] = (uint8_t)(i >> (8 * j));
		ref_leaf(d[i], e, i == 0 ? 0 : 8);
	}
	return d;
}

static void hex_of(char out[65], const uint8_t h[32])
{
	aims__hex(out, h, 32);
}

/* ---- (a) known vectors ---- */

static void test_empty_and_ct_roots(void **state)
{
	(void)state;
	hash_t d[8];
	uint8_t root[32];
	char hex[65];

	assert_aims_ok(aims_merkle_empty_root(root));
	hex_of(hex, root);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_aims_ok(aims_merkle_root(root, NULL, 0));
	hex_of(hex, root);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

	ct_leaf_hashes(d);
	aims_merkle_frontier *f = NULL;
	assert_aims_ok(aims_merkle_frontier_new(&f));
	assert_aims_ok(aims_merkle_frontier_root(root, f));
	hex_of(hex, root);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	for (size_t n = 1; n <= 8; n++) {
		assert_aims_ok(aims_merkle_root(root, (const uint8_t (*)[32])d, n));
		hex_of(hex, root);
		assert_string_equal(hex, ct_roots[n - 1]);

		uint8_t data[16], lh[32];
		unhex(data, ct_leaves[n - 1]);
		assert_aims_ok(aims_merkle_frontier_append_entry(f, lh, data, strlen(ct_leaves[n - 1]) / 2));
		assert_memory_equal(lh, d[n - 1], 32);
		assert_int_equal(aims_merkle_frontier_size(f), n);
		assert_aims_ok(aims_merkle_frontier_root(root, f));
		hex_of(hex, root);
		assert_string_equal(hex, ct_roots[n - 1]);
	}
	aims_merkle_frontier_free(f);
}

/* the published inclusion and consistency proofs of the same data set */
static const struct {
	uint64_t a, size;  /* index or old size */
	const char *proof[3];
	size_t len;
} ct_inclusion[] = {
	{ 0, 1, { NULL }, 0 },
	{ 0, 8, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
		  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" }, 3 },
	{ 5, 8, { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
		  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
		  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" }, 3 },
	{ 2, 3, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" }, 1 },
	{ 1, 5, { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" }, 3 },
}, ct_consistency[] = {
	{ 1, 1, { NULL }, 0 },
	{ 1, 8, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
		  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" }, 3 },
	{ 6, 8, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
		  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
		  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" }, 3 },
	{ 2, 5, { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" }, 2 },
	{ 6, 7, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
		  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
		  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" }, 3 },
};

static void test_ct_proofs(void **state)
{
	(void)state;
	hash_t d[8], want[3], root, old_root;
	uint8_t (*proof)[32] = NULL;
	size_t len = 0;

	ct_leaf_hashes(d);
	for (size_t t = 0; t < sizeof(ct_inclusion) / sizeof(ct_inclusion[0]); t++) {
		uint64_t idx = ct_inclusion[t].a, size = ct_inclusion[t].size;
		for (size_t i = 0; i < ct_inclusion[t].len; i++)
			unhex(want[i], ct_inclusion[t].proof[i]);
		assert_aims_ok(aims_merkle_inclusion_proof(&proof, &len, (const uint8_t (*)[32])d, size, idx));
		assert_int_equal(len, ct_inclusion[t].len);
		if (len)
			assert_memory_equal(proof, want, len * 32);
		unhex(root, ct_roots[size - 1]);
		assert_aims_ok(aims_merkle_verify_inclusion(idx, size, d[idx], (const uint8_t (*)[32])want,
							    len, root));
		aims_merkle_proof_free(proof);
		proof = NULL;
	}
	for (size_t t = 0; t < sizeof(ct_consistency) / sizeof(ct_consistency[0]); t++) {
		uint64_t old = ct_consistency[t].a, size = ct_consistency[t].size;
		for (size_t i = 0; i < ct_consistency[t].len; i++)
			unhex(want[i], ct_consistency[t].proof[i]);
		assert_aims_ok(aims_merkle_consistency_proof(&proof, &len, (const uint8_t (*)[32])d, size, old));
		assert_int_equal(len, ct_consistency[t].len);
		if (len)
			assert_memory_equal(proof, want, len * 32);
		unhex(root, ct_roots[size - 1]);
		unhex(old_root, ct_roots[old - 1]);
		assert_aims_ok(aims_merkle_verify_consistency(old, size, old_root, root,
							      (const uint8_t (*)[32])want, len));
		aims_merkle_proof_free(proof);
		proof = NULL;
	}
}

/* ---- (b) agreement with the recursive definitions ---- */

static void test_against_definitions(void **state)
{
	(void)state;
	enum { N = 70 };
	hash_t *d = make_leaves(N), ref[AIMS_MERKLE_MAX_CONSISTENCY], root, ref_root, old_root;
	uint8_t (*proof)[32] = NULL;
	size_t len, rlen;
	unsigned long checked = 0;

	for (uint64_t n = 0; n <= N; n++) {
		assert_aims_ok(aims_merkle_root(root, (const uint8_t (*)[32])d, n));
		ref_mth(ref_root, d, n);
		assert_memory_equal(root, ref_root, 32);
		for (uint64_t m = 0; m < n; m++) {
			assert_aims_ok(aims_merkle_inclusion_proof(&proof, &len, (const uint8_t (*)[32])d, n, m));
			rlen = 0;
			ref_path(ref, &rlen, m, d, n);
			assert_int_equal(len, rlen);
			if (len)
				assert_memory_equal(proof, ref, len * 32);
			assert_aims_ok(aims_merkle_verify_inclusion(m, n, d[m], (const uint8_t (*)[32])proof,
								    len, root));
			aims_merkle_proof_free(proof);
			proof = NULL;
			checked++;
		}
		for (uint64_t m = 1; m <= n; m++) {
			assert_aims_ok(aims_merkle_consistency_proof(&proof, &len, (const uint8_t (*)[32])d, n, m));
			rlen = 0;
			ref_subproof(ref, &rlen, m, d, n, 1);
			assert_int_equal(len, rlen);
			if (len)
				assert_memory_equal(proof, ref, len * 32);
			ref_mth(old_root, d, m);
			assert_aims_ok(aims_merkle_verify_consistency(m, n, old_root, root,
								      (const uint8_t (*)[32])proof, len));
			aims_merkle_proof_free(proof);
			proof = NULL;
			checked++;
		}
	}
	assert_int_equal(checked, 2 * (N * (N + 1) / 2));
	free(d);
}

/* ---- (c) every malformed proof is rejected ---- */

#define REJECT(call) do { \
	aims_error_clear(); \
	int rc_ = (call); \
	if (rc_ != AIMS_ETAMPERED) \
		fail_msg("%s accepted or failed with %d (line %d)", #call, rc_, __LINE__); \
	if (!aims_error_last()[0]) \
		fail_msg("no message for %s", #call); \
	rejected++; \
} while (0)

static unsigned long rejected;

/* the sides of PATH(m, D[n]) from the leaf up (1: the proof hash is on the left) */
static size_t ref_sides(int *sides, uint64_t m, uint64_t n)
{
	if (n == 1)
		return 0;
	uint64_t k = ref_k(n);
	size_t len = m < k ? ref_sides(sides, m, k) : ref_sides(sides, m - k, n - k);
	sides[len] = m >= k;
	return len + 1;
}

static int same_shape(uint64_t m, uint64_t n1, uint64_t n2)
{
	int a[64], b[64];
	size_t la = ref_sides(a, m, n1), lb = ref_sides(b, m, n2);
	return la == lb && memcmp(a, b, la * sizeof(int)) == 0;
}

static void test_inclusion_rejects(void **state)
{
	(void)state;
	enum { N = 40 };
	int err;
	hash_t *d = make_leaves(N + 1), bad[AIMS_MERKLE_MAX_INCLUSION + 2], root, other;
	uint8_t (*proof)[32] = NULL;
	size_t len;

	rejected = 0;
	assert_aims_ok(aims_merkle_leaf_hash(other, "other", 5));
	for (uint64_t n = 1; n <= N; n++) {
		assert_aims_ok(aims_merkle_root(root, (const uint8_t (*)[32])d, n));
		for (uint64_t m = 0; m < n; m++) {
			assert_aims_ok(aims_merkle_inclusion_proof(&proof, &len, (const uint8_t (*)[32])d, n, m));
			const uint8_t (*p)[32] = (const uint8_t (*)[32])proof;
			const uint8_t (*b)[32] = (const uint8_t (*)[32])bad;
			assert_aims_ok(aims_merkle_verify_inclusion(m, n, d[m], p, len, root));
			/* wrong length: one too long (garbage or the root), one too short, empty */
			if (len)
				memcpy(bad, proof, len * 32);
			memcpy(bad[len], other, 32);
			REJECT(aims_merkle_verify_inclusion(m, n, d[m], b, len + 1, root));
			memcpy(bad[len], root, 32);
			REJECT(aims_merkle_verify_inclusion(m, n, d[m], b, len + 1, root));
			memcpy(bad[0], other, 32);
			if (len)
				memcpy(bad + 1, proof, len * 32);
			REJECT(aims_merkle_verify_inclusion(m, n, d[m], b, len + 1, root));
			if (len) {
				REJECT(aims_merkle_verify_inclusion(m, n, d[m], p, len - 1, root));
				REJECT(aims_merkle_verify_inclusion(m, n, d[m], p, 0, root));
			}
			/* wrong index, wrong size, index >= size */
			if (m + 1 < n)
				REJECT(aims_merkle_verify_inclusion(m + 1, n, d[m], p, len, root));
			if (m > 0)
				REJECT(aims_merkle_verify_inclusion(m - 1, n, d[m], p, len, root));
			if ((m ^ 2) < n)
				REJECT(aims_merkle_verify_inclusion(m ^ 2, n, d[m], p, len, root));
			/*
			 * A size whose tree has the same shape on the path of leaf m
			 * (n = 3 and n = 4 for m = 0) combines the same hashes the same
			 * way, so RFC 9162 2.1.3.2 accepts the proof for it: the size is
			 * bound by the signed checkpoint, not by the proof. Accepted
			 * exactly when the definitions give the same shape.
			 */
			aims_error_clear();
			err = aims_merkle_verify_inclusion(m, n + 1, d[m], p, len, root);
			if ((err == 0) != same_shape(m, n, n + 1))
				fail_msg("inclusion %llu in %llu checked as size %llu: %d",
					 (unsigned long long)m, (unsigned long long)n,
					 (unsigned long long)n + 1, err);
			if (err)
				rejected++;
			REJECT(aims_merkle_verify_inclusion(m, n * 2, d[m], p, len, root));
			if (n / 2 != n)
				REJECT(aims_merkle_verify_inclusion(m, n / 2, d[m], p, len, root));
			REJECT(aims_merkle_verify_inclusion(n, n, d[m], p, len, root));
			REJECT(aims_merkle_verify_inclusion(m, 0, d[m], p, len, root));
			/* wrong leaf, wrong root */
			REJECT(aims_merkle_verify_inclusion(m, n, other, p, len, root));
			REJECT(aims_merkle_verify_inclusion(m, n, d[(m + 1) % (N + 1)], p, len, root));
			REJECT(aims_merkle_verify_inclusion(m, n, d[m], p, len, other));
			/* a flipped bit in each element, at several positions */
			for (size_t i = 0; i < len; i++)
				for (int bit = 0; bit < 256; bit += 85) {
					memcpy(bad, proof, len * 32);
					bad[i][bit / 8] ^= (uint8_t)(1u << (bit % 8));
					REJECT(aims_merkle_verify_inclusion(m, n, d[m], b, len, root));
				}
			/* swapped elements */
			for (size_t i = 0; i + 1 < len; i++) {
				memcpy(bad, proof, len * 32);
				memcpy(bad[i], proof[i + 1], 32);
				memcpy(bad[i + 1], proof[i], 32);
				if (memcmp(bad[i], bad[i + 1], 32) != 0)
					REJECT(aims_merkle_verify_inclusion(m, n, d[m], b, len, root));
			}
			aims_merkle_proof_free(proof);
			proof = NULL;
		}
	}
	/* the messages say why */
	assert_aims_error(aims_merkle_verify_inclusion(3, 3, d[0], NULL, 0, root), AIMS_ETAMPERED,
			  "not below the tree size");
	assert_aims_error(aims_merkle_verify_inclusion(0, 2, d[0], NULL, 0, root), AIMS_ETAMPERED,
			  "too short");
	assert_aims_error(aims_merkle_verify_inclusion(0, 1, d[0], (const uint8_t (*)[32])d, 1, root),
			  AIMS_ETAMPERED, "too long");
	assert_aims_error(aims_merkle_verify_inclusion(0, 1, d[0], NULL, 0, root), AIMS_ETAMPERED,
			  "not to the given root");
	print_message("# %lu corrupted inclusion proofs rejected\n", rejected);
	free(d);
}

static void test_consistency_rejects(void **state)
{
	(void)state;
	enum { N = 40 };
	hash_t *d = make_leaves(N + 1), bad[AIMS_MERKLE_MAX_CONSISTENCY + 2], root, old_root, other, empty;
	uint8_t (*proof)[32] = NULL;
	size_t len;

	rejected = 0;
	assert_aims_ok(aims_merkle_leaf_hash(other, "other", 5));
	assert_aims_ok(aims_merkle_empty_root(empty));
	for (uint64_t n = 1; n <= N; n++) {
		assert_aims_ok(aims_merkle_root(root, (const uint8_t (*)[32])d, n));
		for (uint64_t m = 1; m <= n; m++) {
			assert_aims_ok(aims_merkle_root(old_root, (const uint8_t (*)[32])d, m));
			assert_aims_ok(aims_merkle_consistency_proof(&proof, &len, (const uint8_t (*)[32])d, n, m));
			const uint8_t (*p)[32] = (const uint8_t (*)[32])proof;
			const uint8_t (*b)[32] = (const uint8_t (*)[32])bad;
			assert_aims_ok(aims_merkle_verify_consistency(m, n, old_root, root, p, len));
			assert_int_equal(len == 0, m == n);
			/* too long, too short, empty */
			if (len)
				memcpy(bad, proof, len * 32);
			memcpy(bad[len], other, 32);
			REJECT(aims_merkle_verify_consistency(m, n, old_root, root, b, len + 1));
			memcpy(bad[len], root, 32);
			REJECT(aims_merkle_verify_consistency(m, n, old_root, root, b, len + 1));
			memcpy(bad[len], old_root, 32);
			REJECT(aims_merkle_verify_consistency(m, n, old_root, root, b, len + 1));
			memcpy(bad[0], old_root, 32);
			if (len)
				memcpy(bad + 1, proof, len * 32);
			REJECT(aims_merkle_verify_consistency(m, n, old_root, root, b, len + 1));
			if (len) {
				REJECT(aims_merkle_verify_consistency(m, n, old_root, root, p, len - 1));
				REJECT(aims_merkle_verify_consistency(m, n, old_root, root, p, 0));
			}
			/* wrong sizes: old 0, old > size, off by one, doubled, halved */
			REJECT(aims_merkle_verify_consistency(0, n, empty, root, p, len));
			REJECT(aims_merkle_verify_consistency(0, n, empty, root, NULL, 0));
			REJECT(aims_merkle_verify_consistency(n + 1, n, old_root, root, p, len));
			if (m + 1 <= n)
				REJECT(aims_merkle_verify_consistency(m + 1, n, old_root, root, p, len));
			if (m > 1)
				REJECT(aims_merkle_verify_consistency(m - 1, n, old_root, root, p, len));
			if ((m ^ 2) != 0 && (m ^ 2) <= n)
				REJECT(aims_merkle_verify_consistency(m ^ 2, n, old_root, root, p, len));
			REJECT(aims_merkle_verify_consistency(m, n * 2, old_root, root, p, len));
			if (n / 2 >= m && n / 2 != n)
				REJECT(aims_merkle_verify_consistency(m, n / 2, old_root, root, p, len));
			/* wrong roots */
			REJECT(aims_merkle_verify_consistency(m, n, other, root, p, len));
			REJECT(aims_merkle_verify_consistency(m, n, old_root, other, p, len));
			if (memcmp(old_root, root, 32) != 0)
				REJECT(aims_merkle_verify_consistency(m, n, root, old_root, p, len));
			/* flipped bits, swapped elements */
			for (size_t i = 0; i < len; i++)
				for (int bit = 0; bit < 256; bit += 85) {
					memcpy(bad, proof, len * 32);
					bad[i][bit / 8] ^= (uint8_t)(1u << (bit % 8));
					REJECT(aims_merkle_verify_consistency(m, n, old_root, root, b, len));
				}
			for (size_t i = 0; i + 1 < len; i++) {
				memcpy(bad, proof, len * 32);
				memcpy(bad[i], proof[i + 1], 32);
				memcpy(bad[i + 1], proof[i], 32);
				if (memcmp(bad[i], bad[i + 1], 32) != 0)
					REJECT(aims_merkle_verify_consistency(m, n, old_root, root, b, len));
			}
			aims_merkle_proof_free(proof);
			proof = NULL;
		}
	}
	assert_aims_error(aims_merkle_verify_consistency(0, 0, empty, empty, NULL, 0), AIMS_ETAMPERED,
			  "old size 0");
	assert_aims_error(aims_merkle_verify_consistency(3, 2, root, root, NULL, 0), AIMS_ETAMPERED,
			  "larger than the size");
	assert_aims_error(aims_merkle_verify_consistency(2, 2, root, other, NULL, 0), AIMS_ETAMPERED,
			  "roots differ");
	assert_aims_error(aims_merkle_verify_consistency(2, 2, root, root, (const uint8_t (*)[32])d, 1),
			  AIMS_ETAMPERED, "must be empty");
	assert_aims_ok(aims_merkle_verify_consistency(2, 2, root, root, NULL, 0));
	assert_aims_error(aims_merkle_verify_consistency(1, 2, root, root, NULL, 0), AIMS_ETAMPERED,
			  "too short");
	/* generation refuses what RFC 9162 does not define */
	uint8_t (*pr)[32] = (uint8_t (*)[32])1;
	assert_aims_error(aims_merkle_consistency_proof(&pr, &len, (const uint8_t (*)[32])d, 4, 0),
			  AIMS_EINVALID, "0 < old size");
	assert_null(pr);
	assert_aims_error(aims_merkle_consistency_proof(&pr, &len, (const uint8_t (*)[32])d, 4, 5),
			  AIMS_EINVALID, "old size 5");
	assert_aims_error(aims_merkle_inclusion_proof(&pr, &len, (const uint8_t (*)[32])d, 4, 4),
			  AIMS_EINVALID, "not in a tree of size 4");
	print_message("# %lu corrupted consistency proofs rejected\n", rejected);
	free(d);
}

/* ---- (d) tiles and stored hashes ---- */

/* stored hashes of every level, computed from the leaves */
typedef struct {
	hash_t *level[64];
	uint64_t count[64];
	int levels;
	unsigned long reads;
	uint64_t size;  /* the tree the reader serves: hashes beyond it do not exist */
} store;

static void store_build(store *s, const hash_t *leaves, uint64_t n)
{
	memset(s, 0, sizeof(*s));
	s->level[0] = malloc((size_t)n * 32);
	assert_non_null(s->level[0]);
	memcpy(s->level[0], leaves, (size_t)n * 32);
	s->count[0] = n;
	s->levels = 1;
	while (s->count[s->levels - 1] >= 2) {
		int k = s->levels;
		s->count[k] = s->count[k - 1] / 2;
		s->level[k] = malloc((size_t)s->count[k] * 32);
		assert_non_null(s->level[k]);
		for (uint64_t i = 0; i < s->count[k]; i++)
			ref_node(s->level[k][i], s->level[k - 1][2 * i], s->level[k - 1][2 * i + 1]);
		s->levels++;
	}
}

static void store_free(store *s)
{
	for (int k = 0; k < s->levels; k++)
		free(s->level[k]);
}

static int store_read(uint8_t out[32], unsigned level, uint64_t index, void *arg)
{
	store *s = arg;
	s->reads++;
	/* a complete subtree inside the tree being proven, nothing else */
	if ((int)level >= s->levels || index >= s->count[level] ||
	    ((index + 1) << level) > s->size)
		fail_msg("read of a hash that is not stored: level %u index %llu (size %llu)", level,
			 (unsigned long long)index, (unsigned long long)s->size);
	memcpy(out, s->level[level][index], 32);
	return 0;
}

/*
 * The same hashes served the tlog-tiles way: fetch the tile of least width
 * holding (level, index) as the log would serve it for the tree size, then
 * compute the hash from the tile's bytes.
 */
static int tile_read(uint8_t out[32], unsigned level, uint64_t index, void *arg)
{
	store *s = arg;
	aims_merkle_tile t;
	uint8_t buf[AIMS_MERKLE_TILE_WIDTH * 32];
	int err;

	s->reads++;
	if ((err = aims_merkle_tile_for_hash(&t, level, index)) < 0)
		return err;
	unsigned have = aims_merkle_tile_width(s->size, t.level, t.index);
	if (have < t.width)
		fail_msg("tile %u/%llu of width %u is not in the tree of size %llu", t.level,
			 (unsigned long long)t.index, t.width, (unsigned long long)s->size);
	t.width = have;  /* the widest the log serves for this size */
	unsigned lv = t.level * AIMS_MERKLE_TILE_HEIGHT;
	for (unsigned i = 0; i < t.width; i++)
		memcpy(buf + 32 * i, s->level[lv][t.index * AIMS_MERKLE_TILE_WIDTH + i], 32);
	return aims_merkle_tile_hash(out, &t, buf, (size_t)t.width * 32, level, index);
}

static unsigned log2_ceil(uint64_t n)
{
	unsigned l = 0;
	while (((uint64_t)1 << l) < n)
		l++;
	return l;
}

static void check_stored_proofs(store *s, const hash_t *leaves, uint64_t n, uint64_t a,
				aims_merkle_hash_reader read)
{
	uint8_t (*p1)[32] = NULL, (*p2)[32] = NULL, r1[32], r2[32];
	size_t l1, l2;
	unsigned long bound = 2 * log2_ceil(n) + 8;

	s->size = n;
	s->reads = 0;
	assert_aims_ok(aims_merkle_stored_root(r1, n, read, s));
	assert_true(s->reads <= 64);
	assert_aims_ok(aims_merkle_root(r2, (const uint8_t (*)[32])leaves, n));
	assert_memory_equal(r1, r2, 32);

	uint64_t idx = a % n;
	s->reads = 0;
	assert_aims_ok(aims_merkle_stored_inclusion_proof(&p1, &l1, idx, n, read, s));
	if (s->reads > bound)
		fail_msg("inclusion %llu/%llu: %lu reads", (unsigned long long)idx, (unsigned long long)n,
			 s->reads);
	assert_aims_ok(aims_merkle_inclusion_proof(&p2, &l2, (const uint8_t (*)[32])leaves, n, idx));
	assert_int_equal(l1, l2);
	if (l1)
		assert_memory_equal(p1, p2, l1 * 32);
	assert_aims_ok(aims_merkle_verify_inclusion(idx, n, leaves[idx], (const uint8_t (*)[32])p1, l1, r1));
	aims_merkle_proof_free(p1);
	aims_merkle_proof_free(p2);

	uint64_t old = 1 + a % n;
	s->reads = 0;
	assert_aims_ok(aims_merkle_stored_consistency_proof(&p1, &l1, old, n, read, s));
	if (s->reads > bound)
		fail_msg("consistency %llu/%llu: %lu reads", (unsigned long long)old, (unsigned long long)n,
			 s->reads);
	assert_aims_ok(aims_merkle_consistency_proof(&p2, &l2, (const uint8_t (*)[32])leaves, n, old));
	assert_int_equal(l1, l2);
	if (l1)
		assert_memory_equal(p1, p2, l1 * 32);
	assert_aims_ok(aims_merkle_root(r2, (const uint8_t (*)[32])leaves, old));
	assert_aims_ok(aims_merkle_verify_consistency(old, n, r2, r1, (const uint8_t (*)[32])p1, l1));
	aims_merkle_proof_free(p1);
	aims_merkle_proof_free(p2);
}

static void test_stored_proofs(void **state)
{
	(void)state;
	enum { MAX = 70000 };
	hash_t *d = make_leaves(MAX);
	store s;
	unsigned long proofs = 0;
	uint64_t seed = 12345;

	store_build(&s, d, MAX);
	/* every size up to 600 with a few positions, then a sample up to 2000 */
	for (uint64_t n = 1; n <= 2000; n += n < 600 ? 1 : 7) {
		for (int j = 0; j < 3; j++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			uint64_t a = j == 0 ? 0 : j == 1 ? n - 1 : seed >> 33;
			check_stored_proofs(&s, d, n, a, store_read);
			check_stored_proofs(&s, d, n, a, tile_read);
			proofs += 4;
		}
	}
	/* around the tile boundaries: 256 = one level-0 tile, 65536 = one level-1 tile */
	static const uint64_t sizes[] = { 255, 256, 257, 511, 512, 513, 65535, 65536, 65537,
					  65536 + 256, 65536 + 257, 70000 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t n = sizes[i];
		static const uint64_t at[] = { 0, 1, 255, 256, 257, 65535, 65536, 65537 };
		for (size_t j = 0; j < sizeof(at) / sizeof(at[0]); j++) {
			check_stored_proofs(&s, d, n, at[j] < n ? at[j] : n - 1, store_read);
			check_stored_proofs(&s, d, n, at[j] < n ? at[j] : n - 1, tile_read);
			proofs += 4;
		}
	}
	print_message("# %lu stored-hash proofs equal the in-memory ones\n", proofs);
	store_free(&s);
	free(d);
}

static void test_frontier(void **state)
{
	(void)state;
	enum { N = 3000 };
	hash_t *d = make_leaves(N);
	store s;
	aims_merkle_frontier *f = NULL, *g = NULL;
	uint8_t r1[32], r2[32];
	const uint8_t (*done)[32];

	store_build(&s, d, N);
	assert_aims_ok(aims_merkle_frontier_new(&f));
	assert_aims_ok(aims_merkle_frontier_new(&g));
	assert_int_equal(aims_merkle_frontier_completed(f, &done), 0);
	for (uint64_t n = 1; n <= N; n++) {
		assert_aims_ok(aims_merkle_frontier_append(f, d[n - 1]));
		/* the stored hashes this leaf completed: level k, index (n >> k) - 1 */
		size_t c = aims_merkle_frontier_completed(f, &done);
		size_t want = 1;
		while (!(n & ((uint64_t)1 << (want - 1))))
			want++;
		assert_int_equal(c, want);
		for (size_t k = 0; k < c; k++)
			assert_memory_equal(done[k], s.level[k][(n >> k) - 1], 32);
		if (n < 300 || n % 97 == 0) {
			assert_aims_ok(aims_merkle_frontier_root(r1, f));
			ref_mth(r2, d, n);
			assert_memory_equal(r1, r2, 32);
			s.size = n;
			assert_aims_ok(aims_merkle_frontier_load(g, n, store_read, &s));
			assert_int_equal(aims_merkle_frontier_size(g), n);
			assert_aims_ok(aims_merkle_frontier_root(r2, g));
			assert_memory_equal(r1, r2, 32);
		}
	}
	/* a loaded frontier grows like the original */
	s.size = 1000;
	assert_aims_ok(aims_merkle_frontier_load(g, 1000, store_read, &s));
	for (uint64_t n = 1000; n < N; n++)
		assert_aims_ok(aims_merkle_frontier_append(g, d[n]));
	assert_aims_ok(aims_merkle_frontier_root(r1, f));
	assert_aims_ok(aims_merkle_frontier_root(r2, g));
	assert_memory_equal(r1, r2, 32);
	aims_merkle_frontier_reset(g);
	assert_int_equal(aims_merkle_frontier_size(g), 0);
	assert_aims_ok(aims_merkle_frontier_root(r2, g));
	assert_aims_ok(aims_merkle_empty_root(r1));
	assert_memory_equal(r1, r2, 32);
	aims_merkle_frontier_free(f);
	aims_merkle_frontier_free(g);
	aims_merkle_frontier_free(NULL);
	store_free(&s);
	free(d);
}

static void test_tile_math(void **state)
{
	(void)state;
	aims_merkle_tile t;
	char path[AIMS_MERKLE_TILE_PATH_MAX];
	int entries;

	/* c2sp.org/tlog-tiles: index 1234067 is x001/x234/067 */
	t = (aims_merkle_tile){ 0, 1234067, 256 };
	assert_aims_ok(aims_merkle_tile_path(path, sizeof(path), &t));
	assert_string_equal(path, "tile/0/x001/x234/067");
	t = (aims_merkle_tile){ 2, 1234067, 8 };
	assert_aims_ok(aims_merkle_tile_path(path, sizeof(path), &t));
	assert_string_equal(path, "tile/2/x001/x234/067.p/8");
	t = (aims_merkle_tile){ 1, 0, 1 };
	assert_aims_ok(aims_merkle_tile_path(path, sizeof(path), &t));
	assert_string_equal(path, "tile/1/000.p/1");
	t = (aims_merkle_tile){ 0, 1000, 256 };
	assert_aims_ok(aims_merkle_tile_path(path, sizeof(path), &t));
	assert_string_equal(path, "tile/0/x001/000");
	assert_aims_ok(aims_merkle_entries_path(path, sizeof(path), 1234067, 8));
	assert_string_equal(path, "tile/entries/x001/x234/067.p/8");
	assert_aims_ok(aims_merkle_entries_path(path, sizeof(path), UINT64_MAX, 256));
	assert_string_equal(path, "tile/entries/x018/x446/x744/x073/x709/x551/615");
	assert_aims_error(aims_merkle_entries_path(path, 10, 5, 256), AIMS_EUSAGE, "too small");
	assert_aims_error(aims_merkle_entries_path(path, sizeof(path), 5, 0), AIMS_EINVALID, "width");
	t = (aims_merkle_tile){ 64, 0, 256 };
	assert_aims_error(aims_merkle_tile_path(path, sizeof(path), &t), AIMS_EINVALID, "level");

	/* parse: canonical forms round-trip, everything else is refused */
	static const char *const good[] = { "tile/0/000", "tile/0/x001/x234/067", "tile/63/999.p/255",
		"tile/5/x001/000.p/1", "tile/entries/x001/x234/067.p/8", "tile/entries/000",
		"tile/entries/x018/x446/x744/x073/x709/x551/615" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_aims_ok(aims_merkle_tile_parse(&t, &entries, good[i]));
		if (entries)
			assert_aims_ok(aims_merkle_entries_path(path, sizeof(path), t.index, t.width));
		else
			assert_aims_ok(aims_merkle_tile_path(path, sizeof(path), &t));
		assert_string_equal(path, good[i]);
		assert_int_equal(entries, strncmp(good[i], "tile/entries/", 13) == 0);
	}
	static const char *const bad[] = { "", "tile/", "tile/0/", "tile/0/1", "tile/0/0001", "tile/00/000",
		"tile/64/000", "tile/0/x000/001", "tile/0/001/002", "tile/0/x001", "tile/0/x01/000",
		"tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/08", "tile/0/000.p/", "tile/0/000/",
		"tile/0/000.p/8/", "tile/-1/000", "tile/entries/x000/000", "tile/entries/", "tile/ 0/000",
		"tile/0/x018/x446/x744/x073/x709/x551/616", "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
		"/tile/0/000", "tile/0/00a", "tile/1/000.q/8" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_aims_error(aims_merkle_tile_parse(&t, &entries, bad[i]), AIMS_EINVALID,
				  "is not a tile path");

	/* the C2SP example: a tree of 70,000 leaves */
	assert_int_equal(aims_merkle_tile_width(70000, 0, 272), 256);
	assert_int_equal(aims_merkle_tile_width(70000, 0, 273), 112);
	assert_int_equal(aims_merkle_tile_width(70000, 0, 274), 0);
	assert_int_equal(aims_merkle_tile_width(70000, 1, 0), 256);
	assert_int_equal(aims_merkle_tile_width(70000, 1, 1), 17);
	assert_int_equal(aims_merkle_tile_width(70000, 2, 0), 1);
	assert_int_equal(aims_merkle_tile_width(70000, 2, 1), 0);
	assert_int_equal(aims_merkle_tile_width(70000, 3, 0), 0);
	/* and 256: one full level-0 tile and a level-1 tile of width 1 */
	assert_int_equal(aims_merkle_tile_width(256, 0, 0), 256);
	assert_int_equal(aims_merkle_tile_width(256, 0, 1), 0);
	assert_int_equal(aims_merkle_tile_width(256, 1, 0), 1);
	assert_int_equal(aims_merkle_tile_width(UINT64_MAX, 7, 0), 255);
	assert_int_equal(aims_merkle_tile_width(UINT64_MAX, 8, 0), 0);

	/* which tile holds a hash */
	assert_aims_ok(aims_merkle_tile_for_hash(&t, 0, 0));
	assert_true(t.level == 0 && t.index == 0 && t.width == 1);
	assert_aims_ok(aims_merkle_tile_for_hash(&t, 0, 1234));
	assert_true(t.level == 0 && t.index == 4 && t.width == 1234 % 256 + 1);
	assert_aims_ok(aims_merkle_tile_for_hash(&t, 3, 5));  /* level-0 hashes 40..47 */
	assert_true(t.level == 0 && t.index == 0 && t.width == 48);
	assert_aims_ok(aims_merkle_tile_for_hash(&t, 7, 1));  /* the second half of tile 0 */
	assert_true(t.level == 0 && t.index == 0 && t.width == 256);
	assert_aims_ok(aims_merkle_tile_for_hash(&t, 8, 0));  /* the root of tile 0: level-1 tile */
	assert_true(t.level == 1 && t.index == 0 && t.width == 1);
	assert_aims_ok(aims_merkle_tile_for_hash(&t, 9, 300));  /* level-8 hashes 600, 601 */
	assert_true(t.level == 1 && t.index == 2 && t.width == 601 - 512 + 1);
	assert_aims_ok(aims_merkle_tile_for_hash(&t, 63, 1));
	assert_true(t.level == 7 && t.index == 0 && t.width == 256);
	assert_aims_error(aims_merkle_tile_for_hash(&t, 63, 2), AIMS_EINVALID, "no stored hash");
	assert_aims_error(aims_merkle_tile_for_hash(&t, 64, 0), AIMS_EINVALID, "no stored hash");

	/* a tile too narrow for the hash, or of the wrong size */
	uint8_t buf[48 * 32] = { 0 }, out[32];
	t = (aims_merkle_tile){ 0, 0, 47 };
	assert_aims_error(aims_merkle_tile_hash(out, &t, buf, 47 * 32, 3, 5), AIMS_EINVALID,
			  "does not hold");
	t.width = 48;
	assert_aims_error(aims_merkle_tile_hash(out, &t, buf, 47 * 32, 3, 5), AIMS_EINVALID, "bytes");
	assert_aims_ok(aims_merkle_tile_hash(out, &t, buf, 48 * 32, 3, 5));
	t.index = 1;
	assert_aims_error(aims_merkle_tile_hash(out, &t, buf, 48 * 32, 3, 5), AIMS_EINVALID,
			  "does not hold");
}

static void test_node_hash_alias(void **state)
{
	(void)state;
	uint8_t a[32], b[32], want[32];
	assert_aims_ok(aims_merkle_leaf_hash(a, "a", 1));
	assert_aims_ok(aims_merkle_leaf_hash(b, "b", 1));
	ref_node(want, a, b);
	assert_aims_ok(aims_merkle_node_hash(a, a, b));
	assert_memory_equal(a, want, 32);
}

/* ---- (e) allocation failures ---- */

static int failing_read(uint8_t out[32], unsigned level, uint64_t index, void *arg)
{
	(void)level;
	(void)index;
	(void)out;
	int *calls = arg;
	return ++*calls > 2 ? aims__err(AIMS_ERROR, "disk on fire") : (memset(out, 7, 32), 0);
}

static void test_alloc_failures(void **state)
{
	(void)state;
	enum { N = 37 };
	hash_t *d = make_leaves(N);
	store s;
	unsigned long n;
	int err;

	store_build(&s, d, N);
	s.size = N;
	for (int op = 0; op < 9; op++) {
		for (n = 1;; n++) {
			uint8_t (*proof)[32] = NULL, root[32];
			size_t len = 0;
			aims_merkle_frontier *f = NULL;
			aims__alloc_fail_after(n);
			switch (op) {
			case 0: err = aims_merkle_root(root, (const uint8_t (*)[32])d, N); break;
			case 1: err = aims_merkle_inclusion_proof(&proof, &len, (const uint8_t (*)[32])d, N, 5); break;
			case 2: err = aims_merkle_consistency_proof(&proof, &len, (const uint8_t (*)[32])d, N, 9); break;
			case 3: err = aims_merkle_stored_inclusion_proof(&proof, &len, 30, N, store_read, &s); break;
			case 4: err = aims_merkle_stored_consistency_proof(&proof, &len, 13, N, store_read, &s); break;
			case 5: err = aims_merkle_leaf_hash(root, "x", 1); break;
			case 6:
				ref_mth(root, d, N);
				err = aims_merkle_verify_inclusion(0, 1, d[0], NULL, 0, d[0]);
				break;
			case 7: err = aims_merkle_verify_consistency(1, 2, d[0], root, (const uint8_t (*)[32])d + 1, 1); break;
			default:
				if ((err = aims_merkle_frontier_new(&f)) == 0) {
					for (int i = 0; i < N && err == 0; i++)
						err = aims_merkle_frontier_append(f, d[i]);
					if (err == 0)
						err = aims_merkle_frontier_root(root, f);
				}
				break;
			}
			aims__alloc_fail_after(0);
			aims_merkle_proof_free(proof);
			aims_merkle_frontier_free(f);
			if (err == 0)
				break;
			if (op == 7 && err == AIMS_ETAMPERED)
				break;  /* the verifier ran: this proof is not valid, that is fine */
			if (err != AIMS_ENOMEM && err != AIMS_ERROR)
				fail_msg("op %d, allocation %lu: %d %s", op, n, err, aims_error_last());
			assert_true(n < 100);
		}
	}
	/* a reader's error is passed on, and nothing leaks */
	int calls = 0;
	uint8_t (*proof)[32] = (uint8_t (*)[32])1;
	size_t len = 9;
	assert_aims_error(aims_merkle_stored_inclusion_proof(&proof, &len, 3, 1000, failing_read, &calls),
			  AIMS_ERROR, "disk on fire");
	assert_null(proof);
	assert_int_equal(len, 0);
	calls = 0;
	aims_merkle_frontier *f = NULL;
	assert_aims_ok(aims_merkle_frontier_new(&f));
	assert_aims_error(aims_merkle_frontier_load(f, 7, failing_read, &calls), AIMS_ERROR, "fire");
	assert_int_equal(aims_merkle_frontier_size(f), 0);
	aims_merkle_frontier_free(f);
	store_free(&s);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_ct_roots),
		cmocka_unit_test(test_ct_proofs),
		cmocka_unit_test(test_against_definitions),
		cmocka_unit_test(test_inclusion_rejects),
		cmocka_unit_test(test_consistency_rejects),
		cmocka_unit_test(test_tile_math),
		cmocka_unit_test(test_stored_proofs),
		cmocka_unit_test(test_frontier),
		cmocka_unit_test(test_node_hash_alias),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests_name("merkle", tests, NULL, NULL);
}
