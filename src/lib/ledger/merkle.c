/*
 * The Merkle tree of RFC 9162 section 2.1 and the tile layout of C2SP
 * tlog-tiles. Proof generation is written once over a "subtree source"
 * that yields MTH(D[lo:hi]) for the subtrees the proofs name: computed from
 * leaf hashes in memory, or folded from stored complete-subtree hashes read
 * through a callback. Verification follows RFC 9162 2.1.3.2 and 2.1.4.2
 * step by step, so it accepts and rejects exactly what the RFC does. Each
 * public function takes one SHA-256 context and reuses it for every hash.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "aims/merkle.h"
#include "core/core.h"

typedef uint8_t hash_t[32];

static const uint8_t zero_byte = 0x00;

/* ---- hashing with one reusable context ---- */

static int h_leaf(aims__sha256 *h, uint8_t out[32], const void *data, size_t len)
{
	int err;
	if ((err = aims__sha256_update(h, &zero_byte, 1)) < 0 ||
	    (err = aims__sha256_update(h, data, len)) < 0)
		return err;
	return aims__sha256_final(h, out);
}

/* RFC 9162 2.1.1: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])) */
static int h_node(aims__sha256 *h, uint8_t out[32], const uint8_t l[32], const uint8_t r[32])
{
	uint8_t buf[65];
	int err;
	buf[0] = 0x01;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);  /* copied first: out may alias l or r */
	if ((err = aims__sha256_update(h, buf, sizeof(buf))) < 0)
		return err;
	return aims__sha256_final(h, out);
}

static int h_empty(aims__sha256 *h, uint8_t out[32])
{
	return aims__sha256_final(h, out);
}

int aims_merkle_leaf_hash(uint8_t out[32], const void *data, size_t len)
{
	aims__sha256 *h = NULL;
	int err = aims__sha256_new(&h);
	if (err == 0)
		err = h_leaf(h, out, data, len);
	aims__sha256_free(h);
	return err;
}

int aims_merkle_node_hash(uint8_t out[32], const uint8_t left[32], const uint8_t right[32])
{
	aims__sha256 *h = NULL;
	int err = aims__sha256_new(&h);
	if (err == 0)
		err = h_node(h, out, left, right);
	aims__sha256_free(h);
	return err;
}

int aims_merkle_empty_root(uint8_t out[32])
{
	return aims__sha256_oneshot(out, "", 0);
}

/* ---- tree arithmetic ---- */

/* the largest power of two smaller than n (n >= 2): RFC 9162 2.1.1's k */
static uint64_t split(uint64_t n)
{
	return (uint64_t)1 << (63 - __builtin_clzll(n - 1));
}

/*
 * A stack of complete-subtree roots, largest (leftmost) first. Folding it
 * from the right gives MTH of the whole range: with k the largest power of
 * two below n, D[0:k] is the first complete subtree and D[k:n] is the rest.
 */
typedef struct {
	hash_t h[65];
	size_t top;
} hstack;

static int fold(aims__sha256 *h, uint8_t out[32], hstack *s)
{
	int err;
	while (s->top > 1) {
		if ((err = h_node(h, s->h[s->top - 2], s->h[s->top - 2], s->h[s->top - 1])) < 0)
			return err;
		s->top--;
	}
	memcpy(out, s->h[0], 32);
	return 0;
}

/* MTH of hashes[0:n] (n >= 1) in O(n) hashing and bounded memory */
static int range_root(aims__sha256 *h, uint8_t out[32], const uint8_t (*hashes)[32], uint64_t n)
{
	hstack s;
	int err;
	s.top = 0;
	for (uint64_t i = 0; i < n; i++) {
		memcpy(s.h[s.top++], hashes[i], 32);
		/* each trailing 1 bit of i (0-based) closes one complete subtree */
		for (uint64_t c = i + 1; !(c & 1); c >>= 1) {
			if ((err = h_node(h, s.h[s.top - 2], s.h[s.top - 2], s.h[s.top - 1])) < 0)
				return err;
			s.top--;
		}
	}
	return fold(h, out, &s);
}

/* where MTH(D[lo:hi]) comes from */
typedef struct {
	aims__sha256 *h;
	const uint8_t (*leaves)[32];   /* in memory, or */
	aims_merkle_hash_reader read;  /* stored hashes */
	void *arg;
	unsigned long reads;
} source;

