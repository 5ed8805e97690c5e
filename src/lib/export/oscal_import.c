/*
 * OSCAL import (docs/oscal.md): an ISO/IEC 27001 ISMS state, or the ISO/IEC
 * 42001 SoA decisions, from an OSCAL profile or system security plan. The
 * document is read whole into a list of control decisions, every one
 * checked (a known control, a known status, a justification for each
 * exclusion, no control decided twice in different ways) before anything is
 * written; then either the ISMS state is imported as a new version (through
 * the same code as the CSV import, so it is versioned and transactional) or
 * the SoA decisions are recorded in one transaction. Errors name the input,
 * the line and the JSON path of the field.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "aims/buf.h"
#include "aims/catalog.h"
#include "aims/isms.h"
#include "aims/oscal.h"
#include "aims/soa.h"
#include "core/core.h"
#include "core/json.h"
#include "export/oscal_internal.h"

#define ISO27001 "iso27001-2022"
#define ISO42001 "iso42001-2023"
#define MAX_TEXT 4096

typedef aims__oscal_decision decision;

typedef struct {
	const aims__json_src *src;
	const aims_catalog *cat;    /* the target's catalog */
	decision *d;
	size_t n, cap;
	int ours;                   /* exported by aims (our namespace in the metadata) */
} imp;

static void decisions_free(imp *m)
{
	for (size_t i = 0; i < m->n; i++) {
		aims__free(m->d[i].id);
		aims__free(m->d[i].path);
		aims__free(m->d[i].justification);
		aims__free(m->d[i].owner);
		for (size_t k = 0; k < m->d[i].nevidence; k++)
			aims__free(m->d[i].evidence[k]);
		aims__free(m->d[i].evidence);
	}
	aims__free(m->d);
	m->d = NULL;
	m->n = m->cap = 0;
}

static int ferr(imp *m, const char *path, const char *fmt, const char *a, const char *b)
{
	return aims__json_field_err(m->src, path, fmt, a ? a : "", b ? b : "");
}

static int ferr0(imp *m, const char *path, const char *msg)
{
	return aims__json_field_err(m->src, path, "%s", msg);
}

/* a string member that must be text when present */
static int get_text(const char **out, json_t *o, const char *key, imp *m, const char *path, int single)
{
	char p[512];
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v)
		return 0;
	aims__json_join_path(p, sizeof(p), path, key);
	if (!json_is_string(v) || !aims__text_ok(json_string_value(v), single) ||
	    json_string_length(v) > MAX_TEXT)
		return ferr0(m, p, "expected text (no control characters, at most 4096 bytes)");
	*out = json_string_value(v);
	return 0;
}

static int want_array(json_t **out, json_t *o, const char *key, imp *m, const char *path)
{
	char p[512];
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v)
		return 0;
	aims__json_join_path(p, sizeof(p), path, key);
	if (!json_is_array(v))
		return ferr0(m, p, "expected an array");
	*out = v;
	return 0;
}

static int want_object(json_t *v, imp *m, const char *path)
{
	if (!json_is_object(v))
		return ferr0(m, path, "expected an object");
	return 0;
}

/*
 * Our id of an OSCAL control id or label: the catalog's requirement whose id
 * equals it ignoring case, with '-' and '_' read as '.', and "clause-" dropped.
 */
static const aims_requirement *resolve(const aims_catalog *cat, const char *token)
{
	char buf[128];
	size_t n = 0;
	if (!token)
		return NULL;
	if (strncasecmp(token, "clause-", 7) == 0)
		token += 7;
	for (; *token && n + 1 < sizeof(buf); token++)
		buf[n++] = (*token == '-' || *token == '_') ? '.' : *token;
	buf[n] = '\0';
	for (size_t i = 0; i < aims_catalog_count(cat); i++) {
		const aims_requirement *r = aims_catalog_at(cat, i);
		if (strcasecmp(r->id, buf) == 0 || strcasecmp(r->id, token) == 0)
			return r;
		/* the catalog's own spelling with spaces ("GOVERN 1.1") */
		char alt[128];
		size_t k = 0;
		for (const char *q = r->id; *q && k + 1 < sizeof(alt); q++)
			alt[k++] = *q == ' ' ? '.' : *q;
		alt[k] = '\0';
		if (strcasecmp(alt, buf) == 0)
			return r;
	}
	return NULL;
}

