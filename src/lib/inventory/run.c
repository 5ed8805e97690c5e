/*
 * Training runs: read one run with what it used and what it generated.
 */
#include <string.h>

#include "inventory_internal.h"

void aims_run_free(aims_run *r)
{
	if (!r)
		return;
	char **s[] = { &r->id, &r->job_namespace, &r->job_name, &r->state, &r->started_at, &r->ended_at,
		&r->code_version, &r->parameters, &r->facets, &r->origin };
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		aims__free(*s[i]);
	for (size_t i = 0; i < r->ninputs; i++)
		aims__free(r->inputs[i]);
	for (size_t i = 0; i < r->noutputs; i++)
		aims__free(r->outputs[i]);
	aims__free(r->inputs);
	aims__free(r->outputs);
	aims__free(r);
}

static int refs(char ***out, size_t *n, aims_store *store, const char *sql, const char *key)
{
	aims__stmt *st = NULL;
	size_t cap = 0;
	int err;
	if ((err = aims__stmt_prepare(&st, store, sql)) < 0 || (err = aims__stmt_bind_text(st, 1, key)) < 0)
		goto done;
	while ((err = aims__stmt_step(st)) == 1) {
		if ((err = aims__grow(out, &cap, *n + 1, sizeof(**out))) < 0 ||
		    (err = aims__inv_node_ref(&(*out)[*n], aims__stmt_text(st, 0), aims__stmt_text(st, 1),
					      aims__stmt_text(st, 2), aims__stmt_text(st, 3))) < 0)
			goto done;
		(*n)++;
	}
	if (err > 0)
		err = 0;
done:
	aims__stmt_free(st);
	return err;
}

int aims_run_get(aims_run **out, aims_store *store, const char *id)
{
	aims__stmt *st = NULL;
	aims_run *r = NULL;
	char *key = NULL;
	int err;
	*out = NULL;
	if (!id)
		return aims__err(AIMS_EUSAGE, "aims_run_get: no id");
	if (strncmp(id, "run:", 4) == 0)
		id += 4;
	char *lc = NULL;
	if ((err = aims__inv_run_id(&lc, id)) < 0)
		return err;
	id = lc;
	if ((err = aims__stmt_prepare(&st, store, "SELECT id, job_namespace, job_name, state, started_at, ended_at, "
				      "code_version, parameters, facets, origin, record_version FROM runs WHERE id = ?")) < 0 ||
	    (err = aims__stmt_bind_text(st, 1, id)) < 0 || (err = aims__stmt_step(st)) < 0)
		goto done;
	if (err == 0) {
		err = aims__err(AIMS_ENOTFOUND, "run '%.200s' is not in the inventory", id);
		goto done;
	}
	if (!(r = aims__calloc(1, sizeof(*r)))) {
		err = aims__oom();
		goto done;
	}
	char **cols[] = { &r->id, &r->job_namespace, &r->job_name, &r->state, &r->started_at, &r->ended_at,
		&r->code_version, &r->parameters, &r->facets, &r->origin };
	for (int i = 0; i < 10; i++)
		if ((err = aims__stmt_text_dup(cols[i], st, i)) < 0)
			goto done;
	r->record_version = aims__stmt_int64(st, 10);
	aims__stmt_free(st);
	st = NULL;
	if ((err = aims__inv_node_key(&key, "run", "", id, "")) < 0 ||
	    (err = refs(&r->inputs, &r->ninputs, store, "SELECT n.type, n.namespace, n.name, n.version FROM lineage_edges e "
			"JOIN lineage_nodes n ON n.key = e.dst WHERE e.src = ? AND e.relation = 'used' ORDER BY n.key",
			key)) < 0 ||
	    (err = refs(&r->outputs, &r->noutputs, store, "SELECT n.type, n.namespace, n.name, n.version FROM "
			"lineage_edges e JOIN lineage_nodes n ON n.key = e.src WHERE e.dst = ? AND "
			"e.relation = 'wasGeneratedBy' ORDER BY n.key", key)) < 0)
		goto done;
	*out = r;
	r = NULL;
	err = 0;
done:
	aims__stmt_free(st);
	aims_run_free(r);
	aims__free(key);
	aims__free(lc);
	return err;
}