/*
 * Every subtree a proof names is D[lo:hi] with lo a multiple of a power of
 * two >= hi - lo, so it splits into the complete subtrees of the binary
 * decomposition of hi - lo, largest first, each aligned to its size: one
 * stored hash each.
 */
static int subtree(source *s, uint8_t out[32], uint64_t lo, uint64_t hi)
{
	if (s->leaves)
		return range_root(s->h, out, s->leaves + lo, hi - lo);
	hstack st;
	uint64_t pos = lo, n = hi - lo;
	int err;
	st.top = 0;
	for (int k = 63; k >= 0; k--) {
		uint64_t sz = (uint64_t)1 << k;
		if (!(n & sz))
			continue;
		if (pos & (sz - 1))
			return aims__err(AIMS_ERROR, "merkle: unaligned subtree [%" PRIu64 ", %" PRIu64 ")",
					 lo, hi);
		s->reads++;
		if ((err = s->read(st.h[st.top], (unsigned)k, pos >> k, s->arg)) < 0)
			return err;
		st.top++;
		pos += sz;
	}
	return fold(s->h, out, &st);
}

static int proof_out(uint8_t (**proof)[32], size_t *len, hash_t *path, size_t n)
{
	if (n == 0)
		return 0;
	uint8_t (*p)[32] = aims__malloc(n * 32);
	if (!p)
		return aims__oom();
	/* collected from the root down; proofs list hashes from the leaf up */
	for (size_t i = 0; i < n; i++)
		memcpy(p[i], path[n - 1 - i], 32);
	*proof = p;
	*len = n;
	return 0;
}

/* RFC 9162 2.1.3.1: PATH(m, D[n]), descending from the root */
static int inclusion(source *s, uint8_t (**proof)[32], size_t *len, uint64_t index, uint64_t size)
{
	hash_t path[AIMS_MERKLE_MAX_INCLUSION];
	size_t n = 0;
	uint64_t lo = 0, hi = size;
	int err;
	while (hi - lo > 1) {
		uint64_t k = split(hi - lo);
		if (index - lo < k) {
			/* PATH(m, D[0:k]) : MTH(D[k:n]) */
			if ((err = subtree(s, path[n++], lo + k, hi)) < 0)
				return err;
			hi = lo + k;
		} else {
			/* PATH(m - k, D[k:n]) : MTH(D[0:k]) */
			if ((err = subtree(s, path[n++], lo, lo + k)) < 0)
				return err;
			lo += k;
		}
	}
	return proof_out(proof, len, path, n);
}

/* RFC 9162 2.1.4.1: SUBPROOF(m, D[n], true), descending from the root */
static int consistency(source *s, uint8_t (**proof)[32], size_t *len, uint64_t m, uint64_t size)
{
	hash_t path[AIMS_MERKLE_MAX_CONSISTENCY];
	size_t n = 0;
	uint64_t lo = 0, hi = size;
	int b = 1, err;
	for (;;) {
		if (m == hi) {
			/* SUBPROOF(m, D[m], b) = {} if b, else {MTH(D[m])} */
			if (!b && (err = subtree(s, path[n++], lo, hi)) < 0)
				return err;
			break;
		}
		uint64_t k = split(hi - lo);
		if (m - lo <= k) {
			/* SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) */
			if ((err = subtree(s, path[n++], lo + k, hi)) < 0)
				return err;
			hi = lo + k;
		} else {
			/* SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]) */
			if ((err = subtree(s, path[n++], lo, lo + k)) < 0)
				return err;
			lo += k;
			b = 0;
		}
	}
	return proof_out(proof, len, path, n);
}

/* the length of PATH(index, D[size]) and of PROOF(m, D[size]), for messages */
static size_t inclusion_len(uint64_t index, uint64_t size)
{
	size_t n = 0;
	uint64_t lo = 0, hi = size;
	while (hi - lo > 1) {
		uint64_t k = split(hi - lo);
		if (index - lo < k)
			hi = lo + k;
		else
			lo += k;
		n++;
	}
	return n;
}

static size_t consistency_len(uint64_t m, uint64_t size)
{
	size_t n = 0;
	uint64_t lo = 0, hi = size;
	int b = 1;
	while (m != hi) {
		uint64_t k = split(hi - lo);
		if (m - lo <= k) {
			hi = lo + k;
		} else {
			lo += k;
			b = 0;
		}
		n++;
	}
	return n + (b ? 0 : 1);
}