/* is r something a decision can be recorded for (27001: controls and clauses; 42001: Annex A controls) */
static int decidable(const aims_catalog *cat, const aims_requirement *r, int soa)
{
	if (soa)
		return strcmp(r->kind, "control") == 0;
	if (strcmp(r->kind, "control") == 0)
		return 1;
	if (strcmp(r->kind, "clause") != 0)
		return 0;
	for (size_t i = 0; i < aims_catalog_count(cat); i++) /* a clause at its deepest level */
		if (aims_catalog_at(cat, i)->parent && strcmp(aims_catalog_at(cat, i)->parent, r->id) == 0)
			return 0;
	return 1;
}

/* the decision of a control (made on first mention) */
static int decision_for(decision **out, imp *m, const char *token, const char *path, int soa)
{
	const aims_requirement *r = resolve(m->cat, token);
	*out = NULL;
	if (!r || !decidable(m->cat, r, soa)) {
		(void)ferr(m, path, "'%s' is not %s", token,
			   soa ? "an ISO/IEC 42001 Annex A control" :
				 "an ISO/IEC 27001:2022 control or clause (at its deepest level)");
		return AIMS_EINVALID;
	}
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->d[i].id, r->id) == 0) {
			*out = &m->d[i];
			return 0;
		}
	if (aims__grow(&m->d, &m->cap, m->n + 1, sizeof(*m->d)) < 0) {
		(void)aims__oom();
		return AIMS_ENOMEM;
	}
	decision *d = &m->d[m->n];
	memset(d, 0, sizeof(*d));
	d->applicable = -1;
	d->status = -1;
	if (!(d->id = aims__strdup(r->id)) || !(d->path = aims__strdup(path))) {
		aims__free(d->id);
		aims__free(d->path);
		(void)aims__oom();
		return AIMS_ENOMEM;
	}
	m->n++;
	*out = d;
	return 0;
}

static int set_applicable(imp *m, decision *d, int applicable, const char *path)
{
	if (d->applicable >= 0 && d->applicable != applicable)
		return ferr(m, path, "control %s is both included and excluded (first at %s)", d->id, d->path);
	d->applicable = applicable;
	/* in a profile aims made, only the soa-decided property says a decision was recorded */
	if (!m->ours)
		d->decided = 1;
	return 0;
}

static int set_str(char **dst, const char *v)
{
	if (!v)
		return 0;
	aims__free(*dst);
	return (*dst = aims__strdup(v)) ? 0 : aims__oom();
}

/* OSCAL implementation-status states and our status names */
static int parse_status(imp *m, decision *d, const char *v, const char *path)
{
	int st = aims_impl_status_parse(v);
	if (st < 0) {
		if (strcmp(v, "alternative") == 0)
			st = AIMS_STATUS_PARTIAL;
		else if (strcmp(v, "not-applicable") == 0)
			return set_applicable(m, d, 0, path);
		else
			return ferr(m, path, "status '%s': not one of implemented, partial, planned, alternative, "
				    "not-implemented, not-applicable%s", v, NULL);
	}
	if (st == AIMS_STATUS_UNKNOWN)
		return ferr(m, path, "status '%s': not one of implemented, partial, planned, alternative, "
			    "not-implemented, not-applicable%s", v, NULL);
	d->status = st;
	return 0;
}

static int add_evidence(imp *m, decision *d, const char *ref, const char *path)
{
	if (strchr(ref, ';'))
		return ferr(m, path, "evidence '%s': a reference may not contain ';'%s", ref, NULL);
	for (size_t k = 0; k < d->nevidence; k++)
		if (strcmp(d->evidence[k], ref) == 0)
			return 0;
	char **e = aims__realloc(d->evidence, (d->nevidence + 1) * sizeof(*e));
	if (!e)
		return aims__oom();
	d->evidence = e;
	if (!(e[d->nevidence] = aims__strdup(ref)))
		return aims__oom();
	d->nevidence++;
	return 0;
}

