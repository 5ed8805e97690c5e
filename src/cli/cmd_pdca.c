/*
 * aims incident, aims nc: AI incidents with their EU AI Act reporting
 * clocks, nonconformities with their corrective actions. The work and the
 * JSON are the library's operations (incident.*, nc.*, ca.*; pdca.h); this
 * file prints their results for people.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

const cli_opt cmd_review_pack_opts[] = {
	{ "html", "FILE", "write the pack as a self-contained HTML report", OPT_VALUE | OPT_FORMAT },
	{ NULL, NULL, NULL, 0 }
};

const cli_opt cmd_audit_report_opts[] = {
	{ "html", "FILE", "write the report as a self-contained HTML page", OPT_VALUE | OPT_FORMAT },
	{ NULL, NULL, NULL, 0 }
};

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static const char *txt(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* ---- incidents ---- */

static const char *deadline_text(char *buf, size_t n, const json_t *inc)
{
	const char *state = json_string_value(json_object_get(inc, "deadline_state"));
	if (!json_is_true(json_object_get(inc, "serious")))
		return "-";
	if (state && strcmp(state, "open") == 0)
		snprintf(buf, n, "%s (%lld h left)", js(inc, "deadline"),
			 (long long)json_integer_value(json_object_get(inc, "hours_left")));
	else
		snprintf(buf, n, "%s (%s)", js(inc, "deadline"), state ? state : "-");
	return buf;
}

int cmd_incident_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *i = res->json;
	char dl[96];
	size_t k;
	json_t *v;
	(void)ctx;
	printf("%s  %s\n", js(i, "id"), js(i, "title"));
	printf("system:     %s%s%s\n", js(i, "system"), json_is_string(json_object_get(i, "model")) ? "  model " : "",
	       txt(i, "model"));
	printf("status:     %s\n", js(i, "status"));
	printf("harm:       %s, severity %s\n", js(i, "harm"), js(i, "severity"));
	printf("aware:      %s (by %s, role %s)\n", js(i, "awareness"), js(i, "opened_by"), js(i, "role"));
	if (json_is_true(json_object_get(i, "serious"))) {
		printf("serious:    yes, %s: report within %lld days\n", js(i, "article"),
		       (long long)json_integer_value(json_object_get(i, "report_days")));
		printf("deadline:   %s\n", deadline_text(dl, sizeof(dl), i));
		printf("report to:");
		json_array_foreach(json_object_get(i, "required_reports"), k, v) {
			printf("%s %s", k ? "," : "", json_string_value(v));
		}
		printf("\n");
	} else
		printf("serious:    no\n");
	if (json_is_string(json_object_get(i, "affected_groups")))
		printf("affected:   %s\n", js(i, "affected_groups"));
	if (json_is_string(json_object_get(i, "evidence")))
		printf("evidence:   %s\n", js(i, "evidence"));
	if (json_array_size(json_object_get(i, "isms_controls"))) {
		printf("ISO 27001:");
		json_array_foreach(json_object_get(i, "isms_controls"), k, v) {
			printf(" %s", json_string_value(v));
		}
		printf("\n");
	}
	if (json_is_string(json_object_get(i, "description")))
		printf("\n%s\n", js(i, "description"));
	json_array_foreach(json_object_get(i, "reports"), k, v) {
		printf("report:     %s %s%s%s, %s, sent %s (recorded by %s)\n", js(v, "kind"), js(v, "recipient"),
		       json_is_string(json_object_get(v, "name")) ? " " : "", txt(v, "name"),
		       json_is_string(json_object_get(v, "reference")) ? js(v, "reference") : "no reference",
		       js(v, "sent_at"), js(v, "recorded_by"));
	}
	json_array_foreach(json_object_get(i, "notes"), k, v) {
		printf("note:       %s (%s, %s)\n", js(v, "note"), js(v, "by"), js(v, "at"));
	}
	json_array_foreach(json_object_get(i, "marked_for_review"), k, v) {
		printf("review:     %s %s marked for review\n", js(v, "type"), js(v, "id"));
	}
	json_array_foreach(json_object_get(i, "nonconformities"), k, v) {
		printf("nonconformity: %s\n", json_string_value(v));
	}
	if (json_is_string(json_object_get(i, "closed_at")))
		printf("closed:     %s by %s: %s\n", js(i, "closed_at"), js(i, "closed_by"), js(i, "closure"));
	return EXIT_OK;
}

