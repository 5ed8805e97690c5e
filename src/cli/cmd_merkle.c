/*
 * aims merkle root | inclusion | consistency | verify-inclusion |
 * verify-consistency: RFC 9162 Merkle tree tools for third parties. They
 * open no store: the leaves come from standard input, one entry per line
 * written in hex, and the proofs and roots from the command line, so anyone
 * can recompute or check what an aims ledger publishes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/merkle.h"
#include "commands.h"

const cli_opt cmd_merkle_inclusion_opts[] = {
	{ "index", "I", "the leaf to prove, counted from 0", OPT_VALUE },
	{ "size", "N", "the tree size (default: the number of leaves read)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_merkle_consistency_opts[] = {
	{ "old", "M", "the size of the earlier tree, from 1 to N", OPT_VALUE },
	{ "size", "N", "the size of the later tree (default: the number of leaves read)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_merkle_verify_inclusion_opts[] = {
	{ "index", "I", "the leaf index, counted from 0", OPT_VALUE },
	{ "size", "N", "the tree size", OPT_VALUE },
	{ "leaf-hash", "HEX", "the leaf hash, SHA-256(0x00 || entry), 64 hex digits", OPT_VALUE },
	{ "root", "HEX", "the root of the tree of size N", OPT_VALUE },
	{ "proof", "HEX,...", "the proof hashes from the leaf up, separated by commas ('' when empty)",
	  OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_merkle_verify_consistency_opts[] = {
	{ "old", "M", "the size of the earlier tree", OPT_VALUE },
	{ "size", "N", "the size of the later tree", OPT_VALUE },
	{ "old-root", "HEX", "the root of the tree of size M", OPT_VALUE },
	{ "root", "HEX", "the root of the tree of size N", OPT_VALUE },
	{ "proof", "HEX,...", "the proof hashes, separated by commas ('' when empty)", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

/* ---- arguments ---- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* a decimal uint64 without sign, spaces or overflow */
static int parse_u64(const cli_ctx *ctx, const char *name, uint64_t *out, int required, int *given)
{
	const char *v = cli_get(ctx, name);
	uint64_t n = 0;
	if (given)
		*given = v != NULL;
	if (!v) {
		if (required)
			return cli_usage(ctx, "missing --%s", name);
		return 0;
	}
	if (!*v)
		return cli_usage(ctx, "--%s: expected a number, got ''", name);
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return cli_usage(ctx, "--%s '%.40s': expected a non-negative decimal number", name, v);
		uint64_t d = (uint64_t)(*p - '0');
		if (n > (UINT64_MAX - d) / 10)
			return cli_usage(ctx, "--%s '%.40s': number too large", name, v);
		n = n * 10 + d;
	}
	*out = n;
	return 0;
}

