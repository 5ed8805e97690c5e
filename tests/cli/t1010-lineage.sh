#!/bin/bash
# t1010-lineage: a realistic pipeline delivered as OpenLineage 2-0-2 events
# (raw dataset -> feature preparation job -> features -> training job ->
# model -> deployment): upstream and downstream answers checked exactly,
# again after duplicate delivery and after out-of-order NDJSON delivery into
# a fresh store; unknown facets kept; malformed events (missing runId, bad
# eventTime, wrong types) refused with their position and reason with the
# store unchanged; gzip-compressed input; DOT, SVG and JSON drawings and
# their option errors; MLflow model-versions import.

. "$(dirname "$0")/test-lib.sh"

PIPELINE=$AIMS_SRC/fuzz/corpus/openlineage/pipeline.json
RUN1=0190f1a2-6c3d-7e4f-8a5b-1c2d3e4f5a01
RUN2=0190f1a2-6c3d-7e4f-8a5b-1c2d3e4f5a02
RAW="dataset:s3://northwind-raw#applications/2026-02.parquet@2026-02"
FEAT="dataset:s3://northwind-curated#features/credit@v41"

content_digest() {
	aims_at "$1" status --json | jq -r .store.content_digest
}

test_expect_success 'setup: a store with the system, and the pipeline ingested' '
	aims_db init >/dev/null &&
	aims_db system add credit-scoring --purpose "Scores loan applications" >/dev/null &&
	aims_db lineage ingest "$PIPELINE" --json >in.json &&
	test_json in.json ".events == 4 and .stored == 4 and .duplicates == 0 and .runs == 2" &&
	aims_db deploy record credit-scoring --model credit-risk@7 --env production --at 2026-03-02T09:00:00Z >/dev/null &&
	printf "%s\n" "run:$RUN1" "$FEAT" "run:$RUN2" model:credit-risk@7 system:credit-scoring >down.want &&
	printf "%s\n" model:credit-risk@7 "run:$RUN2" "$FEAT" job:airflow-risk#credit.train_model "run:$RUN1" "$RAW" \
		job:airflow-risk#credit.prepare_features >up.want
'

test_expect_success 'downstream of the raw dataset reaches the deployed system' '
	aims_db lineage downstream "dataset:applications/2026-02.parquet" >down.txt &&
	test_cmp down.want down.txt
'

test_expect_success 'which deployed systems used this dataset: one command' '
	aims_db lineage downstream "dataset:applications/2026-02.parquet" --type system >sys.txt &&
	echo system:credit-scoring >want.txt &&
	test_cmp want.txt sys.txt &&
	aims_db lineage downstream "dataset:s3://northwind-raw#applications/2026-02.parquet@2026-02" --type system --json >sys.json &&
	test_json sys.json ".nodes == [{\"ref\": \"system:credit-scoring\", \"type\": \"system\", \"name\": \"credit-scoring\", \"version\": null, \"namespace\": null}] and .edges == []"
'

test_expect_success 'upstream of the system: model, runs, jobs and datasets with PROV edges' '
	aims_db lineage upstream system:credit-scoring >up.txt &&
	test_cmp up.want up.txt &&
	aims_db lineage upstream system:credit-scoring --json >up.json &&
	test_json up.json ".ref == \"system:credit-scoring\" and .direction == \"upstream\" and (.nodes | length == 8)" &&
	test_json up.json "[.edges[] | select(.relation == \"wasGeneratedBy\")] == [{\"relation\": \"wasGeneratedBy\", \"from\": \"model:credit-risk@7\", \"to\": \"run:$RUN2\"}, {\"relation\": \"wasGeneratedBy\", \"from\": \"$FEAT\", \"to\": \"run:$RUN1\"}]" &&
	test_json up.json "[.edges[] | select(.relation == \"used\") | .from + \" \" + .to] == [\"system:credit-scoring model:credit-risk@7\", \"run:$RUN2 $FEAT\", \"run:$RUN1 $RAW\"]" &&
	test_json up.json "[.edges[] | select(.relation == \"wasAssociatedWith\")] | length == 2" &&
	test_json up.json ".nodes[] | select(.ref == \"$FEAT\") | .namespace == \"s3://northwind-curated\" and .name == \"features/credit\" and .version == \"v41\""
'

