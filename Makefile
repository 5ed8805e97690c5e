# aims: a plain Makefile. `make` builds build/aims; `make check` runs every
# test; `make asan` runs them under AddressSanitizer + UBSan; `make lint`,
# `make bench`, `make fuzz`, `make demo`. Dependencies come from Debian
# (scripts/deps.sh installs them when missing).

BUILD    ?= build
CC       ?= cc
SAN      ?=
OPT      ?= -O2
PKGS     := sqlite3 libpq jansson libcrypto libsodium zlib yaml-0.1 libcurl libmicrohttpd
TESTPKGS := cmocka

# pkg-config runs once, after scripts/deps.sh had its chance (lazy, cached)
PKG_CFLAGS = $(eval PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(shell pkg-config --libs $(PKGS)) -lm)$(PKG_LIBS)
TEST_LIBS  = $(eval TEST_LIBS := $(shell pkg-config --libs $(TESTPKGS)))$(TEST_LIBS)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wno-format-nonliteral -Wvla
CSTD     := -std=c11 -D_DEFAULT_SOURCE
ifeq ($(SAN),1)
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
  OPT      := -O1
endif
CFLAGS_ALL = $(CSTD) $(OPT) -g $(WARN) $(SANFLAGS) -Iinclude -Isrc/lib -I$(BUILD)/gen \
             $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS) -pthread

