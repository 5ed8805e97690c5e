#!/bin/sh
# A CI/CD pipeline step (any CI that runs a shell): before deploying, ask the
# aims API whether the lifecycle gate of the AI system's policy lets the
# model version pass. Exit 0 when it does; 1 with every unmet condition
# printed when it does not; 2 when the step is misconfigured or aims cannot
# be reached. Each check is recorded in aims (gate check GC-NNNNNN, ledger).
#
#   AIMS_SERVER  the aims API, e.g. https://aims.example.org
#   AIMS_TOKEN   the API token of the pipeline's own account, with a role that may
#                check gates (ml-engineer, risk-owner, compliance-manager, admin)
#   SYSTEM       the AI system, e.g. credit-score
#   MODEL        the model version, NAME@VERSION, e.g. credit-risk@8
#   STAGE        the lifecycle stage (default deployed)
#
# Needs curl and jq. With the aims command installed the same step is:
#   aims --server "$AIMS_SERVER" gate check "$SYSTEM" --model "$MODEL" --to "$STAGE"
set -u
for v in AIMS_SERVER AIMS_TOKEN SYSTEM MODEL; do
	eval "x=\${$v:-}"
	[ -n "$x" ] || { echo "ci-gate-check: $v is not set" >&2; exit 2; }
done
STAGE=${STAGE:-deployed}
body=$(jq -n --arg m "$MODEL" --arg s "$STAGE" '{model: $m, to: $s}')
out=$(curl -sS --fail-with-body -X POST "$AIMS_SERVER/api/v1/systems/$SYSTEM/gate-checks" \
	-H "Authorization: Bearer $AIMS_TOKEN" -H 'Content-Type: application/json' --data "$body") || {
	echo "ci-gate-check: the aims API refused the check: $out" >&2
	exit 2
}
if [ "$(printf '%s' "$out" | jq -r .allowed)" = true ]; then
	printf '%s' "$out" | jq -r '"gate open: \(.model) -> \(.stage) of \(.system) (check \(.check_id))" +
		(if .exception then ", by exception \(.exception.id) until \(.exception.expires)" else "" end)'
	exit 0
fi
printf '%s' "$out" | jq -r '"gate refused: \(.model) -> \(.stage) of \(.system) (check \(.check_id))", (.unmet[] | "  - " + .)' >&2
exit 1
