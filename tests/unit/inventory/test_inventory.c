/*
 * Unit tests of the AI inventory: systems (versions, refusals, the current
 * model), content digests against known SHA-256 values and the manifest
 * rule, immutable dataset and model versions, verify, the lineage graph
 * from OpenLineage events (order and duplicates do not matter, a bad event
 * stores nothing), MLflow import, time normalization, cards, the documents'
 * inventory hook, and the write paths under allocation failures.
 */
#include "helpers.h"
#include "core/core.h"
#include "inventory/inventory_internal.h"

static aims_store *fresh(const char *name)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	o.create = 1;
	test_store_remove(name);
	assert_aims_ok(aims_store_open(&s, test_store_url(name), &o));
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	return s;
}

static size_t entries(aims_store *s, const char *type, const char *action)
{
	aims_ledger_entries *l = NULL;
	size_t n = 0;
	assert_aims_ok(aims_ledger_log_read(&l, s, NULL));
	for (size_t i = 0; i < l->count; i++)
		n += strcmp(l->items[i].object_type, type) == 0 && (!action || strcmp(l->items[i].action, action) == 0);
	aims_ledger_entries_free(l);
	return n;
}

static void test_systems(void **state)
{
	(void)state;
	aims_store *s = fresh("sys.db");
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	aims_system *sys = NULL;
	aims_systems *l = NULL;
	char *model = NULL, *d1 = NULL;
	int changed = -1;

	f.purpose = "Scores loan applications";
	f.role = "provider";
	assert_aims_ok(aims_system_add(s, "credit-scoring", &f));
	assert_aims_ok(aims_system_get(&sys, s, "credit-scoring"));
	assert_string_equal(sys->lifecycle, "development");
	assert_string_equal(sys->oversight, "unspecified");
	assert_string_equal(sys->status, "active");
	assert_int_equal(sys->version, 1);
	assert_null(sys->owner);
	d1 = aims__strdup(sys->digest);
	aims_system_free(sys);

	assert_aims_error(aims_system_add(s, "credit-scoring", &f), AIMS_ECONFLICT, "in the inventory already");
	assert_aims_error(aims_system_add(s, "../x", &f), AIMS_EINVALID, "not a valid AI system name");
	f.role = "importer";
	assert_aims_error(aims_system_add(s, "other", &f), AIMS_EINVALID, "role 'importer'");
	assert_aims_error(aims_system_get(&sys, s, "nope"), AIMS_ENOTFOUND, "AI system 'nope'");

	aims_system_fields g = AIMS_SYSTEM_FIELDS_INIT;
	g.lifecycle = "operating";
	assert_aims_ok(aims_system_set(&changed, s, "credit-scoring", &g));
	assert_int_equal(changed, 1);
	assert_aims_ok(aims_system_set(&changed, s, "credit-scoring", &g));
	assert_int_equal(changed, 0);
	assert_aims_ok(aims_system_get(&sys, s, "credit-scoring"));
	assert_int_equal(sys->version, 2);
	assert_string_not_equal(sys->digest, d1);
	assert_string_equal(sys->purpose, "Scores loan applications");
	aims_system_free(sys);
	assert_int_equal(entries(s, "ai-system", "create"), 1);
	assert_int_equal(entries(s, "ai-system", "update"), 1);

	/* the current model: latest deployment, per environment */
	assert_aims_ok(aims_system_current_model(&model, s, "credit-scoring", NULL));
	assert_null(model);
	assert_aims_error(aims_system_current_model(&model, s, "nope", NULL), AIMS_ENOTFOUND, "nope");
	aims_model_fields mf = AIMS_MODEL_FIELDS_INIT;
	assert_aims_ok(aims_model_register(NULL, s, "m@1", NULL, &mf));
	assert_aims_ok(aims_model_register(NULL, s, "m@2", NULL, &mf));
	assert_aims_ok(aims_deploy_record(NULL, s, "credit-scoring", "m@1", "production", "2026-01-01T00:00:00Z", NULL));
	/* the deployer is whoever acts, never a name passed in */
	test_act_as(s, "bob", AIMS_ROLE_ML_ENGINEER);
	assert_aims_ok(aims_deploy_record(NULL, s, "credit-scoring", "m@2", "staging", "2026-02-01T00:00:00+01:00", NULL));
	test_act_as(s, "alice", AIMS_ROLES_ALL);
	assert_aims_ok(aims_system_current_model(&model, s, "credit-scoring", NULL));
	assert_string_equal(model, "m@2");
	free(model);
	assert_aims_ok(aims_system_current_model(&model, s, "credit-scoring", "production"));
	assert_string_equal(model, "m@1");
	free(model);
	assert_aims_ok(aims_system_current_model(&model, s, "credit-scoring", "test"));
	assert_null(model);
	assert_aims_error(aims_deploy_record(NULL, s, "credit-scoring", "m@3", "production", NULL, NULL),
			  AIMS_ENOTFOUND, "model 'm@3'");
	assert_aims_error(aims_deploy_record(NULL, s, "credit-scoring", "m@1", "production", "yesterday", NULL),
			  AIMS_EINVALID, "not an RFC 3339 time");
	aims_deployments *dl = NULL;
	assert_aims_ok(aims_deploy_list(&dl, s, "credit-scoring"));
	assert_int_equal(dl->count, 2);
	assert_string_equal(dl->items[1].deployed_at, "2026-01-31T23:00:00Z");
	assert_string_equal(dl->items[1].deployed_by, "bob");
	assert_string_equal(dl->items[0].deployed_by, "alice");
	aims_deployments_free(dl);

	assert_aims_ok(aims_system_list(&l, s));
	assert_int_equal(l->count, 1);
	aims_systems_free(l);
	aims__free(d1);
	aims_store_free(s);
}

