/*
 * Merkle trees exactly as RFC 9162 section 2.1 defines them (the tree of
 * Certificate Transparency 2.0, hash SHA-256): leaf and node hashes, the
 * tree head, inclusion and consistency proofs and their verification
 * algorithms, a streaming frontier that keeps the root of a growing log in
 * O(log n) memory, and the tile layout of C2SP tlog-tiles, with proofs
 * computed from stored hashes in O(log n) reads. Nothing here touches a
 * store: the ledger supplies stored hashes through aims_merkle_hash_reader.
 * See docs/ledger.md.
 */
#ifndef AIMS_MERKLE_H
#define AIMS_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AIMS_MERKLE_HASH_SIZE 32

/** Longest inclusion proof (a tree of up to 2^64 - 1 leaves has depth 64). */
#define AIMS_MERKLE_MAX_INCLUSION 64
/** Longest consistency proof. */
#define AIMS_MERKLE_MAX_CONSISTENCY 130

/* ---- hashes (RFC 9162 2.1.1) ---- */

/** Leaf hash: SHA-256(0x00 || data). */
int aims_merkle_leaf_hash(uint8_t out[32], const void *data, size_t len);

/** Interior node hash: SHA-256(0x01 || left || right); out may alias left or right. */
int aims_merkle_node_hash(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]);

/** The root of the empty tree: SHA-256 of the empty string. */
int aims_merkle_empty_root(uint8_t out[32]);

/* ---- trees held in memory as their leaf hashes ---- */

/**
 * MTH(D[n]) over n leaf hashes (RFC 9162 2.1.1). Iterative: n - 1 node
 * hashes, a fixed 2 KiB of stack, one SHA-256 context for the whole call.
 */
int aims_merkle_root(uint8_t out[32], const uint8_t (*leaf_hashes)[32], size_t n);

/**
 * The inclusion proof PATH(index, D[n]) of RFC 9162 2.1.3.1, ordered from
 * the leaf up (the order verification reads it). *proof is allocated and
 * belongs to the caller (aims_merkle_proof_free); it is NULL when *len is 0.
 * AIMS_EINVALID when index >= n.
 */
int aims_merkle_inclusion_proof(uint8_t (**proof)[32], size_t *len,
				const uint8_t (*leaf_hashes)[32], size_t n, uint64_t index);

/**
 * The consistency proof PROOF(old_size, D[n]) = SUBPROOF(old_size, D[n], true)
 * of RFC 9162 2.1.4.1. old_size == n gives the empty proof; old_size 0 or
 * greater than n is AIMS_EINVALID (RFC 9162 defines proofs for 0 < m <= n).
 * Ownership as for aims_merkle_inclusion_proof.
 */
int aims_merkle_consistency_proof(uint8_t (**proof)[32], size_t *len,
				  const uint8_t (*leaf_hashes)[32], size_t n, uint64_t old_size);

/** Free a proof returned by this module (NULL is fine). */
void aims_merkle_proof_free(uint8_t (*proof)[32]);

/* ---- verification (what a third party runs) ---- */

/**
 * Verify that leaf_hash is the leaf at index in the tree of `size` leaves
 * whose root is `root`, with the algorithm of RFC 9162 2.1.3.2 as written.
 * Returns 0 when it is, AIMS_ETAMPERED when not (index >= size, a proof of
 * the wrong length, or a root mismatch; the message says which), AIMS_ENOMEM.
 */
int aims_merkle_verify_inclusion(uint64_t index, uint64_t size, const uint8_t leaf_hash[32],
				 const uint8_t (*proof)[32], size_t plen, const uint8_t root[32]);

/**
 * Verify that the tree of old_size leaves with root old_root is a prefix of
 * the tree of `size` leaves with root `root` (RFC 9162 2.1.4.2 as written).
 * old_size == size is valid only with an empty proof and equal roots;
 * old_size 0 or greater than size is rejected. Returns 0, AIMS_ETAMPERED
 * with the reason in the message, or AIMS_ENOMEM.
 */
int aims_merkle_verify_consistency(uint64_t old_size, uint64_t size, const uint8_t old_root[32],
				   const uint8_t root[32], const uint8_t (*proof)[32], size_t plen);

/* ---- stored hashes (C2SP tlog-tiles) ---- */

/**
 * Reads one stored hash: the root of the complete subtree of 2^level leaves
 * that starts at leaf index << level (level 0: the leaf hashes). Returns 0
 * or a negative aims_error_code, which the caller passes on. The ledger
 * implements it over its tiles; aims_merkle_tile_hash does the arithmetic.
 */
typedef int (*aims_merkle_hash_reader)(uint8_t out[32], unsigned level, uint64_t index, void *arg);

/** MTH of the first `size` leaves from stored hashes: popcount(size) reads. */
int aims_merkle_stored_root(uint8_t out[32], uint64_t size, aims_merkle_hash_reader read, void *arg);

/**
 * As aims_merkle_inclusion_proof, from stored hashes: every proof hash is a
 * stored complete subtree except at most one right-edge subtree, which is
 * folded from popcount of its size stored hashes, so at most 2 log2(size)
 * reads.
 */
