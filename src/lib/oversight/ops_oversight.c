/*
 * Operations of lifecycle gates and human review (aims gate ..., aims
 * review ...; /api/v1/gates, /gate-checks, /gate-exceptions, /reviews,
 * /systems/{system}/...). The documents are built in gate.c and review.c.
 * A refused gate check is a finding, not an error: the document lists
 * every condition and the outcome makes the command exit 1 (HTTP 200 with
 * "Aims-Outcome: denied" and "allowed": false).
 */
#include <stdio.h>
#include <string.h>

#include "aims/op.h"
#include "aims/oversight.h"
#include "core/core.h"
#include "op/op_internal.h"

static const char *const stages[] = { "validation", "approved", "deployed", "retired", NULL };
static const char *const gate_statuses[] = { "open", "approved", "rejected", NULL };
static const char *const review_statuses[] = { "pending", "assigned", "reviewed", NULL };

/* ---- gates ---- */

static int op_gate_request(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_gate_request(&res->json, ctx->store, aims_req_str(req, "system"), aims_req_str(req, "model"),
				 aims_req_str(req, "to"), aims_req_str(req, "note"));
}

static int op_gate_approve(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_gate_decide(&res->json, ctx->store, aims_req_str(req, "id"), 1, aims_req_str(req, "note"));
}

static int op_gate_reject(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_gate_decide(&res->json, ctx->store, aims_req_str(req, "id"), 0, aims_req_str(req, "reason"));
}

static int op_gate_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_gate_get(&res->json, ctx->store, aims_req_str(req, "id"));
}

static int op_gate_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_gate_list(&res->json, ctx->store, aims_req_str(req, "system"), aims_req_str(req, "status"));
}

static int op_gate_checks(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int64_t limit = aims_req_int(req, "newest", 100);
	if (limit < 1 || limit > 10000)
		return aims__err(AIMS_EINVALID, "newest %lld: expected 1 to 10000", (long long)limit);
	return aims_gate_checks(&res->json, ctx->store, aims_req_str(req, "system"), (int)limit);
}

static int op_gate_check(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	int allowed = 0, err;
	if ((err = aims_gate_check_record(&res->json, &allowed, ctx->store, aims_req_str(req, "system"),
					  aims_req_str(req, "model"), aims_req_str(req, "to"), aims_req_str(req, "at"))) < 0)
		return err;
	if (!allowed) {
		char msg[512];
		res->outcome = AIMS_EDENIED;
		snprintf(msg, sizeof(msg), "gate refused: %s -> %s of %s, %zu condition%s unmet",
			 json_string_value(json_object_get(res->json, "model")), aims_req_str(req, "to"),
			 aims_req_str(req, "system"), json_array_size(json_object_get(res->json, "unmet")),
			 json_array_size(json_object_get(res->json, "unmet")) == 1 ? "" : "s");
		if (!(res->message = aims__strdup(msg)))
			return aims__oom();
	}
	return 0;
}

static int op_exception_request(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_gate_exception_request(&res->json, ctx->store, aims_req_str(req, "system"),
					   aims_req_str(req, "model"), aims_req_str(req, "to"), aims_req_str(req, "reason"),
					   aims_req_str(req, "expires"));
}

static int op_exception_approve(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_gate_exception_approve(&res->json, ctx->store, aims_req_str(req, "id"));
}

static int op_exception_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_gate_exception_list(&res->json, ctx->store, aims_req_str(req, "system"), aims_req_bool(req, "all"));
}

/* ---- reviews ---- */

static int op_review_next(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_review_next(&res->json, ctx->store, aims_req_str(req, "system"));
}

static int op_review_accept(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_review_decide(&res->json, ctx->store, aims_req_str(req, "id"), "accept", NULL,
				  aims_req_str(req, "reason"));
}

static int op_review_override(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	json_t *o = json_object_get(req, "outcome");
	char *text = NULL;
	int err;
	/* the CLI sends text: JSON when it parses as JSON, else the text itself is the outcome */
	if (json_is_string(o)) {
		json_error_t je;
		json_t *parsed = json_loads(json_string_value(o), JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
		text = json_dumps(parsed ? parsed : o, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(parsed);
	} else {
		text = json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY);
	}
	if (!text)
		return aims__oom();
	err = aims_review_decide(&res->json, ctx->store, aims_req_str(req, "id"), "override", text,
				 aims_req_str(req, "reason"));
	aims__free(text);
	return err;
}

static int op_review_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_review_get(&res->json, ctx->store, aims_req_str(req, "id"));
}

static int op_review_list(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_review_list(&res->json, ctx->store, aims_req_str(req, "system"), aims_req_str(req, "status"), 0);
}

