/*
 * Exchange of incidents and nonconformities with the ISMS tool (ISO/IEC
 * 27001 and 42001 often share one incident and corrective-action process).
 * Both directions use the documented columns of docs/pdca.md, as CSV
 * (RFC 4180, a header row) or JSON ({"incidents": [...]} or
 * {"nonconformities": [...]}, members named as the columns). An import is
 * transactional: the whole file is parsed and checked first (errors name
 * the file, line and column), then every row becomes a record, or nothing
 * is written. A row is keyed by the ISMS tool's id (`isms_ref`): a row
 * whose `isms_ref` was imported before is left alone and counted as
 * unchanged, so importing the same export twice changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aims/report.h"

#include "aims/csv.h"
#include "core/json.h"
#include "pdca_internal.h"
#include "store/store_internal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* the columns: those an import reads (first `nin`), then those only an export writes */
static const char *const inc_cols[] = { "isms_ref", "title", "system", "harm", "severity", "serious", "serious_case",
					"role", "awareness", "affected_groups", "description", "isms_controls", "id",
					"status", "deadline", "opened_at" };
#define INC_IN 12
static const char *const nc_cols[] = { "isms_ref", "title", "source", "source_ref", "requirement", "system", "owner",
				       "due", "description", "isms_controls", "id", "status", "root_cause", "opened_at" };
#define NC_IN 10

static int kind_of(const char *kind, const char *const **cols, size_t *ncols, size_t *nin, const char **key)
{
	if (kind && strcmp(kind, "incidents") == 0) {
		*cols = inc_cols;
		*ncols = N(inc_cols);
		*nin = INC_IN;
		*key = "incidents";
		return 0;
	}
	if (kind && strcmp(kind, "nonconformities") == 0) {
		*cols = nc_cols;
		*ncols = N(nc_cols);
		*nin = NC_IN;
		*key = "nonconformities";
		return 0;
	}
	(void)aims__pdca_ferr(AIMS_EINVALID, "kind", "kind '%s': expected incidents or nonconformities", kind ? kind : "");
	return AIMS_EINVALID;
}

/* ---- parsing: rows as JSON objects of strings, each with "_line" ---- */

static int row_check(json_t *row, const char *name, size_t line, const char *kind)
{
	static const char *const inc_req[] = { "isms_ref", "title", "system", "harm", "severity", "awareness" };
	static const char *const nc_req[] = { "isms_ref", "title", "source" };
	int inc = strcmp(kind, "incidents") == 0;
	const char *const *req = inc ? inc_req : nc_req;
	size_t nreq = inc ? N(inc_req) : N(nc_req);
	for (size_t i = 0; i < nreq; i++) {
		const char *v = json_string_value(json_object_get(row, req[i]));
		if (!v || !*v)
			return aims__pdca_ferr(AIMS_EINVALID, req[i], "'%s' line %zu: column %s: required", name, line, req[i]);
	}
	const char *k;
	json_t *v;
	json_object_foreach(row, k, v) {
		const char *s = json_string_value(v);
		if (strcmp(k, "_line") == 0 || !s || !*s)
			continue;
		int single = strcmp(k, "description") != 0;
		if (!aims__text_ok(s, single) || strlen(s) > (single ? 1024u : 65536u))
			return aims__pdca_ferr(AIMS_EINVALID, k, "'%s' line %zu: column %s: %s text without control "
					       "characters expected", name, line, k, single ? "one line of" : "printable");
	}
	const char *serious = json_string_value(json_object_get(row, "serious"));
	if (serious && *serious && strcmp(serious, "yes") != 0 && strcmp(serious, "no") != 0)
		return aims__pdca_ferr(AIMS_EINVALID, "serious", "'%s' line %zu: column serious: '%s': expected yes or no",
				       name, line, serious);
	return 0;
}

