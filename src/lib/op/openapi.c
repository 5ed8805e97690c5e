/*
 * Documents generated from the operation table: the OpenAPI 3.1 description
 * of /api/v1 (served at /api/v1/openapi.json and linted in CI) and
 * docs/permissions.md (the permission table and the operation x role
 * matrix). Neither is written by hand, so neither can drift from the code.
 */
#include <string.h>

#include "aims/aims.h"
#include "core/core.h"
#include "op_internal.h"

static json_t *field_schema(const aims_op_field *f)
{
	json_t *s;
	switch (f->type) {
	case AIMS_FT_INT: s = json_pack("{s:s}", "type", "integer"); break;
	case AIMS_FT_NUMBER: s = json_pack("{s:s}", "type", "number"); break;
	case AIMS_FT_BOOL: s = json_pack("{s:s}", "type", "boolean"); break;
	case AIMS_FT_DATE: s = json_pack("{s:s, s:s}", "type", "string", "format", "date"); break;
	case AIMS_FT_LIST: s = json_pack("{s:s, s:{s:s}}", "type", "array", "items", "type", "string"); break;
	case AIMS_FT_JSON: s = json_object(); break;
	default: s = json_pack("{s:s}", "type", "string"); break;
	}
	if (!s)
		return NULL;
	if (f->choices) {
		json_t *e = json_array();
		for (const char *const *c = f->choices; e && *c; c++)
			json_array_append_new(e, json_string(*c));
		if (f->type == AIMS_FT_LIST)
			json_object_set_new(json_object_get(s, "items"), "enum", e);
		else
			json_object_set_new(s, "enum", e);
	}
	if (f->help)
		json_object_set_new(s, "description", json_string(f->help));
	if (f->flags & AIMS_FF_SECRET)
		json_object_set_new(s, "writeOnly", json_true());
	return s;
}

static json_t *param(const char *name, const char *in, int required, json_t *schema, const char *desc)
{
	return json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", name, "in", in, "required", required, "description",
			 desc ? desc : name, "schema", schema ? schema : json_object());
}

static int unsafe(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "DELETE") != 0;
}

