/*
 * Operations of the EU AI Act module (aims aiact; /api/v1/systems/{system}/
 * aiact-classification, aiact-obligations, fria, annex-iv, and
 * /api/v1/aiact-obligations/{id}), and the JSON of a classification and of
 * a tracked obligation, built once here for the command line and the API.
 * The answers arrive as text (the command line reads the file); refusals
 * name it (ctx->input_name), the line and the key. The FRIA template is
 * Markdown, the Annex IV pack HTML: formats of their operations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aiact.h"
#include "aims/op.h"
#include "core/core.h"
#include "op/op_internal.h"

/* the largest answers document accepted */
#define ANSWERS_MAX ((size_t)1 << 20)

/* ---- JSON ---- */

json_t *aims_aiact_item_json(const aims_aiact_item *it)
{
	json_t *ev = json_array();
	for (size_t i = 0; ev && i < it->nevidence; i++)
		if (json_array_append_new(ev, json_string(it->evidence[i])) < 0) {
			json_decref(ev);
			return NULL;
		}
	if (!ev)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:s, s:o}", "id", it->id, "system",
			 it->system, "key", it->key, "article", it->article, "requirement", it->requirement, "role",
			 it->role, "description", it->description, "status", it->status, "evidence", ev, "note",
			 aims_json_str(it->note), "active", it->active, "updated_at", it->updated_at, "applies_from",
			 aims_json_str(it->applies_from));
}

json_t *aims_aiact_record_json(const aims_aiact_record *rec, const aims_aiact_items *items)
{
	json_t *res = json_loads(rec->result, 0, NULL), *ans = json_loads(rec->answers, 0, NULL);
	json_t *o = json_pack("{s:s, s:i}", "system", rec->system, "version", rec->version);
	const char *k;
	json_t *v;
	size_t i;
	int bad = !res || !ans || !o;

	json_object_foreach(res, k, v) {
		bad |= json_object_set(o, k, v) < 0;
	}
	/* each obligation of the result with the id and status of its tracked item */
	json_array_foreach(json_object_get(o, "obligations"), i, v) {
		const char *key = json_string_value(json_object_get(v, "key"));
		for (size_t n = 0; items && key && n < items->count; n++)
			if (strcmp(items->items[n].key, key) == 0)
				bad |= json_object_set_new(v, "id", json_string(items->items[n].id)) < 0 ||
				       json_object_set_new(v, "status", json_string(items->items[n].status)) < 0;
	}
	json_decref(res);
	if (bad || json_object_set_new(o, "answers", ans) < 0 ||
	    json_object_set_new(o, "digest", json_string(rec->digest)) < 0 ||
	    json_object_set_new(o, "classified_at", json_string(rec->classified_at)) < 0) {
		if (bad)
			json_decref(ans);
		json_decref(o);
		return NULL;
	}
	return o;
}

/* a JSON builder returned NULL: its stored JSON did not load, or out of memory */
static int record_doc(json_t **out, aims_store *store, const char *system, int version)
{
	aims_aiact_record *rec = NULL;
	aims_aiact_items *items = NULL;
	int err;
	*out = NULL;
	if ((err = aims_aiact_read(&rec, store, system, version)) < 0 ||
	    (err = aims_aiact_items_read(&items, store, system, 0)) < 0)
		goto done;
	if (!(*out = aims_aiact_record_json(rec, items)))
		err = aims__err(AIMS_ETAMPERED, "%s: classification version %d: its stored answers or result are not "
				"valid JSON", system, rec->version);
done:
	aims_aiact_items_free(items);
	aims_aiact_record_free(rec);
	return err;
}

/* ---- classification ---- */

static int op_aiact_classify(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *answers = aims_req_str(req, "answers"), *system = aims_req_str(req, "system");
	const char *name = ctx->input_name ? ctx->input_name : "answers";
	size_t len = strlen(answers);
	aims_aiact_answers a;
	aims_aiact_record *rec = NULL;
	int err;
	if (len > ANSWERS_MAX) {
		aims__err_set(AIMS_EINVALID, "'%s': larger than %zu bytes", name, ANSWERS_MAX);
		aims__err_set_field("answers");
		return AIMS_EINVALID;
	}
	if ((err = aims_aiact_answers_parse(&a, answers, len, name)) < 0) {
		aims__err_set_field("answers");
		return err;
	}
	/* the acting principal classifies: the store records it with the version */
	if ((err = aims_aiact_store(&rec, ctx->store, system, &a)) < 0)
		return err;
	err = record_doc(&res->json, ctx->store, system, rec->version);
	aims_aiact_record_free(rec);
	return err;
}

static int op_aiact_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return record_doc(&res->json, ctx->store, aims_req_str(req, "system"), 0);
}

/* ---- obligations ---- */

