/*
 * Benchmark of the gap analysis with the evidence kept in aims (issue 17),
 * each part against a baseline run in the same process (bench/bench.h,
 * docs/benchmarks.md). The store: the built-in catalogs, the example ISMS
 * (examples/isms-soa.csv) and SYSTEMS AI systems, each with its library
 * risks (one treated), an approved impact assessment, three evaluation
 * results, an EU AI Act classification and a deployment, plus an approved
 * AI policy and scope. A second store has the same ISMS and nothing else.
 *
 *  (a) command: `aims --db STORE gap --json` (the path users run: process
 *      start, store open, catalogs and crosswalk read back and validated,
 *      the evidence of every module, the JSON) on the full store, against
 *      the same command on the ISMS-only store: the ratio is what reading
 *      the evidence kept in aims costs on the command;
 *  (b) evidence: aims_gap_compute() on the full store against the same call
 *      on the ISMS-only store, in process;
 *  (c) sources: aims_gap_compute() on the full store against plain SQL
 *      reading the same records the evidence rule reads (documents and
 *      their approved versions, risks, impact assessments, evaluation
 *      results, systems, classifications, deployments, datasets), so the
 *      ratio includes the whole analysis but shows the price of going
 *      through the modules' public functions.
 *
 * Peak RSS of the process (and of the commands, as children) is printed
 * beside the times. Temporary stores go to $TMPDIR (or /tmp) and are
 * removed afterwards.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aims/aims.h"
#include "bench.h"

#define SYSTEMS 60
#define REPS 7

static char tmpdir[512], full_db[600], isms_db[600], aims_bin[1024];
static volatile size_t sink;

static void die_aims(const char *what)
{
	bench_die(what, aims_error_last());
}

static const char *IA =
	"intended_use: support loan officers\n"
	"affected_groups:\n  - group: applicants\n"
	"benefits: [faster decisions]\n"
	"harms:\n  - harm: unfair refusal\n    level: individual\n    affected: applicants\n"
	"    severity: high\n    reversibility: partially-reversible\n"
	"misuse: []\nmitigations: [officer review]\nhuman_oversight: an officer confirms refusals\n";

static const char *ANSWERS =
	"role: both\nart2_exclusion: none\nprohibited_practice: none\nannex_i_safety_component: false\n"
	"annex_i_section_b: false\nannex_iii_area: 5(b)\nart6_3_exemption: none\nprofiling: true\n"
	"interacts_with_natural_persons: false\ngenerates_synthetic_content: false\nemotion_recognition: false\n"
	"biometric_categorisation: none\ndeep_fake: false\ngpai: false\nsystemic_risk: false\n"
	"gpai_open_source: false\nbuilds_on_third_party_gpai: false\nfree_open_source_licence: false\n"
	"public_authority: false\nprovides_public_service: false\naffects_workers: false\n";

static const char *INPUTS = "[{\"name\":\"d.csv\",\"sha256\":\"sha256:"
			    "4d034efcda5c376b0eaabb08c9c06fd2ee9186b3a204d25720ae2b1f5b031de0\",\"rows\":952}]";

static aims_store *new_store(const char *path, const char *isms_csv, size_t isms_len)
{
	aims_store_options o = AIMS_STORE_OPTIONS_INIT;
	aims_store *s = NULL;
	int64_t v = 0;
	o.create = 1;
	if (aims_store_open(&s, path, &o) < 0 || bench_act_as(s, "bench") < 0 ||
	    aims_catalog_load_all(s, NULL, NULL) < 0 ||
	    aims_isms_import_mem(s, isms_csv, isms_len, "isms-soa.csv", &v) < 0)
		die_aims("store setup");
	return s;
}

static void fill(aims_store *s)
{
	aims_doc_new_opts no = AIMS_DOC_NEW_INIT;
	aims_aiact_answers a;
	no.owner = "CISO";
	/* four eyes: the documents are written by "bench" and approved by another account */
	no.template_name = "ai-policy";
	if (aims_doc_create(NULL, s, &no) < 0)
		die_aims("AI policy");
	no.template_name = "scope";
	if (aims_doc_create(NULL, s, &no) < 0 || bench_act_as(s, "board") < 0 ||
	    aims_doc_approve(NULL, s, "DOC-001", NULL) < 0 || aims_doc_approve(NULL, s, "DOC-002", NULL) < 0 ||
	    bench_act_as(s, "bench") < 0)
		die_aims("documents");
	if (aims_aiact_answers_parse(&a, ANSWERS, strlen(ANSWERS), "answers.yaml") < 0)
		die_aims("answers");
	char mdir[700], wpath[760];
	snprintf(mdir, sizeof(mdir), "%s/model", tmpdir);
	snprintf(wpath, sizeof(wpath), "%s/weights.bin", mdir);
	if (mkdir(mdir, 0700) != 0)
		bench_die("cannot create", mdir);
	FILE *f = fopen(wpath, "w");
	if (!f || fputs("weights\n", f) < 0 || fclose(f) != 0)
		bench_die("cannot write", wpath);
	aims_artifact *art = NULL;
	aims_model_fields mf = AIMS_MODEL_FIELDS_INIT;
	if (aims_artifact_hash(&art, mdir, 1, NULL, NULL) < 0 ||
	    aims_model_register(NULL, s, "bench-model@1", art, &mf) < 0)
		die_aims("model");
	aims_artifact_free(art);
	for (int i = 0; i < SYSTEMS; i++) {
		char name[32], *ia = NULL, *ev = NULL;
		aims_system_fields sf = AIMS_SYSTEM_FIELDS_INIT;
		aims_risks *risks = NULL;
		aims_risk_treat_opts t = AIMS_RISK_TREAT_INIT;
		const char *controls[] = { "A.7.4" }, *actions[] = { "rebalance the training data" };
		size_t added = 0;
		snprintf(name, sizeof(name), "system-%03d", i);
		sf.purpose = "score credit applications";
		sf.intended_use = "support loan officers";
		if (aims_system_add(s, name, &sf) < 0 || aims_risk_library_add(&added, s, name, NULL, "owner") < 0 ||
		    aims_risk_list(&risks, s, name) < 0)
			die_aims("system and risks");
		t.option = "modify";
		t.controls = controls;
		t.actions = actions;
		t.nactions = 1;
		if (aims_risk_treat(s, risks->items[0]->id, &t) < 0)
			die_aims("treat");
		aims_risks_free(risks);
		if (aims_deploy_record(NULL, s, name, "bench-model@1", "production", NULL, NULL) < 0 ||
		    aims_assess_impact(&ia, s, name, IA, strlen(IA), "ia.yaml") < 0 || bench_act_as(s, "approver") < 0 ||
		    aims_assess_approve(s, ia) < 0 || bench_act_as(s, "bench") < 0)
			die_aims("impact assessment");
		free(ia);
		static const char *const kinds[] = { "fairness", "performance", "drift" };
		for (int k = 0; k < 3; k++) {
			if (aims_eval_record(&ev, s, name, kinds[k], INPUTS, "{}", "{\"n\":952}") < 0)
				die_aims("evaluation");
			free(ev);
		}
		if (aims_aiact_store(NULL, s, name, &a) < 0)
			die_aims("classification");
	}
}

