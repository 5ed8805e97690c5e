/*
 * aims policy, aims gate, aims review: policies as code, lifecycle gates
 * with exceptions, and human review of AI decisions. The work and the JSON
 * are the library's operations (policy.*, gate.*, review.*; policy.h,
 * oversight.h); this file prints their results for people.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static const char *js(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static long long ji(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* ---- policies ---- */

static void print_policy(const json_t *p)
{
	size_t i;
	const char *key;
	json_t *v;
	printf("policy %s version %lld (%s)\ndigest: %s\nsource: %s (%s)\n", js(p, "name"), ji(p, "version"),
	       js(p, "status"), js(p, "digest"), js(p, "source"), js(p, "source_digest"));
	if (json_is_string(json_object_get(p, "description")))
		printf("description: %s\n", js(p, "description"));
	json_t *scope = json_object_get(p, "applies_to");
	printf("applies to:");
	json_array_foreach(json_object_get(scope, "systems"), i, v) {
		printf(" system %s", json_string_value(v));
	}
	json_array_foreach(json_object_get(scope, "tiers"), i, v) {
		printf(" tier %s", json_string_value(v));
	}
	printf("\n");
	json_object_foreach(json_object_get(p, "stages"), key, v) {
		size_t k;
		json_t *x;
		printf("stage %s:\n", key);
		json_array_foreach(json_object_get(v, "approvals"), k, x) {
			printf("  approval by %lld account%s with role %s\n", ji(x, "count"), ji(x, "count") == 1 ? "" : "s",
			       js(x, "role"));
		}
		if (json_is_true(json_object_get(v, "impact_assessment")))
			printf("  an approved impact assessment covering the model version\n");
		json_array_foreach(json_object_get(v, "evaluations"), k, x) {
			size_t t;
			json_t *th;
			printf("  %s evaluation of the model digest, at most %lld days old", js(x, "kind"),
			       ji(x, "max_age_days"));
			json_array_foreach(json_object_get(x, "thresholds"), t, th) {
				printf("%s %s %s %g", t ? "," : ":", js(th, "metric"), js(th, "op"),
				       json_number_value(json_object_get(th, "value")));
			}
			printf("\n");
		}
		if (json_is_true(json_object_get(v, "risks_within_tolerance")))
			printf("  no risk above tolerance untreated or awaiting acceptance\n");
		json_t *ob = json_object_get(v, "aiact_obligations");
		if (json_is_string(ob))
			printf("  every EU AI Act obligation of the tier met or not applicable\n");
		else if (json_is_array(ob))
			printf("  EU AI Act obligations met or not applicable: %zu named\n", json_array_size(ob));
	}
	json_t *e = json_object_get(p, "exceptions");
	if (json_is_object(e)) {
		size_t k;
		json_t *x;
		printf("exceptions: at most %lld days, approved by", ji(e, "max_days"));
		json_array_foreach(json_object_get(e, "approvals"), k, x) {
			printf("%s %lld %s", k ? "," : "", ji(x, "count"), js(x, "role"));
		}
		printf("\n");
	}
	json_t *r = json_object_get(p, "review");
	if (json_is_object(r)) {
		printf("review of decisions:");
		if (json_is_number(json_object_get(r, "confidence_below")))
			printf(" confidence below %g;", json_number_value(json_object_get(r, "confidence_below")));
		if (json_array_size(json_object_get(r, "output_classes"))) {
			size_t k;
			json_t *x;
			printf(" output%s%s in", json_is_string(json_object_get(r, "output_field")) ? "." : "",
			       json_is_string(json_object_get(r, "output_field")) ? js(r, "output_field") : "");
			json_array_foreach(json_object_get(r, "output_classes"), k, x) {
				printf(" %s", json_string_value(x));
			}
			printf(";");
		}
		const char *f;
		json_t *vals;
		json_object_foreach(json_object_get(r, "input"), f, vals) {
			printf(" input.%s in %zu value%s;", f, json_array_size(vals), json_array_size(vals) == 1 ? "" : "s");
		}
		if (json_is_number(json_object_get(r, "sample_rate")))
			printf(" sample %g (seed %lld)", json_number_value(json_object_get(r, "sample_rate")), ji(r, "seed"));
		printf("\n");
	}
}

int cmd_policy_render(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	if (json_is_false(json_object_get(res->json, "changed")))
		printf("policy %s: unchanged (version %lld)\n", js(res->json, "name"), ji(res->json, "version"));
	else
		print_policy(res->json);
	if (json_is_string(json_object_get(res->json, "body")))
		printf("\n%s", js(res->json, "body"));
	return EXIT_OK;
}