/* props of an alter or implemented requirement: label, status, owner, applicability, evidence */
static int read_props(imp *m, decision *d, json_t *props, const char *path)
{
	size_t i;
	json_t *p;
	char pp[512];
	json_array_foreach(props, i, p) {
		const char *name = NULL, *value = NULL;
		snprintf(pp, sizeof(pp), "%s[%zu]", path, i);
		int err;
		if ((err = want_object(p, m, pp)) < 0 || (err = get_text(&name, p, "name", m, pp, 1)) < 0 ||
		    (err = get_text(&value, p, "value", m, pp, 1)) < 0)
			return err;
		if (!name || !value)
			return ferr0(m, pp, "a property needs a name and a value");
		if (strcmp(name, "implementation-status") == 0 || strcmp(name, "status") == 0) {
			snprintf(pp, sizeof(pp), "%s[%zu].value", path, i);
			if ((err = parse_status(m, d, value, pp)) < 0)
				return err;
		} else if (strcmp(name, "owner") == 0) {
			if ((err = set_str(&d->owner, value)) < 0)
				return err;
		} else if (strcmp(name, "soa-applicable") == 0) {
			snprintf(pp, sizeof(pp), "%s[%zu].value", path, i);
			if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0)
				return ferr(m, pp, "'%s': expected yes or no%s", value, NULL);
			if ((err = set_applicable(m, d, strcmp(value, "yes") == 0, pp)) < 0)
				return err;
		} else if (strcmp(name, "soa-decided") == 0) {
			if (m->ours)
				d->decided = strcmp(value, "true") == 0 ? 1 : -1; /* -1: status, owner or justification only */
		} else if (strcmp(name, "evidence") == 0) {
			snprintf(pp, sizeof(pp), "%s[%zu].value", path, i);
			if ((err = add_evidence(m, d, value, pp)) < 0)
				return err;
		}
	}
	return 0;
}

/* links with rel "evidence": their text (or href) as evidence references */
static int read_links(imp *m, decision *d, json_t *links, const char *path)
{
	size_t i;
	json_t *l;
	char pp[512];
	json_array_foreach(links, i, l) {
		const char *rel = NULL, *txt = NULL, *href = NULL;
		int err;
		snprintf(pp, sizeof(pp), "%s[%zu]", path, i);
		if ((err = want_object(l, m, pp)) < 0 || (err = get_text(&rel, l, "rel", m, pp, 1)) < 0 ||
		    (err = get_text(&txt, l, "text", m, pp, 1)) < 0 || (err = get_text(&href, l, "href", m, pp, 1)) < 0)
			return err;
		if (rel && strcmp(rel, "evidence") == 0 && (txt || href) &&
		    (err = add_evidence(m, d, txt ? txt : href, pp)) < 0)
			return err;
	}
	return 0;
}

/* the label property of an object, when it has one */
static const char *label_of(json_t *o)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(o, "props"), i, p) {
		const char *n = json_string_value(json_object_get(p, "name"));
		if (n && strcmp(n, "label") == 0 && json_is_string(json_object_get(p, "value")))
			return json_string_value(json_object_get(p, "value"));
	}
	return NULL;
}

/* ---- profile ---- */

static int with_ids(imp *m, json_t *sel, const char *path, int applicable, int soa)
{
	json_t *arr;
	size_t i, k;
	json_t *s, *id;
	char p[512], q[560];
	int err;
	json_array_foreach(sel, i, s) {
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if ((err = want_object(s, m, p)) < 0 || (err = want_array(&arr, s, "with-ids", m, p)) < 0)
			return err;
		if (json_object_get(s, "matching"))
			return ferr0(m, p, "'matching' patterns are not supported: list the controls in with-ids");
		json_array_foreach(arr, k, id) {
			decision *d = NULL;
			snprintf(q, sizeof(q), "%s.with-ids[%zu]", p, k);
			if (!json_is_string(id))
				return ferr0(m, q, "expected a control id");
			if ((err = decision_for(&d, m, json_string_value(id), q, soa)) < 0 ||
			    (err = set_applicable(m, d, applicable, q)) < 0)
				return err;
		}
	}
	return 0;
}