/* ---- (a) the command ---- */

static int run_command(const char *db)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execl(aims_bin, aims_bin, "--db", db, "gap", "--json", (char *)NULL);
		_exit(127);
	}
	int st = 0;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 1;
	return 0;
}

static int run_cmd_full(void *p)
{
	(void)p;
	return run_command(full_db);
}

static int run_cmd_isms(void *p)
{
	(void)p;
	return run_command(isms_db);
}

/* ---- (b) and (c) in process ---- */

static int run_gap(void *p)
{
	aims_gap *g = NULL;
	if (aims_gap_compute(&g, p, 0) < 0)
		return 1;
	sink += aims_gap_count(g) + (size_t)(aims_gap_summary_get(g)->readiness * 1000);
	aims_gap_free(g);
	return 0;
}

/* the records the evidence rule reads, straight from the tables */
static int run_sql(void *p)
{
	static const char *const queries[] = {
		"SELECT d.id, v.links FROM documents d JOIN document_versions v ON v.doc = d.id "
		"AND v.version = (SELECT MAX(version) FROM document_versions WHERE doc = d.id) WHERE d.status <> 'retired'",
		"SELECT id, treatment FROM risks",
		"SELECT id, system, status FROM impact_assessments WHERE status = 'approved'",
		"SELECT id, system, kind, controls FROM eval_results ORDER BY seq",
		"SELECT name, intended_use, status FROM ai_systems",
		"SELECT system, MAX(version) FROM aiact_classifications GROUP BY system",
		"SELECT COUNT(*) FROM deployments",
		"SELECT name, digest, source, origin FROM datasets",
	};
	sqlite3 *db = p;
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(db, queries[q], -1, &st, NULL) != SQLITE_OK)
			bench_die("baseline query", sqlite3_errmsg(db));
		while (sqlite3_step(st) == SQLITE_ROW)
			sink += (size_t)sqlite3_column_bytes(st, 0);
		sqlite3_finalize(st);
	}
	return 0;
}

