/*
 * aims aiact: EU AI Act classification of an AI system from an answers
 * file, the obligations it brings as tracked items (status, evidence), the
 * Art. 27 fundamental rights impact assessment template and the Annex IV
 * technical documentation pack.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aiact.h"
#include "commands.h"

const cli_opt cmd_aiact_classify_opts[] = {
	{ "answers", "FILE", "the answers file (YAML, or JSON; '-' for standard input; required)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_aiact_obligations_opts[] = {
	{ "all", NULL, "also list obligations a later classification no longer needs", 0 },
	{ "on", "DATE", "the day to check whether each obligation applies yet (YYYY-MM-DD; default today)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_aiact_obligation_set_opts[] = {
	{ "status", "STATUS", "open, in-progress, met (needs evidence) or not-applicable", OPT_VALUE },
	{ "evidence", "REF", "an evidence reference to add: document id, file, URL, ticket (repeatable)",
	  OPT_VALUE | OPT_MULTI },
	{ "note", "TEXT", "a note (one line)", OPT_VALUE },
	{ "json", NULL, "print JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_aiact_fria_opts[] = {
	{ "out", "FILE", "write the Markdown to FILE instead of standard output", OPT_VALUE },
	{ "force", NULL, "write the template even when the classification does not require a FRIA", 0 },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_aiact_annex_iv_opts[] = {
	{ "html", "FILE", "the HTML file to write (required)", OPT_VALUE },
	{ "json", NULL, "print the counts as JSON", 0 },
	{ NULL, NULL, NULL, 0 }
};

int cmd_risk_read_file(char **out, size_t *len, const char *path, size_t max)
{
	aims_buf b = AIMS_BUF_INIT;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;
	*out = NULL;
	*len = 0;
	if (!f) {
		fprintf(stderr, "error: cannot open '%s': %s\n", path, strerror(errno));
		return errno == ENOENT ? EXIT_NOTFOUND : EXIT_FAILURE_;
	}
	b.max = max;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (aims_buf_put(&b, chunk, n) < 0) {
			if (f != stdin)
				fclose(f);
			aims_buf_release(&b);
			fprintf(stderr, "error: '%s': larger than %zu bytes\n", path, max);
			return EXIT_INPUT;
		}
	int bad = ferror(f);
	if (f != stdin)
		fclose(f);
	if (bad) {
		aims_buf_release(&b);
		fprintf(stderr, "error: cannot read '%s'\n", path);
		return EXIT_FAILURE_;
	}
	*out = aims_buf_detach(&b, len);
	return *out ? EXIT_OK : EXIT_FAILURE_;
}

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *item_json(const aims_aiact_item *it)
{
	json_t *ev = json_array();
	for (size_t i = 0; ev && i < it->nevidence; i++)
		json_array_append_new(ev, json_string(it->evidence[i]));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:s, s:o}", "id", it->id, "system",
			 it->system, "key", it->key, "article", it->article, "requirement", it->requirement, "role",
			 it->role, "description", it->description, "status", it->status, "evidence", ev, "note",
			 opt_str(it->note), "active", it->active, "updated_at", it->updated_at, "applies_from",
			 opt_str(it->applies_from));
}

/* the stored classification as printed: result keys plus system, version, ids of tracked items */
static json_t *record_json(const aims_aiact_record *rec, const aims_aiact_items *items)
{
	json_t *res = json_loads(rec->result, 0, NULL), *ans = json_loads(rec->answers, 0, NULL);
	json_t *o = json_pack("{s:s, s:i}", "system", rec->system, "version", rec->version);
	if (!res || !ans || !o) {
		json_decref(res);
		json_decref(ans);
		json_decref(o);
		return NULL;
	}
	const char *k;
	json_t *v;
	json_object_foreach(res, k, v) {
		json_object_set(o, k, v);
	}
	json_t *obl = json_object_get(o, "obligations");
	size_t i;
	json_array_foreach(obl, i, v) {
		const char *key = json_string_value(json_object_get(v, "key"));
		for (size_t n = 0; items && key && n < items->count; n++)
			if (strcmp(items->items[n].key, key) == 0) {
				json_object_set_new(v, "id", json_string(items->items[n].id));
				json_object_set_new(v, "status", json_string(items->items[n].status));
			}
	}
	json_object_set_new(o, "answers", ans);
	json_object_set_new(o, "digest", json_string(rec->digest));
	json_object_set_new(o, "classified_at", json_string(rec->classified_at));
	json_decref(res);
	return o;
}

static void print_lines(json_t *o, const char *key, const char *title)
{
	json_t *v;
	size_t i;
	if (json_array_size(json_object_get(o, key)) == 0)
		return;
	printf("%s:\n", title);
	json_array_foreach(json_object_get(o, key), i, v) {
		printf("  - ");
		cli_wrap(stdout, json_string_value(v), 4, cli_term_width());
	}
}