/* ---- in-memory trees ---- */

int aims_merkle_root(uint8_t out[32], const uint8_t (*leaf_hashes)[32], size_t n)
{
	aims__sha256 *h = NULL;
	int err = aims__sha256_new(&h);
	if (err == 0)
		err = n == 0 ? h_empty(h, out) : range_root(h, out, leaf_hashes, n);
	aims__sha256_free(h);
	return err;
}

typedef int (*proof_fn)(source *s, uint8_t (**proof)[32], size_t *len, uint64_t a, uint64_t size);

static int run_proof(proof_fn fn, uint8_t (**proof)[32], size_t *len, source *s, uint64_t a,
		     uint64_t size)
{
	int err = aims__sha256_new(&s->h);
	if (err == 0)
		err = fn(s, proof, len, a, size);
	aims__sha256_free(s->h);
	s->h = NULL;
	return err;
}

static int check_inclusion_args(uint64_t index, uint64_t size)
{
	if (index >= size)
		return aims__err(AIMS_EINVALID, "leaf index %" PRIu64 " is not in a tree of size %" PRIu64,
				 index, size);
	return 0;
}

static int check_consistency_args(uint64_t old_size, uint64_t size)
{
	if (old_size == 0 || old_size > size)
		return aims__err(AIMS_EINVALID,
				 "a consistency proof needs 0 < old size <= size, not old size %" PRIu64
				 " and size %" PRIu64, old_size, size);
	return 0;
}

int aims_merkle_inclusion_proof(uint8_t (**proof)[32], size_t *len,
				const uint8_t (*leaf_hashes)[32], size_t n, uint64_t index)
{
	source s = { NULL, leaf_hashes, NULL, NULL, 0 };
	int err;
	*proof = NULL;
	*len = 0;
	if ((err = check_inclusion_args(index, n)) < 0)
		return err;
	return run_proof(inclusion, proof, len, &s, index, n);
}

int aims_merkle_consistency_proof(uint8_t (**proof)[32], size_t *len,
				  const uint8_t (*leaf_hashes)[32], size_t n, uint64_t old_size)
{
	source s = { NULL, leaf_hashes, NULL, NULL, 0 };
	int err;
	*proof = NULL;
	*len = 0;
	if ((err = check_consistency_args(old_size, n)) < 0)
		return err;
	return run_proof(consistency, proof, len, &s, old_size, n);
}

void aims_merkle_proof_free(uint8_t (*proof)[32])
{
	aims__free(proof);
}

/* ---- stored hashes ---- */

int aims_merkle_stored_root(uint8_t out[32], uint64_t size, aims_merkle_hash_reader read, void *arg)
{
	source s = { NULL, NULL, read, arg, 0 };
	int err = aims__sha256_new(&s.h);
	if (err == 0)
		err = size == 0 ? h_empty(s.h, out) : subtree(&s, out, 0, size);
	aims__sha256_free(s.h);
	return err;
}

int aims_merkle_stored_inclusion_proof(uint8_t (**proof)[32], size_t *len, uint64_t index,
				       uint64_t size, aims_merkle_hash_reader read, void *arg)
{
	source s = { NULL, NULL, read, arg, 0 };
	int err;
	*proof = NULL;
	*len = 0;
	if ((err = check_inclusion_args(index, size)) < 0)
		return err;
	return run_proof(inclusion, proof, len, &s, index, size);
}

int aims_merkle_stored_consistency_proof(uint8_t (**proof)[32], size_t *len, uint64_t old_size,
					 uint64_t size, aims_merkle_hash_reader read, void *arg)
{
	source s = { NULL, NULL, read, arg, 0 };
	int err;
	*proof = NULL;
	*len = 0;
	if ((err = check_consistency_args(old_size, size)) < 0)
		return err;
	return run_proof(consistency, proof, len, &s, old_size, size);
}

/* ---- verification ---- */

static int tampered_len(const char *what, size_t got, size_t want)
{
	return aims__err(AIMS_ETAMPERED, "%s proof is too %s: %zu hash%s, a proof for these sizes has %zu",
			 what, got < want ? "short" : "long", got, got == 1 ? "" : "es", want);
}