static int op_review_metrics(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_review_metrics(&res->json, ctx->store, aims_req_str(req, "system"), aims_req_str(req, "since"),
				   aims_req_str(req, "until"));
}

static int op_review_report(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_review_report(&res->json, ctx->store, aims_req_str(req, "system"), aims_req_str(req, "since"),
				  aims_req_str(req, "until"));
}

static int op_review_reports(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return aims_review_reports(&res->json, ctx->store, aims_req_str(req, "system"));
}

/* ---- fields ---- */

#define F_END { NULL, 0, 0, NULL, NULL, NULL }
#define F_SYSTEM_PATH { "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "SYSTEM", "the AI system", NULL }
#define F_MODEL { "model", AIMS_FT_STRING, AIMS_FF_REQUIRED, "NAME@VER", "the model version (NAME for its latest)", NULL }
#define F_TO { "to", AIMS_FT_STRING, AIMS_FF_REQUIRED, "STAGE", "the lifecycle stage: validation, approved, deployed " \
	       "or retired", stages }
#define F_ID(what) { "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", what, NULL }

static const aims_op_field f_gate_request[] = {
	F_SYSTEM_PATH, F_MODEL, F_TO,
	{ "note", AIMS_FT_STRING, 0, "TEXT", "a note, e.g. a change ticket", NULL },
	F_END
};
static const aims_op_field f_gate_check[] = {
	F_SYSTEM_PATH, F_MODEL, F_TO,
	{ "at", AIMS_FT_STRING, 0, "TIME", "check as of this later time (RFC 3339; default now): evaluation ages and "
	  "exception expiry", NULL },
	F_END
};
static const aims_op_field f_gate_approve[] = {
	F_ID("the gate request (GATE-NNNN)"),
	{ "note", AIMS_FT_STRING, 0, "TEXT", "a note recorded with the approval", NULL },
	F_END
};
static const aims_op_field f_gate_reject[] = {
	F_ID("the gate request (GATE-NNNN)"),
	{ "reason", AIMS_FT_STRING, 0, "TEXT", "why it is rejected", NULL },
	F_END
};
static const aims_op_field f_gate_show[] = { F_ID("the gate request (GATE-NNNN)"), F_END };
static const aims_op_field f_gate_list[] = {
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's requests", NULL },
	{ "status", AIMS_FT_STRING, 0, "STATUS", "only open, approved or rejected requests", gate_statuses },
	F_END
};
static const aims_op_field f_gate_checks[] = {
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's checks", NULL },
	{ "newest", AIMS_FT_INT, 0, "N", "the newest N checks (default 100)", NULL },
	F_END
};
static const aims_op_field f_exc_request[] = {
	F_SYSTEM_PATH, F_MODEL, F_TO,
	{ "reason", AIMS_FT_TEXT, AIMS_FF_REQUIRED, "TEXT", "why the gate may be passed without its conditions", NULL },
	{ "expires", AIMS_FT_DATE, AIMS_FF_REQUIRED, "YYYY-MM-DD", "the last day the exception is valid", NULL },
	F_END
};
static const aims_op_field f_exc_approve[] = { F_ID("the exception (EXC-NNNN)"), F_END };
static const aims_op_field f_exc_list[] = {
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's exceptions", NULL },
	{ "all", AIMS_FT_BOOL, 0, NULL, "also expired exceptions", NULL },
	F_END
};
static const aims_op_field f_review_next[] = {
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only decisions of this AI system", NULL },
	F_END
};
static const aims_op_field f_review_accept[] = {
	F_ID("the review item (REV-NNNNNN)"),
	{ "reason", AIMS_FT_TEXT, 0, "TEXT", "a note on the review", NULL },
	F_END
};
static const aims_op_field f_review_override[] = {
	F_ID("the review item (REV-NNNNNN)"),
	{ "outcome", AIMS_FT_JSON, AIMS_FF_REQUIRED, "JSON", "the human outcome: JSON (e.g. '{\"decision\":\"approve\"}') "
	  "or plain text", NULL },
	{ "reason", AIMS_FT_TEXT, AIMS_FF_REQUIRED, "TEXT", "why the AI's output is overridden", NULL },
	F_END
};
static const aims_op_field f_review_reports[] = {
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's reports", NULL },
	F_END
};
static const aims_op_field f_review_show[] = { F_ID("the review item (REV-NNNNNN)"), F_END };
static const aims_op_field f_review_list[] = {
	{ "system", AIMS_FT_STRING, 0, "SYSTEM", "only this AI system's items", NULL },
	{ "status", AIMS_FT_STRING, 0, "STATUS", "only pending, assigned or reviewed items", review_statuses },
	F_END
};
static const aims_op_field f_review_metrics[] = {
	F_SYSTEM_PATH,
	{ "since", AIMS_FT_STRING, 0, "TIME", "only decisions at or after TIME (RFC 3339)", NULL },
	{ "until", AIMS_FT_STRING, 0, "TIME", "only decisions before TIME (RFC 3339)", NULL },
	F_END
};

