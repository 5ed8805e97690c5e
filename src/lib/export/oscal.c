/*
 * OSCAL 1.1.2 JSON export (docs/oscal.md). Each document is built from the
 * same JSON objects the other operations return (the SoA, the gap analysis,
 * the risk register, evaluations, the inventory), so OSCAL says exactly
 * what `aims ... --json` says. Identifiers: every UUID is a UUIDv5 of a name
 * made of our ids ("control/a.6.2.4", "evaluation/EVAL-0001"); a document's
 * own UUID also names the state it shows (the governance log's size), and
 * its last-modified time is the time of the last governance entry, so two
 * exports of one state are byte for byte the same.
 */
#include <ctype.h>
#include <stdarg.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "aims/aims.h"
#include "aims/catalog.h"
#include "aims/eval.h"
#include "aims/gap.h"
#include "aims/inventory.h"
#include "aims/ledger.h"
#include "aims/org.h"
#include "aims/oscal.h"
#include "aims/oversight.h"
#include "aims/pdca.h"
#include "aims/risk.h"
#include "aims/soa.h"
#include "core/core.h"
#include "store/store_internal.h"

const char *const aims_oscal_kinds[] = { "catalog", "profile", "component-definition", "ssp",
					 "assessment-results", "poam", NULL };

#define ISO42001 "iso42001-2023"

/* aims' namespace for UUIDv5 names (itself a UUIDv5 of "aims.dev" in the URL namespace) */
static const unsigned char ns_uuid[16] = { 0x3b, 0x0e, 0x8f, 0x52, 0x61, 0x5d, 0x5c, 0x2e,
					   0x9a, 0x44, 0x7c, 0x1f, 0x0d, 0x6e, 0x42, 0x19 };

int aims_oscal_uuid(char out[37], const char *name)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!c)
		return aims__oom();
	if (!EVP_DigestInit_ex(c, EVP_sha1(), NULL) || !EVP_DigestUpdate(c, ns_uuid, 16) ||
	    !EVP_DigestUpdate(c, name, strlen(name)) || !EVP_DigestFinal_ex(c, md, &mdlen) || mdlen < 16) {
		EVP_MD_CTX_free(c);
		return aims__err(AIMS_ERROR, "uuid: SHA-1 failed");
	}
	EVP_MD_CTX_free(c);
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
	char hex[33];
	aims__hex(hex, md, 16);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
	return 0;
}

char *aims_oscal_control_id(const char *id)
{
	size_t n = strlen(id);
	int digit = isdigit((unsigned char)id[0]) != 0;
	char *t = aims__malloc(n + (digit ? 7 : 0) + 1), *p = t;
	if (!t)
		return NULL;
	if (digit) {
		memcpy(p, "clause-", 7);
		p += 7;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)id[i];
		*p++ = c == ' ' ? '-' : (char)tolower(c);
	}
	*p = '\0';
	return t;
}

void aims_oscal_free(void *p)
{
	aims__free(p);
}

/* ---- building documents ---- */

typedef struct {
	aims_store *store;
	int oom;
	char modified[32];     /* last-modified: the time of the last governance entry */
	char state[32];        /* the governance log's size */
	json_t *resources;     /* back-matter resources */
	json_t *res_ids;       /* resource names already added: {name: uuid} */
} ox;

static json_t *take(ox *x, json_t *v)
{
	if (!v)
		x->oom = 1;
	return v;
}

/* set o[k] = v, taking v (also when o is NULL after an earlier failure) */
static void set(ox *x, json_t *o, const char *k, json_t *v)
{
	if (!o)
		json_decref(v);
	if (!v || !o || json_object_set_new(o, k, v) < 0)
		x->oom = 1;
}

/* append v to a, taking v */
static void push(ox *x, json_t *a, json_t *v)
{
	if (!a)
		json_decref(v);
	if (!v || !a || json_array_append_new(a, v) < 0)
		x->oom = 1;
}

/* a UUIDv5 string of printf-formatted name */
static json_t *uuid_of(ox *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static json_t *uuid_of(ox *x, const char *fmt, ...)
{
	char name[512], u[37];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (aims_oscal_uuid(u, name) < 0) {
		x->oom = 1;
		return NULL;
	}
	return take(x, json_string(u));
}

/*
 * OSCAL's string fields (StringDatatype) are one line without leading or
 * trailing white space: our free text is folded to that (newlines and runs
 * of white space become one space); empty text becomes `dflt`.
 */
static json_t *line(ox *x, const char *s, const char *dflt)
{
	size_t n = s ? strlen(s) : 0;
	char *b = aims__malloc(n + 1), *p = b;
	int space = 0;
	if (!b) {
		x->oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c < 0x20) {
			space = p != b;
			continue;
		}
		if (space)
			*p++ = ' ';
		space = 0;
		*p++ = (char)c;
	}
	*p = '\0';
	json_t *v = json_string(p == b ? dflt : b);
	aims__free(b);
	return take(x, v);
}

/* free text (markup-multiline): as given, or `dflt` when empty */
static json_t *text(ox *x, const char *s, const char *dflt)
{
	return take(x, json_string(s && *s ? s : dflt));
}

static json_t *token(ox *x, const char *id)
{
	char *t = aims_oscal_control_id(id);
	json_t *v = t ? json_string(t) : NULL;
	aims__free(t);
	return take(x, v);
}

static json_t *token_suffix(ox *x, const char *id, const char *suffix)
{
	char *t = aims_oscal_control_id(id);
	char buf[300];
	if (!t) {
		x->oom = 1;
		return NULL;
	}
	snprintf(buf, sizeof(buf), "%s%s", t, suffix);
	aims__free(t);
	return take(x, json_string(buf));
}

/* a property; `ours` puts it in aims' namespace */
static json_t *prop(ox *x, const char *name, const char *value, int ours)
{
	json_t *p = take(x, json_object());
	set(x, p, "name", take(x, json_string(name)));
	if (ours)
		set(x, p, "ns", take(x, json_string(AIMS_OSCAL_NS)));
	set(x, p, "value", line(x, value, "none"));
	return p;
}

static void add_prop(ox *x, json_t *o, const char *name, const char *value, int ours)
{
	json_t *a = json_object_get(o, "props");
	if (!a) {
		a = take(x, json_array());
		set(x, o, "props", a);
	}
	push(x, a, prop(x, name, value, ours));
}

/* an empty array member is not allowed in OSCAL: set only non-empty arrays */
static void set_array(ox *x, json_t *o, const char *k, json_t *a)
{
	if (!a) {
		x->oom = 1;
		return;
	}
	if (json_array_size(a) == 0) {
		json_decref(a);
		return;
	}
	set(x, o, k, a);
}

/*
 * A back-matter resource (once per name): its UUID. `href` and `digest`
 * ("sha256:HEX") are optional.
 */
static const char *resource(ox *x, const char *name, const char *title, const char *desc, const char *href,
			    const char *media, const char *digest)
{
	json_t *have = json_object_get(x->res_ids, name);
	if (have)
		return json_string_value(have);
	json_t *r = take(x, json_object());
	json_t *u = uuid_of(x, "resource/%s", name);
	if (!r || !u) {
		json_decref(r);
		json_decref(u);
		return NULL;
	}
	set(x, r, "uuid", json_incref(u));
	set(x, r, "title", line(x, title, name));
	if (desc)
		set(x, r, "description", text(x, desc, name));
	if (href) {
		json_t *rl = take(x, json_object());
		set(x, rl, "href", take(x, json_string(href)));
		if (media)
			set(x, rl, "media-type", take(x, json_string(media)));
		if (digest && strncmp(digest, "sha256:", 7) == 0) {
			json_t *h = take(x, json_pack("[{s:s, s:s}]", "algorithm", "SHA-256", "value", digest + 7));
			set(x, rl, "hashes", h);
		}
		json_t *rls = take(x, json_array());
		push(x, rls, rl);
		set(x, r, "rlinks", rls);
	}
	push(x, x->resources, r);
	set(x, x->res_ids, name, u);
	return json_string_value(u);
}

/* "#UUID" of a resource */
static json_t *res_href(ox *x, const char *uuid)
{
	char buf[40];
	if (!uuid) {
		x->oom = 1;
		return NULL;
	}
	snprintf(buf, sizeof(buf), "#%s", uuid);
	return take(x, json_string(buf));
}

/* a URI for one of our evidence references: doc:ID@vN and the like stay, others are percent-encoded */
static json_t *evidence_href(ox *x, const char *ref)
{
	static const char hexd[] = "0123456789ABCDEF";
	size_t n = strlen(ref);
	char *b = aims__malloc(3 * n + 16), *p = b;
	if (!b) {
		x->oom = 1;
		return NULL;
	}
	memcpy(p, "urn:aims:evidence:", 18);
	p += 18;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)ref[i];
		if (isalnum(c) || strchr("-._~@/:", c)) {
			*p++ = (char)c;
		} else {
			*p++ = '%';
			*p++ = hexd[c >> 4];
			*p++ = hexd[c & 15];
		}
	}
	*p = '\0';
	json_t *v = json_string(b);
	aims__free(b);
	return take(x, v);
}

/* a link to an evidence reference, through a back-matter resource */
static json_t *evidence_link(ox *x, const char *ref)
{
	char name[600];
	snprintf(name, sizeof(name), "evidence/%s", ref);
	json_t *href = evidence_href(x, ref);
	const char *u = href ? resource(x, name, ref, NULL, json_string_value(href), NULL, NULL) : NULL;
	json_decref(href);
	json_t *l = take(x, json_object());
	set(x, l, "href", res_href(x, u));
	set(x, l, "rel", take(x, json_string("evidence")));
	set(x, l, "text", line(x, ref, "evidence"));
	return l;
}