static int parse_csv(json_t *rows, const char *text, size_t len, const char *name, const char *const *cols,
		     size_t ncols, const char *kind)
{
	aims_csv *csv = NULL;
	char **f;
	size_t *lens, n, ncolumns = 0;
	int idx[64], err, header = 1;
	if ((err = aims_csv_open_mem(&csv, text, len, name)) < 0)
		return err;
	while ((err = aims_csv_next(csv, &f, &lens, &n)) == 1) {
		size_t line = aims_csv_line(csv);
		if (header) {
			header = 0;
			if (n > N(idx)) {
				err = aims__err(AIMS_EINVALID, "'%s' line %zu: %zu columns: at most %zu", name, line, n, N(idx));
				break;
			}
			for (size_t i = 0; i < n; i++) {
				idx[i] = -1;
				for (size_t c = 0; c < ncols; c++)
					if (strcmp(f[i], cols[c]) == 0)
						idx[i] = (int)c;
				for (size_t j = 0; j < i && idx[i] >= 0; j++)
					if (idx[j] == idx[i]) {
						err = aims__err(AIMS_EINVALID, "'%s' line %zu: column %s twice", name, line, f[i]);
						break;
					}
				if (err < 0)
					break;
				if (idx[i] < 0) {
					err = aims__pdca_ferr(AIMS_EINVALID, f[i], "'%s' line %zu: column '%.64s': not a column of %s "
							      "(docs/pdca.md, \"ISMS exchange\")", name, line, f[i], kind);
					break;
				}
			}
			if (err < 0)
				break;
			ncolumns = n;
			continue;
		}
		if (n != ncolumns) {
			err = aims__err(AIMS_EINVALID, "'%s' line %zu: %zu fields, the header has %zu", name, line, n, ncolumns);
			break;
		}
		json_t *row = json_pack("{s:I}", "_line", (json_int_t)line);
		if (!row) {
			err = aims__oom();
			break;
		}
		for (size_t i = 0; i < n && err >= 0; i++) {
			if (strlen(f[i]) != lens[i]) {
				err = aims__pdca_ferr(AIMS_EINVALID, cols[idx[i]], "'%s' line %zu: column %s: a NUL byte", name, line,
						      cols[idx[i]]);
				break;
			}
			if (json_object_set_new(row, cols[idx[i]], json_stringn(f[i], lens[i])) < 0)
				err = aims__err(AIMS_EINVALID, "'%s' line %zu: column %s: not UTF-8", name, line, cols[idx[i]]);
		}
		if (err >= 0)
			err = row_check(row, name, line, kind);
		if (err < 0 || json_array_append_new(rows, row) < 0) {
			if (err >= 0) {
				json_decref(row);
				err = aims__oom();
			} else
				json_decref(row);
			break;
		}
	}
	if (err == 0 && header)
		err = aims__err(AIMS_EINVALID, "'%s': empty: a header row and one row per record expected", name);
	aims_csv_free(csv);
	return err < 0 ? err : 0;
}

