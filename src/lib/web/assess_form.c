/*
 * Impact assessments (ISO/IEC 42001 6.1.4, A.5): the list with a way into
 * the questionnaire, the guided questionnaire of /assessments/new, and one
 * assessment with its answers and approval. The questionnaire's fields are
 * the keys of the answers file `aims assess impact` reads (docs/risk.md);
 * saving writes them as the text of such a file and calls assess.impact as
 * the signed-in principal, which stores the system's next version as a
 * draft. Its refusal ("'form' line L: KEY: reason", nested keys as
 * harms[0].severity) is shown at the field it names, with what was entered.
 * Approval is assess.approve: four eyes, the library refuses the author.
 * Groups and harms are rows; "More rows" adds empty ones without saving.
 */
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/assess.h"
#include "core/core.h"
#include "pages.h"

/* rows of groups and harms a form may carry */
#define MAX_ROWS 100

static const char *str_or_empty(const json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

/* the lines of a text as a list (blank lines left out) */
static json_t *lines_of(const char *p)
{
	json_t *a = json_array();
	while (a && *p) {
		size_t n = strcspn(p, "\n"), b = 0, e = n;
		while (b < n && (p[b] == ' ' || p[b] == '\t'))
			b++;
		while (e > b && (p[e - 1] == ' ' || p[e - 1] == '\t'))
			e--;
		if (e > b)
			json_array_append_new(a, json_stringn(p + b, e - b));
		p += n + (p[n] == '\n');
	}
	return a;
}

/* a list of texts as lines */
static json_t *text_of(const json_t *list)
{
	aims_buf b = AIMS_BUF_INIT;
	const json_t *v;
	size_t i;
	json_array_foreach(list, i, v) {
		if (json_is_string(v))
			aims_buf_printf(&b, "%s\n", json_string_value(v));
	}
	json_t *s = json_stringn(b.ptr ? b.ptr : "", b.len);
	aims_buf_release(&b);
	return s;
}

static int rows_of(const W *w, const char *name)
{
	long n = strtol(aims__web_fstr(w, name), NULL, 10);
	return n < 0 ? 0 : n > MAX_ROWS ? MAX_ROWS : (int)n;
}

static const char *row_field(const W *w, char prefix, int i, const char *key)
{
	char name[64];
	snprintf(name, sizeof(name), "%c%d_%s", prefix, i, key);
	return aims__web_fstr(w, name);
}

static const char *const group_keys[] = { "group", "description", "vulnerable", NULL };
static const char *const harm_keys[] = { "harm", "level", "affected", "severity", "reversibility", NULL };
static const char *const text_keys[] = { "intended_use", "human_oversight", "notes", NULL };
static const char *const list_keys[] = { "benefits", "misuse", "mitigations", "data_sources", NULL };

/*
 * The n rows of `prefix` (g: groups, h: harms) with `keys`: each row's text
 * into vrows (to show again), each row with an answer into arows (an
 * answer "true"/"false" of `bool_key` as a boolean), its form row into map.
 */
static void read_rows(json_t *arows, json_t *vrows, int *map, const W *w, char prefix, int n,
		      const char *const *keys, const char *bool_key)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		json_t *row = json_object(), *x = json_object();
		int any = 0;
		for (const char *const *key = keys; *key; key++) {
			const char *s = row_field(w, prefix, i, *key);
			json_object_set_new(row, *key, json_string(s));
			if (!*s)
				continue;
			any = 1;
			int b = bool_key && strcmp(*key, bool_key) == 0;
			json_object_set_new(x, *key, b && strcmp(s, "true") == 0    ? json_true()
						     : b && strcmp(s, "false") == 0 ? json_false()
										    : json_string(s));
		}
		json_array_append_new(vrows, row);
		if (any) {
			map[k++] = i;
			json_array_append_new(arows, x);
		} else {
			json_decref(x);
		}
	}
}

/*
 * The form as answers: the questionnaire to save (*ans, in the order of
 * docs/risk.md), the values to show again (*vals: the form's text, rows as
 * arrays) and, per answer row, the form row it came from (gmap, hmap).
 */