int cmd_incident_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "SYSTEM", "SEVERITY", "SERIOUS", "STATUS", "AWARE", "DEADLINE", "TITLE" };
	cli_table *t = cli_table_new(8, hdr);
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "incidents"), i, v) {
		char dl[96];
		const char *row[] = { js(v, "id"), js(v, "system"), js(v, "severity"),
				      json_is_true(json_object_get(v, "serious")) ? "yes" : "no", js(v, "status"),
				      js(v, "awareness"), deadline_text(dl, sizeof(dl), v), js(v, "title") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* ---- nonconformities and corrective actions ---- */

static void print_action(const json_t *a)
{
	printf("  %s  %-9s owner %s, due %s%s\n      %s\n", js(a, "id"), js(a, "status"), js(a, "owner"), js(a, "due"),
	       json_is_true(json_object_get(a, "overdue")) ? " (overdue)" : "", js(a, "description"));
	json_t *d = json_object_get(a, "done"), *r = json_object_get(a, "review");
	if (json_is_object(d))
		printf("      done by %s at %s: %s\n", js(d, "by"), js(d, "at"), js(d, "note"));
	if (json_is_object(r))
		printf("      reviewed %s by %s at %s: %s\n", js(r, "result"), js(r, "by"), js(r, "at"), js(r, "note"));
}

int cmd_nc_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *n = res->json;
	size_t k;
	json_t *a;
	(void)ctx;
	printf("%s  %s\n", js(n, "id"), js(n, "title"));
	printf("status:      %s\n", js(n, "status"));
	printf("source:      %s%s%s\n", js(n, "source"), json_is_string(json_object_get(n, "source_ref")) ? " " : "",
	       txt(n, "source_ref"));
	if (json_is_string(json_object_get(n, "requirement")))
		printf("requirement: ISO/IEC 42001 %s\n", js(n, "requirement"));
	if (json_is_string(json_object_get(n, "system")))
		printf("system:      %s\n", js(n, "system"));
	printf("owner:       %s%s%s\n", js(n, "owner"), json_is_string(json_object_get(n, "due")) ? ", due " : "",
	       txt(n, "due"));
	if (json_is_string(json_object_get(n, "evidence")))
		printf("evidence:    %s\n", js(n, "evidence"));
	if (json_is_string(json_object_get(n, "description")))
		printf("\n%s\n\n", js(n, "description"));
	json_t *rc = json_object_get(n, "root_cause");
	if (json_is_object(rc))
		printf("root cause:  %s (%s, %s)\n", js(rc, "text"), js(rc, "by"), js(rc, "at"));
	if (json_is_array(json_object_get(n, "actions"))) {
		printf("corrective actions: %zu\n", json_array_size(json_object_get(n, "actions")));
		json_array_foreach(json_object_get(n, "actions"), k, a) {
			print_action(a);
		}
	}
	if (json_is_string(json_object_get(n, "closed_at")))
		printf("closed:      %s by %s: %s\n", js(n, "closed_at"), js(n, "closed_by"), js(n, "closure"));
	return EXIT_OK;
}

int cmd_nc_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "STATUS", "SOURCE", "REQUIREMENT", "SYSTEM", "OWNER", "DUE", "ACTIONS",
					   "TITLE" };
	cli_table *t = cli_table_new(9, hdr);
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "nonconformities"), i, v) {
		char acts[48];
		snprintf(acts, sizeof(acts), "%lld (%lld open)",
			 (long long)json_integer_value(json_object_get(v, "actions_total")),
			 (long long)json_integer_value(json_object_get(v, "actions_open")));
		const char *row[] = { js(v, "id"), js(v, "status"), js(v, "source"), js(v, "requirement"), js(v, "system"),
				      js(v, "owner"), js(v, "due"), acts, js(v, "title") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_ca_render(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("%s of %s\n", js(res->json, "id"), js(res->json, "nonconformity"));
	print_action(res->json);
	return EXIT_OK;
}

int cmd_ca_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "NONCONFORMITY", "STATUS", "OWNER", "DUE", "OVERDUE", "ACTION" };
	cli_table *t = cli_table_new(7, hdr);
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "actions"), i, v) {
		const char *row[] = { js(v, "id"), js(v, "nonconformity"), js(v, "status"), js(v, "owner"), js(v, "due"),
				      json_is_true(json_object_get(v, "overdue")) ? "yes" : "no", js(v, "description") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* ---- internal audits ---- */

int cmd_audit_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *a = res->json;
	size_t k;
	json_t *v;
	(void)ctx;
	if (!a)
		return EXIT_OK; /* audit report --html: the report went to its file */
	printf("%s  %s\n", js(a, "id"), js(a, "title"));
	printf("period:   %s%s%s\n", js(a, "period"), json_is_string(json_object_get(a, "planned")) ? ", planned " : "",
	       txt(a, "planned"));
	printf("status:   %s\n", js(a, "status"));
	if (json_is_string(json_object_get(a, "programme")))
		printf("programme: %s\n", js(a, "programme"));
	printf("auditor:  %s (planned by %s)\n", js(a, "auditor"), js(a, "opened_by"));
	printf("scope:");
	json_array_foreach(json_object_get(a, "scope_requirements"), k, v) {
		printf(" %s", json_string_value(v));
	}
	json_array_foreach(json_object_get(a, "scope_systems"), k, v) {
		printf(" system:%s", json_string_value(v));
	}
	printf("\n");
	json_array_foreach(json_object_get(a, "sample"), k, v) {
		printf("sampled:  %s%s%s\n", js(v, "record"), json_is_string(json_object_get(v, "note")) ? ": " : "",
		       txt(v, "note"));
	}
	json_array_foreach(json_object_get(a, "findings"), k, v) {
		printf("finding %s: %s%s%s: %s%s%s\n", js(v, "id"), js(v, "kind"),
		       json_is_string(json_object_get(v, "requirement")) ? " of " : "", txt(v, "requirement"), js(v, "text"),
		       json_is_string(json_object_get(v, "nonconformity")) ? " -> " : "", txt(v, "nonconformity"));
	}
	json_array_foreach(json_object_get(a, "nonconformities"), k, v) {
		printf("nonconformity %s (finding %s): %s, owner %s, due %s\n", js(v, "id"), js(v, "finding"),
		       js(v, "status"), js(v, "owner"), js(v, "due"));
	}
	if (json_is_string(json_object_get(a, "summary")))
		printf("summary:  %s (closed %s)\n", js(a, "summary"), js(a, "closed_at"));
	return EXIT_OK;
}

int cmd_audit_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "PERIOD", "STATUS", "AUDITOR", "FINDINGS", "TITLE" };
	cli_table *t = cli_table_new(6, hdr);
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "audits"), i, v) {
		char n[24];
		snprintf(n, sizeof(n), "%zu", json_array_size(json_object_get(v, "findings")));
		const char *row[] = { js(v, "id"), js(v, "period"), js(v, "status"), js(v, "auditor"), n, js(v, "title") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* ---- audit programmes ---- */

/* "N of M covered" of a coverage part */
static void coverage_line(const json_t *cov, const char *part, const char *label)
{
	const json_t *p = json_object_get(cov, part);
	size_t nc = json_array_size(json_object_get(p, "covered")), nu = json_array_size(json_object_get(p, "uncovered"));
	size_t k;
	json_t *v;
	printf("  %-9s %zu of %zu covered\n", label, nc, nc + nu);
	json_array_foreach(json_object_get(p, "covered"), k, v) {
		size_t j;
		json_t *a;
		printf("    %s by", js(v, "id"));
		json_array_foreach(json_object_get(v, "audits"), j, a) {
			printf(" %s", json_string_value(a));
		}
		printf("\n");
	}
	if (nu) {
		printf("    not covered:");
		json_array_foreach(json_object_get(p, "uncovered"), k, v) {
			printf(" %s", json_string_value(v));
		}
		printf("\n");
	}
}

int cmd_programme_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *p = res->json, *cov = json_object_get(p, "coverage");
	size_t k;
	json_t *v;
	(void)ctx;
	printf("%s  %s\n", js(p, "id"), js(p, "title"));
	printf("period:    %s (%s..%s, end exclusive)\n", js(p, "period"), js(p, "since"), js(p, "until"));
	printf("owner:     %s (created by %s)\n", js(p, "owner"), js(p, "opened_by"));
	if (json_is_string(json_object_get(p, "objective")))
		printf("objective: %s\n", js(p, "objective"));
	if (json_is_string(json_object_get(p, "frequency")))
		printf("frequency: %s\n", js(p, "frequency"));
	if (json_is_string(json_object_get(p, "method")))
		printf("method:    %s\n", js(p, "method"));
	printf("audits:    %zu\n", json_array_size(json_object_get(p, "audit_status")));
	json_array_foreach(json_object_get(p, "audit_status"), k, v) {
		const json_t *f = json_object_get(v, "findings");
		printf("  %s  %s  %s  auditor %s  findings %lld conformity, %lld observation, %lld nonconformity  %s\n",
		       js(v, "id"), js(v, "period"), js(v, "status"), js(v, "auditor"),
		       (long long)json_integer_value(json_object_get(f, "conformity")),
		       (long long)json_integer_value(json_object_get(f, "observation")),
		       (long long)json_integer_value(json_object_get(f, "nonconformity")), js(v, "title"));
	}
	json_array_foreach(json_object_get(p, "nonconformities"), k, v) {
		printf("nonconformity %s (%s/%s): %s, owner %s, due %s\n", js(v, "id"), js(v, "audit"), js(v, "finding"),
		       js(v, "status"), js(v, "owner"), js(v, "due"));
	}
	printf("coverage:\n");
	coverage_line(cov, "clauses", "clauses");
	coverage_line(cov, "controls", "controls");
	coverage_line(cov, "systems", "systems");
	return EXIT_OK;
}

static const char *ratio(char *buf, size_t n, const json_t *p, const char *part)
{
	const json_t *c = json_object_get(json_object_get(p, "coverage"), part);
	size_t nc = json_array_size(json_object_get(c, "covered")), nu = json_array_size(json_object_get(c, "uncovered"));
	snprintf(buf, n, "%zu/%zu", nc, nc + nu);
	return buf;
}

int cmd_programme_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "PERIOD", "AUDITS", "CLAUSES", "CONTROLS", "SYSTEMS", "TITLE" };
	cli_table *t = cli_table_new(7, hdr);
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "programmes"), i, v) {
		char n[24], c1[48], c2[48], c3[48];
		snprintf(n, sizeof(n), "%zu", json_array_size(json_object_get(v, "audits")));
		const char *row[] = { js(v, "id"), js(v, "period"), n, ratio(c1, sizeof(c1), v, "clauses"),
				      ratio(c2, sizeof(c2), v, "controls"), ratio(c3, sizeof(c3), v, "systems"),
				      js(v, "title") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* ---- monitoring ---- */

int cmd_monitor_render_plan(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *p = res->json;
	size_t k;
	json_t *v;
	(void)ctx;
	int drift = json_array_size(json_object_get(p, "evaluations")) == 0;
	printf("monitoring plan %s (%s): ", js(p, "id"), js(p, "status"));
	json_array_foreach(json_object_get(p, "evaluations"), k, v) {
		printf("%s%s", k ? " + " : "", json_string_value(v));
		drift |= strcmp(json_string_value(v), "drift") == 0;
	}
	if (json_array_size(json_object_get(p, "evaluations")) == 0)
		printf("drift");
	printf(" of %s's %s every %s\n", js(p, "system"), json_is_string(json_object_get(p, "data")) ? "data" : "decisions",
	       js(p, "every"));
	if (json_is_string(json_object_get(p, "data")))
		printf("data:       %s\n", js(p, "data"));
	if (drift && json_is_string(json_object_get(p, "reference")))
		printf("reference:  %s\n", js(p, "reference"));
	else if (drift)
		printf("reference:  %s to %s\n", js(p, "ref_since"), js(p, "ref_until"));
	if (drift)
		printf("threshold:  dataset drift when a share of %g of the fields drifted\n",
		       json_number_value(json_object_get(p, "share_threshold")));
	json_array_foreach(json_object_get(p, "thresholds"), k, v) {
		printf("threshold:  %s\n", json_string_value(v));
	}
	if (json_array_size(json_object_get(p, "columns"))) {
		printf("fields:    ");
		json_array_foreach(json_object_get(p, "columns"), k, v) {
			printf(" %s", json_string_value(v));
		}
		printf("\n");
	}
	printf("owner:      %s%s\n", js(p, "owner"),
	       json_is_true(json_object_get(p, "incident_on_breach")) ? "; a breach also opens an incident" : "");
	return EXIT_OK;
}

int cmd_monitor_render_plans(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "PLAN", "SYSTEM", "EVERY", "STATUS", "OWNER", "REFERENCE" };
	cli_table *t = cli_table_new(6, hdr);
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "plans"), i, v) {
		char ref[80];
		snprintf(ref, sizeof(ref), "%s..%s", js(v, "ref_since"), js(v, "ref_until"));
		const char *row[] = { js(v, "id"), js(v, "system"), js(v, "every"), js(v, "status"), js(v, "owner"), ref };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_monitor_render_runs(cli_ctx *ctx, const aims_op_result *res)
{
	size_t i;
	json_t *v;
	(void)ctx;
	if (json_array_size(json_object_get(res->json, "runs")) == 0)
		printf("no monitoring plan is active\n");
	json_array_foreach(json_object_get(res->json, "runs"), i, v) {
		const json_t *r = json_object_get(v, "result");
		const json_t *now = json_object_get(v, "ran_now");
		printf("%s: %s%s", js(v, "id"), js(v, "status"), json_is_false(now) ? " (already run this period)" : "");
		if (json_is_number(json_object_get(r, "drift_share")))
			printf(", drift share %.3g", json_number_value(json_object_get(r, "drift_share")));
		json_t *ids = json_object_get(r, "evaluations");
		if (json_object_size(ids) > 1) {
			const char *kk;
			json_t *iv;
			printf(", evidence");
			json_object_foreach(ids, kk, iv) {
				printf(" %s %s", kk, json_string_value(iv));
			}
		} else if (json_is_string(json_object_get(r, "evaluation"))) {
			printf(", evidence evaluation %s", js(r, "evaluation"));
		}
		json_t *th;
		size_t q;
		json_array_foreach(json_object_get(r, "thresholds"), q, th) {
			if (json_is_false(json_object_get(th, "held")))
				printf(", %s not held (%s)", js(th, "threshold"), js(th, "outside"));
		}
		if (json_is_string(json_object_get(r, "nonconformity")))
			printf(", opened %s", js(r, "nonconformity"));
		if (json_is_string(json_object_get(r, "incident")))
			printf(" and %s", js(r, "incident"));
		if (json_is_string(json_object_get(r, "error")))
			printf(": %s", js(r, "error"));
		printf("\n");
	}
	return EXIT_OK;
}

/* ---- what is due ---- */

int cmd_due_render(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "DUE", "", "WHAT", "ID", "OWNER" };
	cli_table *t = cli_table_new(5, hdr);
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "items"), i, v) {
		char due[11];
		snprintf(due, sizeof(due), "%.10s", json_is_string(json_object_get(v, "due")) ? js(v, "due") : "-");
		const char *row[] = { due, json_is_true(json_object_get(v, "overdue")) ? "OVERDUE" : "", js(v, "what"),
				      js(v, "id"), js(v, "owner") };
		cli_table_add(t, row);
	}
	if (json_array_size(json_object_get(res->json, "items")) == 0)
		printf("nothing due until %s\n", js(res->json, "until"));
	else
		cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* ---- management review ---- */

