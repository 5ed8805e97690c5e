/*
 * Running an operation: permission, request validation, If-Match, the
 * operation itself, the ETag of the result and the signed checkpoint after
 * a write. The one place where the command line and the HTTP API meet the
 * library, so both behave the same. Validation messages name the field
 * (aims_error_last_field()) for RFC 9457 problem documents.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "aims/ledger.h"
#include "aims/op.h"
#include "aims/report.h"
#include "core/core.h"
#include "core/json.h"
#include "op_internal.h"
#include "store/store_internal.h"

void aims_op_result_release(aims_op_result *res)
{
	if (!res)
		return;
	json_decref(res->json);
	res->json = NULL;
	aims_buf_release(&res->body);
	aims__free(res->message);
	res->message = NULL;
	aims__free(res->warning);
	res->warning = NULL;
	if (res->session_cookie) {
		sodium_memzero(res->session_cookie, strlen(res->session_cookie));
		aims__free(res->session_cookie);
		res->session_cookie = NULL;
	}
}

json_t *aims_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int field_err(int code, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int field_err(int code, const char *field, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	aims__err_set(code, "%s: %s", field, msg);
	aims__err_set_field(field);
	return code;
}

static const aims_op_field *find_field(const aims_op *op, const char *name)
{
	for (const aims_op_field *f = op->fields; f && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static int in_choices(const char *s, const char *const *choices)
{
	for (; *choices; choices++)
		if (strcmp(s, *choices) == 0)
			return 1;
	return 0;
}

static int choices_err(const char *field, const char *value, const char *const *choices)
{
	aims_buf b = AIMS_BUF_INIT;
	for (const char *const *c = choices; *c; c++)
		if (aims_buf_printf(&b, "%s%s", c == choices ? "" : ", ", *c) < 0)
			break;
	aims__err_set(AIMS_EINVALID, "%s '%s': not one of %s", field, value, b.ptr);
	aims__err_set_field(field);
	int err = AIMS_EINVALID;
	aims_buf_release(&b);
	return err;
}

static int check_string(const aims_op_field *f, json_t *v)
{
	const char *s = json_string_value(v);
	if (!json_is_string(v))
		return field_err(AIMS_EINVALID, f->name, "expected a string");
	size_t len = json_string_length(v);
	if (strlen(s) != len)
		return field_err(AIMS_EINVALID, f->name, "contains a NUL character");
	if (f->type == AIMS_FT_STRING) {
		if (len > 4096)
			return field_err(AIMS_EINVALID, f->name, "longer than 4096 bytes");
		for (const char *p = s; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return field_err(AIMS_EINVALID, f->name, "must be one line of text without control characters");
	} else if (f->type != AIMS_FT_FILE) {
		/* a file's content is checked by the operation's parser, which names the input, line and field */
		for (const char *p = s; *p; p++)
			if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
				return field_err(AIMS_EINVALID, f->name, "contains a control character");
	}
	if (f->type == AIMS_FT_DATE) {
		int y, m, d;
		if (len != 10 || aims__date_parse(&y, &m, &d, s) < 0)
			return field_err(AIMS_EINVALID, f->name, "'%s' is not a date YYYY-MM-DD", s);
	}
	if (f->choices && !in_choices(s, f->choices))
		return choices_err(f->name, s, f->choices);
	return 0;
}

