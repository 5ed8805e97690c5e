/*
 * Cards, built from the inventory and the lineage graph: a model card, a
 * dataset datasheet (motivation, composition, collection, preprocessing,
 * uses, distribution, maintenance) and an AI system's technical
 * documentation in the shape ISO/IEC 42001 A.6.2.7 asks for (purpose,
 * components, data, evaluations, risks, oversight, deployment history).
 * Markdown first; HTML is that Markdown rendered by the documents' safe
 * renderer inside the report frame, so both say the same. What is not
 * recorded is said to be not recorded, never guessed.
 */
#include <string.h>

#include "aims/doc.h"
#include "aims/eval.h"
#include "aims/oversight.h"
#include "aims/risk.h"
#include "inventory_internal.h"
#include "report/report_internal.h"

#define NOT_RECORDED "Not recorded."

/* a table cell: one line, no '|' (shown as a broken bar) */
static int cell(aims_buf *b, const char *s)
{
	int err = 0;
	if (!s || !*s)
		return aims_buf_puts(b, "-");
	for (; err == 0 && *s; s++) {
		if (*s == '|')
			err = aims_buf_puts(b, "\xc2\xa6");
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			err = aims_buf_putc(b, ' ');
		else
			err = aims_buf_putc(b, *s);
	}
	return err;
}

static int row(aims_buf *b, const char *k, const char *v)
{
	int err;
	if ((err = aims_buf_printf(b, "| %s | ", k)) < 0 || (err = cell(b, v)) < 0)
		return err;
	return aims_buf_puts(b, " |\n");
}

/* a section: its text, or "Not recorded." */
static int section(aims_buf *b, const char *title, const char *text)
{
	return aims_buf_printf(b, "\n## %s\n\n%s\n", title, text && *text ? text : NOT_RECORDED);
}

static int para(aims_buf *b, const char *label, const char *text)
{
	if (!text || !*text)
		return 0;
	return aims_buf_printf(b, "**%s:** %s\n\n", label, text);
}

/* HTML: the Markdown's first heading becomes the page title, the rest the article */
static int finish(aims_buf *out, aims_store *store, aims_buf *md, const char *subtitle, int html)
{
	const char *body = md->ptr, *nl;
	char *title = NULL;
	int err;
	if (!html) {
		/* user fields may hold raw HTML: a Markdown renderer must show it, not run it */
		size_t from = out->len;
		if ((err = aims_buf_put(out, md->ptr, md->len)) < 0)
			return err;
		return aims__md_escape_html(out, from);
	}
	if (strncmp(body, "# ", 2) == 0 && (nl = strchr(body, '\n')) != NULL) {
		if (!(title = aims__strndup(body + 2, (size_t)(nl - body - 2))))
			return aims__oom();
		body = nl + 1;
	}
	if ((err = aims__report_begin(out, title ? title : "Card", subtitle)) < 0 ||
	    (err = aims_buf_puts(out, "<article>\n")) < 0 || (err = aims_doc_markdown_html(out, body)) < 0 ||
	    (err = aims_buf_puts(out, "</article>\n")) < 0)
		goto done;
	err = aims__report_end(out, store);
done:
	aims__free(title);
	return err;
}

/* upstream or downstream nodes of `ref` of one type, as a bullet list; *n their count */
static int related(aims_buf *b, size_t *n, aims_store *store, const char *ref, int dir, const char *type)
{
	aims_lineage_graph *g = NULL;
	int err;
	*n = 0;
	if ((err = aims_lineage_query(&g, store, ref, dir)) < 0)
		return err;
	for (size_t i = 1; i < g->nnodes; i++) {
		if (strcmp(g->nodes[i].type, type) != 0)
			continue;
		if ((err = aims_buf_printf(b, "- `%s`\n", g->nodes[i].ref)) < 0)
			break;
		(*n)++;
	}
	aims_lineage_graph_free(g);
	return err;
}

/* ---- model card ---- */

