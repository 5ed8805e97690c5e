/*
 * Controlled documents (ISO/IEC 42001 7.5): a working copy per document in
 * `documents`, immutable approved versions in `document_versions`. Each
 * write runs in one transaction with its audit entry (aims_ledger_append),
 * so a change and its record commit or roll back together. The canonical
 * content that the version digest covers is described in docs/documents.md.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "aims/auth.h"
#include "aims/catalog.h"
#include "aims/inventory.h"
#include "aims/ledger.h"
#include "core/core.h"
#include "doc_internal.h"
#include "store/store_internal.h"
#include "audit/state.h"

#define ISO27001 "iso27001-2022"
#define ISO42001 "iso42001-2023"

const char *const aims_doc_types[] = {
	"scope", "ai-policy", "risk-criteria", "raci", "concern-reporting", "objectives", "procedure",
	"management-review", NULL
};

static const char *const type_titles[] = {
	"AIMS scope", "AI policy", "AI risk criteria", "Roles and responsibilities (RACI)",
	"Concern-reporting procedure", "AI objectives", "Procedure", "Management review record",
};

const char *aims_doc_status_name(aims_doc_status s)
{
	switch (s) {
	case AIMS_DOC_IN_REVIEW: return "in-review";
	case AIMS_DOC_APPROVED: return "approved";
	case AIMS_DOC_RETIRED: return "retired";
	default: return "draft";
	}
}

static int status_parse(const char *s)
{
	for (int i = 0; i <= AIMS_DOC_RETIRED; i++)
		if (s && strcmp(s, aims_doc_status_name((aims_doc_status)i)) == 0)
			return i;
	return AIMS_DOC_DRAFT;
}

int aims_doc_type_valid(const char *type)
{
	for (size_t i = 0; type && aims_doc_types[i]; i++)
		if (strcmp(type, aims_doc_types[i]) == 0)
			return 1;
	return 0;
}

const char *aims_doc_type_title(const char *type)
{
	for (size_t i = 0; type && aims_doc_types[i]; i++)
		if (strcmp(type, aims_doc_types[i]) == 0)
			return type_titles[i];
	return type ? type : "";
}

int aims_doc_type_four_eyes(const char *type)
{
	/* free-form procedures are approved by their owner's line; everything
	 * top management answers for in ISO 42001 5.x/6.x needs a second person */
	return aims_doc_type_valid(type) && strcmp(type, "procedure") != 0;
}

void aims_doc_free(aims_doc *d)
{
	if (!d)
		return;
	aims__free(d->id);
	aims__free(d->type);
	aims__free(d->title);
	aims__free(d->owner);
	aims__free(d->author);
	aims__free(d->approver);
	aims__free(d->approved_at);
	aims__free(d->next_review);
	aims__free(d->body);
	aims__free(d->digest);
	aims__free(d->created_at);
	aims__free(d->updated_at);
	aims_doc_names_free(d->links, d->nlinks);
	aims__free(d);
}

void aims_doc_list_free(aims_doc_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		aims_doc_free(list->items[i]);
	aims__free(list->items);
	aims__free(list);
}

static int list_push(aims_doc_list *l, aims_doc *d)
{
	aims_doc **items = aims__realloc(l->items, (l->count + 1) * sizeof(aims_doc *));
	if (!items)
		return aims__oom();
	l->items = items;
	l->items[l->count++] = d;
	return 0;
}

int aims__doc_split_lines(char ***out, size_t *count, const char *text)
{
	char **v = NULL;
	size_t n = 0;
	*out = NULL;
	*count = 0;
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t l = nl ? (size_t)(nl - text) : strlen(text);
		if (l) {
			char **nv = aims__realloc(v, (n + 1) * sizeof(*nv));
			if (!nv || !(nv[n] = aims__strndup(text, l))) {
				if (nv)
					v = nv;
				aims_doc_names_free(v, n);
				return aims__oom();
			}
			v = nv;
			n++;
		}
		text += l + (nl ? 1 : 0);
	}
	*out = v;
	*count = n;
	return 0;
}

/* ---- dates (YYYY-MM-DD) ---- */

static void today(char out[11])
{
	char now[32];
	aims__time_now(now);
	memcpy(out, now, 10);
	out[10] = '\0';
}

/* date + months, the day clamped to the month's length (Jan 31 + 1 = Feb 28/29) */
static void add_months(char out[11], const char *date, int months)
{
	int y, m, d;
	if (aims__date_parse(&y, &m, &d, date) < 0) {
		out[0] = '\0';
		return;
	}
	int t = (m - 1) + months;
	y += t / 12;
	m = t % 12 + 1;
	if (d > aims__days_in_month(y, m))
		d = aims__days_in_month(y, m);
	char tmp[48];
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", (y % 10000 + 10000) % 10000, (m % 100 + 100) % 100,
		 (d % 100 + 100) % 100);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

/* ---- links ---- */

/* "5.2" and "A.2.2" name 42001 requirements; "iso27001-2022:A.5.1" (or
 * "27001:A.5.1") the 27001 ones; "iso42001-2023:ID" and "42001:ID" too */