static size_t n_of(const json_t *o, const char *a, const char *b)
{
	return json_array_size(json_object_get(b ? json_object_get(o, a) : o, b ? b : a));
}

int cmd_review_pack_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *p = res->json, *rk = json_object_get(p, "risks"), *kp = json_object_get(p, "kpis");
	const char *k;
	json_t *v;
	(void)ctx;
	if (!p)
		return EXIT_OK; /* --html: the report went to its file */
	printf("management review pack %s (%s to %s, end exclusive)\n", js(p, "period"), js(p, "since"), js(p, "until"));
	printf("9.3.2 a previous review records:      %zu\n", n_of(p, "previous_reviews", NULL));
	printf("9.3.2 b changes to the organization:  %zu ledger entries\n", n_of(p, "changes", "organization"));
	printf("9.3.2 c changes to AI systems:        %zu ledger entries\n", n_of(p, "changes", "ai_systems"));
	printf("9.3.2 d monitoring runs:              %zu\n", n_of(p, "monitoring", "runs"));
	printf("        evaluations recorded:         %zu\n", n_of(p, "monitoring", "evaluations"));
	printf("        nonconformities opened:       %zu, open at the end %zu\n", n_of(p, "nonconformities", "opened"),
	       n_of(p, "nonconformities", "open_at_end"));
	printf("        audits closed:                %zu\n", n_of(p, "audits", NULL));
	printf("        incidents:                    %zu\n", n_of(p, "incidents", NULL));
	printf("        risks:                        %lld, above tolerance %lld\n",
	       (long long)json_integer_value(json_object_get(rk, "total")),
	       (long long)json_integer_value(json_object_get(rk, "above_tolerance")));
	json_object_foreach((json_t *)kp, k, v) {
		if (json_is_real(v))
			printf("        %-36s %.1f%%\n", k, 100 * json_real_value(v));
		else if (json_is_integer(v))
			printf("        %-36s %lld\n", k, (long long)json_integer_value(v));
		else
			printf("        %-36s no data in the period\n", k);
	}
	printf("9.3.2 e opportunities:                %zu\n", n_of(p, "opportunities", NULL));
	return EXIT_OK;
}

