#!/bin/bash
# t1000-inventory: AI systems, datasets, models and deployments from the
# command line: JSON keys, record versions, digests equal to sha256sum (a
# file and a model directory, with the manifest as in-toto subjects),
# immutable name@version (same bytes: no-op; other bytes: exit 3), verify
# detecting one changed byte (exit 4, naming the file), the current model
# per environment, an audit entry for every write naming the principal, and
# the permission checked before a file is hashed.

. "$(dirname "$0")/test-lib.sh"


test_expect_success 'setup' '
	aims_db init --org "Northwind Lending GmbH" >/dev/null
'

test_expect_success 'system add: record version 1 with every key; defaults' '
	aims_db system add credit-scoring --purpose "Scores consumer loan applications" \
		--intended-use "Support for credit officers" --misuse "Fully automated rejection" \
		--owner "Head of Credit Risk" --role provider --oversight human-in-the-loop \
		--affected-groups "loan applicants" --json >sys.json &&
	test_json sys.json "has(\"name\", \"purpose\", \"intended_use\", \"misuse\", \"owner\", \"lifecycle\", \"role\", \"oversight\", \"affected_groups\", \"status\", \"version\", \"digest\", \"created_at\", \"updated_at\")" &&
	test_json sys.json ".name == \"credit-scoring\" and .version == 1 and .lifecycle == \"development\" and .status == \"active\" and .role == \"provider\" and (.digest | startswith(\"sha256:\"))"
'

test_expect_success 'system add refusals: bad name, duplicate, bad role (exit 3)' '
	expect_exit 3 aims_db system add "credit scoring" &&
	test_grep "not a valid AI system name" err &&
	expect_exit 3 aims_db system add credit-scoring &&
	test_grep "in the inventory already" err &&
	expect_exit 3 aims_db system add chatbot --role importer &&
	test_grep "role .importer.: not one of provider, deployer, both, unspecified" err &&
	expect_exit 5 aims_db system show nope &&
	test_grep "AI system .nope. is not in the inventory" err
'

test_expect_success 'system set: a new record version, the same values change nothing' '
	aims_db system set credit-scoring --lifecycle operating --json >set.json &&
	test_json set.json ".version == 2 and .lifecycle == \"operating\" and .purpose == \"Scores consumer loan applications\"" &&
	test_json set.json ".digest != $(jq .digest sys.json)" &&
	aims_db system set credit-scoring --lifecycle operating >same.txt &&
	test_grep "unchanged" same.txt &&
	aims_db system set credit-scoring --misuse "" --json >cleared.json &&
	test_json cleared.json ".version == 3 and .misuse == null" &&
	aims_db system list --json >list.json &&
	test_json list.json ".systems | length == 1 and .[0].version == 3 and .[0].current_model == null"
'

test_expect_success 'dataset register: the digest is sha256sum of the file' '
	printf "applicant_id,income,postcode\n1,2500,10115\n2,3100,80331\n" >applications.csv &&
	aims_db dataset register applications@2026-02 --file applications.csv --source "core banking export" \
		--licence internal --collection "loan application form" --personal-data yes \
		--limitations "no applicants under 21" --biases "urban applicants over-represented" --json >ds.json &&
	want=$(sha256sum applications.csv | cut -d" " -f1) &&
	test_json ds.json ".digest == \"sha256:$want\" and .size == $(wc -c <applications.csv) and .created == true" &&
	test_json ds.json ".ref == \"dataset:applications@2026-02\" and .namespace == \"\" and .personal_data == \"yes\" and .origin == \"register\" and .record_version == 1" &&
	test_json ds.json "has(\"ref\", \"namespace\", \"name\", \"version\", \"digest\", \"size\", \"file\", \"source\", \"licence\", \"collection\", \"personal_data\", \"limitations\", \"biases\", \"motivation\", \"preprocessing\", \"uses\", \"distribution\", \"maintenance\", \"origin\", \"facets\", \"record_version\", \"created_at\", \"updated_at\")"
'

test_expect_success 'a larger file hashed streaming matches sha256sum, and no progress bar when piped' '
	head -c 3000000 /dev/urandom >big.bin &&
	aims_db dataset register big@1 --file big.bin --json >big.json 2>big.err &&
	test_json big.json ".digest == \"sha256:$(sha256sum big.bin | cut -d" " -f1)\"" &&
	test_must_be_empty big.err
'