/* exactly 64 hex digits */
static int parse_hash(const char *s, size_t len, uint8_t out[32])
{
	if (len != 64)
		return -1;
	for (size_t i = 0; i < 32; i++) {
		int hi = hexval((unsigned char)s[2 * i]), lo = hexval((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int hash_opt(const cli_ctx *ctx, const char *name, uint8_t out[32])
{
	const char *v = cli_get(ctx, name);
	if (!v)
		return cli_usage(ctx, "missing --%s", name);
	if (parse_hash(v, strlen(v), out) < 0)
		return cli_usage(ctx, "--%s '%.80s': expected a SHA-256 hash as 64 hex digits", name, v);
	return 0;
}

/* --proof HEX,HEX,... ('' = the empty proof); *proof is malloc'ed */
static int proof_opt(const cli_ctx *ctx, uint8_t (**proof)[32], size_t *len)
{
	const char *v = cli_get(ctx, "proof");
	size_t n = 1, i = 0;
	*proof = NULL;
	*len = 0;
	if (!v)
		return cli_usage(ctx, "missing --proof (give --proof '' for an empty proof)");
	if (!*v)
		return 0;
	for (const char *p = v; *p; p++)
		n += *p == ',';
	uint8_t (*pr)[32] = malloc(n * 32);
	if (!pr) {
		fprintf(stderr, "error: out of memory\n");
		return EXIT_FAILURE_;
	}
	for (const char *p = v;; i++) {
		const char *end = strchr(p, ',');
		size_t l = end ? (size_t)(end - p) : strlen(p);
		if (parse_hash(p, l, pr[i]) < 0) {
			free(pr);
			return cli_usage(ctx, "--proof element %zu '%.*s': expected a SHA-256 hash as 64 hex "
					 "digits", i + 1, (int)(l > 80 ? 80 : l), p);
		}
		if (!end)
			break;
		p = end + 1;
	}
	*proof = pr;
	*len = n;
	return 0;
}

/* ---- leaves from standard input ---- */

typedef struct {
	uint8_t (*hashes)[32];
	size_t n, cap;
} leaves;

/*
 * One entry per line, in hex (either case); an empty line is the empty
 * entry; the newline that ends the last line does not start another; a
 * trailing CR is dropped so CRLF files work. Each entry is hashed as it is
 * read (SHA-256(0x00 || entry)) with the frontier's context, so only leaf
 * hashes are kept, and only when `keep` is set.
 */
static int read_leaves(leaves *out, aims_merkle_frontier *f, int keep)
{
	char *line = NULL;
	size_t linecap = 0, lineno = 0;
	uint8_t *data = NULL;
	size_t datacap = 0;
	ssize_t got;
	int rc = EXIT_OK, err;

	while ((got = getline(&line, &linecap, stdin)) >= 0) {
		size_t len = (size_t)got;
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len % 2) {
			fprintf(stderr, "error: standard input line %zu: odd number of hex digits (%zu)\n",
				lineno, len);
			rc = EXIT_INPUT;
			goto done;
		}
		if (len / 2 > datacap) {
			uint8_t *nd = realloc(data, len / 2);
			if (!nd)
				goto oom;
			data = nd;
			datacap = len / 2;
		}
		for (size_t i = 0; i < len / 2; i++) {
			int hi = hexval((unsigned char)line[2 * i]), lo = hexval((unsigned char)line[2 * i + 1]);
			if (hi < 0 || lo < 0) {
				size_t col = hi < 0 ? 2 * i + 1 : 2 * i + 2;
				unsigned char c = (unsigned char)line[col - 1];
				if (c >= 0x20 && c < 0x7f)
					fprintf(stderr, "error: standard input line %zu column %zu: '%c' is not a "
						"hex digit\n", lineno, col, c);
				else
					fprintf(stderr, "error: standard input line %zu column %zu: byte 0x%02x "
						"is not a hex digit\n", lineno, col, c);
				rc = EXIT_INPUT;
				goto done;
			}
			data[i] = (uint8_t)(hi << 4 | lo);
		}
		if (keep && out->n == out->cap) {
			size_t ncap = out->cap ? out->cap * 2 : 256;
			uint8_t (*nh)[32] = realloc(out->hashes, ncap * 32);
			if (!nh)
				goto oom;
			out->hashes = nh;
			out->cap = ncap;
		}
		uint8_t lh[32];
		if ((err = aims_merkle_frontier_append_entry(f, lh, data, len / 2)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		if (keep)
			memcpy(out->hashes[out->n++], lh, 32);
	}
	if (ferror(stdin)) {
		fprintf(stderr, "error: cannot read standard input: %s\n", strerror(errno));
		rc = EXIT_FAILURE_;
	}
	goto done;
oom:
	fprintf(stderr, "error: out of memory\n");
	rc = EXIT_FAILURE_;
done:
	free(line);
	free(data);
	return rc;
}

static json_t *hex_json(const uint8_t h[32])
{
	char hex[65];
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < 32; i++) {
		hex[2 * i] = digits[h[i] >> 4];
		hex[2 * i + 1] = digits[h[i] & 15];
	}
	hex[64] = '\0';
	return json_string(hex);
}

static json_t *proof_json(uint8_t (*proof)[32], size_t len)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < len; i++)
		json_array_append_new(a, hex_json(proof[i]));
	return a;
}

/* ---- commands ---- */

int cmd_merkle_root(cli_ctx *ctx)
{
	aims_merkle_frontier *f = NULL;
	leaves l = { NULL, 0, 0 };
	uint8_t root[32];
	char hex[65];
	int rc, err;

	(void)ctx;
	if ((err = aims_merkle_frontier_new(&f)) < 0)
		return cli_fail(err);
	/* the frontier gives the root in O(log n) memory: no leaf is kept */
	if ((rc = read_leaves(&l, f, 0)) != EXIT_OK)
		goto done;
	if ((err = aims_merkle_frontier_root(root, f)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	for (size_t i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", root[i]);
	printf("%s\n", hex);
	rc = EXIT_OK;
done:
	aims_merkle_frontier_free(f);
	return rc;
}

/* read the leaves and settle N: --size, else the number of leaves read */
static int load_tree(cli_ctx *ctx, leaves *l, uint64_t *size)
{
	aims_merkle_frontier *f = NULL;
	int rc, err, given;

	if ((rc = parse_u64(ctx, "size", size, 0, &given)) != 0)
		return rc;
	if ((err = aims_merkle_frontier_new(&f)) < 0)
		return cli_fail(err);
	rc = read_leaves(l, f, 1);
	aims_merkle_frontier_free(f);
	if (rc != EXIT_OK)
		return rc;
	if (!given) {
		*size = l->n;
	} else if (*size > l->n) {
		fprintf(stderr, "error: --size %llu but standard input has %zu leaves\n",
			(unsigned long long)*size, l->n);
		return EXIT_INPUT;
	}
	return EXIT_OK;
}

int cmd_merkle_inclusion(cli_ctx *ctx)
{
	leaves l = { NULL, 0, 0 };
	uint8_t (*proof)[32] = NULL, root[32];
	size_t plen = 0;
	uint64_t index = 0, size = 0;
	int rc, err;

	if ((rc = parse_u64(ctx, "index", &index, 1, NULL)) != 0)
		return rc;
	if ((rc = load_tree(ctx, &l, &size)) != EXIT_OK)
		goto done;
	if (index >= size) {
		rc = cli_usage(ctx, "--index %llu is not below the tree size %llu",
			       (unsigned long long)index, (unsigned long long)size);
		goto done;
	}
	if ((err = aims_merkle_root(root, (const uint8_t (*)[32])l.hashes, (size_t)size)) < 0 ||
	    (err = aims_merkle_inclusion_proof(&proof, &plen, (const uint8_t (*)[32])l.hashes,
					       (size_t)size, index)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	rc = cli_print_json(json_pack("{s:I, s:I, s:o, s:o, s:o}", "size", (json_int_t)size,
				      "index", (json_int_t)index, "leaf_hash", hex_json(l.hashes[index]),
				      "root", hex_json(root), "proof", proof_json(proof, plen)));
done:
	aims_merkle_proof_free(proof);
	free(l.hashes);
	return rc;
}

int cmd_merkle_consistency(cli_ctx *ctx)
{
	leaves l = { NULL, 0, 0 };
	uint8_t (*proof)[32] = NULL, old_root[32], root[32];
	size_t plen = 0;
	uint64_t old = 0, size = 0;
	int rc, err;

	if ((rc = parse_u64(ctx, "old", &old, 1, NULL)) != 0)
		return rc;
	if ((rc = load_tree(ctx, &l, &size)) != EXIT_OK)
		goto done;
	if (old == 0 || old > size) {
		rc = cli_usage(ctx, "--old %llu: a consistency proof needs 1 <= M <= N (N is %llu)",
			       (unsigned long long)old, (unsigned long long)size);
		goto done;
	}
	if ((err = aims_merkle_root(old_root, (const uint8_t (*)[32])l.hashes, (size_t)old)) < 0 ||
	    (err = aims_merkle_root(root, (const uint8_t (*)[32])l.hashes, (size_t)size)) < 0 ||
	    (err = aims_merkle_consistency_proof(&proof, &plen, (const uint8_t (*)[32])l.hashes,
						 (size_t)size, old)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	rc = cli_print_json(json_pack("{s:I, s:I, s:o, s:o, s:o}", "old_size", (json_int_t)old,
				      "size", (json_int_t)size, "old_root", hex_json(old_root),
				      "root", hex_json(root), "proof", proof_json(proof, plen)));
done:
	aims_merkle_proof_free(proof);
	free(l.hashes);
	return rc;
}

int cmd_merkle_verify_inclusion(cli_ctx *ctx)
{
	uint8_t (*proof)[32] = NULL, leaf[32], root[32];
	size_t plen = 0;
	uint64_t index = 0, size = 0;
	int rc, err;

	if ((rc = parse_u64(ctx, "index", &index, 1, NULL)) != 0 ||
	    (rc = parse_u64(ctx, "size", &size, 1, NULL)) != 0 ||
	    (rc = hash_opt(ctx, "leaf-hash", leaf)) != 0 || (rc = hash_opt(ctx, "root", root)) != 0 ||
	    (rc = proof_opt(ctx, &proof, &plen)) != 0)
		return rc;
	err = aims_merkle_verify_inclusion(index, size, leaf, (const uint8_t (*)[32])proof, plen, root);
	free(proof);
	if (err < 0)
		return cli_fail(err);
	printf("valid: leaf %llu is in the tree of size %llu\n", (unsigned long long)index,
	       (unsigned long long)size);
	return EXIT_OK;
}

int cmd_merkle_verify_consistency(cli_ctx *ctx)
{
	uint8_t (*proof)[32] = NULL, old_root[32], root[32];
	size_t plen = 0;
	uint64_t old = 0, size = 0;
	int rc, err;

	if ((rc = parse_u64(ctx, "old", &old, 1, NULL)) != 0 ||
	    (rc = parse_u64(ctx, "size", &size, 1, NULL)) != 0 ||
	    (rc = hash_opt(ctx, "old-root", old_root)) != 0 || (rc = hash_opt(ctx, "root", root)) != 0 ||
	    (rc = proof_opt(ctx, &proof, &plen)) != 0)
		return rc;
	err = aims_merkle_verify_consistency(old, size, old_root, root, (const uint8_t (*)[32])proof,
					     plen);
	free(proof);
	if (err < 0)
		return cli_fail(err);
	printf("valid: the tree of size %llu is a prefix of the tree of size %llu\n",
	       (unsigned long long)old, (unsigned long long)size);
	return EXIT_OK;
}
