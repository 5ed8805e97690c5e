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
 * Evidence kept in aims itself counts too (not 27001 support, so it never
 * appears in supported_by): approved documents for the requirements they
 * link to, the risk register, impact assessments, evaluations, decision
 * logs, datasets, the inventory (evidence.c has the table). Each record adds
 * its reference to the item's evidence and raises a gap to partial.
 *
 * Readiness: each requirement takes the credit of its best row, relationship
 * weight x confidence weight x status weight, or the AIMS evidence credit
 * when higher; the headline is the mean over the applicable requirements,
 * with the same figure under pessimistic and optimistic weights as its
 * range.
 */
#include <math.h>
#include <string.h>

#include "aims/catalog.h"
#include "aims/crosswalk.h"
#include "aims/gap.h"
#include "core/core.h"
#include "gap_internal.h"
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
	const char **aims_evidence;   /* all items' AIMS evidence, items point into it */
	aims__gap_evs evs;            /* evidence kept in aims itself, owns the strings */
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
	aims__free(g->aims_evidence);
	aims__gap_evs_release(&g->evs);
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

/*
 * The readiness weights (docs/gap-analysis.md, "Readiness"): by relationship
 * (equal-to and superset-of above equivalent-to above subset-of above
 * intersects-with), by confidence (low counts less), and the weight of a
 * partly implemented control and of AIMS evidence; the central set and the
 * pessimistic and optimistic sets that give the sensitivity range.
 */
static const struct {
	double equal, superset, equivalent, subset, intersects;
	double high, medium, low;
	double partial;   /* status weight of a partly implemented control (implemented: 1) */
	double aims;      /* credit of evidence kept in aims */
} weights[3] = {
	[AIMS_GAP_WEIGHTS_CENTRAL] = { 1.0, 1.0, 0.9, 0.6, 0.4, 1.0, 0.85, 0.6, 0.5, 0.5 },
	[AIMS_GAP_WEIGHTS_LOW] = { 1.0, 0.9, 0.8, 0.45, 0.25, 1.0, 0.75, 0.4, 0.35, 0.35 },
	[AIMS_GAP_WEIGHTS_HIGH] = { 1.0, 1.0, 1.0, 0.75, 0.55, 1.0, 0.95, 0.8, 0.65, 0.65 },
};

double aims_gap_row_credit(aims_gap_weights set, const char *relationship, const char *confidence,
			   aims_impl_status status)
{
	double r, c, st;
	if ((unsigned)set > AIMS_GAP_WEIGHTS_HIGH || !relationship || !confidence)
		return -1;
	if (strcmp(relationship, "equal-to") == 0)
		r = weights[set].equal;
	else if (strcmp(relationship, "superset-of") == 0)
		r = weights[set].superset;
	else if (strcmp(relationship, "equivalent-to") == 0)
		r = weights[set].equivalent;
	else if (strcmp(relationship, "subset-of") == 0)
		r = weights[set].subset;
	else if (strcmp(relationship, "intersects-with") == 0)
		r = weights[set].intersects;
	else if (strcmp(relationship, "no-relationship") == 0)
		r = 0;
	else
		return -1;
	if (strcmp(confidence, "high") == 0)
		c = weights[set].high;
	else if (strcmp(confidence, "medium") == 0)
		c = weights[set].medium;
	else if (strcmp(confidence, "low") == 0)
		c = weights[set].low;
	else
		return -1;
	st = status == AIMS_STATUS_IMPLEMENTED ? 1.0 : status == AIMS_STATUS_PARTIAL ? weights[set].partial : 0.0;
	return r * c * st;
}

double aims_gap_aims_credit(aims_gap_weights set)
{
	return (unsigned)set > AIMS_GAP_WEIGHTS_HIGH ? -1 : weights[set].aims;
}

/* the credit a row gives: nothing from an excluded control or one without a row in the ISMS state */
static double row_credit(aims_gap_weights set, const aims_mapping *mp, const aims_isms_control *row)
{
	if (!row || !row->applicable)
		return 0;
	double c = aims_gap_row_credit(set, mp->relationship, mp->confidence, row->status);
	return c > 0 ? c : 0;
}

static void add_part(aims_gap_part *p, const aims_gap_item *it, double *sum)
{
	p->requirements++;
	if (!it->applicable) {
		p->excluded++;
		return;
	}
	if (it->status == AIMS_GAP_COVERED)
		p->covered++;
	else if (it->status == AIMS_GAP_PARTIAL)
		p->partial++;
	else
		p->gap++;
	*sum += it->credit;
}