int cmd_review_record_render(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	printf("recorded the management review %s as draft document %s (inputs %s); submit and approve it with "
	       "'aims doc submit|approve %s'\n", js(res->json, "period"), js(res->json, "document"),
	       js(res->json, "pack_digest"), js(res->json, "document"));
	return EXIT_OK;
}

/* ---- concerns ---- */

int cmd_concern_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *c = res->json, *o = json_object_get(c, "outcome");
	(void)ctx;
	if (json_is_boolean(json_object_get(c, "public_intake"))) {
		printf("concerns from people without an account: %s\n",
		       json_is_true(json_object_get(c, "public_intake")) ? "accepted (rate-limited)" : "refused");
		return EXIT_OK;
	}
	printf("%s  %s\n", js(c, "id"), js(c, "title"));
	printf("kind:      %s, %s\n", js(c, "kind"), js(c, "status"));
	printf("submitted: %s by %s%s%s\n", js(c, "submitted_at"), js(c, "submitted_by"),
	       json_is_string(json_object_get(c, "contact")) ? ", contact " : "", txt(c, "contact"));
	if (json_is_string(json_object_get(c, "system")))
		printf("system:    %s\n", js(c, "system"));
	if (json_is_string(json_object_get(c, "category")))
		printf("triage:    %s, severity %s, owner %s (by %s)\n", js(c, "category"), js(c, "severity"), js(c, "owner"),
		       js(c, "triaged_by"));
	if (json_is_string(json_object_get(c, "details")))
		printf("\n%s\n\n", js(c, "details"));
	if (json_is_object(o))
		printf("outcome:   %s (%s, %s)%s%s\n", js(o, "text"), js(o, "by"), js(o, "at"),
		       json_is_string(json_object_get(c, "nonconformity")) ? "; nonconformity " : "", txt(c, "nonconformity"));
	return EXIT_OK;
}