static int op_aiact_obligations(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *system = aims_req_str(req, "system"), *on = aims_req_str(req, "on");
	aims_aiact_items *items = NULL;
	aims_aiact_record *rec = NULL;
	json_t *arr = NULL;
	char today[16];
	int err, first = 0;

	/* a system without a classification has no obligations yet: say so (not found) */
	if ((err = aims_aiact_read(&rec, ctx->store, system, 0)) < 0 ||
	    (err = aims_aiact_items_read(&items, ctx->store, system, aims_req_bool(req, "all"))) < 0)
		goto done;
	/* whether each obligation applies on the day (Art. 113): `on`, else today (UTC) */
	aims_aiact_today(today);
	if (!on)
		on = today;
	if ((err = aims_aiact_applies_on(&first, AIMS_AIACT_DATE_CH_I_II, on)) < 0) {
		aims__err_set_field("on");
		goto done;
	}
	if (!(arr = json_array())) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < items->count; i++) {
		const aims_aiact_item *it = &items->items[i];
		int applies = 0;
		if (it->applies_from && (err = aims_aiact_applies_on(&applies, it->applies_from, on)) < 0)
			goto done;
		json_t *o = aims_aiact_item_json(it);
		if (!o || json_object_set_new(o, "applies", it->applies_from ? json_boolean(applies) : json_null()) < 0 ||
		    json_array_append_new(arr, o) < 0) {
			json_decref(o);
			err = aims__oom();
			goto done;
		}
	}
	res->json = json_pack("{s:s, s:i, s:s, s:o, s:s}", "system", system, "classification", rec->version, "tier",
			      rec->tier, "obligations", arr, "on", on);
	arr = NULL;
	if (!res->json)
		err = aims__oom();
done:
	json_decref(arr);
	aims_aiact_record_free(rec);
	aims_aiact_items_free(items);
	return err;
}

static int obligation_doc(json_t **out, aims_store *store, const char *id)
{
	aims_aiact_items *items = NULL;
	int err;
	*out = NULL;
	if ((err = aims_aiact_items_read(&items, store, NULL, 1)) < 0)
		return err;
	err = aims__err(AIMS_ENOTFOUND, "no obligation '%s' (see 'aims aiact obligations SYSTEM')", id);
	for (size_t i = 0; i < items->count; i++)
		if (strcmp(items->items[i].id, id) == 0) {
			aims_error_clear();
			err = (*out = aims_aiact_item_json(&items->items[i])) ? 0 : aims__oom();
			break;
		}
	aims_aiact_items_free(items);
	return err;
}

static int op_aiact_obligation_show(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	return obligation_doc(&res->json, ctx->store, aims_req_str(req, "id"));
}

static int op_aiact_obligation_set(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	aims_aiact_set_opts o = AIMS_AIACT_SET_INIT;
	const char *id = aims_req_str(req, "id");
	const char **ev = NULL;
	size_t nev = 0;
	int err;
	o.status = aims_req_str(req, "status");
	o.note = aims_req_str(req, "note");
	if ((err = aims_req_list(&ev, &nev, req, "evidence")) < 0)
		return err;
	o.add_evidence = ev;
	o.nadd = nev;
	if (!o.status && !o.note && !o.nadd)
		err = aims__err(AIMS_EUSAGE, "%s: nothing to change: give status, evidence or a note", id);
	else if ((err = aims_aiact_item_set(ctx->store, id, &o)) == 0)
		err = obligation_doc(&res->json, ctx->store, id);
	aims__free(ev);
	return err;
}

/* ---- FRIA template and Annex IV pack ---- */

static int is_format(const json_t *req, const char *name)
{
	const char *fmt = aims_req_str(req, "format");
	return fmt && strcmp(fmt, name) == 0;
}

static int op_aiact_fria(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *system = aims_req_str(req, "system");
	aims_buf md = AIMS_BUF_INIT;
	aims_aiact_record *rec = NULL;
	int err;
	if (is_format(req, "markdown")) {
		if ((err = aims_aiact_fria(&res->body, ctx->store, system, aims_req_bool(req, "force"))) == 0)
			res->content_type = "text/markdown; charset=utf-8";
		return err;
	}
	if ((err = aims_aiact_fria(&md, ctx->store, system, aims_req_bool(req, "force"))) < 0 ||
	    (err = aims_aiact_read(&rec, ctx->store, system, 0)) < 0)
		goto done;
	res->json = json_pack("{s:s, s:i, s:s, s:b, s:s%}", "system", system, "classification", rec->version, "tier",
			      rec->tier, "fria_required", rec->fria_required, "markdown", md.ptr ? md.ptr : "", md.len);
	if (!res->json)
		err = aims__oom();
done:
	aims_aiact_record_free(rec);
	aims_buf_release(&md);
	return err;
}