static int canonical_link(char **out, const char *link, const aims_catalog *c42, const aims_catalog *c27)
{
	const char *fw = ISO42001, *id = link;
	const aims_catalog *cat = c42;
	const char *colon = strchr(link, ':');
	*out = NULL;
	if (colon) {
		size_t n = (size_t)(colon - link);
		id = colon + 1;
		if ((n == 13 && strncmp(link, ISO27001, n) == 0) || (n == 5 && strncmp(link, "27001", n) == 0)) {
			fw = ISO27001;
			cat = c27;
		} else if (!((n == 13 && strncmp(link, ISO42001, n) == 0) || (n == 5 && strncmp(link, "42001", n) == 0))) {
			return aims__err(AIMS_EINVALID, "link '%s': unknown framework (use iso42001-2023:ID or "
					 "iso27001-2022:ID)", link);
		}
	}
	const aims_requirement *r = aims_catalog_find(cat, id);
	if (!r || strcmp(r->kind, "group") == 0)
		return aims__err(AIMS_EINVALID, "link '%s': not a requirement of %s", link, fw);
	size_t len = strlen(fw) + strlen(id) + 2;
	if (!(*out = aims__malloc(len)))
		return aims__oom();
	snprintf(*out, len, "%s:%s", fw, id);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* join sorted unique links with '\n' */
static int join_links(char **out, char **links, size_t n)
{
	aims_buf b = AIMS_BUF_INIT;
	int err = 0;
	if (n > 1)
		qsort(links, n, sizeof(*links), cmp_str);
	for (size_t i = 0; i < n && err == 0; i++) {
		if (i && strcmp(links[i], links[i - 1]) == 0)
			continue;
		err = aims_buf_printf(&b, "%s\n", links[i]);
	}
	if (err < 0) {
		aims_buf_release(&b);
		return err;
	}
	if (!(*out = aims_buf_detach(&b, NULL)))
		return aims__oom();
	return 0;
}

/* ---- canonical content and digest ---- */

static int content_digest(char out[72], const char *id, const char *type, const char *title,
			  const char *owner, int version, int review_months, const char *links, const char *body)
{
	aims_buf b = AIMS_BUF_INIT;
	int err;
	if ((err = aims_buf_printf(&b, "aims-document v1\nid: %s\ntype: %s\ntitle: %s\nowner: %s\nversion: %d\n"
				   "review-months: %d\nlinks:\n%s\n%s", id, type, title, owner, version,
				   review_months, links, body)) == 0)
		err = aims_ledger_digest(out, b.ptr, b.len);
	aims_buf_release(&b);
	return err;
}

static int check_line(const char *what, const char *v)
{
	if (!v || !*v)
		return aims__err(AIMS_EINVALID, "%s: must not be empty", what);
	if (strpbrk(v, "\r\n"))
		return aims__err(AIMS_EINVALID, "%s: must be one line", what);
	if (strlen(v) > 200)
		return aims__err(AIMS_EINVALID, "%s: longer than 200 characters", what);
	return 0;
}

/* ---- reading ---- */

#define DOC_COLS "id, type, title, owner, author, status, review_months, links, body, version, created_at, updated_at"
#define VER_COLS "doc, type, title, owner, author, review_months, links, body, version, recorded_at, " \
		 "approver, approved_at, next_review, digest"

static int doc_from_row(aims_doc **out, aims__stmt *st, int is_version)
{
	aims_doc *d = aims__calloc(1, sizeof(*d));
	char *links = NULL;
	int err;
	*out = NULL;
	if (!d)
		return aims__oom();
	d->is_working = !is_version;
	if (!is_version) {
		if ((err = aims__stmt_text_dup(&d->id, st, 0)) < 0 || (err = aims__stmt_text_dup(&d->type, st, 1)) < 0 ||
		    (err = aims__stmt_text_dup(&d->title, st, 2)) < 0 || (err = aims__stmt_text_dup(&d->owner, st, 3)) < 0 ||
		    (err = aims__stmt_text_dup(&d->author, st, 4)) < 0 || (err = aims__stmt_text_dup(&links, st, 7)) < 0 ||
		    (err = aims__stmt_text_dup(&d->body, st, 8)) < 0 || (err = aims__stmt_text_dup(&d->created_at, st, 10)) < 0 ||
		    (err = aims__stmt_text_dup(&d->updated_at, st, 11)) < 0)
			goto fail;
		d->status = (aims_doc_status)status_parse(aims__stmt_text(st, 5));
		d->review_months = (int)aims__stmt_int64(st, 6);
		d->latest_approved = (int)aims__stmt_int64(st, 9);
		d->version = d->status == AIMS_DOC_DRAFT || d->status == AIMS_DOC_IN_REVIEW
			? d->latest_approved + 1 : d->latest_approved;
	} else {
		if ((err = aims__stmt_text_dup(&d->id, st, 0)) < 0 || (err = aims__stmt_text_dup(&d->type, st, 1)) < 0 ||
		    (err = aims__stmt_text_dup(&d->title, st, 2)) < 0 || (err = aims__stmt_text_dup(&d->owner, st, 3)) < 0 ||
		    (err = aims__stmt_text_dup(&d->author, st, 4)) < 0 || (err = aims__stmt_text_dup(&links, st, 6)) < 0 ||
		    (err = aims__stmt_text_dup(&d->body, st, 7)) < 0 || (err = aims__stmt_text_dup(&d->created_at, st, 9)) < 0 ||
		    (err = aims__stmt_text_dup(&d->updated_at, st, 9)) < 0 || (err = aims__stmt_text_dup(&d->approver, st, 10)) < 0 ||
		    (err = aims__stmt_text_dup(&d->approved_at, st, 11)) < 0 || (err = aims__stmt_text_dup(&d->next_review, st, 12)) < 0 ||
		    (err = aims__stmt_text_dup(&d->digest, st, 13)) < 0)
			goto fail;
		d->status = AIMS_DOC_APPROVED;
		d->review_months = (int)aims__stmt_int64(st, 5);
		d->version = (int)aims__stmt_int64(st, 8);
		d->latest_approved = d->version;
	}
	if ((err = aims__doc_split_lines(&d->links, &d->nlinks, links)) < 0)
		goto fail;
	if (!is_version) {
		char dg[72];
		if ((err = content_digest(dg, d->id, d->type, d->title, d->owner, d->version, d->review_months,
					  links ? links : "", d->body ? d->body : "")) < 0)
			goto fail;
		if (!(d->digest = aims__strdup(dg))) {
			err = aims__oom();
			goto fail;
		}
	}
	aims__free(links);
	*out = d;
	return 0;
fail:
	aims__free(links);
	aims_doc_free(d);
	return err;
}

/*
 * State against the ledger: a working copy's audit entries name the digest of
 * its content; an approved version's content digest is named by the entry
 * that approved it.
 */
int aims__document_state(aims_store *s, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	aims_doc *d = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT " DOC_COLS " FROM documents ORDER BY id")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = doc_from_row(&d, st, 0)) < 0 || (err = emit(arg, "document", d->id, d->digest, AIMS__STATE_LATEST)) < 0)
			goto done;
		aims_doc_free(d);
		d = NULL;
	}
	if (err < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, s, "SELECT " VER_COLS " FROM document_versions ORDER BY doc, version")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *links = aims__stmt_text(st, 6), *body = aims__stmt_text(st, 7);
		if ((err = content_digest(dg, aims__stmt_text(st, 0), aims__stmt_text(st, 1), aims__stmt_text(st, 2),
					  aims__stmt_text(st, 3), (int)aims__stmt_int64(st, 8), (int)aims__stmt_int64(st, 5),
					  links ? links : "", body ? body : "")) < 0 ||
		    (err = emit(arg, "document", aims__stmt_text(st, 0), dg, AIMS__STATE_RECORDED)) < 0)
			goto done;
		/* the digest stored with the version, which reports show, must be recorded too */
		const char *stored = aims__stmt_text(st, 13);
		if (stored && strcmp(stored, dg) != 0 &&
		    (err = emit(arg, "document", aims__stmt_text(st, 0), stored, AIMS__STATE_RECORDED)) < 0)
			goto done;
	}
