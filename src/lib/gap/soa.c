/*
 * The ISO/IEC 42001 Statement of Applicability (6.1.3 d): the 38 Annex A
 * controls with what the organization recorded about each (soa_controls),
 * merged with the gap analysis so that reusable ISMS evidence shows beside
 * each control. Controls nobody decided on yet are listed as applicable
 * with no justification, which the report flags.
 */
#include <stdio.h>
#include <string.h>

#include "aims/catalog.h"
#include "aims/ledger.h"
#include "aims/soa.h"
#include "core/core.h"
#include "store/store_internal.h"
#include "audit/state.h"

struct aims_soa {
	aims_catalog *cat;
	aims_gap *gap;        /* NULL without ISMS state */
	aims_soa_entry *entries;
	size_t count;
	char **strings;       /* copies of stored text the entries point to */
	size_t nstrings;
	char ***risks;        /* per entry: ids of the risks whose treatment uses the control */
};

void aims_soa_free(aims_soa *soa)
{
	if (!soa)
		return;
	aims_catalog_free(soa->cat);
	aims_gap_free(soa->gap);
	for (size_t i = 0; soa->strings && i < soa->nstrings; i++)
		aims__free(soa->strings[i]);
	aims__free(soa->strings);
	for (size_t i = 0; soa->risks && i < soa->count; i++) {
		for (size_t k = 0; soa->risks[i] && k < soa->entries[i].nrisks; k++)
			aims__free(soa->risks[i][k]);
		aims__free(soa->risks[i]);
	}
	aims__free(soa->risks);
	aims__free(soa->entries);
	aims__free(soa);
}

static int keep(aims_soa *soa, const char **out, const char *v)
{
	*out = NULL;
	if (!v)
		return 0;
	char *c = aims__strdup(v);
	if (!c)
		return aims__oom();
	soa->strings[soa->nstrings++] = c;
	*out = c;
	return 0;
}

/* the risks (risk register, 6.1.3) whose treatment actions use the control, in register order */
static int read_risks(aims_soa *soa, aims__stmt *st, size_t i)
{
	aims_soa_entry *e = &soa->entries[i];
	size_t cap = 0;
	int err;

	if ((err = aims__stmt_bind_text(st, 1, e->control)) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *id = aims__stmt_text(st, 0);
		if (!id)
			continue;
		if ((err = aims__grow(&soa->risks[i], &cap, e->nrisks + 1, sizeof(char *))) < 0)
			return err;
		if (!(soa->risks[i][e->nrisks] = aims__strdup(id)))
			return aims__oom();
		e->nrisks++;
	}
	if (err < 0)
		return err;
	e->risks = (const char *const *)soa->risks[i];
	return aims__stmt_reset(st);
}