static int read_state(ox *x)
{
	aims__stmt *st = NULL;
	int err;
	uint64_t size = 0;
	x->modified[0] = '\0';
	/* the last entry through the primary key (log, idx): no scan of the log */
	if ((err = aims__stmt_prepare(&st, x->store,
			"SELECT idx + 1, time FROM ledger_entries WHERE log = ? ORDER BY idx DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, AIMS_LEDGER_GOVERNANCE)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	if (err == 1) {
		size = (uint64_t)aims__stmt_int64(st, 0);
		const char *t = aims__stmt_text(st, 1);
		if (t)
			snprintf(x->modified, sizeof(x->modified), "%s", t);
	}
	aims__stmt_free(st);
	if (!x->modified[0])
		aims__time_now(x->modified);
	snprintf(x->state, sizeof(x->state), "%llu", (unsigned long long)size);
	return 0;
}

static json_t *org_party(ox *x, const char **org_name)
{
	json_t *org = NULL;
	*org_name = NULL;
	if (aims_org_json(&org, x->store) < 0) {
		x->oom = 1;
		return NULL;
	}
	json_t *name = json_object_get(org, "name");
	json_t *p = take(x, json_object());
	set(x, p, "uuid", uuid_of(x, "party/organization"));
	set(x, p, "type", take(x, json_string("organization")));
	set(x, p, "name", line(x, json_string_value(name), "the organization"));
	*org_name = json_string_value(json_object_get(p, "name"));
	json_decref(org);
	return p;
}

static json_t *metadata(ox *x, const char *title, const char *version, const char *remarks, int with_org)
{
	json_t *m = take(x, json_object());
	set(x, m, "title", line(x, title, "aims"));
	set(x, m, "last-modified", take(x, json_string(x->modified)));
	set(x, m, "version", line(x, version, "1"));
	set(x, m, "oscal-version", take(x, json_string(AIMS_OSCAL_VERSION)));
	add_prop(x, m, "generator", "aims " AIMS_VERSION, 1);
	add_prop(x, m, "governance-log-size", x->state, 1);
	if (with_org) {
		const char *org = NULL;
		json_t *party = org_party(x, &org);
		json_t *roles = take(x, json_pack("[{s:s, s:s}]", "id", "maintainer", "title", "Maintainer"));
		json_t *rp = take(x, json_object());
		json_t *pu = take(x, json_array());
		if (party)
			push(x, pu, json_incref(json_object_get(party, "uuid")));
		set(x, rp, "role-id", take(x, json_string("maintainer")));
		set(x, rp, "party-uuids", pu);
		json_t *parties = take(x, json_array());
		push(x, parties, party);
		set(x, m, "roles", roles);
		set(x, m, "parties", parties);
		json_t *rps = take(x, json_array());
		push(x, rps, rp);
		set(x, m, "responsible-parties", rps);
	}
	if (remarks)
		set(x, m, "remarks", text(x, remarks, ""));
	return m;
}

static json_t *back_matter(ox *x)
{
	json_t *b = take(x, json_object());
	if (json_array_size(x->resources) == 0) {
		json_decref(b);
		return NULL;
	}
	set(x, b, "resources", json_incref(x->resources));
	return b;
}

/* the document {MODEL: body} with back-matter, or NULL and the error */
static int finish(json_t **out, ox *x, const char *model, json_t *body)
{
	if (!x->oom && json_array_size(x->resources) > 0)
		set(x, body, "back-matter", back_matter(x));
	json_t *doc = NULL;
	if (!x->oom && body)
		doc = json_object();
	if (!doc || json_object_set_new(doc, model, body) < 0) {
		json_decref(doc);
		if (!doc)
			json_decref(body);
		return aims__oom();
	}
	*out = doc;
	return 0;
}

/* ---- catalog ---- */

static const char *catalog_resource(ox *x, const char *framework)
{
	char name[128], title[160], href[160];
	snprintf(name, sizeof(name), "catalog/%s", framework);
	snprintf(title, sizeof(title), "OSCAL catalog of %s (aims oscal export catalog --framework %s)", framework,
		 framework);
	snprintf(href, sizeof(href), "%s-catalog.json", framework);
	return resource(x, name, title, NULL, href, "application/oscal.catalog+json", NULL);
}

static json_t *req_node(ox *x, const aims_catalog *cat, const aims_requirement *r, int depth);

static json_t *children(ox *x, const aims_catalog *cat, const char *parent, int depth)
{
	json_t *a = take(x, json_array());
	for (size_t i = 0; a && i < aims_catalog_count(cat); i++) {
		const aims_requirement *c = aims_catalog_at(cat, i);
		if (c->parent && strcmp(c->parent, parent) == 0)
			push(x, a, req_node(x, cat, c, depth + 1));
	}
	return a;
}

static json_t *req_node(ox *x, const aims_catalog *cat, const aims_requirement *r, int depth)
{
	json_t *n = take(x, json_object());
	json_t *parts = take(x, json_array());
	set(x, n, "id", token(x, r->id));
	set(x, n, "class", token(x, r->kind));
	set(x, n, "title", line(x, r->title, r->id));
	add_prop(x, n, "label", r->id, 0);
	if (r->summary) {
		json_t *p = take(x, json_object());
		set(x, p, "id", token_suffix(x, r->id, "_ovw"));
		set(x, p, "name", take(x, json_string("overview")));
		set(x, p, "prose", text(x, r->summary, r->title));
		push(x, parts, p);
	}
	if (r->text) {
		json_t *p = take(x, json_object());
		set(x, p, "id", token_suffix(x, r->id, "_smt"));
		set(x, p, "name", take(x, json_string("statement")));
		set(x, p, "prose", text(x, r->text, r->title));
		push(x, parts, p);
	}
	set_array(x, n, "parts", parts);
	/* the top level are groups, everything under them controls (nested for sub-clauses) */
	set_array(x, n, "controls", children(x, cat, r->id, depth));
	return n;
}

static int export_catalog(json_t **out, ox *x, const char *framework)
{
	aims_catalog *cat = NULL;
	int err;
	if ((err = aims_catalog_read(&cat, x->store, framework)) < 0)
		return err;
	const aims_framework *fw = aims_catalog_framework(cat);
	char remarks[4096];
	snprintf(remarks, sizeof(remarks), "Publisher: %s. Source: %s. Licence: %s.%s%s", fw->publisher, fw->source,
		 fw->licence, fw->notes ? " Notes: " : "", fw->notes ? fw->notes : "");
	/* a catalog is the framework as loaded: its time, not the store's */
	if (fw->loaded_at)
		snprintf(x->modified, sizeof(x->modified), "%s", fw->loaded_at);
	json_t *c = take(x, json_object());
	set(x, c, "uuid", uuid_of(x, "catalog/%s/%s", fw->framework, fw->digest));
	set(x, c, "metadata", metadata(x, fw->title, fw->version, remarks, 0));
	json_t *groups = take(x, json_array());
	for (size_t i = 0; groups && i < aims_catalog_count(cat); i++) {
		const aims_requirement *r = aims_catalog_at(cat, i);
		if (!r->parent)
			push(x, groups, req_node(x, cat, r, 0));
	}
	set_array(x, c, "groups", groups);
	aims_catalog_free(cat);
	return finish(out, x, "catalog", c);
}

/* ---- profile: the SoA ---- */

static int read_soa_json(json_t **out, ox *x)
{
	aims_soa *soa = NULL;
	int err;
	*out = NULL;
	if ((err = aims_soa_read(&soa, x->store)) < 0)
		return err;
	*out = aims_soa_json(soa);
	aims_soa_free(soa);
	return *out ? 0 : aims__oom();
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int export_profile(json_t **out, ox *x)
{
	json_t *soa = NULL;
	int err;
	if ((err = read_soa_json(&soa, x)) < 0)
		return err;
	json_t *p = take(x, json_object());
	const char *cat = catalog_resource(x, ISO42001);
	json_t *inc = take(x, json_array()), *exc = take(x, json_array()), *alters = take(x, json_array());
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(soa, "controls"), i, c) {
		const char *id = jstr(c, "control");
		int applicable = json_is_true(json_object_get(c, "applicable"));
		int decided = json_is_true(json_object_get(c, "decided"));
		push(x, applicable ? inc : exc, token(x, id));
		const char *just = jstr(c, "justification"), *status = jstr(c, "status"), *owner = jstr(c, "owner");
		if (!decided && !just && !status && !owner)
			continue;
		json_t *add = take(x, json_object());
		set(x, add, "position", take(x, json_string("ending")));
		add_prop(x, add, "label", id, 0);
		add_prop(x, add, "soa-decided", decided ? "true" : "false", 1);
		add_prop(x, add, "soa-applicable", applicable ? "yes" : "no", 1);
		if (status)
			add_prop(x, add, "implementation-status", status, 1);
		if (owner)
			add_prop(x, add, "owner", owner, 1);
		if (jstr(c, "updated_at"))
			add_prop(x, add, "soa-updated-at", jstr(c, "updated_at"), 1);
		if (just) {
			json_t *part = take(x, json_object());
			set(x, part, "id", token_suffix(x, id, "_soa-justification"));
			set(x, part, "name", take(x, json_string("justification")));
			set(x, part, "ns", take(x, json_string(AIMS_OSCAL_NS)));
			set(x, part, "title", take(x, json_string("Justification (Statement of Applicability)")));
			set(x, part, "prose", text(x, just, "-"));
			json_t *parts = take(x, json_array());
			push(x, parts, part);
			set(x, add, "parts", parts);
		}
		json_t *alter = take(x, json_object());
		json_t *adds = take(x, json_array());
		push(x, adds, add);
		set(x, alter, "control-id", token(x, id));
		set(x, alter, "adds", adds);
		push(x, alters, alter);
	}
	json_t *imp = take(x, json_object());
	set(x, imp, "href", res_href(x, cat));
	if (json_array_size(inc))
		set(x, imp, "include-controls", take(x, json_pack("[{s:O}]", "with-ids", inc)));
	if (json_array_size(exc))
		set(x, imp, "exclude-controls", take(x, json_pack("[{s:O}]", "with-ids", exc)));
	json_decref(inc);
	json_decref(exc);
	json_t *imports = take(x, json_array());
	push(x, imports, imp);
	set(x, p, "uuid", uuid_of(x, "profile/%s/%s", ISO42001, x->state));
	set(x, p, "metadata", metadata(x, "ISO/IEC 42001 baseline: Statement of Applicability", x->state,
				      "Controls of ISO/IEC 42001:2023 Annex A the organization includes and excludes, "
				      "with the justification, implementation status and owner its Statement of "
				      "Applicability records (aims soa). Titles and summaries are aims' own wording; "
				      "no ISO text.", 1));
	set(x, p, "imports", imports);
	set(x, p, "merge", take(x, json_pack("{s:b}", "as-is", 1)));
	if (json_array_size(alters))
		set(x, p, "modify", take(x, json_pack("{s:O}", "alters", alters)));
	json_decref(alters);
	json_decref(soa);
	return finish(out, x, "profile", p);
}

/* ---- shared readers ---- */

/* the gap analysis JSON, or NULL (no error) when no ISMS state was imported */
static int read_gap_json(json_t **out, ox *x)
{
	aims_gap *gap = NULL;
	int err;
	*out = NULL;
	if ((err = aims_gap_compute(&gap, x->store, 0)) < 0)
		return err == AIMS_ENOTFOUND ? 0 : err;
	*out = aims_gap_json(gap);
	aims_gap_free(gap);
	return *out ? 0 : aims__oom();
}

static int read_risks_json(json_t **out, ox *x, const char *system)
{
	aims_risks *l = NULL;
	int err;
	*out = NULL;
	if ((err = aims_risk_list(&l, x->store, system)) < 0)
		return err;
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++) {
		json_t *r = aims_risk_json(l->items[i], x->store);
		if (!r || json_array_append_new(a, r) < 0) {
			json_decref(a);
			aims_risks_free(l);
			return r ? aims__oom() : AIMS_ERROR;
		}
	}
	aims_risks_free(l);
	*out = a;
	return a ? 0 : aims__oom();
}

static int read_evals_json(json_t **out, ox *x, const char *system)
{
	aims_eval_results *l = NULL;
	int err;
	*out = NULL;
	if ((err = aims_eval_list(&l, x->store, system, NULL)) < 0)
		return err;
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++)
		if (json_array_append_new(a, aims_eval_result_json(&l->items[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	aims_eval_results_free(l);
	*out = a;
	return a ? 0 : aims__oom();
}

static int read_systems_json(json_t **out, ox *x)
{
	aims_systems *l = NULL;
	int err;
	*out = NULL;
	if ((err = aims_system_list(&l, x->store)) < 0)
		return err;
	json_t *a = json_array();
	for (size_t i = 0; a && i < l->count; i++)
		if (json_array_append_new(a, aims_system_json(l->items[i])) < 0) {
			json_decref(a);
			a = NULL;
		}
	aims_systems_free(l);
	*out = a;
	return a ? 0 : aims__oom();
}

static int has_str(const json_t *a, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		if (strcmp(json_string_value(v), s) == 0) return 1;
	}
	return 0;
}

/* an evaluation's back-matter resource: its record with the digest the ledger names */
static const char *eval_resource(ox *x, const json_t *e)
{
	char name[128], title[256], desc[1024], href[128];
	snprintf(name, sizeof(name), "evaluation/%s", jstr(e, "id"));
	snprintf(title, sizeof(title), "Evaluation %s (%s) of %s", jstr(e, "id"), jstr(e, "kind"), jstr(e, "system"));
	snprintf(desc, sizeof(desc), "%s. Recorded %s by %s; the digest is that of the canonical record, which "
		 "the governance ledger entry of the evaluation names.", jstr(e, "summary"), jstr(e, "recorded_at"),
		 jstr(e, "tool_version"));
	snprintf(href, sizeof(href), "urn:aims:evaluation:%s", jstr(e, "id"));
	return resource(x, name, title, desc, href, "application/json", jstr(e, "digest"));
}

/* the controls a system's records touch: {control: [TEXT]} from risk actions and evaluations */
static json_t *system_controls(ox *x, const json_t *risks, const json_t *evals, const char *system)
{
	json_t *m = take(x, json_object());
	size_t i, k;
	json_t *r, *a, *c;
	char buf[1024];
	json_array_foreach(risks, i, r) {
		if (strcmp(jstr(r, "system"), system) != 0)
			continue;
		json_array_foreach(json_object_get(r, "actions"), k, a) {
			const char *ctl = jstr(a, "control");
			if (!ctl)
				continue;
			if (!json_object_get(m, ctl))
				set(x, m, ctl, take(x, json_array()));
			snprintf(buf, sizeof(buf), "%s treatment: %s", jstr(r, "id"), jstr(a, "action"));
			push(x, json_object_get(m, ctl), take(x, json_string(buf)));
		}
	}
	json_array_foreach(evals, i, r) {
		if (strcmp(jstr(r, "system"), system) != 0)
			continue;
		json_array_foreach(json_object_get(r, "controls"), k, c) {
			const char *ctl = json_string_value(c);
			if (!json_object_get(m, ctl))
				set(x, m, ctl, take(x, json_array()));
			snprintf(buf, sizeof(buf), "%s %s evaluation: %s", jstr(r, "id"), jstr(r, "kind"),
				 jstr(r, "summary"));
			push(x, json_object_get(m, ctl), take(x, json_string(buf)));
		}
	}
	return m;
}

static char *join_lines(ox *x, const json_t *a, const char *sep)
{
	size_t n = 1, i;
	json_t *v;
	json_array_foreach(a, i, v) {
		n += strlen(json_string_value(v)) + strlen(sep);
	}
	char *b = aims__malloc(n), *p = b;
	if (!b) {
		x->oom = 1;
		return NULL;
	}
	*p = '\0';
	json_array_foreach(a, i, v) {
		size_t l = strlen(json_string_value(v));
		if (i) {
			memcpy(p, sep, strlen(sep));
			p += strlen(sep);
		}
		memcpy(p, json_string_value(v), l);
		p += l;
	}
	*p = '\0';
	return b;
}

/* ---- component definition ---- */

static json_t *implemented(ox *x, const char *scope, const char *ctl, const char *desc)
{
	json_t *ir = take(x, json_object());
	set(x, ir, "uuid", uuid_of(x, "implemented-requirement/%s/%s", scope, ctl));
	set(x, ir, "control-id", token(x, ctl));
	set(x, ir, "description", text(x, desc, "-"));
	add_prop(x, ir, "label", ctl, 0);
	return ir;
}

static json_t *control_impl(ox *x, const char *scope, const char *cat_uuid, const char *desc, json_t *reqs)
{
	json_t *ci = take(x, json_object());
	set(x, ci, "uuid", uuid_of(x, "control-implementation/%s", scope));
	set(x, ci, "source", res_href(x, cat_uuid));
	set(x, ci, "description", text(x, desc, "-"));
	set(x, ci, "implemented-requirements", reqs);
	json_t *a = take(x, json_array());
	push(x, a, ci);
	return a;
}

static int export_component(json_t **out, ox *x)
{
	json_t *gap = NULL, *risks = NULL, *evals = NULL, *systems = NULL;
	int err;
	if ((err = read_gap_json(&gap, x)) < 0 || (err = read_risks_json(&risks, x, NULL)) < 0 ||
	    (err = read_evals_json(&evals, x, NULL)) < 0 || (err = read_systems_json(&systems, x)) < 0)
		goto done;
	const char *cat = catalog_resource(x, ISO42001);
	json_t *comps = take(x, json_array());

	/* aims itself: the requirements its own records evidence */
	json_t *aims = take(x, json_object());
	json_t *reqs = take(x, json_array());
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(gap, "items"), i, it) {
		json_t *ev = json_object_get(it, "aims_evidence");
		if (json_array_size(ev) == 0)
			continue;
		char *list = join_lines(x, ev, ", ");
		char desc[2048];
		snprintf(desc, sizeof(desc), "aims keeps the records that evidence this requirement: %s.",
			 list ? list : "");
		aims__free(list);
		json_t *ir = implemented(x, "aims", jstr(it, "id"), desc);
		json_t *links = take(x, json_array());
		size_t k;
		json_t *ref;
		json_array_foreach(ev, k, ref) {
			push(x, links, evidence_link(x, json_string_value(ref)));
		}
		set_array(x, ir, "links", links);
		push(x, reqs, ir);
	}
	set(x, aims, "uuid", uuid_of(x, "component/aims"));
	set(x, aims, "type", take(x, json_string("software")));
	set(x, aims, "title", take(x, json_string("aims")));
	set(x, aims, "description", take(x, json_string(
		"aims, the AI management system tool: documents, the Statement of Applicability, the AI "
		"inventory and lineage, risks, impact assessments, the EU AI Act classification, evaluations "
		"and the signed evidence ledger.")));
	add_prop(x, aims, "version", AIMS_VERSION, 1);
	if (json_array_size(reqs))
		set(x, aims, "control-implementations",
		    control_impl(x, "aims", cat, "ISO/IEC 42001 requirements aims' own records evidence", reqs));
	else
		json_decref(reqs);
	push(x, comps, aims);

	/* each AI system: the controls its risk treatments and evaluations use */
	json_t *s;
	json_array_foreach(systems, i, s) {
		const char *name = jstr(s, "name");
		json_t *comp = take(x, json_object());
		set(x, comp, "uuid", uuid_of(x, "component/system/%s", name));
		set(x, comp, "type", take(x, json_string("software")));
		set(x, comp, "title", line(x, name, "AI system"));
		set(x, comp, "description", text(x, jstr(s, "purpose"), "AI system"));
		if (jstr(s, "intended_use"))
			set(x, comp, "purpose", line(x, jstr(s, "intended_use"), "-"));
		add_prop(x, comp, "ai-system", name, 1);
		add_prop(x, comp, "lifecycle", jstr(s, "lifecycle"), 1);
		add_prop(x, comp, "record-digest", jstr(s, "digest"), 1);
		json_t *ctl = system_controls(x, risks, evals, name);
		json_t *sreqs = take(x, json_array());
		const char *key;
		json_t *lines;
		char scope[128];
		snprintf(scope, sizeof(scope), "system/%s", name);
		json_object_foreach(ctl, key, lines) {
			char *d = join_lines(x, lines, "; ");
			push(x, sreqs, implemented(x, scope, key, d));
			aims__free(d);
		}
		json_decref(ctl);
		if (json_array_size(sreqs))
			set(x, comp, "control-implementations",
			    control_impl(x, scope, cat, "ISO/IEC 42001 controls of this AI system's risk treatments and "
					 "evaluations", sreqs));
		else
			json_decref(sreqs);
		push(x, comps, comp);
	}
	json_t *cd = take(x, json_object());
	set(x, cd, "uuid", uuid_of(x, "component-definition/%s", x->state));
	set(x, cd, "metadata", metadata(x, "aims and the organization's AI systems as components", x->state, NULL, 1));
	set(x, cd, "components", comps);
	err = finish(out, x, "component-definition", cd);
done:
	json_decref(gap);
	json_decref(risks);
	json_decref(evals);
	json_decref(systems);
	return err;
}

/* ---- system security plan (an AI system plan) ---- */

static const char *ssp_state(const char *lifecycle, const char *status)
{
	if (status && strcmp(status, "retired") == 0)
		return "disposition";
	if (!lifecycle)
		return "other";
	if (strcmp(lifecycle, "operating") == 0 || strcmp(lifecycle, "deployed") == 0)
		return "operational";
	if (strcmp(lifecycle, "retired") == 0)
		return "disposition";
	if (strcmp(lifecycle, "idea") == 0 || strcmp(lifecycle, "design") == 0 ||
	    strcmp(lifecycle, "development") == 0 || strcmp(lifecycle, "validation") == 0)
		return "under-development";
	return "other";
}

/* the implementation status of a SoA control: the decision, else the gap analysis */
static const char *impl_state(const json_t *c)
{
	const char *st = jstr(c, "status"), *gap = jstr(c, "gap");
	if (!json_is_true(json_object_get(c, "applicable")))
		return "not-applicable";
	if (st) {
		if (strcmp(st, "implemented") == 0)
			return "implemented";
		if (strcmp(st, "partial") == 0)
			return "partial";
		return "planned";
	}
	if (gap && strcmp(gap, "covered") == 0)
		return "implemented";
	if (gap && strcmp(gap, "partial") == 0)
		return "partial";
	return "planned";
}

static int read_gate_checks(json_t **out, ox *x, const char *system);
static json_t *latest_gate_checks(ox *x, const json_t *checks);
static const char *gate_control(const char *stage);

static int export_ssp(json_t **out, ox *x, const char *system)
{
	aims_system *sys = NULL;
	json_t *sj = NULL, *soa = NULL, *risks = NULL, *evals = NULL, *gates = NULL, *latest = NULL;
	aims_model *model = NULL;
	char *model_ref = NULL;
	int err;
	if (!system)
		return aims__err(AIMS_EUSAGE, "oscal ssp: name the AI system (--system)");
	if ((err = aims_system_get(&sys, x->store, system)) < 0)
		return err;
	if (!(sj = aims_system_json(sys))) {
		err = aims__oom();
		goto done;
	}
	if ((err = read_soa_json(&soa, x)) < 0 || (err = read_risks_json(&risks, x, system)) < 0 ||
	    (err = read_evals_json(&evals, x, system)) < 0 || (err = read_gate_checks(&gates, x, system)) < 0 ||
	    (err = aims_system_current_model(&model_ref, x->store, system, NULL)) < 0)
		goto done;
	if (model_ref && (err = aims_model_get(&model, x->store, model_ref)) < 0)
		goto done;
	latest = latest_gate_checks(x, gates);

	json_t *ssp = take(x, json_object());
	const char *cat = catalog_resource(x, ISO42001);
	const char *prof = resource(x, "profile/" ISO42001, "The organization's ISO/IEC 42001 profile "
				    "(aims oscal export profile)", NULL, "profile.json", "application/oscal.profile+json",
				    NULL);
	(void)cat;
	set(x, ssp, "uuid", uuid_of(x, "ssp/%s/%s", system, x->state));
	char title[256];
	snprintf(title, sizeof(title), "AI system plan: %s", system);
	set(x, ssp, "metadata", metadata(x, title, x->state, "An OSCAL system security plan used as an AI system plan: "
				       "the inventory facts of the AI system and how the ISO/IEC 42001 controls of the "
				       "organization's Statement of Applicability are implemented for it.", 1));
	json_t *ip = take(x, json_object());
	set(x, ip, "href", res_href(x, prof));
	set(x, ssp, "import-profile", ip);

	/* system characteristics: the inventory facts */
	json_t *ch = take(x, json_object());
	json_t *ids = take(x, json_array());
	json_t *sid = take(x, json_object());
	set(x, sid, "identifier-type", take(x, json_string(AIMS_OSCAL_NS "/ai-system")));
	set(x, sid, "id", line(x, system, system));
	push(x, ids, sid);
	set(x, ch, "system-ids", ids);
	set(x, ch, "system-name", line(x, system, system));
	set(x, ch, "description", text(x, jstr(sj, "purpose"), "AI system"));
	static const char *const facts[] = { "purpose", "intended_use", "misuse", "owner", "lifecycle", "role",
					     "oversight", "affected_groups", "status", "digest", NULL };
	for (size_t i = 0; facts[i]; i++)
		if (jstr(sj, facts[i])) {
			char pn[64];
			snprintf(pn, sizeof(pn), "%s", facts[i]);
			for (char *p = pn; *p; p++)
				if (*p == '_')
					*p = '-';
			add_prop(x, ch, pn, jstr(sj, facts[i]), 1);
		}
	json_t *info = take(x, json_object());
	json_t *itypes = take(x, json_array());
	json_t *dec = take(x, json_object());
	set(x, dec, "uuid", uuid_of(x, "information-type/%s/decisions", system));
	set(x, dec, "title", take(x, json_string("Decisions and the inputs they rest on")));
	char idesc[1024];
	snprintf(idesc, sizeof(idesc), "The AI system's inputs and outputs, kept in its decision log. Affected "
		 "groups: %s.", jstr(sj, "affected_groups") ? jstr(sj, "affected_groups") : "not recorded");
	set(x, dec, "description", text(x, idesc, "-"));
	push(x, itypes, dec);
	for (size_t i = 0; model && i < model->ntrained_on; i++) {
		json_t *d = take(x, json_object());
		set(x, d, "uuid", uuid_of(x, "information-type/%s/%s", system, model->trained_on[i]));
		set(x, d, "title", line(x, model->trained_on[i], "dataset"));
		char dd[512];
		snprintf(dd, sizeof(dd), "Training data of the deployed model %s.", model->ref);
		set(x, d, "description", text(x, dd, "-"));
		push(x, itypes, d);
	}
	set(x, info, "information-types", itypes);
	set(x, ch, "system-information", info);
	json_t *st = take(x, json_object());
	set(x, st, "state", take(x, json_string(ssp_state(jstr(sj, "lifecycle"), jstr(sj, "status")))));
	set(x, ch, "status", st);
	char bdesc[2048];
	snprintf(bdesc, sizeof(bdesc), "Intended use: %s. Foreseeable misuse: %s. Human oversight: %s.",
		 jstr(sj, "intended_use") ? jstr(sj, "intended_use") : "not recorded",
		 jstr(sj, "misuse") ? jstr(sj, "misuse") : "not recorded",
		 jstr(sj, "oversight") ? jstr(sj, "oversight") : "not recorded");
	set(x, ch, "authorization-boundary", take(x, json_pack("{s:s}", "description", bdesc)));
	set(x, ssp, "system-characteristics", ch);

	/* system implementation: its owner, the system, its deployed model */
	json_t *impl = take(x, json_object());
	json_t *users = take(x, json_array());
	json_t *u = take(x, json_object());
	set(x, u, "uuid", uuid_of(x, "user/%s/owner", system));
	set(x, u, "title", line(x, jstr(sj, "owner"), "owner not recorded"));
	add_prop(x, u, "role", "AI system owner", 1);
	push(x, users, u);
	set(x, impl, "users", users);
	json_t *comps = take(x, json_array());
	json_t *self = take(x, json_object());
	char self_uuid[37];
	char nm[300];
	snprintf(nm, sizeof(nm), "component/system/%s", system);
	if (aims_oscal_uuid(self_uuid, nm) < 0)
		x->oom = 1;
	set(x, self, "uuid", take(x, json_string(self_uuid)));
	set(x, self, "type", take(x, json_string("this-system")));
	set(x, self, "title", line(x, system, system));
	set(x, self, "description", text(x, jstr(sj, "purpose"), "AI system"));
	set(x, self, "status", take(x, json_pack("{s:s}", "state", "operational")));
	push(x, comps, self);
	if (model) {
		json_t *m = take(x, json_object());
		set(x, m, "uuid", uuid_of(x, "component/model/%s", model->ref));
		set(x, m, "type", take(x, json_string("software")));
		set(x, m, "title", line(x, model->ref, "model"));
		set(x, m, "description", text(x, model->description, "the deployed model"));
		if (model->framework)
			add_prop(x, m, "framework", model->framework, 1);
		if (model->digest)
			add_prop(x, m, "artifact-digest", model->digest, 1);
		set(x, m, "status", take(x, json_pack("{s:s}", "state", "operational")));
		push(x, comps, m);
	}
	set(x, impl, "components", comps);
	set(x, ssp, "system-implementation", impl);

	/* control implementation: every control of the SoA, for this system */
	json_t *ctl = system_controls(x, risks, evals, system);
	json_t *reqs = take(x, json_array());
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(soa, "controls"), i, c) {
		const char *id = jstr(c, "control");
		json_t *ir = take(x, json_object());
		set(x, ir, "uuid", uuid_of(x, "ssp-requirement/%s/%s", system, id));
		set(x, ir, "control-id", token(x, id));
		add_prop(x, ir, "label", id, 0);
		if (jstr(c, "owner"))
			add_prop(x, ir, "owner", jstr(c, "owner"), 1);
		json_t *links = take(x, json_array());
		size_t k;
		json_t *ref;
		json_array_foreach(json_object_get(c, "evidence"), k, ref) {
			push(x, links, evidence_link(x, json_string_value(ref)));
		}
		json_t *e;
		json_array_foreach(evals, k, e) if (has_str(json_object_get(e, "controls"), id)) {
			json_t *l = take(x, json_object());
			set(x, l, "href", res_href(x, eval_resource(x, e)));
			set(x, l, "rel", take(x, json_string("evidence")));
			set(x, l, "text", line(x, jstr(e, "id"), "evaluation"));
			push(x, links, l);
		}
		/* the latest check of each lifecycle gate of this system, on the control the gate's stage evidences */
		json_array_foreach(latest, k, e) if (strcmp(gate_control(jstr(e, "stage")), id) == 0 && jstr(e, "check_id")) {
			char gref[96];
			snprintf(gref, sizeof(gref), "gate-check:%s", jstr(e, "check_id"));
			push(x, links, evidence_link(x, gref));
		}
		set_array(x, ir, "links", links);
		/* the statement: the SoA's justification and what this system's records do for it */
		json_t *lines = json_object_get(ctl, id);
		char *done = lines ? join_lines(x, lines, "; ") : NULL;
		const char *just = jstr(c, "justification");
		size_t dl = (done ? strlen(done) : 0) + (just ? strlen(just) : 0) + 256;
		char *desc = aims__malloc(dl);
		if (!desc) {
			x->oom = 1;
		} else {
			snprintf(desc, dl, "%s%s%s%s%s", just ? "Statement of Applicability: " : "", just ? just : "",
				 just && done ? " " : "", done ? "This AI system: " : "", done ? done : "");
			if (!desc[0])
				snprintf(desc, dl, "Applies to %s as an organization-wide control of the Statement of "
					 "Applicability.", system);
		}
		aims__free(done);
		json_t *bc = take(x, json_object());
		set(x, bc, "component-uuid", take(x, json_string(self_uuid)));
		set(x, bc, "uuid", uuid_of(x, "by-component/%s/%s", system, id));
		set(x, bc, "description", text(x, desc, "-"));
		aims__free(desc);
		set(x, bc, "implementation-status", take(x, json_pack("{s:s}", "state", impl_state(c))));
		json_t *stm = take(x, json_object());
		set(x, stm, "statement-id", token_suffix(x, id, "_smt"));
		set(x, stm, "uuid", uuid_of(x, "statement/%s/%s", system, id));
		json_t *bcs = take(x, json_array());
		push(x, bcs, bc);
		set(x, stm, "by-components", bcs);
		json_t *stms = take(x, json_array());
		push(x, stms, stm);
		set(x, ir, "statements", stms);
		push(x, reqs, ir);
	}
	json_decref(ctl);
	json_t *ci = take(x, json_object());
	set(x, ci, "description", take(x, json_string("How the ISO/IEC 42001 Annex A controls of the organization's "
						      "Statement of Applicability are implemented for this AI system.")));
	set(x, ci, "implemented-requirements", reqs);
	set(x, ssp, "control-implementation", ci);
	err = finish(out, x, "system-security-plan", ssp);
done:
	aims_system_free(sys);
	aims_model_free(model);
	free(model_ref);
	json_decref(sj);
	json_decref(soa);
	json_decref(risks);
	json_decref(evals);
	json_decref(gates);
	json_decref(latest);
	return err;
}

/* ---- lifecycle gate checks (docs/oversight.md) ---- */

/* every recorded gate check (of `system`, or all), oldest first */
static int read_gate_checks(json_t **out, ox *x, const char *system)
{
	json_t *d = NULL;
	int err;
	*out = NULL;
	if ((err = aims_gate_checks(&d, x->store, system, INT32_MAX)) < 0)
		return err;
	json_t *newest = json_object_get(d, "checks"), *a = json_array();
	for (size_t i = json_array_size(newest); a && i-- > 0;)
		if (json_array_append(a, json_array_get(newest, i)) < 0) {
			json_decref(a);
			a = NULL;
		}
	json_decref(d);
	*out = a;
	return a ? 0 : aims__oom();
}

/* the Annex A control a gate to `stage` evidences: validation A.6.2.4, approval and deployment A.6.2.5,
   retirement A.6.2.6 */
static const char *gate_control(const char *stage)
{
	if (stage && strcmp(stage, "validation") == 0)
		return "A.6.2.4";
	if (stage && strcmp(stage, "retired") == 0)
		return "A.6.2.6";
	return "A.6.2.5";
}

/* passed (every condition met), allowed-exception (passed under an exception) or refused */
static const char *gate_outcome(const json_t *c)
{
	return json_is_true(json_object_get(c, "passed")) ? "passed" :
	       json_is_true(json_object_get(c, "allowed")) ? "allowed-exception" : "refused";
}

/* "SYSTEM/MODEL/STAGE": the gate a check is of */
static void gate_key(char *buf, size_t n, const json_t *c)
{
	snprintf(buf, n, "%s/%s/%s", jstr(c, "system") ? jstr(c, "system") : "", jstr(c, "model") ? jstr(c, "model") : "",
		 jstr(c, "stage") ? jstr(c, "stage") : "");
}

/* the latest check of each gate, in the order the gates were first checked: [check] */
static json_t *latest_gate_checks(ox *x, const json_t *checks)
{
	json_t *order = take(x, json_array()), *last = take(x, json_object());
	size_t i;
	json_t *c;
	char key[600];
	json_array_foreach(checks, i, c) {
		gate_key(key, sizeof(key), c);
		if (!json_object_get(last, key))
			push(x, order, take(x, json_string(key)));
		set(x, last, key, json_incref(c));
	}
	json_t *a = take(x, json_array()), *k;
	json_array_foreach(order, i, k) {
		push(x, a, json_incref(json_object_get(last, json_string_value(k))));
	}
	json_decref(order);
	json_decref(last);
	return a;
}

/* the unmet conditions of a check as one text */
static char *gate_unmet(ox *x, const json_t *c)
{
	return join_lines(x, json_object_get(c, "unmet"), "; ");
}

/* a gate check as an observation, its stored result a back-matter resource with the digest its ledger entry names */
static json_t *gate_observation(ox *x, const json_t *c)
{
	const char *id = jstr(c, "check_id"), *out = gate_outcome(c);
	const char *exc = jstr(json_object_get(c, "exception"), "id");
	const json_t *pol = json_object_get(c, "policy");
	char t[512], pol_ref[200] = "none", *unmet = gate_unmet(x, c);
	if (json_is_object(pol))
		snprintf(pol_ref, sizeof(pol_ref), "%s@%lld", jstr(pol, "name") ? jstr(pol, "name") : "?",
			 (long long)json_integer_value(json_object_get(pol, "version")));
	json_t *o = take(x, json_object());
	set(x, o, "uuid", uuid_of(x, "observation/gate-check/%s", id));
	snprintf(t, sizeof(t), "Gate check %s: %s -> %s of %s, %s", id, jstr(c, "model"), jstr(c, "stage"),
		 jstr(c, "system"), strcmp(out, "passed") == 0 ? "passed" : strcmp(out, "refused") == 0 ? "refused" :
		 "allowed under an exception");
	set(x, o, "title", line(x, t, id));
	size_t dl = (unmet ? strlen(unmet) : 0) + 1024;
	char *d = aims__malloc(dl);
	if (d)
		snprintf(d, dl, "The %s of model version %s (digest %s) for stage %s of AI system %s under policy %s, "
			 "by %s at %s: %s.%s%s", strcmp(jstr(c, "purpose") ? jstr(c, "purpose") : "", "deploy") == 0 ?
			 "production deployment check" : "gate check", jstr(c, "model"),
			 jstr(c, "model_digest") ? jstr(c, "model_digest") : "none", jstr(c, "stage"), jstr(c, "system"),
			 pol_ref, jstr(c, "checked_by") ? jstr(c, "checked_by") : "?", jstr(c, "checked_at"),
			 strcmp(out, "passed") == 0 ? "every condition of the policy is met" :
			 strcmp(out, "refused") == 0 ? "refused" : "allowed under an approved exception",
			 unmet && *unmet ? " Unmet: " : "", unmet && *unmet ? unmet : "");
	else
		x->oom = 1;
	set(x, o, "description", text(x, d, "-"));
	aims__free(d);
	aims__free(unmet);
	add_prop(x, o, "gate-check-id", id, 1);
	add_prop(x, o, "ai-system", jstr(c, "system"), 1);
	add_prop(x, o, "model", jstr(c, "model"), 1);
	if (jstr(c, "model_digest"))
		add_prop(x, o, "model-digest", jstr(c, "model_digest"), 1);
	add_prop(x, o, "stage", jstr(c, "stage"), 1);
	add_prop(x, o, "gate-outcome", out, 1);
	add_prop(x, o, "policy", pol_ref, 1);
	if (exc)
		add_prop(x, o, "gate-exception", exc, 1);
	add_prop(x, o, "label", gate_control(jstr(c, "stage")), 0);
	add_prop(x, o, "record-digest", jstr(c, "digest"), 1);
	set(x, o, "methods", take(x, json_pack("[s]", "TEST")));
	char name[128], title[256], href[128];
	snprintf(name, sizeof(name), "gate-check/%s", id);
	snprintf(title, sizeof(title), "Gate check %s (%s -> %s of %s)", id, jstr(c, "model"), jstr(c, "stage"),
		 jstr(c, "system"));
	snprintf(href, sizeof(href), "urn:aims:gate-check:%s", id);
	const char *ru = resource(x, name, title, "The recorded gate check (aims gate checks); the digest is that of "
				  "its canonical JSON, which its governance ledger entry (allow, allow-exception or "
				  "refuse) names.", href, "application/json", jstr(c, "digest"));
	json_t *ev = take(x, json_object());
	set(x, ev, "href", res_href(x, ru));
	snprintf(t, sizeof(t), "The gate check record %s (%s)", id, jstr(c, "digest") ? jstr(c, "digest") : "?");
	set(x, ev, "description", text(x, t, "-"));
	json_t *evs = take(x, json_array());
	push(x, evs, ev);
	set(x, o, "relevant-evidence", evs);
	set(x, o, "collected", take(x, json_string(jstr(c, "checked_at") ? jstr(c, "checked_at") : x->modified)));
	return o;
}

/* a finding per gate (its latest check decides), related to the observations of all its checks */
static json_t *gate_finding(ox *x, const json_t *latest, const json_t *checks)
{
	char key[600], k2[600], t[512];
	const char *out = gate_outcome(latest), *ctl = gate_control(jstr(latest, "stage"));
	gate_key(key, sizeof(key), latest);
	json_t *f = take(x, json_object());
	set(x, f, "uuid", uuid_of(x, "finding/gate/%s", key));
	snprintf(t, sizeof(t), "Lifecycle gate %s -> %s of %s: %s", jstr(latest, "model"), jstr(latest, "stage"),
		 jstr(latest, "system"), strcmp(out, "passed") == 0 ? "passed" : strcmp(out, "refused") == 0 ?
		 "refused" : "passed under an exception only");
	set(x, f, "title", line(x, t, key));
	char *unmet = gate_unmet(x, latest);
	size_t dl = (unmet ? strlen(unmet) : 0) + 512;
	char *d = aims__malloc(dl);
	if (d)
		snprintf(d, dl, "The latest check (%s at %s) %s.%s%s", jstr(latest, "check_id"), jstr(latest, "checked_at"),
			 strcmp(out, "passed") == 0 ? "met every condition of the policy" :
			 strcmp(out, "refused") == 0 ? "was refused" : "was allowed under an approved exception",
			 unmet && *unmet ? " Unmet: " : "", unmet && *unmet ? unmet : "");
	else
		x->oom = 1;
	set(x, f, "description", text(x, d, "-"));
	aims__free(d);
	aims__free(unmet);
	add_prop(x, f, "label", ctl, 0);
	add_prop(x, f, "ai-system", jstr(latest, "system"), 1);
	add_prop(x, f, "model", jstr(latest, "model"), 1);
	add_prop(x, f, "stage", jstr(latest, "stage"), 1);
	add_prop(x, f, "gate-outcome", out, 1);
	json_t *tg = take(x, json_object());
	set(x, tg, "type", take(x, json_string("statement-id")));
	set(x, tg, "target-id", token_suffix(x, ctl, "_smt"));
	set(x, tg, "status", take(x, json_pack("{s:s}", "state", strcmp(out, "passed") == 0 ? "satisfied" :
					       "not-satisfied")));
	set(x, f, "target", tg);
	json_t *rel = take(x, json_array());
	size_t i;
	json_t *c;
	json_array_foreach(checks, i, c) {
		gate_key(k2, sizeof(k2), c);
		if (strcmp(k2, key) == 0)
			push(x, rel, take(x, json_pack("{s:o}", "observation-uuid",
						       uuid_of(x, "observation/gate-check/%s", jstr(c, "check_id")))));
	}
	set(x, f, "related-observations", rel);
	return f;
}

/* ---- assessment results: the gap analysis, the evaluations and the gate checks ---- */

static int export_ar(json_t **out, ox *x, const char *system)
{
	json_t *gap = NULL, *evals = NULL, *gates = NULL, *latest = NULL;
	int err;
	if (system) {
		aims_system *sys = NULL;
		if ((err = aims_system_get(&sys, x->store, system)) < 0)
			return err;
		aims_system_free(sys);
	}
	if ((err = read_gap_json(&gap, x)) < 0 || (err = read_evals_json(&evals, x, system)) < 0 ||
	    (err = read_gate_checks(&gates, x, system)) < 0)
		goto done;
	const char *method = resource(x, "method/gap-analysis", "aims gap analysis and evaluations",
				      "There is no separate OSCAL assessment plan: the assessment is the gap analysis "
				      "of the ISO/IEC 27001 ISMS state against ISO/IEC 42001 (docs/gap-analysis.md), "
				      "the evaluations recorded as evidence (docs/evaluation.md) and the recorded "
				      "lifecycle gate checks (docs/oversight.md).", NULL, NULL, NULL);
	json_t *obs = take(x, json_array()), *finds = take(x, json_array());
	json_t *eval_obs = take(x, json_object()); /* control -> [observation uuid] */
	size_t i, k;
	json_t *e, *c;
	json_array_foreach(evals, i, e) {
		json_t *o = take(x, json_object());
		json_t *ou = uuid_of(x, "observation/evaluation/%s", jstr(e, "id"));
		set(x, o, "uuid", json_incref(ou));
		char t[256];
		snprintf(t, sizeof(t), "Evaluation %s: %s of %s", jstr(e, "id"), jstr(e, "kind"), jstr(e, "system"));
		set(x, o, "title", line(x, t, "evaluation"));
		set(x, o, "description", text(x, jstr(e, "summary"), "evaluation"));
		add_prop(x, o, "evaluation-id", jstr(e, "id"), 1);
		add_prop(x, o, "ai-system", jstr(e, "system"), 1);
		add_prop(x, o, "record-digest", jstr(e, "digest"), 1);
		set(x, o, "methods", take(x, json_pack("[s]", "TEST")));
		json_t *ev = take(x, json_object());
		set(x, ev, "href", res_href(x, eval_resource(x, e)));
		char d[160];
		snprintf(d, sizeof(d), "The evaluation record %s (%s)", jstr(e, "id"), jstr(e, "digest"));
		set(x, ev, "description", text(x, d, "-"));
		json_t *evs = take(x, json_array());
		push(x, evs, ev);
		set(x, o, "relevant-evidence", evs);
		set(x, o, "collected", take(x, json_string(jstr(e, "recorded_at"))));
		push(x, obs, o);
		json_array_foreach(json_object_get(e, "controls"), k, c) {
			const char *ctl = json_string_value(c);
			if (!json_object_get(eval_obs, ctl))
				set(x, eval_obs, ctl, take(x, json_array()));
			push(x, json_object_get(eval_obs, ctl), json_incref(ou));
		}
		json_decref(ou);
	}
	json_array_foreach(gates, i, e) {
		json_t *o = gate_observation(x, e);
		const char *ctl = gate_control(jstr(e, "stage"));
		if (!json_object_get(eval_obs, ctl))
			set(x, eval_obs, ctl, take(x, json_array()));
		push(x, json_object_get(eval_obs, ctl), json_incref(json_object_get(o, "uuid")));
		push(x, obs, o);
	}
	json_t *it;
	json_array_foreach(json_object_get(gap, "items"), i, it) {
		const char *id = jstr(it, "id"), *status = jstr(it, "status");
		int applicable = json_is_true(json_object_get(it, "applicable"));
		json_t *o = take(x, json_object());
		json_t *ou = uuid_of(x, "observation/gap/%s", id);
		set(x, o, "uuid", json_incref(ou));
		char t[512];
		snprintf(t, sizeof(t), "Gap analysis of %s %s", id, jstr(it, "title"));
		set(x, o, "title", line(x, t, id));
		char *sup = NULL;
		{
			json_t *names = take(x, json_array());
			json_t *s;
			json_array_foreach(json_object_get(it, "supported_by"), k, s) {
				char b[256];
				snprintf(b, sizeof(b), "ISO/IEC 27001 %s (%s, %s)", jstr(s, "control"), jstr(s, "status"),
					 jstr(s, "contribution"));
				push(x, names, take(x, json_string(b)));
			}
			sup = join_lines(x, names, "; ");
			json_decref(names);
		}
		const char *add = jstr(it, "to_add");
		size_t dl = (sup ? strlen(sup) : 0) + (add ? strlen(add) : 0) + 256;
		char *d = aims__malloc(dl);
		if (d)
			snprintf(d, dl, "Status %s%s, credit %.2f.%s%s%s%s", status, applicable ? "" : " (excluded)",
				 json_number_value(json_object_get(it, "credit")),
				 sup && *sup ? " Supported by: " : "", sup && *sup ? sup : "",
				 add ? " What ISO/IEC 42001 adds: " : "", add ? add : "");
		else
			x->oom = 1;
		set(x, o, "description", text(x, d, "-"));
		aims__free(d);
		aims__free(sup);
		add_prop(x, o, "label", id, 0);
		add_prop(x, o, "gap-status", status, 1);
		set(x, o, "methods", take(x, json_pack("[s]", "EXAMINE")));
		json_t *evs = take(x, json_array());
		json_t *ref;
		json_array_foreach(json_object_get(it, "reusable_evidence"), k, ref) {
			json_t *ev = take(x, json_object());
			json_t *l = evidence_link(x, json_string_value(ref));
			set(x, ev, "href", json_incref(json_object_get(l, "href")));
			json_decref(l);
			set(x, ev, "description", line(x, json_string_value(ref), "evidence"));
			push(x, evs, ev);
		}
		set_array(x, o, "relevant-evidence", evs);
		set(x, o, "collected", take(x, json_string(x->modified)));
		push(x, obs, o);
		if (!applicable) {
			json_decref(ou);
			continue;
		}
		json_t *f = take(x, json_object());
		set(x, f, "uuid", uuid_of(x, "finding/%s", id));
		snprintf(t, sizeof(t), "%s %s: %s", id, jstr(it, "title"), status);
		set(x, f, "title", line(x, t, id));
		set(x, f, "description", text(x, strcmp(status, "covered") == 0 ?
					       "The ISMS and the records in aims cover this requirement." :
					       add ? add : "Not yet covered.", "-"));
		json_t *tg = take(x, json_object());
		set(x, tg, "type", take(x, json_string("statement-id")));
		set(x, tg, "target-id", token_suffix(x, id, "_smt"));
		set(x, tg, "status", take(x, json_pack("{s:s}", "state",
						      strcmp(status, "covered") == 0 ? "satisfied" : "not-satisfied")));
		set(x, tg, "implementation-status", take(x, json_pack("{s:s}", "state",
			strcmp(status, "covered") == 0 ? "implemented" : strcmp(status, "partial") == 0 ? "partial" :
			"planned")));
		set(x, f, "target", tg);
		json_t *rel = take(x, json_array());
		push(x, rel, take(x, json_pack("{s:O}", "observation-uuid", ou)));
		json_array_foreach(json_object_get(eval_obs, id), k, c) {
			push(x, rel, take(x, json_pack("{s:O}", "observation-uuid", c)));
		}
		set(x, f, "related-observations", rel);
		push(x, finds, f);
		json_decref(ou);
	}
	json_decref(eval_obs);
	latest = latest_gate_checks(x, gates);
	json_array_foreach(latest, i, e) {
		push(x, finds, gate_finding(x, e, gates));
	}
	json_t *r = take(x, json_object());
	set(x, r, "uuid", uuid_of(x, "result/%s/%s", system ? system : "*", x->state));
	set(x, r, "title", take(x, json_string(system ? "ISO/IEC 42001 gap analysis, evaluations and gate checks of one "
						      "AI system" :
					    "ISO/IEC 42001 gap analysis, evaluations and gate checks")));
	set(x, r, "description", take(x, json_string(
		gap ? "The gap analysis of every ISO/IEC 42001 requirement (observations and findings), the "
		      "recorded evaluations and lifecycle gate checks (observations with the digests of their "
		      "records), and a finding per lifecycle gate from its latest check." :
		      "No ISMS state was imported, so there is no gap analysis: the recorded evaluations and "
		      "lifecycle gate checks only (observations with the digests of their records, a finding per "
		      "gate from its latest check).")));
	set(x, r, "start", take(x, json_string(x->modified)));
	set(x, r, "reviewed-controls", take(x, json_pack("{s:[{s:{}}]}", "control-selections", "include-all")));
	set_array(x, r, "observations", obs);
	set_array(x, r, "findings", finds);
	json_t *results = take(x, json_array());
	push(x, results, r);
	json_t *ar = take(x, json_object());
	set(x, ar, "uuid", uuid_of(x, "assessment-results/%s/%s", system ? system : "*", x->state));
	set(x, ar, "metadata", metadata(x, "ISO/IEC 42001 assessment results", x->state, NULL, 1));
	json_t *ap = take(x, json_object());
	set(x, ap, "href", res_href(x, method));
	set(x, ar, "import-ap", ap);
	set(x, ar, "results", results);
	err = finish(out, x, "assessment-results", ar);
done:
	json_decref(gap);
	json_decref(evals);
	json_decref(gates);
	json_decref(latest);
	return err;
}

/* ---- POA&M: gaps, accepted risks, gates not passed, overdue reviews, nonconformities and their actions ---- */

/* a gate whose latest check did not pass: meet its conditions */
static json_t *gate_poam_item(ox *x, const json_t *c)
{
	char key[600], t[512];
	const char *out = gate_outcome(c), *exc = jstr(json_object_get(c, "exception"), "id");
	gate_key(key, sizeof(key), c);
	json_t *p = take(x, json_object());
	set(x, p, "uuid", uuid_of(x, "poam-item/gate/%s", key));
	snprintf(t, sizeof(t), "Meet the conditions of the %s gate for %s of %s (%s)", jstr(c, "stage"), jstr(c, "model"),
		 jstr(c, "system"), strcmp(out, "refused") == 0 ? "refused" : "passed under an exception only");
	set(x, p, "title", line(x, t, key));
	char *unmet = gate_unmet(x, c);
	size_t dl = (unmet ? strlen(unmet) : 0) + 512;
	char *d = aims__malloc(dl);
	if (d)
		snprintf(d, dl, "The latest gate check %s (%s) %s. Unmet: %s", jstr(c, "check_id"), jstr(c, "checked_at"),
			 strcmp(out, "refused") == 0 ? "refused the model version" :
			 "let it pass only under an approved exception, which expires", unmet && *unmet ? unmet : "-");
	else
		x->oom = 1;
	set(x, p, "description", text(x, d, "-"));
	aims__free(d);
	aims__free(unmet);
	add_prop(x, p, "label", gate_control(jstr(c, "stage")), 0);
	add_prop(x, p, "ai-system", jstr(c, "system"), 1);
	add_prop(x, p, "model", jstr(c, "model"), 1);
	add_prop(x, p, "stage", jstr(c, "stage"), 1);
	add_prop(x, p, "gate-outcome", out, 1);
	add_prop(x, p, "gate-check-id", jstr(c, "check_id"), 1);
	add_prop(x, p, "record-digest", jstr(c, "digest"), 1);
	if (exc)
		add_prop(x, p, "gate-exception", exc, 1);
	return p;
}

/* decisions of one system waiting for review past the policy's deadline */
static json_t *review_poam_item(ox *x, const json_t *o)
{
	char t[512], d[1024], n[32], days[32];
	long long count = (long long)json_integer_value(json_object_get(o, "overdue"));
	json_t *p = take(x, json_object());
	set(x, p, "uuid", uuid_of(x, "poam-item/review-overdue/%s", jstr(o, "system")));
	snprintf(t, sizeof(t), "Review the %lld decision%s of %s waiting longer than %lld days for human review", count,
		 count == 1 ? "" : "s", jstr(o, "system"), (long long)json_integer_value(json_object_get(o, "due_days")));
	set(x, p, "title", line(x, t, "overdue reviews"));
	snprintf(d, sizeof(d), "Policy %s selects decisions of %s for human review and sets a deadline of %lld days "
		 "(review.due_days). %lld decision%s selected before %s %s not reviewed yet; the oldest is %s, "
		 "selected at %s (aims review list --system %s --status pending).", jstr(o, "policy"), jstr(o, "system"),
		 (long long)json_integer_value(json_object_get(o, "due_days")), count, count == 1 ? "" : "s",
		 jstr(o, "selected_before"), count == 1 ? "is" : "are", jstr(o, "oldest"), jstr(o, "oldest_selected_at"),
		 jstr(o, "system"));
	set(x, p, "description", text(x, d, "-"));
	snprintf(n, sizeof(n), "%lld", count);
	snprintf(days, sizeof(days), "%lld", (long long)json_integer_value(json_object_get(o, "due_days")));
	add_prop(x, p, "label", "A.9.2", 0);
	add_prop(x, p, "ai-system", jstr(o, "system"), 1);
	add_prop(x, p, "policy", jstr(o, "policy"), 1);
	add_prop(x, p, "review-due-days", days, 1);
	add_prop(x, p, "overdue-reviews", n, 1);
	add_prop(x, p, "oldest-review", jstr(o, "oldest"), 1);
	return p;
}

static json_t *nc_poam_item(ox *x, const json_t *nc)
{
	char t[1200];
	const char *id = jstr(nc, "id");
	json_t *p = take(x, json_object());
	set(x, p, "uuid", uuid_of(x, "poam-item/nonconformity/%s", id));
	snprintf(t, sizeof(t), "Nonconformity %s: %s", id, jstr(nc, "title") ? jstr(nc, "title") : "");
	set(x, p, "title", line(x, t, id));
	const char *desc = jstr(nc, "description"), *rc = jstr(json_object_get(nc, "root_cause"), "text");
	size_t dl = (desc ? strlen(desc) : 0) + (rc ? strlen(rc) : 0) + 512;
	char *d = aims__malloc(dl);
	if (d)
		snprintf(d, dl, "%s%sStatus %s; %lld corrective action%s, %lld not closed.%s%s",
			 desc ? desc : "", desc ? " " : "", jstr(nc, "status"),
			 (long long)json_integer_value(json_object_get(nc, "actions_total")),
			 json_integer_value(json_object_get(nc, "actions_total")) == 1 ? "" : "s",
			 (long long)json_integer_value(json_object_get(nc, "actions_open")), rc ? " Root cause: " : "",
			 rc ? rc : "");
	else
		x->oom = 1;
	set(x, p, "description", text(x, d, "-"));
	aims__free(d);
	if (jstr(nc, "requirement"))
		add_prop(x, p, "label", jstr(nc, "requirement"), 0);
	add_prop(x, p, "nonconformity-id", id, 1);
	add_prop(x, p, "status", jstr(nc, "status"), 1);
	add_prop(x, p, "source", jstr(nc, "source"), 1);
	if (jstr(nc, "source_ref"))
		add_prop(x, p, "source-ref", jstr(nc, "source_ref"), 1);
	if (jstr(nc, "system"))
		add_prop(x, p, "ai-system", jstr(nc, "system"), 1);
	add_prop(x, p, "owner", jstr(nc, "owner"), 1);
	if (jstr(nc, "due"))
		add_prop(x, p, "due", jstr(nc, "due"), 1);
	if (jstr(nc, "evidence")) {
		json_t *ls = take(x, json_array());
		push(x, ls, evidence_link(x, jstr(nc, "evidence")));
		set(x, p, "links", ls);
	}
	return p;
}

static json_t *ca_poam_item(ox *x, const json_t *ca)
{
	char t[1200];
	const char *id = jstr(ca, "id");
	json_t *p = take(x, json_object());
	set(x, p, "uuid", uuid_of(x, "poam-item/corrective-action/%s", id));
	snprintf(t, sizeof(t), "Corrective action %s for %s: %s", id, jstr(ca, "nonconformity"),
		 jstr(ca, "description") ? jstr(ca, "description") : "");
	set(x, p, "title", line(x, t, id));
	char d[600];
	snprintf(d, sizeof(d), "Corrective action %s of nonconformity %s, owned by %s, due %s, status %s%s.", id,
		 jstr(ca, "nonconformity"), jstr(ca, "owner") ? jstr(ca, "owner") : "?",
		 jstr(ca, "due") ? jstr(ca, "due") : "-", jstr(ca, "status"),
		 strcmp(jstr(ca, "status"), "done") == 0 ? " (its effectiveness is to be reviewed)" :
		 strcmp(jstr(ca, "status"), "effective") == 0 ? " (found effective, to be closed)" : "");
	set(x, p, "description", text(x, jstr(ca, "description"), d));
	set(x, p, "remarks", text(x, d, "-"));
	add_prop(x, p, "corrective-action-id", id, 1);
	add_prop(x, p, "nonconformity-id", jstr(ca, "nonconformity"), 1);
	add_prop(x, p, "status", jstr(ca, "status"), 1);
	add_prop(x, p, "owner", jstr(ca, "owner"), 1);
	if (jstr(ca, "due"))
		add_prop(x, p, "due", jstr(ca, "due"), 1);
	add_prop(x, p, "overdue", json_is_true(json_object_get(ca, "overdue")) ? "true" : "false", 1);
	return p;
}

static int export_poam(json_t **out, ox *x, const char *system)
{
	json_t *gap = NULL, *risks = NULL, *gates = NULL, *latest = NULL, *overdue = NULL, *ncs = NULL, *cas = NULL;
	int err;
	if (system) {
		aims_system *sys = NULL;
		if ((err = aims_system_get(&sys, x->store, system)) < 0)
			return err;
		aims_system_free(sys);
	}
	if ((err = read_gap_json(&gap, x)) < 0 || (err = read_risks_json(&risks, x, system)) < 0 ||
	    (err = read_gate_checks(&gates, x, system)) < 0 || (err = aims_review_overdue(&overdue, x->store, system)) < 0 ||
	    (err = aims_nc_list(&ncs, x->store, NULL, system, NULL)) < 0 || (err = aims_ca_list(&cas, x->store, NULL, NULL, 0)) < 0)
		goto done;
	json_t *items = take(x, json_array()), *orisks = take(x, json_array());
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(gap, "items"), i, it) {
		const char *id = jstr(it, "id"), *status = jstr(it, "status");
		if (!json_is_true(json_object_get(it, "applicable")) || strcmp(status, "covered") == 0)
			continue;
		json_t *p = take(x, json_object());
		set(x, p, "uuid", uuid_of(x, "poam-item/gap/%s", id));
		char t[512];
		snprintf(t, sizeof(t), "Close the %s of %s %s", strcmp(status, "gap") == 0 ? "gap" : "partial coverage",
			 id, jstr(it, "title"));
		set(x, p, "title", line(x, t, id));
		set(x, p, "description", text(x, jstr(it, "to_add"), "Cover this requirement."));
		add_prop(x, p, "label", id, 0);
		add_prop(x, p, "gap-status", status, 1);
		push(x, items, p);
	}
	json_t *r;
	json_array_foreach(risks, i, r) {
		json_t *acc = json_object_get(r, "acceptance");
		if (!json_is_object(acc))
			continue;
		const char *id = jstr(r, "id");
		json_t *rk = take(x, json_object());
		json_t *ru = uuid_of(x, "risk/%s", id);
		set(x, rk, "uuid", json_incref(ru));
		set(x, rk, "title", line(x, jstr(r, "title"), id));
		set(x, rk, "description", text(x, jstr(r, "description"), jstr(r, "title")));
		char stmt[1024];
		snprintf(stmt, sizeof(stmt), "Accepted by %s on %s: %s", jstr(acc, "accepted_by") ? jstr(acc, "accepted_by") :
			 "?", jstr(acc, "accepted_at") ? jstr(acc, "accepted_at") : "?",
			 jstr(acc, "note") ? jstr(acc, "note") : "no note");
		set(x, rk, "statement", text(x, stmt, "-"));
		add_prop(x, rk, "risk-id", id, 1);
		add_prop(x, rk, "ai-system", jstr(r, "system"), 1);
		add_prop(x, rk, "owner", jstr(r, "owner"), 1);
		char score[32];
		snprintf(score, sizeof(score), "%lld", (long long)json_integer_value(json_object_get(r, "effective_score")));
		add_prop(x, rk, "effective-score", score, 1);
		if (jstr(acc, "digest"))
			add_prop(x, rk, "acceptance-digest", jstr(acc, "digest"), 1);
		set(x, rk, "status", take(x, json_string("deviation-approved")));
		push(x, orisks, rk);
		json_t *p = take(x, json_object());
		set(x, p, "uuid", uuid_of(x, "poam-item/risk/%s", id));
		char t[512];
		snprintf(t, sizeof(t), "Accepted risk %s: %s", id, jstr(r, "title"));
		set(x, p, "title", line(x, t, id));
		set(x, p, "description", text(x, stmt, "-"));
		set(x, p, "related-risks", take(x, json_pack("[{s:O}]", "risk-uuid", ru)));
		push(x, items, p);
		json_decref(ru);
	}
	latest = latest_gate_checks(x, gates);
	json_array_foreach(latest, i, r) {
		if (!json_is_true(json_object_get(r, "passed")))
			push(x, items, gate_poam_item(x, r));
	}
	json_array_foreach(json_object_get(overdue, "overdue_reviews"), i, r) {
		push(x, items, review_poam_item(x, r));
	}
	/* nonconformities not closed, oldest first, each followed by its corrective actions not closed */
	json_t *nl = json_object_get(ncs, "nonconformities");
	for (i = json_array_size(nl); i-- > 0;) {
		json_t *nc = json_array_get(nl, i), *ca;
		size_t k;
		if (!jstr(nc, "status") || strcmp(jstr(nc, "status"), "closed") == 0)
			continue;
		push(x, items, nc_poam_item(x, nc));
		json_t *al = json_object_get(cas, "actions");
		for (k = json_array_size(al); k-- > 0;) {
			ca = json_array_get(al, k);
			if (jstr(ca, "status") && strcmp(jstr(ca, "status"), "closed") != 0 &&
			    aims__strcmp0(jstr(ca, "nonconformity"), jstr(nc, "id")) == 0)
				push(x, items, ca_poam_item(x, ca));
		}
	}
	json_t *pm = take(x, json_object());
	set(x, pm, "uuid", uuid_of(x, "poam/%s/%s", system ? system : "*", x->state));
	set(x, pm, "metadata", metadata(x, "Plan of action and milestones: ISO/IEC 42001 gaps, accepted AI risks, "
				      "lifecycle gates not passed, overdue human reviews, nonconformities and corrective "
				      "actions", x->state, NULL, 1));
	if (system) {
		json_t *sid = take(x, json_object());
		set(x, sid, "identifier-type", take(x, json_string(AIMS_OSCAL_NS "/ai-system")));
		set(x, sid, "id", line(x, system, system));
		set(x, pm, "system-id", sid);
	}
	set_array(x, pm, "risks", orisks);
	set(x, pm, "poam-items", items);
	err = finish(out, x, "plan-of-action-and-milestones", pm);
done:
	json_decref(gap);
	json_decref(risks);
	json_decref(gates);
	json_decref(latest);
	json_decref(overdue);
	json_decref(ncs);
	json_decref(cas);
	return err;
}