const aims_op aims__ops_oversight[] = {
	{ "gate.approve", "gate approve", "POST", "/gates/{id}/approve", "gate.approve", AIMS_OP_WRITE, f_gate_approve,
	  "approve a gate request (an account other than its requester)", NULL, NULL, NULL, op_gate_approve },
	{ "gate.check", "gate check", "POST", "/systems/{system}/gate-checks", "gate.check", AIMS_OP_WRITE, f_gate_check,
	  "check a model version against the lifecycle gate of its policy: exit 1 with every unmet condition", NULL,
	  NULL, NULL, op_gate_check },
	{ "gate.checks", "gate checks", "GET", "/gate-checks", "read", AIMS_OP_LIST, f_gate_checks,
	  "list recorded gate checks and refused deployments, newest first", "checks", NULL, NULL, op_gate_checks },
	{ "gate.exception_approve", "gate exception approve", "POST", "/gate-exceptions/{id}/approve", "gate.approve",
	  AIMS_OP_WRITE, f_exc_approve, "approve a gate exception (accounts holding the roles the policy names)", NULL,
	  NULL, NULL, op_exception_approve },
	{ "gate.exception_list", "gate exceptions", "GET", "/gate-exceptions", "read", AIMS_OP_LIST, f_exc_list,
	  "list gate exceptions pending or in force (--all: also expired)", "exceptions", NULL, NULL,
	  op_exception_list },
	{ "gate.exception_request", "gate exception request", "POST", "/systems/{system}/gate-exceptions",
	  "gate.exception", AIMS_OP_WRITE | AIMS_OP_CREATED, f_exc_request,
	  "ask for a documented exception to a lifecycle gate (reason, expiry, two approvals)", NULL, NULL, NULL,
	  op_exception_request },
	{ "gate.list", "gate list", "GET", "/gates", "read", AIMS_OP_LIST, f_gate_list,
	  "list gate requests, newest first", "gates", NULL, NULL, op_gate_list },
	{ "gate.reject", "gate reject", "POST", "/gates/{id}/reject", "gate.approve", AIMS_OP_WRITE, f_gate_reject,
	  "reject a gate request (its requester may withdraw it this way)", NULL, NULL, NULL, op_gate_reject },
	{ "gate.request", "gate request", "POST", "/systems/{system}/gates", "gate.request",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_gate_request,
	  "request a lifecycle gate for a model version; approvals are counted on the request", NULL, NULL, NULL,
	  op_gate_request },
	{ "gate.show", "gate show", "GET", "/gates/{id}", "read", 0, f_gate_show,
	  "show a gate request with its approvals and what its policy still needs", NULL, NULL, NULL, op_gate_show },
	{ "review.accept", "review accept", "POST", "/reviews/{id}/accept", "review.decide", AIMS_OP_WRITE,
	  f_review_accept, "accept the AI's decision (a review record in the decision log)", NULL, NULL, NULL,
	  op_review_accept },
	{ "review.list", "review list", "GET", "/reviews", "read", AIMS_OP_LIST, f_review_list,
	  "list the review queue, oldest first", "reviews", NULL, NULL, op_review_list },
	{ "review.metrics", "review metrics", "GET", "/systems/{system}/review-metrics", "read", 0, f_review_metrics,
	  "review metrics of an AI system for a period, recomputed from its decision log", NULL, NULL, NULL,
	  op_review_metrics },
	{ "review.next", "review next", "POST", "/reviews/next", "review.decide", AIMS_OP_WRITE, f_review_next,
	  "take the next AI decision to review, with its record and explanation", NULL, NULL, NULL, op_review_next },
	{ "review.override", "review override", "POST", "/reviews/{id}/override", "review.decide", AIMS_OP_WRITE,
	  f_review_override, "override the AI's decision with the human outcome and a reason", NULL, NULL, NULL,
	  op_review_override },
	{ "review.report", "review report", "POST", "/systems/{system}/oversight-reports", "review.report",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_review_metrics,
	  "record review metrics as evidence (ISO/IEC 42001 9.1, EU AI Act Art. 14 and 26)", NULL, NULL, NULL,
	  op_review_report },
	{ "review.reports", "review reports", "GET", "/oversight-reports", "read", AIMS_OP_LIST, f_review_reports,
	  "list the recorded review metrics (oversight reports) with their digests, oldest first", "reports", NULL,
	  NULL, op_review_reports },
	{ "review.show", "review show", "GET", "/reviews/{id}", "read", 0, f_review_show,
	  "show a review item with the decision record and its explanation", NULL, NULL, NULL, op_review_show },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