static void test_digests(void **state)
{
	(void)state;
	aims_artifact *a = NULL;
	char *st = NULL;
	mkdir(test_path("art"), 0755);
	mkdir(test_path("art/sub"), 0755);
	test_write_file(test_path("art/abc.txt"), "abc");
	test_write_file(test_path("art/sub/empty"), "");
	/* SHA-256("abc") and SHA-256("") from FIPS 180-2 / the definition */
	assert_aims_ok(aims_artifact_hash(&a, test_path("art/abc.txt"), 0, NULL, NULL));
	assert_string_equal(a->digest, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(a->files[0].path, "abc.txt");
	aims_artifact_free(a);
	assert_aims_ok(aims_artifact_hash(&a, test_path("art"), 1, NULL, NULL));
	assert_int_equal(a->count, 2);
	assert_string_equal(a->files[0].path, "abc.txt");
	assert_string_equal(a->files[1].path, "sub/empty");
	assert_string_equal(a->files[1].digest, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* the manifest digest: SHA-256 of the canonical subject list */
	unsigned char md[32];
	char hex[65], want[80];
	const char *canon = "[{\"digest\":{\"sha256\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"},"
			    "\"name\":\"abc.txt\"},{\"digest\":{\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4"
			    "95991b7852b855\"},\"name\":\"sub/empty\"}]";
	assert_aims_ok(aims__sha256_oneshot(md, canon, strlen(canon)));
	aims__hex(hex, md, 32);
	snprintf(want, sizeof(want), "sha256:%s", hex);
	assert_string_equal(a->digest, want);
	assert_aims_ok(aims_artifact_statement(&st, a, "m", "1"));
	assert_non_null(strstr(st, "\"_type\": \"https://in-toto.io/Statement/v1\""));
	assert_non_null(strstr(st, want));
	free(st);
	aims_artifact_free(a);
	assert_aims_error(aims_artifact_hash(&a, test_path("art"), 0, NULL, NULL), AIMS_EINVALID, "is a directory, not a regular file");
	assert_aims_error(aims_artifact_hash(&a, test_path("art/abc.txt"), 1, NULL, NULL), AIMS_EINVALID, "not a directory");
	assert_aims_error(aims_artifact_hash(&a, test_path("nothere"), 0, NULL, NULL), AIMS_ENOTFOUND, "nothere");
}

static void progress(uint64_t done, uint64_t total, void *arg)
{
	uint64_t *last = arg;
	assert_true(done >= *last);
	assert_true(done <= total);
	*last = done;
}

static void test_progress(void **state)
{
	(void)state;
	aims_artifact *a = NULL;
	uint64_t last = 0;
	FILE *f = fopen(test_path("big.bin"), "wb");
	assert_non_null(f);
	for (int i = 0; i < 3 * 1024; i++) {
		char block[1024];
		memset(block, i & 0xff, sizeof(block));
		assert_int_equal(fwrite(block, 1, sizeof(block), f), sizeof(block));
	}
	assert_int_equal(fclose(f), 0);
	assert_aims_ok(aims_artifact_hash(&a, test_path("big.bin"), 0, progress, &last));
	assert_int_equal(last, 3 * 1024 * 1024);
	assert_int_equal(a->total, 3 * 1024 * 1024);
	aims_artifact_free(a);
}

static void test_datasets_models(void **state)
{
	(void)state;
	aims_store *s = fresh("dm.db");
	aims_artifact *a = NULL, *b = NULL, *dir = NULL;
	aims_dataset_fields df = AIMS_DATASET_FIELDS_INIT;
	aims_model_fields mf = AIMS_MODEL_FIELDS_INIT;
	aims_dataset *d = NULL;
	aims_model *m = NULL;
	int created = -1;

	test_write_file(test_path("d1.csv"), "a,b\n1,2\n");
	test_write_file(test_path("d2.csv"), "a,b\n1,3\n");
	assert_aims_ok(aims_artifact_hash(&a, test_path("d1.csv"), 0, NULL, NULL));
	assert_aims_ok(aims_artifact_hash(&b, test_path("d2.csv"), 0, NULL, NULL));
	df.personal_data = "maybe";
	assert_aims_error(aims_dataset_register(NULL, s, "loans@1", a, &df), AIMS_EINVALID, "answer yes or no");
	df.personal_data = "no";
	assert_aims_error(aims_dataset_register(NULL, s, "loans", a, &df), AIMS_EINVALID, "the version is missing");
	assert_aims_error(aims_dataset_register(NULL, s, "lo ans@1", a, &df), AIMS_EINVALID, "no spaces");
	assert_aims_ok(aims_dataset_register(&created, s, "loans@1", a, &df));
	assert_int_equal(created, 1);
	assert_aims_ok(aims_dataset_register(&created, s, "loans@1", a, &df));
	assert_int_equal(created, 0);
	assert_aims_error(aims_dataset_register(&created, s, "loans@1", b, &df), AIMS_ECONFLICT, "immutable");
	assert_aims_ok(aims_dataset_register(&created, s, "loans@2", b, &df));
	assert_aims_ok(aims_dataset_get(&d, s, "loans"));
	assert_string_equal(d->version, "2");
	assert_string_equal(d->ref, "dataset:loans@2");
	assert_int_equal(d->size, 8);
	aims_dataset_free(d);
	assert_aims_ok(aims_dataset_verify(s, "loans@1", a));
	assert_aims_error(aims_dataset_verify(s, "loans@1", b), AIMS_ETAMPERED, "'d2.csv': sha256:");
	assert_int_equal(entries(s, "dataset", "register"), 2);

	mkdir(test_path("model"), 0755);
	test_write_file(test_path("model/w.bin"), "weights");
	test_write_file(test_path("model/c.json"), "{}");
	assert_aims_ok(aims_artifact_hash(&dir, test_path("model"), 1, NULL, NULL));
	const char *trained[] = { "loans@1", "dataset:loans@2" };
	mf.trained_on = trained;
	mf.ntrained_on = 2;
	mf.run = "run-7";
	mf.framework = "xgboost 2.0";
	assert_aims_ok(aims_model_register(&created, s, "credit@1", dir, &mf));
	assert_aims_ok(aims_model_get(&m, s, "model:credit@1"));
	assert_int_equal(m->nfiles, 2);
	assert_string_equal(m->files[0].path, "c.json");
	assert_int_equal(m->ntrained_on, 2);
	assert_string_equal(m->trained_on[0], "dataset:loans@1");
	assert_string_equal(m->kind, "dir");
	aims_model_free(m);
	assert_aims_ok(aims_model_verify(s, "credit@1", dir));
	test_write_file(test_path("model/w.bin"), "weightz");
	aims_artifact *dir2 = NULL;
	assert_aims_ok(aims_artifact_hash(&dir2, test_path("model"), 1, NULL, NULL));
	assert_aims_error(aims_model_verify(s, "credit@1", dir2), AIMS_ETAMPERED, "'w.bin': sha256:");
	assert_aims_error(aims_model_register(NULL, s, "credit@1", dir2, &mf), AIMS_ECONFLICT, "immutable");
	mf.ntrained_on = 1;
	trained[0] = "nosuch@1";
	assert_aims_error(aims_model_register(NULL, s, "credit@2", dir2, &mf), AIMS_ENOTFOUND, "nosuch@1");
	assert_int_equal(aims_model_get(&m, s, "credit@2"), AIMS_ENOTFOUND);

	/* lineage of registered objects */
	aims_lineage_graph *g = NULL;
	assert_aims_ok(aims_lineage_query(&g, s, "run:run-7", AIMS_LINEAGE_DOWNSTREAM));
	assert_int_equal(g->nnodes, 2);
	assert_string_equal(g->nodes[1].ref, "model:credit@1");
	assert_string_equal(g->edges[0].relation, "wasGeneratedBy");
	aims_lineage_graph_free(g);

	aims_artifact_free(dir2);
	aims_artifact_free(dir);
	aims_artifact_free(a);
	aims_artifact_free(b);
	aims_store_free(s);
}

static void test_time_norm(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(aims__inv_time_norm(out, "2024-05-01T10:00:00Z"), 0);
	assert_string_equal(out, "2024-05-01T10:00:00.000000Z");
	assert_int_equal(aims__inv_time_norm(out, "2024-05-01T00:30:00.5+01:00"), 0);
	assert_string_equal(out, "2024-04-30T23:30:00.500000Z");
	assert_int_equal(aims__inv_time_norm(out, "2024-12-31T23:59:59.123456789-02:00"), 0);
	assert_string_equal(out, "2025-01-01T01:59:59.123456Z");
	assert_int_equal(aims__inv_time_norm(out, "2024-02-29T12:00:00Z"), 0);
	assert_int_equal(aims__inv_time_norm(out, "2023-02-29T12:00:00Z"), -1);
	assert_int_equal(aims__inv_time_norm(out, "2024-05-01T10:00:00"), -1);
	assert_int_equal(aims__inv_time_norm(out, "2024-05-01 10:00"), -1);
	assert_int_equal(aims__inv_time_norm(out, "2024-13-01T10:00:00Z"), -1);
	assert_int_equal(aims__inv_time_norm(out, "2024-05-01T10:00:00.Z"), -1);
	assert_int_equal(aims__inv_time_norm(out, "2024-05-01T10:00:00Zjunk"), -1);
}

#define EV(type, time, run, job, io) \
	"{\"eventType\":\"" type "\",\"eventTime\":\"" time "\",\"producer\":\"p\",\"schemaURL\":\"s\"," \
	"\"run\":{\"runId\":\"" run "\"},\"job\":{\"namespace\":\"ns\",\"name\":\"" job "\"}" io "}"
#define R1 "11111111-2222-4333-8444-555555555551"
#define R2 "11111111-2222-4333-8444-555555555552"
#define IN_RAW ",\"inputs\":[{\"namespace\":\"s3\",\"name\":\"raw\",\"facets\":{\"x_custom\":{\"k\":[1,2]}}}]"
#define OUT_FEAT ",\"outputs\":[{\"namespace\":\"s3\",\"name\":\"feat\",\"facets\":{\"version\":{\"datasetVersion\":\"3\"}}}]"
#define IN_FEAT ",\"inputs\":[{\"namespace\":\"s3\",\"name\":\"feat\",\"facets\":{\"version\":{\"datasetVersion\":\"3\"}}}]"
#define OUT_MODEL ",\"outputs\":[{\"namespace\":\"ml\",\"name\":\"models:/scorer/4\"}]"

static const char *const events[] = {
	EV("START", "2026-01-01T01:00:00Z", R1, "prep", IN_RAW),
	EV("COMPLETE", "2026-01-01T01:10:00Z", R1, "prep", IN_RAW OUT_FEAT),
	EV("START", "2026-01-01T02:00:00Z", R2, "train", IN_FEAT),
	EV("FAIL", "2026-01-01T02:05:00Z", R2, "train", IN_FEAT),
	EV("COMPLETE", "2026-01-01T02:30:00+00:00", R2, "train", IN_FEAT OUT_MODEL),
};

static char *graph_text(aims_store *s, const char *ref, int dir)
{
	aims_lineage_graph *g = NULL;
	aims_buf b = AIMS_BUF_INIT;
	assert_aims_ok(aims_lineage_query(&g, s, ref, dir));
	for (size_t i = 0; i < g->nnodes; i++)
		assert_aims_ok(aims_buf_printf(&b, "N %s\n", g->nodes[i].ref));
	for (size_t i = 0; i < g->nedges; i++)
		assert_aims_ok(aims_buf_printf(&b, "E %s %s %s\n", g->edges[i].from, g->edges[i].relation, g->edges[i].to));
	aims_lineage_graph_free(g);
	return aims_buf_detach(&b, NULL);
}

static void ingest_order(aims_store *s, const int *order, size_t n, int ndjson)
{
	aims_buf b = AIMS_BUF_INIT;
	aims_lineage_stats st;
	if (!ndjson)
		assert_aims_ok(aims_buf_puts(&b, "["));
	for (size_t i = 0; i < n; i++)
		assert_aims_ok(aims_buf_printf(&b, "%s%s", i ? (ndjson ? "\n" : ",\n") : "", events[order[i]]));
	if (ndjson) {
		assert_aims_ok(aims_buf_puts(&b, "\n"));
	} else {
		assert_aims_ok(aims_buf_puts(&b, "]"));
	}
	assert_aims_ok(aims_lineage_ingest(&st, s, b.ptr, b.len, "events"));
	aims_buf_release(&b);
}

static void test_openlineage(void **state)
{
	(void)state;
	aims_store *a = fresh("ol-a.db"), *b = fresh("ol-b.db");
	static const int fwd[] = { 0, 1, 2, 3, 4 }, rev[] = { 4, 2, 3, 1, 0, 4, 1 };
	aims_lineage_stats st;
	aims_run *r = NULL;
	ingest_order(a, fwd, 5, 0);
	ingest_order(b, rev, 7, 1);
	const char *refs[] = { "dataset:raw", "system:x", "model:scorer@4", ("run:" R2), "job:ns#train" };
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	assert_aims_ok(aims_system_add(a, "x", &f));
	assert_aims_ok(aims_system_add(b, "x", &f));
	assert_aims_ok(aims_deploy_record(NULL, a, "x", "scorer@4", "prod", "2026-01-02T00:00:00Z", NULL));
	assert_aims_ok(aims_deploy_record(NULL, b, "x", "scorer@4", "prod", "2026-01-02T00:00:00Z", NULL));
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		for (int dir = AIMS_LINEAGE_UPSTREAM; dir <= AIMS_LINEAGE_DOWNSTREAM; dir++) {
			char *ga = graph_text(a, refs[i], dir), *gb = graph_text(b, refs[i], dir);
			assert_string_equal(ga, gb);
			free(ga);
			free(gb);
		}
	char *down = graph_text(a, "dataset:s3#raw", AIMS_LINEAGE_DOWNSTREAM);
	assert_string_equal(down, "N dataset:s3#raw\nN run:" R1 "\nN dataset:s3#feat@3\nN run:" R2 "\nN model:scorer@4\n"
			    "N system:x\nE run:" R1 " used dataset:s3#raw\nE dataset:s3#feat@3 wasGeneratedBy run:" R1 "\n"
			    "E run:" R2 " used dataset:s3#feat@3\nE model:scorer@4 wasGeneratedBy run:" R2 "\n"
			    "E system:x used model:scorer@4\n");
	free(down);
	/* run state from event time, not arrival: FAIL at 02:05 then COMPLETE at 02:30 */
	for (int k = 0; k < 2; k++) {
		assert_aims_ok(aims_run_get(&r, k ? b : a, R2));
		assert_string_equal(r->state, "COMPLETE");
		assert_string_equal(r->started_at, "2026-01-01T02:00:00.000000Z");
		assert_string_equal(r->ended_at, "2026-01-01T02:30:00.000000Z");
		assert_int_equal(r->record_version, 3);
		aims_run_free(r);
	}
	/* the unknown facet is kept */
	aims_dataset *d = NULL;
	assert_aims_ok(aims_dataset_get(&d, b, "raw"));
	assert_string_equal(d->facets, "{\"x_custom\":{\"k\":[1,2]}}");
	aims_dataset_free(d);
	/* redelivery */
	assert_aims_ok(aims_lineage_ingest(&st, a, events[3], strlen(events[3]), "one"));
	assert_int_equal(st.stored, 0);
	assert_int_equal(st.duplicates, 1);
	assert_int_equal(entries(a, "lineage-event", "ingest"), 5);
	aims_store_free(a);
	aims_store_free(b);
}

static void test_openlineage_errors(void **state)
{
	(void)state;
	aims_store *s = fresh("ol-err.db");
	char before[65], after[65];
	static const struct { const char *text, *code_msg; } bad[] = {
		{ "[" EV("START", "2026-01-01T01:00:00Z", R1, "j", "") ",{\"eventTime\":\"2026-01-01T01:00:00Z\","
		  "\"producer\":\"p\",\"schemaURL\":\"s\",\"run\":{},\"job\":{\"namespace\":\"n\",\"name\":\"j\"}}]",
		  "'in' event [1] (line 1): run.runId: missing" },
		{ EV("START", "2026-01-01T01:00:00Z", R1, "j", "") "\n" EV("START", "Monday", R2, "j", "") "\n",
		  "'in' line 2: eventTime: 'Monday' is not an ISO 8601 date-time" },
		{ EV("START", "2026-01-01T01:00:00Z", R1, "j", ",\"outputs\":[{\"namespace\":\"n\",\"name\":5}]"),
		  "'in': outputs[0].name: expected a string, found a number" },
		{ EV("START", "2026-01-01T01:00:00Z", R1, "j", ",\"inputs\":[{\"namespace\":\"n\",\"name\":\"x\",\"facets\":[]}]"),
		  "inputs[0].facets: expected an object, found an array" },
		{ "{\"eventType\":\"START\",\"eventTime\":\"2026-01-01T01:00:00Z\",\"producer\":\"p\",\"schemaURL\":\"s\","
		  "\"run\":{\"runId\":\"" R1 "\"},\"job\":\"j\"}", "job: expected an object, found a string" },
		{ "[]", "no events" },
		{ "   ", "no events" },
		{ "{\"a\":1,\"a\":2}", "duplicate" },
	};
	ingest_order(s, (const int[]){ 0 }, 1, 1);
	assert_aims_ok(aims_store_content_digest(before, s));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_aims_error(aims_lineage_ingest(NULL, s, bad[i].text, strlen(bad[i].text), "in"), AIMS_EINVALID,
				  bad[i].code_msg);
	assert_aims_ok(aims_store_content_digest(after, s));
	assert_string_equal(before, after);
	aims_store_free(s);
}

static void test_mlflow(void **state)
{
	(void)state;
	aims_store *s = fresh("mlflow.db");
	aims_mlflow_stats st;
	aims_model *m = NULL;
	const char *doc = "{\"model_versions\":[{\"name\":\"fraud\",\"version\":3,\"source\":\"s3://m/3\",\"run_id\":\"abc\","
			  "\"tags\":[{\"key\":\"team\",\"value\":\"risk\"}],\"aliases\":[\"prod\"]}]}";
	assert_aims_ok(aims_mlflow_import(&st, s, doc, strlen(doc), "mv.json"));
	assert_int_equal(st.models, 1);
	assert_int_equal(st.created, 1);
	assert_aims_ok(aims_model_get(&m, s, "fraud@3"));
	assert_string_equal(m->tags, "{\"team\":\"risk\"}");
	assert_string_equal(m->aliases, "[\"prod\"]");
	assert_string_equal(m->run, "abc");
	assert_string_equal(m->origin, "mlflow");
	aims_model_free(m);
	assert_aims_ok(aims_mlflow_import(&st, s, doc, strlen(doc), "mv.json"));
	assert_int_equal(st.created, 0);
	assert_int_equal(entries(s, "model", NULL), 1);
	assert_aims_ok(aims_mlflow_import(&st, s, "{}", 2, "empty.json"));
	assert_int_equal(st.models, 0);
	const char *bad = "{\"model_versions\":[{\"name\":\"x\",\"version\":\"1\",\"tags\":{\"a\":1}}]}";
	assert_aims_ok(aims_mlflow_import(&st, s, bad, strlen(bad), "obj-tags.json"));
	bad = "{\"model_versions\":[{\"name\":\"y\",\"version\":\"1\",\"aliases\":\"prod\"}]}";
	assert_aims_error(aims_mlflow_import(&st, s, bad, strlen(bad), "b.json"), AIMS_EINVALID,
			  "model_versions[0].aliases: expected an array of strings");
	bad = "{\"model_versions\":{}}";
	assert_aims_error(aims_mlflow_import(&st, s, bad, strlen(bad), "c.json"), AIMS_EINVALID, "expected an array");
	aims_store_free(s);
}

static void test_cards_and_scope(void **state)
{
	(void)state;
	aims_store *s = fresh("cards.db");
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	aims_buf md = AIMS_BUF_INIT, html = AIMS_BUF_INIT;
	aims_doc_new_opts no = AIMS_DOC_NEW_INIT;
	aims_doc *doc = NULL;
	char *id = NULL, **names = NULL;
	size_t n = 0;
	assert_aims_ok(aims_catalog_load_all(s, NULL, NULL));
	f.purpose = "Routes <support> tickets";
	f.oversight = "human-on-the-loop";
	assert_aims_ok(aims_system_add(s, "triage", &f));
	f.status = "retired";
	assert_aims_ok(aims_system_add(s, "old-bot", &f));
	assert_aims_ok(aims_card_system(&md, s, "triage", 0));
	/* raw HTML from a field is shown by a Markdown renderer, never run */
	assert_non_null(strstr(md.ptr, "## Purpose\n\n**Purpose:** Routes &lt;support> tickets"));
	assert_null(strstr(md.ptr, "<support>"));
	assert_non_null(strstr(md.ptr, "No model is deployed for this system."));
	assert_non_null(strstr(md.ptr, "## Data\n\nNot recorded."));
	assert_non_null(strstr(md.ptr, "Human-oversight mode: **human-on-the-loop**."));
	assert_aims_ok(aims_card_system(&html, s, "triage", 1));
	assert_non_null(strstr(html.ptr, "<h1>AI system: triage</h1>"));
	assert_non_null(strstr(html.ptr, "Routes &lt;support&gt; tickets"));
	assert_null(strstr(html.ptr, "<support>"));
	assert_aims_error(aims_card_model(&md, s, "nosuch@1", 0), AIMS_ENOTFOUND, "nosuch@1");

	/* the documents' inventory hook: systems not retired */
	assert_aims_ok(aims_doc_inventory_systems(&names, &n, s));
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "triage");
	aims_doc_names_free(names, n);
	no.template_name = "scope";
	no.owner = "CISO";
	assert_aims_ok(aims_doc_create(&id, s, &no));
	assert_aims_ok(aims_doc_read(&doc, s, id, 0));
	assert_non_null(strstr(doc->body, "- triage"));
	assert_null(strstr(doc->body, "old-bot"));
	assert_null(strstr(doc->body, "No AI systems recorded yet"));
	aims_doc_free(doc);
	aims__free(id);
	aims_buf_release(&md);
	aims_buf_release(&html);
	aims_store_free(s);
}