static int check_field(const aims_op_field *f, json_t *v)
{
	switch (f->type) {
	case AIMS_FT_STRING:
	case AIMS_FT_TEXT:
	case AIMS_FT_DATE:
	case AIMS_FT_FILE:
		return check_string(f, v);
	case AIMS_FT_INT:
		if (!json_is_integer(v))
			return field_err(AIMS_EINVALID, f->name, "expected an integer");
		return 0;
	case AIMS_FT_NUMBER:
		if (!json_is_number(v))
			return field_err(AIMS_EINVALID, f->name, "expected a number");
		return 0;
	case AIMS_FT_BOOL:
		if (!json_is_boolean(v))
			return field_err(AIMS_EINVALID, f->name, "expected true or false");
		return 0;
	case AIMS_FT_LIST: {
		size_t i;
		json_t *e;
		if (!json_is_array(v))
			return field_err(AIMS_EINVALID, f->name, "expected an array of strings");
		if (json_array_size(v) > 1000)
			return field_err(AIMS_EINVALID, f->name, "more than 1000 items");
		json_array_foreach(v, i, e) {
			aims_op_field one = *f;
			one.type = AIMS_FT_STRING;
			if (check_string(&one, e) < 0) {
				char name[160];
				snprintf(name, sizeof(name), "%s[%zu]", f->name, i);
				aims__err_set_field(name);
				return AIMS_EINVALID;
			}
		}
		return 0;
	}
	case AIMS_FT_JSON:
		return 0;
	case AIMS_FT_INPUT:
		return field_err(AIMS_EINVALID, f->name, "a data stream: send it as the request body or as a "
				 "multipart/form-data part of that name, not as a field");
	default:
		return aims__err(AIMS_EUSAGE, "field '%s' has an unknown type", f->name);
	}
}

int aims_op_validate(const aims_op *op, const json_t *req)
{
	const char *key;
	json_t *v;
	int err;

	if (req && !json_is_object(req))
		return aims__err(AIMS_EINVALID, "the request must be a JSON object");
	json_object_foreach((json_t *)req, key, v) {
		const aims_op_field *f = find_field(op, key);
		if (!f && strcmp(key, "format") == 0) {
			const char *s = json_string_value(v);
			if (!s)
				return field_err(AIMS_EINVALID, "format", "expected a string");
			if (strcmp(s, "json") == 0 || (op->formats && in_choices(s, op->formats)) ||
			    (strcmp(s, "csv") == 0 && op->list_key))
				continue;
			if (!op->formats)
				return field_err(AIMS_EINVALID, "format", "'%s': this operation answers only in JSON", s);
			return choices_err("format", s, op->formats);
		}
		if (!f)
			return field_err(AIMS_EINVALID, key, "unknown field for '%s'", op->name);
		if (json_is_null(v) && !(f->flags & AIMS_FF_REQUIRED))
			continue;
		if ((err = check_field(f, v)) < 0)
			return err;
	}
	for (const aims_op_field *f = op->fields; f && f->name; f++) {
		v = req ? json_object_get(req, f->name) : NULL;
		if ((f->flags & AIMS_FF_REQUIRED) && f->type != AIMS_FT_INPUT && (!v || json_is_null(v)))
			return field_err(AIMS_EINVALID, f->name, "required");
	}
	return 0;
}

/* the streams given must be input fields of the op, once each; required ones must be there */
static int check_inputs(const aims_op *op, const aims_op_ctx *ctx)
{
	for (size_t i = 0; i < ctx->ninputs; i++) {
		const aims_op_field *f = ctx->inputs[i].field ? find_field(op, ctx->inputs[i].field) : NULL;
		if (!f || f->type != AIMS_FT_INPUT)
			return field_err(AIMS_EINVALID, ctx->inputs[i].field ? ctx->inputs[i].field : "(input)",
					 "'%s' reads no data stream of this name", op->name);
		if (!ctx->inputs[i].f)
			return field_err(AIMS_EINVALID, f->name, "no stream");
		for (size_t k = 0; k < i; k++)
			if (strcmp(ctx->inputs[k].field, f->name) == 0)
				return field_err(AIMS_EINVALID, f->name, "given twice");
	}
	for (const aims_op_field *f = op->fields; f && f->name; f++)
		if (f->type == AIMS_FT_INPUT && (f->flags & AIMS_FF_REQUIRED) && !aims_op_input(ctx, f->name, NULL))
			return field_err(AIMS_EINVALID, f->name, "required (a data stream)");
	return 0;
}

/* AIMS_OP_STORE_OPTIONAL: whether this request needs the store all the same */
static int needs_store(const aims_op *op, const json_t *req)
{
	if (!(op->flags & AIMS_OP_STORE_OPTIONAL))
		return 1;
	for (const aims_op_field *f = op->fields; f && f->name; f++)
		if ((f->flags & AIMS_FF_STORE) && aims_req_has(req, f->name))
			return 1;
	return 0;
}