int cmd_concern_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "STATUS", "KIND", "SYSTEM", "CATEGORY", "SEVERITY", "SUBMITTED", "SUMMARY" };
	cli_table *t = cli_table_new(8, hdr);
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "concerns"), i, v) {
		const char *row[] = { js(v, "id"), js(v, "status"), js(v, "kind"), js(v, "system"), js(v, "category"),
				      js(v, "severity"), js(v, "submitted_at"), js(v, "title") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* ---- suppliers ---- */

int cmd_supplier_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *s = res->json, *r = json_object_get(s, "responsibilities");
	size_t k;
	json_t *v;
	(void)ctx;
	printf("%s  %s\n", js(s, "id"), js(s, "title"));
	printf("provides:");
	json_array_foreach(json_object_get(s, "provides"), k, v) {
		printf(" %s", json_string_value(v));
	}
	printf("\n");
	json_array_foreach(json_object_get(s, "systems"), k, v) {
		printf("system:   %s\n", json_string_value(v));
	}
	json_array_foreach(json_object_get(s, "models"), k, v) {
		printf("model:    %s\n", json_string_value(v));
	}
	json_array_foreach(json_object_get(r, "organization"), k, v) {
		printf("ours:     %s\n", json_string_value(v));
	}
	json_array_foreach(json_object_get(r, "supplier"), k, v) {
		printf("theirs:   %s\n", json_string_value(v));
	}
	json_array_foreach(json_object_get(s, "assessments"), k, v) {
		printf("assessed: %s %s by %s: %s\n", js(v, "at"), js(v, "result"), js(v, "by"), js(v, "note"));
	}
	printf("next assessment: %s\n", js(s, "due"));
	return EXIT_OK;
}

int cmd_supplier_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "SUPPLIER", "PROVIDES", "LAST RESULT", "NEXT ASSESSMENT" };
	cli_table *t = cli_table_new(5, hdr);
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "suppliers"), i, v) {
		char prov[128] = "";
		size_t k;
		json_t *p;
		json_array_foreach(json_object_get(v, "provides"), k, p) {
			size_t l = strlen(prov);
			snprintf(prov + l, sizeof(prov) - l, "%s%s", k ? "," : "", json_string_value(p));
		}
		const char *row[] = { js(v, "id"), js(v, "title"), prov, js(v, "last_result"), js(v, "due") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* ---- ISMS exchange ---- */

int cmd_exchange_render(cli_ctx *ctx, const aims_op_result *res)
{
	size_t i;
	json_t *v;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "created"), i, v) {
		printf("line %lld: %s from %s\n", (long long)json_integer_value(json_object_get(v, "line")), js(v, "id"),
		       js(v, "isms_ref"));
	}
	printf("imported %zu %s, %lld imported before and left alone\n", json_array_size(json_object_get(res->json, "created")),
	       js(res->json, "kind"), (long long)json_integer_value(json_object_get(res->json, "unchanged")));
	return EXIT_OK;
}