test_expect_success 'runs: states, times (offsets normalized), code version; unknown facets kept' '
	aims_db lineage run $RUN1 --json >r1.json &&
	test_json r1.json ".state == \"COMPLETE\" and .started_at == \"2026-03-01T02:00:00.000000Z\" and .ended_at == \"2026-03-01T02:14:31.250000Z\" and .code_version == \"9c1e4b7\" and .events == 2" &&
	test_json r1.json ".facets.nominalTime.nominalStartTime == \"2026-03-01T02:00:00Z\" and .inputs == [\"$RAW\"] and .outputs == [\"$FEAT\"]" &&
	aims_db lineage run $RUN2 --json >r2.json &&
	test_json r2.json ".parameters == {\"learning_rate\": 0.05, \"max_depth\": 6, \"n_estimators\": 400} and .code_version == \"4d2a0f9\" and .outputs == [\"model:credit-risk@7\"]" &&
	aims_db dataset show "$FEAT" --json >feat.json &&
	test_json feat.json ".facets.northwind_quality.rows == 48211 and .facets.version.datasetVersion == \"v41\" and .origin == \"openlineage\" and .digest == null" &&
	aims_db dataset show "$RAW" --json >raw.json &&
	test_json raw.json ".facets.schema.fields | map(.name) == [\"applicant_id\", \"income\", \"postcode\"]"
'

test_expect_success 'duplicate delivery changes nothing' '
	before=$(content_digest "$TEST_DB") &&
	aims_db lineage upstream system:credit-scoring --json >up1.json &&
	aims_db lineage ingest "$PIPELINE" --json >again.json &&
	test_json again.json ".stored == 0 and .duplicates == 4" &&
	test_equal "$before" "$(content_digest "$TEST_DB")" &&
	aims_db lineage upstream system:credit-scoring --json >up2.json &&
	test_cmp up1.json up2.json
'

test_expect_success 'out-of-order NDJSON delivery (with a duplicate) gives the same graph and runs' '
	jq -c "reverse | .[]" "$PIPELINE" >reversed.ndjson &&
	jq -c ".[2]" "$PIPELINE" >>reversed.ndjson &&
	aims_at other.db init >/dev/null &&
	aims_at other.db system add credit-scoring --purpose "Scores loan applications" >/dev/null &&
	aims_at other.db lineage ingest - --json <reversed.ndjson >in2.json &&
	test_json in2.json ".events == 5 and .stored == 4 and .duplicates == 1" &&
	aims_at other.db deploy record credit-scoring --model credit-risk@7 --env production --at 2026-03-02T09:00:00Z >/dev/null &&
	aims_at other.db lineage upstream system:credit-scoring --json >up3.json &&
	test_cmp up1.json up3.json &&
	aims_db lineage downstream "$RAW" --json >d1.json &&
	aims_at other.db lineage downstream "$RAW" --json >d2.json &&
	test_cmp d1.json d2.json &&
	for r in $RUN1 $RUN2; do
		aims_db lineage run $r --json >a.json && aims_at other.db lineage run $r --json >b.json && test_cmp a.json b.json || return 1
	done &&
	aims_db dataset show "$FEAT" --json | jq .facets >f1.json &&
	aims_at other.db dataset show "$FEAT" --json | jq .facets >f2.json &&
	test_cmp f1.json f2.json
'

test_expect_success 'one event at a time, split across deliveries, also ends the same' '
	aims_at third.db init >/dev/null &&
	for i in 3 1 2 0; do jq ".[$i]" "$PIPELINE" >one.json && aims_at third.db lineage ingest one.json >/dev/null || return 1; done &&
	aims_at third.db lineage downstream "$RAW" --json >d3.json &&
	jq "del(.nodes[] | select(.type == \"system\")) | del(.edges[] | select(.from | startswith(\"system:\")))" d1.json >d1s.json &&
	test_cmp d1s.json d3.json
'

test_expect_success 'malformed: missing runId (NDJSON line), nothing stored' '
	before=$(content_digest "$TEST_DB") &&
	jq -c ".[0]" "$PIPELINE" >bad.ndjson &&
	jq -c ".[1] | .run.runId = \"0190f1a2-6c3d-7e4f-8a5b-1c2d3e4f5a09\"" "$PIPELINE" >>bad.ndjson &&
	jq -c ".[2] | del(.run.runId)" "$PIPELINE" >>bad.ndjson &&
	expect_exit 3 aims_db lineage ingest bad.ndjson &&
	test_grep "bad.ndjson. line 3: run.runId: missing" err &&
	test_equal "$before" "$(content_digest "$TEST_DB")" &&
	expect_exit 5 aims_db lineage run 0190f1a2-6c3d-7e4f-8a5b-1c2d3e4f5a09
'