static int op_aiact_annex_iv(aims_op_result *res, aims_op_ctx *ctx, const json_t *req)
{
	const char *system = aims_req_str(req, "system");
	aims_aiact_annex_iv_stats s = { 0, 0, 0 };
	aims_buf html = AIMS_BUF_INIT;
	int err;
	if (is_format(req, "html")) {
		if ((err = aims_aiact_annex_iv_html(&res->body, NULL, ctx->store, system)) == 0)
			res->content_type = "text/html; charset=utf-8";
		return err;
	}
	/* the counts are those of the pack as it would be written now */
	if ((err = aims_aiact_annex_iv_html(&html, &s, ctx->store, system)) == 0 &&
	    !(res->json = json_pack("{s:s, s:I, s:I, s:I}", "system", system, "items", (json_int_t)s.items, "found",
				    (json_int_t)s.found, "missing", (json_int_t)s.missing)))
		err = aims__oom();
	aims_buf_release(&html);
	return err;
}

/* ---- the table ---- */

static const char *const statuses[] = { "open", "in-progress", "met", "not-applicable", NULL };
static const char *const markdown_format[] = { "markdown", NULL };
static const char *const html_format[] = { "html", NULL };

static const aims_op_field f_classify[] = {
	{ "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "SYSTEM", "the AI system (in the inventory)", NULL },
	{ "answers", AIMS_FT_FILE, AIMS_FF_REQUIRED, "FILE", "the answers file (YAML, or JSON; '-' for standard input)",
	  NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_system[] = {
	{ "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "SYSTEM", "the AI system", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_obligations[] = {
	{ "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "SYSTEM", "the AI system", NULL },
	{ "all", AIMS_FT_BOOL, 0, NULL, "also list obligations a later classification no longer needs", NULL },
	{ "on", AIMS_FT_DATE, 0, "DATE", "the day to check whether each obligation applies yet (YYYY-MM-DD; default "
	  "today)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_obligation[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the obligation (OBL-NNN)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_obligation_set[] = {
	{ "id", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "ID", "the obligation (OBL-NNN)", NULL },
	{ "status", AIMS_FT_STRING, 0, "STATUS", "open, in-progress, met (needs evidence) or not-applicable", statuses },
	{ "evidence", AIMS_FT_LIST, 0, "REF", "an evidence reference to add: document id, file, URL, ticket "
	  "(repeatable)", NULL },
	{ "note", AIMS_FT_STRING, 0, "TEXT", "a note (one line)", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};
static const aims_op_field f_fria[] = {
	{ "system", AIMS_FT_STRING, AIMS_FF_REQUIRED | AIMS_FF_PATH, "SYSTEM", "the AI system", NULL },
	{ "force", AIMS_FT_BOOL, 0, NULL, "write the template even when the classification does not require a FRIA",
	  NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

const aims_op aims__ops_aiact[] = {
	{ "aiact.annex_iv", "aiact annex-iv", "GET", "/systems/{system}/annex-iv", "read", AIMS_OP_CACHEABLE, f_system,
	  "assemble the Annex IV technical documentation pack of an AI system as HTML", NULL, NULL, html_format,
	  op_aiact_annex_iv },
	{ "aiact.classify", "aiact classify", "POST", "/systems/{system}/aiact-classification", "aiact.manage",
	  AIMS_OP_WRITE | AIMS_OP_CREATED, f_classify,
	  "classify an AI system under the EU AI Act from an answers file and track its obligations", NULL, NULL, NULL,
	  op_aiact_classify },
	{ "aiact.fria", "aiact fria", "GET", "/systems/{system}/fria", "read", 0, f_fria,
	  "write the fundamental rights impact assessment template (Art. 27) for a system", NULL, NULL,
	  markdown_format, op_aiact_fria },
	{ "aiact.obligation_set", "aiact obligation set", "PATCH", "/aiact-obligations/{id}", "aiact.manage",
	  AIMS_OP_WRITE | AIMS_OP_UPDATE, f_obligation_set,
	  "record the status, evidence or a note of a tracked EU AI Act obligation", NULL, "aiact.obligation_show",
	  NULL, op_aiact_obligation_set },
	{ "aiact.obligation_show", "aiact obligation show", "GET", "/aiact-obligations/{id}", "read", AIMS_OP_CACHEABLE,
	  f_obligation, "show one tracked EU AI Act obligation with its status and evidence", NULL, NULL, NULL,
	  op_aiact_obligation_show },
	{ "aiact.obligations", "aiact obligations", "GET", "/systems/{system}/aiact-obligations", "read", AIMS_OP_LIST,
	  f_obligations, "list the tracked EU AI Act obligations of an AI system", "obligations", NULL, NULL,
	  op_aiact_obligations },
	{ "aiact.show", "aiact show", "GET", "/systems/{system}/aiact-classification", "read", AIMS_OP_CACHEABLE,
	  f_system, "show the latest EU AI Act classification of an AI system", NULL, NULL, NULL, op_aiact_show },
	{ NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL },
};