static int run_lines(aims_buf *b, size_t *n, aims_store *store, const char *ref)
{
	aims_lineage_graph *g = NULL;
	int err;
	*n = 0;
	if ((err = aims_lineage_query(&g, store, ref, AIMS_LINEAGE_UPSTREAM)) < 0)
		return err;
	for (size_t i = 1; i < g->nnodes && err == 0; i++) {
		aims_run *r = NULL;
		if (strcmp(g->nodes[i].type, "run") != 0)
			continue;
		if ((err = aims_run_get(&r, store, g->nodes[i].name)) < 0)
			break;
		err = aims_buf_printf(b, "- `run:%s`", r->id);
		if (err == 0 && r->job_name)
			err = aims_buf_printf(b, " of job `%s%s%s`", r->job_namespace ? r->job_namespace : "",
					      r->job_namespace ? "#" : "", r->job_name);
		if (err == 0)
			err = aims_buf_printf(b, ", state %s, %s to %s%s%s%s%s%s\n", r->state ? r->state : "not recorded",
					      r->started_at ? r->started_at : "?", r->ended_at ? r->ended_at : "?",
					      r->code_version ? ", code version " : "", r->code_version ? r->code_version : "",
					      r->parameters ? ", parameters `" : "", r->parameters ? r->parameters : "",
					      r->parameters ? "`" : "");
		aims_run_free(r);
		(*n)++;
	}
	aims_lineage_graph_free(g);
	return err;
}

int aims_card_model(aims_buf *out, aims_store *store, const char *ref, int html)
{
	aims_model *m = NULL;
	aims_deployments *dl = NULL;
	aims_buf md = AIMS_BUF_INIT, sub = AIMS_BUF_INIT;
	char rv[32];
	size_t n = 0;
	int err;
	if ((err = aims_model_get(&m, store, ref)) < 0)
		return err;
	if ((err = aims_deploy_list(&dl, store, NULL)) < 0)
		goto done;
	snprintf(rv, sizeof(rv), "%lld", (long long)m->record_version);
	if ((err = aims_buf_printf(&md, "# Model card: %s@%s\n\n| Field | Value |\n|---|---|\n", m->name, m->version)) < 0 ||
	    (err = row(&md, "Model", m->name)) < 0 || (err = row(&md, "Version", m->version)) < 0 ||
	    (err = row(&md, m->kind && strcmp(m->kind, "dir") == 0 ? "Manifest digest" : "Digest",
		       m->digest ? m->digest : "not recorded")) < 0 ||
	    (err = row(&md, "Framework", m->framework)) < 0 || (err = row(&md, "Licence", m->licence)) < 0 ||
	    (err = row(&md, "Source", m->source)) < 0 || (err = row(&md, "Training run", m->run)) < 0 ||
	    (err = row(&md, "Recorded from", m->origin)) < 0 || (err = row(&md, "Record version", rv)) < 0 ||
	    (err = row(&md, "Registered", m->created_at)) < 0)
		goto done;
	if ((err = section(&md, "Description", m->description)) < 0)
		goto done;
	if ((err = aims_buf_puts(&md, "\n## Training data\n\n")) < 0 ||
	    (err = related(&md, &n, store, m->ref, AIMS_LINEAGE_UPSTREAM, "dataset")) < 0 ||
	    (n == 0 && (err = aims_buf_puts(&md, NOT_RECORDED "\n")) < 0))
		goto done;
	if ((err = aims_buf_puts(&md, "\n## Training runs\n\n")) < 0 || (err = run_lines(&md, &n, store, m->ref)) < 0 ||
	    (n == 0 && (err = aims_buf_puts(&md, NOT_RECORDED "\n")) < 0))
		goto done;
	if ((err = aims_buf_puts(&md, "\n## Artifact\n\n")) < 0)
		goto done;
	if (m->nfiles) {
		if ((err = aims_buf_puts(&md, "| File | Bytes | SHA-256 |\n|---|---:|---|\n")) < 0)
			goto done;
		for (size_t i = 0; i < m->nfiles; i++)
			if ((err = aims_buf_puts(&md, "| ")) < 0 || (err = cell(&md, m->files[i].path)) < 0 ||
			    (err = aims_buf_printf(&md, " | %lld | `%s` |\n", (long long)m->files[i].size,
						   m->files[i].digest + 7)) < 0)
				goto done;
		if ((err = aims_buf_printf(&md, "\nCheck a copy with `aims model verify %s@%s --%s PATH`; the in-toto "
					   "statement: `aims model show %s@%s --in-toto`.\n", m->name, m->version,
					   strcmp(m->kind ? m->kind : "", "dir") == 0 ? "dir" : "file", m->name,
					   m->version)) < 0)
			goto done;
	} else if ((err = aims_buf_puts(&md, "No artifact digest is recorded.\n")) < 0) {
		goto done;
	}
	if ((err = aims_buf_puts(&md, "\n## Deployments\n\n")) < 0)
		goto done;
	n = 0;
	for (size_t i = 0; i < dl->count; i++) {
		const aims_deployment *d = &dl->items[i];
		if (strcmp(d->model, m->name) != 0 || strcmp(d->model_version, m->version) != 0)
			continue;
		if ((n++ == 0 && (err = aims_buf_puts(&md, "| System | Environment | Deployed | By |\n|---|---|---|---|\n")) < 0) ||
		    (err = aims_buf_printf(&md, "| %s | %s | %s | ", d->system, d->env, d->deployed_at)) < 0 ||
		    (err = cell(&md, d->deployed_by)) < 0 || (err = aims_buf_puts(&md, " |\n")) < 0)
			goto done;
	}
	if (n == 0 && (err = aims_buf_puts(&md, "Not deployed.\n")) < 0)
		goto done;
	if ((m->tags || m->aliases) &&
	    ((err = aims_buf_puts(&md, "\n## Registry metadata\n\n")) < 0 || (err = para(&md, "Tags", m->tags)) < 0 ||
	     (err = para(&md, "Aliases", m->aliases)) < 0))
		goto done;
	if ((err = aims_buf_printf(&sub, "Model card \xc2\xb7 %s", m->ref)) < 0)
		goto done;
	err = finish(out, store, &md, sub.ptr, html);
done:
	aims_buf_release(&md);
	aims_buf_release(&sub);
	aims_deployments_free(dl);
	aims_model_free(m);
	return err;
}