test_expect_success 'malformed: bad eventTime (array index and line)' '
	before=$(content_digest "$TEST_DB") &&
	jq "[.[0], (.[1] | .eventTime = \"01/03/2026 10:00\")]" "$PIPELINE" >badtime.json &&
	expect_exit 3 aims_db lineage ingest badtime.json &&
	test_grep "badtime.json. event \[1\] \\(line [0-9]+\\): eventTime: .01/03/2026 10:00. is not an ISO 8601 date-time" err &&
	jq ".[0] | .eventTime = \"2026-02-30T10:00:00Z\"" "$PIPELINE" >feb30.json &&
	expect_exit 3 aims_db lineage ingest feb30.json &&
	test_grep "feb30.json.: eventTime: .2026-02-30T10:00:00Z. is not" err &&
	jq ".[0] | .eventTime = \"2026-03-01T10:00:00\"" "$PIPELINE" >nozone.json &&
	expect_exit 3 aims_db lineage ingest nozone.json &&
	test_equal "$before" "$(content_digest "$TEST_DB")"
'

test_expect_success 'malformed: wrong types are named with the path' '
	before=$(content_digest "$TEST_DB") &&
	jq "[.[0], .[1], (.[3] | .inputs = \"features\")]" "$PIPELINE" >types.json &&
	expect_exit 3 aims_db lineage ingest types.json &&
	test_grep "event \[2\] \\(line [0-9]+\\): inputs: expected an array, found a string" err &&
	jq ".[0] | .run.runId = 42" "$PIPELINE" >num.json &&
	expect_exit 3 aims_db lineage ingest num.json &&
	test_grep "run.runId: expected a string, found a number" err &&
	jq ".[0] | .run.runId = \"run-1\"" "$PIPELINE" >uuid.json &&
	expect_exit 3 aims_db lineage ingest uuid.json &&
	test_grep "run.runId: .run-1. is not a UUID" err &&
	jq ".[3] | .outputs[0].facets.version.datasetVersion = 7" "$PIPELINE" >ver.json &&
	expect_exit 3 aims_db lineage ingest ver.json &&
	test_grep "outputs\[0\].facets.version.datasetVersion: expected a non-empty string, found a number" err &&
	jq ".[0] | .eventType = \"DONE\"" "$PIPELINE" >type.json &&
	expect_exit 3 aims_db lineage ingest type.json &&
	test_grep "eventType: .DONE. is not START" err &&
	printf "[1, 2]" >scalar.json &&
	expect_exit 3 aims_db lineage ingest scalar.json &&
	test_grep "event \[0\] \\(line 1\\): event: expected a RunEvent object, found a number" err &&
	printf "{\"eventTime\": " >syntax.json &&
	expect_exit 3 aims_db lineage ingest syntax.json &&
	test_grep "syntax.json. line 1" err &&
	test_equal "$before" "$(content_digest "$TEST_DB")"
'

test_expect_success 'references: unknown and ambiguous datasets, bad forms' '
	expect_exit 5 aims_db lineage upstream dataset:nosuch &&
	expect_exit 3 aims_db lineage upstream credit-risk@7 &&
	test_grep "not a reference" err &&
	printf "x\n" >f.csv &&
	aims_db dataset register features/credit@v1 --file f.csv >/dev/null &&
	expect_exit 3 aims_db lineage upstream dataset:features/credit &&
	test_grep "ambiguous: it exists in the namespaces" err &&
	aims_db lineage upstream "job:credit.train_model" >/dev/null
'

test_expect_success 'graph: DOT and an SVG of our own with every node' '
	aims_db lineage graph model:credit-risk@7 >g.dot &&
	test_grep "^digraph lineage" g.dot &&
	test_grep -F "\"model:credit-risk@7\" -> \"run:$RUN2\" [label=\"wasGeneratedBy\"];" g.dot &&
	test_grep -F "\"system:credit-scoring\" -> \"model:credit-risk@7\" [label=\"used\"];" g.dot &&
	aims_db lineage graph model:credit-risk@7 --format svg --out g.svg &&
	test_grep "^<svg xmlns" g.svg &&
	test "$(grep -c "<g class=\"node" g.svg)" -eq 8 &&
	test "$(grep -c "<g class=\"edge" g.svg)" -eq 7 &&
	test_grep -F "<title>$RAW</title>" g.svg &&
	expect_exit 2 aims_db lineage graph model:credit-risk@7 --format png
'