/* with_warnings: also the warnings of the answers (classify prints those on standard error) */
static void print_record(const aims_aiact_record *rec, const aims_aiact_items *items, int with_warnings)
{
	json_t *o = record_json(rec, items);
	if (!o)
		return;
	printf("%s: %s (classification version %d)\n", rec->system, rec->tier, rec->version);
	json_t *basis = json_object_get(o, "basis"), *v;
	size_t i;
	printf("basis: ");
	if (json_array_size(basis) == 0)
		printf("no Article 5, 6 or 50 criterion applies");
	json_array_foreach(basis, i, v) {
		printf("%s%s", i ? ", " : "", json_string_value(v));
	}
	printf("\nfundamental rights impact assessment (Art. 27): %s\n",
	       json_is_true(json_object_get(o, "fria_required")) ? "required" : "not required");
	json_t *ex = json_object_get(o, "exemption");
	if (json_is_object(ex)) {
		printf("exemption: %s; the provider's duties:\n", json_string_value(json_object_get(ex, "article")));
		json_array_foreach(json_object_get(ex, "duties"), i, v) {
			printf("  %s\n", json_string_value(json_object_get(v, "article")));
			cli_wrap(stdout, json_string_value(json_object_get(v, "description")), 11, cli_term_width());
		}
	}
	print_lines(o, "notes", "notes");
	if (with_warnings)
		print_lines(o, "warnings", "warnings");
	printf("obligations (%s):\n", json_string_value(json_object_get(json_object_get(o, "answers"), "role")));
	json_array_foreach(json_object_get(o, "obligations"), i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *from = json_string_value(json_object_get(v, "applies_from"));
		printf("  %-8s %s%s%s%s\n", id ? id : "-", json_string_value(json_object_get(v, "article")),
		       from ? " (applies from " : "", from ? from : "", from ? ")" : "");
		cli_wrap(stdout, json_string_value(json_object_get(v, "description")), 11, cli_term_width());
	}
	if (json_array_size(json_object_get(o, "obligations")) == 0)
		printf("  none\n");
	json_decref(o);
}