done:
	aims_doc_free(d);
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

/* the approval facts of the latest approved version, for a working copy */
static int add_latest_approval(aims_doc *d, aims_store *store)
{
	aims__stmt *st = NULL;
	int err;
	if (d->latest_approved == 0)
		return 0;
	if ((err = aims__stmt_prepare(&st, store, "SELECT approver, approved_at, next_review FROM document_versions "
				      "WHERE doc = ? AND version = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, d->id)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 2, d->latest_approved)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1 && ((err = aims__stmt_text_dup(&d->approver, st, 0)) < 0 || (err = aims__stmt_text_dup(&d->approved_at, st, 1)) < 0 ||
			 (err = aims__stmt_text_dup(&d->next_review, st, 2)) < 0))
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

int aims_doc_read(aims_doc **out, aims_store *store, const char *id, int version)
{
	aims__stmt *st = NULL;
	aims_doc *d = NULL;
	int err;

	*out = NULL;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " DOC_COLS " FROM documents WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no document '%s' (see 'aims doc list')", id);
		goto done;
	}
	if ((err = doc_from_row(&d, st, 0)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if (version == 0) {
		if ((err = add_latest_approval(d, store)) < 0)
			goto done;
		*out = d;
		d = NULL;
		goto done;
	}
	aims_doc_status status = d->status;
	int draft = d->version;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " VER_COLS " FROM document_versions "
				      "WHERE doc = ? AND version = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_int64(st, 2, version)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "%s has no approved version %d%s", id, version,
				(status == AIMS_DOC_DRAFT || status == AIMS_DOC_IN_REVIEW) && version == draft
				? " (that is the working draft: read it without --version)" : "");
		goto done;
	}
	aims_doc_free(d);
	d = NULL;
	if ((err = doc_from_row(out, st, 1)) < 0)
		goto done;
	(*out)->status = status == AIMS_DOC_RETIRED ? AIMS_DOC_RETIRED : AIMS_DOC_APPROVED;
	err = 0;
done:
	aims__stmt_free(st);
	aims_doc_free(d);
	return err;
}

int aims_doc_list_read(aims_doc_list **out, aims_store *store)
{
	aims__stmt *st = NULL;
	aims_doc_list *l = NULL;
	int err;

	*out = NULL;
	if (!(l = aims__calloc(1, sizeof(*l))))
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, "SELECT " DOC_COLS " FROM documents ORDER BY id")) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		aims_doc *d = NULL;
		if ((err = doc_from_row(&d, st, 0)) < 0)
			goto fail;
		if ((err = list_push(l, d)) < 0) {
			aims_doc_free(d);
			goto fail;
		}
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	st = NULL;
	for (size_t i = 0; i < l->count; i++)
		if ((err = add_latest_approval(l->items[i], store)) < 0)
			goto fail;
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_doc_list_free(l);
	return err;
}

