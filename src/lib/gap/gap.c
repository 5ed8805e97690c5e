/*
 * Gap analysis, ISO/IEC 27001 -> ISO/IEC 42001 (see docs/gap-analysis.md for
 * the rule and a worked example). The analysis keeps the catalogs, the
 * crosswalk and the ISMS state it read, and every string in its result is
 * borrowed from them.
 *
 * The rule, per 42001 requirement R and crosswalk row S -> R:
 *   - S implemented and the row is full support (equal-to, equivalent-to,
 *     superset-of): the row covers R;
 *   - S implemented with partial support (subset-of, intersects-with), or S
 *     partially implemented with any support: the row partly covers R;
 *   - S planned, not implemented, excluded or absent, or a no-relationship
 *     row: the row contributes nothing.
 * R is covered when some row covers it, partial when some row partly covers
 * it, and a gap otherwise.
 *
 * The AIMS's own controlled documents count too (not 27001 support, so
 * they never appear in supported_by): an approved, not retired AI policy
 * is evidence for 5.2 and A.2.2, an approved scope for 4.3; each adds
 * "doc:ID@vN" to the item's reusable evidence and raises a gap to partial.
 */
#include <stdio.h>
#include <string.h>

#include "aims/catalog.h"
#include "aims/crosswalk.h"
#include "aims/gap.h"
#include "core/core.h"
#include "store/store_internal.h"

#define ISO27001 "iso27001-2022"
#define ISO42001 "iso42001-2023"

struct aims_gap {
	aims_catalog *src, *dst;
	aims_crosswalk *cw;
	aims_isms *isms;
	aims_gap_item *items;
	size_t count;
	aims_gap_support *supports;   /* all items' rows, items point into it */
	const char **evidence;        /* all items' evidence, items point into it */
	char **docs;                  /* "doc:ID@vN" of approved AI policies and scopes */
	char **doc_types;             /* their types */
	size_t ndocs;
	aims_gap_group groups[32];
	size_t ngroups;
	aims_gap_summary summary;
};

const char *aims_gap_status_name(aims_gap_status s)
{
	switch (s) {
	case AIMS_GAP_COVERED: return "covered";
	case AIMS_GAP_PARTIAL: return "partial";
	default: return "gap";
	}
}

void aims_gap_free(aims_gap *g)
{
	if (!g)
		return;
	aims_catalog_free(g->src);
	aims_catalog_free(g->dst);
	aims_crosswalk_free(g->cw);
	aims_isms_free(g->isms);
	aims__free(g->items);
	aims__free(g->supports);
	aims__free(g->evidence);
	for (size_t i = 0; i < g->ndocs; i++) {
		aims__free(g->docs[i]);
		aims__free(g->doc_types[i]);
	}
	aims__free(g->docs);
	aims__free(g->doc_types);
	aims__free(g);
}

static int has_children(const aims_catalog *cat, const char *id)
{
	for (size_t i = 0; i < aims_catalog_count(cat); i++) {
		const char *p = aims_catalog_at(cat, i)->parent;
		if (p && strcmp(p, id) == 0)
			return 1;
	}
	return 0;
}

/* the requirements the analysis assesses: clauses without children, and controls */
static int assessed(const aims_catalog *cat, const aims_requirement *r)
{
	if (strcmp(r->kind, "control") == 0)
		return 1;
	return strcmp(r->kind, "clause") == 0 && !has_children(cat, r->id);
}

static aims_gap_status contribution(int support, const aims_isms_control *row)
{
	if (!row || !row->applicable || support <= AIMS_SUPPORT_NONE)
		return AIMS_GAP_GAP;
	if (row->status == AIMS_STATUS_IMPLEMENTED)
		return support == AIMS_SUPPORT_FULL ? AIMS_GAP_COVERED : AIMS_GAP_PARTIAL;
	if (row->status == AIMS_STATUS_PARTIAL)
		return AIMS_GAP_PARTIAL;
	return AIMS_GAP_GAP;
}

static aims_gap_group *group_for(aims_gap *g, const char *group, const char *title)
{
	for (size_t i = 0; i < g->ngroups; i++)
		if (strcmp(g->groups[i].group, group) == 0)
			return &g->groups[i];
	if (g->ngroups == sizeof(g->groups) / sizeof(g->groups[0]))
		return NULL;
	aims_gap_group *gr = &g->groups[g->ngroups++];
	memset(gr, 0, sizeof(*gr));
	gr->group = group;
	gr->title = title;
	return gr;
}

