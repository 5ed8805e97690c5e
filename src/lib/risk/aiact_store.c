/*
 * Stored EU AI Act classifications (one version per classify run and
 * system) and the obligations they produce as tracked items: each item
 * keeps its status, evidence references and note across re-classifications
 * (matched by the obligation's key); items a new classification no longer
 * needs stay readable but inactive. One transaction per write, with audit
 * entries for the classification and every item created, changed or
 * deactivated.
 */
#include <stdio.h>
#include <string.h>

#include "aims/aiact.h"
#include "aims/ledger.h"
#include "core/core.h"
#include "core/json.h"
#include "risk_internal.h"
#include "audit/state.h"

static const char *const statuses[] = { "open", "in-progress", "met", "not-applicable" };

void aims_aiact_record_free(aims_aiact_record *r)
{
	if (!r)
		return;
	aims__free(r->system);
	aims__free(r->tier);
	aims__free(r->answers);
	aims__free(r->result);
	aims__free(r->digest);
	aims__free(r->actor);
	aims__free(r->classified_at);
	aims__free(r);
}

static json_t *obligation_json(const aims_aiact_obligation *o, const char *applies_from)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "key", o->key, "article", o->article, "requirement",
			 o->requirement, "role", o->role, "description", o->description, "applies_from", applies_from);
}

/* the answers as classified: every key of the current format (a version 1 file with its defaults filled
 * in) and the format of the file they came from */
static int answers_json(char **out, const aims_aiact_answers *a)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:b, s:b, s:b, s:b, s:s, s:b, s:b, s:b, s:b, s:b, "
			      "s:b, s:b, s:b, s:b, s:b, s:i}",
			      "role", a->role, "art2_exclusion", a->art2_exclusion,
			      "prohibited_practice", a->prohibited_practice,
			      "annex_i_safety_component", a->annex_i_safety_component,
			      "annex_i_section_b", a->annex_i_section_b, "annex_iii_area", a->annex_iii_area,
			      "art6_3_exemption", a->art6_3_exemption, "profiling", a->profiling,
			      "interacts_with_natural_persons", a->interacts_with_natural_persons,
			      "generates_synthetic_content", a->generates_synthetic_content,
			      "emotion_recognition", a->emotion_recognition,
			      "biometric_categorisation", a->biometric_categorisation, "deep_fake", a->deep_fake,
			      "gpai", a->gpai, "systemic_risk", a->systemic_risk, "gpai_open_source", a->gpai_open_source,
			      "builds_on_third_party_gpai", a->builds_on_third_party_gpai,
			      "free_open_source_licence", a->free_open_source_licence,
			      "public_authority", a->public_authority, "provides_public_service", a->provides_public_service,
			      "affects_workers", a->affects_workers,
			      "law_enforcement_or_migration", a->law_enforcement_or_migration, "format", a->format);
	if (!o)
		return aims__oom();
	*out = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(o);
	return *out ? 0 : aims__oom();
}