int aims_doc_versions(aims_doc_list **out, aims_store *store, const char *id)
{
	aims__stmt *st = NULL;
	aims_doc_list *l = NULL;
	aims_doc *cur = NULL;
	int err;

	*out = NULL;
	if ((err = aims_doc_read(&cur, store, id, 0)) < 0)
		return err;
	if (!(l = aims__calloc(1, sizeof(*l)))) {
		err = aims__oom();
		goto fail;
	}
	if ((err = aims__stmt_prepare(&st, store, "SELECT " VER_COLS " FROM document_versions WHERE doc = ? "
				      "ORDER BY version")) < 0 || (err = aims__stmt_bind_text(st, 1, id)) < 0)
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		aims_doc *d = NULL;
		if ((err = doc_from_row(&d, st, 1)) < 0)
			goto fail;
		if (cur->status == AIMS_DOC_RETIRED)
			d->status = AIMS_DOC_RETIRED;
		if ((err = list_push(l, d)) < 0) {
			aims_doc_free(d);
			goto fail;
		}
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	aims_doc_free(cur);
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_doc_free(cur);
	aims_doc_list_free(l);
	return err;
}

int aims_doc_due(aims_doc_list **out, aims_store *store, const char *day)
{
	aims_doc_list *all = NULL, *l = NULL;
	char t[11];
	int y, m, d, err;

	*out = NULL;
	if (day) {
		if (aims__date_parse(&y, &m, &d, day) < 0)
			return aims__err(AIMS_EINVALID, "'%s': expected a date YYYY-MM-DD or an RFC 3339 time", day);
		memcpy(t, day, 10);
		t[10] = '\0';
	} else {
		today(t);
	}
	if ((err = aims_doc_list_read(&all, store)) < 0)
		return err;
	if (!(l = aims__calloc(1, sizeof(*l)))) {
		aims_doc_list_free(all);
		return aims__oom();
	}
	for (size_t i = 0; i < all->count; i++) {
		aims_doc *doc = all->items[i];
		if (doc->status == AIMS_DOC_RETIRED || !doc->next_review || strcmp(doc->next_review, t) >= 0)
			continue;
		if ((err = list_push(l, doc)) < 0)
			goto fail;
		all->items[i] = NULL;
	}
	aims_doc_list_free(all);
	*out = l;
	return 0;
fail:
	aims_doc_list_free(all);
	aims_doc_list_free(l);
	return err;
}

/* ---- the inventory hook ---- */

int aims_doc_inventory_systems(char ***names, size_t *count, aims_store *store)
{
	/* the AI systems of the inventory that are not retired, in the order they
	 * were added (docs/documents.md, "Scope from the data") */
	aims_systems *l = NULL;
	char **v = NULL;
	size_t n = 0;
	int err;
	*names = NULL;
	*count = 0;
	if ((err = aims_system_list(&l, store)) < 0)
		return err;
	if (l->count && !(v = aims__calloc(l->count, sizeof(*v)))) {
		aims_systems_free(l);
		return aims__oom();
	}
	for (size_t i = 0; i < l->count; i++) {
		if (strcmp(l->items[i]->status, "retired") == 0)
			continue;
		if (!(v[n] = aims__strdup(l->items[i]->name))) {
			aims_doc_names_free(v, n);
			aims_systems_free(l);
			return aims__oom();
		}
		n++;
	}
	aims_systems_free(l);
	if (n == 0) {
		aims__free(v);
		v = NULL;
	}
	*names = v;
	*count = n;
	return 0;
}

int aims_doc_scope_uncovered(char ***names, size_t *count, aims_store *store)
{
	char **sys = NULL, **out = NULL;
	size_t nsys = 0, n = 0;
	aims_doc_list *docs = NULL;
	int err;

	*names = NULL;
	*count = 0;
	if ((err = aims_doc_inventory_systems(&sys, &nsys, store)) < 0)
		return err;
	if (nsys == 0)
		return 0;
	if ((err = aims_doc_list_read(&docs, store)) < 0)
		goto done;
	if (!(out = aims__calloc(nsys, sizeof(*out)))) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < nsys; i++) {
		int covered = 0;
		size_t sl = strlen(sys[i]);
		for (size_t k = 0; k < docs->count && !covered; k++) {
			const aims_doc *d = docs->items[k];
			if (strcmp(d->type, "scope") != 0 || d->status == AIMS_DOC_RETIRED || !d->latest_approved)
				continue;
			for (const char *p = d->body; p && *p && !covered; p++)
				covered = strncasecmp(p, sys[i], sl) == 0;
		}
		if (!covered) {
			out[n++] = sys[i];
			sys[i] = NULL;
		}
	}
	*names = out;
	*count = n;
	out = NULL;
	err = 0;
done:
	aims_doc_names_free(out, 0);
	aims_doc_names_free(sys, nsys);
	aims_doc_list_free(docs);
	return err;
}

/* ---- templates ---- */

static int find_template(const char **text, size_t *len, const char *name)
{
	for (size_t i = 0; i < aims_doc_template_count(); i++) {
		const char *n;
		if (aims_doc_template_at(i, &n, text, len) == 0 && strcmp(n, name) == 0)
			return 0;
	}
	return AIMS_ENOTFOUND;
}