/* RFC 9162 2.1.3.2 */
int aims_merkle_verify_inclusion(uint64_t index, uint64_t size, const uint8_t leaf_hash[32],
				 const uint8_t (*proof)[32], size_t plen, const uint8_t root[32])
{
	aims__sha256 *h = NULL;
	uint8_t r[32];
	uint64_t fn, sn;
	int err;

	/* 1. leaf_index >= tree_size fails */
	if (index >= size)
		return aims__err(AIMS_ETAMPERED, "inclusion proof: leaf index %" PRIu64
				 " is not below the tree size %" PRIu64, index, size);
	if ((err = aims__sha256_new(&h)) < 0)
		return err;
	/* 2. fn = leaf_index, sn = tree_size - 1; 3. r = hash */
	fn = index;
	sn = size - 1;
	memcpy(r, leaf_hash, 32);
	/* 4. for each p in inclusion_path */
	for (size_t i = 0; i < plen; i++) {
		/* a. sn == 0: stop and fail */
		if (sn == 0) {
			err = tampered_len("inclusion", plen, inclusion_len(index, size));
			goto done;
		}
		/* b. LSB(fn) set or fn == sn: r = HASH(0x01 || p || r) */
		if ((fn & 1) || fn == sn) {
			if ((err = h_node(h, r, proof[i], r)) < 0)
				goto done;
			/* then, if LSB(fn) is not set, shift until it is or fn is 0 */
			if (!(fn & 1))
				while (!((fn & 1) || fn == 0)) {
					fn >>= 1;
					sn >>= 1;
				}
		} else {
			/* otherwise r = HASH(0x01 || r || p) */
			if ((err = h_node(h, r, r, proof[i])) < 0)
				goto done;
		}
		/* c. shift both once */
		fn >>= 1;
		sn >>= 1;
	}
	/* 5. sn must be 0 and r the root */
	if (sn != 0) {
		err = tampered_len("inclusion", plen, inclusion_len(index, size));
		goto done;
	}
	if (memcmp(r, root, 32) != 0) {
		char got[65];
		aims__hex(got, r, 32);
		err = aims__err(AIMS_ETAMPERED, "inclusion proof leads to root %s, not to the given root", got);
		goto done;
	}
	err = 0;
done:
	aims__sha256_free(h);
	return err;
}

/* RFC 9162 2.1.4.2 */
int aims_merkle_verify_consistency(uint64_t old_size, uint64_t size, const uint8_t old_root[32],
				   const uint8_t root[32], const uint8_t (*proof)[32], size_t plen)
{
	aims__sha256 *h = NULL;
	uint8_t fr[32], sr[32];
	uint64_t fn, sn;
	int err;

	if (old_size == 0)
		return aims__err(AIMS_ETAMPERED, "consistency proof: old size 0 (RFC 9162 2.1.4 "
				 "defines consistency proofs for 0 < old size)");
	if (old_size > size)
		return aims__err(AIMS_ETAMPERED, "consistency proof: old size %" PRIu64
				 " is larger than the size %" PRIu64, old_size, size);
	if (old_size == size) {
		/* the same tree: nothing to prove, the roots must be equal */
		if (plen != 0)
			return aims__err(AIMS_ETAMPERED, "consistency proof between equal sizes must be "
					 "empty, got %zu hash%s", plen, plen == 1 ? "" : "es");
		if (memcmp(old_root, root, 32) != 0)
			return aims__err(AIMS_ETAMPERED, "consistency proof: the sizes are equal (%" PRIu64
					 ") but the roots differ", size);
		return 0;
	}
	/* 1. an empty consistency_path fails */
	if (plen == 0)
		return tampered_len("consistency", 0, consistency_len(old_size, size));
	if ((err = aims__sha256_new(&h)) < 0)
		return err;
	/* 2. if first is an exact power of 2, first_hash is prepended: path[0] */
	int pre = (old_size & (old_size - 1)) == 0;
	size_t n = plen + (size_t)pre;
#define PATH(i) (pre ? ((i) == 0 ? old_root : proof[(i) - 1]) : proof[(i)])
	/* 3. fn = first - 1, sn = second - 1 */
	fn = old_size - 1;
	sn = size - 1;
	/* 4. while LSB(fn) is set, shift both */
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	/* 5. fr = sr = the first value of the path */
	memcpy(fr, PATH(0), 32);
	memcpy(sr, PATH(0), 32);
	/* 6. for each subsequent c */
	for (size_t i = 1; i < n; i++) {
		const uint8_t *c = PATH(i);
		/* a. sn == 0: stop and fail */
		if (sn == 0) {
			err = tampered_len("consistency", plen, consistency_len(old_size, size));
			goto done;
		}
		/* b. LSB(fn) set or fn == sn */
		if ((fn & 1) || fn == sn) {
			/* i. fr = HASH(0x01 || c || fr), sr = HASH(0x01 || c || sr) */
			if ((err = h_node(h, fr, c, fr)) < 0 || (err = h_node(h, sr, c, sr)) < 0)
				goto done;
			/* ii. if LSB(fn) is not set, shift until it is or fn is 0 */
			if (!(fn & 1))
				while (!((fn & 1) || fn == 0)) {
					fn >>= 1;
					sn >>= 1;
				}
		} else {
			/* otherwise sr = HASH(0x01 || sr || c) */
			if ((err = h_node(h, sr, sr, c)) < 0)
				goto done;
		}
		/* c. shift both once */
		fn >>= 1;
		sn >>= 1;
	}
#undef PATH
	/* 7. fr == first_hash, sr == second_hash, sn == 0 */
	if (sn != 0) {
		err = tampered_len("consistency", plen, consistency_len(old_size, size));
		goto done;
	}
	if (memcmp(fr, old_root, 32) != 0) {
		err = aims__err(AIMS_ETAMPERED, "consistency proof does not lead to the old root of size %"
				PRIu64, old_size);
		goto done;
	}
	if (memcmp(sr, root, 32) != 0) {
		err = aims__err(AIMS_ETAMPERED, "consistency proof does not lead to the root of size %"
				PRIu64, size);
		goto done;
	}
	err = 0;
done:
	aims__sha256_free(h);
	return err;
}

