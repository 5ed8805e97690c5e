/*
 * aims store copy: move an installation between stores and backends
 * (SQLite file <-> PostgreSQL database), everything in the store included.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_store_copy_opts[] = {
	{ "from", "URL", "the store to copy (a SQLite path or sqlite:PATH, or postgres://...)", OPT_VALUE },
	{ "to", "URL", "the new store: a file or database that does not exist yet, or one without content", OPT_VALUE },
	{ "json", NULL, "print JSON instead of text", 0 },
	{ NULL, NULL, NULL, 0 }
};

/* what must come out equal on both sides: content digest, ledger head, latest checkpoint */
typedef struct {
	char digest[65];
	uint64_t size;
	uint8_t root[32];
	char *checkpoint;
} store_facts;

static int read_facts(store_facts *f, aims_store *s)
{
	int err;
	memset(f, 0, sizeof(*f));
	if ((err = aims_store_content_digest(f->digest, s)) < 0 || (err = aims_ledger_head(&f->size, f->root, s)) < 0)
		return err;
	err = aims_ledger_latest_checkpoint(&f->checkpoint, s, "governance");
	if (err == AIMS_ENOTFOUND) {
		aims_error_clear();
		err = 0;
	}
	return err;
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static uint64_t checkpoint_size(const char *note)
{
	/* a checkpoint's second line is the tree size */
	const char *nl = note ? strchr(note, '\n') : NULL;
	return nl ? strtoull(nl + 1, NULL, 10) : 0;
}

int cmd_store_copy(cli_ctx *ctx)
{
	const char *from = cli_get(ctx, "from"), *to = cli_get(ctx, "to");
	aims_store *src = NULL, *dst = NULL;
	aims_store_copy_stats stats;
	store_facts a, b;
	char root[65];
	int rc, err;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (!from || !*from || !to || !*to)
		return cli_usage(ctx, "give the store to copy with --from URL and the new one with --to URL");
	cli_ctx sctx = *ctx, dctx = *ctx;
	sctx.db = from;
	dctx.db = to;
	if ((rc = cli_open_store(&src, &sctx, 0)) != 0)
		return rc;
	if ((rc = cli_open_store(&dst, &dctx, 1)) != 0) {
		aims_store_free(src);
		return rc;
	}
	if ((err = aims_store_copy(dst, src, &stats)) < 0 || (err = read_facts(&a, src)) < 0 ||
	    (err = read_facts(&b, dst)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (strcmp(a.digest, b.digest) != 0 || a.size != b.size || memcmp(a.root, b.root, 32) != 0 ||
	    !same_text(a.checkpoint, b.checkpoint)) {
		fprintf(stderr, "error: store copy: '%s' does not read back equal to '%s' (content digest, ledger root "
			"or checkpoint)\n", aims_store_location(dst), aims_store_location(src));
		rc = EXIT_INTEGRITY;
		goto done;
	}
	for (int i = 0; i < 32; i++)
		snprintf(root + 2 * i, 3, "%02x", a.root[i]);
	if (ctx->json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:{s:I, s:s, s:I}}", "from",
				      aims_store_location(src), "from_backend", aims_store_backend(src), "to",
				      aims_store_location(dst), "to_backend", aims_store_backend(dst), "tables",
				      (json_int_t)stats.tables, "rows", (json_int_t)stats.rows, "content_digest", a.digest,
				      "ledger", "size", (json_int_t)a.size, "root", root, "checkpoint_size",
				      (json_int_t)checkpoint_size(a.checkpoint));
		rc = cli_print_json(o);
	} else {
		printf("copied %zu tables, %llu rows from %s '%s' to %s '%s'\n", stats.tables,
		       (unsigned long long)stats.rows, aims_store_backend(src), aims_store_location(src),
		       aims_store_backend(dst), aims_store_location(dst));
		printf("content:    sha256:%s on both\n", a.digest);
		printf("ledger:     %llu entries, root %s on both\n", (unsigned long long)a.size, root);
		if (a.checkpoint)
			printf("checkpoint: size %llu, the same signed note on both\n",
			       (unsigned long long)checkpoint_size(a.checkpoint));
		else
			printf("checkpoint: none yet\n");
		rc = EXIT_OK;
	}
done:
	free(a.checkpoint);
	free(b.checkpoint);
	aims_store_free(src);
	aims_store_free(dst);
	return rc;
}