static int fill_template(aims_buf *out, const char *body, aims_store *store, const char *title,
			 const char *owner, int review_months)
{
	char *org = NULL, **sys = NULL;
	size_t nsys = 0;
	int err;
	if ((err = aims_store_setting_get(&org, store, "org.name")) < 0 ||
	    (err = aims_doc_inventory_systems(&sys, &nsys, store)) < 0)
		goto done;
	for (const char *p = body; *p && err == 0;) {
		if (strncmp(p, "{{org}}", 7) == 0) {
			err = aims_buf_puts(out, org ? org : "the organization");
			p += 7;
		} else if (strncmp(p, "{{owner}}", 9) == 0) {
			err = aims_buf_puts(out, owner);
			p += 9;
		} else if (strncmp(p, "{{title}}", 9) == 0) {
			err = aims_buf_puts(out, title);
			p += 9;
		} else if (strncmp(p, "{{review_months}}", 17) == 0) {
			err = aims_buf_printf(out, "%d", review_months);
			p += 17;
		} else if (strncmp(p, "{{systems}}", 11) == 0) {
			if (nsys == 0)
				err = aims_buf_puts(out, "- No AI systems recorded yet: add them to the inventory and "
						    "list them here.");
			for (size_t i = 0; i < nsys && err == 0; i++)
				err = aims_buf_printf(out, "%s- %s", i ? "\n" : "", sys[i]);
			p += 11;
		} else {
			err = aims_buf_putc(out, *p++);
		}
	}
done:
	aims__free(org);
	aims_doc_names_free(sys, nsys);
	return err;
}

/* ---- writing ---- */

static int valid_slug(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > 64)
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      (*p >= 'A' && *p <= 'Z')))
			return 0;
	return 1;
}

static int read_catalogs(aims_catalog **c42, aims_catalog **c27, aims_store *store)
{
	int err;
	*c42 = *c27 = NULL;
	if ((err = aims_catalog_read(c42, store, ISO42001)) < 0 || (err = aims_catalog_read(c27, store, ISO27001)) < 0) {
		if (err == AIMS_ENOTFOUND)
			aims__err_prefix("documents link to the catalogs (run 'aims init')");
		aims_catalog_free(*c42);
		*c42 = NULL;
		return err;
	}
	return 0;
}

static int check_body(const char *body)
{
	size_t n = strlen(body), ok = aims__utf8_valid(body, n);
	if (n > (size_t)4 << 20)
		return aims__err(AIMS_EINVALID, "body: larger than 4 MiB");
	if (ok != n) {
		size_t line = 1;
		for (size_t i = 0; i < ok; i++)
			line += body[i] == '\n';
		return aims__err(AIMS_EINVALID, "body: line %zu: not valid UTF-8 (byte %zu)", line, ok + 1);
	}
	return 0;
}