static json_t *operation(const aims_op *op)
{
	json_t *o = NULL, *params = json_array(), *props = json_object(), *req = json_array(), *parts = json_object();
	char tag[64], desc[512];
	const char *dot = strchr(op->name, '.');
	size_t tn = dot ? (size_t)(dot - op->name) : strlen(op->name);
	const aims_permission *perm = aims_permission_find(op->perm);
	aims_buf roles = AIMS_BUF_INIT;

	if (!params || !props || !req || !parts)
		goto fail;
	snprintf(tag, sizeof(tag), "%.*s", (int)tn, op->name);
	if (perm && aims_roles_format(&roles, perm->roles) < 0)
		goto fail;
	snprintf(desc, sizeof(desc), "%s. %s", op->summary,
		 (op->flags & AIMS_OP_PUBLIC) ? "No permission needed." : "");
	if (!(op->flags & AIMS_OP_PUBLIC))
		snprintf(desc, sizeof(desc), "%s. Permission '%s' (roles: %s).", op->summary, op->perm, roles.ptr);
	for (const aims_op_field *f = op->fields; f && f->name; f++) {
		if (f->type == AIMS_FT_INPUT) {
			json_object_set_new(parts, f->name, json_pack("{s:s, s:s, s:s}", "type", "string", "contentMediaType",
								      "application/octet-stream", "description",
								      f->help ? f->help : f->name));
		} else if (f->flags & AIMS_FF_PATH) {
			json_array_append_new(params, param(f->name, "path", 1, field_schema(f), f->help));
		} else if (!unsafe(op->method) || (op->flags & AIMS_OP_STREAM) || aims_op_has_inputs(op)) {
			json_t *schema = field_schema(f);
			if (f->type == AIMS_FT_LIST)
				json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:s, s:o, s:b, s:s}", "name", f->name,
									"in", "query", "required",
									(f->flags & AIMS_FF_REQUIRED) != 0, "description",
									f->help ? f->help : f->name, "schema", schema,
									"explode", 1, "style", "form"));
			else
				json_array_append_new(params, param(f->name, "query", (f->flags & AIMS_FF_REQUIRED) != 0, schema,
								    f->help));
		} else {
			json_object_set_new(props, f->name, field_schema(f));
			if (f->flags & AIMS_FF_REQUIRED)
				json_array_append_new(req, json_string(f->name));
		}
	}
	if (op->formats) {
		json_t *e = json_array();
		json_array_append_new(e, json_string("json"));
		for (const char *const *fm = op->formats; *fm; fm++)
			json_array_append_new(e, json_string(*fm));
		json_array_append_new(params, param("format", "query", 0, json_pack("{s:s, s:o}", "type", "string", "enum", e),
						    "the representation: json (default) or a rendered document"));
	}
	if (op->flags & AIMS_OP_LIST) {
		json_array_append_new(params, param("limit", "query", 0,
						    json_pack("{s:s, s:i, s:i, s:i}", "type", "integer", "minimum", 1, "maximum",
							      1000, "default", 100), "page size"));
		json_array_append_new(params, param("offset", "query", 0,
						    json_pack("{s:s, s:i, s:i}", "type", "integer", "minimum", 0, "default", 0),
						    "items to skip"));
	}
	if (op->flags & AIMS_OP_UPDATE)
		json_array_append_new(params, param("If-Match", "header", 1, json_pack("{s:s}", "type", "string"),
						    "the ETag of the object as last read; a stale one gets 412"));
	if (op->flags & AIMS_OP_IDEMPOTENT)
		json_array_append_new(params, param("Idempotency-Key", "header", 0, json_pack("{s:s}", "type", "string"),
						    "a retried request with the same key is applied once"));
	char code[8];
	snprintf(code, sizeof(code), "%d", (op->flags & AIMS_OP_CREATED) ? 201 : 200);
	json_t *content = json_pack("{s:{s:{s:s}}}", "application/json", "schema", "type", "object");
	if (op->formats && content)
		json_object_set_new(content, "text/html", json_pack("{s:{s:s}}", "schema", "type", "string"));
	json_t *responses = json_pack("{s:{s:s, s:o}, s:{s:s, s:{s:{s:{s:s}}}}, s:{s:s, s:{s:{s:{s:s}}}}}", code,
				      "description", op->summary, "content", content, "4XX", "description",
				      "refused: a problem document (RFC 9457) naming the field when there is one", "content",
				      "application/problem+json", "schema", "$ref", "#/components/schemas/Problem", "5XX",
				      "description", "failure of the server", "content", "application/problem+json", "schema",
				      "$ref", "#/components/schemas/Problem");
	o = json_pack("{s:s, s:s, s:s, s:[s], s:o, s:o}", "operationId", op->name, "summary", op->summary, "description",
		      desc, "tags", tag, "parameters", params, "responses", responses);
	params = NULL;
	if (!o)
		goto fail;
	if (json_object_size(parts))
		json_object_set_new(o, "requestBody",
				    json_pack("{s:b, s:s, s:{s:{s:{s:s, s:O}}, s:{s:{s:s}}, s:{s:{s:s}}, s:{s:{s:s}}}}",
					      "required", 0, "description",
					      "the data: multipart/form-data parts named by the input fields, or the first "
					      "input field's data as the whole body; none for an evaluation of a decision log",
					      "content", "multipart/form-data", "schema", "type", "object", "properties", parts,
					      "text/csv", "schema", "type", "string", "application/x-ndjson", "schema", "type",
					      "string", "application/octet-stream", "schema", "type", "string"));
	else if (op->flags & AIMS_OP_STREAM)
		json_object_set_new(o, "requestBody",
				    json_pack("{s:b, s:{s:{s:{s:s}}, s:{s:{s:s}}, s:{s:{s:s}}}}", "required", 1, "content",
					      "application/x-ndjson", "schema", "type", "string", "text/csv", "schema", "type",
					      "string", "application/octet-stream", "schema", "type", "string"));
	else if (unsafe(op->method) && json_object_size(props))
		json_object_set_new(o, "requestBody",
				    json_pack("{s:b, s:{s:{s:{s:s, s:O, s:O, s:b}}}}", "required", json_array_size(req) > 0,
					      "content", "application/json", "schema", "type", "object", "properties", props,
					      "required", req, "additionalProperties", 0));
	if (op->flags & AIMS_OP_PUBLIC)
		json_object_set_new(o, "security", json_array());
fail:
	json_decref(parts);
	json_decref(params);
	json_decref(props);
	json_decref(req);
	aims_buf_release(&roles);
	return o;
}