int aims_soa_read(aims_soa **out, aims_store *store)
{
	aims_soa *soa = NULL;
	aims__stmt *st = NULL;
	int err;

	*out = NULL;
	if (!(soa = aims__calloc(1, sizeof(*soa))))
		return aims__oom();
	if ((err = aims_catalog_read(&soa->cat, store, "iso42001-2023")) < 0)
		goto fail;
	err = aims_gap_compute(&soa->gap, store, 0);
	if (err == AIMS_ENOTFOUND) {
		soa->gap = NULL;   /* no ISMS state or crosswalk yet: the SoA stands alone */
		aims_error_clear();
	} else if (err < 0) {
		goto fail;
	}
	size_t n = aims_catalog_count_kind(soa->cat, "control");
	if (!(soa->entries = aims__calloc(n ? n : 1, sizeof(*soa->entries))) ||
	    !(soa->strings = aims__calloc(4 * (n ? n : 1), sizeof(*soa->strings))) ||
	    !(soa->risks = aims__calloc(n ? n : 1, sizeof(*soa->risks)))) {
		err = aims__oom();
		goto fail;
	}
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT applicable, justification, status, owner, updated_at FROM soa_controls "
			"WHERE control = ?")) < 0)
		goto fail;
	for (size_t i = 0; i < aims_catalog_count(soa->cat); i++) {
		const aims_requirement *r = aims_catalog_at(soa->cat, i);
		if (strcmp(r->kind, "control") != 0)
			continue;
		aims_soa_entry *e = &soa->entries[soa->count++];
		const aims_requirement *grp = r->parent ? aims_catalog_find(soa->cat, r->parent) : NULL;
		e->control = r->id;
		e->title = r->title;
		e->group = r->parent;
		e->group_title = grp ? grp->title : NULL;
		e->applicable = 1;
		e->status = AIMS_STATUS_UNKNOWN;
		e->gap_status = -1;
		if ((err = aims__stmt_bind_text(st, 1, r->id)) < 0 || (err = aims__stmt_step(st)) < 0)
			goto fail;
		if (err == 1) {
			e->decided = 1;
			e->applicable = aims__stmt_int64(st, 0) != 0;
			int s = aims_impl_status_parse(aims__stmt_text(st, 2));
			e->status = s < 0 ? AIMS_STATUS_UNKNOWN : (aims_impl_status)s;
			if ((err = keep(soa, &e->justification, aims__stmt_text(st, 1))) < 0 ||
			    (err = keep(soa, &e->owner, aims__stmt_text(st, 3))) < 0 ||
			    (err = keep(soa, &e->updated_at, aims__stmt_text(st, 4))) < 0)
				goto fail;
		}
		if ((err = aims__stmt_reset(st)) < 0)
			goto fail;
		const aims_gap_item *gi = soa->gap ? aims_gap_find(soa->gap, r->id) : NULL;
		if (gi) {
			e->gap_status = (int)gi->status;
			e->evidence = gi->evidence;
			e->nevidence = gi->nevidence;
		}
	}
	aims__stmt_free(st);
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT r.id FROM risks r WHERE EXISTS (SELECT 1 FROM risk_actions a "
			"WHERE a.risk = r.id AND a.control = ?) ORDER BY r.seq")) < 0)
		goto fail;
	for (size_t i = 0; i < soa->count; i++)
		if ((err = read_risks(soa, st, i)) < 0)
			goto fail;
	aims__stmt_free(st);
	*out = soa;
	return 0;
fail:
	aims__stmt_free(st);
	aims_soa_free(soa);
	return err;
}

size_t aims_soa_count(const aims_soa *soa)
{
	return soa->count;
}

const aims_soa_entry *aims_soa_at(const aims_soa *soa, size_t i)
{
	return i < soa->count ? &soa->entries[i] : NULL;
}

const aims_soa_entry *aims_soa_find(const aims_soa *soa, const char *control)
{
	for (size_t i = 0; control && i < soa->count; i++)
		if (strcmp(soa->entries[i].control, control) == 0)
			return &soa->entries[i];
	return NULL;
}

const aims_gap *aims_soa_gap(const aims_soa *soa)
{
	return soa->gap;
}

/* the digest of a control's recorded state, which its audit entries name */
static int control_digest(char out[72], const char *control, int applicable, const char *just, const char *status,
			  const char *owner)
{
	char state[4096];
	snprintf(state, sizeof(state), "%s\n%d\n%s\n%s\n%s\n", control, applicable, just ? just : "", status,
		 owner ? owner : "");
	return aims_ledger_digest(out, state, strlen(state));
}

int aims__soa_state(aims_store *s, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, s, "SELECT control, applicable, justification, status, owner FROM "
				      "soa_controls ORDER BY control")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		int sv = aims_impl_status_parse(aims__stmt_text(st, 3));
		const char *status = aims__stmt_text(st, 3);
		if (sv >= 0)
			status = aims_impl_status_name((aims_impl_status)sv);
		if ((err = control_digest(dg, aims__stmt_text(st, 0), (int)aims__stmt_int64(st, 1),
					  aims__stmt_text(st, 2), status ? status : "", aims__stmt_text(st, 4))) < 0 ||
		    (err = emit(arg, "soa-control", aims__stmt_text(st, 0), dg, AIMS__STATE_LATEST)) < 0)
			break;
	}
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}