static int read_form(json_t **ans, json_t **vals, int *gmap, int *hmap, const W *w)
{
	json_t *a = json_object(), *v = json_object(), *groups = json_array(), *harms = json_array();
	json_t *vg = json_array(), *vh = json_array();
	*ans = *vals = NULL;
	if (!a || !v || !groups || !harms || !vg || !vh) {
		json_decref(a);
		json_decref(v);
		json_decref(groups);
		json_decref(harms);
		json_decref(vg);
		json_decref(vh);
		return aims__oom();
	}
	json_object_set_new(v, "system", json_string(aims__web_fstr(w, "system")));
	for (const char *const *t = text_keys; *t; t++)
		json_object_set_new(v, *t, json_string(aims__web_fstr(w, *t)));
	for (const char *const *t = list_keys; *t; t++)
		json_object_set_new(v, *t, json_string(aims__web_fstr(w, *t)));
	read_rows(groups, vg, gmap, w, 'g', rows_of(w, "groups"), group_keys, "vulnerable");
	read_rows(harms, vh, hmap, w, 'h', rows_of(w, "harms"), harm_keys, NULL);
	if (*aims__web_fstr(w, "intended_use"))
		json_object_set_new(a, "intended_use", json_string(aims__web_fstr(w, "intended_use")));
	json_object_set_new(a, "affected_groups", groups);
	json_object_set_new(a, "benefits", lines_of(aims__web_fstr(w, "benefits")));
	json_object_set_new(a, "harms", harms);
	json_object_set_new(a, "misuse", lines_of(aims__web_fstr(w, "misuse")));
	json_object_set_new(a, "mitigations", lines_of(aims__web_fstr(w, "mitigations")));
	if (*aims__web_fstr(w, "human_oversight"))
		json_object_set_new(a, "human_oversight", json_string(aims__web_fstr(w, "human_oversight")));
	json_t *ds = lines_of(aims__web_fstr(w, "data_sources"));
	if (json_array_size(ds))
		json_object_set_new(a, "data_sources", ds);
	else
		json_decref(ds);
	if (*aims__web_fstr(w, "notes"))
		json_object_set_new(a, "notes", json_string(aims__web_fstr(w, "notes")));
	json_object_set_new(v, "groups", vg);
	json_object_set_new(v, "harms", vh);
	*ans = a;
	*vals = v;
	return 0;
}

/* an assessment's answers as the form's values */
static json_t *values_of(const json_t *ans, const char *system)
{
	json_t *v = json_pack("{s:s}", "system", system ? system : ""), *rows = json_array(), *it;
	size_t i;
	for (const char *const *t = text_keys; v && *t; t++)
		json_object_set_new(v, *t, json_string(str_or_empty(json_object_get(ans, *t))));
	for (const char *const *t = list_keys; v && *t; t++)
		json_object_set_new(v, *t, text_of(json_object_get(ans, *t)));
	json_array_foreach(json_object_get(ans, "affected_groups"), i, it) {
		const json_t *vul = json_object_get(it, "vulnerable");
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "group", str_or_empty(json_object_get(it, "group")),
						      "description", str_or_empty(json_object_get(it, "description")), "vulnerable",
						      json_is_true(vul) ? "true" : json_is_false(vul) ? "false" : ""));
	}
	json_object_set_new(v, "groups", rows);
	rows = json_array();
	json_array_foreach(json_object_get(ans, "harms"), i, it) {
		json_t *r = json_object();
		for (const char *const *key = harm_keys; *key; key++)
			json_object_set_new(r, *key, json_string(str_or_empty(json_object_get(it, *key))));
		json_array_append_new(rows, r);
	}
	json_object_set_new(v, "harms", rows);
	return v;
}

static json_t *options(const char *const *values, const char *selected, const char *none)
{
	json_t *a = json_pack("[{s:s, s:s, s:b}]", "value", "", "label", none, "selected", !selected || !*selected);
	for (size_t i = 0; a && values[i]; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", values[i], "label", values[i], "selected",
						   selected && strcmp(selected, values[i]) == 0));
	return a;
}

/* the field a refused answer names, as the form calls it, with a label for the summary */
static void field_of(char *field, size_t cap, char *label, size_t lcap, const char *path, const int *gmap, int ng,
		     const int *hmap, int nh)
{
	static const struct {
		const char *key, *label;
	} plain[] = { { "intended_use", "Intended use" }, { "benefits", "Benefits" }, { "misuse", "Foreseeable misuse" },
		      { "mitigations", "Mitigations" }, { "human_oversight", "Human oversight" },
		      { "data_sources", "Data sources" }, { "notes", "Notes" } };
	size_t n = strcspn(path, "[.");
	*field = *label = '\0';
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (strlen(plain[i].key) == n && strncmp(plain[i].key, path, n) == 0) {
			snprintf(field, cap, "%s", plain[i].key);
			snprintf(label, lcap, "%s", plain[i].label);
			return;
		}
	int groups = n == 15 && strncmp(path, "affected_groups", n) == 0, harms = n == 5 && strncmp(path, "harms", n) == 0;
	if (!groups && !harms)
		return;
	long k = path[n] == '[' ? strtol(path + n + 1, NULL, 10) : 0;
	const char *sub = strstr(path + n, "].");
	sub = sub ? sub + 2 : groups ? "group" : "harm";
	const char *const *keys = groups ? group_keys : harm_keys;
	int row = 0;
	if (k >= 0 && k < (groups ? ng : nh))
		row = (groups ? gmap : hmap)[k];
	for (; *keys; keys++)
		if (strcmp(*keys, sub) == 0) {
			snprintf(field, cap, "%c%d_%s", groups ? 'g' : 'h', row, *keys);
			snprintf(label, lcap, "%s %d: %s", groups ? "Affected group" : "Harm", row + 1, *keys);
			return;
		}
}