static int read_profile(imp *m, json_t *prof, int soa)
{
	json_t *imports, *alters = NULL;
	size_t i, k;
	json_t *imp_, *a;
	char p[512];
	int err;
	if ((err = want_object(prof, m, "profile")) < 0 || (err = want_array(&imports, prof, "imports", m, "profile")) < 0)
		return err;
	if (!imports || json_array_size(imports) == 0)
		return ferr0(m, "profile.imports", "a profile imports at least one catalog");
	json_array_foreach(imports, i, imp_) {
		json_t *inc, *exc;
		snprintf(p, sizeof(p), "profile.imports[%zu]", i);
		if ((err = want_object(imp_, m, p)) < 0 || (err = want_array(&inc, imp_, "include-controls", m, p)) < 0 ||
		    (err = want_array(&exc, imp_, "exclude-controls", m, p)) < 0)
			return err;
		char q[560];
		snprintf(q, sizeof(q), "%s.include-controls", p);
		if (inc && (err = with_ids(m, inc, q, 1, soa)) < 0)
			return err;
		snprintf(q, sizeof(q), "%s.exclude-controls", p);
		if (exc && (err = with_ids(m, exc, q, 0, soa)) < 0)
			return err;
		if (json_object_get(imp_, "include-all")) {
			/* every control of the catalog not excluded */
			snprintf(q, sizeof(q), "%s.include-all", p);
			for (size_t c = 0; c < aims_catalog_count(m->cat); c++) {
				const aims_requirement *r = aims_catalog_at(m->cat, c);
				decision *d = NULL;
				if (!decidable(m->cat, r, soa))
					continue;
				if ((err = decision_for(&d, m, r->id, q, soa)) < 0)
					return err;
				if (d->applicable < 0 && (err = set_applicable(m, d, 1, q)) < 0)
					return err;
			}
		}
	}
	json_t *mod = json_object_get(prof, "modify");
	if (mod && ((err = want_object(mod, m, "profile.modify")) < 0 ||
		    (err = want_array(&alters, mod, "alters", m, "profile.modify")) < 0))
		return err;
	json_array_foreach(alters, i, a) {
		const char *cid = NULL;
		json_t *adds;
		decision *d = NULL;
		snprintf(p, sizeof(p), "profile.modify.alters[%zu]", i);
		if ((err = want_object(a, m, p)) < 0 || (err = get_text(&cid, a, "control-id", m, p, 1)) < 0 ||
		    (err = want_array(&adds, a, "adds", m, p)) < 0)
			return err;
		if (!cid)
			return ferr0(m, p, "an alteration names its control-id");
		/* our label first (the control's own id), else the control-id */
		const char *label = NULL;
		json_t *add;
		json_array_foreach(adds, k, add) {
			if (!label && json_is_object(add)) label = label_of(add);
		}
		char q[600];
		snprintf(q, sizeof(q), "%s.control-id", p);
		if ((err = decision_for(&d, m, label ? label : cid, q, soa)) < 0)
			return err;
		json_array_foreach(adds, k, add) {
			json_t *props, *parts, *links;
			snprintf(q, sizeof(q), "%s.adds[%zu]", p, k);
			if ((err = want_object(add, m, q)) < 0 || (err = want_array(&props, add, "props", m, q)) < 0 ||
			    (err = want_array(&parts, add, "parts", m, q)) < 0 ||
			    (err = want_array(&links, add, "links", m, q)) < 0)
				return err;
			char r[700];
			snprintf(r, sizeof(r), "%s.props", q);
			if (props && (err = read_props(m, d, props, r)) < 0)
				return err;
			snprintf(r, sizeof(r), "%s.links", q);
			if (links && (err = read_links(m, d, links, r)) < 0)
				return err;
			size_t j;
			json_t *part;
			json_array_foreach(parts, j, part) {
				const char *name = NULL, *prose = NULL;
				snprintf(r, sizeof(r), "%s.parts[%zu]", q, j);
				if ((err = want_object(part, m, r)) < 0 || (err = get_text(&name, part, "name", m, r, 1)) < 0 ||
				    (err = get_text(&prose, part, "prose", m, r, 0)) < 0)
					return err;
				if (name && prose && strcmp(name, "justification") == 0 &&
				    (err = set_str(&d->justification, prose)) < 0)
					return err;
			}
		}
	}
	return 0;
}

