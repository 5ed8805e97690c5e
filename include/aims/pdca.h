/*
 * Check and Act (ISO/IEC 42001 clauses 9 and 10; EU AI Act Art. 26(5) and 73):
 * AI incidents with their reporting clocks, nonconformities and their
 * corrective actions with effectiveness reviews. docs/pdca.md describes the
 * records, their life cycles and the rules.
 *
 * Every write names the store's acting principal (aims_store_principal), runs
 * in one transaction (nested in the caller's when one is open) and appends a
 * ledger entry naming the digest of the record's canonical JSON. Documents
 * are returned as JSON the caller owns (json_decref).
 */
#ifndef AIMS_PDCA_H
#define AIMS_PDCA_H

#include <jansson.h>
#include <stdint.h>

#include "aims/buf.h"
#include "aims/store.h"

/* ---- AI incidents ---- */

typedef struct {
	const char *title;          /* required, one line */
	const char *system;         /* required: an AI system of the inventory */
	const char *model;          /* "NAME@VERSION" of a registered model, or NULL */
	const char *harm;           /* health | critical-infrastructure | fundamental-rights | property-environment |
	                               other (Art. 3(49) (a)-(d)); required */
	const char *severity;       /* low | medium | high | critical; required */
	int serious;                /* 1: a serious incident under Art. 3(49) */
	const char *serious_case;   /* for a serious incident: default (Art. 73(2), 15 days) | death (73(4), 10
	                               days) | widespread (73(3), 2 days) | critical-infrastructure (73(3) with
	                               3(49)(b), 2 days); NULL = default */
	const char *role;           /* provider | deployer: the organization's role for the system; NULL = from the
	                               system's record (its role "both" counts as provider) */
	const char *awareness;      /* RFC 3339 time the organization became aware; NULL = now */
	const char *description;    /* may be NULL */
	const char *affected_groups;/* may be NULL */
	const char *evidence;       /* an evidence reference, e.g. "evaluation:EVAL-0003", or NULL */
	const char *const *isms_controls; /* ISO/IEC 27001 controls the incident also concerns (e.g. "A.5.24"), */
	size_t n_isms_controls;     /* checked against the stored 27001 catalog */
} aims_incident_new;

/** Days to report a serious incident from awareness for `serious_case` (see above), or -1 if unknown. */
int aims_incident_report_days(const char *serious_case);

/** Open an incident (INC-NNN); *out: its document (as aims_incident_get). */
int aims_incident_open(json_t **out, aims_store *store, const aims_incident_new *in);

/** The incident's document, with "deadline_state" (on-time, due, overdue, met) as of now. */
int aims_incident_get(json_t **out, aims_store *store, const char *id);

/** {"incidents": [...]} newest first; filters may be NULL/0. overdue: serious ones past their deadline
 *  with a required report missing. */
int aims_incident_list(json_t **out, aims_store *store, const char *system, const char *status, int overdue);

/** Change the description, severity, harm, affected groups, evidence of an open incident, or add a note. */
int aims_incident_update(json_t **out, aims_store *store, const char *id, const json_t *changes);

/** Record a report sent: recipient (market-surveillance-authority | provider | importer | distributor |
 *  notified-body | other), whom by name, channel, reference, sent time (NULL = now), kind initial | complete. */
int aims_incident_report(json_t **out, aims_store *store, const char *id, const char *recipient, const char *name,
			 const char *channel, const char *reference, const char *sent_at, const char *kind);

/** Close an incident with a closure note; refused while a required report is missing. */
int aims_incident_close(json_t **out, aims_store *store, const char *id, const char *note);

/* ---- nonconformities and corrective actions ---- */