/* ---- dataset datasheet ---- */

static int schema_table(aims_buf *b, size_t *n, const char *facets)
{
	json_t *f = facets ? json_loads(facets, 0, NULL) : NULL;
	json_t *fields = json_object_get(json_object_get(f, "schema"), "fields"), *x;
	size_t i;
	int err = 0;
	*n = 0;
	if (json_is_array(fields) && json_array_size(fields)) {
		err = aims_buf_puts(b, "\n| Field | Type | Description |\n|---|---|---|\n");
		json_array_foreach(fields, i, x) {
			if (err < 0)
				break;
			const char *nm = json_string_value(json_object_get(x, "name"));
			const char *ty = json_string_value(json_object_get(x, "type"));
			const char *ds = json_string_value(json_object_get(x, "description"));
			if ((err = aims_buf_puts(b, "| ")) < 0 || (err = cell(b, nm)) < 0 || (err = aims_buf_puts(b, " | ")) < 0 ||
			    (err = cell(b, ty)) < 0 || (err = aims_buf_puts(b, " | ")) < 0 || (err = cell(b, ds)) < 0 ||
			    (err = aims_buf_puts(b, " |\n")) < 0)
				break;
			(*n)++;
		}
	}
	json_decref(f);
	return err;
}

int aims_card_dataset(aims_buf *out, aims_store *store, const char *ref, int html)
{
	aims_dataset *d = NULL;
	aims_buf md = AIMS_BUF_INIT, sub = AIMS_BUF_INIT, part = AIMS_BUF_INIT;
	char size[48];
	size_t n = 0, n2 = 0;
	int err;
	if ((err = aims_dataset_get(&d, store, ref)) < 0)
		return err;
	if (d->size >= 0)
		snprintf(size, sizeof(size), "%lld bytes", (long long)d->size);
	if ((err = aims_buf_printf(&md, "# Datasheet: %s\n\n| Field | Value |\n|---|---|\n", d->ref + 8)) < 0 ||
	    (err = row(&md, "Name", d->name)) < 0 || (err = row(&md, "Version", *d->version ? d->version : "not given")) < 0 ||
	    (err = row(&md, "Namespace", *d->ns ? d->ns : "-")) < 0 ||
	    (err = row(&md, "SHA-256", d->digest ? d->digest : "not recorded")) < 0 ||
	    (err = row(&md, "Recorded from", d->origin)) < 0 || (err = row(&md, "Registered", d->created_at)) < 0)
		goto done;
	if ((err = section(&md, "Motivation", d->motivation)) < 0)
		goto done;
	/* composition: size, file, schema, personal data, limitations, biases */
	if ((d->size >= 0 && (err = para(&part, "Size", size)) < 0) || (err = para(&part, "File", d->file)) < 0 ||
	    (err = para(&part, "Personal data", d->personal_data)) < 0 ||
	    (err = para(&part, "Known limitations", d->limitations)) < 0 ||
	    (err = para(&part, "Known biases", d->biases)) < 0 || (err = schema_table(&part, &n, d->facets)) < 0 ||
	    (err = section(&md, "Composition", part.ptr)) < 0)
		goto done;
	aims_buf_clear(&part);
	if ((err = para(&part, "Source", d->source)) < 0 || (err = para(&part, "Collection method", d->collection)) < 0 ||
	    (err = section(&md, "Collection", part.ptr)) < 0)
		goto done;
	aims_buf_clear(&part);
	if ((err = para(&part, "Preprocessing", d->preprocessing)) < 0)
		goto done;
	{
		aims_buf l = AIMS_BUF_INIT;
		if ((err = related(&l, &n, store, d->ref, AIMS_LINEAGE_UPSTREAM, "run")) < 0 ||
		    (err = related(&l, &n2, store, d->ref, AIMS_LINEAGE_UPSTREAM, "dataset")) < 0 ||
		    ((n || n2) && ((err = aims_buf_puts(&part, "Produced in the pipeline by and from:\n\n")) < 0 ||
				   (err = aims_buf_put(&part, l.ptr, l.len)) < 0))) {
			aims_buf_release(&l);
			goto done;
		}
		aims_buf_release(&l);
	}
	if ((err = section(&md, "Preprocessing", part.ptr)) < 0)
		goto done;
	aims_buf_clear(&part);
	if ((err = para(&part, "Intended uses", d->uses)) < 0)
		goto done;
	{
		aims_buf l = AIMS_BUF_INIT;
		if ((err = related(&l, &n, store, d->ref, AIMS_LINEAGE_DOWNSTREAM, "model")) < 0 ||
		    (err = related(&l, &n2, store, d->ref, AIMS_LINEAGE_DOWNSTREAM, "system")) < 0 ||
		    ((n || n2) && ((err = aims_buf_puts(&part, "Used by these models and AI systems:\n\n")) < 0 ||
				   (err = aims_buf_put(&part, l.ptr, l.len)) < 0))) {
			aims_buf_release(&l);
			goto done;
		}
		aims_buf_release(&l);
	}
	if ((err = section(&md, "Uses", part.ptr)) < 0)
		goto done;
	aims_buf_clear(&part);
	if ((err = para(&part, "Distribution", d->distribution)) < 0 || (err = para(&part, "Licence", d->licence)) < 0 ||
	    (err = section(&md, "Distribution", part.ptr)) < 0 || (err = section(&md, "Maintenance", d->maintenance)) < 0)
		goto done;
	if (d->facets && strcmp(d->facets, "{}") != 0) {
		/* indented for reading; 15 significant digits show 0.004 as 0.004 */
		json_t *fj = json_loads(d->facets, 0, NULL);
		char *pretty = fj ? json_dumps(fj, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(15)) : NULL;
		json_decref(fj);
		if (!pretty) {
			err = aims__oom();
			goto done;
		}
		err = aims_buf_printf(&md, "\n## OpenLineage facets\n\nAs delivered, including facets aims does not "
				      "interpret:\n\n```\n%s\n```\n", pretty);
		aims__free(pretty);
		if (err < 0)
			goto done;
	}
	if ((err = aims_buf_printf(&sub, "Datasheet \xc2\xb7 %s", d->ref)) < 0)
		goto done;
	err = finish(out, store, &md, sub.ptr, html);
done:
	aims_buf_release(&md);
	aims_buf_release(&sub);
	aims_buf_release(&part);
	aims_dataset_free(d);
	return err;
}