static int parse_json(json_t *rows, const char *text, size_t len, const char *name, const char *const *cols,
		      size_t ncols, const char *kind)
{
	json_t *doc = NULL, *a, *it;
	size_t i;
	int err;
	char path[96];
	if ((err = aims__json_parse(&doc, text, len, name)) < 0)
		return err;
	a = json_object_get(doc, kind);
	if (!json_is_object(doc) || json_object_size(doc) != 1 || !json_is_array(a)) {
		json_decref(doc);
		return aims__err(AIMS_EINVALID, "'%s': expected {\"%s\": [...]}", name, kind);
	}
	json_array_foreach(a, i, it) {
		int line = 0, col = 0;
		snprintf(path, sizeof(path), "%s[%zu]", kind, i);
		aims__json_locate(text, len, path, &line, &col);
		if (!json_is_object(it)) {
			err = aims__json_path_err(AIMS_EINVALID, name, text, len, path, "expected an object");
			break;
		}
		json_t *row = json_pack("{s:I}", "_line", (json_int_t)line);
		const char *k;
		json_t *v;
		if (!row) {
			err = aims__oom();
			break;
		}
		json_object_foreach(it, k, v) {
			size_t c = 0;
			while (c < ncols && strcmp(cols[c], k) != 0)
				c++;
			snprintf(path, sizeof(path), "%s[%zu].%.40s", kind, i, k);
			if (c == ncols) {
				err = aims__json_path_err(AIMS_EINVALID, name, text, len, path, "not a column of %s", kind);
				aims__err_set_field(cols[0]);
				break;
			}
			if (json_is_null(v))
				continue;
			if (json_is_boolean(v) && strcmp(k, "serious") == 0)
				v = json_string(json_is_true(v) ? "yes" : "no");
			else if (json_is_array(v) && strcmp(k, "isms_controls") == 0) {
				aims_buf b = AIMS_BUF_INIT;
				size_t m;
				json_t *x;
				json_array_foreach(v, m, x) {
					if (!json_is_string(x) || (m && aims_buf_puts(&b, ";") < 0) ||
					    aims_buf_puts(&b, json_string_value(x)) < 0) {
						err = json_is_string(x) ? aims__oom() :
							aims__json_path_err(AIMS_EINVALID, name, text, len, path,
									    "expected an array of control ids");
						break;
					}
				}
				v = err < 0 ? NULL : json_string(b.ptr ? b.ptr : "");
				aims_buf_release(&b);
				if (err < 0)
					break;
			} else if (json_is_string(v))
				json_incref(v);
			else {
				err = aims__json_path_err(AIMS_EINVALID, name, text, len, path, "expected a string");
				aims__err_set_field(k);
				break;
			}
			if (!v || json_object_set_new(row, k, v) < 0) {
				err = aims__oom();
				break;
			}
		}
		if (err >= 0)
			err = row_check(row, name, (size_t)line, kind);
		if (err < 0 || json_array_append_new(rows, row) < 0) {
			if (err < 0)
				json_decref(row);
			else
				err = aims__oom();
			break;
		}
	}
	json_decref(doc);
	return err < 0 ? err : 0;
}

int aims__pdca_exchange_parse(json_t **rows, const char *kind, const char *text, size_t len, const char *name)
{
	const char *const *cols = NULL;
	size_t ncols = 0, nin = 0;
	const char *key = NULL;
	int err;
	*rows = NULL;
	if ((err = kind_of(kind, &cols, &ncols, &nin, &key)) < 0)
		return err;
	if (!(*rows = json_array()))
		return aims__oom();
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
		i++;
	err = i < len && text[i] == '{' ? parse_json(*rows, text, len, name, cols, ncols, key) :
					  parse_csv(*rows, text, len, name, cols, ncols, key);
	if (err < 0) {
		json_decref(*rows);
		*rows = NULL;
	}
	return err;
}

/* ---- import ---- */

static const char *s(const json_t *row, const char *k)
{
	const char *v = json_string_value(json_object_get(row, k));
	return v && *v ? v : NULL;
}

/* the ISMS references of the records of `kind` imported before: {isms_ref: id}, read once per import */
static int imported(json_t **refs, aims_store *store, const char *kind)
{
	json_t *all = NULL, *b;
	size_t i;
	int err = aims__pdca_list(&all, store, kind, "x", NULL, NULL, NULL, NULL);
	*refs = NULL;
	if (err < 0)
		return err;
	if (!(*refs = json_object()))
		err = aims__oom();
	json_array_foreach(json_object_get(all, "x"), i, b) {
		const char *r = json_string_value(json_object_get(b, "isms_ref"));
		if (err >= 0 && r && json_object_set(*refs, r, json_object_get(b, "id")) < 0)
			err = aims__oom();
	}
	json_decref(all);
	return err < 0 ? err : 0;
}

/* the "A.5.24;A.5.26" of a row as a list */
static int split_controls(const char ***out, size_t *n, char **buf, const char *text)
{
	*out = NULL;
	*n = 0;
	*buf = NULL;
	if (!text)
		return 0;
	if (!(*buf = aims__strdup(text)))
		return aims__oom();
	size_t cap = 1;
	for (const char *c = text; *c; c++)
		cap += *c == ';';
	if (!(*out = aims__calloc(cap, sizeof(**out))))
		return aims__oom();
	for (char *p = *buf, *e; p; p = e) {
		e = strchr(p, ';');
		if (e)
			*e++ = '\0';
		while (*p == ' ')
			p++;
		size_t l = strlen(p);
		while (l && p[l - 1] == ' ')
			p[--l] = '\0';
		if (*p)
			(*out)[(*n)++] = p;
	}
	return 0;
}

