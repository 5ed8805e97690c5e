#!/bin/bash
# t1430-monitor: monitoring plans and runs (ISO/IEC 42001 9.1, EU AI Act
# Art. 72; issue 16). A plan compares each month's decisions of an AI system
# with a reference window of its decision log. With a fixed clock: in March
# the run covers February, whose decisions drifted (confidence and approval
# rate shifted), so it records the drift evaluation as evidence and opens a
# nonconformity linked to it (and, as the plan says, an incident); running
# again in March does nothing; in April, February's stable twin month March
# is within the thresholds; a month without decisions is an error run saying
# why. Periods of a day and a week, bad input, the ledger.

. "$(dirname "$0")/test-lib.sh"


at() {
	local when=$1 who=$2
	shift 2
	AIMS_TOKEN=$(cat "$TEST_DIR/.token-$who") AIMS_TEST_NOW=$when "$AIMS_TESTCLOCK" --db "$TEST_DB" "$@"
}

# January: the reference; February: confidence and approvals shifted (drift); March: like January
/usr/bin/python3 - "$TEST_DIR" <<'PYEOF'
import random, sys
rnd = random.Random(11)
dig = "sha256:" + "a" * 64
with open(sys.argv[1] + "/dec.ndjson", "w") as nd:
    for month, n, mu, p in ((1, 400, 0.6, 0.5), (2, 500, 0.75, 0.7), (3, 450, 0.6, 0.5)):
        for i in range(n):
            t = "2026-%02d-%02dT%02d:%02d:00Z" % (month, (i % 28) + 1, i % 24, i % 60)
            c = round(min(0.999999, max(0.0, rnd.gauss(mu, 0.1))), 6)
            ap = "true" if rnd.random() < p else "false"
            nd.write('{"time":"%s","model":"credit@1","input_digest":"%s","output":{"approve":%s},"confidence":%r}\n'
                     % (t, dig, ap, c))
PYEOF

test_expect_success 'setup: accounts, a system with three months of decisions' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null &&
	"$AIMS" ledger keygen --name example.com/aims --out "$TEST_DIR/k.key" >/dev/null 2>&1 &&
	aims_db ledger setup --key "$TEST_DIR/k.key" >/dev/null &&
	test_account cm compliance-manager && test_account ml ml-engineer && test_account ro risk-owner &&
	aims_db system add credit --purpose "credit scoring" --owner risk --role provider >/dev/null &&
	echo "credit 1" >credit.bin && aims_db model register credit@1 --file credit.bin >/dev/null &&
	aims_db decision ingest --system credit dec.ndjson >/dev/null
'