/*
 * The questionnaire page: `vals` (stolen) the values to show, `errors`
 * ({field: message}) at their fields, `more` empty rows beyond those.
 */
static int form_page(W *w, json_t *vals, const json_t *errors, int more, int status)
{
	json_t *systems = NULL, *sysopts = json_array(), *it;
	const char *sys = json_string_value(json_object_get(vals, "system"));
	size_t i;
	int err;
	if ((err = aims__web_call(&systems, NULL, w, "system.list", NULL)) < 0) {
		json_decref(vals);
		json_decref(sysopts);
		return aims__web_fail(w, err);
	}
	json_array_foreach(json_object_get(systems, "systems"), i, it) {
		const char *name = json_string_value(json_object_get(it, "name"));
		json_array_append_new(sysopts, json_pack("{s:s, s:b}", "value", name, "selected", sys && strcmp(sys, name) == 0));
	}
	json_decref(systems);
	/* the rows entered, then empty ones: at least one group and one harm more than entered */
	json_t *rows[2] = { json_object_get(vals, "groups"), json_object_get(vals, "harms") };
	json_t *out[2] = { json_array(), json_array() };
	const char *const *keys[2] = { group_keys, harm_keys };
	for (int g = 0; g < 2; g++) {
		/* the rows up to the last one with an answer, then empty ones */
		size_t used = json_array_size(rows[g]);
		while (used > 0) {
			const char *k;
			json_t *v;
			int any = 0;
			json_object_foreach(json_array_get(rows[g], used - 1), k, v) {
				any |= json_is_string(v) && *json_string_value(v);
			}
			if (any)
				break;
			used--;
		}
		size_t n = used + (size_t)more + 1;
		if (n > MAX_ROWS)
			n = MAX_ROWS;
		for (i = 0; i < n; i++) {
			const json_t *row = json_array_get(rows[g], i);
			json_t *o = json_pack("{s:i, s:i}", "i", (int)i, "n", (int)i + 1);
			for (const char *const *k = keys[g]; *k; k++) {
				const char *v = json_string_value(json_object_get(row, *k));
				char name[64], ename[80];
				snprintf(name, sizeof(name), "%c%zu_%s", g ? 'h' : 'g', i, *k);
				snprintf(ename, sizeof(ename), "%s_error", *k);
				json_object_set_new(o, *k, json_string(v ? v : ""));
				if (json_object_get(errors, name))
					json_object_set(o, ename, json_object_get(json_object_get(errors, name), "message"));
				if (strcmp(*k, "vulnerable") == 0) {
					json_t *vo = json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}, {s:s, s:s, s:b}]", "value", "",
							       "label", "(not said)", "selected", !v || !*v, "value", "true",
							       "label", "yes", "selected", v && strcmp(v, "true") == 0, "value",
							       "false", "label", "no", "selected", v && strcmp(v, "false") == 0);
					json_object_set_new(o, "vulnerable_options", vo);
				} else if (g && strcmp(*k, "level") == 0) {
					json_object_set_new(o, "level_options", options(aims_assess_levels, v, "(choose)"));
				} else if (g && strcmp(*k, "severity") == 0) {
					json_object_set_new(o, "severity_options", options(aims_assess_severities, v, "(choose)"));
				} else if (g && strcmp(*k, "reversibility") == 0) {
					json_object_set_new(o, "reversibility_options",
							    options(aims_assess_reversibilities, v, "(choose)"));
				}
			}
			json_array_append_new(out[g], o);
		}
	}
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:i, s:i, s:s}", "systems", sysopts, "groups", out[0], "harms", out[1],
				"ngroups", (int)json_array_size(out[0]), "nharms", (int)json_array_size(out[1]), "action",
				"/assessments/new");
	if (!ctx) {
		json_decref(vals);
		return aims__oom();
	}
	for (const char *const *t = text_keys; *t; t++)
		json_object_set(ctx, *t, json_object_get(vals, *t));
	for (const char *const *t = list_keys; *t; t++)
		json_object_set(ctx, *t, json_object_get(vals, *t));
	/* the errors: at their fields ("FIELD_error") and in a summary linking to them */
	json_t *summary = json_array();
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)errors, k, v) {
		char ename[96];
		snprintf(ename, sizeof(ename), "%s_error", k);
		if (*k != 'g' && *k != 'h')
			json_object_set(ctx, ename, json_object_get(v, "message"));
		char href[96];
		snprintf(href, sizeof(href), "#%s", *k ? k : "a-system");
		json_array_append_new(summary, json_pack("{s:s, s:O, s:O}", "href", href, "label", json_object_get(v, "label"),
							 "message", json_object_get(v, "message")));
	}
	json_object_set_new(ctx, "summary", summary);
	json_object_set_new(ctx, "has_summary", json_boolean(json_object_size(errors) > 0));
	json_decref(vals);
	return aims__web_page(w, status, "assess_form.html", "Impact assessment questionnaire", ctx);
}