/* set the row's ISMS reference (and 27001 controls) on the new record */
static int tag(aims_store *store, const char *kind, const char *id, const char *ref, const char *const *controls,
	       size_t ncontrols)
{
	json_t *b = NULL, *c = json_array();
	int err;
	if (!c)
		return aims__oom();
	if ((err = aims__pdca_get(&b, store, kind, id, kind)) < 0) {
		json_decref(c);
		return err;
	}
	for (size_t i = 0; i < ncontrols && err >= 0; i++)
		if (json_array_append_new(c, json_string(controls[i])) < 0)
			err = aims__oom();
	if (err >= 0 && (json_object_set_new(b, "isms_ref", json_string(ref)) < 0 ||
			 (strcmp(kind, PDCA_NC) == 0 && json_object_set(b, "isms_controls", c) < 0)))
		err = aims__oom();
	if (err >= 0)
		err = aims__pdca_put(store, kind, id, 0, b, "import");
	json_decref(b);
	json_decref(c);
	return err;
}

int aims_pdca_import(json_t **out, aims_store *store, const char *kind, const char *text, size_t len, const char *name)
{
	const aims_principal *who;
	json_t *rows = NULL, *created = json_array(), *row, *refs = NULL;
	size_t i, unchanged = 0;
	int err, began = 0, inc = kind && strcmp(kind, "incidents") == 0;
	*out = NULL;
	if (!created)
		return aims__oom();
	if ((err = aims__pdca_principal(&who, store)) < 0 ||
	    (err = aims__pdca_exchange_parse(&rows, kind, text, len, name)) < 0)
		goto done;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	if ((err = imported(&refs, store, inc ? PDCA_INCIDENT : PDCA_NC)) < 0)
		goto done;
	json_array_foreach(rows, i, row) {
		char *ncid = NULL;
		const char **ctl = NULL;
		char *cbuf = NULL;
		size_t nctl = 0, line = (size_t)json_integer_value(json_object_get(row, "_line"));
		json_t *doc = NULL;
		if (json_object_get(refs, s(row, "isms_ref"))) {
			unchanged++;
			continue;
		}
		if ((err = split_controls(&ctl, &nctl, &cbuf, s(row, "isms_controls"))) == 0) {
			if (inc) {
				aims_incident_new in = { .title = s(row, "title"), .system = s(row, "system"), .harm = s(row, "harm"),
							 .severity = s(row, "severity"),
							 .serious = s(row, "serious") && strcmp(s(row, "serious"), "yes") == 0,
							 .serious_case = s(row, "serious_case"), .role = s(row, "role"),
							 .awareness = s(row, "awareness"), .description = s(row, "description"),
							 .affected_groups = s(row, "affected_groups"), .isms_controls = ctl,
							 .n_isms_controls = nctl };
				if ((err = aims_incident_open(&doc, store, &in)) == 0)
					err = tag(store, PDCA_INCIDENT, json_string_value(json_object_get(doc, "id")),
						  s(row, "isms_ref"), NULL, 0);
			} else {
				for (size_t k = 0; k < nctl && err == 0; k++)
					err = aims__pdca_requirement(store, "iso27001-2022", ctl[k], "isms_controls");
				aims_nc_new in = { .source = s(row, "source"), .source_ref = s(row, "source_ref"),
						   .requirement = s(row, "requirement"), .system = s(row, "system"),
						   .title = s(row, "title"), .description = s(row, "description"),
						   .owner = s(row, "owner"), .due = s(row, "due") };
				if (err == 0 && (err = aims_nc_open(store, &in, &ncid)) == 0)
					err = tag(store, PDCA_NC, ncid, s(row, "isms_ref"), ctl, nctl);
			}
		}
		if (err == 0) {
			const char *id = inc ? json_string_value(json_object_get(doc, "id")) : ncid;
			if (json_array_append_new(created, json_pack("{s:s, s:s, s:I}", "id", id, "isms_ref",
								     s(row, "isms_ref"), "line", (json_int_t)line)) < 0 ||
			    json_object_set_new(refs, s(row, "isms_ref"), json_string(id)) < 0)
				err = aims__oom();
		} else
			aims__err_prefix("'%s' line %zu", name, line);
		json_decref(doc);
		aims__free(ncid);
		aims__free(ctl);
		aims__free(cbuf);
		if (err < 0)
			break;
	}
	if (err < 0 || (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (!(*out = json_pack("{s:s, s:O, s:I}", "kind", kind, "created", created, "unchanged", (json_int_t)unchanged)))
		err = aims__oom();
done:
	if (began)
		aims_store_rollback(store);
	json_decref(rows);
	json_decref(created);
	json_decref(refs);
	return err;
}

/* ---- export ---- */

static int csv_cell(aims_buf *b, const json_t *v)
{
	if (json_is_string(v))
		return aims_csv_field(b, json_string_value(v));
	if (json_is_boolean(v))
		return aims_buf_puts(b, json_is_true(v) ? "yes" : "no");
	if (json_is_array(v)) {
		aims_buf t = AIMS_BUF_INIT;
		size_t i;
		json_t *x;
		int err = 0;
		json_array_foreach(v, i, x) {
			if (err >= 0 && i)
				err = aims_buf_putc(&t, ';');
			if (err >= 0 && json_is_string(x))
				err = aims_buf_puts(&t, json_string_value(x));
		}
		if (err >= 0)
			err = aims_buf_putc(&t, '\0');
		if (err >= 0)
			err = aims_csv_field(b, t.ptr);
		aims_buf_release(&t);
		return err;
	}
	if (json_is_object(v)) /* a root cause */
		return aims_csv_field(b, json_string_value(json_object_get(v, "text")) ?
					      json_string_value(json_object_get(v, "text")) : "");
	return 0;
}

int aims_pdca_export(aims_buf *out, aims_store *store, const char *kind, const char *format)
{
	const char *const *cols = NULL;
	size_t ncols = 0, nin = 0;
	const char *key = NULL;
	json_t *all = NULL, *b, *arr = NULL;
	size_t i;
	int err;
	if ((err = kind_of(kind, &cols, &ncols, &nin, &key)) < 0)
		return err;
	if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))
		return aims__pdca_ferr(AIMS_EINVALID, "format", "format '%s': expected csv or json", format ? format : "");
	if ((err = aims__pdca_list(&all, store, strcmp(kind, "incidents") == 0 ? PDCA_INCIDENT : PDCA_NC, "x", NULL, NULL,
				   NULL, NULL)) < 0)
		return err;
	if (strcmp(format, "json") == 0 && !(arr = json_array()))
		err = aims__oom();
	for (size_t c = 0; c < ncols && err >= 0 && !arr; c++)
		err = (c && (err = aims_buf_putc(out, ',')) < 0) ? err : aims_csv_field(out, cols[c]);
	if (err >= 0 && !arr)
		err = aims_buf_puts(out, "\r\n");
	/* oldest first */
	for (i = json_array_size(json_object_get(all, "x")); err >= 0 && i-- > 0;) {
		b = json_array_get(json_object_get(all, "x"), i);
		if (arr) {
			json_t *o = json_object();
			for (size_t c = 0; c < ncols && o; c++) {
				json_t *v = json_object_get(b, cols[c]);
				if (strcmp(cols[c], "root_cause") == 0 && json_is_object(v))
					v = json_object_get(v, "text");
				if (v && !json_is_null(v) && json_object_set(o, cols[c], v) < 0) {
					json_decref(o);
					o = NULL;
				}
			}
			if (!o || json_array_append_new(arr, o) < 0)
				err = aims__oom();
			continue;
		}
		for (size_t c = 0; c < ncols && err >= 0; c++) {
			if (c)
				err = aims_buf_putc(out, ',');
			if (err >= 0)
				err = csv_cell(out, json_object_get(b, cols[c]));
		}
		if (err >= 0)
			err = aims_buf_puts(out, "\r\n");
	}
	if (err >= 0 && arr) {
		json_t *doc = json_pack("{s:O}", key, arr);
		char *t = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
		err = t ? aims_buf_puts(out, t) : aims__oom();
		if (err >= 0)
			err = aims_buf_putc(out, '\n');
		free(t);
		json_decref(doc);
	}
	json_decref(arr);
	json_decref(all);
	return err < 0 ? err : 0;
}