int aims_op_openapi(json_t **out)
{
	size_t n;
	const aims_op *t = aims_ops(&n);
	json_t *doc = NULL, *paths = json_object(), *tags = json_array();
	*out = NULL;
	if (!paths || !tags)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		char path[256], method[16], tag[64];
		const char *dot = strchr(t[i].name, '.');
		snprintf(tag, sizeof(tag), "%.*s", (int)(dot ? (size_t)(dot - t[i].name) : strlen(t[i].name)), t[i].name);
		int known = 0;
		for (size_t k = 0; k < json_array_size(tags); k++)
			known |= strcmp(json_string_value(json_object_get(json_array_get(tags, k), "name")), tag) == 0;
		if (!known)
			json_array_append_new(tags, json_pack("{s:s, s:s}", "name", tag, "description", tag));
		snprintf(path, sizeof(path), "%s", t[i].path);
		size_t k = 0;
		for (; t[i].method[k] && k + 1 < sizeof(method); k++)
			method[k] = (char)(t[i].method[k] | 0x20);
		method[k] = '\0';
		json_t *item = json_object_get(paths, path);
		if (!item) {
			item = json_object();
			if (!item || json_object_set_new(paths, path, item) < 0)
				goto oom;
		}
		json_t *o = operation(&t[i]);
		if (!o || json_object_set_new(item, method, o) < 0)
			goto oom;
	}
	doc = json_pack("{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s}}, s:[{s:s}], s:o, s:o, s:{s:{s:{s:s, s:{s:{s:s}, s:{s:s}, "
			"s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}}, s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}}}, "
			"s:[{s:[]}, {s:[]}]}",
			"openapi", "3.1.0", "info", "title", "aims API", "version", AIMS_VERSION, "description",
			"The HTTP API of aims, an AI management system (ISO/IEC 42001, EU AI Act). Generated from the "
			"operation table of libaims: every path is an operation the command line has too, with the same "
			"request fields and the same JSON documents.",
			"license", "name", "Apache-2.0", "identifier", "Apache-2.0", "servers", "url", "/api/v1", "tags", tags,
			"paths", paths, "components", "schemas", "Problem", "type", "object", "properties", "type", "type",
			"string", "title", "type", "string", "status", "type", "integer", "detail", "type", "string",
			"instance", "type", "string", "field", "type", "string", "operation", "type", "string",
			"securitySchemes", "bearer", "type", "http", "scheme", "bearer", "session", "type", "apiKey", "in",
			"cookie", "name", "aims_session", "security", "bearer", "session");
	tags = paths = NULL;
	if (!doc)
		goto oom;
	*out = doc;
	return 0;
oom:
	json_decref(paths);
	json_decref(tags);
	return aims__oom();
}

int aims_op_permissions_md(aims_buf *out)
{
	size_t n, np;
	const aims_op *t = aims_ops(&n);
	const aims_permission *p = aims_permissions(&np);
	int err = 0;
	err |= aims_buf_puts(out, "# Roles and permissions\n\n"
			     "Generated by `aims help --permissions` from the permission table "
			     "(`src/lib/auth/perm.c`) and the operation table; do not edit. Every operation "
			     "of the command line and of the HTTP API checks the permission shown here "
			     "before it runs. Object rules come on top: the author of a document or an "
			     "impact assessment cannot approve it, only the account that owns a risk "
			     "accepts it, and a token is created only by its own account (an admin also "
			     "for service-only accounts).\n\n## Permissions by role\n\n| permission | what it allows |");
	for (int r = 0; r < AIMS_ROLE_COUNT; r++)
		err |= aims_buf_printf(out, " %s |", aims_role_names[r]);
	err |= aims_buf_puts(out, "\n|---|---|");
	for (int r = 0; r < AIMS_ROLE_COUNT; r++)
		err |= aims_buf_puts(out, ":-:|");
	err |= aims_buf_putc(out, '\n');
	for (size_t i = 0; i < np; i++) {
		err |= aims_buf_printf(out, "| `%s` | %s |", p[i].name, p[i].summary);
		for (int r = 0; r < AIMS_ROLE_COUNT; r++)
			err |= aims_buf_puts(out, (p[i].roles & (1u << r)) ? " yes |" : " |");
		err |= aims_buf_putc(out, '\n');
	}
	err |= aims_buf_puts(out, "\n## Operations\n\n| operation | command | HTTP | permission |");
	for (int r = 0; r < AIMS_ROLE_COUNT; r++)
		err |= aims_buf_printf(out, " %s |", aims_role_names[r]);
	err |= aims_buf_puts(out, "\n|---|---|---|---|");
	for (int r = 0; r < AIMS_ROLE_COUNT; r++)
		err |= aims_buf_puts(out, ":-:|");
	err |= aims_buf_putc(out, '\n');
	for (size_t i = 0; i < n; i++) {
		const aims_permission *pe = aims_permission_find(t[i].perm);
		int pub = (t[i].flags & AIMS_OP_PUBLIC) != 0;
		err |= aims_buf_printf(out, "| `%s` | %s%s%s | `%s /api/v1%s` | %s |", t[i].name, t[i].cli ? "`aims " : "-",
				       t[i].cli ? t[i].cli : "", t[i].cli ? "`" : "", t[i].method, t[i].path,
				       pub ? "none" : t[i].perm);
		for (int r = 0; r < AIMS_ROLE_COUNT; r++)
			err |= aims_buf_puts(out, (pub || (pe && (pe->roles & (1u << r)))) ? " yes |" : " |");
		err |= aims_buf_putc(out, '\n');
	}
	return err ? aims__oom() : 0;
}