test_expect_success 'on a terminal a progress bar is drawn while hashing a large file' '
	if ! command -v script >/dev/null; then echo "# skipped: no script(1)"; exit 0; fi
	head -c 70000000 /dev/zero >zero.bin &&
	script -qc "\"$AIMS\" --db \"$TEST_DB\" dataset register zero@1 --file zero.bin" /dev/null >tty.out &&
	tr "\r" "\n" <tty.out >tty.txt &&
	test_grep "hashing \[#*\] 100% 66/66 MiB" tty.txt &&
	test_grep "registered dataset:zero@1 sha256:$(sha256sum zero.bin | cut -d" " -f1)" tty.txt &&
	rm zero.bin
'

test_expect_success 'immutable versions: same bytes are a no-op, other bytes exit 3' '
	aims_db ledger log --json >before.json &&
	aims_db dataset register applications@2026-02 --file applications.csv --json >again.json &&
	test_json again.json ".created == false and .record_version == 1" &&
	aims_db ledger log --json >after.json &&
	test_json after.json ".entries | length == $(jq ".entries | length" before.json)" &&
	cp applications.csv changed.csv && printf "3,2900,20095\n" >>changed.csv &&
	expect_exit 3 aims_db dataset register applications@2026-02 --file changed.csv &&
	test_grep "is registered with sha256:$(sha256sum applications.csv | cut -d" " -f1)" err &&
	test_grep "immutable" err
'

test_expect_success 'dataset verify: 0 when equal, 4 on one changed byte naming the file' '
	aims_db dataset verify applications@2026-02 --file applications.csv >ok.txt &&
	test_grep "ok" ok.txt &&
	cp applications.csv tampered.csv &&
	printf "9" | dd of=tampered.csv bs=1 seek=40 conv=notrunc 2>/dev/null &&
	expect_exit 4 aims_db dataset verify applications@2026-02 --file tampered.csv &&
	test_grep "tampered.csv.: sha256:$(sha256sum tampered.csv | cut -d" " -f1) differs" err &&
	expect_exit 4 aims_db dataset verify applications --file tampered.csv --json &&
	test_json out ".verified == false and (.error | contains(\"differs\"))" &&
	expect_exit 5 aims_db dataset verify nosuch@1 --file applications.csv
'

test_expect_success 'model register --dir: one digest per file, manifest over the in-toto subjects' '
	mkdir -p model/weights &&
	printf "{\"model\": \"gbm\"}\n" >model/config.json &&
	head -c 200000 /dev/urandom >model/weights/part-0.bin &&
	printf "v1\n" >model/VERSION &&
	aims_db model register credit-risk@7 --dir model --trained-on applications@2026-02 \
		--framework "scikit-learn 1.2" --licence proprietary --json >m.json &&
	(cd model && sha256sum VERSION config.json weights/part-0.bin) | awk "{ print \"sha256:\" \$1 \" \" \$2 }" >want.txt &&
	jq -r ".files[] | .digest + \" \" + .path" m.json >got.txt &&
	test_cmp want.txt got.txt &&
	test_json m.json ".kind == \"dir\" and .trained_on == [\"dataset:applications@2026-02\"] and .created == true" &&
	aims_db model show credit-risk@7 --in-toto >stmt.json &&
	test_json stmt.json "._type == \"https://in-toto.io/Statement/v1\" and (.subject | length == 3) and .subject[1].name == \"config.json\" and .predicate.manifest_digest == $(jq .digest m.json)" &&
	manifest=$(jq -cS "[.subject[] | {digest: .digest, name: .name}]" stmt.json | tr -d "\n" | sha256sum | cut -d" " -f1) &&
	test_json m.json ".digest == \"sha256:$manifest\""
'

test_expect_success 'model register --file: the digest is the file digest; trained-on must exist' '
	aims_db model register fraud@1 --file model/weights/part-0.bin --json >f.json &&
	test_json f.json ".digest == \"sha256:$(sha256sum model/weights/part-0.bin | cut -d" " -f1)\" and .kind == \"file\"" &&
	expect_exit 5 aims_db model register fraud@2 --file model/VERSION --trained-on nosuch@1 &&
	test_grep "dataset .nosuch@1. is not in the inventory" err &&
	expect_exit 5 aims_db model show fraud@2 &&
	expect_exit 3 aims_db model register fraud@1 --file model/VERSION &&
	test_grep "immutable" err &&
	expect_exit 2 aims_db model register fraud@3