/* the result in its stored (and printed) form: keys in a fixed order */
static json_t *strings_json(char **v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static int result_json(char **out, const aims_aiact_result *r)
{
	json_t *o = NULL, *basis = NULL, *obl = NULL, *ex = NULL, *notes = NULL, *warnings = NULL;
	int err = 0;
	*out = NULL;
	if (!(basis = strings_json(r->basis, r->nbasis)) || !(obl = json_array()) ||
	    !(notes = strings_json(r->notes, r->nnotes)) || !(warnings = strings_json(r->warnings, r->nwarnings)))
		goto oom;
	for (size_t i = 0; i < r->nobligations; i++)
		if (json_array_append_new(obl, obligation_json(r->obligations[i], r->applies_from[i])) < 0)
			goto oom;
	if (r->exemption) {
		json_t *duties = json_array();
		if (!duties)
			goto oom;
		for (size_t i = 0; i < r->nexemption_duties; i++)
			if (json_array_append_new(duties, obligation_json(r->exemption_duties[i],
									   AIMS_AIACT_DATE_GENERAL)) < 0) {
				json_decref(duties);
				goto oom;
			}
		if (!(ex = json_pack("{s:s, s:o}", "article", r->exemption, "duties", duties)))
			goto oom;
	} else {
		ex = json_null();
	}
	o = json_pack("{s:s, s:o, s:o, s:b, s:o, s:o, s:o}", "tier", r->tier, "basis", basis, "obligations", obl,
		      "fria_required", r->fria_required, "exemption", ex, "notes", notes, "warnings", warnings);
	basis = obl = ex = notes = warnings = NULL;
	if (!o)
		goto oom;
	*out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(o);
	return *out ? 0 : aims__oom();
oom:
	err = aims__oom();
	json_decref(basis);
	json_decref(obl);
	json_decref(ex);
	json_decref(notes);
	json_decref(warnings);
	json_decref(o);
	return err;
}

#define REC_COLS "system, version, tier, fria_required, answers, result, digest, actor, classified_at"

static int record_from_row(aims_aiact_record **out, aims__stmt *st)
{
	aims_aiact_record *r = aims__calloc(1, sizeof(*r));
	int err;
	*out = NULL;
	if (!r)
		return aims__oom();
	if ((err = aims__stmt_text_dup(&r->system, st, 0)) < 0 || (err = aims__stmt_text_dup(&r->tier, st, 2)) < 0 ||
	    (err = aims__stmt_text_dup(&r->answers, st, 4)) < 0 || (err = aims__stmt_text_dup(&r->result, st, 5)) < 0 ||
	    (err = aims__stmt_text_dup(&r->digest, st, 6)) < 0 || (err = aims__stmt_text_dup(&r->actor, st, 7)) < 0 ||
	    (err = aims__stmt_text_dup(&r->classified_at, st, 8)) < 0) {
		aims_aiact_record_free(r);
		return err;
	}
	r->version = (int)aims__stmt_int64(st, 1);
	r->fria_required = (int)aims__stmt_int64(st, 3);
	*out = r;
	return 0;
}

int aims_aiact_read(aims_aiact_record **out, aims_store *store, const char *system, int version)
{
	aims__stmt *st = NULL;
	int err;
	*out = NULL;
	if ((err = aims__stmt_prepare(&st, store, version ? "SELECT " REC_COLS " FROM aiact_classifications "
						     "WHERE system = ? AND version = ?"
						   : "SELECT " REC_COLS " FROM aiact_classifications WHERE system = ? "
						     "ORDER BY version DESC LIMIT 1")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 ||
	    (version && (err = aims__stmt_bind_int64(st, 2, version)) < 0) || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		if (version)
			err = aims__err(AIMS_ENOTFOUND, "%s has no EU AI Act classification version %d", system, version);
		else
			err = aims__err(AIMS_ENOTFOUND, "%s has no EU AI Act classification yet (see 'aims aiact "
					"classify')", system);
		goto done;
	}
	err = record_from_row(out, st);
done:
	aims__stmt_free(st);
	return err;
}

/* ---- tracked obligations ---- */

static void item_release(aims_aiact_item *it)
{
	aims__free(it->id);
	aims__free(it->system);
	aims__free(it->key);
	aims__free(it->article);
	aims__free(it->requirement);
	aims__free(it->role);
	aims__free(it->description);
	aims__free(it->status);
	aims_risk_strings_free(it->evidence, it->nevidence);
	aims__free(it->note);
	aims__free(it->updated_at);
	aims__free(it->applies_from);
	memset(it, 0, sizeof(*it));
}

void aims_aiact_items_free(aims_aiact_items *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		item_release(&list->items[i]);
	aims__free(list->items);
	aims__free(list);
}

static int split_lines(char ***out, size_t *count, const char *text)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	int err;
	*out = NULL;
	*count = 0;
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t l = nl ? (size_t)(nl - text) : strlen(text);
		if (l) {
			if ((err = aims__grow(&v, &cap, n + 1, sizeof(*v))) < 0 || !(v[n] = aims__strndup(text, l))) {
				aims_risk_strings_free(v, n);
				return err < 0 ? err : aims__oom();
			}
			n++;
		}
		text += l + (nl ? 1 : 0);
	}
	*out = v;
	*count = n;
	return 0;
}

#define ITEM_COLS "id, system, key, article, requirement, role, description, status, evidence, note, active, " \
	"updated_at, applies_from"