int aims_merkle_stored_inclusion_proof(uint8_t (**proof)[32], size_t *len, uint64_t index,
				       uint64_t size, aims_merkle_hash_reader read, void *arg);

/** As aims_merkle_consistency_proof, from stored hashes (O(log size) reads). */
int aims_merkle_stored_consistency_proof(uint8_t (**proof)[32], size_t *len, uint64_t old_size,
					 uint64_t size, aims_merkle_hash_reader read, void *arg);

/* ---- frontier: the root of a growing log without keeping its hashes ---- */

/**
 * The right edge of a tree (one complete-subtree root per set bit of the
 * size, the "compact range" [0, size)), plus a SHA-256 context reused by
 * every hash. Appending costs one leaf hash and on average one node hash.
 */
typedef struct aims_merkle_frontier aims_merkle_frontier;

/** A new, empty frontier; free with aims_merkle_frontier_free. */
int aims_merkle_frontier_new(aims_merkle_frontier **out);
void aims_merkle_frontier_free(aims_merkle_frontier *f);

/** Forget everything: size 0. */
void aims_merkle_frontier_reset(aims_merkle_frontier *f);

/** Number of leaves appended (or loaded). */
uint64_t aims_merkle_frontier_size(const aims_merkle_frontier *f);

/** Append one leaf hash. */
int aims_merkle_frontier_append(aims_merkle_frontier *f, const uint8_t leaf_hash[32]);

/** Hash an entry as a leaf (with the frontier's context) and append it; leaf_hash may be NULL. */
int aims_merkle_frontier_append_entry(aims_merkle_frontier *f, uint8_t leaf_hash[32],
				      const void *data, size_t len);

/**
 * The stored hashes the last append completed: hashes[k] is the stored hash
 * at level k, index (size >> k) - 1, for k < the returned count (level 0 is
 * the leaf itself). Borrowed; valid until the next call on f. 0 if none.
 */
size_t aims_merkle_frontier_completed(const aims_merkle_frontier *f, const uint8_t (**hashes)[32]);

/** MTH of the leaves so far (the empty root at size 0). */
int aims_merkle_frontier_root(uint8_t out[32], aims_merkle_frontier *f);

/** Set the frontier to the tree of `size` leaves from stored hashes (popcount(size) reads). */
int aims_merkle_frontier_load(aims_merkle_frontier *f, uint64_t size, aims_merkle_hash_reader read,
			      void *arg);

/* ---- tiles (C2SP tlog-tiles, "Merkle Tree" and "Log entries") ---- */

#define AIMS_MERKLE_TILE_HEIGHT 8
#define AIMS_MERKLE_TILE_WIDTH 256
/** Room for any tile or entry-bundle path, with its NUL. */
#define AIMS_MERKLE_TILE_PATH_MAX 64

/**
 * Tile `index` at tile level `level` holds the stored hashes of tree level
 * 8 * level with indices index * 256 .. index * 256 + width - 1; width 256
 * is a full tile, 1..255 a partial one.
 */
typedef struct {
	unsigned level;
	uint64_t index;
	unsigned width;
} aims_merkle_tile;

/**
 * The tile of least width from which the stored hash at (level, index) is
 * computed: tile level level / 8, holding the 2^(level % 8) hashes of tree
 * level 8 * (level / 8) under it. AIMS_EINVALID if no such hash can exist.
 */
int aims_merkle_tile_for_hash(aims_merkle_tile *out, unsigned level, uint64_t index);

/**
 * The width of tile (level, index) in the tree of `size` leaves: 256 when
 * full, 1..255 when partial (floor(size / 256^level) mod 256), 0 when the
 * tree has no such tile.
 */
unsigned aims_merkle_tile_width(uint64_t size, unsigned level, uint64_t index);

/**
 * The stored hash at (level, index) from the bytes of tile t (width * 32
 * bytes, as served), which must be the tile aims_merkle_tile_for_hash names
 * or a wider one at the same position. AIMS_EINVALID otherwise.
 */
int aims_merkle_tile_hash(uint8_t out[32], const aims_merkle_tile *t, const uint8_t *data,
			  size_t len, unsigned level, uint64_t index);

/** "tile/L/x001/x234/067[.p/W]" into out (AIMS_MERKLE_TILE_PATH_MAX is enough). */
int aims_merkle_tile_path(char *out, size_t outsize, const aims_merkle_tile *t);

/** "tile/entries/x001/x234/067[.p/W]": the entry bundle of level-0 tile `index`. */
int aims_merkle_entries_path(char *out, size_t outsize, uint64_t index, unsigned width);

/**
 * Parse a tile or entry-bundle path (without the URL prefix). Only the
 * canonical form is accepted (3-digit elements, no leading x000 element, no
 * leading zeroes in L and W, W from 1 to 255). *is_entries is set to 1 for
 * "tile/entries/...", where out->level is 0. AIMS_EINVALID otherwise.
 */
int aims_merkle_tile_parse(aims_merkle_tile *out, int *is_entries, const char *path);

#ifdef __cplusplus
}
#endif
#endif