/* ---- frontier ---- */

struct aims_merkle_frontier {
	aims__sha256 *h;
	uint64_t size;
	size_t count;             /* popcount(size) */
	hash_t edge[64];          /* complete-subtree roots, largest first */
	hash_t completed[65];     /* stored hashes the last append completed */
	size_t ncompleted;
};

int aims_merkle_frontier_new(aims_merkle_frontier **out)
{
	aims_merkle_frontier *f;
	int err;
	*out = NULL;
	if (!(f = aims__calloc(1, sizeof(*f))))
		return aims__oom();
	if ((err = aims__sha256_new(&f->h)) < 0) {
		aims__free(f);
		return err;
	}
	*out = f;
	return 0;
}

void aims_merkle_frontier_free(aims_merkle_frontier *f)
{
	if (!f)
		return;
	aims__sha256_free(f->h);
	aims__free(f);
}

void aims_merkle_frontier_reset(aims_merkle_frontier *f)
{
	f->size = 0;
	f->count = 0;
	f->ncompleted = 0;
}

uint64_t aims_merkle_frontier_size(const aims_merkle_frontier *f)
{
	return f->size;
}

int aims_merkle_frontier_append(aims_merkle_frontier *f, const uint8_t leaf_hash[32])
{
	uint8_t cur[32];
	size_t k = 0;
	int err;
	if (f->size == UINT64_MAX)
		return aims__err(AIMS_EINVALID, "merkle tree is full");
	f->ncompleted = 0;
	memcpy(cur, leaf_hash, 32);
	memcpy(f->completed[0], cur, 32);
	/* each trailing 1 bit of the old size merges two subtrees of equal size;
	 * the edge changes only once every hash is done, so a failure leaves it */
	for (uint64_t c = f->size; c & 1; c >>= 1) {
		if ((err = h_node(f->h, cur, f->edge[f->count - 1 - k], cur)) < 0)
			return err;
		k++;
		memcpy(f->completed[k], cur, 32);
	}
	f->count -= k;
	memcpy(f->edge[f->count++], cur, 32);
	f->ncompleted = k + 1;
	f->size++;
	return 0;
}

int aims_merkle_frontier_append_entry(aims_merkle_frontier *f, uint8_t leaf_hash[32],
				      const void *data, size_t len)
{
	uint8_t lh[32];
	int err;
	if ((err = h_leaf(f->h, lh, data, len)) < 0)
		return err;
	if (leaf_hash)
		memcpy(leaf_hash, lh, 32);
	return aims_merkle_frontier_append(f, lh);
}

size_t aims_merkle_frontier_completed(const aims_merkle_frontier *f, const uint8_t (**hashes)[32])
{
	*hashes = (const uint8_t (*)[32])f->completed;
	return f->ncompleted;
}