typedef struct {
	const char *source;      /* internal-audit | monitoring | incident | concern | external-audit | other */
	const char *source_ref;  /* the originating record ("INC-003", "AUD-001/F-002"), or NULL */
	const char *requirement; /* the ISO/IEC 42001 clause or Annex A control concerned ("9.1", "A.6.2.6"), or NULL */
	const char *system;      /* an AI system of the inventory, or NULL */
	const char *title;       /* required */
	const char *description; /* may be NULL */
	const char *evidence;    /* evidence reference, e.g. "evaluation:<id>", or NULL */
	const char *owner;       /* a principal name (aims_principal_check_name), or NULL = the acting principal */
	const char *due;         /* YYYY-MM-DD or NULL */
} aims_nc_new;

/** Open a nonconformity; *id_out (aims_free) receives "NC-NNN". */
int aims_nc_open(aims_store *store, const aims_nc_new *in, char **id_out);

/** Open the nonconformity an incident gives rise to (source incident, its system and evidence). */
int aims_incident_nc(json_t **out, aims_store *store, const char *incident, const char *requirement,
		     const char *owner, const char *due);

/** The nonconformity's document with its corrective actions. */
int aims_nc_get(json_t **out, aims_store *store, const char *id);

/** {"nonconformities": [...]} newest first; filters may be NULL. */
int aims_nc_list(json_t **out, aims_store *store, const char *status, const char *system, const char *owner);

/** Record the root cause (status analysed). */
int aims_nc_analyse(json_t **out, aims_store *store, const char *id, const char *root_cause);

/** Close: needs a root cause and at least one corrective action, all closed. */
int aims_nc_close(json_t **out, aims_store *store, const char *id, const char *note);

/** Add a corrective action (CA-NNN) to an open nonconformity. */
int aims_ca_add(json_t **out, aims_store *store, const char *nc, const char *description, const char *owner,
		const char *due);

/** The action's owner (or a manager) reports it done. */
int aims_ca_done(json_t **out, aims_store *store, const char *id, const char *note);

/** Effectiveness review of a done action by an account other than its owner: result effective | not-effective
 *  (a not-effective action is open again). */
int aims_ca_review(json_t **out, aims_store *store, const char *id, const char *result, const char *note,
		   const char *evidence);

/** Close an action: only after an effectiveness review found it effective. */
int aims_ca_close(json_t **out, aims_store *store, const char *id);

/** {"actions": [...]}: corrective actions, filters may be NULL; overdue: past due and not closed. */
int aims_ca_list(json_t **out, aims_store *store, const char *status, const char *owner, int overdue);

/* ---- monitoring plans (ISO/IEC 42001 9.1; EU AI Act Art. 72) ---- */

typedef struct {
	const char *name;            /* the plan's name: a-z 0-9 . _ - */
	const char *system;          /* the AI system whose decision log is monitored */
	const char *every;           /* day | week | month: the period each run covers */
	const char *ref_since, *ref_until; /* the reference window of the decision log (RFC 3339) */
	const char *const *columns;  /* the decision fields compared (NULL: every field of the reference) */
	size_t ncolumns;
	double share_threshold;      /* dataset drift when this share of the columns drifted; 0 = 0.5 */
	int incident;                /* a breach also opens an AI incident */
	const char *owner;           /* the plan's owner (owns the nonconformities it opens); NULL = the actor */
	/* what a run evaluates, all in one pass over its input (evalpass.h) */
	const char *const *evaluations; /* fairness | performance | drift; NULL: drift */
	size_t nevaluations;
	const char *data;            /* the current data: a CSV/NDJSON file (gzip allowed) read at each run, on the
				      * machine that runs the plans; NULL: the decision log's period */
	const char *reference;       /* drift reference file; NULL: the decision log's ref_since..ref_until */
	const char *label, *pred, *score; /* fairness and performance: the columns (score optional) */
	const char *const *groups;   /* fairness: the sensitive columns */
	size_t ngroups;
	const char *const *thresholds; /* "METRIC OP NUMBER" (policy syntax), checked on every result */
	size_t nthresholds;
} aims_monitor_plan_new;