LIB_SRC   := $(sort $(wildcard src/lib/*/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c src/server/*.c))
CATALOGS  := $(sort $(wildcard catalogs/*.json))
TEMPLATES := $(sort $(wildcard templates/*.md))
GEN_SRC   := $(BUILD)/gen/catalogs_data.c
GEN_TPL   := $(BUILD)/gen/templates_data.c
WEB_FILES := $(sort $(wildcard templates/web/*.html templates/web/*.css templates/web/*.js))
GEN_WEB   := $(BUILD)/gen/web_data.c
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/catalogs_data.o \
             $(BUILD)/obj/gen/templates_data.o $(BUILD)/obj/gen/web_data.o
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC  := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
# the unit tests that open stores (through tests/unit/helpers.h) run again on PostgreSQL
UNIT_STORE_BIN = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(shell grep -l 'test_store_url\|test_store_fresh' $(UNIT_SRC)))
LIBAIMS   := $(BUILD)/libaims.a
AIMS      := $(BUILD)/aims
# the test programs' clock (tests/support/testclock.c): AIMS_TEST_NOW moves it; linked
# before libaims.a, it replaces src/lib/core/clock.c, so build/aims itself has no way to
TESTCLOCK := $(BUILD)/obj/tests/support/testclock.o
AIMS_TESTCLOCK := $(BUILD)/aims-testclock

.PHONY: all deps bench-build check check-sqlite check-postgres unit unit-store cli-test api-test web-test \
	asan lint bench fuzz demo man clean
.DEFAULT_GOAL := all

all: $(AIMS)

deps:
	@scripts/deps.sh

$(BUILD)/tools/embed: tools/embed.c | deps
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(GEN_SRC): $(CATALOGS) $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(CATALOGS)

$(BUILD)/obj/gen/catalogs_data.o: $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -O0 -c -o $@ $<

$(GEN_TPL): $(TEMPLATES) $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed -p aims__builtin_template $@ $(TEMPLATES)

$(BUILD)/obj/gen/templates_data.o: $(GEN_TPL)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -O0 -c -o $@ $<

# the web UI's templates, style sheet and script (src/lib/web)
$(GEN_WEB): $(WEB_FILES) $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed -p aims__web_file $@ $(WEB_FILES)

$(BUILD)/obj/gen/web_data.o: $(GEN_WEB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -O0 -c -o $@ $<

$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(LIBAIMS): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(AIMS): $(CLI_OBJ) $(LIBAIMS)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIBAIMS) $(PKG_LIBS)

$(AIMS_TESTCLOCK): $(CLI_OBJ) $(TESTCLOCK) $(LIBAIMS)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(TESTCLOCK) $(LIBAIMS) $(PKG_LIBS)

# ---- tests ----

$(BUILD)/tests/%: tests/unit/%.c tests/unit/helpers.h $(TESTCLOCK) $(LIBAIMS) | deps
	@mkdir -p $(dir $@) $(BUILD)/obj/tests
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(TESTCLOCK) $(LIBAIMS) $(PKG_LIBS) $(TEST_LIBS) $(LDFLAGS_ALL)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "# $$t"; AIMS_TEST_TMP=$(BUILD)/tmp $$t; done

cli-test: $(AIMS) $(AIMS_TESTCLOCK)
	AIMS=$(abspath $(AIMS)) AIMS_TESTCLOCK=$(abspath $(AIMS_TESTCLOCK)) AIMS_SRC=$(CURDIR) \
		AIMS_TEST_TMP=$(abspath $(BUILD))/tmp prove -f tests/cli/t[0-9]*.sh

api-test: $(AIMS)
	AIMS=$(abspath $(AIMS)) AIMS_SRC=$(CURDIR) AIMS_TEST_TMP=$(abspath $(BUILD))/tmp \
		prove -f -e /usr/bin/python3 tests/api/t[0-9]*.py

# the web UI in a real browser (tests/web): Debian's chromium driven by playwright-core (npm,
# installed by scripts/deps.sh) against an `aims serve` the test starts; screenshots of every
# page are kept in $(BUILD)/web. Skipped, saying so, only when chromium is absent.
web-test: $(AIMS)
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "web-test: SKIPPED: /usr/bin/chromium is absent (scripts/deps.sh installs Debian's chromium package)"; \
	else \
		rc=0; for t in tests/web/*.mjs; do echo "# $$t"; \
			AIMS=$(abspath $(AIMS)) AIMS_TEST_TMP=$(abspath $(BUILD))/tmp AIMS_WEB_ARTIFACTS=$(abspath $(BUILD))/web \
				node $$t || rc=1; \
		done; exit $$rc; \
	fi

# the benchmarks are built (not run) by check, so that they follow the library's API
bench-build: $(BENCH_BIN)

# Every suite runs twice: on SQLite files, then on a PostgreSQL 15 server that
# tests/pg-harness.sh starts in a temporary folder for the run and stops after
# it (the harness sets AIMS_TEST_DB_URL_BASE; test-lib.sh, helpers.h,
# tests/api/aimstest.py and tests/web/ui.mjs then give every store a database
# of its own).
check: check-sqlite
	@$(MAKE) --no-print-directory check-postgres

check-sqlite: bench-build unit cli-test api-test web-test

check-postgres: $(AIMS) $(UNIT_BIN)
	tests/pg-harness.sh $(MAKE) --no-print-directory unit-store cli-test api-test web-test

unit-store: $(UNIT_BIN)
	@rc=0; for t in $(UNIT_STORE_BIN); do echo "# $$t (PostgreSQL)"; AIMS_TEST_TMP=$(BUILD)/tmp $$t || rc=1; done; exit $$rc

asan:
	$(MAKE) BUILD=build/asan CC=clang SAN=1 check

# ---- lint: clang-tidy, cppcheck, banned functions, generated man page ----

lint: deps $(AIMS)
	scripts/check-banned.sh
	scripts/check-self-contained.sh
	clang-tidy --quiet $(LIB_SRC) $(CLI_SRC) -- $(CSTD) -Iinclude -Isrc/lib $(PKG_CFLAGS) 2>&1 | \
		{ grep -v 'warnings generated' || true; } | tee $(BUILD)/clang-tidy.log
	@! grep -q 'warning:\|error:' $(BUILD)/clang-tidy.log
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability,performance \
		--inline-suppr --suppress=missingIncludeSystem -Iinclude -Isrc/lib src/lib src/cli
	$(AIMS) help --man | cmp -s - docs/aims.1 || { echo "docs/aims.1 is stale: run 'make man'"; exit 1; }
	$(AIMS) help --permissions | cmp -s - docs/permissions.md || \
		{ echo "docs/permissions.md is stale: run 'make man'"; exit 1; }

man: $(AIMS)
	$(AIMS) help --man > docs/aims.1
	$(AIMS) help --permissions > docs/permissions.md

# ---- benchmarks ----

BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

$(BUILD)/bench/%: bench/%.c bench/bench.h $(LIBAIMS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Ibench -o $@ $< $(LIBAIMS) $(PKG_LIBS) $(LDFLAGS_ALL)

# under a private PostgreSQL server that syncs its commits (bench/store.c compares the backends)
bench: $(BENCH_BIN) $(AIMS)
	@AIMS_PG_DURABLE=1 tests/pg-harness.sh sh -c 'set -e; for b in $(BENCH_BIN); do $$b; done'

# ---- fuzzing (libFuzzer, clang) ----

FUZZ_SRC     := $(sort $(wildcard fuzz/*.c))
FUZZ_BIN     := $(patsubst fuzz/%.c,build/fuzz/bin/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 30
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -fsanitize=fuzzer-no-link $(FUZZ_SAN)

# The instrumented library is an ordinary libaims.a built by a sub-make with
# BUILD=build/fuzz, so the $(LIBAIMS) rule above is the only rule for it (a
# second rule for build/fuzz/libaims.a here made the sub-make recurse forever).
# The sub-make always runs and its .d files decide what is stale.
.PHONY: fuzz-lib
fuzz-lib: | deps
	$(MAKE) -f $(firstword $(MAKEFILE_LIST)) BUILD=build/fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" OPT=-O1 build/fuzz/libaims.a

build/fuzz/bin/%: fuzz/%.c $(wildcard fuzz/*.h) fuzz-lib
	@mkdir -p $(dir $@)
	clang $(CSTD) -O1 -g $(WARN) -Iinclude -Isrc/lib -fsanitize=fuzzer $(FUZZ_SAN) \
		-o $@ $< build/fuzz/libaims.a $(PKG_LIBS) -pthread

# a crash stops `make fuzz` with the fuzzer's status; its input is kept in
# build/fuzz/artifacts/NAME/ (libFuzzer would otherwise drop it in the cwd)
fuzz: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do \
		n=$$(basename $$f); mkdir -p build/fuzz/corpus/$$n build/fuzz/artifacts/$$n; \
		dict=; [ ! -f fuzz/$$n.dict ] || dict=-dict=fuzz/$$n.dict; \
		echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
		rc=0; $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$dict \
			-artifact_prefix=build/fuzz/artifacts/$$n/ \
			build/fuzz/corpus/$$n fuzz/corpus/$$n > build/fuzz/$$n.log 2>&1 || rc=$$?; \
		tail -n 12 build/fuzz/$$n.log; \
		if [ $$rc -ne 0 ]; then echo "fuzz: $$n failed (status $$rc), see build/fuzz/$$n.log"; exit $$rc; fi; \
	done

# ---- demo: the main job on the embedded default store ----

DEMO_DATA ?= tests/data
# the gap analysis headline (docs/gap-analysis.md): readiness first, its range, the two parts, then the counts
DEMO_GAP = jq -r '"\(.summary.readiness * 100 | round)% ready (range \(.summary.readiness_range[0] * 100 | round)-\(.summary.readiness_range[1] * 100 | round)%): clauses 4-10 \(.summary.clauses.readiness * 100 | round)%, Annex A \(.summary.annex_a.readiness * 100 | round)%; \(.summary.requirements) requirements, \(.summary.covered) covered, \(.summary.partial) partial, \(.summary.gap) \(if .summary.gap == 1 then "gap" else "gaps" end), \(.summary.excluded) excluded; touched by any support \(.summary.reuse_ratio * 100 | round)%"'
# the demo's accounts act with their API tokens (made by the demo, kept in demo/tokens)
AS_CISO = AIMS_TOKEN=$$(cat demo/tokens/ciso) $(AIMS) --db demo/aims.db
AS_BOARD = AIMS_TOKEN=$$(cat demo/tokens/board) $(AIMS) --db demo/aims.db
AS_HEAD_OF_CREDIT = AIMS_TOKEN=$$(cat demo/tokens/head-of-credit) $(AIMS) --db demo/aims.db

demo: $(AIMS)
	@mkdir -p demo
	@rm -rf demo/aims.db demo/aims.db-wal demo/aims.db-shm demo/aims.db.ledger demo/ledger.key demo/ledger.vkey demo/tokens demo/passwords
	$(AIMS) --db demo/aims.db init --org "Northwind Lending GmbH"
	$(AIMS) ledger keygen --name northwind.example/aims --out demo/ledger.key
	$(AIMS) --db demo/aims.db ledger setup --key demo/ledger.key | tail -n 1 > demo/ledger.vkey
	$(AIMS) --db demo/aims.db org set --sector "consumer lending" --country DE
	$(AIMS) --db demo/aims.db isms import examples/isms-soa.csv
	$(AIMS) --db demo/aims.db soa set A.10.4 --applicable no \
		--justification "No AI system is offered to customers; all AI use is internal"
	$(AIMS) --db demo/aims.db soa set A.7.5 --applicable yes --status partial --owner "Head of Data" \
		--justification "Credit models are trained on lending records whose origin must be traceable"
	@# accounts (issue 13, docs/permissions.md): documents are written by the CISO and approved by the
	@# board, risks are owned and accepted by the head of credit; each signs in once with the one-time
	@# password 'user add' prints, and acts through the API token kept in demo/tokens (mode 0600)
	@umask 077; mkdir -p demo/tokens demo/passwords; \
	for u in ciso:compliance-manager board:risk-owner head-of-credit:risk-owner; do \
		name=$${u%%:*}; role=$${u#*:}; \
		out=$$($(AIMS) --db demo/aims.db user add $$name --role $$role --json) || exit 1; \
		pw=$$(printf '%s' "$$out" | jq -r .initial_password); \
		tok=$$(printf '%s\n' "$$pw" | $(AIMS) --db demo/aims.db token create --user $$name --password-stdin \
			--label demo --json) || exit 1; \
		printf '%s' "$$tok" | jq -r .token > demo/tokens/$$name || exit 1; \
		printf '%s\n' "$$pw" > demo/passwords/$$name || exit 1; \
		echo "account $$name ($$role) signed in; its API token is in demo/tokens/$$name"; \
	done
	$(AS_CISO) doc new --template scope --owner "CISO" --id aims-scope
	$(AS_BOARD) doc approve aims-scope
	$(AS_CISO) doc new --template ai-policy --owner "CISO" --id ai-policy
	@# four eyes: the author's own approval is refused (exit 7), the board's is not
	@echo "ciso approves its own AI policy:"; $(AS_CISO) doc approve ai-policy 2>&1; rc=$$?; \
		test $$rc -eq 7 || { echo "expected exit 7, got $$rc"; exit 1; }
	$(AS_BOARD) doc approve ai-policy
	$(AS_CISO) doc new --template raci --owner "COO" --id ai-raci
	$(AS_BOARD) doc approve ai-raci
	$(AS_CISO) doc new --template objectives --owner "Head of Data" --id ai-objectives
	$(AS_BOARD) doc approve ai-objectives
	@# entered from paper: approved in March 2024 with a 12-month review, so its review is overdue
	$(AS_CISO) doc new --template concern-reporting --owner "Compliance" --id concern-reporting
	$(AS_BOARD) doc approve concern-reporting --date 2024-03-01
	$(AIMS) --db demo/aims.db doc due
	$(AIMS) --db demo/aims.db doc export --html demo/documents
	$(AIMS) --db demo/aims.db status
	@echo
	@# ISO 42001 readiness of both example ISMS states (issue 17): the young one in a store of its own
	@printf 'gap analysis, mature ISMS (examples/isms-soa.csv) and the approved documents: '
	@$(AIMS) --db demo/aims.db gap --json | $(DEMO_GAP)
	@rm -f demo/young.db demo/young.db-wal demo/young.db-shm
	@$(AIMS) --db demo/young.db init --org "Northwind Lending GmbH" > /dev/null
	@$(AIMS) --db demo/young.db isms import examples/isms-soa-young.csv > /dev/null
	@printf 'gap analysis, young ISMS (examples/isms-soa-young.csv): '
	@$(AIMS) --db demo/young.db gap --json | $(DEMO_GAP)
	$(AIMS) --db demo/aims.db soa --html demo/soa.html > /dev/null
	@# AI inventory, provenance and lineage (issue 6, docs/inventory.md)
	$(AIMS) --db demo/aims.db system add credit-score --purpose "score consumer credit applications" \
		--intended-use "support loan officers deciding consumer loans" \
		--misuse "automated refusal without a loan officer's review" --owner "Head of Credit" \
		--lifecycle operating --role both --oversight human-in-the-loop \
		--affected-groups "consumer loan applicants" > /dev/null
	$(AIMS) --db demo/aims.db lineage ingest fuzz/corpus/openlineage/pipeline.json
	@mkdir -p demo/data demo/model
	@printf 'applicant_id,income,postcode\nA-1001,2480.00,10115\nA-1002,3125.50,80331\nA-1003,1990.75,50667\n' \
		> demo/data/applications-2026-02.csv
	@printf '{"model": "gradient boosting", "features": 37}\n' > demo/model/config.json
	@printf 'northwind credit-risk 7 weights\n' > demo/model/weights.bin
	$(AIMS) --db demo/aims.db dataset register applications/2026-02.parquet@2026-02 --namespace s3://northwind-raw \
		--file demo/data/applications-2026-02.csv --source "loan application system export" \
		--licence "internal use only" --collection "application form and credit bureau response" \
		--personal-data yes --motivation "train and monitor the credit-risk model" \
		--limitations "applicants under 21 are not represented" \
		--biases "urban postcodes over-represented" --maintenance "Head of Data, monthly export" > /dev/null
	$(AIMS) --db demo/aims.db model register credit-risk@7 --dir demo/model --framework "scikit-learn 1.2" \
		--licence proprietary --description "gradient-boosted credit-risk score" > /dev/null
	$(AIMS) --db demo/aims.db deploy record credit-score --model credit-risk@7 --env production \
		--at 2026-03-02T09:00:00Z --notes CHG-2026-031 > /dev/null
	@# its decisions, in the system's decision log: the system and the model are in the inventory now
	$(AIMS) --db demo/aims.db decision ingest --system credit-score examples/decisions-credit-score.ndjson
	$(AIMS) --db demo/aims.db lineage downstream dataset:applications/2026-02.parquet --type system
	@# AI risk, impact assessment and EU AI Act (issue 7, docs/risk.md, docs/aiact.md)
	$(AIMS) --db demo/aims.db aiact classify credit-score --answers examples/aiact-credit-score.yaml --json | \
		jq -r '"EU AI Act: \(.system) is \(.tier) (\(.basis | join(", "))); \(.obligations | length) obligations; FRIA required: \(.fria_required)"'
	$(AS_CISO) risk library add credit-score --owner head-of-credit
	$(AS_CISO) risk treat RISK-001 --option modify \
		--action "A.7.4: rebalance and document the training data by group" \
		--action "A.6.2.4: fairness tests before each release" --residual-likelihood 2 --residual-impact 4
	@# only the risk owner's account accepts (anyone else, an admin too, is refused with exit 7)
	@echo "ciso accepts RISK-005 (owner head-of-credit):"; $(AS_CISO) risk accept RISK-005 2>&1; rc=$$?; \
		test $$rc -eq 7 || { echo "expected exit 7, got $$rc"; exit 1; }
	$(AS_HEAD_OF_CREDIT) risk accept RISK-005 --note "officer review of every refusal"
	$(AS_CISO) assess impact credit-score --answers examples/impact-credit-score.yaml
	$(AS_BOARD) assess approve IA-001
	@# evaluation evidence (issue 5, docs/evaluation.md): the credit-scoring decisions of the test
	@# data in the repository (tests/data/README.md)
	$(AIMS) --db demo/aims.db eval fairness --data $(DEMO_DATA)/credit_data_decisions.csv --label y_true \
		--pred y_pred --score y_score --group Marital --group age_group --system credit-score --record \
		--html demo/fairness-credit-score.html
	$(AIMS) --db demo/aims.db eval performance --data $(DEMO_DATA)/credit_data_decisions.csv --label y_true \
		--pred y_pred --score y_score --system credit-score --record
	$(AIMS) --db demo/aims.db aiact fria credit-score --out demo/fria-credit-score.md
	$(AIMS) --db demo/aims.db risk report --system credit-score --html demo/risk-report.html
	$(AIMS) --db demo/aims.db aiact annex-iv credit-score --html demo/annex-iv-credit-score.html
	$(AIMS) --db demo/aims.db card system credit-score --html demo/card-system-credit-score.html
	$(AIMS) --db demo/aims.db card model credit-risk@7 --html demo/card-model-credit-risk-7.html
	$(AIMS) --db demo/aims.db card dataset applications/2026-02.parquet --html demo/datasheet-applications.html
	$(AIMS) --db demo/aims.db lineage graph system:credit-score --format svg --out demo/lineage-credit-score.svg
	@# the gap again, now that the AIMS keeps risks, an impact assessment, logs, lineage and a classification
	@printf 'gap analysis, mature ISMS with the records of this demo: '
	@$(AIMS) --db demo/aims.db gap --html demo/gap-report.html --json | $(DEMO_GAP)
	$(AIMS) --db demo/aims.db ledger verify
	@# human oversight (issue 15, docs/oversight.md): a policy as code, the validation gate refused then
	@# passing, a production deployment refused then passing under a documented exception, and human
	@# review of ingested decisions. Accounts of their own (oversight-*), each acting with its own token.
	@for a in oversight-ml:ml-engineer oversight-risk:risk-owner oversight-cm:compliance-manager \
		oversight-rev:reviewer; do n=$${a%%:*}; r=$${a#*:}; \
		pw=$$($(AIMS) --db demo/aims.db user add $$n --role $$r --json | jq -r .initial_password) && \
		printf '%s\n' "$$pw" | $(AIMS) --db demo/aims.db token create --user $$n --password-stdin --json | \
		jq -r .token > demo/.token-$$n || exit 1; done
	AIMS_TOKEN=$$(cat demo/.token-oversight-cm) $(AIMS) --db demo/aims.db policy set examples/policy-credit-score.yaml \
		--json | jq -r '"policy \(.name) version \(.version) (\(.digest)) governs \(.applies_to.systems | join(", "))"'
	@mkdir -p demo/model8
	@printf '{"model": "gradient boosting", "features": 41}\n' > demo/model8/config.json
	@printf 'northwind credit-risk 8 weights\n' > demo/model8/weights.bin
	$(AIMS) --db demo/aims.db model register credit-risk@8 --dir demo/model8 --framework "scikit-learn 1.4" > /dev/null
	@echo "--- validation gate for credit-risk@8 before its evaluation and approval (refused, exit 1):"
	@! AIMS_TOKEN=$$(cat demo/.token-oversight-ml) $(AIMS) --db demo/aims.db gate check credit-score \
		--model credit-risk@8 --to validation
	@awk 'BEGIN { print "label,pred,score"; for (i = 0; i < 400; i++) { l = (int(i / 4) % 2 == 0); \
		s = l ? 0.55 + ((i * 13) % 40) / 100 : 0.05 + ((i * 17) % 40) / 100; if (i % 10 == 3) s = 1 - s; \
		printf "%d,%d,%.2f\n", l, (s >= 0.5), s } }' > demo/data/holdout-credit-risk-8.csv
	AIMS_TOKEN=$$(cat demo/.token-oversight-ml) $(AIMS) --db demo/aims.db eval performance \
		--data demo/data/holdout-credit-risk-8.csv --label label --pred pred --score score --system credit-score \
		--record --model credit-risk@8 --json | jq -r '"recorded \(.evaluation_id): roc_auc \(.roc_auc)"'
	AIMS_TOKEN=$$(cat demo/.token-oversight-cm) $(AIMS) --db demo/aims.db gate request credit-score \
		--model credit-risk@8 --to validation --note CHG-2026-118 > /dev/null
	AIMS_TOKEN=$$(cat demo/.token-oversight-ml) $(AIMS) --db demo/aims.db gate approve GATE-0001 > /dev/null
	@echo "--- validation gate after the evaluation of its digest and an approval by another account (allowed):"
	AIMS_TOKEN=$$(cat demo/.token-oversight-ml) $(AIMS) --db demo/aims.db gate check credit-score \
		--model credit-risk@8 --to validation
	@echo "--- production deployment of credit-risk@8 (refused with every reason, exit 1):"
	@! AIMS_TOKEN=$$(cat demo/.token-oversight-ml) $(AIMS) --db demo/aims.db deploy record credit-score \
		--model credit-risk@8 --env production --notes CHG-2026-118
	AIMS_TOKEN=$$(cat demo/.token-oversight-ml) $(AIMS) --db demo/aims.db gate exception request credit-score \
		--model credit-risk@8 --to deployed --expires $$(date -u -d '+14 days' +%Y-%m-%d) \
		--reason "regulator-ordered correction of the affordability rule; full gate before the next release" > /dev/null
	AIMS_TOKEN=$$(cat demo/.token-oversight-risk) $(AIMS) --db demo/aims.db gate exception approve EXC-0001 > /dev/null
	AIMS_TOKEN=$$(cat demo/.token-oversight-cm) $(AIMS) --db demo/aims.db gate exception approve EXC-0001 > /dev/null
	@echo "--- the same deployment under the exception approved by two accounts:"
	AIMS_TOKEN=$$(cat demo/.token-oversight-ml) $(AIMS) --db demo/aims.db deploy record credit-score \
		--model credit-risk@8 --env production --notes CHG-2026-118
	$(AIMS) --db demo/aims.db gate exceptions
	@echo "--- human review of decisions selected as they are ingested:"
	$(AIMS) --db demo/aims.db decision ingest --system credit-score examples/decisions-credit-score-review.ndjson
	AIMS_TOKEN=$$(cat demo/.token-oversight-rev) $(AIMS) --db demo/aims.db review next --system credit-score
	AIMS_TOKEN=$$(cat demo/.token-oversight-rev) $(AIMS) --db demo/aims.db review override \
		$$(AIMS_TOKEN=$$(cat demo/.token-oversight-rev) $(AIMS) --db demo/aims.db review next --json | jq -r .item.id) \
		--outcome '{"decision": "refer", "limit_eur": 0}' --reason "income proof missing from the file" > /dev/null
	AIMS_TOKEN=$$(cat demo/.token-oversight-rev) $(AIMS) --db demo/aims.db review accept \
		$$(AIMS_TOKEN=$$(cat demo/.token-oversight-rev) $(AIMS) --db demo/aims.db review next --json | jq -r .item.id) > /dev/null
	$(AIMS) --db demo/aims.db review metrics credit-score
	AIMS_TOKEN=$$(cat demo/.token-oversight-cm) $(AIMS) --db demo/aims.db review report credit-score --json | \
		jq -r '"recorded \(.id) as evidence for \(.evidence_for | join(", ")), linked to \(.obligations | join(", "))"'
	@# Check and Act (issue 16, docs/pdca.md, docs/monitoring.md): a monthly monitoring plan against September
	@# runs for October, whose decisions drifted (examples/decisions-credit-score-monitoring.ndjson.gz,
	@# scripts/gen-demo-monitoring.py): the drift evaluation is recorded and a nonconformity opened, linked to it
	@echo "--- Check and Act: monitoring, nonconformity, incident, what is due, the management review:"
	gzip -dc examples/decisions-credit-score-monitoring.ndjson.gz | \
		$(AIMS) --db demo/aims.db decision ingest --system credit-score - > /dev/null
	AIMS_TOKEN=$$(cat demo/.token-oversight-ml) $(AIMS) --db demo/aims.db monitor plan add credit-monthly \
		--system credit-score --every month --ref-since 2026-09-01T00:00:00Z --ref-until 2026-10-01T00:00:00Z \
		--column confidence --column output.decision --owner head-of-credit > /dev/null
	AIMS_TOKEN=$$(cat demo/.token-oversight-ml) $(AIMS) --db demo/aims.db monitor run --plan credit-monthly --period 2026-10
	$(AIMS) --db demo/aims.db nc show NC-001
	AIMS_TOKEN=$$(cat demo/.token-oversight-ml) $(AIMS) --db demo/aims.db incident open credit-score \
		--title "Applicants over 60 refused twice as often since October" --harm fundamental-rights --severity high \
		--serious --awareness $$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%SZ) --affected-groups "applicants over 60" > /dev/null
	$(AIMS) --db demo/aims.db incident list
	$(AS_HEAD_OF_CREDIT) due --for head-of-credit
	$(AIMS) --db demo/aims.db review-pack --period $$(date -u +%Y) --html demo/review-pack.html
	$(AIMS) --db demo/aims.db card system credit-score --html demo/card-system-credit-score.html
	$(AIMS) --db demo/aims.db ledger verify
	@# the auditor's deliverables (issue 19, docs/oscal.md, docs/audit.md): OSCAL documents and an evidence pack
	@mkdir -p demo/oscal
	@for k in catalog profile component-definition assessment-results poam; do \
		$(AIMS) --db demo/aims.db oscal export $$k --out demo/oscal/$$k.json || exit 1; done
	$(AIMS) --db demo/aims.db oscal export ssp --system credit-score --out demo/oscal/ssp-credit-score.json
	@rm -rf demo/pack
	$(AIMS) --db demo/aims.db pack --out demo/pack
	$(AIMS) pack verify demo/pack --vkey demo/ledger.vkey
	@echo "reports: demo/gap-report.html, demo/soa.html, demo/documents/index.html, demo/risk-report.html, demo/annex-iv-credit-score.html, demo/card-system-credit-score.html, demo/lineage-credit-score.svg, demo/review-pack.html, demo/pack/index.html"
	@echo
	@echo "web UI (docs/web.md): start the server with"
	@echo "    $(AIMS) --db demo/aims.db serve --listen 127.0.0.1:8642"
	@echo "then open http://127.0.0.1:8642/ and sign in with a demo account (its password is in the file named;"
	@echo "passwords are never printed):"
	@echo "    ciso            compliance manager, writes the documents     demo/passwords/ciso"
	@echo "    head-of-credit  risk owner, accepts the credit risks          demo/passwords/head-of-credit"
	@echo "    board           risk owner, approves the documents            demo/passwords/board"

clean:
	rm -rf build demo

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TESTCLOCK:.o=.d)