static void test_alloc_failures(void **state)
{
	(void)state;
	aims_store *s = fresh("alloc.db");
	aims_system_fields f = AIMS_SYSTEM_FIELDS_INIT;
	const char *in = "[" EV("START", "2026-01-01T01:00:00Z", R1, "prep", IN_RAW) "," EV("COMPLETE", "2026-01-01T01:10:00Z",
		R1, "prep", IN_RAW OUT_FEAT) "]";
	int ok_sys = 0, ok_ol = 0;
	f.purpose = "p";
	for (unsigned long n = 1; n < 5000 && !(ok_sys && ok_ol); n++) {
		aims_system *sys = NULL;
		aims_run *r = NULL;
		if (!ok_sys) {
			aims__alloc_fail_after(n);
			int rc = aims_system_add(s, "sys", &f);
			aims__alloc_fail_after(0);
			if (rc == 0) {
				ok_sys = 1;
				assert_aims_ok(aims_system_get(&sys, s, "sys"));
				aims_system_free(sys);
			} else {
				assert_int_equal(aims_system_get(&sys, s, "sys"), AIMS_ENOTFOUND);
			}
		}
		if (!ok_ol) {
			aims__alloc_fail_after(n);
			int rc = aims_lineage_ingest(NULL, s, in, strlen(in), "in");
			aims__alloc_fail_after(0);
			if (rc == 0) {
				ok_ol = 1;
				assert_aims_ok(aims_run_get(&r, s, R1));
				assert_string_equal(r->state, "COMPLETE");
				aims_run_free(r);
			} else {
				assert_int_equal(aims_run_get(&r, s, R1), AIMS_ENOTFOUND);
			}
		}
	}
	assert_true(ok_sys && ok_ol);
	aims_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_systems),
		cmocka_unit_test(test_digests),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_datasets_models),
		cmocka_unit_test(test_time_norm),
		cmocka_unit_test(test_openlineage),
		cmocka_unit_test(test_openlineage_errors),
		cmocka_unit_test(test_mlflow),
		cmocka_unit_test(test_cards_and_scope),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