test_expect_success 'a monthly plan against January' '
	at 2026-02-01T00:00:00Z ml monitor plan add credit-monthly --system credit --every month \
		--ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z --column confidence \
		--column output.approve --owner ro --incident --json >p.json &&
	test_json p.json ".id == \"credit-monthly\" and .status == \"active\" and .every == \"month\" and
		.columns == [\"confidence\", \"output.approve\"] and .share_threshold == 0.5 and .owner == \"ro\" and
		.incident_on_breach and .created_by == \"ml\""
'

test_expect_success 'the March run covers February: drift, evidence, a nonconformity linked to it, an incident' '
	at 2026-03-03T06:00:00Z ml monitor run --json >r.json &&
	test_json r.json ".runs | length == 1" &&
	test_json r.json ".runs[0] | .id == \"credit-monthly/2026-02\" and .period == \"2026-02\" and
		.since == \"2026-02-01T00:00:00Z\" and .until == \"2026-03-01T00:00:00Z\" and .status == \"breach\" and
		.ran_now and .result.drift_share == 1 and .result.nonconformity == \"NC-001\" and .result.incident == \"INC-001\"" &&
	ev=$(jq -r ".runs[0].result.evaluation" r.json) &&
	aims_as cm eval show "$ev" --json >e.json &&
	test_json e.json ".kind == \"drift\" and .system == \"credit\"" &&
	aims_as cm nc show NC-001 --json >nc.json &&
	test_json nc.json ".source == \"monitoring\" and .source_ref == \"credit-monthly/2026-02\" and .requirement == \"9.1\" and
		.system == \"credit\" and .owner == \"ro\" and .evidence == \"evaluation:$ev\" and .due == \"2026-04-02\"" &&
	aims_as cm incident show INC-001 --json >i.json &&
	test_json i.json ".system == \"credit\" and .evidence == \"evaluation:$ev\" and .serious == false"
'

test_expect_success 'running again in the same period does nothing and says so' '
	at 2026-03-20T00:00:00Z ml monitor run --json >r2.json &&
	test_json r2.json ".runs[0] | .id == \"credit-monthly/2026-02\" and (.ran_now | not) and .result.nonconformity == \"NC-001\"" &&
	at 2026-03-20T00:00:00Z ml monitor run >r2.txt &&
	test_grep "^credit-monthly/2026-02: breach \(already run this period\)" r2.txt &&
	aims_as cm nc list --json >l.json && test_json l.json ".nonconformities | length == 1"
'

test_expect_success 'April covers March, which is like January: within the thresholds, nothing opened' '
	at 2026-04-01T01:00:00Z ml monitor run >r3.txt &&
	test_grep "^credit-monthly/2026-03: within-thresholds, drift share 0, evidence evaluation EVAL-" r3.txt &&
	aims_as cm nc list --json >l.json && test_json l.json ".nonconformities | length == 1"
'

test_expect_success 'a month without decisions is an error run saying why; the runs are listed' '
	at 2026-05-02T00:00:00Z ml monitor run --json >r4.json &&
	test_json r4.json ".runs[0] | .status == \"error\" and (.result.error | length > 0)" &&
	aims_as cm monitor runs --json >runs.json &&
	test_json runs.json "[.runs[].id] == [\"credit-monthly/2026-04\", \"credit-monthly/2026-03\", \"credit-monthly/2026-02\"]"
'

test_expect_success 'periods: a day is the day before, a week the ISO week before' '
	at 2026-03-01T00:00:00Z ml monitor plan add credit-daily --system credit --every day \
		--ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z --column confidence >/dev/null &&
	at 2026-03-01T00:00:00Z ml monitor plan add credit-weekly --system credit --every week \
		--ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z --column confidence >/dev/null &&
	at 2026-03-04T12:00:00Z ml monitor run --json >d.json &&
	test_json d.json "[.runs[] | select(.plan == \"credit-daily\") | .period, .since, .until] ==
		[\"2026-03-03\", \"2026-03-03T00:00:00Z\", \"2026-03-04T00:00:00Z\"]" &&
	test_json d.json "[.runs[] | select(.plan == \"credit-weekly\") | .period, .since, .until] ==
		[\"2026-W09\", \"2026-02-23T00:00:00Z\", \"2026-03-02T00:00:00Z\"]"
'

test_expect_success 'catching up: one plan for a past period, once; refusals name the field' '
	at 2026-05-10T00:00:00Z ml monitor run --plan credit-monthly --period 2026-01 --json >c.json &&
	test_json c.json "(.runs | length) == 1 and .runs[0].id == \"credit-monthly/2026-01\" and .runs[0].ran_now and
		.runs[0].status == \"within-thresholds\" and .runs[0].since == \"2026-01-01T00:00:00Z\"" &&
	at 2026-05-10T00:00:00Z ml monitor run --plan credit-monthly --period 2026-01 --json >c2.json &&
	test_json c2.json ".runs[0].ran_now == false" &&
	at 2026-05-10T00:00:00Z ml monitor run --plan credit-weekly --period 2026-W09 --json >w.json &&
	test_json w.json ".runs[0] | .since == \"2026-02-23T00:00:00Z\" and .until == \"2026-03-02T00:00:00Z\"" &&
	expect_exit 3 at 2026-05-10T00:00:00Z ml monitor run --period 2026-01 &&
	test_grep "period: names a past period of one plan: give plan too" err &&
	expect_exit 3 at 2026-05-10T00:00:00Z ml monitor run --plan credit-monthly --period 2026-05 &&
	test_grep "period .2026-05.: not over yet" err &&
	expect_exit 3 at 2026-05-10T00:00:00Z ml monitor run --plan credit-monthly --period 2026-W01 &&
	test_grep "period .2026-W01.: not a month of the plan" err &&
	expect_exit 3 at 2026-05-10T00:00:00Z ml monitor run --plan credit-weekly --period 2025-W53 &&
	expect_exit 5 at 2026-05-10T00:00:00Z ml monitor run --plan nosuch
'

test_expect_success 'a retired plan runs no more' '
	at 2026-03-05T00:00:00Z ml monitor plan retire credit-daily --json >rt.json &&
	test_json rt.json ".status == \"retired\"" &&
	at 2026-03-05T12:00:00Z ml monitor run --json >r5.json &&
	test_json r5.json "[.runs[].plan] | index(\"credit-daily\") == null"
'

test_expect_success 'bad input names the field; permissions' '
	expect_exit 3 aims_as ml monitor plan add Bad_Name --system credit --every month \
		--ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z &&
	test_grep "name .Bad_Name.: expected" err &&
	expect_exit 3 aims_as ml monitor plan add p2 --system credit --every year \
		--ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z &&
	test_grep "every" err &&
	expect_exit 3 aims_as ml monitor plan add p2 --system credit --every month \
		--ref-since 2026-02-01T00:00:00Z --ref-until 2026-01-01T00:00:00Z &&
	test_grep "ref_since before ref_until" err &&
	expect_exit 3 aims_as ml monitor plan add p2 --system credit --every month \
		--ref-since yesterday --ref-until 2026-01-01T00:00:00Z &&
	test_grep "ref_since .yesterday.: expected an RFC 3339 time" err &&
	expect_exit 5 aims_as ml monitor plan add p2 --system nosuch --every month \
		--ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z &&
	expect_exit 3 aims_as ml monitor plan add credit-monthly --system credit --every month \
		--ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z &&
	test_grep "monitoring plan credit-monthly: exists" err &&
	expect_exit 7 aims_as ro monitor plan add p3 --system credit --every month \
		--ref-since 2026-01-01T00:00:00Z --ref-until 2026-02-01T00:00:00Z &&
	test_grep "monitor.manage" err &&
	expect_exit 7 aims_as ro monitor run &&
	test_grep "eval.record" err
'

test_expect_success 'plans and runs are in the ledger, which verifies' '
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"monitoring-run\") | .object_id] ==
		[\"credit-monthly/2026-02\", \"credit-monthly/2026-03\", \"credit-monthly/2026-04\",
		 \"credit-weekly/2026-W09\", \"credit-daily/2026-03-03\", \"credit-monthly/2026-01\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"monitoring-plan\" and .object_id == \"credit-daily\") | .action] == [\"create\", \"retire\"]" &&
	aims_db ledger verify >/dev/null
'

done_testing