static int item_from_row(aims_aiact_item *it, aims__stmt *st)
{
	int err;
	memset(it, 0, sizeof(*it));
	if ((err = aims__stmt_text_dup(&it->id, st, 0)) < 0 || (err = aims__stmt_text_dup(&it->system, st, 1)) < 0 ||
	    (err = aims__stmt_text_dup(&it->key, st, 2)) < 0 || (err = aims__stmt_text_dup(&it->article, st, 3)) < 0 ||
	    (err = aims__stmt_text_dup(&it->requirement, st, 4)) < 0 || (err = aims__stmt_text_dup(&it->role, st, 5)) < 0 ||
	    (err = aims__stmt_text_dup(&it->description, st, 6)) < 0 || (err = aims__stmt_text_dup(&it->status, st, 7)) < 0 ||
	    (err = split_lines(&it->evidence, &it->nevidence, aims__stmt_text(st, 8))) < 0 ||
	    (err = aims__stmt_text_dup(&it->note, st, 9)) < 0 || (err = aims__stmt_text_dup(&it->updated_at, st, 11)) < 0 ||
	    (err = aims__stmt_text_dup(&it->applies_from, st, 12)) < 0)
		return err;
	it->active = (int)aims__stmt_int64(st, 10);
	return 0;
}

int aims_aiact_items_read(aims_aiact_items **out, aims_store *store, const char *system, int include_inactive)
{
	aims__stmt *st = NULL;
	aims_aiact_items *l = NULL;
	size_t cap = 0;
	int err;
	char sql[512];
	*out = NULL;
	snprintf(sql, sizeof(sql), "SELECT " ITEM_COLS " FROM aiact_obligations WHERE %s%s ORDER BY active DESC, seq",
		 system ? "system = ?" : "1 = 1", include_inactive ? "" : " AND active = 1");
	if (!(l = aims__calloc(1, sizeof(*l))))
		return aims__oom();
	if ((err = aims__stmt_prepare(&st, store, sql)) < 0 || (system && (err = aims__stmt_bind_text(st, 1, system)) < 0))
		goto fail;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(&l->items, &cap, l->count + 1, sizeof(*l->items))) < 0)
			goto fail;
		l->count++;
		if ((err = item_from_row(&l->items[l->count - 1], st)) < 0)
			goto fail;
	}
	if (err < 0)
		goto fail;
	aims__stmt_free(st);
	*out = l;
	return 0;
fail:
	aims__stmt_free(st);
	aims_aiact_items_free(l);
	return err;
}

static int item_digest(char out[72], const char *id, const char *system, const char *key, const char *status,
		       const char *evidence, const char *note, int active)
{
	aims_buf b = AIMS_BUF_INIT;
	int err = aims_buf_printf(&b, "aims-aiact-obligation v1\nid: %s\nsystem: %s\nkey: %s\nstatus: %s\nactive: %d\n"
				  "note: %s\nevidence:\n%s", id, system, key, status, active, note ? note : "", evidence);
	if (err == 0)
		err = aims_ledger_digest(out, b.ptr, b.len);
	aims_buf_release(&b);
	return err;
}