int cmd_policy_render_check(cli_ctx *ctx, const aims_op_result *res)
{
	printf("%s: policy %s is valid (digest %s)\n", ctx->input_name ? ctx->input_name : "-", js(res->json, "name"),
	       js(res->json, "digest"));
	return EXIT_OK;
}

int cmd_policy_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "NAME", "VERSION", "STATUS", "APPLIES TO", "DIGEST", "BY", "AT" };
	cli_table *t = cli_table_new(7, hdr);
	size_t i;
	json_t *p;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "policies"), i, p) {
		aims_buf scope = AIMS_BUF_INIT;
		size_t k;
		json_t *v;
		char ver[24];
		json_array_foreach(json_object_get(json_object_get(p, "applies_to"), "systems"), k, v) {
			(void)aims_buf_printf(&scope, "%s%s", scope.len ? "," : "", json_string_value(v));
		}
		json_array_foreach(json_object_get(json_object_get(p, "applies_to"), "tiers"), k, v) {
			(void)aims_buf_printf(&scope, "%stier:%s", scope.len ? "," : "", json_string_value(v));
		}
		snprintf(ver, sizeof(ver), "%lld", ji(p, "version"));
		const char *row[] = { js(p, "name"), ver, js(p, "status"), scope.ptr ? scope.ptr : "-", js(p, "digest"),
				      js(p, "actor"), js(p, "created_at") };
		cli_table_add(t, row);
		aims_buf_release(&scope);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* ---- gates ---- */

int cmd_gate_render_check(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *r = res->json, *pol = json_object_get(r, "policy");
	size_t i;
	json_t *c;
	(void)ctx;
	printf("%s: %s -> %s: %s%s\n", js(r, "system"), js(r, "model"), js(r, "stage"),
	       json_is_true(json_object_get(r, "allowed")) ? "ALLOWED" : "REFUSED",
	       json_is_object(json_object_get(r, "exception")) && !json_is_true(json_object_get(r, "passed")) ?
	       " by exception" : "");
	if (json_is_object(pol))
		printf("policy %s version %lld (%s)\n", js(pol, "name"), ji(pol, "version"), js(pol, "digest"));
	if (json_is_string(json_object_get(r, "note")))
		printf("%s\n", js(r, "note"));
	json_array_foreach(json_object_get(r, "conditions"), i, c) {
		printf("  %-5s %-17s %s\n", json_is_true(json_object_get(c, "met")) ? "ok" : "UNMET", js(c, "condition"),
		       js(c, "detail"));
	}
	json_t *e = json_object_get(r, "exception");
	if (json_is_object(e))
		printf("exception %s until %s: %s\n", js(e, "id"), js(e, "expires"), js(e, "reason"));
	if (json_is_string(json_object_get(r, "check_id")))
		printf("recorded as %s\n", js(r, "check_id"));
	return EXIT_OK;
}

int cmd_gate_render(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *g = res->json;
	size_t i;
	json_t *a;
	(void)ctx;
	printf("%s: %s -> %s of %s (%s)\nrequested by %s at %s%s%s\n", js(g, "id"), js(g, "model"), js(g, "stage"),
	       js(g, "system"), js(g, "status"), js(g, "requester"), js(g, "requested_at"),
	       json_is_string(json_object_get(g, "policy")) ? ", policy " : "",
	       json_is_string(json_object_get(g, "policy")) ? js(g, "policy") : "");
	json_array_foreach(json_object_get(g, "approvals"), i, a) {
		aims_buf roles = AIMS_BUF_INIT;
		size_t k;
		json_t *r;
		json_array_foreach(json_object_get(a, "roles"), k, r) {
			(void)aims_buf_printf(&roles, "%s%s", k ? "," : "", json_string_value(r));
		}
		printf("  %s by %s (%s) at %s%s%s\n", js(a, "decision"), js(a, "principal"), roles.ptr ? roles.ptr : "",
		       js(a, "decided_at"), json_is_string(json_object_get(a, "note")) ? ": " : "",
		       json_is_string(json_object_get(a, "note")) ? js(a, "note") : "");
		aims_buf_release(&roles);
	}
	json_array_foreach(json_object_get(g, "needs"), i, a) {
		printf("  role %s: %lld of %lld approvals\n", js(a, "role"), ji(a, "have"), ji(a, "required"));
	}
	return EXIT_OK;
}

int cmd_gate_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "SYSTEM", "MODEL", "STAGE", "STATUS", "REQUESTER", "REQUESTED" };
	cli_table *t = cli_table_new(7, hdr);
	size_t i;
	json_t *g;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "gates"), i, g) {
		const char *row[] = { js(g, "id"), js(g, "system"), js(g, "model"), js(g, "stage"), js(g, "status"),
				      js(g, "requester"), js(g, "requested_at") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_gate_render_checks(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "CHECK", "AT", "SYSTEM", "MODEL", "STAGE", "FOR", "RESULT", "UNMET", "BY" };
	cli_table *t = cli_table_new(9, hdr);
	size_t i;
	json_t *c;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "checks"), i, c) {
		char unmet[24];
		const char *result = json_is_true(json_object_get(c, "passed")) ? "passed" :
				     json_is_true(json_object_get(c, "allowed")) ? "exception" : "refused";
		snprintf(unmet, sizeof(unmet), "%zu", json_array_size(json_object_get(c, "unmet")));
		const char *row[] = { js(c, "check_id"), js(c, "checked_at"), js(c, "system"), js(c, "model"),
				      js(c, "stage"), js(c, "purpose"), result, unmet, js(c, "checked_by") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_gate_render_exception(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *e = res->json;
	size_t i;
	json_t *a;
	(void)ctx;
	printf("%s: %s -> %s of %s (%s) until %s\nreason: %s\nrequested by %s at %s, policy %s\n", js(e, "id"),
	       js(e, "model"), js(e, "stage"), js(e, "system"), js(e, "status"), js(e, "expires"), js(e, "reason"),
	       js(e, "requester"), js(e, "requested_at"), js(e, "policy"));
	json_array_foreach(json_object_get(e, "approvals"), i, a) {
		printf("  approved by %s at %s\n", js(a, "principal"), js(a, "approved_at"));
	}
	return EXIT_OK;
}

int cmd_gate_render_exceptions(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "SYSTEM", "MODEL", "STAGE", "STATUS", "EXPIRES", "APPROVALS", "REASON" };
	cli_table *t = cli_table_new(8, hdr);
	size_t i;
	json_t *e;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "exceptions"), i, e) {
		char n[24];
		snprintf(n, sizeof(n), "%zu", json_array_size(json_object_get(e, "approvals")));
		const char *row[] = { js(e, "id"), js(e, "system"), js(e, "model"), js(e, "stage"), js(e, "status"),
				      js(e, "expires"), n, js(e, "reason") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

/* ---- reviews ---- */

static void print_item(const json_t *it)
{
	size_t i;
	json_t *r;
	printf("%s: %s decision %lld (%s)\nleaf hash: %s\nselected: %s because", js(it, "id"), js(it, "system"),
	       ji(it, "entry"), js(it, "status"), js(it, "leaf_hash"), js(it, "selected_at"));
	json_array_foreach(json_object_get(it, "reasons"), i, r) {
		printf("%s %s", i ? "," : "", json_string_value(r));
	}
	printf("\n");
	if (json_is_string(json_object_get(it, "assigned_to")))
		printf("assigned to %s at %s\n", js(it, "assigned_to"), js(it, "assigned_at"));
	json_t *d = json_object_get(it, "decision");
	if (json_is_object(d)) {
		char *out = json_dumps(json_object_get(d, "output"), JSON_COMPACT | JSON_ENCODE_ANY);
		char *in = json_object_get(d, "input") ? json_dumps(json_object_get(d, "input"), JSON_COMPACT) : NULL;
		printf("time: %s\nmodel: %s\noutput: %s\n", js(d, "time"),
		       json_is_string(json_object_get(d, "model")) ? js(d, "model") : js(d, "model_digest"), out ? out : "-");
		if (json_is_number(json_object_get(d, "confidence")))
			printf("confidence: %g\n", json_number_value(json_object_get(d, "confidence")));
		if (in)
			printf("input: %s\n", in);
		free(out);
		free(in);
	} else if (json_is_null(d)) {
		printf("the decision record was pruned\n");
	}
	json_t *e = json_object_get(it, "explanation");
	if (json_is_string(e)) {
		printf("explanation: %s\n", json_string_value(e));
	} else if (json_is_object(e)) {
		const char *k;
		json_t *v;
		printf("explanation:\n");
		if (json_is_string(json_object_get(e, "text")))
			printf("  %s\n", js(e, "text"));
		json_object_foreach(json_object_get(e, "contributions"), k, v) {
			if (json_is_number(v))
				printf("  %-24s %+.4g\n", k, json_number_value(v));
		}
	} else if (json_is_object(d)) {
		printf("explanation: none recorded\n");
	}
	if (json_is_string(json_object_get(it, "action")))
		printf("reviewed by %s at %s: %s (review record %lld, leaf hash %s)\n", js(it, "reviewer"),
		       js(it, "reviewed_at"), js(it, "action"), ji(it, "review_entry"), js(it, "review_leaf_hash"));
}

int cmd_review_render(cli_ctx *ctx, const aims_op_result *res)
{
	(void)ctx;
	if (json_object_get(res->json, "item")) {
		if (json_is_null(json_object_get(res->json, "item"))) {
			printf("no decision awaits review\n");
			return EXIT_OK;
		}
		print_item(json_object_get(res->json, "item"));
		return EXIT_OK;
	}
	print_item(res->json);
	return EXIT_OK;
}

int cmd_review_render_list(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "SYSTEM", "ENTRY", "REASONS", "STATUS", "SELECTED", "REVIEWER", "ACTION" };
	cli_table *t = cli_table_new(8, hdr);
	size_t i;
	json_t *it;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "reviews"), i, it) {
		aims_buf why = AIMS_BUF_INIT;
		size_t k;
		json_t *r;
		char entry[24];
		json_array_foreach(json_object_get(it, "reasons"), k, r) {
			(void)aims_buf_printf(&why, "%s%s", k ? "," : "", json_string_value(r));
		}
		snprintf(entry, sizeof(entry), "%lld", ji(it, "entry"));
		const char *row[] = { js(it, "id"), js(it, "system"), entry, why.ptr ? why.ptr : "-", js(it, "status"),
				      js(it, "selected_at"), js(it, "reviewer"), js(it, "action") };
		cli_table_add(t, row);
		aims_buf_release(&why);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

int cmd_review_render_reports(cli_ctx *ctx, const aims_op_result *res)
{
	static const char *const hdr[] = { "ID", "SYSTEM", "SINCE", "UNTIL", "DECISIONS", "REVIEWED", "OVERRIDES",
					   "RECORDED", "DIGEST" };
	cli_table *t = cli_table_new(9, hdr);
	size_t i;
	json_t *it;
	(void)ctx;
	json_array_foreach(json_object_get(res->json, "reports"), i, it) {
		char d[24], r[24], o[24];
		snprintf(d, sizeof(d), "%lld", ji(it, "decisions"));
		snprintf(r, sizeof(r), "%lld", ji(it, "reviewed"));
		snprintf(o, sizeof(o), "%lld", ji(it, "overrides"));
		const char *row[] = { js(it, "id"), js(it, "system"), js(it, "since"), js(it, "until"), d, r, o,
				      js(it, "recorded_at"), js(it, "digest") };
		cli_table_add(t, row);
	}
	cli_table_print(t, stdout);
	cli_table_free(t);
	return EXIT_OK;
}

static void pct(char *buf, size_t n, const json_t *v)
{
	if (json_is_number(v))
		snprintf(buf, n, "%.1f%%", json_number_value(v) * 100);
	else
		snprintf(buf, n, "n/a");
}

int cmd_review_render_metrics(cli_ctx *ctx, const aims_op_result *res)
{
	const json_t *m = res->json;
	char a[32], b[32], c[32], med[48];
	(void)ctx;
	pct(a, sizeof(a), json_object_get(m, "share_reviewed"));
	pct(b, sizeof(b), json_object_get(m, "override_rate"));
	pct(c, sizeof(c), json_object_get(m, "explanation_share"));
	if (json_is_number(json_object_get(m, "median_time_to_review_seconds")))
		snprintf(med, sizeof(med), "%.0f s", json_number_value(json_object_get(m, "median_time_to_review_seconds")));
	else
		snprintf(med, sizeof(med), "n/a");
	if (json_is_string(json_object_get(m, "id")))
		printf("recorded %s (evidence for ISO/IEC 42001 9.1, EU AI Act Art. 14 and 26)\n", js(m, "id"));
	printf("review metrics of %s (decisions from %s until %s)\n"
	       "  decisions            %lld\n  selected for review  %lld\n  reviewed             %lld (%s)\n"
	       "  overridden           %lld (override rate %s)\n  median time to review %s\n  backlog              %lld\n"
	       "  with an explanation  %lld (%s)\n",
	       js(m, "system"), json_is_string(json_object_get(m, "since")) ? js(m, "since") : "the start",
	       json_is_string(json_object_get(m, "until")) ? js(m, "until") : "now", ji(m, "decisions"), ji(m, "selected"),
	       ji(m, "reviewed"), a, ji(m, "overrides"), b, med, ji(m, "backlog"), ji(m, "explanations"), c);
	return EXIT_OK;
}
