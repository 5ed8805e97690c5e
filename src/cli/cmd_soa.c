/*
 * aims soa and aims soa set: the ISO/IEC 42001 Statement of Applicability.
 */
#include <string.h>
#include <strings.h>

#include "commands.h"

const cli_opt cmd_soa_opts[] = {
	{ "json", NULL, "print JSON instead of text", 0 },
	{ "csv", NULL, "print CSV instead of text", 0 },
	{ "html", "FILE", "also write the SoA as one self-contained HTML file", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_soa_set_opts[] = {
	{ "applicable", "yes|no", "whether the control applies", OPT_VALUE },
	{ "justification", "TEXT", "why the control is included or excluded", OPT_VALUE },
	{ "status", "STATUS", "implemented, partial, planned or not-implemented", OPT_VALUE },
	{ "owner", "NAME", "who owns the control", OPT_VALUE },
	{ NULL, NULL, NULL, 0 }
};

static json_t *strs(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

int cmd_soa(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_soa *soa = NULL;
	aims_buf buf = AIMS_BUF_INIT;
	const char *html_path = cli_get(ctx, "html");
	int rc, err;

	if (ctx->json && cli_flag(ctx, "csv"))
		return cli_usage(ctx, "--json and --csv exclude each other");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_soa_read(&soa, store)) < 0) {
		rc = cli_fail(err);
		goto done;
	}
	if (html_path) {
		if ((err = aims_report_soa_html(&buf, store, soa)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		if ((rc = cli_write_file(html_path, buf.ptr, buf.len)) != 0)
			goto done;
		aims_buf_clear(&buf);
	}
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < aims_soa_count(soa); i++) {
			const aims_soa_entry *e = aims_soa_at(soa, i);
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
				"control", e->control, "title", e->title, "group", e->group,
				"decided", e->decided, "applicable", e->applicable,
				"justification", opt_str(e->justification),
				"status", e->status == AIMS_STATUS_UNKNOWN ? json_null()
					  : json_string(aims_impl_status_name(e->status)),
				"owner", opt_str(e->owner), "updated_at", opt_str(e->updated_at),
				"gap", e->gap_status < 0 ? json_null()
					  : json_string(aims_gap_status_name((aims_gap_status)e->gap_status)),
				"evidence", strs(e->evidence, e->nevidence), "risks", strs(e->risks, e->nrisks)));
		}
		rc = cli_print_json(json_pack("{s:s, s:o}", "framework", "iso42001-2023", "controls", arr));
	} else if (cli_flag(ctx, "csv")) {
		if ((err = aims_report_soa_csv(&buf, soa)) < 0) {
			rc = cli_fail(err);
			goto done;
		}
		fwrite(buf.ptr, 1, buf.len, stdout);
		rc = EXIT_OK;
	} else {
		static const char *const hdr[] = { "CONTROL", "APPLICABLE", "STATUS", "ISMS", "OWNER", "JUSTIFICATION" };
		cli_table *t = cli_table_new(6, hdr);
		size_t undecided = 0;
		for (size_t i = 0; i < aims_soa_count(soa); i++) {
			const aims_soa_entry *e = aims_soa_at(soa, i);
			undecided += !e->decided;
			const char *row[] = { e->control, !e->decided ? "undecided" : e->applicable ? "yes" : "no",
				e->status == AIMS_STATUS_UNKNOWN ? "-" : aims_impl_status_name(e->status),
				e->gap_status < 0 ? "-" : aims_gap_status_name((aims_gap_status)e->gap_status),
				e->owner ? e->owner : "-", e->justification ? e->justification : "-" };
			cli_table_add(t, row);
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
		printf("\n%zu controls, %zu not yet decided ('aims soa set CONTROL --applicable yes|no "
		       "--justification TEXT')\n", aims_soa_count(soa), undecided);
		if (html_path)
			printf("SoA written to '%s'\n", html_path);
		rc = EXIT_OK;
	}
done:
	aims_buf_release(&buf);
	aims_soa_free(soa);
	aims_store_free(store);
	return rc;
}

int cmd_soa_set(cli_ctx *ctx)
{
	aims_store *store = NULL;
	aims_soa_update upd = AIMS_SOA_UPDATE_INIT;
	const char *app = cli_get(ctx, "applicable");
	const char *status = cli_get(ctx, "status");
	int rc, err;

	if (app) {
		if (strcasecmp(app, "yes") == 0 || strcasecmp(app, "y") == 0 || strcasecmp(app, "true") == 0)
			upd.applicable = 1;
		else if (strcasecmp(app, "no") == 0 || strcasecmp(app, "n") == 0 || strcasecmp(app, "false") == 0)
			upd.applicable = 0;
		else
			return cli_usage(ctx, "--applicable '%s': expected yes or no", app);
	}
	if (status) {
		upd.status = aims_impl_status_parse(status);
		if (upd.status < 0 || upd.status == AIMS_STATUS_UNKNOWN)
			return cli_usage(ctx, "--status '%s': expected implemented, partial, planned or not-implemented",
					 status);
	}
	upd.justification = cli_get(ctx, "justification");
	upd.owner = cli_get(ctx, "owner");
	if (!app && !status && !upd.justification && !upd.owner)
		return cli_usage(ctx, "nothing to set: give --applicable, --justification, --status or --owner");
	if ((rc = cli_open_store(&store, ctx, 0)) != 0)
		return rc;
	if ((err = aims_soa_set(store, ctx->args[0], &upd)) < 0)
		rc = cli_fail(err);
	else
		rc = cli_after_write(store);
	aims_store_free(store);
	return rc;
}