int aims_monitor_plan_add(json_t **out, aims_store *store, const aims_monitor_plan_new *in);
int aims_monitor_plan_get(json_t **out, aims_store *store, const char *name);
/** {"plans": [...]} newest first; system may be NULL. */
int aims_monitor_plan_list(json_t **out, aims_store *store, const char *system);
int aims_monitor_plan_retire(json_t **out, aims_store *store, const char *name);

/**
 * Run every active plan (of `system`, or all; or only `plan`) for its last
 * complete period, or for `period` (with `plan`: a past month YYYY-MM, week
 * YYYY-Www or day YYYY-MM-DD of the plan, e.g. to catch up after an outage),
 * once per period: {"runs": [RUN + "ran_now"]}. A run reads its input once
 * for all the plan's evaluations (aims_eval_pass) and records each as
 * evidence; a breach (dataset drift, or a threshold not held) opens a
 * nonconformity (and an incident when the plan says so) linked to it.
 */
int aims_monitor_run(json_t **out, aims_store *store, const char *system, const char *plan, const char *period);

/** {"runs": [...]} newest first; system may be NULL. */
int aims_monitor_runs(json_t **out, aims_store *store, const char *system);

/* ---- concerns (ISO/IEC 42001 A.3.3, A.8.3) ---- */

typedef struct {
	const char *summary;     /* required, one line */
	const char *details;     /* at most 4000 bytes, or NULL */
	const char *kind;        /* concern | adverse-impact; NULL = concern */
	const char *system;      /* an AI system of the inventory, or NULL */
	const char *contact;     /* how to reach the submitter, or NULL */
	const char *client_addr; /* without an account: the client's address, for the rate limit */
} aims_concern_new;

/** Submit a concern (CON-NNN). Without a principal only when public intake is on, rate-limited; the
 *  answer is then {"id", "status", "submitted_at"} only. */
int aims_concern_submit(json_t **out, aims_store *store, const aims_concern_new *in);
int aims_concern_get(json_t **out, aims_store *store, const char *id);
/** {"concerns": [...]} newest first; status new | triaged | closed or NULL. */
int aims_concern_list(json_t **out, aims_store *store, const char *status);
int aims_concern_triage(json_t **out, aims_store *store, const char *id, const char *category, const char *severity,
			const char *system, const char *owner);
/** Close with an outcome; `nonconformity` also opens one (source concern). */
int aims_concern_close(json_t **out, aims_store *store, const char *id, const char *outcome, int nonconformity);
/** Turn public intake (submissions without an account) on or off: setting concerns.public_intake. */
int aims_concern_intake_set(json_t **out, aims_store *store, int on);

/* ---- suppliers (ISO/IEC 42001 A.10) ---- */

typedef struct {
	const char *name;                 /* required, unique */
	const char *const *provides;      /* ai-system | model | data | service, at least one */
	size_t nprovides;
	const char *const *systems;       /* AI systems of the inventory it supplies */
	size_t nsystems;
	const char *const *models;        /* registered model versions it supplies */
	size_t nmodels;
	const char *const *ours, *const *theirs; /* responsibilities of the organization and of the supplier (A.10.2) */
	size_t nours, ntheirs;
	const char *contact;
	const char *next_assessment;      /* YYYY-MM-DD or NULL */
} aims_supplier_new;

int aims_supplier_add(json_t **out, aims_store *store, const aims_supplier_new *in);
int aims_supplier_get(json_t **out, aims_store *store, const char *id);
/** {"suppliers": [...]} newest first. */
int aims_supplier_list(json_t **out, aims_store *store);
/** Record an assessment (acceptable | conditional | unacceptable) and the next one's date. */
int aims_supplier_assess(json_t **out, aims_store *store, const char *id, const char *result, const char *note,
			 const char *next);

/* ---- objectives (ISO/IEC 42001 6.2) ---- */

/** An objective (OBJ-NNN) with a KPI computed from the store: monitoring-pass-rate, drift-alerts,
 *  overdue-actions, incidents-reported-in-time, open-nonconformities, override-rate or
 *  evaluations-recorded (docs/pdca.md); `target` "OP NUMBER" (<=, >=, <, >, ==); every month | quarter |
 *  year (NULL: quarter); system and owner may be NULL. */