/* ---- system technical documentation ---- */

static int evaluations(aims_buf *md, aims_store *store, const char *system)
{
	aims_eval_results *l = NULL;
	int err;
	if ((err = aims_buf_puts(md, "\n## Evaluations\n\n")) < 0 || (err = aims_eval_list(&l, store, system, NULL)) < 0)
		return err;
	if (l->count == 0)
		err = aims_buf_puts(md, "No evaluations are recorded for this system.\n");
	else
		err = aims_buf_puts(md, "| Evaluation | Kind | Recorded | Controls | Summary |\n|---|---|---|---|---|\n");
	for (size_t i = 0; err == 0 && i < l->count; i++) {
		const aims_eval_result *e = &l->items[i];
		if ((err = aims_buf_printf(md, "| %s | %s | %s | ", e->id, e->kind, e->recorded_at)) < 0 ||
		    (err = cell(md, e->controls)) < 0 || (err = aims_buf_puts(md, " | ")) < 0 ||
		    (err = cell(md, e->summary)) < 0 || (err = aims_buf_puts(md, " |\n")) < 0)
			break;
	}
	aims_eval_results_free(l);
	return err;
}

static int risks(aims_buf *md, aims_store *store, const char *system)
{
	aims_risks *l = NULL;
	int err;
	if ((err = aims_buf_puts(md, "\n## Risks\n\n")) < 0 || (err = aims_risk_list(&l, store, system)) < 0)
		return err;
	if (l->count == 0)
		err = aims_buf_puts(md, "No risks are recorded for this system.\n");
	else
		err = aims_buf_puts(md, "| Risk | Title | Category | Score | Treatment | Status |\n|---|---|---|---:|---|---|\n");
	for (size_t i = 0; err == 0 && i < l->count; i++) {
		const aims_risk *r = l->items[i];
		if ((err = aims_buf_printf(md, "| %s | ", r->id)) < 0 || (err = cell(md, r->title)) < 0 ||
		    (err = aims_buf_printf(md, " | %s | %d | ", r->category, r->effective_score)) < 0 ||
		    (err = cell(md, r->treatment ? r->treatment : "untreated")) < 0 ||
		    (err = aims_buf_printf(md, " | %s |\n", r->status ? r->status : "-")) < 0)
			break;
	}
	aims_risks_free(l);
	return err;
}