FILE *aims_op_input(const aims_op_ctx *ctx, const char *field, const char **name)
{
	for (size_t i = 0; ctx && field && i < ctx->ninputs; i++)
		if (ctx->inputs[i].field && strcmp(ctx->inputs[i].field, field) == 0) {
			if (name)
				*name = ctx->inputs[i].name ? ctx->inputs[i].name : field;
			return ctx->inputs[i].f;
		}
	return NULL;
}

int aims_op_has_inputs(const aims_op *op)
{
	for (const aims_op_field *f = op ? op->fields : NULL; f && f->name; f++)
		if (f->type == AIMS_FT_INPUT)
			return 1;
	return 0;
}

int aims_op_etag(char out[80], const json_t *doc)
{
	unsigned char md[32];
	char hex[65];
	char *canon = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
	if (!canon)
		return aims__oom();
	int err = aims__sha256_oneshot(md, canon, strlen(canon));
	free(canon);
	if (err < 0)
		return err;
	aims__hex(hex, md, sizeof(md));
	snprintf(out, 80, "\"sha256:%.32s\"", hex);
	return 0;
}

/* the current ETag of the object an update changes, by running its read operation */
static int object_etag(char out[80], const aims_op *op, aims_op_ctx *ctx, const json_t *req)
{
	const aims_op *get = aims_op_find(op->get_op);
	aims_op_result r = AIMS_OP_RESULT_INIT;
	json_t *greq = NULL;
	int err;

	out[0] = '\0';
	if (!get)
		return aims__err(AIMS_EUSAGE, "operation '%s' names no read operation for its ETag", op->name);
	if (!(greq = json_object()))
		return aims__oom();
	/* the read operation takes the update's path fields (the object's identity) */
	for (const aims_op_field *f = get->fields; f && f->name; f++) {
		json_t *v = (f->flags & AIMS_FF_PATH) ? json_object_get(req, f->name) : NULL;
		if (v && json_object_set(greq, f->name, v) < 0) {
			json_decref(greq);
			return aims__oom();
		}
	}
	err = get->run(&r, ctx, greq);
	if (err >= 0)
		err = r.json ? aims_op_etag(out, r.json) : 0;
	aims_op_result_release(&r);
	json_decref(greq);
	return err;
}

static int etag_match(const char *have, const char *want)
{
	/* If-Match may list several tags or be "*"; weak tags never match an update */
	if (strcmp(want, "*") == 0)
		return 1;
	size_t n = strlen(have);
	for (const char *p = want; (p = strstr(p, have)) != NULL; p += n) {
		int before = p == want || p[-1] == ' ' || p[-1] == ',';
		int after = p[n] == '\0' || p[n] == ' ' || p[n] == ',';
		if (before && after && !(p >= want + 2 && p[-2] == 'W' && p[-1] == '/'))
			return 1;
	}
	return 0;
}

/* after a write, a checkpoint signed with the recorded key (when there is one) */
static void sign_after_write(aims_op_result *res, aims_store *store)
{
	aims_note_signer *signer = NULL;
	int err = aims_ledger_signer(&signer, store);
	if (err == AIMS_ENOTFOUND) {
		aims_error_clear();
		return; /* no key recorded: entries are appended, checkpoints wait */
	}
	if (err < 0 || aims_ledger_checkpoint(store, signer, NULL) < 0) {
		aims_buf b = AIMS_BUF_INIT;
		if (aims_buf_printf(&b, "the write succeeded but its checkpoint was not signed (the next write signs "
				    "one): %s", aims_error_last()) == 0 && !res->warning)
			res->warning = aims_buf_detach(&b, NULL);
		aims_buf_release(&b);
		aims_error_clear();
	}
	aims_note_signer_free(signer);
}

/* ---- CSV of any list ---- */

/* one cell: text as is, numbers and booleans written out, null empty, arrays of text joined with "; ",
   anything else as compact JSON */