int aims_oscal_export(json_t **out, aims_store *store, const char *kind, const char *system, const char *framework)
{
	ox x = { store, 0, "", "", NULL, NULL };
	int err;
	*out = NULL;
	if (!kind)
		return aims__err(AIMS_EUSAGE, "oscal export: name the kind of document");
	if (!(x.resources = json_array()) || !(x.res_ids = json_object())) {
		json_decref(x.resources);
		return aims__oom();
	}
	if ((err = read_state(&x)) < 0)
		goto done;
	if (strcmp(kind, "catalog") == 0)
		err = export_catalog(out, &x, framework ? framework : ISO42001);
	else if (strcmp(kind, "profile") == 0)
		err = export_profile(out, &x);
	else if (strcmp(kind, "component-definition") == 0)
		err = export_component(out, &x);
	else if (strcmp(kind, "ssp") == 0)
		err = export_ssp(out, &x, system);
	else if (strcmp(kind, "assessment-results") == 0)
		err = export_ar(out, &x, system);
	else if (strcmp(kind, "poam") == 0)
		err = export_poam(out, &x, system);
	else
		err = aims__err(AIMS_EUSAGE, "oscal export: unknown kind '%s'", kind);
	if (err >= 0 && x.oom) {
		json_decref(*out);
		*out = NULL;
		err = aims__oom();
	}
done:
	json_decref(x.resources);
	json_decref(x.res_ids);
	return err;
}