'

test_expect_success 'model verify: one changed byte in one file is named; missing and extra files too' '
	aims_db model verify credit-risk@7 --dir model >ok.txt &&
	cp -r model copy &&
	printf "w" | dd of=copy/weights/part-0.bin bs=1 seek=1000 conv=notrunc 2>/dev/null &&
	expect_exit 4 aims_db model verify credit-risk@7 --dir copy &&
	test_grep "weights/part-0.bin.: sha256:.* differs from sha256:$(sha256sum model/weights/part-0.bin | cut -d" " -f1)" err &&
	rm -r copy && cp -r model copy && rm copy/VERSION &&
	expect_exit 4 aims_db model verify credit-risk@7 --dir copy &&
	test_grep "VERSION.: missing" err &&
	rm -r copy && cp -r model copy && printf x >copy/extra.txt &&
	expect_exit 4 aims_db model verify credit-risk@7 --dir copy &&
	test_grep "extra.txt.: not a file of model credit-risk@7" err
'

test_expect_success 'deploy record: current model per environment; system show lists the history' '
	aims_db deploy record credit-scoring --model credit-risk@7 --env staging --at 2026-03-01T10:00:00Z >/dev/null &&
	test_account bob ml-engineer &&
	aims_as bob deploy record credit-scoring --model fraud@1 --env production --at 2026-03-02T10:00:00Z \
		--notes "CHG-1042" --json >d.json &&
	test_json d.json ".system == \"credit-scoring\" and .seq == 2 and .model == \"fraud@1\" and .env == \"production\" and .deployed_by == \"bob\" and .notes == \"CHG-1042\"" &&
	aims_db system show credit-scoring --json >show.json &&
	test_json show.json ".current_model == \"fraud@1\" and (.deployments | length == 2) and .deployments[0].model == \"credit-risk@7\"" &&
	aims_db deploy list --json >dl.json &&
	test_json dl.json ".deployments | map(.seq) == [1, 2]" &&
	expect_exit 5 aims_db deploy record credit-scoring --model nosuch@1 --env production &&
	expect_exit 5 aims_db deploy record nosys --model fraud@1 --env production &&
	expect_exit 3 aims_db deploy record credit-scoring --model fraud@1 --env "pro duction"
'

test_expect_success 'every write is in the audit trail' '
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_type == \"ai-system\")] | map(.action) == [\"create\", \"update\", \"update\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"dataset\")] | map(.object_id) == [\"dataset:applications@2026-02\", \"dataset:big@1\", \"dataset:zero@1\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"model\")] | map(.action) == [\"register\", \"register\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"deployment\")] | map(.object_id) == [\"credit-scoring#1\", \"credit-scoring#2\"]" &&
	test_json log.json "[.entries[] | select(.object_type == \"ai-system\")] | .[1].prev_digest == $(jq .digest sys.json)"
'

test_expect_success 'lineage: the registered model was derived from the dataset; which systems used it' '
	aims_db lineage downstream dataset:applications@2026-02 --type system >sys.txt &&
	printf "system:credit-scoring\n" >want.txt &&
	test_cmp want.txt sys.txt &&
	aims_db lineage upstream system:credit-scoring >up.txt &&
	printf "model:credit-risk@7\nmodel:fraud@1\ndataset:applications@2026-02\n" >want.txt &&
	test_cmp want.txt up.txt
'

test_expect_success 'the permission is checked before a file is read; writes name the principal' '
	test_account aud auditor &&
	expect_exit 7 aims_as aud dataset register applications@2026-03 --file nosuch.csv &&
	test_grep "permission .inventory.manage." err &&
	expect_exit 7 aims_as aud model register m@1 &&
	test_grep "permission .inventory.manage." err &&
	aims_as aud dataset verify applications@2026-02 --file applications.csv >ok.txt &&
	test_grep -F "applications.csv: ok (sha256:" ok.txt &&
	test_account ml ml-engineer &&
	printf "a,b\n1,2\n" >small.csv &&
	aims_as ml dataset register small@1 --file small.csv --json >small.json &&
	test_json small.json ".created == true and .file == \"small.csv\"" &&
	aims_db ledger log --json >log.json &&
	test_json log.json "[.entries[] | select(.object_id == \"dataset:small@1\")] | length == 1 and .[0].actor == \"ml\""
'

done_testing