static int csv_cell(aims_buf *b, const json_t *v)
{
	char num[64];
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v))
		return aims_csv_field(b, json_string_value(v));
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return aims_buf_puts(b, num);
	}
	if (json_is_real(v)) {
		/* the shortest of %.15g..%.17g that reads back as the same number */
		for (int prec = 15; prec <= 17; prec++) {
			snprintf(num, sizeof(num), "%.*g", prec, json_real_value(v));
			if (strtod(num, NULL) == json_real_value(v))
				break;
		}
		return aims_buf_puts(b, num);
	}
	if (json_is_boolean(v))
		return aims_buf_puts(b, json_is_true(v) ? "true" : "false");
	int scalars = json_is_array(v);
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x) {
		scalars = scalars && (json_is_string(x) || json_is_number(x));
	}
	aims_buf t = AIMS_BUF_INIT;
	int err = 0;
	if (scalars) {
		json_array_foreach(v, i, x) {
			if (i)
				err = err < 0 ? err : aims_buf_puts(&t, "; ");
			if (json_is_string(x))
				err = err < 0 ? err : aims_buf_puts(&t, json_string_value(x));
			else if (err >= 0)
				err = csv_cell(&t, x);
		}
	} else {
		char *j = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		err = j ? aims_buf_puts(&t, j) : aims__oom();
		free(j);
	}
	if (err >= 0 && (err = aims_buf_putc(&t, '\0')) >= 0)
		err = aims_csv_field(b, t.ptr);
	aims_buf_release(&t);
	return err;
}

int aims_json_list_csv(aims_buf *out, const json_t *items)
{
	json_t *cols = json_array(), *seen = json_object();
	size_t i;
	json_t *it;
	int err = 0;
	if (!cols || !seen) {
		json_decref(cols);
		json_decref(seen);
		return aims__oom();
	}
	/* the columns: every member of the items in order of first appearance; a member that is an
	   object in any item (e.g. "inherent": {"likelihood", ...}) becomes one column per member of
	   those objects ("inherent.likelihood"), wherever it first appeared */
	json_t *keys = json_array(), *subs = json_object();
	if (!keys || !subs)
		err = aims__oom();
	json_array_foreach(items, i, it) {
		const char *k;
		json_t *v;
		json_object_foreach(it, k, v) {
			if (err >= 0 && !json_object_get(seen, k) &&
			    (json_object_set_new(seen, k, json_true()) < 0 || json_array_append_new(keys, json_string(k)) < 0))
				err = aims__oom();
			if (json_is_object(v) && json_object_size(v) > 0) {
				json_t *sl = json_object_get(subs, k);
				if (!sl && (json_object_set_new(subs, k, sl = json_array()) < 0 || !sl)) {
					err = aims__oom();
					continue;
				}
				const char *sk;
				json_t *sv;
				json_object_foreach(v, sk, sv) {
					size_t m;
					json_t *have;
					int found = 0;
					json_array_foreach(sl, m, have) {
						found |= strcmp(json_string_value(have), sk) == 0;
					}
					if (!found && json_array_append_new(sl, json_string(sk)) < 0)
						err = aims__oom();
				}
			}
		}
	}
	json_t *key;
	json_array_foreach(keys, i, key) {
		json_t *sl = json_object_get(subs, json_string_value(key));
		if (!sl) {
			if (json_array_append(cols, key) < 0)
				err = aims__oom();
			continue;
		}
		size_t m;
		json_t *sk;
		json_array_foreach(sl, m, sk) {
			char name[256];
			snprintf(name, sizeof(name), "%s.%s", json_string_value(key), json_string_value(sk));
			if (json_array_append_new(cols, json_string(name)) < 0)
				err = aims__oom();
		}
	}
	json_decref(keys);
	json_decref(subs);
	json_t *c;
	json_array_foreach(cols, i, c) {
		if (err >= 0 && i)
			err = aims_buf_putc(out, ',');
		if (err >= 0)
			err = aims_csv_field(out, json_string_value(c));
	}
	if (err >= 0)
		err = aims_buf_puts(out, "\r\n");
	json_array_foreach(items, i, it) {
		size_t k;
		json_array_foreach(cols, k, c) {
			const char *name = json_string_value(c), *dot = strchr(name, '.');
			json_t *v = json_object_get(it, name);
			if (json_is_object(v))
				v = NULL; /* an object member that had no members in the other items */
			if (!v && dot) {
				char top[256];
				snprintf(top, sizeof(top), "%.*s", (int)(dot - name), name);
				json_t *o = json_object_get(it, top);
				v = json_is_object(o) ? json_object_get(o, dot + 1) : NULL;
			}
			if (err >= 0 && k)
				err = aims_buf_putc(out, ',');
			if (err >= 0)
				err = csv_cell(out, json_is_object(v) && json_object_size(v) == 0 ? NULL : v);
		}
		if (err >= 0)
			err = aims_buf_puts(out, "\r\n");
	}
	json_decref(cols);
	json_decref(seen);
	return err;
}