/* ---- system security plan ---- */

static int read_by_components(imp *m, decision *d, json_t *bcs, const char *path)
{
	size_t i;
	json_t *bc;
	char p[600];
	int err;
	json_array_foreach(bcs, i, bc) {
		const char *desc = NULL;
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if ((err = want_object(bc, m, p)) < 0 || (err = get_text(&desc, bc, "description", m, p, 0)) < 0)
			return err;
		json_t *is = json_object_get(bc, "implementation-status");
		if (is) {
			const char *state = NULL;
			char q[660];
			snprintf(q, sizeof(q), "%s.implementation-status", p);
			if ((err = want_object(is, m, q)) < 0 || (err = get_text(&state, is, "state", m, q, 1)) < 0)
				return err;
			snprintf(q, sizeof(q), "%s.implementation-status.state", p);
			if (state && (err = parse_status(m, d, state, q)) < 0)
				return err;
		}
		if (desc && !d->justification && (err = set_str(&d->justification, desc)) < 0)
			return err;
	}
	return 0;
}

static int read_ssp(imp *m, json_t *ssp)
{
	json_t *ci, *reqs;
	size_t i;
	json_t *ir;
	char p[512];
	int err;
	if ((err = want_object(ssp, m, "system-security-plan")) < 0)
		return err;
	ci = json_object_get(ssp, "control-implementation");
	if (!ci)
		return ferr0(m, "system-security-plan", "missing control-implementation");
	if ((err = want_object(ci, m, "system-security-plan.control-implementation")) < 0 ||
	    (err = want_array(&reqs, ci, "implemented-requirements", m, "system-security-plan.control-implementation")) < 0)
		return err;
	if (!reqs || json_array_size(reqs) == 0)
		return ferr0(m, "system-security-plan.control-implementation", "no implemented-requirements");
	json_array_foreach(reqs, i, ir) {
		const char *cid = NULL, *remarks = NULL;
		json_t *props, *links, *stmts, *bcs;
		decision *d = NULL;
		snprintf(p, sizeof(p), "system-security-plan.control-implementation.implemented-requirements[%zu]", i);
		if ((err = want_object(ir, m, p)) < 0 || (err = get_text(&cid, ir, "control-id", m, p, 1)) < 0 ||
		    (err = get_text(&remarks, ir, "remarks", m, p, 0)) < 0 ||
		    (err = want_array(&props, ir, "props", m, p)) < 0 || (err = want_array(&links, ir, "links", m, p)) < 0 ||
		    (err = want_array(&stmts, ir, "statements", m, p)) < 0 ||
		    (err = want_array(&bcs, ir, "by-components", m, p)) < 0)
			return err;
		if (!cid)
			return ferr0(m, p, "missing control-id");
		char q[700];
		snprintf(q, sizeof(q), "%s.control-id", p);
		const char *label = label_of(ir);
		if ((err = decision_for(&d, m, label ? label : cid, q, 0)) < 0)
			return err;
		snprintf(q, sizeof(q), "%s.props", p);
		if (props && (err = read_props(m, d, props, q)) < 0)
			return err;
		snprintf(q, sizeof(q), "%s.links", p);
		if (links && (err = read_links(m, d, links, q)) < 0)
			return err;
		snprintf(q, sizeof(q), "%s.by-components", p);
		if (bcs && (err = read_by_components(m, d, bcs, q)) < 0)
			return err;
		size_t k;
		json_t *st;
		json_array_foreach(stmts, k, st) {
			json_t *sbcs;
			snprintf(q, sizeof(q), "%s.statements[%zu]", p, k);
			if ((err = want_object(st, m, q)) < 0 || (err = want_array(&sbcs, st, "by-components", m, q)) < 0)
				return err;
			char r[760];
			snprintf(r, sizeof(r), "%s.by-components", q);
			if (sbcs && (err = read_by_components(m, d, sbcs, r)) < 0)
				return err;
		}
		if (remarks && (err = set_str(&d->justification, remarks)) < 0)
			return err;
		if (d->applicable < 0 && (err = set_applicable(m, d, 1, q)) < 0)
			return err;
		d->decided = 1;
	}
	return 0;
}