int cmd_aiact_classify(cli_ctx *ctx)
{
	const char *path = cli_get(ctx, "answers");
	aims_store *store = NULL;
	aims_aiact_answers a;
	aims_aiact_record *rec = NULL;
	aims_aiact_items *items = NULL;
	char *data = NULL;
	size_t len = 0;
	int rc, err;

	if (!path)
		return cli_usage(ctx, "missing --answers FILE");
	if ((rc = cmd_risk_read_file(&data, &len, path, (size_t)1 << 20)) != EXIT_OK)
		return rc;
	if ((err = aims_aiact_answers_parse(&a, data, len, strcmp(path, "-") == 0 ? "standard input" : path)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	/* a version 1 file: what it could not decide (docs/aiact.md) */
	for (size_t i = 0; i < a.nwarnings; i++)
		fprintf(stderr, "warning: %s\n", a.warnings[i]);
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		goto done;
	if ((err = aims_aiact_store(&rec, store, ctx->args[0], &a)) < 0 ||
	    (err = aims_aiact_items_read(&items, store, ctx->args[0], 0)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if (ctx->json)
		rc = cli_print_json(record_json(rec, items));
	else
		print_record(rec, items, 0);
done:
	free(data);
	aims_aiact_items_free(items);
	aims_aiact_record_free(rec);
	aims_store_free(store);
	return rc;
}

int cmd_aiact_show(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_aiact_record *rec = NULL;
	aims_aiact_items *items = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_aiact_read(&rec, store, ctx->args[0], 0)) < 0 ||
	    (err = aims_aiact_items_read(&items, store, ctx->args[0], 0)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (ctx->json)
		rc = cli_print_json(record_json(rec, items));
	else
		print_record(rec, items, 1);
done:
	aims_aiact_items_free(items);
	aims_aiact_record_free(rec);
	aims_store_free(store);
	return rc;
}

int cmd_aiact_obligations(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_aiact_items *items = NULL;
	aims_aiact_record *rec = NULL;
	const char *on = cli_get(ctx, "on");
	char today[16];
	int *applies = NULL;
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	/* a system without a classification has no obligations yet: say so (exit 5) */
	if ((err = aims_aiact_read(&rec, store, ctx->args[0], 0)) < 0 ||
	    (err = aims_aiact_items_read(&items, store, ctx->args[0], cli_flag(ctx, "all"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	/* whether each obligation applies on the day (Art. 113): --on, else today (UTC); a bad --on is bad
	 * input (exit 3) */
	aims_aiact_today(today);
	int given = on != NULL, first = 0;
	if (!on)
		on = today;
	if (!(applies = calloc(items->count ? items->count : 1, sizeof(*applies)))) {
		rc = cli_fail(AIMS_ENOMEM);
		goto done;
	}
	if ((err = aims_aiact_applies_on(&first, AIMS_AIACT_DATE_CH_I_II, on)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	for (size_t i = 0; i < items->count; i++)
		if (items->items[i].applies_from &&
		    (err = aims_aiact_applies_on(&applies[i], items->items[i].applies_from, on)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < items->count; i++) {
			json_t *o = item_json(&items->items[i]);
			if (o)
				json_object_set_new(o, "applies", items->items[i].applies_from ? json_boolean(applies[i])
											   : json_null());
			json_array_append_new(arr, o);
		}
		json_t *top = json_pack("{s:s, s:i, s:s, s:o}", "system", ctx->args[0], "classification", rec->version,
					"tier", rec->tier, "obligations", arr);
		if (top)
			json_object_set_new(top, "on", json_string(on));
		rc = cli_print_json(top);
		goto done;
	}
	static const char *const hdr[] = { "ID", "ARTICLE", "ROLE", "STATUS", "APPLIES", "EVIDENCE", "DESCRIPTION" };
	cli_table *t = cli_table_new(7, hdr);
	size_t now_applies = 0;
	for (size_t i = 0; t && i < items->count; i++) {
		const aims_aiact_item *it = &items->items[i];
		char ev[16], st[48], ap[32];
		snprintf(ev, sizeof(ev), "%zu", it->nevidence);
		snprintf(st, sizeof(st), "%s%s", it->status, it->active ? "" : " (inactive)");
		if (!it->applies_from)
			snprintf(ap, sizeof(ap), "-");
		else if (applies[i])
			snprintf(ap, sizeof(ap), "yes");
		else
			snprintf(ap, sizeof(ap), "from %s", it->applies_from);
		now_applies += it->active && applies[i];
		const char *cells[] = { it->id, it->article, it->role, st, ap, ev, it->description };
		cli_table_add(t, cells);
	}
	if (t) {
		cli_table_print(t, stdout);
		cli_table_free(t);
	}
	size_t open = 0, met = 0;
	for (size_t i = 0; i < items->count; i++) {
		open += items->items[i].active && strcmp(items->items[i].status, "open") == 0;
		met += items->items[i].active && strcmp(items->items[i].status, "met") == 0;
	}
	printf("%s: %s, %zu obligations, %zu met, %zu open; %zu apply on %s%s\n", ctx->args[0], rec->tier,
	       items->count, met, open, now_applies, on, given ? "" : " (today)");
done:
	free(applies);
	aims_aiact_record_free(rec);
	aims_aiact_items_free(items);
	aims_store_free(store);
	return rc;
}

int cmd_aiact_obligation_set(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_aiact_set_opts o = AIMS_AIACT_SET_INIT;
	aims_aiact_items *items = NULL;
	const char *ev[CLI_MAX_VALUES];
	int rc, err;

	o.status = cli_get(ctx, "status");
	o.note = cli_get(ctx, "note");
	o.nadd = (size_t)cli_get_all(ctx, "evidence", ev, CLI_MAX_VALUES);
	o.add_evidence = ev;
	if (!o.status && !o.note && !o.nadd)
		return cli_usage(ctx, "nothing to change: give --status, --evidence or --note");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_aiact_item_set(store, ctx->args[0], &o)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_after_write(store)) != EXIT_OK)
		goto done;
	if ((err = aims_aiact_items_read(&items, store, NULL, 1)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	for (size_t i = 0; i < items->count; i++) {
		const aims_aiact_item *it = &items->items[i];
		if (strcmp(it->id, ctx->args[0]) != 0)
			continue;
		if (ctx->json)
			rc = cli_print_json(item_json(it));
		else
			printf("%s (%s, %s): %s, %zu evidence reference%s\n", it->id, it->system, it->article, it->status,
			       it->nevidence, it->nevidence == 1 ? "" : "s");
	}
done:
	aims_aiact_items_free(items);
	aims_store_free(store);
	return rc;
}

int cmd_aiact_fria(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_buf out = AIMS_BUF_INIT;
	const char *path = cli_get(ctx, "out");
	int rc, err;
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_aiact_fria(&out, store, ctx->args[0], cli_flag(ctx, "force"))) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (path) {
		if ((rc = cli_write_file(path, out.ptr, out.len)) == EXIT_OK)
			printf("wrote %s\n", path);
	} else {
		fwrite(out.ptr, 1, out.len, stdout);
	}
done:
	aims_buf_release(&out);
	aims_store_free(store);
	return rc;
}

int cmd_aiact_annex_iv(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_buf out = AIMS_BUF_INIT;
	aims_aiact_annex_iv_stats s = { 0, 0, 0 };
	const char *path = cli_get(ctx, "html");
	int rc, err;
	if (!path)
		return cli_usage(ctx, "missing --html FILE");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_aiact_annex_iv_html(&out, &s, store, ctx->args[0])) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if ((rc = cli_write_file(path, out.ptr, out.len)) != EXIT_OK)
		goto done;
	if (ctx->json)
		rc = cli_print_json(json_pack("{s:s, s:s, s:i, s:i, s:i}", "system", ctx->args[0], "html", path,
					      "items", (int)s.items, "found", (int)s.found, "missing", (int)s.missing));
	else
		printf("wrote %s: %zu Annex IV items, %zu found, %zu missing\n", path, s.items, s.found, s.missing);
done:
	aims_buf_release(&out);
	aims_store_free(store);
	return rc;
}