int aims_merkle_frontier_root(uint8_t out[32], aims_merkle_frontier *f)
{
	uint8_t r[32];
	int err;
	if (f->count == 0)
		return h_empty(f->h, out);
	memcpy(r, f->edge[f->count - 1], 32);
	for (size_t i = f->count - 1; i-- > 0;)
		if ((err = h_node(f->h, r, f->edge[i], r)) < 0)
			return err;
	memcpy(out, r, 32);
	return 0;
}

int aims_merkle_frontier_load(aims_merkle_frontier *f, uint64_t size, aims_merkle_hash_reader read,
			      void *arg)
{
	hash_t edge[64];
	size_t count = 0;
	uint64_t pos = 0;
	int err;
	for (int k = 63; k >= 0; k--) {
		if (!(size & ((uint64_t)1 << k)))
			continue;
		if ((err = read(edge[count], (unsigned)k, pos >> k, arg)) < 0)
			return err;
		count++;
		pos += (uint64_t)1 << k;
	}
	memcpy(f->edge, edge, sizeof(edge));
	f->count = count;
	f->size = size;
	f->ncompleted = 0;
	return 0;
}

/* ---- tiles (C2SP tlog-tiles) ---- */

int aims_merkle_tile_for_hash(aims_merkle_tile *out, unsigned level, uint64_t index)
{
	if (level > 63 || (level > 0 && (index >> (64 - level)) != 0))
		return aims__err(AIMS_EINVALID, "no stored hash at level %u index %" PRIu64, level, index);
	unsigned r = level % AIMS_MERKLE_TILE_HEIGHT;
	/* the hashes of tree level 8L under it: [index << r, (index + 1) << r) */
	uint64_t first = index << r, last = first + (((uint64_t)1 << r) - 1);
	out->level = level / AIMS_MERKLE_TILE_HEIGHT;
	out->index = first / AIMS_MERKLE_TILE_WIDTH;
	out->width = (unsigned)(last % AIMS_MERKLE_TILE_WIDTH) + 1;
	return 0;
}

unsigned aims_merkle_tile_width(uint64_t size, unsigned level, uint64_t index)
{
	if (level >= 8)
		return 0;  /* 256^8 = 2^64: no tree has a hash there */
	uint64_t count = size >> (AIMS_MERKLE_TILE_HEIGHT * level);  /* hashes at tree level 8L */
	uint64_t tiles = count / AIMS_MERKLE_TILE_WIDTH;
	if (index < tiles)
		return AIMS_MERKLE_TILE_WIDTH;
	if (index == tiles)
		return (unsigned)(count % AIMS_MERKLE_TILE_WIDTH);
	return 0;
}

int aims_merkle_tile_hash(uint8_t out[32], const aims_merkle_tile *t, const uint8_t *data,
			  size_t len, unsigned level, uint64_t index)
{
	aims_merkle_tile need;
	int err;
	if ((err = aims_merkle_tile_for_hash(&need, level, index)) < 0)
		return err;
	if (t->width < 1 || t->width > AIMS_MERKLE_TILE_WIDTH || len != (size_t)t->width * 32)
		return aims__err(AIMS_EINVALID, "tile %u/%" PRIu64 ": %zu bytes for width %u", t->level,
				 t->index, len, t->width);
	if (need.level != t->level || need.index != t->index || need.width > t->width)
		return aims__err(AIMS_EINVALID, "tile %u/%" PRIu64 " of width %u does not hold the hash at "
				 "level %u index %" PRIu64, t->level, t->index, t->width, level, index);
	unsigned r = level % AIMS_MERKLE_TILE_HEIGHT;
	uint64_t off = (index << r) % AIMS_MERKLE_TILE_WIDTH;
	const uint8_t (*hashes)[32] = (const uint8_t (*)[32])data;
	if (r == 0) {
		memcpy(out, hashes[off], 32);
		return 0;
	}
	aims__sha256 *h = NULL;
	if ((err = aims__sha256_new(&h)) == 0)
		err = range_root(h, out, hashes + off, (uint64_t)1 << r);
	aims__sha256_free(h);
	return err;
}