/* ---- which framework ---- */

/* does the document name the framework (its title, a resource or the import's text)? */
static int mentions(const char *text, size_t len, const char *what)
{
	size_t n = strlen(what);
	for (size_t i = 0; i + n <= len; i++)
		if (strncmp(text + i, what, n) == 0)
			return 1;
	return 0;
}

static int is_ours(json_t *model)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(json_object_get(model, "metadata"), "props"), i, p) {
		const char *ns = json_string_value(json_object_get(p, "ns"));
		const char *n = json_string_value(json_object_get(p, "name"));
		if (ns && n && strcmp(ns, AIMS_OSCAL_NS) == 0 && strcmp(n, "generator") == 0)
			return 1;
	}
	return 0;
}

/* ---- writing ---- */

static int csv_field(aims_buf *b, const char *s)
{
	int err;
	if ((err = aims_buf_putc(b, '"')) < 0)
		return err;
	for (; s && *s; s++)
		if ((*s == '"' && (err = aims_buf_putc(b, '"')) < 0) || (err = aims_buf_putc(b, *s)) < 0)
			return err;
	return aims_buf_putc(b, '"');
}

static int write_isms(imp *m, aims_store *store, const char *name, int64_t *version)
{
	aims_buf csv = AIMS_BUF_INIT;
	int err = aims_buf_puts(&csv, "control,applicable,status,justification,owner,evidence\n");
	for (size_t i = 0; err >= 0 && i < m->n; i++) {
		const decision *d = &m->d[i];
		aims_buf ev = AIMS_BUF_INIT;
		for (size_t k = 0; err >= 0 && k < d->nevidence; k++)
			err = aims_buf_printf(&ev, "%s%s", k ? ";" : "", d->evidence[k]);
		const char *status = d->applicable == 0 && d->status < 0 ? "" :
				     aims_impl_status_name(d->status < 0 ? AIMS_STATUS_NOT_IMPLEMENTED :
							   (aims_impl_status)d->status);
		if (err >= 0)
			err = csv_field(&csv, d->id);
		if (err >= 0)
			err = aims_buf_printf(&csv, ",%s,", d->applicable == 0 ? "no" : "yes");
		if (err >= 0)
			err = csv_field(&csv, status);
		if (err >= 0)
			err = aims_buf_putc(&csv, ',');
		if (err >= 0)
			err = csv_field(&csv, d->justification);
		if (err >= 0)
			err = aims_buf_putc(&csv, ',');
		if (err >= 0)
			err = csv_field(&csv, d->owner);
		if (err >= 0)
			err = aims_buf_putc(&csv, ',');
		if (err >= 0)
			err = csv_field(&csv, ev.ptr);
		if (err >= 0)
			err = aims_buf_putc(&csv, '\n');
		aims_buf_release(&ev);
	}
	if (err >= 0)
		err = aims_isms_import_mem(store, csv.ptr, csv.len, name, version);
	aims_buf_release(&csv);
	return err;
}

static int write_soa(imp *m, aims_store *store, size_t *written)
{
	int err;
	*written = 0;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	for (size_t i = 0; i < m->n; i++) {
		const decision *d = &m->d[i];
		aims_soa_update u = AIMS_SOA_UPDATE_INIT;
		u.applicable = d->decided > 0 ? d->applicable : -1;
		u.justification = d->justification;
		u.status = d->status;
		u.owner = d->owner;
		if (u.applicable < 0 && !u.justification && u.status < 0 && !u.owner)
			continue;
		if ((err = aims_soa_set(store, d->id, &u)) < 0) {
			aims__err_prefix("%s: %s: ", m->src->name, d->path);
			aims_store_rollback(store);
			return err;
		}
		(*written)++;
	}
	return aims_store_commit(store);
}

void aims__oscal_plan_free(aims__oscal_plan *p)
{
	if (!p)
		return;
	imp m = { 0 };
	m.d = p->d;
	m.n = p->n;
	decisions_free(&m);
	aims__free(p);
}