static double maxrss_mib(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
	char *isms = NULL;
	size_t isms_len = 0;
	double a, b;

	bench_header(argc, argv, "aims benchmark: gap analysis with the evidence kept in aims (bench/gap.c)");
	bench_tmpdir(tmpdir, sizeof(tmpdir), "gap");
	/* the aims command beside this benchmark: BUILD/bench/gap -> BUILD/aims */
	snprintf(aims_bin, sizeof(aims_bin), "%s", argv[0]);
	char *slash = strrchr(aims_bin, '/');
	if (!slash)
		bench_die("run me by path", argv[0]);
	snprintf(slash, sizeof(aims_bin) - (size_t)(slash - aims_bin), "/../aims");
	if (access(aims_bin, X_OK) != 0)
		bench_die("no aims command beside the benchmark", aims_bin);
	FILE *f = fopen("examples/isms-soa.csv", "rb");
	if (!f)
		bench_die("run from the source tree", "examples/isms-soa.csv");
	char buf[65536];
	isms_len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	isms = buf;
	snprintf(full_db, sizeof(full_db), "%s/full.db", tmpdir);
	snprintf(isms_db, sizeof(isms_db), "%s/isms.db", tmpdir);
	aims_store *full = new_store(full_db, isms, isms_len), *only = new_store(isms_db, isms, isms_len);
	fill(full);
	printf("libs:    aims %s, sqlite %s; temp %s\n", AIMS_VERSION, sqlite3_libversion(), tmpdir);
	printf("store:   the example ISMS and %d AI systems, each with its library risks (one treated), an approved\n"
	       "         impact assessment, 3 evaluation results, a classification and a deployment; 2 approved documents\n",
	       SYSTEMS);
	printf("figures: medians of %d alternating repetitions; time ratio = aims time / baseline time\n", REPS);

	bench_case cf = { NULL, run_cmd_full, NULL, NULL, 1 }, ci = { NULL, run_cmd_isms, NULL, NULL, 1 };
	bench_pair(&cf, &ci, REPS, &a, &b);
	bench_table("(a) command: aims gap --json, full store vs the ISMS-only store", "systems", "runs/s");
	bench_row("gap --json", SYSTEMS, 1.0 / a, 1.0 / b);
	printf("  median: full %.1f ms, ISMS only %.1f ms\n", a * 1e3, b * 1e3);

	bench_case gf = { NULL, run_gap, NULL, full, 0 }, gi = { NULL, run_gap, NULL, only, 0 };
	bench_pair(&gf, &gi, REPS, &a, &b);
	bench_table("(b) evidence: aims_gap_compute, full store vs the ISMS-only store", "systems", "calls/s");
	bench_row("aims_gap_compute", SYSTEMS, 1.0 / a, 1.0 / b);

	sqlite3 *db = NULL;
	if (sqlite3_open_v2(full_db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		bench_die("cannot open", full_db);
	bench_case gs = { NULL, run_sql, NULL, db, 0 };
	gf.iters = 0;
	bench_pair(&gf, &gs, REPS, &a, &b);
	bench_table("(c) sources: aims_gap_compute vs plain SQL over the records the evidence rule reads", "systems",
		    "calls/s");
	bench_row("full store", SYSTEMS, 1.0 / a, 1.0 / b);
	sqlite3_close(db);
	printf("\n  peak RSS: this process %.1f MiB, the commands %.1f MiB\n", maxrss_mib(RUSAGE_SELF),
	       maxrss_mib(RUSAGE_CHILDREN));

	if (getenv("AIMS_BENCH_KEEP")) {
		printf("  kept: %s\n", full_db);
		return 0;
	}
	aims_store_free(full);
	aims_store_free(only);
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench: cannot remove '%s'\n", tmpdir);
	return 0;
}