int aims_doc_create(char **id_out, aims_store *store, const aims_doc_new_opts *o)
{
	aims_doc_front_matter fm;
	aims_catalog *c42 = NULL, *c27 = NULL;
	aims__stmt *st = NULL;
	aims_buf body = AIMS_BUF_INIT;
	char **links = NULL, *joined = NULL, idbuf[80], now[32], dg[72];
	size_t nlinks = 0;
	const char *tpl = NULL, *type, *title, *id;
	size_t tpl_len = 0;
	int err, review, began = 0;

	memset(&fm, 0, sizeof(fm));
	if (id_out)
		*id_out = NULL;
	if (!o || o->version != AIMS_DOC_NEW_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_doc_new_opts version not supported");
	if (o->template_name) {
		if (find_template(&tpl, &tpl_len, o->template_name) < 0)
			return aims__err(AIMS_ENOTFOUND, "no template '%s' (templates: scope, ai-policy, "
					 "risk-criteria, raci, concern-reporting, objectives, procedure)", o->template_name);
	} else if (o->type && !o->body) {
		(void)find_template(&tpl, &tpl_len, o->type);
	}
	if (tpl && (err = aims_doc_front_matter_parse(&fm, tpl, tpl_len, "template")) < 0)
		return err;
	type = o->type ? o->type : fm.type;
	if (!type) {
		err = aims__err(AIMS_EINVALID, "type: missing (one of scope, ai-policy, risk-criteria, raci, "
				"concern-reporting, objectives, procedure, management-review)");
		goto done;
	}
	if (!aims_doc_type_valid(type)) {
		err = aims__err(AIMS_EINVALID, "type '%s': not a document type (scope, ai-policy, risk-criteria, "
				"raci, concern-reporting, objectives, procedure, management-review)", type);
		goto done;
	}
	if (o->template_name && fm.type && strcmp(fm.type, type) != 0) {
		err = aims__err(AIMS_EINVALID, "template '%s' is for type '%s', not '%s'", o->template_name,
				fm.type, type);
		goto done;
	}
	title = o->title ? o->title : fm.title ? fm.title : aims_doc_type_title(type);
	review = o->review_months ? o->review_months : fm.review_months ? fm.review_months : 12;
	if ((err = check_line("title", title)) < 0 || (err = check_line("owner", o->owner)) < 0)
		goto done;
	if (review < 1 || review > 120) {
		err = aims__err(AIMS_EINVALID, "review interval: %d months is not between 1 and 120", review);
		goto done;
	}
	if (o->id && !valid_slug(o->id)) {
		err = aims__err(AIMS_EINVALID, "id '%s': use letters, digits and '-' (at most 64)", o->id);
		goto done;
	}
	if ((err = read_catalogs(&c42, &c27, store)) < 0)
		goto done;
	if (fm.nlinks && !(links = aims__calloc(fm.nlinks, sizeof(*links)))) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < fm.nlinks; i++, nlinks++)
		if ((err = canonical_link(&links[i], fm.links[i], c42, c27)) < 0)
			goto done;
	if ((err = join_links(&joined, links, nlinks)) < 0)
		goto done;
	if (o->body) {
		if ((err = check_body(o->body)) < 0 || (err = aims_buf_puts(&body, o->body)) < 0)
			goto done;
	} else if (tpl) {
		if ((err = fill_template(&body, tpl + fm.body_offset, store, title, o->owner, review)) < 0)
			goto done;
	}
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	int64_t seq = 1;
	if ((err = aims__stmt_prepare(&st, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM documents")) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	seq = aims__stmt_int64(st, 0);
	aims__stmt_free(st);
	st = NULL;
	if (o->id) {
		id = o->id;
	} else {
		snprintf(idbuf, sizeof(idbuf), "DOC-%03lld", (long long)seq);
		id = idbuf;
	}
	if ((err = aims__stmt_prepare(&st, store, "SELECT 1 FROM documents WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 1) {
		err = aims__err(AIMS_ECONFLICT, "a document '%s' exists already", id);
		goto done;
	}
	aims__stmt_free(st);
	st = NULL;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO documents (" DOC_COLS ", seq) VALUES "
				      "(?, ?, ?, ?, ?, 'draft', ?, ?, ?, 0, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_text(st, 2, type)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, title)) < 0 || (err = aims__stmt_bind_text(st, 4, o->owner)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_int64(st, 6, review)) < 0 || (err = aims__stmt_bind_text(st, 7, joined)) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, body.ptr)) < 0 || (err = aims__stmt_bind_text(st, 9, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 10, now)) < 0 || (err = aims__stmt_bind_int64(st, 11, seq)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	if ((err = content_digest(dg, id, type, title, o->owner, 1, review, joined, body.ptr)) < 0 ||
	    (err = aims_ledger_append(store, "create", "document", id, dg, NULL)) < 0)
		goto done;
	/* the copy for the caller first: a failure after the commit would report an error for a done write */
	if (id_out && !(*id_out = aims__strdup(id))) {
		err = aims__oom();
		goto done;
	}
	if ((err = aims_store_commit(store)) < 0) {
		if (id_out) {
			aims__free(*id_out);
			*id_out = NULL;
		}
		goto done;
	}
	began = 0;
done:
	aims__stmt_free(st);
	if (began)
		aims_store_rollback(store);
	aims_doc_names_free(links, nlinks);
	aims__free(joined);
	aims_buf_release(&body);
	aims_doc_front_matter_release(&fm);
	aims_catalog_free(c42);
	aims_catalog_free(c27);
	return err;
}

static int refuse_retired(const aims_doc *d, const char *what)
{
	if (d->status == AIMS_DOC_RETIRED)
		return aims__err(AIMS_ECONFLICT, "%s is retired: a retired document cannot be %s", d->id, what);
	return 0;
}

/* write the working copy back, with its audit entry */
static int save_working(aims_store *store, const aims_doc *d, const char *links, const char *action,
			const char *prev_digest)
{
	aims__stmt *st = NULL;
	char now[32], dg[72];
	int err;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "UPDATE documents SET title = ?, owner = ?, author = ?, status = ?, "
				      "review_months = ?, links = ?, body = ?, updated_at = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, d->title)) < 0 || (err = aims__stmt_bind_text(st, 2, d->owner)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, d->author)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, aims_doc_status_name(d->status))) < 0 ||
	    (err = aims__stmt_bind_int64(st, 5, d->review_months)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, links)) < 0 || (err = aims__stmt_bind_text(st, 7, d->body)) < 0 ||
	    (err = aims__stmt_bind_text(st, 8, now)) < 0 || (err = aims__stmt_bind_text(st, 9, d->id)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	int version = d->status == AIMS_DOC_DRAFT || d->status == AIMS_DOC_IN_REVIEW ? d->latest_approved + 1
										       : d->latest_approved;
	if ((err = content_digest(dg, d->id, d->type, d->title, d->owner, version, d->review_months, links,
				  d->body)) < 0 ||
	    (err = aims_ledger_append(store, action, "document", d->id, dg, prev_digest)) < 0)
		goto done;
	err = 0;
done:
	aims__stmt_free(st);
	return err;
}

static int replace(char **field, const char *v)
{
	char *c = aims__strdup(v);
	if (!c)
		return aims__oom();
	aims__free(*field);
	*field = c;
	return 0;
}

int aims_doc_edit(aims_store *store, const char *id, const aims_doc_edit_opts *o)
{
	aims_doc *d = NULL;
	aims_catalog *c42 = NULL, *c27 = NULL;
	char **links = NULL, *joined = NULL, prev[72];
	size_t nlinks = 0;
	int err, began = 0;

	if (!o || o->version != AIMS_DOC_EDIT_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_doc_edit_opts version not supported");
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_doc_read(&d, store, id, 0)) < 0 || (err = refuse_retired(d, "edited")) < 0)
		goto done;
	int draft = d->latest_approved + 1;
	if (o->edit_version && o->edit_version <= d->latest_approved) {
		err = aims__err(AIMS_ECONFLICT, "version %d of %s is approved and cannot be changed in place: edit "
				"without --version to start draft version %d", o->edit_version, id, draft);
		goto done;
	}
	if (o->edit_version && o->edit_version != draft) {
		err = aims__err(AIMS_ENOTFOUND, "%s has no version %d (the next draft is version %d)", id,
				o->edit_version, draft);
		goto done;
	}
	if ((o->title && (err = check_line("title", o->title)) < 0) ||
	    (o->owner && (err = check_line("owner", o->owner)) < 0) ||
	    (o->body && (err = check_body(o->body)) < 0))
		goto done;
	if (o->review_months && (o->review_months < 1 || o->review_months > 120)) {
		err = aims__err(AIMS_EINVALID, "review interval: %d months is not between 1 and 120", o->review_months);
		goto done;
	}
	snprintf(prev, sizeof(prev), "%s", d->digest);
	/* links: current, minus removed, plus added; all checked against the catalogs */
	if ((err = read_catalogs(&c42, &c27, store)) < 0)
		goto done;
	if (!(links = aims__calloc(d->nlinks + o->nadd + 1, sizeof(*links)))) {
		err = aims__oom();
		goto done;
	}
	for (size_t i = 0; i < d->nlinks; i++) {
		int removed = 0;
		for (size_t k = 0; k < o->nremove && !removed; k++) {
			char *c = NULL;
			if ((err = canonical_link(&c, o->remove_links[k], c42, c27)) < 0)
				goto done;
			removed = strcmp(c, d->links[i]) == 0;
			aims__free(c);
		}
		if (!removed && !(links[nlinks++] = aims__strdup(d->links[i]))) {
			nlinks--;
			err = aims__oom();
			goto done;
		}
	}
	for (size_t k = 0; k < o->nadd; k++, nlinks++)
		if ((err = canonical_link(&links[nlinks], o->add_links[k], c42, c27)) < 0)
			goto done;
	if ((err = join_links(&joined, links, nlinks)) < 0)
		goto done;
	if ((o->title && (err = replace(&d->title, o->title)) < 0) ||
	    (o->owner && (err = replace(&d->owner, o->owner)) < 0) ||
	    (o->body && (err = replace(&d->body, o->body)) < 0) ||
	    (err = replace(&d->author, aims_store_actor(store))) < 0)
		goto done;
	if (o->review_months)
		d->review_months = o->review_months;
	/* an approved document gets a new draft; in review goes back to draft */
	d->status = AIMS_DOC_DRAFT;
	if ((err = save_working(store, d, joined, "update", prev)) < 0 || (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	if (began)
		aims_store_rollback(store);
	aims_doc_names_free(links, nlinks);
	aims__free(joined);
	aims_doc_free(d);
	aims_catalog_free(c42);
	aims_catalog_free(c27);
	return err;
}

/* join a document's links back into the stored form */
static int links_text(char **out, const aims_doc *d)
{
	aims_buf b = AIMS_BUF_INIT;
	int err = 0;
	for (size_t i = 0; i < d->nlinks && err == 0; i++)
		err = aims_buf_printf(&b, "%s\n", d->links[i]);
	if (err < 0) {
		aims_buf_release(&b);
		return err;
	}
	return (*out = aims_buf_detach(&b, NULL)) ? 0 : aims__oom();
}

int aims_doc_submit(aims_store *store, const char *id)
{
	aims_doc *d = NULL;
	char *links = NULL, prev[72];
	int err, began = 0;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_doc_read(&d, store, id, 0)) < 0 || (err = refuse_retired(d, "submitted")) < 0)
		goto done;
	if (d->status != AIMS_DOC_DRAFT) {
		err = aims__err(AIMS_ECONFLICT, "%s is %s: only a draft can be submitted for review", id,
				aims_doc_status_name(d->status));
		goto done;
	}
	snprintf(prev, sizeof(prev), "%s", d->digest);
	d->status = AIMS_DOC_IN_REVIEW;
	if ((err = links_text(&links, d)) < 0 || (err = save_working(store, d, links, "submit", prev)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	if (began)
		aims_store_rollback(store);
	aims__free(links);
	aims_doc_free(d);
	return err;
}

int aims_doc_approve(int *version_out, aims_store *store, const char *id, const char *date)
{
	const aims_principal *who = aims_store_principal(store);
	const char *approver = aims_store_actor(store);
	aims_doc *d = NULL;
	aims__stmt *st = NULL;
	char *links = NULL, day[11], next[11], now[32];
	int err, began = 0, y, m, dd;

	if (version_out)
		*version_out = 0;
	if (who->kind == AIMS_PRINCIPAL_NONE)
		return aims__err(AIMS_EAUTH, "%s: approving a document needs an authenticated principal", id);
	if (date) {
		if (aims__date_parse(&y, &m, &dd, date) < 0 || strlen(date) != 10)
			return aims__err(AIMS_EINVALID, "approval date '%s': expected YYYY-MM-DD", date);
		memcpy(day, date, 11);
	} else {
		today(day);
	}
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_doc_read(&d, store, id, 0)) < 0 || (err = refuse_retired(d, "approved")) < 0)
		goto done;
	if (d->status == AIMS_DOC_APPROVED) {
		err = aims__err(AIMS_ECONFLICT, "%s version %d is approved already and has no draft to approve "
				"(edit it first)", id, d->latest_approved);
		goto done;
	}
	/* ISO 42001 5.1, 5.2: the people who wrote a policy-level document do not approve it alone; the
	 * author is the principal of the last edit, the approver the authenticated principal */
	if (aims_doc_type_four_eyes(d->type) && aims_principal_is(who, d->author)) {
		err = aims__err(AIMS_EPERM, "%s (%s) needs four eyes: its author '%s' may not approve it (acting as "
				"'%s'); another account must", id, aims_doc_type_title(d->type), d->author, approver);
		goto done;
	}
	if (d->approved_at && strcmp(day, d->approved_at) < 0) {
		err = aims__err(AIMS_EINVALID, "approval date %s is before the approval of version %d (%s)", day,
				d->latest_approved, d->approved_at);
		goto done;
	}
	add_months(next, day, d->review_months);
	aims__time_now(now);
	if ((err = links_text(&links, d)) < 0)
		goto done;
	int version = d->latest_approved + 1;
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO document_versions (doc, version, type, title, owner, "
				      "author, approver, approved_at, next_review, review_months, links, body, digest, "
				      "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_int64(st, 2, version)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, d->type)) < 0 || (err = aims__stmt_bind_text(st, 4, d->title)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, d->owner)) < 0 || (err = aims__stmt_bind_text(st, 6, d->author)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, approver)) < 0 || (err = aims__stmt_bind_text(st, 8, day)) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, next)) < 0 || (err = aims__stmt_bind_int64(st, 10, d->review_months)) < 0 ||
	    (err = aims__stmt_bind_text(st, 11, links)) < 0 || (err = aims__stmt_bind_text(st, 12, d->body)) < 0 ||
	    (err = aims__stmt_bind_text(st, 13, d->digest)) < 0 || (err = aims__stmt_bind_text(st, 14, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store, "UPDATE documents SET status = 'approved', version = ?, "
				      "updated_at = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_int64(st, 1, version)) < 0 || (err = aims__stmt_bind_text(st, 2, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	/* the working copy's digest already names version N: approving fixes it */
	if ((err = aims_ledger_append(store, "approve", "document", id, d->digest, d->digest)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
	if (version_out)
		*version_out = version;
done:
	aims__stmt_free(st);
	if (began)
		aims_store_rollback(store);
	aims__free(links);
	aims_doc_free(d);
	return err;
}

int aims_doc_retire(aims_store *store, const char *id)
{
	aims_doc *d = NULL;
	char *links = NULL, prev[72];
	int err, began = 0;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims_doc_read(&d, store, id, 0)) < 0)
		goto done;
	if (d->status == AIMS_DOC_RETIRED) {
		err = aims__err(AIMS_ECONFLICT, "%s is retired already", id);
		goto done;
	}
	snprintf(prev, sizeof(prev), "%s", d->digest);
	d->status = AIMS_DOC_RETIRED;
	if ((err = links_text(&links, d)) < 0 || (err = save_working(store, d, links, "retire", prev)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	if (began)
		aims_store_rollback(store);
	aims__free(links);
	aims_doc_free(d);
	return err;
}

/* ---- diff between versions ---- */

static int diff_text(aims_buf *out, const aims_doc *d)
{
	int err;
	if ((err = aims_buf_printf(out, "Title: %s\nOwner: %s\nReview interval: %d months\nLinks:", d->title,
				   d->owner, d->review_months)) < 0)
		return err;
	for (size_t i = 0; i < d->nlinks; i++)
		if ((err = aims_buf_printf(out, " %s", d->links[i])) < 0)
			return err;
	if ((err = aims_buf_puts(out, "\n\n")) < 0 || (err = aims_buf_puts(out, d->body)) < 0)
		return err;
	if (out->len && out->ptr[out->len - 1] != '\n')
		return aims_buf_putc(out, '\n');
	return 0;
}

int aims_doc_diff(aims_buf *out, aims_store *store, const char *id, int from, int to)
{
	aims_doc *a = NULL, *b = NULL;
	aims_buf ta = AIMS_BUF_INIT, tb = AIMS_BUF_INIT;
	char na[96], nb[96];
	int err;

	if ((err = aims_doc_read(&b, store, id, to < 0 ? 0 : to)) < 0)
		goto done;
	if (from < 0) {
		from = b->is_working ? b->latest_approved : b->version - 1;
		if (b->is_working && (b->status == AIMS_DOC_APPROVED || b->status == AIMS_DOC_RETIRED))
			from = b->latest_approved - 1;
		if (from < 1) {
			err = aims__err(AIMS_ENOTFOUND, "%s has no earlier approved version to compare with", id);
			goto done;
		}
	}
	if ((err = aims_doc_read(&a, store, id, from)) < 0)
		goto done;
	snprintf(na, sizeof(na), "%s version %d%s", id, a->version, a->is_working ? " (working copy)" : "");
	snprintf(nb, sizeof(nb), "%s version %d%s", id, b->version,
		 b->is_working && b->status != AIMS_DOC_APPROVED ? " (working copy)" : "");
	if ((err = diff_text(&ta, a)) < 0 || (err = diff_text(&tb, b)) < 0)
		goto done;
	err = aims_doc_diff_text(out, na, ta.ptr, nb, tb.ptr);
done:
	aims_buf_release(&ta);
	aims_buf_release(&tb);
	aims_doc_free(a);
	aims_doc_free(b);
	return err;
}