/* one attempt at the operation (see aims_op_call) */
static int call_once(aims_op_result *res, const aims_op *op, aims_op_ctx *ctx, const json_t *req)
{
	int err, began = 0;
	char etag[80];
	json_t *plain = NULL;

	if ((op->flags & AIMS_OP_UPDATE) && ctx->if_match) {
		if ((err = aims_store_begin(ctx->store)) < 0)
			return err;
		began = 1;
		if ((err = object_etag(etag, op, ctx, req)) < 0)
			goto fail;
		if (!etag_match(etag, ctx->if_match)) {
			err = aims__err(AIMS_ESTALE, "'%s': the object changed since it was read (ETag %s, If-Match %s)",
					op->name, etag, ctx->if_match);
			goto fail;
		}
	}
	/* CSV of a list the op does not render itself: run it for its JSON, then write the list as CSV */
	const char *fmt = req ? json_string_value(json_object_get(req, "format")) : NULL;
	if (fmt && strcmp(fmt, "csv") == 0 && op->list_key &&
	    !(op->formats && in_choices("csv", op->formats))) {
		if (!(plain = json_deep_copy(req)) || json_object_del(plain, "format") < 0) {
			err = aims__oom();
			goto fail;
		}
	}
	if ((err = op->run(res, ctx, plain ? plain : req)) < 0)
		goto fail;
	if (plain) {
		/* a list of plain values (e.g. {"systems": [NAME]}) is one column named for one of them */
		json_t *items = json_object_get(res->json, op->list_key), *rows = NULL;
		size_t ki = strlen(op->list_key);
		if (json_array_size(items) > 0 && !json_is_object(json_array_get(items, 0))) {
			char col[64];
			size_t ii;
			json_t *iv;
			snprintf(col, sizeof(col), "%.*s", (int)(ki > 1 && op->list_key[ki - 1] == 's' ? ki - 1 : ki),
				 op->list_key);
			if (!(rows = json_array()))
				err = aims__oom();
			json_array_foreach(items, ii, iv) {
				if (err >= 0 && json_array_append_new(rows, json_pack("{s:O}", col, iv)) < 0)
					err = aims__oom();
			}
			items = rows;
		}
		if (err >= 0)
			err = aims_json_list_csv(&res->body, items);
		json_decref(rows);
		if (err < 0)
			goto fail;
		json_decref(res->json);
		res->json = NULL;
		res->content_type = "text/csv; charset=utf-8";
		json_decref(plain);
		plain = NULL;
	}
	if (began && (err = aims_store_commit(ctx->store)) < 0) {
		began = 0;
		goto fail;
	}
	if ((op->flags & AIMS_OP_WRITE) || (res->wrote && ctx->store)) {
		res->wrote = 1;
		sign_after_write(res, ctx->store);
	}
	if (res->json && !res->etag[0] && !(op->flags & AIMS_OP_LIST) && !res->wrote &&
	    (err = aims_op_etag(res->etag, res->json)) < 0)
		return err;
	if ((op->flags & AIMS_OP_UPDATE) && op->get_op && object_etag(etag, op, ctx, req) == 0)
		memcpy(res->etag, etag, sizeof(etag));
	aims_error_clear();
	return 0;
fail:
	if (began) {
		/* keep the operation's error, not the rollback's */
		char msg[2048], field[128];
		snprintf(msg, sizeof(msg), "%s", aims_error_last());
		snprintf(field, sizeof(field), "%s", aims_error_last_field());
		aims_store_rollback(ctx->store);
		aims__err_set(err, "%s", msg);
		aims__err_set_field(field);
	}
	json_decref(plain);
	aims_op_result_release(res);
	return err;
}

