/*
 * The governance ledger: one object's history, and the verify button that
 * runs the verification of `aims ledger verify` (the ledger.verify operation).
 */
#include <string.h>

#include "aims/aims.h"
#include "aims/op.h"
#include "core/core.h"
#include "pages.h"

int aims__web_pg_ledger(W *w, int verify)
{
	json_t *ctx = json_object(), *doc = NULL;
	const char *object = aims__web_qstr(w, "object");
	int err;
	if (!ctx)
		return aims__oom();
	if (object && *object) {
		if ((err = aims__web_call(&doc, NULL, w, "ledger.log", json_pack("{s:s}", "object", object))) < 0) {
			json_decref(ctx);
			return aims__web_fail(w, err);
		}
		json_t *entries = json_object_get(doc, "entries");
		json_object_set_new(ctx, "object", json_string(object));
		json_object_set_new(ctx, "history", json_pack("{s:O, s:s, s:I, s:b}", "entries", entries, "object", object,
							      "count", (json_int_t)json_array_size(entries), "empty",
							      json_array_size(entries) == 0));
		json_decref(doc);
		doc = NULL;
	}
	if (verify) {
		err = aims__web_call(&doc, NULL, w, "ledger.verify", NULL);
		if (err < 0 && !doc) {
			json_decref(ctx);
			return aims__web_fail(w, err);
		}
		aims_error_clear();
		json_t *st = json_object_get(doc, "state"), *findings = json_array(), *f;
		size_t i;
		json_array_foreach(json_object_get(st, "findings"), i, f) {
			aims_buf b = AIMS_BUF_INIT;
			aims_buf_printf(&b, "%s %s: %s", json_string_value(json_object_get(f, "object_type")),
					json_string_value(json_object_get(f, "object_id")),
					json_string_value(json_object_get(f, "problem")));
			json_array_append_new(findings, json_stringn(b.ptr ? b.ptr : "", b.len));
			aims_buf_release(&b);
		}
		json_object_set_new(ctx, "verification", json_pack("{s:b, s:O, s:O, s:b, s:O, s:o}", "ok",
									 json_is_true(json_object_get(doc, "ok")), "error",
									 json_object_get(doc, "error") ? json_object_get(doc, "error") : json_null(),
									 "logs", json_object_get(doc, "logs"), "state_checked",
									 json_is_true(json_object_get(st, "checked")), "objects",
									 json_object_get(st, "objects") ? json_object_get(st, "objects") : json_null(),
									 "findings", findings));
		json_decref(doc);
	}
	return aims__web_page(w, 200, "ledger.html", verify ? "Ledger verification" : "Ledger", ctx);
}