/* ---- objectives ---- */

static void value_text(char *out, size_t n, const json_t *v, const char *kpi)
{
	if (json_is_null(v) || !v)
		snprintf(out, n, "no data");
	else if (json_is_real(v) || (kpi && strstr(kpi, "rate")) || (kpi && strstr(kpi, "in-time")))
		snprintf(out, n, "%.1f%%", 100 * json_number_value(v));
	else
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
}

int cmd_objective_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *o = res->json, *t = json_object_get(o, "target");
	(void)ctx;
	printf("%s  %s\nKPI %s %s %g, every %s, owner %s%s%s\n", js(o, "id"), js(o, "title"), js(o, "kpi"), js(t, "op"),
	       json_number_value(json_object_get(t, "value")), js(o, "every"), js(o, "owner"),
	       json_is_string(json_object_get(o, "system")) ? ", system " : "", txt(o, "system"));
	return EXIT_OK;
}

int cmd_objective_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "KPI", "TARGET", "VALUE", "MET", "TREND (older to newer)", "TITLE" };
	cli_table *t = cli_table_new(7, hdr);
	size_t i;
	json_t *o;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "objectives"), i, o) {
		const json_t *tg = json_object_get(o, "target");
		char target[48], value[32], trend[160] = "";
		snprintf(target, sizeof(target), "%s %g", js(tg, "op"), json_number_value(json_object_get(tg, "value")));
		value_text(value, sizeof(value), json_object_get(o, "value"), js(o, "kpi"));
		const json_t *tr = json_object_get(o, "trend");
		for (size_t k = json_array_size(tr); k-- > 0;) {
			char v[32];
			size_t l = strlen(trend);
			value_text(v, sizeof(v), json_object_get(json_array_get(tr, k), "value"), js(o, "kpi"));
			snprintf(trend + l, sizeof(trend) - l, "%s%s %s", l ? ", " : "",
				 js(json_array_get(tr, k), "period"), v);
		}
		const json_t *m = json_object_get(o, "met");
		const char *row[] = { js(o, "id"), js(o, "kpi"), target, json_is_array(tr) ? value : "-",
				      json_is_null(m) || !m ? "-" : json_is_true(m) ? "yes" : "NO", json_is_array(tr) ? trend : "-",
				      js(o, "title") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}