int aims_gap_compute(aims_gap **out, aims_store *store, int64_t isms_version)
{
	aims_gap *g = NULL;
	size_t nrows = 0, nev = 0, si = 0, ei = 0, ai = 0;
	double sum[3] = { 0, 0, 0 }, part_sum[2] = { 0, 0 };
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
	if ((err = aims__gap_aims_evidence(&g->evs, store)) < 0)
		goto fail;
	nev += g->evs.count;   /* each piece of AIMS evidence names one requirement */
	if (!(g->items = aims__calloc(g->count ? g->count : 1, sizeof(*g->items))) ||
	    !(g->supports = aims__calloc(nrows ? nrows : 1, sizeof(*g->supports))) ||
	    !(g->evidence = aims__calloc(nev ? nev : 1, sizeof(*g->evidence))) ||
	    !(g->aims_evidence = aims__calloc(g->evs.count ? g->evs.count : 1, sizeof(*g->aims_evidence)))) {
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
		it->aims_evidence = &g->aims_evidence[ai];
		it->status = AIMS_GAP_GAP;
		double best[3] = { 0, 0, 0 };
		/* a process the AIMS operates in aims (monitoring, audits, reviews, nonconformities, concerns,
		   incident reporting, suppliers): the ISMS's support alone makes it partial at most, and counts as
		   a partly implemented control would (docs/gap-analysis.md, "Processes operated in aims") */
		int operated_req = aims__gap_operated_requirement(r->id), operated = 0;
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
			if (operated_req && s->contribution > AIMS_GAP_PARTIAL)
				s->contribution = AIMS_GAP_PARTIAL;
			if (s->contribution > it->status)
				it->status = s->contribution;
			s->credit = row_credit(AIMS_GAP_WEIGHTS_CENTRAL, mp, row) *
				    (operated_req ? weights[AIMS_GAP_WEIGHTS_CENTRAL].partial : 1.0);
			if (s->credit > best[0]) {
				best[0] = s->credit;
				it->credited_by = mp->source;
			}
			for (int w = 1; w < 3; w++) {
				double c = row_credit((aims_gap_weights)w, mp, row) * (operated_req ? weights[w].partial : 1.0);
				if (c > best[w])
					best[w] = c;
			}
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
		/* evidence kept in aims: raises a gap to partial, never to covered, but for the records of an
		   operated process, which cover it */
		for (size_t d = 0; d < g->evs.count; d++) {
			if (strcmp(g->evs.items[d].req, r->id) != 0)
				continue;
			g->evidence[ei++] = g->evs.items[d].ref;
			it->nevidence++;
			g->aims_evidence[ai++] = g->evs.items[d].ref;
			it->naims_evidence++;
			if (it->status < AIMS_GAP_PARTIAL)
				it->status = AIMS_GAP_PARTIAL;
			operated |= operated_req && g->evs.items[d].operated;
		}
		if (operated) {
			it->status = AIMS_GAP_COVERED;
			for (int w = 0; w < 3; w++)
				best[w] = 1.0;
			it->credited_by = "aims";
		}
		if (it->naims_evidence) {
			if (aims_gap_aims_credit(AIMS_GAP_WEIGHTS_CENTRAL) > best[0]) {
				best[0] = aims_gap_aims_credit(AIMS_GAP_WEIGHTS_CENTRAL);
				it->credited_by = "aims";
			}
			for (int w = 1; w < 3; w++)
				if (aims_gap_aims_credit((aims_gap_weights)w) > best[w])
					best[w] = aims_gap_aims_credit((aims_gap_weights)w);
		}
		it->credit = best[0];
		const aims_requirement *top_req = aims_catalog_find(g->dst, it->group);
		aims_gap_group *gr = group_for(g, it->group, top_req ? top_req->title : it->group);
		if (!gr) {
			err = aims__err(AIMS_ERROR, "gap analysis: too many requirement groups");
			goto fail;
		}
		gr->requirements++;
		g->summary.requirements++;
		int annex = strcmp(r->kind, "control") == 0;
		add_part(annex ? &g->summary.annex_a : &g->summary.clauses, it, &part_sum[annex]);
		if (it->applicable)
			for (int w = 0; w < 3; w++)
				sum[w] += best[w];
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
	if (assessed_n) {
		g->summary.readiness = sum[0] / (double)assessed_n;
		g->summary.readiness_low = sum[1] / (double)assessed_n;
		g->summary.readiness_high = sum[2] / (double)assessed_n;
	}
	const aims_gap_part *cl = &g->summary.clauses, *an = &g->summary.annex_a;
	if (cl->requirements > cl->excluded)
		g->summary.clauses.readiness = part_sum[0] / (double)(cl->requirements - cl->excluded);
	if (an->requirements > an->excluded)
		g->summary.annex_a.readiness = part_sum[1] / (double)(an->requirements - an->excluded);
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

double aims_gap_round(double v)
{
	return floor(v * 10000.0 + 0.5) / 10000.0;
}

int aims_gap_percent(double v)
{
	/* of the published value: the text (which reads the JSON) and the HTML report round alike */
	return (int)(aims_gap_round(v) * 100.0 + 0.5);
}