int aims_objective_add(json_t **out, aims_store *store, const char *title, const char *kpi, const char *target,
		       const char *system, const char *owner, const char *every);
/** {"objectives": [...]} newest first. */
int aims_objective_list(json_t **out, aims_store *store);
/** Each active objective's KPI for `period` (NULL: the current period of its kind), whether the target is
 *  met, and the trend: {"objectives": [{"id", "title", "kpi", "target", "system", "owner", "value", "met",
 *  "trend": [{"period", "value", "met"}]}]}. */
int aims_objective_status(json_t **out, aims_store *store, const char *period);

/* ---- exchange with the ISMS tool ---- */

/** Import incidents or nonconformities (kind "incidents" | "nonconformities") from the ISMS tool: CSV or
 *  JSON with the columns of docs/pdca.md, all or nothing; a row whose isms_ref was imported before is left
 *  alone. {"kind", "created": [{"id", "isms_ref", "line"}], "unchanged"}. */
int aims_pdca_import(json_t **out, aims_store *store, const char *kind, const char *text, size_t len,
		     const char *name);

/** Export them for the ISMS tool as CSV (syntax "csv") or JSON ("json"), oldest first. */
int aims_pdca_export(aims_buf *out, aims_store *store, const char *kind, const char *syntax);

/* ---- what is due ---- */

/**
 * {"items": [{"module", "id", "what", "owner", "due", "overdue"}], "today", "until"}: documents due
 * for review, risks above tolerance awaiting treatment or acceptance, impact assessments due, records
 * marked for review by incidents, serious incidents' reports, open nonconformities and corrective
 * actions, audits, monitoring runs not yet run; only `who`'s (NULL: everyone's); items dated later
 * than `within_days` from today are left out (undated items are always listed). Dated first, by date.
 */
int aims_due(json_t **out, aims_store *store, const char *who, int within_days);

/* ---- management review (ISO/IEC 42001 9.3) ---- */

/** The inputs of 9.3.2 for `period` (2026, 2026-Q2, 2026-05 or YYYY-MM-DD..YYYY-MM-DD), computed from the
 *  store: previous_reviews, changes, monitoring, nonconformities, audits, incidents, kpis, risks,
 *  opportunities. */
int aims_review_pack(json_t **out, aims_store *store, const char *period);

/** The pack as a self-contained HTML report. */
int aims_review_pack_html(aims_buf *b, const json_t *pack, aims_store *store);

/** Record the review's decisions (9.3.3) with the pack's inputs as a draft controlled document
 *  "management-review-PERIOD" of type management-review owned by `owner`; approved through the
 *  document workflow. {"document", "period", "pack_digest", "pack"}. */
int aims_review_record(json_t **out, aims_store *store, const char *period, const char *decisions, const char *owner);

/**
 * Evidence these records give the gap analysis: [{"requirement", "ref"}]: 9.1 (a monitoring plan that ran
 * and evaluated), 9.2.1-9.2.2 (a closed internal audit), 9.3.1-9.3.3 (an approved management review
 * record), 10.1-10.2 (a closed nonconformity), A.3.3 (a triaged concern), A.8.4 (an incident reported),
 * A.10.2 (a supplier with allocated responsibilities), A.10.3 (an assessed supplier).
 */
int aims_pdca_evidence(json_t **out, aims_store *store);

/* ---- internal audits (ISO/IEC 42001 9.2) ---- */

/** Plan an audit (AUD-NNN) of a period over clauses/controls and AI systems, by `auditor`: an active
 *  account with the auditor role that owns no risk, nonconformity or corrective action of a system in
 *  scope (AIMS_EPERM naming them otherwise). `planned` YYYY-MM-DD or NULL. */
int aims_internal_audit_plan(json_t **out, aims_store *store, const char *title, const char *period, const char *auditor,
		    const char *const *requirements, size_t nreq, const char *const *systems, size_t nsys,
		    const char *planned);