static int sync_items(aims_store *store, const char *system, const aims_aiact_result *res)
{
	aims_aiact_items *cur = NULL;
	aims__stmt *st = NULL;
	char now[32], dg[72], prev[72], id[32];
	int err;
	aims__time_now(now);
	if ((err = aims_aiact_items_read(&cur, store, system, 1)) < 0)
		return err;
	for (size_t i = 0; i < res->nobligations; i++) {
		const aims_aiact_obligation *o = res->obligations[i];
		const aims_aiact_item *have = NULL;
		for (size_t k = 0; k < cur->count && !have; k++)
			if (strcmp(cur->items[k].key, o->key) == 0)
				have = &cur->items[k];
		/* the date follows the classification (Art. 6(1) alone: 2027; Art. 6(2): 2026), not the item's
		 * history: it is part of the classification's audit entry, not of the item's */
		if (have && aims__strcmp0(have->applies_from, res->applies_from[i]) != 0) {
			if ((err = aims__stmt_prepare(&st, store, "UPDATE aiact_obligations SET applies_from = ? "
						      "WHERE id = ?")) < 0 ||
			    (err = aims__stmt_bind_text(st, 1, res->applies_from[i])) < 0 ||
			    (err = aims__stmt_bind_text(st, 2, have->id)) < 0 || (err = aims__stmt_step(st)) < 0)
				goto done;
			aims__stmt_free(st);
			st = NULL;
		}
		if (have && have->active)
			continue;
		if (have) {
			aims_buf ev = AIMS_BUF_INIT;
			for (size_t k = 0; k < have->nevidence && err == 0; k++)
				err = aims_buf_printf(&ev, "%s\n", have->evidence[k]);
			if (err == 0)
				err = item_digest(prev, have->id, system, have->key, have->status, ev.ptr, have->note, 0);
			if (err == 0)
				err = item_digest(dg, have->id, system, have->key, have->status, ev.ptr, have->note, 1);
			aims_buf_release(&ev);
			if (err < 0)
				goto done;
			if ((err = aims__stmt_prepare(&st, store, "UPDATE aiact_obligations SET active = 1, updated_at = ? "
						      "WHERE id = ?")) < 0 ||
			    (err = aims__stmt_bind_text(st, 1, now)) < 0 || (err = aims__stmt_bind_text(st, 2, have->id)) < 0 ||
			    (err = aims__stmt_step(st)) < 0 ||
			    (err = aims_ledger_append(store, "reactivate", "aiact-obligation", have->id, dg, prev)) < 0)
				goto done;
			aims__stmt_free(st);
			st = NULL;
			continue;
		}
		if ((err = aims__stmt_prepare(&st, store, "SELECT COALESCE(MAX(seq), 0) + 1 FROM aiact_obligations")) < 0 ||
		    (err = aims__stmt_step(st)) < 0)
			goto done;
		int64_t seq = aims__stmt_int64(st, 0);
		aims__stmt_free(st);
		st = NULL;
		snprintf(id, sizeof(id), "OBL-%03lld", (long long)seq);
		if ((err = aims__stmt_prepare(&st, store, "INSERT INTO aiact_obligations (id, seq, system, key, article, "
					      "requirement, role, description, status, evidence, active, updated_at, "
					      "applies_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', '', 1, ?, ?)")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_bind_int64(st, 2, seq)) < 0 ||
		    (err = aims__stmt_bind_text(st, 3, system)) < 0 || (err = aims__stmt_bind_text(st, 4, o->key)) < 0 ||
		    (err = aims__stmt_bind_text(st, 5, o->article)) < 0 ||
		    (err = aims__stmt_bind_text(st, 6, o->requirement)) < 0 ||
		    (err = aims__stmt_bind_text(st, 7, o->role)) < 0 || (err = aims__stmt_bind_text(st, 8, o->description)) < 0 ||
		    (err = aims__stmt_bind_text(st, 9, now)) < 0 ||
		    (err = aims__stmt_bind_text(st, 10, res->applies_from[i])) < 0 || (err = aims__stmt_step(st)) < 0)
			goto done;
		aims__stmt_free(st);
		st = NULL;
		if ((err = item_digest(dg, id, system, o->key, "open", "", NULL, 1)) < 0 ||
		    (err = aims_ledger_append(store, "create", "aiact-obligation", id, dg, NULL)) < 0)
			goto done;
	}
	/* items this classification no longer needs */
	for (size_t k = 0; k < cur->count; k++) {
		const aims_aiact_item *it = &cur->items[k];
		int needed = 0;
		for (size_t i = 0; i < res->nobligations && !needed; i++)
			needed = strcmp(res->obligations[i]->key, it->key) == 0;
		if (needed || !it->active)
			continue;
		aims_buf ev = AIMS_BUF_INIT;
		for (size_t j = 0; j < it->nevidence && err == 0; j++)
			err = aims_buf_printf(&ev, "%s\n", it->evidence[j]);
		if (err == 0)
			err = item_digest(prev, it->id, system, it->key, it->status, ev.ptr, it->note, 1);
		if (err == 0)
			err = item_digest(dg, it->id, system, it->key, it->status, ev.ptr, it->note, 0);
		aims_buf_release(&ev);
		if (err < 0)
			goto done;
		if ((err = aims__stmt_prepare(&st, store, "UPDATE aiact_obligations SET active = 0, updated_at = ? "
					      "WHERE id = ?")) < 0 ||
		    (err = aims__stmt_bind_text(st, 1, now)) < 0 || (err = aims__stmt_bind_text(st, 2, it->id)) < 0 ||
		    (err = aims__stmt_step(st)) < 0 ||
		    (err = aims_ledger_append(store, "deactivate", "aiact-obligation", it->id, dg, prev)) < 0)
			goto done;
		aims__stmt_free(st);
		st = NULL;
	}
	err = 0;
done:
	aims__stmt_free(st);
	aims_aiact_items_free(cur);
	return err;
}

