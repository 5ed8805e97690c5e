/*
 * The one permission table: which roles hold which permission. Every
 * operation of the operation table (op/) names one permission, and
 * aims_op_call() checks it before anything else runs, for the command line
 * and the HTTP API alike. docs/permissions.md is generated from this table
 * and the operation table (`aims help --permissions`); a test walks every
 * operation and role against it over both front ends.
 *
 * Rules behind the grants (ISO/IEC 42001 5.3 roles and responsibilities):
 * auditors read and verify but never write; services only feed decision logs
 * and lineage; approving and accepting are separate from authoring, and the
 * object rules (author != approver, the risk owner alone accepts) are
 * checked by the functions that write, on top of these grants.
 */
#include <string.h>

#include "aims/auth.h"
#include "core/core.h"

#define R_ADMIN AIMS_ROLE_ADMIN
#define R_CM AIMS_ROLE_COMPLIANCE_MANAGER
#define R_RO AIMS_ROLE_RISK_OWNER
#define R_ML AIMS_ROLE_ML_ENGINEER
#define R_REV AIMS_ROLE_REVIEWER
#define R_AUD AIMS_ROLE_AUDITOR
#define R_SVC AIMS_ROLE_SERVICE
#define R_PEOPLE (R_ADMIN | R_CM | R_RO | R_ML | R_REV | R_AUD)

/* sorted by name (aims_permission_find uses a binary search; a unit test checks the order) */
static const aims_permission perms[] = {
	{ "aiact.manage", R_ADMIN | R_CM, "classify AI systems under the EU AI Act and track their obligations" },
	{ "assess.approve", R_ADMIN | R_CM | R_RO, "approve an impact assessment (never its author)" },
	{ "assess.edit", R_ADMIN | R_CM | R_RO | R_ML, "record impact assessments" },
	{ "audit.conduct", R_ADMIN | R_AUD, "sample records and record findings of an internal audit (its auditor only)" },
	{ "audit.manage", R_ADMIN | R_CM, "plan internal audits: scope, period and an independent auditor" },
	{ "catalog.manage", R_ADMIN | R_CM, "load framework catalogs and crosswalks" },
	{ "concern.submit", R_ADMIN | R_CM | R_RO | R_ML | R_REV, "submit a concern or a report of adverse impact of an AI system" },
	{ "concern.triage", R_ADMIN | R_CM | R_RO, "triage and close concerns, turn public intake on or off" },
	{ "decision.ingest", R_ADMIN | R_ML | R_SVC, "append AI decisions to a system's decision log" },
	{ "decision.manage", R_ADMIN, "prune and recover decision logs" },
	{ "doc.approve", R_ADMIN | R_CM | R_RO, "approve a controlled document (never its author)" },
	{ "doc.edit", R_ADMIN | R_CM, "create, edit, submit and retire controlled documents" },
	{ "eval.record", R_ADMIN | R_CM | R_ML, "record evaluation results as evidence" },
	{ "gate.approve", R_ADMIN | R_CM | R_RO | R_ML,
	  "approve or reject a lifecycle gate request or a gate exception (never one's own request)" },
	{ "gate.check", R_ADMIN | R_CM | R_RO | R_ML,
	  "check a model version against the lifecycle gate of its policy (each check is recorded)" },
	{ "gate.exception", R_ADMIN | R_CM | R_RO | R_ML,
	  "ask for a documented exception to a lifecycle gate (reason and expiry date)" },
	{ "gate.request", R_ADMIN | R_CM | R_RO | R_ML,
	  "request a lifecycle gate for a model version (approvals are counted on the request)" },
	{ "incident.manage", R_ADMIN | R_CM | R_RO | R_ML, "record, update and close AI incidents" },
	{ "incident.report", R_ADMIN | R_CM, "record the reports of AI incidents sent to authorities and providers" },
	{ "inventory.manage", R_ADMIN | R_CM | R_ML, "add and change AI systems, models, datasets, deployments" },
	{ "isms.manage", R_ADMIN | R_CM, "import the ISO 27001 ISMS state" },
	{ "ledger.manage", R_ADMIN, "set up the ledger's signing key, sign and prune" },
	{ "lineage.ingest", R_ADMIN | R_ML | R_SVC, "ingest OpenLineage run events and MLflow exports" },
	{ "monitor.manage", R_ADMIN | R_CM | R_ML, "add and retire monitoring plans of AI systems" },
	{ "nc.manage", R_ADMIN | R_CM | R_RO | R_ML,
	  "record nonconformities, their root causes and corrective actions, report actions done, close them" },
	{ "nc.review", R_ADMIN | R_CM | R_RO, "review whether a corrective action was effective (never its owner)" },
	{ "objective.manage", R_ADMIN | R_CM, "set AI objectives with their KPIs and targets" },
	{ "org.manage", R_ADMIN | R_CM, "change the organization's settings" },
	{ "policy.manage", R_ADMIN | R_CM, "store and retire policies: lifecycle gates, exceptions, review rules" },
	{ "read", R_PEOPLE, "read every module: inventory, gap, SoA, documents, risks, evaluations, ledger" },
	{ "review.decide", R_ADMIN | R_REV, "take AI decisions from the review queue and accept or override them" },
	{ "review.report", R_ADMIN | R_CM,
	  "record human-oversight metrics as evidence (ISO/IEC 42001 9.1, EU AI Act Art. 14 and 26)" },
	{ "risk.accept", R_ADMIN | R_CM | R_RO, "accept a risk (only the account that owns it)" },
	{ "risk.criteria", R_ADMIN | R_CM, "set the risk criteria (scales, appetite, tolerance)" },
	{ "risk.manage", R_ADMIN | R_CM | R_RO, "add, treat and review risks" },
	{ "soa.manage", R_ADMIN | R_CM, "decide the applicability of ISO 42001 controls" },
	{ "supplier.manage", R_ADMIN | R_CM, "register suppliers of AI systems, models, data and services, and their assessments" },
	{ "token.own", R_PEOPLE, "create, list and revoke one's own API tokens, change one's password" },
	{ "user.manage", R_ADMIN, "create accounts, set roles, disable accounts, reset passwords" },
	{ "verify", R_PEOPLE, "verify the ledger, decision logs and receipts" },
};

