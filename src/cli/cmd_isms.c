/*
 * aims isms import | show | versions: the organization's ISO/IEC 27001 ISMS
 * state (Statement of Applicability and clause status), imported from CSV
 * as numbered versions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aims/isms.h"
#include "commands.h"

const cli_opt cmd_isms_show_opts[] = {
	{ "json", NULL, "print JSON instead of a table", 0 },
	{ "version", "N", "show version N instead of the latest", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int cmd_isms_import(cli_ctx *ctx)
{
	aims_store *store = NULL;
	const char *path = ctx->args[0];
	int64_t version = 0;
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_isms_import(store, path, &version)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	/* read it back: what is reported is what the store holds */
	aims_isms *isms = NULL;
	if ((err = aims_isms_read(&isms, store, version)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	printf("imported %zu rows from '%s' as ISMS version %lld\n", aims_isms_count(isms),
	       strcmp(path, "-") == 0 ? "(stdin)" : path, (long long)version);
	aims_isms_free(isms);
	rc = cli_after_write(store);
done:
	aims_store_free(store);
	return rc;
}

/* counts per status over the rows, excluded rows on their own */
typedef struct {
	size_t implemented, partial, planned, not_implemented, excluded;
} status_counts;

static void count_rows(status_counts *c, const aims_isms *isms)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < aims_isms_count(isms); i++) {
		const aims_isms_control *r = aims_isms_at(isms, i);
		if (!r->applicable) {
			c->excluded++;
			continue;
		}
		switch (r->status) {
		case AIMS_STATUS_IMPLEMENTED: c->implemented++; break;
		case AIMS_STATUS_PARTIAL: c->partial++; break;
		case AIMS_STATUS_PLANNED: c->planned++; break;
		default: c->not_implemented++; break;
		}
	}
}

static json_t *control_json(const aims_isms_control *r)
{
	json_t *ev = json_array();
	for (size_t k = 0; ev && k < r->nevidence; k++)
		json_array_append_new(ev, json_string(r->evidence[k]));
	return json_pack("{s:s, s:b, s:s, s:o, s:o, s:o, s:I}", "control", r->control,
			 "applicable", r->applicable, "status", aims_impl_status_name(r->status),
			 "justification", str_or_null(r->justification), "owner", str_or_null(r->owner),
			 "evidence", ev ? ev : json_null(), "line", (json_int_t)r->line);
}

/* the version to show: --version N, or 0 for the latest; -1 after a usage error */
static int64_t version_arg(const cli_ctx *ctx)
{
	const char *s = cli_get(ctx, "version");
	char *end;
	if (!s)
		return 0;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return -1;
	return (int64_t)v;
}

int cmd_isms_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_isms *isms = NULL;
	aims_catalog *cat = NULL;
	int64_t version = version_arg(ctx);
	int rc, err;

	if (version < 0)
		return cli_usage(ctx, "--version needs a positive whole number, not '%s'", cli_get(ctx, "version"));
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_isms_read(&isms, store, version)) < 0 ||
	    (err = aims_catalog_read(&cat, store, aims_isms_info_get(isms)->framework)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	const aims_isms_info *info = aims_isms_info_get(isms);
	status_counts c;
	count_rows(&c, isms);
	if (ctx->json) {
		json_t *rows = json_array(), *missing = json_array();
		for (size_t i = 0; rows && i < aims_isms_count(isms); i++)
			json_array_append_new(rows, control_json(aims_isms_at(isms, i)));
		for (size_t i = 0; missing && i < aims_catalog_count(cat); i++) {
			const aims_requirement *r = aims_catalog_at(cat, i);
			if (strcmp(r->kind, "control") == 0 && !aims_isms_find(isms, r->id))
				json_array_append_new(missing, json_string(r->id));
		}
		json_t *summary = json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}",
			"implemented", (json_int_t)c.implemented, "partial", (json_int_t)c.partial,
			"planned", (json_int_t)c.planned, "not-implemented", (json_int_t)c.not_implemented,
			"excluded", (json_int_t)c.excluded, "missing", missing ? missing : json_null());
		rc = cli_print_json(json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:o, s:o}",
			"version", (json_int_t)info->version, "framework", info->framework,
			"imported_at", info->imported_at, "source", info->source, "digest", info->digest,
			"rows", (json_int_t)info->rows, "controls", rows ? rows : json_null(),
			"summary", summary ? summary : json_null()));
		goto done;
	}
	printf("ISMS version %lld (%s), imported %s from '%s'\n", (long long)info->version, info->framework,
	       info->imported_at, info->source);
	printf("sha256 %s, %zu rows\n\n", info->digest, info->rows);
	static const char *const hdr[] = { "CONTROL", "APPLICABLE", "STATUS", "OWNER", "EVIDENCE" };
	cli_table *t = cli_table_new(5, hdr);
	for (size_t i = 0; i < aims_isms_count(isms); i++) {
		const aims_isms_control *r = aims_isms_at(isms, i);
		aims_buf ev = AIMS_BUF_INIT;
		for (size_t k = 0; k < r->nevidence; k++)
			(void)aims_buf_printf(&ev, "%s%s", k ? "; " : "", r->evidence[k]);
		const char *row[] = { r->control, r->applicable ? "yes" : "no",
				      r->applicable ? aims_impl_status_name(r->status) : "excluded",
				      r->owner ? r->owner : "-", ev.len ? ev.ptr : "-" };
		cli_table_add(t, row);
		aims_buf_release(&ev);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	size_t nmissing = 0;
	for (size_t i = 0; i < aims_catalog_count(cat); i++) {
		const aims_requirement *r = aims_catalog_at(cat, i);
		if (strcmp(r->kind, "control") == 0 && !aims_isms_find(isms, r->id))
			nmissing++;
	}
	printf("\n%zu implemented, %zu partial, %zu planned, %zu not-implemented, %zu excluded; "
	       "%zu Annex A control%s without a row\n", c.implemented, c.partial, c.planned,
	       c.not_implemented, c.excluded, nmissing, nmissing == 1 ? "" : "s");
	rc = EXIT_OK;
done:
	aims_catalog_free(cat);
	aims_isms_free(isms);
	aims_store_free(store);
	return rc;
}

int cmd_isms_versions(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_isms_info *list = NULL;
	size_t n = 0;
	int rc, err;

	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_isms_versions(&list, &n, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < n; i++)
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}",
				"version", (json_int_t)list[i].version, "framework", list[i].framework,
				"imported_at", list[i].imported_at, "source", list[i].source,
				"digest", list[i].digest, "rows", (json_int_t)list[i].rows));
		rc = cli_print_json(json_pack("{s:o}", "versions", arr ? arr : json_null()));
		goto done;
	}
	if (n == 0) {
		printf("no ISMS state imported (run 'aims isms import FILE')\n");
		rc = EXIT_OK;
		goto done;
	}
	static const char *const hdr[] = { "VERSION", "IMPORTED", "ROWS", "DIGEST", "SOURCE" };
	cli_table *t = cli_table_new(5, hdr);
	for (size_t i = 0; i < n; i++) {
		char v[32], rows[32], digest[16];
		snprintf(v, sizeof(v), "%lld", (long long)list[i].version);
		snprintf(rows, sizeof(rows), "%zu", list[i].rows);
		snprintf(digest, sizeof(digest), "%.12s", list[i].digest);
		const char *row[] = { v, list[i].imported_at, rows, digest, list[i].source };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	rc = EXIT_OK;
done:
	aims_isms_versions_free(list, n);
	aims_store_free(store);
	return rc;
}