int aims_aiact_store(aims_aiact_record **out, aims_store *store, const char *system, const aims_aiact_answers *a)
{
	aims_aiact_result res;
	aims__stmt *st = NULL;
	aims_buf both = AIMS_BUF_INIT;
	char *answers = NULL, *result = NULL, dg[72], prev[72], now[32];
	int err, began = 0;

	memset(&res, 0, sizeof(res));
	prev[0] = '\0';
	if (out)
		*out = NULL;
	if ((err = aims_aiact_classify(&res, a)) < 0)
		return err;
	if ((err = answers_json(&answers, a)) < 0 || (err = result_json(&result, &res)) < 0 ||
	    (err = aims_buf_printf(&both, "aims-aiact-classification v1\nsystem: %s\nanswers: %s\nresult: %s\n",
				   system, answers, result)) < 0 ||
	    (err = aims_ledger_digest(dg, both.ptr, both.len)) < 0)
		goto done;
	if ((err = aims_store_begin(store)) < 0)
		goto done;
	began = 1;
	if ((err = aims__risk_system_check(store, system)) < 0)
		goto done;
	if ((err = aims__stmt_prepare(&st, store, "SELECT COALESCE(MAX(version), 0) + 1, MAX(digest) FROM "
				      "aiact_classifications WHERE system = ? AND version = (SELECT MAX(version) FROM "
				      "aiact_classifications WHERE system = ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_bind_text(st, 2, system)) < 0 ||
	    (err = aims__stmt_step(st)) < 0)
		goto done;
	int64_t version = err == 1 ? aims__stmt_int64(st, 0) : 1;
	if (err == 1 && aims__stmt_text(st, 1))
		snprintf(prev, sizeof(prev), "%s", aims__stmt_text(st, 1));
	aims__stmt_free(st);
	st = NULL;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "INSERT INTO aiact_classifications (" REC_COLS ") VALUES "
				      "(?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, system)) < 0 || (err = aims__stmt_bind_int64(st, 2, version)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, res.tier)) < 0 || (err = aims__stmt_bind_int64(st, 4, res.fria_required)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, answers)) < 0 || (err = aims__stmt_bind_text(st, 6, result)) < 0 ||
	    (err = aims__stmt_bind_text(st, 7, dg)) < 0 || (err = aims__stmt_bind_text(st, 8, aims_store_actor(store))) < 0 ||
	    (err = aims__stmt_bind_text(st, 9, now)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims_ledger_append(store, "classify", "aiact-classification", system, dg, prev[0] ? prev : NULL)) < 0 ||
	    (err = sync_items(store, system, &res)) < 0)
		goto done;
	if (out && (err = aims_aiact_read(out, store, system, (int)version)) < 0)
		goto done;
	if ((err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	if (began) {
		aims_store_rollback(store);
		if (out) {
			aims_aiact_record_free(*out);
			*out = NULL;
		}
	}
	aims__stmt_free(st);
	aims_buf_release(&both);
	aims__free(answers);
	aims__free(result);
	aims_aiact_result_release(&res);
	return err;
}

int aims_aiact_item_set(aims_store *store, const char *id, const aims_aiact_set_opts *o)
{
	aims__stmt *st = NULL;
	aims_aiact_item it;
	aims_buf ev = AIMS_BUF_INIT, old = AIMS_BUF_INIT;
	char prev[72], dg[72], now[32];
	int err, began = 0;

	memset(&it, 0, sizeof(it));
	if (!o || o->version != AIMS_AIACT_SET_VERSION)
		return aims__err(AIMS_EUSAGE, "aims_aiact_set_opts version not supported");
	if (o->status && !aims__in_list(o->status, statuses, 4))
		return aims__err(AIMS_EINVALID, "status '%s': use open, in-progress, met or not-applicable", o->status);
	for (size_t i = 0; i < o->nadd; i++)
		if ((err = aims__risk_line_ok("evidence", o->add_evidence[i], 500)) < 0)
			return err;
	if (o->note && (err = aims__risk_line_ok("note", o->note, 1000)) < 0)
		return err;
	if ((err = aims_store_begin(store)) < 0)
		return err;
	began = 1;
	if ((err = aims__stmt_prepare(&st, store, "SELECT " ITEM_COLS " FROM aiact_obligations WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "no obligation '%s' (see 'aims aiact obligations SYSTEM')", id);
		goto done;
	}
	if ((err = item_from_row(&it, st)) < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	for (size_t i = 0; i < it.nevidence && err == 0; i++)
		if ((err = aims_buf_printf(&old, "%s\n", it.evidence[i])) == 0)
			err = aims_buf_printf(&ev, "%s\n", it.evidence[i]);
	for (size_t i = 0; i < o->nadd && err == 0; i++) {
		int dup = 0;
		for (size_t k = 0; k < it.nevidence && !dup; k++)
			dup = strcmp(it.evidence[k], o->add_evidence[i]) == 0;
		for (size_t k = 0; k < i && !dup; k++)
			dup = strcmp(o->add_evidence[k], o->add_evidence[i]) == 0;
		if (!dup)
			err = aims_buf_printf(&ev, "%s\n", o->add_evidence[i]);
	}
	if (err < 0)
		goto done;
	const char *status = o->status ? o->status : it.status;
	const char *note = o->note ? o->note : it.note;
	/* an auditor asks for the evidence of a met obligation: no evidence, no "met" */
	if (strcmp(status, "met") == 0 && ev.len == 0) {
		err = aims__err(AIMS_ECONFLICT, "%s (%s): 'met' needs evidence (--evidence REF)", id, it.article);
		goto done;
	}
	if ((err = item_digest(prev, it.id, it.system, it.key, it.status, old.ptr, it.note, it.active)) < 0 ||
	    (err = item_digest(dg, it.id, it.system, it.key, status, ev.ptr, note, it.active)) < 0)
		goto done;
	aims__time_now(now);
	if ((err = aims__stmt_prepare(&st, store, "UPDATE aiact_obligations SET status = ?, evidence = ?, note = ?, "
				      "updated_at = ? WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, status)) < 0 || (err = aims__stmt_bind_text(st, 2, ev.ptr)) < 0 ||
	    (err = aims__stmt_bind_text(st, 3, note)) < 0 || (err = aims__stmt_bind_text(st, 4, now)) < 0 ||
	    (err = aims__stmt_bind_text(st, 5, id)) < 0 || (err = aims__stmt_step(st)) < 0 ||
	    (err = aims_ledger_append(store, "update", "aiact-obligation", id, dg, prev)) < 0 ||
	    (err = aims_store_commit(store)) < 0)
		goto done;
	began = 0;
done:
	aims__stmt_free(st);
	if (began)
		aims_store_rollback(store);
	item_release(&it);
	aims_buf_release(&ev);
	aims_buf_release(&old);
	return err;
}

/* ---- state against the ledger ---- */

/*
 * A system's classification entries name the digest of its latest
 * classification (answers and result as stored); an obligation's, the digest
 * of its tracked state.
 */
int aims__aiact_state(aims_store *store, aims__state_emit emit, void *arg)
{
	aims__stmt *st = NULL;
	aims_buf both = AIMS_BUF_INIT;
	char dg[72];
	int err;
	if ((err = aims__stmt_prepare(&st, store, "SELECT c.system, c.answers, c.result FROM aiact_classifications c "
				      "WHERE c.version = (SELECT MAX(version) FROM aiact_classifications WHERE system = "
				      "c.system) ORDER BY c.system")) < 0)
		return err;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *sys = aims__stmt_text(st, 0), *a = aims__stmt_text(st, 1), *r = aims__stmt_text(st, 2);
		aims_buf_clear(&both);
		if ((err = aims_buf_printf(&both, "aims-aiact-classification v1\nsystem: %s\nanswers: %s\nresult: %s\n",
					   sys ? sys : "", a ? a : "", r ? r : "")) < 0 ||
		    (err = aims_ledger_digest(dg, both.ptr, both.len)) < 0 ||
		    (err = emit(arg, "aiact-classification", sys, dg, AIMS__STATE_LATEST)) < 0)
			goto done;
	}
	if (err < 0)
		goto done;
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, system, key, status, evidence, note, active FROM "
				      "aiact_obligations ORDER BY seq")) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		const char *t[6];
		for (int c = 0; c < 6; c++)
			t[c] = aims__stmt_text(st, c);
		if ((err = item_digest(dg, t[0] ? t[0] : "", t[1] ? t[1] : "", t[2] ? t[2] : "", t[3] ? t[3] : "",
				       t[4] ? t[4] : "", t[5], (int)aims__stmt_int64(st, 6))) < 0 ||
		    (err = emit(arg, "aiact-obligation", t[0], dg, AIMS__STATE_LATEST)) < 0)
			goto done;
	}
done:
	aims_buf_release(&both);
	aims__stmt_free(st);
	return err < 0 ? err : 0;
}