/** The audit with its sample and findings: its report. */
int aims_internal_audit_get(json_t **out, aims_store *store, const char *id);

/** {"audits": [...]} newest first; status planned | in-progress | closed or NULL. */
int aims_internal_audit_list(json_t **out, aims_store *store, const char *status);

/** The audit's auditor samples a governed record ("TYPE:ID" as in the ledger, e.g. risk:RISK-001). */
int aims_internal_audit_sample(json_t **out, aims_store *store, const char *id, const char *record, const char *note);

/** The audit's auditor records a finding (F-NNN): conformity | observation | nonconformity; a
 *  nonconformity finding opens a nonconformity (source internal-audit, source_ref AUD-NNN/F-NNN) with
 *  `owner` and `due`. */
int aims_internal_audit_finding(json_t **out, aims_store *store, const char *id, const char *kind, const char *requirement,
		       const char *text, const char *record, const char *owner, const char *due);

/** The audit's auditor closes it with a summary (at least one finding). */
int aims_internal_audit_close(json_t **out, aims_store *store, const char *id, const char *summary);

/** An audit's report (9.2.2): the audit as in aims_internal_audit_get with "counts" {"conformity",
 *  "observation", "nonconformity"} and "nonconformities": [{"id", "finding", "title", "status", "owner",
 *  "due"}], the nonconformities its findings opened with their status now. */
int aims_internal_audit_report(json_t **out, aims_store *store, const char *id);

/** The report as one self-contained HTML page (scope, sample, findings, nonconformities, conclusion). */
int aims_internal_audit_report_html(aims_buf *b, const json_t *report, aims_store *store);

/* ---- audit programmes (ISO/IEC 42001 9.2.2) ---- */

typedef struct {
	const char *title;     /* required, one line */
	const char *period;    /* 2026, 2026-Q2, 2026-05 or YYYY-MM-DD..YYYY-MM-DD (end exclusive); required */
	const char *objective; /* may be NULL */
	const char *frequency; /* e.g. "each quarter; A.6 yearly"; may be NULL */
	const char *method;    /* e.g. "interviews and record sampling"; may be NULL */
	const char *owner;     /* who is responsible for the programme; NULL = the acting principal */
} aims_audit_programme_new;

/** Create an audit programme (PRG-NNN) for a period; *out as aims_audit_programme_get. */
int aims_audit_programme_create(json_t **out, aims_store *store, const aims_audit_programme_new *in);

/** Put audit `audit` into programme `id`: the audit's period (a year, quarter, month or FROM..TO) must lie
 *  inside the programme's, and an audit belongs to one programme at most. */
int aims_audit_programme_add(json_t **out, aims_store *store, const char *id, const char *audit);

/** The programme with what is computed now: "coverage" {"clauses", "controls", "systems"}, each
 *  {"covered": [{"id", "audits"}], "uncovered": [ID]} (clauses 4-10 without subclauses and the Annex A
 *  controls of the loaded ISO/IEC 42001 catalog, the AI systems not retired), "audit_status" [{"id",
 *  "title", "period", "status", "auditor", "planned", "closed_at", "findings": {"conformity",
 *  "observation", "nonconformity"}}] and "nonconformities" [{"id", "audit", "finding", "title", "status",
 *  "owner", "due"}] opened by the audits' findings, with their status now. */
int aims_audit_programme_get(json_t **out, aims_store *store, const char *id);

/** Plan an audit as aims_internal_audit_plan and put it into `programme`, both or neither. */
int aims_audit_programme_plan(json_t **out, aims_store *store, const char *programme, const char *title,
			      const char *period, const char *auditor, const char *const *requirements, size_t nreq,
			      const char *const *systems, size_t nsys, const char *planned);

/** {"programmes": [...]} newest first, each as aims_audit_programme_get. */
int aims_audit_programme_list(json_t **out, aims_store *store);

#endif