int aims_soa_set(aims_store *store, const char *control, const aims_soa_update *upd)
{
	aims__stmt *st = NULL;
	aims_catalog *cat = NULL;
	char now[32];
	int err, applicable = 1, status = AIMS_STATUS_UNKNOWN;
	char *justification = NULL, *owner = NULL;

	if (!upd || upd->version != AIMS_SOA_UPDATE_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_soa_update version not supported");
	if ((err = aims_catalog_read(&cat, store, "iso42001-2023")) < 0)
		return err;
	const aims_requirement *r = aims_catalog_find(cat, control);
	if (!r || strcmp(r->kind, "control") != 0) {
		err = aims__err(AIMS_ENOTFOUND, "'%s' is not an ISO/IEC 42001 Annex A control%s", control,
				r ? "" : " (controls are written like 'A.6.2.4')");
		goto done;
	}
	if (upd->justification && !*upd->justification) {
		err = aims__err(AIMS_EINVALID, "justification: must not be empty");
		goto done;
	}
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	/* start from what is recorded */
	if ((err = aims__stmt_prepare(&st, store,
			"SELECT applicable, justification, status, owner FROM soa_controls WHERE control = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, control)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto rollback;
	int had_row = err == 1, old_applicable = 1, old_status = AIMS_STATUS_UNKNOWN;
	if (err == 1) {
		applicable = aims__stmt_int64(st, 0) != 0;
		int s = aims_impl_status_parse(aims__stmt_text(st, 2));
		status = s < 0 ? AIMS_STATUS_UNKNOWN : s;
		old_applicable = applicable;
		old_status = status;
		if ((aims__stmt_text(st, 1) && !(justification = aims__strdup(aims__stmt_text(st, 1)))) ||
		    (aims__stmt_text(st, 3) && !(owner = aims__strdup(aims__stmt_text(st, 3))))) {
			err = aims__oom();
			goto rollback;
		}
	}
	aims__stmt_free(st);
	st = NULL;
	if (upd->applicable >= 0)
		applicable = upd->applicable != 0;
	if (upd->status >= 0)
		status = upd->status;
	const char *just = upd->justification ? upd->justification : justification;
	const char *own = upd->owner ? upd->owner : owner;
	if (!applicable && !just) {
		err = aims__err(AIMS_EINVALID,
				"%s: excluding a control needs a justification (--justification TEXT)", control);
		goto rollback;
	}
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store,
			"INSERT INTO soa_controls (control, applicable, justification, status, owner, updated_at) "
			"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (control) DO UPDATE SET "
			"applicable = excluded.applicable, justification = excluded.justification, "
			"status = excluded.status, owner = excluded.owner, updated_at = excluded.updated_at")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, control)) < 0 ||
	    (err = aims__stmt_bind_int64(st, 2, applicable)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, just)) < 0 ||
	    (err = aims__stmt_bind_text(st, 4, aims_impl_status_name((aims_impl_status)status))) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, own)) < 0 ||
	    (err = aims__stmt_bind_text(st, 6, now)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto rollback;
	aims__stmt_free(st);
	st = NULL;
	{
		/* the audit trail: digests of the control's recorded state before and after */
		char newd[72], prevd[72];
		if ((err = control_digest(newd, control, applicable, just,
					  aims_impl_status_name((aims_impl_status)status), own)) < 0)
			goto rollback;
		if (had_row && (err = control_digest(prevd, control, old_applicable, justification,
						     aims_impl_status_name((aims_impl_status)old_status), owner)) < 0)
			goto rollback;
		if ((err = aims_ledger_append(store, had_row ? "update" : "create", "soa-control", control, newd,
					      had_row ? prevd : NULL)) < 0)
			goto rollback;
	}
	err = aims_store_commit(store);
	goto done;
rollback:
	aims__stmt_free(st);
	st = NULL;
	aims_store_rollback(store);
done:
	aims__free(justification);
	aims__free(owner);
	aims_catalog_free(cat);
	return err;
}