/* POST /assessments/new: save, or show again with more rows or with the refusal */
static int form_post(W *w)
{
	int gmap[MAX_ROWS], hmap[MAX_ROWS], err;
	json_t *ans = NULL, *vals = NULL;
	const char *system = aims__web_fstr(w, "system");
	if ((err = read_form(&ans, &vals, gmap, hmap, w)) < 0)
		return err;
	if (*aims__web_fstr(w, "more")) {
		json_decref(ans);
		return form_page(w, vals, NULL, 3, 200);
	}
	char *text = json_dumps(ans, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	int ng = (int)json_array_size(json_object_get(ans, "affected_groups"));
	int nh = (int)json_array_size(json_object_get(ans, "harms"));
	json_decref(ans);
	if (!text) {
		json_decref(vals);
		return aims__oom();
	}
	json_t *doc = NULL, *errors = NULL;
	if (!*system && aims__web_can(w, "assess.edit")) {
		free(text);
		errors = json_pack("{s:{s:s, s:s}}", "", "label", "AI system", "message", "choose the AI system assessed");
		err = form_page(w, vals, errors, 0, 400);
		json_decref(errors);
		return err;
	}
	err = aims__web_call(&doc, NULL, w, "assess.impact", json_pack("{s:s, s:s}", "system", system, "answers", text));
	free(text);
	if (err == 0) {
		json_decref(vals);
		err = aims__web_redirect_to(w, "/assessments/", json_string_value(json_object_get(doc, "id")), NULL);
		json_decref(doc);
		return err;
	}
	if (err != AIMS_EINVALID) {
		json_decref(vals);
		return aims__web_fail(w, err);
	}
	/* "'form' line L: PATH: reason": the reason at the field PATH names */
	char msg[1024], field[96], label[96];
	snprintf(msg, sizeof(msg), "%s", aims_error_last());
	aims_error_clear();
	const char *p = msg, *reason = msg;
	*field = '\0';
	snprintf(label, sizeof(label), "The questionnaire");
	if (strncmp(p, "'form'", 6) == 0) {
		p += 6;
		if (strncmp(p, " line ", 6) == 0)
			p += 6 + strspn(p + 6, "0123456789");
		if (strncmp(p, ": ", 2) == 0) {
			char path[128];
			size_t n = strcspn(p + 2, ": ");
			snprintf(path, sizeof(path), "%.*s", (int)(n < sizeof(path) ? n : sizeof(path) - 1), p + 2);
			char f[96], l[96];
			field_of(f, sizeof(f), l, sizeof(l), path, gmap, ng, hmap, nh);
			if (*f && strncmp(p + 2 + n, ": ", 2) == 0) {
				snprintf(field, sizeof(field), "%s", f);
				snprintf(label, sizeof(label), "%s", l);
				reason = p + 2 + n + 2;
			}
		}
	}
	errors = json_pack("{s:{s:s, s:s}}", field, "label", label, "message", reason);
	err = form_page(w, vals, errors, 0, 400);
	json_decref(errors);
	return err;
}

/* GET /assessments/new?system=S[&from=ID]: pre-filled from ID, else from the system's latest assessment */
static int form_get(W *w)
{
	const char *system = aims__web_qstr(w, "system"), *from = aims__web_qstr(w, "from");
	json_t *a = NULL;
	int err;
	if ((!from || !*from) && system && *system) {
		json_t *l = NULL;
		if ((err = aims__web_call(&l, NULL, w, "assess.list", aims__web_req1("system", system))) < 0)
			return aims__web_fail(w, err);
		json_t *items = json_object_get(l, "assessments");
		const char *last = json_string_value(json_object_get(json_array_get(items, json_array_size(items) - 1), "id"));
		if (last && (err = aims__web_call(&a, NULL, w, "assess.show", aims__web_req1("id", last))) < 0) {
			json_decref(l);
			return aims__web_fail(w, err);
		}
		json_decref(l);
	} else if (from && *from && (err = aims__web_call(&a, NULL, w, "assess.show", aims__web_req1("id", from))) < 0) {
		return aims__web_fail(w, err);
	}
	json_t *vals = values_of(json_object_get(a, "answers"),
				 a ? json_string_value(json_object_get(a, "system")) : system);
	json_decref(a);
	return form_page(w, vals, NULL, 0, 200);
}

int aims__web_pg_assessments(W *w)
{
	json_t *systems = NULL, *opts = json_array(), *it;
	size_t i;
	int can = aims__web_can(w, "assess.edit");
	if (can && aims__web_call(&systems, NULL, w, "system.list", NULL) == 0) {
		json_array_foreach(json_object_get(systems, "systems"), i, it) {
			json_array_append_new(opts, json_pack("{s:O}", "value", json_object_get(it, "name")));
		}
	}
	aims_error_clear();
	json_decref(systems);
	return aims__web_list_page(w, "Impact assessments", "assess.list", NULL, "assessments", aims__web_assess_cols,
				   "/api/v1/impact-assessments", "assessments.csv",
				   json_pack("{s:b, s:o}", "can_assess", can && json_array_size(opts) > 0, "assess_systems", opts));
}

int aims__web_pg_assessment(W *w, const char *id, const char *action)
{
	int post = strcmp(w->rq->method, "POST") == 0, err;
	json_t *a = NULL;
	if (strcmp(id, "new") == 0) {
		if (*action)
			return post ? aims__web_no_action(w) : aims__web_not_found(w);
		return post ? form_post(w) : form_get(w);
	}
	if (post) {
		if (strcmp(action, "approve") != 0)
			return aims__web_no_action(w);
		/* four eyes: the operation refuses the author */
		if ((err = aims__web_call(NULL, NULL, w, "assess.approve", aims__web_req1("id", id))) < 0)
			return aims__web_fail(w, err);
		return aims__web_redirect_to(w, "/assessments/", id, NULL);
	}
	if (*action)
		return aims__web_not_found(w);
	if ((err = aims__web_call(&a, NULL, w, "assess.show", aims__web_req1("id", id))) < 0)
		return aims__web_fail(w, err);
	const char *author = json_string_value(json_object_get(a, "author"));
	const char *system = json_string_value(json_object_get(a, "system"));
	/* approval is offered to another account than the author (the operation checks again) */
	int offer = aims__web_str_is(a, "status", "draft") && aims__web_can(w, "assess.approve") &&
		    !(author && strcmp(author, w->rq->principal->name) == 0);
	aims_buf upd = AIMS_BUF_INIT;
	aims_buf_puts(&upd, "/assessments/new?system=");
	aims__web_url_put(&upd, system ? system : "");
	aims_buf_puts(&upd, "&from=");
	aims__web_url_put(&upd, id);
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:s%, s:b, s:b, s:o, s:o}", "a", a, "api",
				aims__web_url("/api/v1/impact-assessments/", id, NULL), "approve_href",
				aims__web_url("/assessments/", id, "/approve"), "update_href", upd.ptr ? upd.ptr : "", upd.len,
				"can_approve", offer, "can_update", aims__web_can(w, "assess.edit"), "system_href",
				aims__web_url("/systems/", system ? system : "", NULL), "answers_json",
				aims__web_json_text(json_object_get(a, "answers"), 17));
	aims_buf_release(&upd);
	/* whether each group is vulnerable, in words (the answer is optional) */
	json_t *g;
	size_t i;
	json_array_foreach(json_object_get(json_object_get(json_object_get(ctx, "a"), "answers"), "affected_groups"), i, g) {
		const json_t *vul = json_object_get(g, "vulnerable");
		json_object_set_new(g, "vulnerable_text", json_string(json_is_true(vul) ? "yes" : json_is_false(vul) ? "no" : "not said"));
	}
	return aims__web_page(w, 200, "assessment.html", id, ctx);
}