test_expect_success 'graph: --dot FILE and --svg FILE, --json; conflicting options are usage errors' '
	aims_db lineage graph model:credit-risk@7 --dot g2.dot &&
	test_cmp g.dot g2.dot &&
	aims_db lineage graph model:credit-risk@7 --svg g2.svg >g2.out &&
	test_cmp g.svg g2.svg &&
	test_must_be_empty g2.out &&
	aims_db lineage graph model:credit-risk@7 --direction upstream --json >g.json &&
	test_json g.json ".ref == \"model:credit-risk@7\" and .direction == \"upstream\" and (.nodes | length == 7) and (.edges | length == 6)" &&
	aims_db lineage upstream model:credit-risk@7 --json >u.json &&
	test_json g.json ".nodes == $(jq -c .nodes u.json) and .edges == $(jq -c .edges u.json)" &&
	expect_exit 2 aims_db lineage graph model:credit-risk@7 --svg a.svg --out b.svg &&
	test_grep "give one of --out FILE, --dot FILE and --svg FILE" err &&
	expect_exit 2 aims_db lineage graph model:credit-risk@7 --json --format svg &&
	expect_exit 2 aims_db lineage graph model:credit-risk@7 --direction sideways &&
	test_grep "direction .sideways.: expected both, upstream or downstream" err &&
	expect_exit 2 aims_db lineage upstream model:credit-risk@7 --type pipeline &&
	test_grep "type .pipeline.: expected system, model, dataset, run or job" err
'

test_expect_success 'gzip-compressed input is decompressed; a truncated one is refused, storing nothing' '
	gzip -c "$PIPELINE" >pipeline.json.gz &&
	aims_at gz.db init >/dev/null &&
	aims_at gz.db lineage ingest pipeline.json.gz --json >gz.json &&
	test_json gz.json ".events == 4 and .stored == 4" &&
	aims_at gz.db lineage ingest - --json <pipeline.json.gz >gz2.json &&
	test_json gz2.json ".stored == 0 and .duplicates == 4" &&
	head -c 200 pipeline.json.gz >cut.json.gz &&
	aims_at gz2.db init >/dev/null &&
	before=$(content_digest gz2.db) &&
	expect_exit 3 aims_at gz2.db lineage ingest cut.json.gz &&
	test_grep "cut.json.gz.: truncated gzip data" err &&
	test_equal "$before" "$(content_digest gz2.db)"
'

test_expect_success 'mlflow import: models and runs from a model-versions search response' '
	cat >mv.json <<-EOF2 &&
	{"model_versions": [
	  {"name": "credit-risk", "version": "7", "creation_timestamp": 1772355600000,
	   "source": "mlflow-artifacts:/12/0a1b2c/artifacts/model", "run_id": "0a1b2c3d4e5f",
	   "status": "READY", "tags": [{"key": "validated_by", "value": "model-risk"}], "aliases": ["champion"]},
	  {"name": "credit-risk", "version": "8", "source": "mlflow-artifacts:/12/9f8e7d/artifacts/model",
	   "run_id": "9f8e7d6c5b4a", "tags": [], "aliases": []}
	]}
	EOF2
	aims_db mlflow import mv.json --json >ml.json &&
	test_json ml.json ".models == 2 and .created == 1 and .runs == 2" &&
	aims_db model show credit-risk@7 --json >m7.json &&
	test_json m7.json ".source == \"mlflow-artifacts:/12/0a1b2c/artifacts/model\" and .run == \"0a1b2c3d4e5f\" and .tags == {\"validated_by\": \"model-risk\"} and .aliases == [\"champion\"] and .record_version == 2" &&
	aims_db model show credit-risk --json >latest.json &&
	test_json latest.json ".version == \"8\" and .origin == \"mlflow\"" &&
	aims_db lineage upstream model:credit-risk@8 >up8.txt &&
	echo run:9f8e7d6c5b4a >want.txt && test_cmp want.txt up8.txt &&
	before=$(content_digest "$TEST_DB") &&
	aims_db mlflow import mv.json --json >ml2.json &&
	test_json ml2.json ".created == 0" &&
	test_equal "$before" "$(content_digest "$TEST_DB")"
'

test_expect_success 'mlflow import refuses a bad entry with its path, storing nothing' '
	before=$(content_digest "$TEST_DB") &&
	printf "{\"model_versions\": [\n {\"name\": \"a\", \"version\": \"1\"},\n {\"name\": \"b\"}\n]}\n" >bad.json &&
	expect_exit 3 aims_db mlflow import bad.json &&
	test_grep "bad.json. line 3: model_versions\[1\].version: missing" err &&
	test_equal "$before" "$(content_digest "$TEST_DB")" &&
	expect_exit 5 aims_db model show a@1
'

done_testing