/* which Annex A controls the 42001 SoA excludes */
static int soa_excluded(aims_store *store, const char *control, int *excluded)
{
	aims__stmt *st = NULL;
	int err;
	*excluded = 0;
	if ((err = aims__stmt_prepare(&st, store, "SELECT applicable FROM soa_controls WHERE control = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, control)) < 0 ||
	    (err = aims__stmt_step(st)) < 0) {
		aims__stmt_free(st);
		return err;
	}
	if (err == 1)
		*excluded = aims__stmt_int64(st, 0) == 0;
	aims__stmt_free(st);
	return 0;
}

/* approved, not retired AI policies and scopes: evidence from the AIMS's own documents */
static int read_documents(aims_gap *g, aims_store *store)
{
	aims__stmt *st = NULL;
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, type, version FROM documents WHERE version > 0 "
				      "AND status <> 'retired' AND type IN ('ai-policy', 'scope') ORDER BY id")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		char ref[160];
		char **d = aims__realloc(g->docs, (g->ndocs + 1) * sizeof(*d));
		if (d)
			g->docs = d;
		char **t = d ? aims__realloc(g->doc_types, (g->ndocs + 1) * sizeof(*t)) : NULL;
		if (t)
			g->doc_types = t;
		if (!d || !t) {
			err = aims__oom();
			break;
		}
		snprintf(ref, sizeof(ref), "doc:%s@v%lld", aims__stmt_text(st, 0), (long long)aims__stmt_int64(st, 2));
		g->docs[g->ndocs] = aims__strdup(ref);
		g->doc_types[g->ndocs] = aims__strdup(aims__stmt_text(st, 1));
		g->ndocs++;
		if (!g->docs[g->ndocs - 1] || !g->doc_types[g->ndocs - 1]) {
			err = aims__oom();
			break;
		}
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

/* the document type that is evidence for a 42001 requirement, or NULL */
static const char *doc_type_for(const char *req)
{
	if (strcmp(req, "5.2") == 0 || strcmp(req, "A.2.2") == 0)
		return "ai-policy";   /* ISO 42001 5.2, A.2.2: an AI policy exists and is approved */
	if (strcmp(req, "4.3") == 0)
		return "scope";       /* ISO 42001 4.3: the scope is documented */
	return NULL;
}

int aims_gap_compute(aims_gap **out, aims_store *store, int64_t isms_version)
{
	aims_gap *g = NULL;
	size_t nrows = 0, nev = 0, si = 0, ei = 0;
	int err;

	*out = NULL;
	if (!(g = aims__calloc(1, sizeof(*g))))
		return aims__oom();
	if ((err = aims_catalog_read(&g->src, store, ISO27001)) < 0 ||
	    (err = aims_catalog_read(&g->dst, store, ISO42001)) < 0) {
		if (err == AIMS_ENOTFOUND)
			aims__err_prefix("gap analysis (run 'aims init' to load the catalogs)");
		goto fail;
	}
	if ((err = aims_crosswalk_read(&g->cw, store, ISO27001, ISO42001)) < 0)
		goto fail;
	if ((err = aims_isms_read(&g->isms, store, isms_version)) < 0) {
		if (err == AIMS_ENOTFOUND && isms_version == 0)
			(void)aims__err(AIMS_ENOTFOUND,
					"no ISMS state imported (run 'aims isms import FILE' with your ISO 27001 SoA)");
		goto fail;
	}

	/* size the arrays: rows and evidence references per assessed requirement */
	for (size_t i = 0; i < aims_catalog_count(g->dst); i++)
		if (assessed(g->dst, aims_catalog_at(g->dst, i)))
			g->count++;
	for (size_t m = 0; m < aims_crosswalk_count(g->cw); m++) {
		const aims_mapping *mp = aims_crosswalk_at(g->cw, m);
		if (!mp->source)
			continue;
		nrows++;
		const aims_isms_control *row = aims_isms_find(g->isms, mp->source);
		if (row)
			nev += row->nevidence;
	}
	if ((err = read_documents(g, store)) < 0)
		goto fail;
	nev += 3 * g->ndocs;   /* each document is evidence for at most 3 requirements */
	if (!(g->items = aims__calloc(g->count ? g->count : 1, sizeof(*g->items))) ||
	    !(g->supports = aims__calloc(nrows ? nrows : 1, sizeof(*g->supports))) ||
	    !(g->evidence = aims__calloc(nev ? nev : 1, sizeof(*g->evidence)))) {
		err = aims__oom();
		goto fail;
	}

	size_t k = 0;
	for (size_t i = 0; i < aims_catalog_count(g->dst); i++) {
		const aims_requirement *r = aims_catalog_at(g->dst, i);
		if (!assessed(g->dst, r))
			continue;
		aims_gap_item *it = &g->items[k++];
		it->id = r->id;
		it->kind = r->kind;
		it->title = r->title;
		it->applicable = 1;
		it->to_add = aims_crosswalk_adds(g->cw, r->id);
		/* group: the Annex A group, or the top-level clause */
		const aims_requirement *top = r;
		while (top->parent) {
			const aims_requirement *p = aims_catalog_find(g->dst, top->parent);
			if (!p)
				break;
			top = p;
		}
		it->group = top->id;
		if (strcmp(r->kind, "control") == 0) {
			int excluded = 0;
			if ((err = soa_excluded(store, r->id, &excluded)) < 0)
				goto fail;
			it->applicable = !excluded;
		}
		it->supported_by = &g->supports[si];
		it->evidence = &g->evidence[ei];
		it->status = AIMS_GAP_GAP;
		for (size_t m = 0; m < aims_crosswalk_count(g->cw); m++) {
			const aims_mapping *mp = aims_crosswalk_at(g->cw, m);
			if (!mp->source || strcmp(mp->target, r->id) != 0)
				continue;
			const aims_isms_control *row = aims_isms_find(g->isms, mp->source);
			const aims_requirement *sr = aims_catalog_find(g->src, mp->source);
			aims_gap_support *s = &g->supports[si++];
			s->control = mp->source;
			s->title = sr ? sr->title : mp->source;
			s->relationship = mp->relationship;
			s->confidence = mp->confidence;
			s->explanation = mp->explanation;
			s->has_row = row != NULL;
			s->applicable = row ? row->applicable : 0;
			s->status = row ? row->status : AIMS_STATUS_UNKNOWN;
			s->contribution = contribution(aims_relationship_support(mp->relationship), row);
			if (s->contribution > it->status)
				it->status = s->contribution;
			it->nsupported++;
			if (s->contribution == AIMS_GAP_GAP || !row)
				continue;
			for (size_t e = 0; e < row->nevidence; e++) {
				size_t d = 0;
				while (d < it->nevidence && strcmp(it->evidence[d], row->evidence[e]) != 0)
					d++;
				if (d == it->nevidence) {
					g->evidence[ei++] = row->evidence[e];
					it->nevidence++;
				}
			}
		}
		const char *dt = doc_type_for(r->id);
		for (size_t d = 0; dt && d < g->ndocs; d++) {
			if (strcmp(g->doc_types[d], dt) != 0)
				continue;
			g->evidence[ei++] = g->docs[d];
			it->nevidence++;
			if (it->status < AIMS_GAP_PARTIAL)
				it->status = AIMS_GAP_PARTIAL;
		}
		const aims_requirement *top_req = aims_catalog_find(g->dst, it->group);
		aims_gap_group *gr = group_for(g, it->group, top_req ? top_req->title : it->group);
		if (!gr) {
			err = aims__err(AIMS_ERROR, "gap analysis: too many requirement groups");
			goto fail;
		}
		gr->requirements++;
		g->summary.requirements++;
		if (!it->applicable) {
			gr->excluded++;
			g->summary.excluded++;
		} else if (it->status == AIMS_GAP_COVERED) {
			gr->covered++;
			g->summary.covered++;
		} else if (it->status == AIMS_GAP_PARTIAL) {
			gr->partial++;
			g->summary.partial++;
		} else {
			gr->gap++;
			g->summary.gap++;
		}
	}
	size_t assessed_n = g->summary.requirements - g->summary.excluded;
	g->summary.reuse_ratio = assessed_n
		? (double)(g->summary.covered + g->summary.partial) / (double)assessed_n : 0.0;
	*out = g;
	return 0;
fail:
	aims_gap_free(g);
	return err;
}

const aims_gap_summary *aims_gap_summary_get(const aims_gap *g)
{
	return &g->summary;
}

size_t aims_gap_count(const aims_gap *g)
{
	return g->count;
}

const aims_gap_item *aims_gap_at(const aims_gap *g, size_t i)
{
	return i < g->count ? &g->items[i] : NULL;
}

const aims_gap_item *aims_gap_find(const aims_gap *g, const char *id)
{
	for (size_t i = 0; i < g->count; i++)
		if (strcmp(g->items[i].id, id) == 0)
			return &g->items[i];
	return NULL;
}

size_t aims_gap_group_count(const aims_gap *g)
{
	return g->ngroups;
}

const aims_gap_group *aims_gap_group_at(const aims_gap *g, size_t i)
{
	return i < g->ngroups ? &g->groups[i] : NULL;
}

const aims_isms_info *aims_gap_isms(const aims_gap *g)
{
	return aims_isms_info_get(g->isms);
}