int aims_card_system(aims_buf *out, aims_store *store, const char *name, int html)
{
	aims_system *s = NULL;
	aims_deployments *dl = NULL;
	aims_buf md = AIMS_BUF_INIT, sub = AIMS_BUF_INIT, part = AIMS_BUF_INIT, ref = AIMS_BUF_INIT;
	char rv[32];
	size_t n = 0;
	int err;
	if ((err = aims_system_get(&s, store, name)) < 0)
		return err;
	if ((err = aims_deploy_list(&dl, store, name)) < 0 || (err = aims_buf_printf(&ref, "system:%s", name)) < 0)
		goto done;
	snprintf(rv, sizeof(rv), "%lld", (long long)s->version);
	if ((err = aims_buf_printf(&md, "# AI system: %s\n\nTechnical documentation (ISO/IEC 42001 A.6.2.7) from the AI "
				   "inventory.\n\n| Field | Value |\n|---|---|\n", s->name)) < 0 ||
	    (err = row(&md, "System", s->name)) < 0 || (err = row(&md, "Status", s->status)) < 0 ||
	    (err = row(&md, "Lifecycle stage", s->lifecycle)) < 0 || (err = row(&md, "Owner", s->owner)) < 0 ||
	    (err = row(&md, "EU AI Act role", s->role)) < 0 || (err = row(&md, "Record version", rv)) < 0 ||
	    (err = row(&md, "Record digest", s->digest)) < 0 || (err = row(&md, "Updated", s->updated_at)) < 0)
		goto done;
	if ((err = para(&part, "Purpose", s->purpose)) < 0 || (err = para(&part, "Intended use", s->intended_use)) < 0 ||
	    (err = para(&part, "Reasonably foreseeable misuse", s->misuse)) < 0 ||
	    (err = para(&part, "Affected groups", s->affected_groups)) < 0 || (err = section(&md, "Purpose", part.ptr)) < 0)
		goto done;
	/* components: the model versions ever deployed, the current one per environment first */
	if ((err = aims_buf_puts(&md, "\n## Components\n\n")) < 0)
		goto done;
	for (size_t i = 0; i < dl->count; i++) {
		const aims_deployment *d = &dl->items[i];
		int seen = 0, latest = 1;
		for (size_t j = 0; j < i; j++)
			seen |= strcmp(dl->items[j].model, d->model) == 0 && strcmp(dl->items[j].model_version, d->model_version) == 0;
		for (size_t j = i + 1; j < dl->count; j++)
			latest &= strcmp(dl->items[j].env, d->env) != 0;
		if (seen && !latest)
			continue;
		aims_model *m = NULL;
		char mref[600];
		snprintf(mref, sizeof(mref), "%s@%s", d->model, d->model_version);
		if ((err = aims_model_get(&m, store, mref)) < 0)
			goto done;
		if (n++ == 0 && (err = aims_buf_puts(&md, "| Model | Digest | Framework | Licence | Current in |\n"
						     "|---|---|---|---|---|\n")) < 0) {
			aims_model_free(m);
			goto done;
		}
		err = m->digest ? aims_buf_printf(&md, "| `%s` | `%s` | ", mref, m->digest)
				 : aims_buf_printf(&md, "| `%s` | not recorded | ", mref);
		if (err == 0 && (err = cell(&md, m->framework)) == 0 && (err = aims_buf_puts(&md, " | ")) == 0 &&
		    (err = cell(&md, m->licence)) == 0)
			err = aims_buf_printf(&md, " | %s |\n", latest ? d->env : "-");
		aims_model_free(m);
		if (err < 0)
			goto done;
	}
	if (n == 0 && (err = aims_buf_puts(&md, "No model is deployed for this system.\n")) < 0)
		goto done;
	aims_buf_clear(&part);
	if ((err = related(&part, &n, store, ref.ptr, AIMS_LINEAGE_UPSTREAM, "dataset")) < 0 ||
	    (err = aims_buf_puts(&md, "\n## Data\n\n")) < 0)
		goto done;
	if (n) {
		if ((err = aims_buf_puts(&md, "Datasets upstream of the deployed models (training and preparation), from "
					 "the lineage graph:\n\n| Dataset | SHA-256 | Personal data | Licence |\n"
					 "|---|---|---|---|\n")) < 0)
			goto done;
		aims_lineage_graph *g = NULL;
		if ((err = aims_lineage_query(&g, store, ref.ptr, AIMS_LINEAGE_UPSTREAM)) < 0)
			goto done;
		for (size_t i = 1; i < g->nnodes && err == 0; i++) {
			aims_dataset *d = NULL;
			if (strcmp(g->nodes[i].type, "dataset") != 0)
				continue;
			if ((err = aims_dataset_get(&d, store, g->nodes[i].ref)) < 0)
				break;
			const char *q = d->digest ? "`" : "";
			if ((err = aims_buf_printf(&md, "| `%s` | %s%s%s | %s | ", d->ref + 8, q,
						   d->digest ? d->digest : "not recorded", q,
						   d->personal_data ? d->personal_data : "not recorded")) == 0 &&
			    (err = cell(&md, d->licence ? d->licence : "not recorded")) == 0)
				err = aims_buf_puts(&md, " |\n");
			aims_dataset_free(d);
		}
		aims_lineage_graph_free(g);
		if (err < 0)
			goto done;
	} else if ((err = aims_buf_puts(&md, NOT_RECORDED "\n")) < 0) {
		goto done;
	}
	if ((err = evaluations(&md, store, name)) < 0 || (err = risks(&md, store, name)) < 0)
		goto done;
	aims_buf_clear(&part);
	if ((err = aims_buf_printf(&part, "Human-oversight mode: **%s**.", s->oversight)) < 0 ||
	    (err = section(&md, "Human oversight", strcmp(s->oversight, "unspecified") ? part.ptr : NULL)) < 0 ||
	    (err = aims_oversight_card_md(&md, store, name)) < 0)
		goto done;
	if ((err = aims_buf_puts(&md, "\n## Deployment history\n\n")) < 0)
		goto done;
	if (dl->count == 0)
		err = aims_buf_puts(&md, "No deployments are recorded.\n");
	else
		err = aims_buf_puts(&md, "| # | Deployed | Model | Environment | By | Notes |\n|---:|---|---|---|---|---|\n");
	for (size_t i = 0; err == 0 && i < dl->count; i++) {
		const aims_deployment *d = &dl->items[i];
		if ((err = aims_buf_printf(&md, "| %lld | %s | `%s@%s` | %s | ", (long long)d->seq, d->deployed_at, d->model,
					   d->model_version, d->env)) < 0 ||
		    (err = cell(&md, d->deployed_by)) < 0 || (err = aims_buf_puts(&md, " | ")) < 0 ||
		    (err = cell(&md, d->notes)) < 0 || (err = aims_buf_puts(&md, " |\n")) < 0)
			break;
	}
	if (err < 0)
		goto done;
	if ((err = aims_buf_printf(&sub, "Technical documentation \xc2\xb7 system:%s \xc2\xb7 record version %lld", s->name,
				   (long long)s->version)) < 0)
		goto done;
	err = finish(out, store, &md, sub.ptr, html);
done:
	aims_buf_release(&md);
	aims_buf_release(&sub);
	aims_buf_release(&part);
	aims_buf_release(&ref);
	aims_deployments_free(dl);
	aims_system_free(s);
	return err;
}