int aims__oscal_parse(aims__oscal_plan **out, const char *data, size_t len, const char *name,
		      const aims_catalog *iso27001, const aims_catalog *iso42001)
{
	json_t *doc = NULL;
	imp m = { 0 };
	aims__json_src src = { name ? name : "input", data, len };
	aims__oscal_plan *plan = NULL;
	int err;

	*out = NULL;
	m.src = &src;
	if ((err = aims__json_parse(&doc, data, len, src.name)) < 0)
		return err;
	if (!json_is_object(doc)) {
		err = aims__json_field_err(&src, "(document)", "expected an OSCAL document (a JSON object)");
		goto done;
	}
	json_t *prof = json_object_get(doc, "profile"), *ssp = json_object_get(doc, "system-security-plan");
	if ((prof != NULL) == (ssp != NULL) || json_object_size(doc) != 1) {
		err = aims__json_field_err(&src, "(document)", "expected one OSCAL profile or system-security-plan "
					   "(the only member of the document)");
		goto done;
	}
	json_t *model = prof ? prof : ssp;
	m.ours = json_is_object(model) && is_ours(model);
	/* the target: a profile aims made of the SoA, or one whose text names 42001, records SoA decisions */
	int soa = prof && (m.ours || (mentions(data, len, "42001") && !mentions(data, len, "27001")));
	m.cat = soa ? iso42001 : iso27001;
	err = prof ? read_profile(&m, prof, soa) : read_ssp(&m, ssp);
	if (err < 0)
		goto done;
	if (m.n == 0) {
		err = aims__json_field_err(&src, prof ? "profile" : "system-security-plan", "names no control");
		goto done;
	}
	/* the rules of the targets, checked before anything is written */
	size_t excluded = 0;
	for (size_t i = 0; i < m.n; i++) {
		decision *d = &m.d[i];
		if (d->decided < 0) { /* ours, not decided: status, owner or justification only */
			d->decided = 0;
			d->applicable = -1;
		}
		if (!soa && d->applicable < 0)
			d->applicable = 1;
		if (d->applicable == 0 && (d->decided > 0 || !soa)) {
			excluded++;
			if (!d->justification) {
				err = ferr(&m, d->path, "control %s is excluded without a justification%s", d->id, NULL);
				goto done;
			}
			const aims_requirement *r = aims_catalog_find(m.cat, d->id);
			if (!soa && r && strcmp(r->kind, "clause") == 0) {
				err = ferr(&m, d->path, "clause %s cannot be excluded%s", d->id, NULL);
				goto done;
			}
		}
	}
	if (!(plan = aims__calloc(1, sizeof(*plan)))) {
		err = aims__oom();
		goto done;
	}
	plan->model = prof ? "profile" : "system-security-plan";
	plan->target = soa ? "soa" : "isms";
	plan->excluded = excluded;
	plan->d = m.d;
	plan->n = m.n;
	m.d = NULL;
	m.n = m.cap = 0;
	*out = plan;
	err = 0;
done:
	decisions_free(&m);
	json_decref(doc);
	return err;
}

int aims_oscal_import(aims_oscal_import_result *res, aims_store *store, const char *data, size_t len,
		      const char *name)
{
	aims_catalog *c27 = NULL, *c42 = NULL;
	aims__oscal_plan *plan = NULL;
	int err;

	if (!res || res->version != AIMS_OSCAL_IMPORT_RESULT_VERSION)
		return aims__err(AIMS_EUSAGE, "oscal import: bad result structure version");
	if (!name)
		name = "input";
	if ((err = aims_catalog_read(&c27, store, ISO27001)) < 0 || (err = aims_catalog_read(&c42, store, ISO42001)) < 0 ||
	    (err = aims__oscal_parse(&plan, data, len, name, c27, c42)) < 0)
		goto done;
	imp m = { 0 };
	aims__json_src src = { name, data, len };
	m.src = &src;
	m.d = plan->d;
	m.n = plan->n;
	res->model = plan->model;
	res->target = plan->target;
	res->controls = plan->n;
	res->excluded = plan->excluded;
	res->isms_version = 0;
	err = strcmp(plan->target, "soa") == 0 ? write_soa(&m, store, &res->controls) :
						 write_isms(&m, store, name, &res->isms_version);
done:
	aims__oscal_plan_free(plan);
	aims_catalog_free(c27);
	aims_catalog_free(c42);
	return err;
}
