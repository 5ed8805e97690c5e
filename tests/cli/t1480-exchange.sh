#!/bin/bash
# t1480-exchange: incidents and nonconformities exchanged with the ISMS tool
# (issue 16): CSV and JSON with the documented columns, linked to ISO 27001
# controls; an import is all or nothing (a bad row names the line and the
# column and leaves the store unchanged), and importing the same file twice
# changes nothing; an export imports into another store.

. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup: two stores with a system' '
	for db in "$TEST_DB" "$(test_store other.db)"; do
		aims_at "$db" init --org "Northwind Lending GmbH" >/dev/null &&
		aims_at "$db" system add credit --purpose "credit scoring" --owner risk --role provider >/dev/null || exit 1
	done &&
	test_account cm compliance-manager && test_account ml ml-engineer
'

test_expect_success 'incidents from the ISMS tool (CSV), one concerning both management systems' '
	cat >inc.csv <<-EOF &&
	isms_ref,title,system,harm,severity,serious,serious_case,awareness,isms_controls,description
	ISMS-INC-17,Model weights copied to a laptop,credit,other,high,no,,2026-04-02T10:00:00Z,A.5.24;A.8.12,"found by DLP, laptop recovered"
	ISMS-INC-18,Refusals doubled for one postcode,credit,fundamental-rights,high,yes,default,2026-04-05T08:00:00Z,A.5.24,
	EOF
	aims_as ml incident import inc.csv --json >i.json &&
	test_json i.json ".kind == \"incidents\" and [.created[] | {id, isms_ref, line}] ==
		[{\"id\": \"INC-001\", \"isms_ref\": \"ISMS-INC-17\", \"line\": 2}, {\"id\": \"INC-002\", \"isms_ref\": \"ISMS-INC-18\", \"line\": 3}] and .unchanged == 0" &&
	aims_as ml incident show INC-001 --json >s.json &&
	test_json s.json ".isms_ref == \"ISMS-INC-17\" and .isms_controls == [\"A.5.24\", \"A.8.12\"] and .description == \"found by DLP, laptop recovered\"" &&
	aims_as ml incident show INC-002 --json >s2.json &&
	test_json s2.json ".serious and .deadline == \"2026-04-20T08:00:00Z\"" &&
	aims_as ml incident import inc.csv >again.txt &&
	test_grep "^imported 0 incidents, 2 imported before and left alone$" again.txt
'

test_expect_success 'a bad row names the line and the column; nothing is written' '
	before=$(test_store_fingerprint "$TEST_DB") &&
	cat >bad.csv <<-EOF &&
	isms_ref,title,system,harm,severity,awareness
	ISMS-INC-20,fine,credit,other,low,2026-04-02T10:00:00Z
	ISMS-INC-21,bad,credit,cosmic,low,2026-04-02T10:00:00Z
	EOF
	expect_exit 3 aims_as ml incident import bad.csv &&
	test_grep "bad.csv. line 3" err && test_grep "harm" err &&
	printf "isms_ref,title,system,harm,severity,colour\nX,t,credit,other,low,red\n" >col.csv &&
	expect_exit 3 aims_as ml incident import col.csv &&
	test_grep "line 1: column .colour.: not a column of incidents" err &&
	printf "isms_ref,title,system,harm,severity,awareness\nX,t,credit,other,low\n" >short.csv &&
	expect_exit 3 aims_as ml incident import short.csv &&
	test_grep "line 2: 5 fields, the header has 6" err &&
	printf "isms_ref,title,system,harm,severity,awareness\n,t,credit,other,low,2026-04-02T10:00:00Z\n" >noref.csv &&
	expect_exit 3 aims_as ml incident import noref.csv &&
	test_grep "line 2: column isms_ref: required" err &&
	printf "isms_ref,title,system,harm,severity,awareness,isms_controls\nX,t,credit,other,low,2026-04-02T10:00:00Z,A.99\n" >ctl.csv &&
	expect_exit 3 aims_as ml incident import ctl.csv &&
	test_grep "A.99" err &&
	test "$(test_store_fingerprint "$TEST_DB")" = "$before"
'

test_expect_success 'nonconformities as JSON; errors name the line' '
	cat >nc.json <<-EOF &&
	{"nonconformities": [
	  {"isms_ref": "ISMS-NC-4", "title": "Access reviews skipped for the model registry", "source": "external-audit",
	   "requirement": "A.6.2.6", "system": "credit", "isms_controls": ["A.5.18"], "due": "2026-06-30"}
	]}
	EOF
	aims_as cm nc import nc.json --json >n.json &&
	test_json n.json "[.created[] | {id, line}] == [{\"id\": \"NC-001\", \"line\": 2}]" &&
	aims_as cm nc show NC-001 --json >ns.json &&
	test_json ns.json ".isms_ref == \"ISMS-NC-4\" and .isms_controls == [\"A.5.18\"] and .source == \"external-audit\"" &&
	printf "{\"nonconformities\": [\n {\"isms_ref\": \"N5\", \"title\": \"t\", \"source\": \"other\", \"colour\": \"red\"}\n]}\n" >bad.json &&
	expect_exit 3 aims_as cm nc import bad.json &&
	test_grep "bad.json. line 2" err && test_grep "colour" err &&
	printf "{\"nonconformities\": {}}" >shape.json &&
	expect_exit 3 aims_as cm nc import shape.json &&
	test_grep -F "expected {\"nonconformities\": [...]}" err
'

test_expect_success 'export (CSV and JSON) imports into another store' '
	aims_as ml incident export >out.csv &&
	head -n1 out.csv | tr -d "\r" >h &&
	test "$(cat h)" = "isms_ref,title,system,harm,severity,serious,serious_case,role,awareness,affected_groups,description,isms_controls,id,status,deadline,opened_at" &&
	test "$(wc -l <out.csv)" = 3 &&
	aims_at "$(test_store other.db)" incident import out.csv --json >o.json &&
	test_json o.json "(.created | length) == 2" &&
	aims_as cm nc export --syntax json >out.json &&
	aims_at "$(test_store other.db)" user add cm --role compliance-manager >/dev/null &&
	test_json out.json ".nonconformities[0] | .isms_ref == \"ISMS-NC-4\" and .id == \"NC-001\" and .isms_controls == [\"A.5.18\"]" &&
	aims_at "$(test_store other.db)" nc import out.json >/dev/null &&
	aims_at "$(test_store other.db)" nc list --json >ol.json &&
	test_json ol.json "[.nonconformities[].isms_ref] == [\"ISMS-NC-4\"]"
'

done_testing