int aims_op_call(aims_op_result *res, const aims_op *op, aims_op_ctx *ctx, const json_t *req)
{
	int err;

	if (!op || !ctx || !res)
		return aims__err(AIMS_EUSAGE, "aims_op_call: missing operation, context or result");
	res->wrote = 0; /* set by the op (a write it was asked for) or below (AIMS_OP_WRITE) */
	if (!ctx->store) {
		/* without a store nothing is read or written there, and there are no roles to check */
		if (needs_store(op, req))
			return aims__err(AIMS_EUSAGE, "'%s' needs a store", op->name);
	} else {
		if (!ctx->principal)
			ctx->principal = aims_store_principal(ctx->store);
		if (!(op->flags & AIMS_OP_PUBLIC) && (err = aims_permission_check(ctx->principal, op->perm)) < 0)
			return err;
	}
	if ((err = aims_op_validate(op, req)) < 0 || (err = check_inputs(op, ctx)) < 0)
		return err;
	if ((op->flags & AIMS_OP_STREAM) && !ctx->input)
		return aims__err(AIMS_EINVALID, "'%s' reads its input from a file or the request body: none given",
				 op->name);
	if (!ctx->store)
		return call_once(res, op, ctx, req);
	/*
	 * A write that lost to a concurrent transaction (a PostgreSQL deadlock or
	 * serialization failure) was rolled back whole and changed nothing: run
	 * it again, a bounded number of times. A stream was consumed by the first
	 * attempt and cannot be read again.
	 */
	for (int attempt = 0;; attempt++) {
		aims__store_retry_clear(ctx->store);
		res->outcome = 0;
		res->wrote = 0;
		res->etag[0] = '\0';
		err = call_once(res, op, ctx, req);
		if (err >= 0 || (op->flags & AIMS_OP_STREAM) || !aims__store_retryable(ctx->store))
			return err;
		if (attempt + 1 >= AIMS__STORE_RETRIES) {
			aims__err_prefix("'%s': gave up after %d attempts that conflicted with concurrent writes",
					 op->name, attempt + 1);
			return err;
		}
		aims__store_backoff(attempt);
	}
}

/* ---- reading a validated request ---- */

const char *aims_req_str(const json_t *req, const char *name)
{
	return req ? json_string_value(json_object_get(req, name)) : NULL;
}

int64_t aims_req_int(const json_t *req, const char *name, int64_t def)
{
	json_t *v = req ? json_object_get(req, name) : NULL;
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

double aims_req_num(const json_t *req, const char *name, double def)
{
	json_t *v = req ? json_object_get(req, name) : NULL;
	return json_is_number(v) ? json_number_value(v) : def;
}

int aims_req_bool(const json_t *req, const char *name)
{
	return req ? json_is_true(json_object_get(req, name)) : 0;
}

int aims_req_has(const json_t *req, const char *name)
{
	json_t *v = req ? json_object_get(req, name) : NULL;
	return v && !json_is_null(v);
}

int aims_req_list(const char ***out, size_t *n, const json_t *req, const char *name)
{
	json_t *a = req ? json_object_get(req, name) : NULL;
	size_t count = json_is_array(a) ? json_array_size(a) : 0;
	*out = NULL;
	*n = 0;
	if (count == 0)
		return 0;
	const char **v = aims__calloc(count, sizeof(*v));
	if (!v)
		return aims__oom();
	for (size_t i = 0; i < count; i++)
		v[i] = json_string_value(json_array_get(a, i));
	*out = v;
	*n = count;
	return 0;
}