const char *const aims_role_names[AIMS_ROLE_COUNT] = {
	"admin", "compliance-manager", "risk-owner", "ml-engineer", "reviewer", "auditor", "service",
};

const aims_permission *aims_permissions(size_t *count)
{
	*count = sizeof(perms) / sizeof(perms[0]);
	return perms;
}

const aims_permission *aims_permission_find(const char *name)
{
	size_t lo = 0, hi = sizeof(perms) / sizeof(perms[0]);
	while (name && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, perms[mid].name);
		if (c == 0)
			return &perms[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

unsigned aims_role_bit(const char *name)
{
	for (int i = 0; name && i < AIMS_ROLE_COUNT; i++)
		if (strcmp(name, aims_role_names[i]) == 0)
			return 1u << i;
	return 0;
}

int aims_roles_format(aims_buf *b, unsigned roles)
{
	int err, first = 1;
	for (int i = 0; i < AIMS_ROLE_COUNT; i++) {
		if (!(roles & (1u << i)))
			continue;
		if ((err = aims_buf_printf(b, "%s%s", first ? "" : ",", aims_role_names[i])) < 0)
			return err;
		first = 0;
	}
	return 0;
}

int aims_permission_check(const aims_principal *p, const char *perm)
{
	const aims_permission *e = aims_permission_find(perm);
	if (!e)
		return aims__err(AIMS_EUSAGE, "unknown permission '%s'", perm ? perm : "(null)");
	if (!p || p->kind == AIMS_PRINCIPAL_NONE)
		return aims__err(AIMS_EAUTH, "not signed in: '%s' needs an authenticated principal", perm);
	if (p->roles & e->roles)
		return 0;
	aims_buf have = AIMS_BUF_INIT, need = AIMS_BUF_INIT;
	if (aims_roles_format(&have, p->roles) < 0 || aims_roles_format(&need, e->roles) < 0) {
		aims_buf_release(&have);
		aims_buf_release(&need);
		return aims__oom();
	}
	aims__err_set(AIMS_EPERM, "'%s' may not %s: permission '%s' needs one of the roles %s (has: %s)", p->name,
		      e->summary, perm, need.ptr, have.len ? have.ptr : "none");
	aims_buf_release(&have);
	aims_buf_release(&need);
	return AIMS_EPERM;
}