/* N as zero-padded 3-digit path elements, all but the last prefixed with x */
static int put_index(char *out, size_t outsize, size_t *pos, uint64_t n)
{
	unsigned groups[7];
	int ng = 0;
	do {
		groups[ng++] = (unsigned)(n % 1000);
		n /= 1000;
	} while (n > 0);
	while (ng-- > 0) {
		int w = snprintf(out + *pos, outsize - *pos, ng > 0 ? "x%03u/" : "%03u", groups[ng]);
		if (w < 0 || (size_t)w >= outsize - *pos)
			return -1;
		*pos += (size_t)w;
	}
	return 0;
}

static int tile_path(char *out, size_t outsize, const char *level, uint64_t index, unsigned width)
{
	size_t pos = 0;
	int w;
	if (width < 1 || width > AIMS_MERKLE_TILE_WIDTH)
		return aims__err(AIMS_EINVALID, "tile width %u is not between 1 and 256", width);
	w = snprintf(out, outsize, "tile/%s/", level);
	if (w < 0 || (size_t)w >= outsize)
		goto small;
	pos = (size_t)w;
	if (put_index(out, outsize, &pos, index) < 0)
		goto small;
	if (width < AIMS_MERKLE_TILE_WIDTH) {
		w = snprintf(out + pos, outsize - pos, ".p/%u", width);
		if (w < 0 || (size_t)w >= outsize - pos)
			goto small;
	}
	return 0;
small:
	if (outsize > 0)
		out[0] = '\0';
	return aims__err(AIMS_EUSAGE, "tile path buffer of %zu bytes is too small", outsize);
}

int aims_merkle_tile_path(char *out, size_t outsize, const aims_merkle_tile *t)
{
	char level[8];
	if (t->level > 63)
		return aims__err(AIMS_EINVALID, "tile level %u is not between 0 and 63", t->level);
	snprintf(level, sizeof(level), "%u", t->level);
	return tile_path(out, outsize, level, t->index, t->width);
}

int aims_merkle_entries_path(char *out, size_t outsize, uint64_t index, unsigned width)
{
	return tile_path(out, outsize, "entries", index, width);
}

static int digits3(const char *p, unsigned *v)
{
	for (int i = 0; i < 3; i++)
		if (p[i] < '0' || p[i] > '9')
			return -1;
	*v = (unsigned)(p[0] - '0') * 100 + (unsigned)(p[1] - '0') * 10 + (unsigned)(p[2] - '0');
	return 0;
}

/* a decimal number of 1..3 digits without leading zeroes, ending at a non-digit */
static int small_number(const char **pp, unsigned *v)
{
	const char *p = *pp;
	unsigned n = 0;
	int len = 0;
	while (p[len] >= '0' && p[len] <= '9') {
		if (len == 3)
			return -1;
		n = n * 10 + (unsigned)(p[len] - '0');
		len++;
	}
	if (len == 0 || (len > 1 && p[0] == '0'))
		return -1;
	*v = n;
	*pp = p + len;
	return 0;
}

int aims_merkle_tile_parse(aims_merkle_tile *out, int *is_entries, const char *path)
{
	const char *p = path;
	aims_merkle_tile t = { 0, 0, AIMS_MERKLE_TILE_WIDTH };
	int entries = 0;
	unsigned g;

	if (strncmp(p, "tile/", 5) != 0)
		goto bad;
	p += 5;
	if (strncmp(p, "entries/", 8) == 0) {
		entries = 1;
		p += 8;
	} else {
		if (small_number(&p, &t.level) < 0 || t.level > 63 || *p != '/')
			goto bad;
		p++;
	}
	/* x-prefixed elements, then the last one */
	int first = 1;
	while (*p == 'x') {
		if (digits3(p + 1, &g) < 0 || p[4] != '/' || (first && g == 0))
			goto bad;
		if (t.index > (UINT64_MAX - g) / 1000)
			goto bad;
		t.index = t.index * 1000 + g;
		first = 0;
		p += 5;
	}
	if (digits3(p, &g) < 0 || t.index > (UINT64_MAX - g) / 1000)
		goto bad;
	t.index = t.index * 1000 + g;
	p += 3;
	if (strncmp(p, ".p/", 3) == 0) {
		p += 3;
		if (small_number(&p, &t.width) < 0 || t.width < 1 || t.width > 255)
			goto bad;
	}
	if (*p != '\0')
		goto bad;
	*out = t;
	if (is_entries)
		*is_entries = entries;
	return 0;
bad:
	return aims__err(AIMS_EINVALID, "'%.80s' is not a tile path (tile/L/N[.p/W] or "
			 "tile/entries/N[.p/W])", path);
}
