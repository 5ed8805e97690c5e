/*
 * aims: the command-line front end of libaims. This file holds the one
 * sorted command table (help, the man page and dispatch all come from it)
 * and the option parser; each command's work is in cmd_<name>.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

const cli_opt cli_global_opts[] = {
	{ "db", "URL", "the store: a SQLite file path or sqlite:PATH, or a PostgreSQL database "
	  "postgres://[USER@]HOST[:PORT]/DATABASE (default: $AIMS_DB, else ./aims.db)", OPT_VALUE },
	{ "server", "URL", "act through the HTTP API of an 'aims serve' at URL with the token in $AIMS_TOKEN "
	  "(default: $AIMS_SERVER) instead of opening a store", OPT_VALUE },
	{ "help", NULL, "show help for the command and exit", 0 },
	{ NULL, NULL, NULL, 0 }
};

/* sorted by name: help, the man page and lookup rely on it */
const cli_cmd cli_commands[] = {
	{ "aiact annex-iv", cmd_aiact_annex_iv, "SYSTEM", 1, 1, NULL,
	  "Writes --html FILE: the nine sections of EU AI Act Annex IV (general description, development, "
	  "monitoring and control, performance metrics, risk management, changes, standards, declaration of "
	  "conformity, post-market monitoring), each item filled from the store (inventory record, deployments, "
	  "model and training data, risk register, impact assessments, obligation evidence, decision logs, the "
	  "42001 SoA) and marked found or missing; nothing is inferred. See docs/aiact.md. A missing --html is a "
	  "usage error (exit 2), reported after the operation ran.\n"
	  "JSON: {\"system\", \"html\" (the file written), \"items\", \"found\", \"missing\"}; the API's "
	  "document has the counts without \"html\", and the page itself with format=html.",
	  cmd_aiact_annex_iv_opts, "aiact.annex_iv", NULL, NULL },
	{ "aiact classify", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Reads --answers FILE (YAML, or JSON when it starts with '{') with exactly these keys (docs/aiact.md "
	  "gives the article each decides): role (provider, deployer, both, product-manufacturer, importer, "
	  "distributor, authorised-representative), art2_exclusion (none, military-defence-national-security, "
	  "scientific-research, pre-market-research), prohibited_practice (none or an Art. 5(1) practice: "
	  "subliminal-manipulation, exploiting-vulnerabilities, social-scoring, criminal-risk-profiling, "
	  "facial-image-scraping, emotion-recognition-work-education, biometric-categorisation-sensitive, "
	  "realtime-remote-biometric-identification), annex_i_safety_component, annex_i_section_b, annex_iii_area "
	  "(none or a point such as 4(a), 5(b), 2), art6_3_exemption (none, narrow-procedural-task, "
	  "improves-human-activity, detects-decision-patterns, preparatory-task), profiling, "
	  "interacts_with_natural_persons, generates_synthetic_content, emotion_recognition, "
	  "biometric_categorisation (none, sensitive-attributes, other), deep_fake, gpai, systemic_risk, "
	  "gpai_open_source, builds_on_third_party_gpai, free_open_source_licence, public_authority, "
	  "provides_public_service, affects_workers, law_enforcement_or_migration (true or false). A missing or "
	  "unknown key, a wrong type or a value outside the list is refused with the file, line and key (exit "
	  "3), as are combinations the Act excludes. A version 1 file (with public_body_or_public_service and "
	  "emotion_recognition_or_biometric_categorisation, the 13 keys before) is still read, and so is a "
	  "version 2 file (every key but law_enforcement_or_migration): the newer questions take documented "
	  "defaults and warnings on standard error say what it cannot decide. The "
	  "tier is out-of-scope (Art. 2), prohibited (Art. 5), high-risk (Art. 6(1) Annex I safety component, or "
	  "Art. 6(2) Annex III unless an Art. 6(3) exemption applies; profiling is always high-risk), "
	  "limited-risk (Art. 50) or minimal-risk; Art. 50 and 53-55 duties apply on top. Each obligation "
	  "carries the date it applies from (Art. 113). The result is stored as the system's next "
	  "classification version, recorded with the acting principal, and its obligations become tracked items "
	  "(see 'aims aiact obligations'). "
	  "Rules: docs/aiact.md.\n"
	  "JSON: {\"system\", \"version\", \"tier\", \"basis\": [TEXT], \"obligations\": [{\"key\", \"article\", "
	  "\"requirement\", \"role\", \"description\", \"applies_from\", \"id\", \"status\"}], \"fria_required\", "
	  "\"exemption\": null or {\"article\", \"duties\": [OBLIGATION]}, \"notes\": [TEXT], \"warnings\": [TEXT], "
	  "\"answers\" (every current key, and \"format\": 1 or 2), \"digest\", \"classified_at\"}.",
	  NULL, "aiact.classify", cmd_aiact_render_classify, cmd_aiact_classify_prepare },
	{ "aiact fria", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Prints (or writes to --out FILE) Markdown with one section per Art. 27(1) point: the deployer's "
	  "processes, period and frequency of use, categories of persons affected, specific risks of harm, human "
	  "oversight measures, measures if risks materialise with complaint handling, and the Art. 27(3) "
	  "notification; pre-filled from the inventory, the latest impact assessment and the risk register, with "
	  "what is left to write marked (the date it was prepared included). Refused (exit 3) when the latest "
	  "classification does not require a FRIA, unless --force; exit 5 when the system has no classification. "
	  "The API answers the Markdown itself with format=markdown.\n"
	  "JSON: {\"system\", \"classification\", \"tier\", \"fria_required\", \"markdown\"}.",
	  cmd_aiact_fria_opts, "aiact.fria", cmd_aiact_render_fria, cmd_aiact_fria_prepare },
	{ "aiact obligation set", cli_run_op, "ID", 1, 1, NULL,
	  "Sets --status (open, in-progress, met, not-applicable), adds --evidence references (repeatable) and "
	  "a --note to obligation ID (OBL-NNN). 'met' without any evidence is refused (exit 3), giving nothing to "
	  "change is a usage error (exit 2). The audit trail gets an 'update' entry naming the acting principal.\n"
	  "JSON: {\"id\", \"system\", \"key\", \"article\", \"requirement\", \"role\", \"description\", \"status\", "
	  "\"evidence\": [REF], \"note\", \"active\", \"updated_at\", \"applies_from\"}.",
	  NULL, "aiact.obligation_set", cmd_aiact_render_obligation_set, NULL },
	{ "aiact obligation show", cli_run_op, "ID", 1, 1, NULL,
	  "Shows obligation ID (OBL-NNN): article, role, status, the date it applies from, evidence, note and "
	  "description. Its document is what 'aims aiact obligation set' changes (the API's ETag for If-Match).\n"
	  "JSON: as 'aims aiact obligation set'.",
	  NULL, "aiact.obligation_show", cmd_aiact_render_obligation_show, NULL },
	{ "aiact obligations", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "One row per obligation of the latest classification: id, article, role, status, whether it applies "
	  "yet on --on DATE (YYYY-MM-DD, default today: 'yes' or 'from' the date of Art. 113 it applies from: "
	  "2025-02-02 for Arts. 4 and 5, 2025-08-02 for general-purpose AI models, 2027-08-02 for the obligations "
	  "of an Art. 6(1) system, 2026-08-02 for the rest), number of evidence references and description; a "
	  "bad --on is refused (exit 3). --all also lists obligations a later classification no longer needs "
	  "(inactive; they keep their status and evidence).\n"
	  "JSON: {\"system\", \"classification\", \"tier\", \"obligations\": [OBLIGATION as in 'aims aiact "
	  "obligation set', plus \"applies\": true|false on the day], \"on\": DATE}.",
	  NULL, "aiact.obligations", cmd_aiact_render_obligations, NULL },
	{ "aiact show", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "JSON: as 'aims aiact classify'.",
	  NULL, "aiact.show", cmd_aiact_render_show, NULL },
	{ "assess approve", cli_run_op, "ID", 1, 1, NULL,
	  "Approves draft ID as the acting principal (the account of AIMS_TOKEN, else os:LOGIN), who must not be "
	  "its author (four eyes; exit 7 otherwise, naming both). Records the system's state at approval (intended "
	  "use, deployed model, the datasets it was trained on or that lie upstream of the system in the lineage "
	  "graph, and the data_sources answered) to tell later when the assessment is due again; an earlier "
	  "approved version becomes superseded.\n"
	  "JSON: as 'aims assess show'.",
	  NULL, "assess.approve", cmd_assess_render_approve, NULL },
	{ "assess impact", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Reads --answers FILE (YAML, or JSON) with the keys intended_use (text), affected_groups (list of "
	  "{group, description, vulnerable}), benefits (list of text), harms (list of {harm, level: individual|"
	  "group|society, affected, severity: low|medium|high|critical, reversibility: reversible|"
	  "partially-reversible|irreversible}), misuse (list), mitigations (list), human_oversight (text), and "
	  "optionally data_sources (list) and notes. A missing or unknown key, a wrong type or a bad value is "
	  "refused with the file, line and key (exit 3). Stored as the system's next version (a draft) authored by "
	  "the acting principal, with the digest of the canonical answers and of the file; the audit trail gets a "
	  "'create' entry.\n"
	  "JSON: as 'aims assess show'.",
	  NULL, "assess.impact", cmd_assess_render_impact, NULL },
	{ "assess list", cli_run_op, "", 0, 0, NULL,
	  "One row per assessment, then per system whether a new assessment is due: none approved yet, or since "
	  "the approval another model was deployed, the intended use changed or a new data source appeared.\n"
	  "JSON: {\"assessments\": [{\"id\", \"system\", \"version\", \"status\", \"author\", \"approver\", "
	  "\"approved_at\", \"source\", \"source_digest\", \"digest\", \"created_at\"}], \"systems\": "
	  "[{\"system\", \"due\", \"reasons\"}]}.",
	  NULL, "assess.list", cmd_assess_render_list, NULL },
	{ "assess show", cli_run_op, "ID", 1, 1, NULL,
	  "JSON: an assessment as in 'aims assess list' plus \"answers\", \"snapshot\", \"system_due\" and "
	  "\"due_reasons\".",
	  NULL, "assess.show", cmd_assess_render_show, NULL },
	{ "audit close", cli_run_op, "ID", 1, 1, NULL,
	  "Closes internal audit ID with a --summary, as its auditor; it needs at least one finding.\n"
	  "JSON: as 'aims audit show'.",
	  NULL, "audit.close", cmd_audit_render, NULL },
	{ "audit finding", cli_run_op, "ID", 1, 1, NULL,
	  "Records a finding (F-NNN) of audit ID as its auditor: --kind conformity, observation or nonconformity, "
	  "--text, optional --requirement and --record TYPE:ID. A nonconformity finding opens a nonconformity "
	  "(source internal-audit, source_ref AUD-NNN/F-NNN, with --owner and --due) and names it.\n"
	  "JSON: as 'aims audit show'.",
	  NULL, "audit.finding", cmd_audit_render, NULL },
	{ "audit list", cli_run_op, "", 0, 0, NULL,
	  "Lists internal audits, newest first (--status).\n"
	  "JSON: {\"audits\": [AUDIT as in 'aims audit show']}.",
	  NULL, "audit.list", cmd_audit_render_list, NULL },
	{ "audit plan", cli_run_op, "", 0, 0, NULL,
	  "Plans an internal audit (ISO/IEC 42001 9.2; AUD-NNN): --title, --period, the scope as --requirement "
	  "(clauses or controls of the loaded catalog) and --system (AI systems), --planned date, and --auditor: an "
	  "active account with the auditor role that owns no risk, nonconformity or corrective action of a system in "
	  "scope (exit 7 naming what it owns). With --programme PRG-NNN the audit joins that audit programme in the "
	  "same transaction; its period must then be a year, quarter, month or FROM..TO inside the programme's "
	  "(exit 3). See docs/pdca.md.\n"
	  "JSON: {\"id\", \"title\", \"period\", \"auditor\", \"scope_requirements\", \"scope_systems\", "
	  "\"planned\", \"status\": planned|in-progress|closed, \"sample\": [{\"record\", \"note\", \"at\"}], "
	  "\"findings\": [{\"id\", \"kind\", \"requirement\", \"text\", \"record\", \"nonconformity\", \"at\"}], "
	  "\"opened_by\", \"opened_at\", \"closed_at\", \"closed_by\", \"summary\", \"programme\" (PRG-NNN "
	  "or null, computed when read)}.",
	  NULL, "audit.plan", cmd_audit_render, NULL },
	{ "audit programme add", cli_run_op, "ID AUDIT", 2, 2, NULL,
	  "Puts internal audit AUDIT (AUD-NNN) into audit programme ID. The audit's period must be a year, quarter, "
	  "month or FROM..TO lying inside the programme's period (exit 3 otherwise); an audit belongs to one "
	  "programme (adding it again, or to a second programme, is exit 3). An unknown programme or audit is exit 5.\n"
	  "JSON: as 'aims audit programme show'.",
	  NULL, "audit.programme_add", cmd_programme_render, NULL },
	{ "audit programme create", cli_run_op, "", 0, 0, NULL,
	  "Creates an audit programme (ISO/IEC 42001 9.2.2; PRG-NNN) for --period (2026, 2026-Q2, 2026-05 or "
	  "YYYY-MM-DD..YYYY-MM-DD, end exclusive, as 'aims review-pack') with a --title and optionally its "
	  "--objective, --frequency, --method and --owner (default the acting account). Audits join it with "
	  "'aims audit plan --programme' or 'aims audit programme add'. See docs/pdca.md.\n"
	  "JSON: {\"id\", \"title\", \"period\", \"since\", \"until\", \"objective\", \"frequency\", \"method\", \"owner\", \"audits\": [AUD-NNN], \"opened_by\", \"opened_at\", computed when read: \"coverage\": {\"clauses\", \"controls\", \"systems\"} each {\"covered\": [{\"id\", \"audits\"}], \"uncovered\": [ID]}, \"audit_status\": [{\"id\", \"title\", \"period\", \"status\", \"auditor\", \"planned\", \"closed_at\", \"findings\": {\"conformity\", \"observation\", \"nonconformity\"}}], \"nonconformities\": [{\"id\", \"audit\", \"finding\", \"title\", \"status\", \"owner\", \"due\"}]}.",
	  NULL, "audit.programme_create", cmd_programme_render, NULL },
	{ "audit programme list", cli_run_op, "", 0, 0, NULL,
	  "Lists audit programmes, newest first, with their number of audits and how many clauses, Annex A controls "
	  "and AI systems their audits cover.\n"
	  "JSON: {\"programmes\": [PROGRAMME as in 'aims audit programme show']}.",
	  NULL, "audit.programme_list", cmd_programme_render_list, NULL },
	{ "audit programme show", cli_run_op, "ID", 1, 1, NULL,
	  "Shows audit programme ID: its audits with their status and counts of findings, the nonconformities "
	  "their findings opened with their status now, and its coverage computed now from the audits' scopes: "
	  "which clauses 4-10 (those without subclauses) and Annex A controls of the loaded ISO/IEC 42001 catalog "
	  "and which AI systems of the inventory (not retired) the audits cover, and which they do not. A scope item "
	  "covers itself and what is under it (9.2 covers 9.2.1 and 9.2.2, A.6 its controls).\n"
	  "JSON: as 'aims audit programme create'.",
	  NULL, "audit.programme_show", cmd_programme_render, NULL },
	{ "audit report", cli_run_op, "ID", 1, 1, NULL,
	  "The report of internal audit ID (ISO/IEC 42001 9.2.2): its scope, sample, findings with counts by kind, "
	  "the nonconformities its findings opened with their status now, and its conclusion; with --html FILE one "
	  "self-contained HTML page, written to a temporary file and renamed into place.\n"
	  "JSON: AUDIT as in 'aims audit show' with \"counts\": {\"conformity\", \"observation\", "
	  "\"nonconformity\"} and \"nonconformities\": [{\"id\", \"finding\", \"title\", \"status\", \"owner\", "
	  "\"due\"}].",
	  cmd_audit_report_opts, "audit.report", cmd_audit_render, NULL },
	{ "audit sample", cli_run_op, "ID", 1, 1, NULL,
	  "Adds a governed --record TYPE:ID (as named in the ledger, e.g. risk:RISK-001, document:ai-policy) to "
	  "audit ID's sample, with a --note, as its auditor.\n"
	  "JSON: as 'aims audit show'.",
	  NULL, "audit.sample", cmd_audit_render, NULL },
	{ "audit show", cli_run_op, "ID", 1, 1, NULL,
	  "Shows internal audit ID with its scope, sample and findings: the audit's report.\n"
	  "JSON: as 'aims audit plan'.",
	  NULL, "audit.show", cmd_audit_render, NULL },
	{ "card dataset", cli_run_op, "REF", 1, 1, NULL,
	  "Writes the datasheet of dataset REF (NAME@VER, NAME for the latest, NAMESPACE#NAME[@VER]) in "
	  "Markdown, or with --html FILE as one self-contained HTML page. Sections follow the datasheets for "
	  "datasets questions; what the inventory and the lineage graph know fills them (provenance, schema "
	  "facet, the runs and datasets it was produced from, the models and systems using it), and a section "
	  "with nothing recorded says so.\n"
	  "JSON: {\"card\": \"dataset\", \"subject\": REF, \"markdown\": TEXT}.",
	  cmd_card_opts, "card.dataset", cmd_card_render, cmd_card_prepare },
	{ "card model", cli_run_op, "REF", 1, 1, NULL,
	  "Writes the model card of REF (NAME@VER or NAME for the latest) in Markdown, or with --html FILE as "
	  "one self-contained HTML page. Training data and runs come from the lineage graph.\n"
	  "JSON: {\"card\": \"model\", \"subject\": REF, \"markdown\": TEXT}.",
	  cmd_card_opts, "card.model", cmd_card_render, cmd_card_prepare },
	{ "card system", cli_run_op, "NAME", 1, 1, NULL,
	  "Writes the technical documentation of AI system NAME: purpose (intended use, foreseeable misuse, "
	  "affected groups), components (deployed model versions), data (datasets upstream in the lineage "
	  "graph), evaluations and risks recorded for it, human oversight and the deployment history, in "
	  "Markdown or with --html FILE as one self-contained HTML page.\n"
	  "JSON: {\"card\": \"system\", \"subject\": NAME, \"markdown\": TEXT}.",
	  cmd_card_opts, "card.system", cmd_card_render, cmd_card_prepare },
	{ "catalog list", cli_run_op, "", 0, 0, NULL,
	  "Lists every framework loaded into the store with its version, publisher, number of "
	  "requirements and the SHA-256 digest of the catalog file it came from.\n"
	  "JSON: {\"frameworks\": [{\"framework\", \"title\", \"version\", \"publisher\", "
	  "\"source\", \"licence\", \"requirements\", \"digest\", \"loaded_at\"}]}.",
	  NULL, "catalog.list", cmd_catalog_render_list, NULL },
	{ "catalog show", cli_run_op, "FRAMEWORK [ID]", 1, 2, NULL,
	  "Without ID, prints every requirement of FRAMEWORK in document order, indented by depth. "
	  "With ID (exactly as the framework writes it, e.g. A.6.2.4, 6.1.4, 'GOVERN 1.1', "
	  "'Article 9'), prints that requirement in full followed by the requirements it contains.\n"
	  "JSON: {\"framework\", \"title\", \"version\", \"publisher\", \"source\", \"licence\", "
	  "\"digest\", \"loaded_at\", \"requirements\": [{\"id\", \"kind\", \"title\", \"parent\", "
	  "\"summary\", \"text\", \"chapter\"}]}; with ID, `requirements` holds that requirement and "
	  "its descendants. `summary`, `text` and `chapter` are present only when the catalog has them.",
	  NULL, "catalog.show", cmd_catalog_render_show, cmd_catalog_show_prepare },
	{ "concern close", cli_run_op, "ID", 1, 1, NULL,
	  "Closes triaged concern ID with its --outcome; --nonconformity also opens a nonconformity (source concern, "
	  "the concern's system and owner).\n"
	  "JSON: as 'aims concern show'.",
	  NULL, "concern.close", cmd_concern_render, NULL },
	{ "concern intake", cli_run_op, "on|off", 1, 1, NULL,
	  "Allows (on) or refuses (off, the default) concerns from people without an account: POST "
	  "/api/v1/public/concerns and the web form /concern, at most 5 per client address and 100 in all per "
	  "hour; the answer names only the new concern's id.\n"
	  "JSON: {\"public_intake\": true|false}.",
	  NULL, "concern.intake", cmd_concern_render, NULL },
	{ "concern list", cli_run_op, "", 0, 0, NULL,
	  "JSON: {\"concerns\": [CONCERN as in 'aims concern show']}.",
	  NULL, "concern.list", cmd_concern_render_list, NULL },
	{ "concern show", cli_run_op, "ID", 1, 1, NULL,
	  "JSON: {\"id\", \"title\", \"kind\": concern|adverse-impact, \"details\", \"system\", \"contact\", "
	  "\"submitted_by\" (an account, or anonymous), \"submitted_at\", \"status\": new|triaged|closed, "
	  "\"category\", \"severity\", \"owner\", \"triaged_by\", \"outcome\": {\"text\", \"by\", \"at\"}, "
	  "\"nonconformity\", \"closed_at\"}.",
	  NULL, "concern.show", cmd_concern_render, NULL },
	{ "concern submit", cli_run_op, "", 0, 0, NULL,
	  "Submits a concern or (--kind adverse-impact) a report of adverse impact of an AI system (ISO/IEC 42001 "
	  "A.3.3, A.8.3; CON-NNN) as the acting account: --summary, --details, --system, --contact.\n"
	  "JSON: as 'aims concern show'.",
	  NULL, "concern.submit", cmd_concern_render, NULL },
	{ "concern triage", cli_run_op, "ID", 1, 1, NULL,
	  "Triages concern ID: --category (bias-fairness, privacy, safety, transparency, misuse, security, "
	  "performance, other), --severity, --system, --owner who follows it up.\n"
	  "JSON: as 'aims concern show'.",
	  NULL, "concern.triage", cmd_concern_render, NULL },
	{ "dataset list", cli_run_op, "", 0, 0, NULL,
	  "Lists registered datasets and those known from lineage (OpenLineage, MLflow) with digest, size, "
	  "whether they hold personal data and where the record came from.\n"
	  "JSON: {\"datasets\": [DATASET]}, each as in 'aims dataset show'.",
	  NULL, "dataset.list", cmd_dataset_render_list, NULL },
	{ "dataset register", cli_run_op, "NAME@VERSION", 1, 1, NULL,
	  "Hashes --file PATH streaming (a progress bar on standard error for large files when it is a "
	  "terminal) and records NAME@VERSION with the digest, size and the provenance given: source, licence, "
	  "collection method, personal data (yes/no), known limitations and biases, and the datasheet notes "
	  "(motivation, preprocessing, uses, distribution, maintenance). Versions are immutable: the same bytes "
	  "again change nothing (exit 0, \"created\": false); other bytes are refused (exit 3). A dataset known "
	  "only from lineage (same namespace, name and version) gets its digest.\n"
	  "JSON: the dataset as in 'aims dataset show' plus \"created\".",
	  cmd_dataset_register_opts, "dataset.register", cmd_dataset_render_register, cmd_dataset_prepare },
	{ "dataset show", cli_run_op, "REF", 1, 1, NULL,
	  "REF is NAME@VERSION, NAME (the latest version) or NAMESPACE#NAME[@VERSION], with or without "
	  "'dataset:'.\n"
	  "JSON: {\"ref\", \"namespace\", \"name\", \"version\", \"digest\", \"size\", \"file\", \"source\", "
	  "\"licence\", \"collection\", \"personal_data\", \"limitations\", \"biases\", \"motivation\", "
	  "\"preprocessing\", \"uses\", \"distribution\", \"maintenance\", \"origin\", \"facets\", "
	  "\"record_version\", \"created_at\", \"updated_at\"}; unknown values are null, `facets` holds the "
	  "OpenLineage dataset facets as delivered.",
	  NULL, "dataset.show", cmd_dataset_render_show, NULL },
	{ "dataset verify", cli_run_op, "REF", 1, 1, NULL,
	  "Hashes --file PATH and compares it with the registered digest of REF: exit 0 when the bytes match, "
	  "4 when not (naming the file and both digests), 5 when REF is unknown or has no digest.\n"
	  "JSON: {\"dataset\", \"verified\", \"digest\", \"error\"}; `error` only when not verified.",
	  cmd_dataset_verify_opts, "dataset.verify", cmd_dataset_render_verify, cmd_dataset_prepare },
	{ "decision ingest", cli_run_op, "[FILE]", 0, 1, NULL,
	  "Reads NDJSON from FILE (or standard input, also '-') in one streaming pass, in bounded memory "
	  "whatever its size: one decision record per line with the keys time (RFC 3339, required), model "
	  "(name@version) and/or model_digest (sha256:HEX), input_digest (sha256:HEX, required), output "
	  "(any JSON, required), confidence (0 to 1, at most 6 decimals), explanation (text or a "
	  "reference, or an object such as feature contributions), input (an object of input fields) and "
	  "review ({reviewer, action: accept|override, reason}); other keys are refused, "
	  "blank lines skipped. --system NAME must be an AI system of the inventory ('aims system add'; "
	  "exit 5 otherwise) and each record's model a registered model version ('aims model register'; "
	  "exit 3 with the line and the value otherwise). A bad line anywhere is refused with its line "
	  "number (exit 3) and nothing is appended. Records are stored in their canonical form "
	  "(docs/ledger.md) in the log of --system beside the store, created on first use, and committed "
	  "together at the end (--progress prints 'read N' on standard error now and then and 'acked N' "
	  "once committed). A batch committed before (same records, or the same --idempotency-key) is not "
	  "added again: exit 0, reported as a duplicate; a key used before for other records is exit 3. A "
	  "checkpoint is signed with the ledger key ('aims ledger setup'; exit 5 without one); when it "
	  "cannot be signed after the commit, that is said on standard error and the next write signs it "
	  "(exit 0). Exit 3 when an earlier ingest did not complete (run 'aims decision recover'), 4 when "
	  "the log holds bytes aims did not write. When the system's policy has review rules, the committed "
	  "decisions they select enter the review queue ('aims review next', docs/oversight.md).\n"
	  "JSON: {\"system\", \"appended\", \"first\", \"size\", \"duplicate\", \"batch_digest\", "
	  "\"idempotency_key\", \"checkpoint\", \"selected_for_review\", \"checkpoint_note\"}; `checkpoint` is false "
	  "when it was not signed; `checkpoint_note` is the decision log's signed checkpoint (C2SP signed note: "
	  "origin, size, root, signature) after the batch, null when not signed. The API: POST "
	  "/api/v1/systems/SYSTEM/decisions with the NDJSON as the body and the key in an Idempotency-Key "
	  "header (docs/server.md).",
	  cmd_decision_ingest_opts, "decision.ingest", cmd_decision_render_ingest, NULL },
	{ "decision list", cli_run_op, "", 0, 0, NULL,
	  "JSON: {\"systems\": [NAME]}.",
	  NULL, "decision.list", cmd_decision_render_list, NULL },
	{ "decision log", cli_run_op, "", 0, 0, NULL,
	  "Prints each record of the log of --system NAME from --from I (default 0), at most --limit N: "
	  "its index, a tab and its canonical JSON; a pruned record shows its leaf hash only.\n"
	  "JSON: {\"system\", \"origin\", \"size\", \"entries\": [{\"index\", \"leaf_hash\", "
	  "\"pruned\", \"record\"}]}; `record` is null when pruned.",
	  NULL, "decision.log", NULL, cmd_decision_prepare_log },
	{ "decision prune", cli_run_op, "", 0, 0, NULL,
	  "Replaces the records of --system NAME that are older than the retention period (--days N, "
	  "default the log's, at least 183 days: EU AI Act Art. 19(1), 26(6)) before now, by the system "
	  "clock, by their leaf hashes, so the tree, receipts and checkpoints still verify: from the start "
	  "of the log up to the first record whose time is inside the period, and none while the log "
	  "itself is younger than the period. The prune is recorded in the governance log, and "
	  "verification refuses a pruned record above the bound it names. A period under 183 days is "
	  "refused (exit 3).\n"
	  "JSON: {\"system\", \"pruned\"}.",
	  NULL, "decision.prune", cmd_decision_render_prune, NULL },
	{ "decision receipt", cli_run_op, "", 0, 0, NULL,
	  "Writes a c2sp.org/tlog-proof for entry --index I of the log of --system NAME against its latest "
	  "signed checkpoint, with the record's canonical bytes as the proof's extra data, to --out FILE "
	  "or standard output. Exit 5 when no checkpoint covers the entry.\n"
	  "JSON: {\"system\", \"index\", \"receipt\"}; `receipt` is the proof's text.",
	  cmd_decision_receipt_opts, "decision.receipt", cmd_decision_render_receipt, NULL },
	{ "decision recover", cli_run_op, "", 0, 0, NULL,
	  "An ingest that was killed or crashed before it committed leaves bytes after the last committed "
	  "record of --system NAME, and the log refuses writers until they are removed. This cuts them off "
	  "(they were never acknowledged), removes the tiles written for them and records a 'recover' audit "
	  "entry with the digest of the bytes removed. Bytes that no ingest was writing are a foreign append: "
	  "exit 4 naming the offset, unless --discard-foreign (after keeping a copy for the investigation). "
	  "Nothing to recover is exit 0.\n"
	  "JSON: {\"system\", \"size\", \"offset\", \"cut_bytes\", \"cut_digest\", \"foreign\", \"adopted\"}.",
	  NULL, "decision.recover", cmd_decision_render_recover, NULL },
	{ "decision verify", cli_run_op, "", 0, 0, NULL,
	  "Recomputes the Merkle tree of --system NAME from its entries, compares every stored tile, and "
	  "checks every checkpoint (the latest, which must be in the history, and the history) against "
	  "--vkey (default the ledger's recorded verifier key): signature, origin and root. Exit 4 with "
	  "the first entry that no longer verifies when a byte of the entries or tiles was changed, "
	  "removed, inserted or reordered; when records are not covered by a signed checkpoint; when a "
	  "record lost its body above the bound of the last recorded prune; when the log's folder, "
	  "entries, checkpoint history or registration is missing. Nothing is written: a crash's torn "
	  "tail or missing tiles are repaired by the next command that opens the log to write.\n"
	  "JSON: {\"system\", \"verified\": true, \"entries\"}.",
	  NULL, "decision.verify", cmd_decision_render_verify, NULL },
	{ "decision verify-receipt", cmd_decision_verify_receipt, "FILE", 1, 1,
	  "check a decision receipt offline with only the verifier key",
	  "Checks the receipt FILE ('-' for standard input): the checkpoint's signature by a --vkey, and "
	  "the inclusion of the record (the receipt's extra data, or --entry FILE holding the canonical "
	  "record, which must then match) at its index. Needs no store. Exit 0 when it holds, 4 when "
	  "not, 3 when the receipt is malformed.",
	  cmd_decision_verify_receipt_opts, NULL, NULL, NULL },
	{ "deploy list", cli_run_op, "[SYSTEM]", 0, 1, NULL,
	  "Lists every recorded deployment, or those of SYSTEM: its number, time, model version, environment "
	  "and who deployed it.\n"
	  "JSON: {\"deployments\": [{\"system\", \"seq\", \"model\", \"env\", \"deployed_at\", "
	  "\"deployed_by\", \"notes\", \"digest\"}]}; `model` is NAME@VERSION.",
	  NULL, "deploy.list", cmd_deploy_render_list, NULL },
	{ "deploy record", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Records a deployment of --model NAME@VER (or NAME for its latest version; it must be in the "
	  "inventory, exit 5 if not) for SYSTEM in --env ENV, at --at TIME (default now), by the acting "
	  "principal (deployed_by). The lineage graph gets the edge system --used--> model; the audit trail a "
	  "'deploy' entry. The system's current model is its latest deployment (per environment).\n"
	  "JSON: {\"system\", \"seq\", \"model\", \"env\", \"deployed_at\", \"deployed_by\", \"notes\", "
	  "\"digest\"}.",
	  NULL, "deploy.record", cmd_deploy_render_record, NULL },
	{ "doc approve", cli_run_op, "ID", 1, 1, NULL,
	  "Records the working copy of ID as approved version N (the next number) with its content digest "
	  "(SHA-256 of the canonical content, docs/documents.md), the approver (the acting principal: the account "
	  "of AIMS_TOKEN, else os:LOGIN), the approval date (--date, default today) and the next review date "
	  "(approval date plus the review interval). For scope, AI policy, risk criteria, RACI, concern reporting "
	  "and objectives (four eyes), the author (the principal of the last edit) may not approve: exit 7, naming "
	  "both. Refused with exit 3: a retired document; nothing to approve. The audit trail gets an 'approve' "
	  "entry.\n"
	  "JSON: the approved version, as in 'aims doc list'.",
	  NULL, "doc.approve", cmd_doc_render_approve, NULL },
	{ "doc diff", cli_run_op, "ID", 1, 1, NULL,
	  "Compares title, owner, review interval, links and body of version --from V and version --to V "
	  "(a number, or 'draft' for the working copy, the default) line by line and prints a unified diff "
	  "with three lines of context. Without --from, the version before --to.\n"
	  "JSON: {\"id\", \"diff\": TEXT}.",
	  NULL, "doc.diff", cmd_doc_render_diff, NULL },
	{ "doc due", cli_run_op, "", 0, 0, NULL,
	  "Lists approved, not retired documents whose next review date (latest approval plus the review "
	  "interval) is before --now (default today).\n"
	  "JSON: {\"due\": [DOCUMENT]}, each as in 'aims doc list'.",
	  NULL, "doc.due", cmd_doc_render_due, NULL },
	{ "doc edit", cli_run_op, "ID", 1, 1, NULL,
	  "Changes the title, owner, review interval, links (--link/--unlink: a 42001 id such as 5.2 or A.2.2, "
	  "or iso27001-2022:ID for the 27001 document or control it extends; checked against the catalogs) or "
	  "the Markdown body (--body FILE, '-' for standard input; a directory or a file that is not UTF-8 text is "
	  "refused with exit 3). Editing an approved document starts draft version N+1; approved versions never "
	  "change: --version V naming an approved version is refused (exit 3). The author becomes the acting "
	  "principal. The audit trail gets an 'update' entry.\n"
	  "JSON: the working copy, as in 'aims doc list'.",
	  NULL, "doc.edit", cmd_doc_render_edit, NULL },
	{ "doc export", cli_run_op, "", 0, 0, NULL,
	  "Writes --html DIR/ID.html for each document (its working copy, with status, version, approval and "
	  "review dates, links and digest, and the Markdown body rendered safely) and DIR/index.html listing "
	  "id, title, type, status, latest approved version, approver, approval date and next review. Pages "
	  "are self-contained (inline CSS, no scripts) and print on A4.\n"
	  "JSON (instead of writing the files): {\"documents\", \"pages\": [{\"id\", \"file\", \"html\"}]}.",
	  cmd_doc_export_opts, "doc.export", cmd_doc_render_export, cmd_doc_export_prepare },
	{ "doc list", cli_run_op, "", 0, 0, NULL,
	  "One row per document: id, type, status, version (* marks a draft's number), approver, approval "
	  "date and next review of the latest approved version, title.\n"
	  "JSON: {\"documents\": [DOCUMENT]}; a DOCUMENT is {\"id\", \"type\", \"title\", \"owner\", \"status\", \"version\", "
	  "\"latest_approved\", \"author\", \"approver\", \"approved_at\", \"next_review\", \"review_months\", "
	  "\"links\": [\"FRAMEWORK:ID\"], \"digest\", \"updated_at\"}; unset values are null.",
	  NULL, "doc.list", cmd_doc_render_list, NULL },
	{ "doc new", cli_run_op, "", 0, 0, NULL,
	  "Creates draft version 1 of a document of --type (scope, ai-policy, risk-criteria, raci, "
	  "concern-reporting, objectives, procedure) owned by --owner, authored by the acting principal. The body "
	  "comes from --body FILE or from the template (--template NAME, default the type's own), filled with the "
	  "organization's name (org.name) and the AI systems in the inventory ('no AI systems recorded yet' until "
	  "there are any); the template also sets the title, review interval and links to the requirements the "
	  "document satisfies. The id is DOC-NNN unless --id is given. See docs/documents.md.\n"
	  "JSON: the new document, as in 'aims doc list'.",
	  NULL, "doc.new", cmd_doc_render_new, NULL },
	{ "doc retire", cli_run_op, "ID", 1, 1, NULL,
	  "A retired document cannot be edited or approved and is never due for review; its approved "
	  "versions stay readable. The audit trail gets a 'retire' entry.\n"
	  "JSON: the document, as in 'aims doc list'.",
	  NULL, "doc.retire", cmd_doc_render_retire, NULL },
	{ "doc show", cli_run_op, "ID", 1, 1, NULL,
	  "Shows the working copy, or approved version --version V; with --html FILE writes it as a printable "
	  "page instead.\n"
	  "JSON: a document as in 'aims doc list' plus \"body\" (Markdown) and \"versions\": [{\"version\", "
	  "\"approver\", \"approved_at\", \"next_review\", \"author\", \"digest\"}].",
	  cmd_doc_show_opts, "doc.show", cmd_doc_render_show, NULL },
	{ "doc submit", cli_run_op, "ID", 1, 1, NULL,
	  "Moves the draft of ID to in-review; editing it again makes it a draft. Approval works from either.\n"
	  "JSON: the document, as in 'aims doc list'.",
	  NULL, "doc.submit", cmd_doc_render_submit, NULL },
	{ "due", cli_run_op, "", 0, 0, NULL,
	  "Lists what is due or overdue across the modules, dated items first by date: documents due for review, "
	  "risks above tolerance awaiting treatment or acceptance, impact assessments due, risks and assessments an "
	  "incident marked for review, the reports of serious incidents (by their EU AI Act deadline), open "
	  "nonconformities, corrective actions (to do, to review, to close), internal audits, and monitoring "
	  "runs not yet run for the last period. --for NAME: only what that account (or os:LOGIN) owns; --within "
	  "DAYS (default 30): items dated later are left out, overdue ones always shown.\n"
	  "JSON: {\"items\": [{\"module\", \"id\", \"what\", \"owner\", \"due\", \"overdue\"}], \"today\", "
	  "\"until\"}.",
	  NULL, "due.list", cmd_due_render, NULL },
	{ "eval drift", cli_run_op, "", 0, 0, NULL,
	  "Compares every column of --ref FILE with --cur FILE (CSV or NDJSON, gzip allowed), or two time windows "
	  "of an AI system's decision log (--system NAME with --ref-since/--ref-until and --since/--until). A column "
	  "is numeric when every non-missing value of both sides is a finite number (override with --numeric and "
	  "--categorical); empty values are missing and left out. Numeric: two-sample Kolmogorov-Smirnov as "
	  "scipy.stats.ks_2samp(method='auto') (exact p-value when both sides have at most 10000 values, else "
	  "asymptotic), Wasserstein-1 distance, PSI over 10 reference-decile bins. Categorical: chi-square on the "
	  "2 x K table without correction, Jensen-Shannon distance (base 2), PSI over the categories. PSI floors "
	  "proportions at 0.0001 and uses the natural log. A column drifted when its p-value is below --alpha "
	  "(0.05) or its PSI is at least --psi-threshold (0.2); the dataset drifted when the share of drifted "
	  "columns is at least --share-threshold (0.5). Above --max-exact values per column and side (10000000) "
	  "a quantile sketch replaces the exact values and the output says so with a proven bound on the KS "
	  "statistic's error. With --system and --record the result is stored as evaluation evidence (permission "
	  "eval.record). Exit 0, or 1 with --check when the dataset drifted. Over HTTP: POST "
	  "/api/v1/evaluations/drift with the files as multipart/form-data parts ref and cur. Details: "
	  "docs/drift.md.\n"
	  "JSON: {\"kind\": \"drift\", \"inputs\": [{\"role\", \"name\", \"sha256\", \"rows\"}], \"thresholds\", "
	  "\"columns\": [{\"name\", \"type\", \"n_ref\", \"n_cur\", \"missing_ref\", \"missing_cur\", \"tested\", "
	  "\"categories\", \"top_categories\", \"statistics\": {\"ks_statistic\", \"ks_pvalue\", \"ks_method\", "
	  "\"ks_error_bound\", \"wasserstein\", \"wasserstein_error_bound\", \"psi\", \"chi2_statistic\", \"chi2_pvalue\", \"chi2_dof\", "
	  "\"jensenshannon\"}, \"approximate\", \"drift\", \"reason\", \"note\"}], \"columns_tested\", "
	  "\"columns_drifted\", \"drift_share\", \"dataset_drift\", and \"evaluation_id\" with --record.",
	  cmd_eval_drift_opts, "eval.drift", cmd_eval_render_drift, NULL },
	{ "eval fairness", cli_run_op, "", 0, 0, NULL,
	  "Reads --data FILE (CSV or NDJSON, gzip allowed, '-' for standard input) or, without --data, the "
	  "decision log of --system NAME (records with --since <= time < --until). A label or prediction is "
	  "positive when it equals --pos-label (default: '1' or 'true'). For each --group column, and for their "
	  "intersection when several are given, each group gets n, confusion counts, selection_rate, tpr, fpr, "
	  "tnr, fnr, precision and accuracy, its disparate impact (selection rate over the reference group's; "
	  "--reference GROUP, default the largest group) with the four-fifths flag (0.8 <= ratio <= 1.25), and a "
	  "small-group flag (n < --min-group-size 30, or fewer than --min-class-count 5 positive or negative "
	  "labels). Aggregates as Fairlearn names them: demographic_parity, equalized_odds and equal_opportunity "
	  "difference (largest minus smallest group value) and ratio (smallest over largest). A rate with a zero "
	  "denominator is null with its reason under \"undefined\". Rows with a missing value in a column in use "
	  "are skipped and counted. With --system and --record the result is stored as evaluation evidence "
	  "(controls A.6.2.4, A.6.2.6; permission eval.record). A file needs no store. Over HTTP: POST "
	  "/api/v1/evaluations/fairness with the options in the query and the data as the body. Details: "
	  "docs/evaluation.md.\n"
	  "JSON: {\"kind\": \"fairness\", \"tool\", \"input\": {\"name\", \"sha256\", \"format\", \"rows_read\", "
	  "\"rows_skipped\", \"rows_used\", \"missing\": {COLUMN: N}}, \"params\", \"sensitive\": [{\"name\", "
	  "\"columns\", \"reference\", \"reference_rule\", \"groups\": [{\"group\", \"values\", \"n\", \"positives\", "
	  "\"negatives\", \"predicted_positives\", \"tp\", \"fp\", \"tn\", \"fn\", \"selection_rate\", \"tpr\", \"fpr\", "
	  "\"tnr\", \"fnr\", \"precision\", \"accuracy\", \"small\", \"small_reason\", \"undefined\", "
	  "\"disparate_impact\", \"four_fifths\"}], \"demographic_parity_difference\", \"demographic_parity_ratio\", "
	  "\"equalized_odds_difference\", \"equalized_odds_ratio\", \"equal_opportunity_difference\", "
	  "\"equal_opportunity_ratio\", \"undefined\", \"notes\"}], \"flags\": [TEXT], and \"evaluation_id\" with "
	  "--record.",
	  cmd_eval_report_opts, "eval.fairness", cmd_eval_render_fairness, NULL },
	{ "eval list", cli_run_op, "", 0, 0, NULL,
	  "One row per stored evaluation (oldest first): id, AI system, kind, time, the 42001 controls it "
	  "evidences and a one-line summary; --system and --kind filter.\n"
	  "JSON: {\"evaluations\": [{\"id\", \"system\", \"kind\", \"recorded_at\", \"controls\": [ID], "
	  "\"summary\", \"tool_version\", \"digest\"}]}.",
	  NULL, "eval.list", cmd_eval_render_list, NULL },
	{ "eval performance", cli_run_op, "", 0, 0, NULL,
	  "Reads the data as 'aims eval fairness' does. Computes the confusion matrix, accuracy, precision, "
	  "recall, f1 and, with --score COL (numbers from 0 to 1; anything else is an error naming file, line "
	  "and column), roc_auc (ties count one half, as scikit-learn), log_loss (scores clipped to [eps, 1-eps], "
	  "eps = 2.220446049250313e-16), brier and ece (expected calibration error: 10 equal-width score bins, "
	  "|fraction positive - mean score| weighted by the bin's share of rows). With one class in the labels "
	  "roc_auc and log_loss are null with the reason. With --system and --record the result is stored as "
	  "evaluation evidence (controls A.6.2.4, A.6.2.6; permission eval.record). Details: docs/evaluation.md.\n"
	  "JSON: {\"kind\": \"performance\", \"tool\", \"input\" (as in 'aims eval fairness'), \"params\", \"n\", "
	  "\"positives\", \"negatives\", \"predicted_positives\", \"confusion_matrix\": {\"tn\", \"fp\", \"fn\", \"tp\"}, "
	  "\"accuracy\", \"precision\", \"recall\", \"f1\", \"roc_auc\", \"roc_curve\": [[FPR, TPR]], \"log_loss\", "
	  "\"brier\", \"ece\", \"calibration\": [{\"lower\", \"upper\", \"n\", \"mean_score\", \"fraction_positive\"}], "
	  "\"undefined\": {KEY: REASON}, and \"evaluation_id\" with --record.",
	  cmd_eval_report_opts, "eval.performance", cmd_eval_render_performance, NULL },
	{ "eval show", cli_run_op, "ID", 1, 1, NULL,
	  "Shows the evaluation ID (EVAL-NNNN): AI system, kind, time, tool version, controls, digest of the "
	  "canonical record (named by its audit entry), inputs with their SHA-256 digests and row counts; "
	  "--html FILE writes the stored result as a report (a drift result without its histograms, which need "
	  "the data). Exit 5 when ID does not exist.\n"
	  "JSON: as in 'aims eval list' plus \"inputs\": [{\"name\", \"sha256\", \"rows\"}], \"params\" and "
	  "\"results\" (the command's JSON as recorded).",
	  cmd_eval_show_opts, "eval.show", cmd_eval_render_show, NULL },
	{ "gap", cmd_run_report, "", 0, 0, NULL,
	  "For every ISO/IEC 42001 requirement (clauses at the deepest level and the 38 Annex A controls) "
	  "computes covered, partial or gap from the 27001 -> 42001 crosswalk and the imported ISMS state "
	  "(aims isms import), lists the 27001 controls and evidence that can be reused and what the AI "
	  "requirement adds. A requirement is covered when an implemented 27001 control fully supports it "
	  "(equal-to, equivalent-to, superset-of), partial when an implemented control partly supports it "
	  "(subset-of, intersects-with) or a partly implemented one supports it, or when records kept in aims "
	  "are evidence for it (approved documents for the requirements they link to, risk register, approved "
	  "impact assessments, evaluations, decision logs, datasets, AI systems, deployments, EU AI Act "
	  "classifications), else a gap. The headline is a strength-weighted readiness: each requirement "
	  "takes the credit of its best support, relationship weight x confidence weight x status weight "
	  "(implemented 1, partial 0.5), or 0.5 for evidence kept in aims; readiness is the mean over the "
	  "applicable requirements, for all, for clauses 4-10 and for Annex A, with a sensitivity range from "
	  "pessimistic and optimistic weights. Weights and a worked example: docs/gap-analysis.md. Annex A "
	  "controls excluded in the 42001 SoA are counted as excluded.\n"
	  "JSON: {\"isms\": {\"version\", \"source\", \"imported_at\", \"digest\"}, \"summary\": "
	  "{\"requirements\", \"covered\", \"partial\", \"gap\", \"excluded\", \"reuse_ratio\", "
	  "\"readiness\", \"readiness_range\": [low, high], \"clauses\" and \"annex_a\": {\"requirements\", "
	  "\"covered\", \"partial\", \"gap\", \"excluded\", \"readiness\"}}, "
	  "\"groups\": [{\"group\", \"title\", \"requirements\", \"covered\", \"partial\", \"gap\", "
	  "\"excluded\"}], \"items\": [{\"id\", \"kind\", \"title\", \"group\", \"status\", "
	  "\"applicable\", \"credit\", \"credited_by\", \"supported_by\": [{\"control\", \"title\", "
	  "\"relationship\", \"confidence\", \"status\", \"applicable\", \"contribution\", \"credit\"}], "
	  "\"reusable_evidence\": [], \"aims_evidence\": [], \"to_add\"}]}. "
	  "reuse_ratio = (covered + partial) / (requirements - excluded): the share touched by any support.",
	  cmd_gap_opts, "gap.analysis", cmd_gap_render, NULL },
	{ "gate approve", cli_run_op, "ID", 1, 1, NULL,
	  "Approves gate request ID as the acting account, whose roles are recorded with the approval. The "
	  "requester may not approve (exit 7); an account decides once (exit 3); a rejected request takes no more "
	  "decisions. When the approvals fill the counts the policy names for the stage (distinct accounts, each "
	  "counting for one role), the request becomes approved. The ledger gets an 'approve' entry.\n"
	  "JSON: as 'aims gate show'.",
	  NULL, "gate.approve", cmd_gate_render, NULL },
	{ "gate check", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Checks --model NAME@VER (NAME: its latest version) of SYSTEM against the conditions the policy that "
	  "applies to SYSTEM sets for stage --to: approvals by roles on the latest gate request (distinct accounts, "
	  "never the requester), an approved impact assessment covering the version, evaluations of the model's "
	  "exact artifact digest recorded within the policy's days and inside its thresholds, no risk above "
	  "tolerance untreated or awaiting acceptance, the EU AI Act obligations met with evidence. Every "
	  "condition is listed, met or not. Exit 0 when the gate lets the version pass (all conditions met, or an "
	  "active exception), 1 when it refuses. The check is recorded (GC-NNNNNN) with a ledger entry (allow, "
	  "allow-exception or refuse). --at checks as of a later time (evaluation ages, exception expiry). With no "
	  "policy the gate is open. See docs/oversight.md.\n"
	  "JSON: {\"system\", \"model\", \"model_digest\", \"stage\", \"policy\": {\"name\", \"version\", "
	  "\"digest\"} or null, \"allowed\", \"passed\", \"exception\", \"conditions\": [{\"condition\", \"met\", "
	  "\"detail\", ...}], \"unmet\": [TEXT], \"note\", \"at\", \"check_id\", \"purpose\", \"checked_by\", "
	  "\"checked_at\"}.",
	  NULL, "gate.check", cmd_gate_render_check, NULL },
	{ "gate checks", cli_run_op, "", 0, 0, NULL,
	  "Lists recorded gate checks, including refused production deployments, newest first.\n"
	  "JSON: {\"checks\": [CHECK as in 'aims gate check']}.",
	  NULL, "gate.checks", cmd_gate_render_checks, NULL },
	{ "gate exception approve", cli_run_op, "ID", 1, 1, NULL,
	  "Approves exception ID as the acting account: it must hold one of the roles the policy's exceptions "
	  "section names and must not be the requester (exit 7), and approves once (exit 3). The exception becomes "
	  "active when the approvals fill the policy's counts with distinct accounts (at least two).\n"
	  "JSON: as 'aims gate exception request'.",
	  NULL, "gate.exception_approve", cmd_gate_render_exception, NULL },
	{ "gate exception request", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Asks for a documented exception to gate --to for --model of SYSTEM: a --reason and the last valid day "
	  "--expires (today to today plus the policy's exceptions.max_days). Refused (exit 3) when no policy applies "
	  "or it allows no exceptions. Until it expires, an active exception lets the gate (and a production "
	  "deployment) pass although conditions are unmet; the check says so.\n"
	  "JSON: {\"id\", \"system\", \"model\", \"stage\", \"reason\", \"expires\", \"status\": pending|active|expired, "
	  "\"requester\", \"policy\", \"digest\", \"requested_at\", \"active_at\", \"approvals\": [{\"principal\", "
	  "\"roles\", \"approved_at\"}]}.",
	  NULL, "gate.exception_request", cmd_gate_render_exception, NULL },
	{ "gate exceptions", cli_run_op, "", 0, 0, NULL,
	  "Lists the exceptions pending or in force (--all: also expired), newest first.\n"
	  "JSON: {\"exceptions\": [EXCEPTION]}.",
	  NULL, "gate.exception_list", cmd_gate_render_exceptions, NULL },
	{ "gate list", cli_run_op, "", 0, 0, NULL,
	  "Lists gate requests, newest first.\n"
	  "JSON: {\"gates\": [{\"id\", \"system\", \"model\", \"model_digest\", \"stage\", \"status\", \"requester\", "
	  "\"note\", \"policy\", \"digest\", \"requested_at\", \"closed_at\"}]}.",
	  NULL, "gate.list", cmd_gate_render_list, NULL },
	{ "gate reject", cli_run_op, "ID", 1, 1, NULL,
	  "Rejects gate request ID (with --reason); its requester may withdraw it this way. A rejected request "
	  "takes no more decisions: request the gate again. The ledger gets a 'reject' entry.\n"
	  "JSON: as 'aims gate show'.",
	  NULL, "gate.reject", cmd_gate_render, NULL },
	{ "gate request", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Requests the lifecycle gate --to STAGE for --model NAME@VER of SYSTEM as the acting principal (GATE-NNNN); "
	  "approvals are counted on it. Exit 3 when a request for the same version and stage is still open. The "
	  "ledger gets a 'request' entry.\n"
	  "JSON: as 'aims gate show'.",
	  NULL, "gate.request", cmd_gate_render, NULL },
	{ "gate show", cli_run_op, "ID", 1, 1, NULL,
	  "JSON: {\"id\", \"system\", \"model\", \"model_digest\", \"stage\", \"status\": open|approved|rejected, "
	  "\"requester\", \"note\", \"policy\", \"digest\", \"requested_at\", \"closed_at\", \"approvals\": "
	  "[{\"principal\", \"roles\", \"decision\", \"note\", \"decided_at\"}], \"needs\": [{\"role\", "
	  "\"required\", \"have\"}]}.",
	  NULL, "gate.show", cmd_gate_render, NULL },
	{ "help", cmd_help, "[COMMAND...]", 0, -1,
	  "show help for aims or for one command",
	  "Without arguments, lists the commands. With a command name (e.g. 'aims help catalog show'), "
	  "prints its usage and options. 'aims help --man' prints the aims(1) manual page in troff.",
	  cmd_help_opts, NULL, NULL, NULL },
	{ "incident close", cli_run_op, "ID", 1, 1, NULL,
	  "Closes incident ID with a --note on how it was resolved. A serious incident closes only after its required "
	  "reports are recorded (exit 3 naming them). The ledger gets a 'close' entry.\n"
	  "JSON: as 'aims incident show'.",
	  NULL, "incident.close", cmd_incident_render, NULL },
	{ "incident export", cli_run_op, "", 0, 0, NULL,
	  "Writes the incidents to standard output for the ISMS tool, oldest first: CSV (default) or --syntax json, "
	  "with the columns of docs/pdca.md (\"ISMS exchange\").",
	  NULL, "incident.export", NULL, NULL },
	{ "incident import", cli_run_op, "FILE", 1, 1, NULL,
	  "Imports incidents from the ISMS tool's CSV or JSON FILE (columns: docs/pdca.md, \"ISMS exchange\"): all "
	  "rows or none; each checked as 'aims incident open' checks it, errors naming the line and column. A row "
	  "whose isms_ref was imported before is left alone, so importing the same file twice changes nothing.\n"
	  "JSON: {\"kind\", \"created\": [{\"id\", \"isms_ref\", \"line\"}], \"unchanged\"}.",
	  NULL, "incident.import", cmd_exchange_render, NULL },
	{ "incident list", cli_run_op, "", 0, 0, NULL,
	  "Lists AI incidents, newest first, with their reporting deadlines as of now; --overdue: only serious "
	  "incidents past their deadline with a required report missing.\n"
	  "JSON: {\"incidents\": [INCIDENT as in 'aims incident show']}.",
	  NULL, "incident.list", cmd_incident_render_list, NULL },
	{ "incident nc", cli_run_op, "ID", 1, 1, NULL,
	  "Opens the nonconformity incident ID gives rise to (source incident, its system, description and evidence), "
	  "and links it to the incident.\n"
	  "JSON: as 'aims nc show'.",
	  NULL, "incident.nc", cmd_nc_render, NULL },
	{ "incident open", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Records an AI incident of SYSTEM (INC-NNN) as the acting principal: --title, --harm (the categories of "
	  "EU AI Act Art. 3(49): health, critical-infrastructure, fundamental-rights, property-environment, or "
	  "other), --severity, and --awareness, when the organization became aware (default now). --serious marks a "
	  "serious incident under Art. 3(49): its report is due from awareness within 15 days (Art. 73(2)), 10 days "
	  "with --serious-case death (Art. 73(4)), 2 days with --serious-case widespread or critical-infrastructure "
	  "(Art. 73(3)). A provider reports to the market surveillance authority (Art. 73(1)); a deployer informs the "
	  "provider, then the authority (Art. 26(5)); --role overrides the system's recorded role ('both' counts as "
	  "provider). The system's risks and impact assessments are marked for review. --isms-control names ISO/IEC "
	  "27001 controls the incident also concerns. See docs/pdca.md.\n"
	  "JSON: {\"id\", \"title\", \"system\", \"model\", \"harm\", \"severity\", \"serious\", "
	  "\"serious_case\", \"article\", \"report_days\", \"role\", \"awareness\", \"deadline\", "
	  "\"required_reports\": [RECIPIENT], \"description\", \"affected_groups\", \"evidence\", "
	  "\"isms_controls\", \"reports\": [{\"recipient\", \"name\", \"channel\", \"reference\", \"kind\", "
	  "\"sent_at\", \"recorded_by\", \"recorded_at\"}], \"notes\", \"nonconformities\", "
	  "\"marked_for_review\": [{\"type\", \"id\"}], \"status\": open|reported|closed, \"opened_by\", "
	  "\"opened_at\", \"closed_by\", \"closed_at\", \"closure\", \"deadline_state\": "
	  "open|overdue|met|met-late|null, \"hours_left\"}.",
	  NULL, "incident.open", cmd_incident_render, NULL },
	{ "incident report", cli_run_op, "ID", 1, 1, NULL,
	  "Records that a report of incident ID was sent --to a recipient (market-surveillance-authority, provider, "
	  "importer, distributor, notified-body, other), with --name, --channel, --reference, --sent-at (default now) "
	  "and --kind initial (Art. 73(5)) or complete. When every required recipient has a report the incident is "
	  "'reported'; the deadline is met when the last of them was sent by the deadline.\n"
	  "JSON: as 'aims incident show'.",
	  NULL, "incident.report", cmd_incident_render, NULL },
	{ "incident show", cli_run_op, "ID", 1, 1, NULL,
	  "JSON: as 'aims incident open'.",
	  NULL, "incident.show", cmd_incident_render, NULL },
	{ "incident update", cli_run_op, "ID", 1, 1, NULL,
	  "Changes an open incident's --description, --severity, --harm, --affected-groups or --evidence, or adds a "
	  "--note to its history.\n"
	  "JSON: as 'aims incident show'.",
	  NULL, "incident.update", cmd_incident_render, NULL },
	{ "init", cmd_init, "", 0, 0,
	  "create the store and load the framework catalogs and crosswalks",
	  "Creates the store named by --db (or AIMS_DB, else ./aims.db) if it does not exist, "
	  "brings its schema up to date, and loads the framework catalogs: the ones built into aims, "
	  "or those in --catalogs DIR; then the crosswalk files among them, whose frameworks must "
	  "be in the store and whose ids must be theirs. Loading is one transaction: if any catalog "
	  "or crosswalk file is bad, nothing is loaded and the error names the file, line and "
	  "field. Running init again reloads the catalogs and crosswalks and keeps everything else.",
	  cmd_init_opts, NULL, NULL, NULL },
	{ "isms import", cli_run_op, "FILE", 1, 1, NULL,
	  "Reads FILE ('-' for standard input), a CSV file with a header row naming the columns "
	  "control, applicable, status, justification, owner and evidence (any order, names "
	  "case-insensitive). Each row is an Annex A control of iso27001-2022 written as in the "
	  "standard (A.5.15) or a management-system clause at its deepest level (9.2.1). "
	  "applicable is yes or no (also true/false, y/n, 1/0); status is implemented, partial, "
	  "planned or not-implemented, and may be empty for a control that is not applicable; an "
	  "excluded control needs a justification (ISO/IEC 27001 6.1.3 d); clauses cannot be "
	  "excluded; evidence holds references separated by ';'. The whole file is checked first: "
	  "a bad row is refused with the file, line and field and nothing is stored. A good file "
	  "becomes a new ISMS version (the SHA-256 of its bytes is kept); earlier versions stay "
	  "readable. Needs the iso27001-2022 catalog ('aims init').\n"
	  "JSON: as 'aims isms show' for the new version.",
	  NULL, "isms.import", cmd_isms_render_import, cmd_isms_import_prepare },
	{ "isms show", cli_run_op, "", 0, 0, NULL,
	  "Prints the latest imported ISMS version (or --version N): one row per control or clause "
	  "in file order, then the number of rows per status and how many Annex A controls have no "
	  "row. Excluded controls are counted as excluded, whatever their status.\n"
	  "JSON: {\"version\", \"framework\", \"imported_at\", \"source\", \"digest\", \"rows\", "
	  "\"controls\": [{\"control\", \"applicable\", \"status\", \"justification\", \"owner\", "
	  "\"evidence\": [REF], \"line\"}], \"summary\": {\"implemented\", \"partial\", \"planned\", "
	  "\"not-implemented\", \"excluded\", \"missing\": [CONTROL]}}; `missing` lists the Annex A "
	  "controls without a row; `justification` and `owner` are null when empty.",
	  cmd_isms_show_opts, "isms.show", cmd_isms_render_show, cmd_isms_show_prepare },
	{ "isms versions", cli_run_op, "", 0, 0, NULL,
	  "One line per import, oldest first: version, time, number of rows, SHA-256 of the file "
	  "and the file it came from.\n"
	  "JSON: {\"versions\": [{\"version\", \"framework\", \"imported_at\", \"source\", \"digest\", "
	  "\"rows\"}]}.",
	  NULL, "isms.versions", cmd_isms_render_versions, NULL },
	{ "ledger checkpoint", cmd_ledger_checkpoint, "", 0, 0,
	  "sign a checkpoint of the governance log; export checkpoints; witness cosignatures",
	  "Prints the C2SP signed checkpoint note (origin, size, base64 root, signature) of the governance "
	  "log at its current size, signing one if none exists for that size. Write commands sign one "
	  "automatically once 'aims ledger setup' recorded a key.\n"
	  "--export FILE writes the current signed checkpoint of every log (the governance log and each "
	  "decision log) as JSON ({\"format\": \"aims-checkpoints/v1\", \"exported_at\", \"logs\": "
	  "[{\"log\", \"origin\", \"size\", \"checkpoint\"}]}): kept outside the store (an auditor's copy, "
	  "a git repository, an evidence pack), it is what 'aims ledger verify --trusted FILE' proves the logs "
	  "grew from, so that a rollback or truncation of the store shows.\n"
	  "--witness-request OLD prints the body of a c2sp.org/tlog-witness add-checkpoint request for the "
	  "latest governance checkpoint: 'old OLD', the RFC 9162 consistency proof from the size the witness "
	  "last cosigned, an empty line and the checkpoint. --add-cosignature FILE adds the cosignature lines "
	  "the witness returned to the checkpoint they are for, after checking them with --witness-key (exit "
	  "4 when they do not verify).",
	  cmd_ledger_checkpoint_opts, NULL, NULL, NULL },
	{ "ledger keygen", cmd_ledger_keygen, "", 0, 0,
	  "make an Ed25519 key pair for signing checkpoints and notes",
	  "Makes a new Ed25519 key named --name ORIGIN (the log's origin, e.g. example.com/aims: "
	  "non-empty, no spaces, no '+') and writes the signer key 'PRIVATE+KEY+name+keyid+key' to "
	  "--out FILE (default ./ORIGIN.key; a name with '/' needs --out). The file is created with "
	  "mode 0600 and never overwritten: if it exists, nothing is written and the exit status is "
	  "3. Prints the verifier key 'name+keyid+base64(0x01||public key)' (C2SP signed-note, as "
	  "Go's golang.org/x/mod/sumdb/note) on standard output; it is public and is what 'aims note "
	  "verify --vkey' takes. Nothing secret is printed. With --cosigner the key is a witness's "
	  "cosigner key (c2sp.org/tlog-cosignature, type 0x04 in the key and its ID), which 'aims note "
	  "cosign' uses and 'aims note verify --witness-key' checks. See docs/ledger.md.",
	  cmd_ledger_keygen_opts, NULL, NULL, NULL },
	{ "ledger log", cli_run_op, "", 0, 0, NULL,
	  "One entry per write (create, update, delete, import, load), appended in the same transaction: "
	  "time, actor (the account, or os:LOGIN, that made the write; older entries keep their free-text "
	  "names), action, object type and id, and "
	  "digests of the new and previous state.\n"
	  "JSON: {\"log\", \"entries\": [{\"index\", \"time\", \"actor\", \"action\", \"object_type\", "
	  "\"object_id\", \"new_digest\", \"prev_digest\", \"pruned\"}]}.",
	  NULL, "ledger.log", cmd_ledger_render_log, NULL },
	{ "ledger prune", cli_run_op, "", 0, 0, NULL,
	  "The retention period is at least 183 days (EU AI Act Art. 19(1), 26(6)); a shorter one is "
	  "refused. It counts back from now by the system clock (no option moves it): entries are pruned "
	  "from the start of the log up to the first one inside the period by its own time or, with a "
	  "signing key, by the time of the first checkpoint that covered it; the latest entry of each "
	  "object keeps its body. Pruned entries keep their leaf hash, so verification still passes, and "
	  "the prune is recorded ('prune ledger governance below K'): verification refuses a missing body "
	  "at or above K. Decision logs are pruned too, each with its own retention period unless "
	  "--retention-days is given.\n"
	  "JSON: {\"retention_days\", \"pruned\", \"decision_logs\": [{\"system\", \"pruned\"}]}.",
	  NULL, "ledger.prune", cmd_ledger_render_prune, NULL },
	{ "ledger setup", cmd_ledger_setup, "", 0, 0,
	  "record the key that signs this store's checkpoints",
	  "Records the path of a signer key file (from 'aims ledger keygen') and its verifier key in the "
	  "store, and signs a first checkpoint. The private key stays in its file.",
	  cmd_ledger_setup_opts, NULL, NULL, NULL },
	{ "ledger verify", cli_run_op, "", 0, 0, NULL,
	  "Recomputes the governance log's Merkle tree from its entries, compares every stored tile, and "
	  "checks every checkpoint's signature (with --vkey, else the recorded verifier key) and root. Any "
	  "changed, removed, inserted or reordered byte is reported with the first entry that no longer "
	  "verifies (exit 4); a rewrite that also recomputed the hashes is narrowed down to the entries "
	  "between the last signed checkpoint that still verifies and the first that does not. With a "
	  "signing key set up, every entry older than 5 minutes must be covered by a signed checkpoint, "
	  "and a body may be missing only below the bound a recorded prune names. Then every decision "
	  "log that the governance log recorded the creation of, or the store registers, is verified the "
	  "same way (or only the one named with --system); one missing from the store, its folder or its "
	  "checkpoint history is a failure naming it. Then (unless --no-state) every governed object "
	  "(settings, frameworks, crosswalks, ISMS versions, SoA decisions, documents, AI systems, "
	  "deployments, datasets, models, lineage events, evaluations, risk criteria, risks, impact "
	  "assessments, EU AI Act classifications and obligations, decision logs) is recomputed and "
	  "compared with the digest of its latest audit entry: an object changed, added or deleted "
	  "outside aims is reported with its type and id (exit 4). --trusted FILE (from 'aims ledger "
	  "checkpoint --export') proves with an RFC 9162 consistency proof that each log grew from its "
	  "trusted checkpoint: a shorter log, a fork or a missing log is exit 4. --witness-key checks the "
	  "witnesses' cosignatures on the checkpoints. Nothing is written.\n"
	  "JSON: {\"ok\", \"logs\": [{\"log\", \"ok\", \"entries\", \"checkpoints\", \"tiles\", "
	  "\"pruned\", \"covered\", \"cosigned\", \"trusted_size\", \"created_by_entry\", \"error\", "
	  "\"first_bad_entry\"}], \"state\": {\"checked\", \"objects\", \"findings_total\", \"findings\": "
	  "[{\"object_type\", \"object_id\", \"problem\", \"recorded\", \"actual\", \"entry\"}]}} and, "
	  "when not ok, \"error\" and \"first_bad_entry\" (of the governance log).",
	  NULL, "ledger.verify", cmd_ledger_render_verify, NULL },
	{ "lineage downstream", cli_run_op, "REF", 1, 1, NULL,
	  "Walks the lineage graph backwards along its W3C PROV edges from REF: system:NAME, "
	  "model:NAME[@VER], dataset:NAME[@VER] (dataset:NAMESPACE#NAME[@VER] when the name is not unique "
	  "across namespaces), run:ID or job:[NAMESPACE#]NAME; a missing @VER means the latest version. "
	  "'aims lineage downstream dataset:X --type system' answers which deployed systems used dataset X. "
	  "Prints one reference per line (without REF itself).\n"
	  "JSON: {\"ref\", \"direction\", \"nodes\": [{\"ref\", \"type\", \"name\", \"version\", \"namespace\"}], "
	  "\"edges\": [{\"relation\", \"from\", \"to\"}]}; `nodes` starts with REF; relations are used, "
	  "wasGeneratedBy, wasDerivedFrom and wasAssociatedWith, from the effect to its cause. With --type, "
	  "`nodes` holds that type only and `edges` is empty.",
	  NULL, "lineage.downstream", cmd_lineage_render_walk, cmd_lineage_walk_prepare },
	{ "lineage graph", cli_run_op, "REF", 1, 1, NULL,
	  "Draws the nodes upstream and downstream of REF (--direction to limit) with their PROV edges, as "
	  "Graphviz DOT (--format dot, the default) or a self-contained SVG with a layered layout drawn by "
	  "aims itself (--format svg): causes on the left, REF outlined. --out FILE writes it to FILE instead of "
	  "standard output; --dot FILE and --svg FILE are short for --format dot|svg --out FILE.\n"
	  "JSON: the nodes and edges as in 'aims lineage downstream', \"direction\" being \"both\", "
	  "\"upstream\" or \"downstream\".",
	  cmd_lineage_graph_opts, "lineage.graph", cmd_lineage_render_graph, cmd_lineage_graph_prepare },
	{ "lineage ingest", cli_run_op, "[FILE]", 0, 1, NULL,
	  "Reads OpenLineage 2-0-2 RunEvents from FILE or standard input ('-'): one JSON object, a JSON "
	  "array, or NDJSON. Each event needs eventTime (ISO 8601 with a time zone), producer, schemaURL, "
	  "run.runId (a UUID) and job.namespace/name; eventType is START, RUNNING, COMPLETE, ABORT, FAIL or "
	  "OTHER; inputs and outputs are arrays of {namespace, name, facets}. A version facet's "
	  "datasetVersion is the dataset's version; a dataset whose namespace is 'models' (or starts with "
	  "'models:') or whose name is an MLflow URI models:/NAME/VERSION is a model. All events are checked "
	  "first: a bad one is refused with its position (array index and line, or NDJSON line) and the reason, "
	  "exit 3, and nothing is stored. Events are kept whole (unknown facets included); delivering an event "
	  "again changes nothing, and any delivery order gives the same graph and run states. Input that "
	  "starts with the gzip magic bytes is decompressed first. Over the API, POST /api/v1/lineage takes "
	  "RunEvents as the OpenLineage HTTP transport sends them (one JSON event per request, gzip-compressed "
	  "when so configured, with a service account's token as the Bearer api key).\n"
	  "JSON: {\"events\", \"stored\", \"duplicates\", \"runs\"}.",
	  NULL, "lineage.ingest", cmd_lineage_render_ingest, NULL },
	{ "lineage run", cli_run_op, "ID", 1, 1, NULL,
	  "JSON: {\"id\", \"job_namespace\", \"job_name\", \"state\", \"started_at\", \"ended_at\", "
	  "\"code_version\", \"parameters\", \"facets\", \"origin\", \"events\", \"inputs\": [REF], "
	  "\"outputs\": [REF]}.",
	  NULL, "lineage.run", cmd_lineage_render_run, NULL },
	{ "lineage upstream", cli_run_op, "REF", 1, 1, NULL,
	  "Walks the lineage graph forward along its W3C PROV edges from REF (see 'aims lineage downstream' "
	  "for REF). Prints one reference per line (without REF itself).\n"
	  "JSON: as 'aims lineage downstream'.",
	  NULL, "lineage.upstream", cmd_lineage_render_walk, cmd_lineage_walk_prepare },
	{ "map list", cli_run_op, "", 0, 0, NULL,
	  "Lists every crosswalk loaded into the store (by 'aims init', from the crosswalk files "
	  "among the catalogs) with its number of rows. A crosswalk relates requirements of one "
	  "framework to those of another in NIST IR 8477 terms, read as 'source REL target'.\n"
	  "JSON: {\"crosswalks\": [{\"from\", \"to\", \"title\", \"source\", \"licence\", "
	  "\"method\", \"notes\", \"rows\", \"digest\", \"loaded_at\"}]}; `notes` is present only "
	  "when the crosswalk has them.",
	  cmd_map_opts, "map.list", cmd_map_render_list, NULL },
	{ "map path", cli_run_op, "FRAMEWORK:ID FRAMEWORK[:ID]", 2, 2, NULL,
	  "Prints every path of one or two crosswalk rows from the requirement FRAMEWORK:ID (e.g. "
	  "iso27001-2022:A.8.15) to the second requirement, or to any requirement of the second "
	  "framework when no ID is given. Rows are followed in both directions (read backwards, "
	  "subset-of becomes superset-of); a two-hop path goes through a third framework, and a "
	  "no-relationship row is not a path. A path's support is its weakest hop's: full "
	  "(equal-to, equivalent-to, superset-of) or partial (subset-of, intersects-with); a row "
	  "read against its stored direction gives at most partial support unless it is equal-to "
	  "or equivalent-to (a reversed subset-of is not full support). A hop of a crosswalk with "
	  "roles names whom the target binds. Paths are listed by hops, then strongest first. "
	  "Exits 1 when there is no path, 5 when a framework or requirement does not exist, 2 when "
	  "an argument is not FRAMEWORK:ID.\n"
	  "JSON: {\"from\": {\"framework\", \"id\"}, \"to\": {\"framework\", \"id\"}, "
	  "\"paths\": [{\"support\": \"full\"|\"partial\", \"hops\": [{\"from\", \"to\", "
	  "\"relationship\", \"confidence\", \"explanation\", \"reversed\", \"role\"}]}]}; hop ends are "
	  "\"FRAMEWORK:ID\" strings, `role` is present only for a crosswalk with roles, and `to.id` is "
	  "null when only a framework was given.",
	  cmd_map_opts, "map.path", cmd_map_render_path, NULL },
	{ "map show", cmd_map_show, "", 0, 0, NULL,
	  "Prints the rows of the crosswalk --from FRAMEWORK --to FRAMEWORK: source requirement, "
	  "relationship (source REL target), target requirement, the role the target binds (provider, "
	  "deployer or both; crosswalks to the EU AI Act), confidence and explanation; a "
	  "no-relationship row has no source ('-'). When only the crosswalk the other way round "
	  "is stored it is shown inverted (sources and targets swapped, subset-of and superset-of "
	  "exchanged, no-relationship rows and 'adds' texts left out). With --target ID, only "
	  "the rows for that requirement and what it adds beyond the source framework.\n"
	  "JSON: {\"from\", \"to\", \"title\", \"source\", \"licence\", \"method\", \"notes\", "
	  "\"digest\", \"inverted\", \"mappings\": [{\"source\", \"target\", \"relationship\", "
	  "\"rationale\", \"confidence\", \"explanation\", \"role\"}], \"targets\": [{\"id\", \"adds\"}]}; "
	  "`notes` is present only when the crosswalk has them, `role` only when its rows have roles, "
	  "`source` is null on a no-relationship row.",
	  cmd_map_opts, "map.show", cmd_map_render_show, NULL },
	{ "merkle consistency", cmd_merkle_consistency, "", 0, 0,
	  "print the RFC 9162 consistency proof between two sizes of the tree of the leaves on stdin",
	  "Reads the leaves as 'aims merkle root' does and prints PROOF(M, D[N]) of RFC 9162 2.1.4.1 "
	  "for --old M (1 <= M <= N) and --size N (default: the number of leaves read). Exits 2 "
	  "when M is 0 or larger than N, 3 when the input is bad or has fewer than N leaves.\n"
	  "JSON: {\"old_size\": M, \"size\": N, \"old_root\": HEX, \"root\": HEX, \"proof\": [HEX]}; "
	  "`old_root` and `root` are the tree heads of the first M and N leaves and `proof` lists "
	  "the hashes in the order RFC 9162 2.1.4.2 verifies them (empty when M = N).",
	  cmd_merkle_consistency_opts, NULL, NULL, NULL },
	{ "merkle inclusion", cmd_merkle_inclusion, "", 0, 0,
	  "print the RFC 9162 inclusion proof of one leaf of the tree of the leaves on stdin",
	  "Reads the leaves as 'aims merkle root' does and prints PATH(I, D[N]) of RFC 9162 "
	  "2.1.3.1 for --index I (from 0) in the tree of --size N leaves (default: the number of "
	  "leaves read). Exits 2 when I >= N, 3 when the input is bad or has fewer than N leaves.\n"
	  "JSON: {\"size\": N, \"index\": I, \"leaf_hash\": HEX, \"root\": HEX, \"proof\": [HEX]}; "
	  "`leaf_hash` is SHA-256(0x00 || entry I), `root` the tree head of the first N leaves and "
	  "`proof` lists the hashes from the leaf up, as RFC 9162 2.1.3.2 verifies them.",
	  cmd_merkle_inclusion_opts, NULL, NULL, NULL },
	{ "merkle root", cmd_merkle_root, "", 0, 0,
	  "print the RFC 9162 Merkle tree head of the leaves on standard input",
	  "Reads one entry per line from standard input, written in hex (either case), and prints "
	  "MTH(D[n]) of RFC 9162 2.1.1 in lowercase hex: leaves are SHA-256(0x00 || entry), nodes "
	  "SHA-256(0x01 || left || right), and no input at all gives SHA-256 of the empty string. "
	  "An empty line is an empty entry; the newline ending the last line does not start "
	  "another; a CR before the newline is ignored. A line that is not hex exits 3 with its "
	  "line and column. No store is opened.",
	  NULL, NULL, NULL, NULL },
	{ "merkle verify-consistency", cmd_merkle_verify_consistency, "", 0, 0,
	  "check an RFC 9162 consistency proof between two tree heads",
	  "Runs the verification of RFC 9162 2.1.4.2 on --old M, --size N, --old-root, --root and "
	  "--proof (hashes separated by commas, '' for the empty proof). Exits 0 when the tree of "
	  "size M is a prefix of the tree of size N, 4 when the proof does not verify (the message "
	  "says why: wrong length, wrong root, M = 0 or M > N; equal sizes need an empty proof "
	  "and equal roots), 2 when an argument is malformed (not a number, not 64 hex digits).",
	  cmd_merkle_verify_consistency_opts, NULL, NULL, NULL },
	{ "merkle verify-inclusion", cmd_merkle_verify_inclusion, "", 0, 0,
	  "check an RFC 9162 inclusion proof of a leaf hash in a tree head",
	  "Runs the verification of RFC 9162 2.1.3.2 on --index I, --size N, --leaf-hash, --root "
	  "and --proof (hashes from the leaf up, separated by commas, '' for the empty proof). "
	  "Exits 0 when the leaf is at index I of the tree, 4 when the proof does not verify (the "
	  "message says why: I >= N, wrong length, wrong root), 2 when an argument is malformed "
	  "(not a number, not 64 hex digits).",
	  cmd_merkle_verify_inclusion_opts, NULL, NULL, NULL },
	{ "mlflow import", cli_run_op, "FILE", 1, 1, NULL,
	  "Reads the JSON of MLflow's model-versions search response from FILE ('-' for standard input): "
	  "{\"model_versions\": [{\"name\", \"version\", \"source\", \"run_id\", \"tags\": [{\"key\", \"value\"}], "
	  "\"aliases\": [...], \"description\", ...}]}; other members are ignored. Each version becomes model "
	  "NAME@VERSION (source, tags, aliases, description; a registered artifact digest is kept) and its "
	  "run_id a run with model --wasGeneratedBy--> run. Every entry is checked first: a bad one is refused "
	  "with its line and path, exit 3, and nothing is stored. Importing the same response again changes "
	  "nothing.\n"
	  "JSON: {\"models\", \"created\", \"runs\"}.",
	  NULL, "mlflow.import", cmd_mlflow_render_import, NULL },
	{ "model list", cli_run_op, "", 0, 0, NULL,
	  "JSON: {\"models\": [MODEL]}, each as in 'aims model show'.",
	  NULL, "model.list", cmd_model_render_list, NULL },
	{ "model register", cli_run_op, "NAME@VERSION", 1, 1, NULL,
	  "Hashes --file PATH or every regular file under --dir DIR (sorted by path) streaming, and records "
	  "NAME@VERSION with one digest per file and, for a directory, the manifest digest (SHA-256 of the "
	  "canonical in-toto subject list, docs/inventory.md); for a file the digest is the file's. "
	  "--trained-on DATASET@VER (repeatable, each must exist) adds model --wasDerivedFrom--> dataset to "
	  "the lineage graph, --run ID model --wasGeneratedBy--> run. Versions are immutable as for datasets "
	  "(same artifact: no-op; other: exit 3).\n"
	  "JSON: the model as in 'aims model show' plus \"created\".",
	  cmd_model_register_opts, "model.register", cmd_model_render_register, cmd_model_prepare },
	{ "model show", cli_run_op, "REF", 1, 1, NULL,
	  "REF is NAME@VERSION or NAME (the latest version), with or without 'model:'. --in-toto prints the "
	  "in-toto Statement v1 whose subjects are the model's files.\n"
	  "JSON: {\"ref\", \"name\", \"version\", \"digest\", \"kind\", \"framework\", \"licence\", \"run\", "
	  "\"source\", \"description\", \"tags\", \"aliases\", \"origin\", \"files\": [{\"path\", \"digest\", "
	  "\"size\"}], \"trained_on\": [REF], \"record_version\", \"created_at\", \"updated_at\"}.",
	  cmd_model_show_opts, "model.show", cmd_model_render_show, cmd_model_show_prepare },
	{ "model verify", cli_run_op, "REF", 1, 1, NULL,
	  "Hashes --file PATH or --dir DIR and compares file by file in path order: exit 0 when every byte "
	  "matches, 4 naming the first differing, missing or extra file, 5 when REF is unknown or has no "
	  "recorded artifact. A single-file model is compared by content whatever the file's name.\n"
	  "JSON: {\"model\", \"verified\", \"digest\", \"files\", \"error\"}; `files` is the number of files "
	  "checked, `error` only when not verified.",
	  cmd_model_verify_opts, "model.verify", cmd_model_render_verify, cmd_model_prepare },
	{ "monitor plan add", cli_run_op, "NAME", 1, 1, NULL,
	  "Adds monitoring plan NAME (ISO/IEC 42001 9.1, EU AI Act Art. 72) for --system: every --every period (day, "
	  "week or month) the decisions of the period that ended last are compared for drift with the reference "
	  "window --ref-since..--ref-until of the same decision log (the fields --column, default all; dataset "
	  "drift when --share-threshold of them drifted, default 0.5). A breach opens a nonconformity owned by "
	  "--owner (default the acting principal) and, with --incident, an AI incident. See docs/monitoring.md.\n"
	  "JSON: {\"id\", \"system\", \"kind\": \"drift\", \"every\", \"ref_since\", \"ref_until\", \"columns\", "
	  "\"share_threshold\", \"incident_on_breach\", \"owner\", \"status\": active|retired, \"created_by\", "
	  "\"created_at\"}.",
	  NULL, "monitor.plan_add", cmd_monitor_render_plan, NULL },
	{ "monitor plan list", cli_run_op, "", 0, 0, NULL,
	  "JSON: {\"plans\": [PLAN as in 'aims monitor plan add']}.",
	  NULL, "monitor.plan_list", cmd_monitor_render_plans, NULL },
	{ "monitor plan retire", cli_run_op, "NAME", 1, 1, NULL,
	  "Retires monitoring plan NAME: it runs no more; its runs stay.\n"
	  "JSON: as 'aims monitor plan add'.",
	  NULL, "monitor.plan_retire", cmd_monitor_render_plan, NULL },
	{ "monitor plan show", cli_run_op, "NAME", 1, 1, NULL,
	  "JSON: as 'aims monitor plan add'.",
	  NULL, "monitor.plan_show", cmd_monitor_render_plan, NULL },
	{ "monitor run", cli_run_op, "", 0, 0, NULL,
	  "Runs every active monitoring plan (of --system, or all) for the period that ended last: once per plan "
	  "and period, so it is safe to run from cron or a systemd timer as often as you like (a second run in "
	  "the same period reports the first). Each run records its drift evaluation as evidence; a breach opens a "
	  "nonconformity (ISO/IEC 42001 9.1, source monitoring) linked to that evidence. A period without "
	  "decisions is recorded as an error run saying why. --plan NAME --period P runs one plan for a past "
	  "period (a month YYYY-MM, ISO week YYYY-Www or day YYYY-MM-DD, as the plan's; it must be over), e.g. to "
	  "catch up after an outage; it too runs once. See docs/monitoring.md.\n"
	  "JSON: {\"runs\": [{\"id\": \"PLAN/PERIOD\", \"plan\", \"system\", \"period\", \"since\", \"until\", "
	  "\"status\": breach|within-thresholds|error, \"result\": {\"outcome\", \"drift_share\", \"evaluation\", "
	  "\"nonconformity\", \"incident\", \"error\"}, \"ran_by\", \"ran_at\", \"ran_now\"}]}.",
	  NULL, "monitor.run", cmd_monitor_render_runs, NULL },
	{ "monitor runs", cli_run_op, "", 0, 0, NULL,
	  "Lists monitoring runs, newest first (--system).\n"
	  "JSON: {\"runs\": [RUN as in 'aims monitor run']}.",
	  NULL, "monitor.runs", cmd_monitor_render_runs, NULL },
	{ "nc action add", cli_run_op, "NC", 1, 1, NULL,
	  "Adds a corrective action (CA-NNN) to nonconformity NC: --description, --due YYYY-MM-DD, --owner (an "
	  "account or os:LOGIN; default the acting principal).\n"
	  "JSON: {\"id\", \"nonconformity\", \"system\", \"description\", \"owner\", \"due\", \"status\": "
	  "open|done|effective|closed, \"added_by\", \"added_at\", \"done\": {\"note\", \"by\", \"at\"} or null, "
	  "\"review\": {\"result\", \"note\", \"evidence\", \"by\", \"at\"} or null, \"previous_reviews\", "
	  "\"closed_at\", \"closed_by\", \"overdue\"}.",
	  NULL, "ca.add", cmd_ca_render, NULL },
	{ "nc action close", cli_run_op, "CA", 1, 1, NULL,
	  "Closes corrective action CA. Only an action whose effectiveness review found it effective closes (exit 3 "
	  "otherwise).\n"
	  "JSON: as 'aims nc action add'.",
	  NULL, "ca.close", cmd_ca_render, NULL },
	{ "nc action done", cli_run_op, "CA", 1, 1, NULL,
	  "Reports corrective action CA done, with a --note on what was done; it then awaits its effectiveness "
	  "review.\n"
	  "JSON: as 'aims nc action add'.",
	  NULL, "ca.done", cmd_ca_render, NULL },
	{ "nc action review", cli_run_op, "CA", 1, 1, NULL,
	  "Reviews whether done corrective action CA was effective: --result effective or not-effective, a --note, "
	  "optional --evidence. The reviewer is an account other than the action's owner (exit 7). Not effective: the "
	  "action is open again and the review stays in its history.\n"
	  "JSON: as 'aims nc action add'.",
	  NULL, "ca.review", cmd_ca_render, NULL },
	{ "nc actions", cli_run_op, "", 0, 0, NULL,
	  "Lists corrective actions, newest first (--status, --owner, --overdue).\n"
	  "JSON: {\"actions\": [ACTION as in 'aims nc action add']}.",
	  NULL, "ca.list", cmd_ca_render_list, NULL },
	{ "nc analyse", cli_run_op, "NC", 1, 1, NULL,
	  "Records the --root-cause of nonconformity NC (status analysed).\n"
	  "JSON: as 'aims nc show'.",
	  NULL, "nc.analyse", cmd_nc_render, NULL },
	{ "nc close", cli_run_op, "NC", 1, 1, NULL,
	  "Closes nonconformity NC with a --note. Refused (exit 3) without a root cause, without a corrective action, "
	  "or while an action is not closed.\n"
	  "JSON: as 'aims nc show'.",
	  NULL, "nc.close", cmd_nc_render, NULL },
	{ "nc export", cli_run_op, "", 0, 0, NULL,
	  "Writes the nonconformities to standard output for the ISMS tool, oldest first: CSV (default) or --syntax "
	  "json, with the columns of docs/pdca.md (\"ISMS exchange\").",
	  NULL, "nc.export", NULL, NULL },
	{ "nc import", cli_run_op, "FILE", 1, 1, NULL,
	  "Imports nonconformities from the ISMS tool's CSV or JSON FILE (columns: docs/pdca.md, \"ISMS exchange\"): "
	  "all rows or none, errors naming the line and column; rows imported before (same isms_ref) are left alone.\n"
	  "JSON: {\"kind\", \"created\": [{\"id\", \"isms_ref\", \"line\"}], \"unchanged\"}.",
	  NULL, "nc.import", cmd_exchange_render, NULL },
	{ "nc list", cli_run_op, "", 0, 0, NULL,
	  "Lists nonconformities, newest first (--status, --system, --owner), with their count of actions and of "
	  "those not closed.\n"
	  "JSON: {\"nonconformities\": [NC as in 'aims nc show' without actions, with \"actions_total\" and "
	  "\"actions_open\"]}.",
	  NULL, "nc.list", cmd_nc_render_list, NULL },
	{ "nc open", cli_run_op, "", 0, 0, NULL,
	  "Records a nonconformity (ISO/IEC 42001 10.2; NC-NNN): --title, --source (internal-audit, monitoring, "
	  "incident, concern, external-audit, other), --source-ref, --requirement (an ISO/IEC 42001 clause or Annex A "
	  "control of the loaded catalog), --system, --description, --evidence, --owner, --due. See docs/pdca.md.\n"
	  "JSON: {\"id\", \"title\", \"source\", \"source_ref\", \"requirement\", \"system\", \"description\", "
	  "\"evidence\", \"owner\", \"due\", \"root_cause\": {\"text\", \"by\", \"at\"} or null, \"status\": "
	  "open|analysed|closed, \"opened_by\", \"opened_at\", \"closed_by\", \"closed_at\", \"closure\", "
	  "\"actions\": [ACTION as in 'aims nc action add']}.",
	  NULL, "nc.open", cmd_nc_render, NULL },
	{ "nc show", cli_run_op, "NC", 1, 1, NULL,
	  "JSON: as 'aims nc open'.",
	  NULL, "nc.show", cmd_nc_render, NULL },
	{ "note cosign", cmd_note_cosign, "[FILE]", 0, 1,
	  "cosign a signed checkpoint as a witness (c2sp.org/tlog-cosignature)",
	  "Reads a signed checkpoint from FILE (or standard input), checks its signature with the log's "
	  "--vkey and prints one cosignature line, as a witness returns it from add-checkpoint "
	  "(c2sp.org/tlog-witness): an em dash, the witness's key name and base64(keyid || 8-byte "
	  "timestamp || Ed25519 signature over 'cosignature/v1', 'time T' and the checkpoint text). "
	  "--key is a cosigner key from 'aims ledger keygen --cosigner'; --time sets the timestamp "
	  "(seconds since 1970, default now). A witness also checks that the checkpoint is consistent "
	  "with the last one it cosigned for the log (the request 'aims ledger checkpoint "
	  "--witness-request' prints carries the proof); this command is the signing step only.",
	  cmd_note_cosign_opts, NULL, NULL, NULL },
	{ "note sign", cmd_note_sign, "[FILE]", 0, 1,
	  "sign a text as a C2SP signed note",
	  "Reads the text from FILE (or standard input, also '-'): UTF-8 without control characters "
	  "other than newline, ending in a newline, at most 1 MiB. Prints the signed note: the text, "
	  "an empty line and the signature line: an em dash (U+2014), a space, the key name, a space and base64(keyid || Ed25519 signature). "
	  "--key is a signer key file from 'aims ledger keygen'; a file that group or others can "
	  "read, or a symbolic link, is refused (exit 3).",
	  cmd_note_sign_opts, NULL, NULL, NULL },
	{ "note verify", cmd_note_verify, "FILE", 1, 1,
	  "verify a C2SP signed note against trusted verifier keys",
	  "Parses the signed note in FILE ('-' for standard input) strictly (c2sp.org/signed-note) and "
	  "checks its signatures against the verifier keys given with --vkey (repeatable) or "
	  "--vkey-file. Signatures by other keys are ignored. Exits 0 when at least one signature by "
	  "a trusted key verifies and prints 'verified: signed by name+keyid' for each (or, with "
	  "--text, the verified text); 4 when a trusted key's signature does not verify or no "
	  "trusted key signed (the message says which); 3 when the note or a key is malformed; "
	  "5 when FILE does not exist. A checkpoint cosigned by witnesses (c2sp.org/tlog-cosignature, "
	  "Ed25519 cosignature/v1) is checked with --witness-key (the witness's cosigner key, type "
	  "0x04; repeatable): each cosignature by a given witness must verify, at least "
	  "--witness-quorum of them (default all) must be there, and each is printed as 'verified: "
	  "cosigned by name+keyid at TIME'; when --vkey is given too, the log's own signature must be "
	  "there as well.",
	  cmd_note_verify_opts, NULL, NULL, NULL },
	{ "objective add", cli_run_op, "", 0, 0, NULL,
	  "Sets an AI objective (ISO/IEC 42001 6.2; OBJ-NNN): --title, the --kpi that measures it, computed from the "
	  "store (monitoring-pass-rate, drift-alerts, overdue-actions, incidents-reported-in-time, "
	  "open-nonconformities, override-rate, evaluations-recorded: docs/pdca.md, \"Objectives\"), the --target "
	  "('>= 0.95', '<= 2'), optionally one --system, the --owner, and how often it is measured (--every month, "
	  "quarter or year).\n"
	  "JSON: {\"id\", \"title\", \"kpi\", \"target\": {\"op\", \"value\"}, \"system\", \"owner\", "
	  "\"every\", \"status\", \"created_by\", \"created_at\"}.",
	  NULL, "objective.add", cmd_objective_render, NULL },
	{ "objective list", cli_run_op, "", 0, 0, NULL,
	  "JSON: {\"objectives\": [OBJECTIVE as in 'aims objective add']}.",
	  NULL, "objective.list", cmd_objective_render_list, NULL },
	{ "objective status", cli_run_op, "", 0, 0, NULL,
	  "Computes each objective's KPI from the store for --period (default: the current month, quarter or year "
	  "of each objective) and the three periods of its kind before, and whether the target is met (a rate "
	  "with nothing to count in a period has no value).\n"
	  "JSON: {\"objectives\": [{\"id\", \"title\", \"kpi\", \"target\", \"system\", \"owner\", \"value\", "
	  "\"met\", \"trend\": [{\"period\", \"value\", \"met\"}]}]}.",
	  NULL, "objective.status", cmd_objective_render_list, NULL },
	{ "org set", cli_run_op, "", 0, 0, NULL,
	  "Sets the organization's name, sector and country (ISO 3166 code), used in reports. "
	  "Options not given keep their value. A bad value exits 2 and changes nothing.\n"
	  "JSON: as 'aims org show'.",
	  NULL, "org.set", cmd_org_render_set, NULL },
	{ "org show", cli_run_op, "", 0, 0, NULL,
	  "JSON: {\"name\", \"sector\", \"country\"}; unset facts are null.",
	  NULL, "org.show", cmd_org_render_show, NULL },
	{ "oscal export", cli_run_op, "KIND", 1, 1, NULL,
	  "Exports an OSCAL 1.1.2 JSON document (docs/oscal.md): catalog (our ISO/IEC 42001 outline with our own "
	  "summaries, or with --framework nist-ai-rmf-1.0 the NIST AI RMF), profile (the 42001 baseline of the "
	  "Statement of Applicability: included and excluded controls with justification, status and owner), "
	  "component-definition (aims and each AI system with the controls they implement), ssp (an AI system "
	  "plan of --system S: inventory facts and the implemented requirements with links to evidence), "
	  "assessment-results (the gap analysis and the evaluations as observations and findings with the "
	  "evidence digests) or poam (gaps and accepted risks). UUIDs are UUIDv5 of aims' ids and the "
	  "last-modified time is that of the last governance entry, so two exports of one state are identical. "
	  "With --out FILE the document goes to FILE, else to standard output.",
	  cmd_oscal_export_opts, "oscal.export", cmd_oscal_render_export, NULL },
	{ "oscal import", cli_run_op, "FILE", 1, 1, NULL,
	  "Reads an OSCAL 1.1.2 profile or system security plan as JSON (FILE, '-' for standard input), as "
	  "GRC tools export them, and imports what it decides about its controls (docs/oscal.md). Controls "
	  "are named by their label property or their control id (a.5.1, A.5.1, a-5-1 alike). A document of "
	  "ISO/IEC 27001:2022 controls becomes a new ISMS state version, exactly as 'aims isms import' of a "
	  "CSV: profile include-controls/include-all are applicable, exclude-controls excluded; an SSP's "
	  "implementation-status states (implemented, partial, planned, alternative as partial, "
	  "not-applicable) give the status, by-component descriptions or remarks the justification, the "
	  "owner property the owner, links with rel evidence the evidence; a control without a status is "
	  "not-implemented. A profile made by 'aims oscal export profile' (or naming ISO/IEC 42001 only) "
	  "records the ISO/IEC 42001 SoA decisions it carries instead (needs soa.manage too). The whole "
	  "document is checked first: an unknown control, a bad status, an exclusion without justification "
	  "or a control both included and excluded exits 3 naming the file, line and JSON path, and "
	  "nothing is written.\n"
	  "JSON: {\"source\", \"model\", \"target\" (isms or soa), \"isms_version\", \"controls\", \"excluded\"}.",
	  NULL, "oscal.import", cmd_oscal_render_import, NULL },
	{ "pack", cmd_pack, "", 0, 0,
	  "make an evidence pack an auditor verifies offline",
	  "Writes a point-in-time evidence pack into the new or empty directory --out DIR (with --tar, one "
	  "ustar archive FILE): the records as JSON (organization, SoA, gap analysis, ISMS state, documents, "
	  "risk register, impact assessments, evaluations, and for each AI system its inventory record, EU AI "
	  "Act classification and obligations) with their HTML reports, the OSCAL documents, the governance "
	  "ledger entries of those records with RFC 9162 inclusion proofs (C2SP tlog-proof) against the signed "
	  "checkpoint, the verifier key, an index.html that opens without a server, and manifest.json with the "
	  "SHA-256 of every file, signed with the ledger's key (manifest.sig). --system S keeps one AI system's "
	  "records and the organization's; --as-of DATE proves the entries against the last checkpoint signed "
	  "by the end of DATE (the records are those of now). Needs the ledger's signing key (aims ledger "
	  "setup). docs/audit.md.\n"
	  "JSON: {\"out\", \"tar\", \"files\", \"entries\", \"tree_size\", \"origin\", \"omitted\"}.",
	  cmd_pack_opts, NULL, NULL, NULL },
	{ "pack verify", cmd_pack_verify, "PACK", 1, 1,
	  "check an evidence pack offline",
	  "Checks the pack in directory or tar file PACK without a store: the signature of manifest.sig over "
	  "manifest.json by the verifier key (--vkey, the key or a file holding it; else the pack's own "
	  "vkey.txt, which proves only that the pack is consistent), the SHA-256 of every file listed and that "
	  "no other file is there, the signed checkpoint, and every ledger entry's inclusion proof against it. "
	  "The first file or entry that fails is named and the exit status is 4.\n"
	  "JSON: {\"ok\", \"files\", \"entries\", \"tree_size\", \"origin\", \"own_key\"} or {\"ok\": false, \"error\"}.",
	  cmd_pack_verify_opts, NULL, NULL, NULL },
	{ "policy check", cli_run_op, "FILE", 1, 1, NULL,
	  "Checks a policy file ('-' for standard input) as 'aims policy set' would, without storing it: exit 0 "
	  "when valid, 3 with the file, line and key of the first problem.\n"
	  "JSON: the policy as in 'aims policy show' (version 0).",
	  NULL, "policy.check", cmd_policy_render_check, NULL },
	{ "policy list", cli_run_op, "", 0, 0, NULL,
	  "Lists the latest version of every policy, or every version of --name.\n"
	  "JSON: {\"policies\": [POLICY]}.",
	  NULL, "policy.list", cmd_policy_render_list, NULL },
	{ "policy retire", cli_run_op, "NAME", 1, 1, NULL,
	  "Retires policy NAME: a new version with status retired, so it no longer applies to any system. The "
	  "ledger gets a 'retire' entry.\n"
	  "JSON: POLICY.",
	  NULL, "policy.retire", cmd_policy_render, NULL },
	{ "policy set", cli_run_op, "FILE", 1, 1, NULL,
	  "Stores the policy file FILE (YAML, or JSON; '-' for standard input) as the next version of the policy it "
	  "names, with the digest of its canonical form; the same content again changes nothing. A policy says, "
	  "per AI system or EU AI Act tier, what a model version needs before each lifecycle stage (validation, "
	  "approved, deployed, retired), who may approve an exception, and which AI decisions are selected for "
	  "human review. A bad policy is refused with the file, line and key (exit 3); a system or tier already "
	  "governed by another active policy too. The ledger gets a 'create' or 'update' entry. Format: "
	  "docs/oversight.md.\n"
	  "JSON: POLICY {\"name\", \"description\", \"applies_to\": {\"systems\", \"tiers\"}, \"stages\": {STAGE: "
	  "{\"approvals\": [{\"role\", \"count\"}], \"impact_assessment\", \"evaluations\": [{\"kind\", "
	  "\"max_age_days\", \"thresholds\": [{\"metric\", \"op\", \"value\"}]}], \"risks_within_tolerance\", "
	  "\"aiact_obligations\"}}, \"exceptions\", \"review\", \"version\", \"status\", \"digest\", \"source\", "
	  "\"source_digest\", \"actor\", \"created_at\"} plus \"changed\".",
	  NULL, "policy.set", cmd_policy_render, NULL },
	{ "policy show", cli_run_op, "NAME", 1, 1, NULL,
	  "Shows policy NAME (its latest version, or --version N), with --body the file as stored.\n"
	  "JSON: POLICY, plus \"body\" with --body.",
	  NULL, "policy.show", cmd_policy_render, NULL },
	{ "review accept", cli_run_op, "ID", 1, 1, NULL,
	  "Accepts the AI's decision of review item ID (with an optional --reason) as the acting reviewer: a review "
	  "record {\"review\": {\"action\": \"accept\", \"entry\", \"leaf_hash\", \"reason\", \"reviewer\"}, \"time\"} is "
	  "appended to the system's decision log, naming the reviewed entry by index and leaf hash, and a "
	  "checkpoint is signed. Exit 3 when reviewed already or assigned to another reviewer.\n"
	  "JSON: as 'aims review show'.",
	  NULL, "review.accept", cmd_review_render, NULL },
	{ "review list", cli_run_op, "", 0, 0, NULL,
	  "Lists the review queue, oldest first (--system, --status pending|assigned|reviewed).\n"
	  "JSON: {\"reviews\": [ITEM as in 'aims review show' without \"decision\" and \"explanation\"]}.",
	  NULL, "review.list", cmd_review_render_list, NULL },
	{ "review metrics", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Review metrics of SYSTEM for the decisions whose time is in [--since, --until), recomputed from its "
	  "decision log and review queue: decisions, selected, reviewed and share_reviewed, overrides and "
	  "override_rate, the median seconds from a decision to its first review record, backlog (selected, not "
	  "reviewed), decisions with an explanation and their share. Rules: docs/oversight.md.\n"
	  "JSON: {\"system\", \"since\", \"until\", \"decisions\", \"selected\", \"reviewed\", \"share_reviewed\", "
	  "\"reviewed_at_source\", \"overrides\", \"override_rate\", \"median_time_to_review_seconds\", \"backlog\", "
	  "\"explanations\", \"explanation_share\", \"review_records\", \"reviews_invalid\", \"pruned\", "
	  "\"log_size\", \"computed_at\"}.",
	  NULL, "review.metrics", cmd_review_render_metrics, NULL },
	{ "review next", cli_run_op, "", 0, 0, NULL,
	  "Takes the next AI decision to review (of --system, or any): the one already assigned to you, else the "
	  "oldest pending one, which becomes assigned to you. Shows the decision record (time, model, output, "
	  "confidence, input fields) and its explanation. Reviewer role.\n"
	  "JSON: {\"item\": ITEM as in 'aims review show'} or {\"item\": null} when nothing waits.",
	  NULL, "review.next", cmd_review_render, NULL },
	{ "review override", cli_run_op, "ID", 1, 1, NULL,
	  "Overrides the AI's decision of review item ID with the human --outcome (JSON, or plain text) and a "
	  "--reason: appended to the decision log as a review record as for 'aims review accept', with \"outcome\".\n"
	  "JSON: as 'aims review show'.",
	  NULL, "review.override", cmd_review_render, NULL },
	{ "review report", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Records the review metrics of SYSTEM (as 'aims review metrics') as evidence OVR-NNNN for ISO/IEC 42001 9.1 "
	  "and EU AI Act Art. 14 and 26, with a ledger entry, and adds it as evidence to the system's tracked "
	  "obligations art14-human-oversight and art26-use-and-oversight.\n"
	  "JSON: the metrics plus \"id\", \"evidence_for\", \"recorded_by\", \"recorded_at\", \"obligations\", "
	  "\"digest\".",
	  NULL, "review.report", cmd_review_render_metrics, NULL },
	{ "review reports", cli_run_op, "", 0, 0, NULL,
	  "Lists the review metrics recorded as evidence ('aims review report'; --system: of one AI system), "
	  "oldest first, each with the SHA-256 digest of its canonical JSON that its ledger entry names.\n"
	  "JSON: {\"reports\": [METRICS as in 'aims review report', with \"digest\"]}.",
	  NULL, "review.reports", cmd_review_render_reports, NULL },
	{ "review show", cli_run_op, "ID", 1, 1, NULL,
	  "JSON: ITEM {\"id\", \"system\", \"entry\", \"leaf_hash\", \"reasons\": [confidence|output|input|sample], "
	  "\"policy\", \"status\", \"selected_at\", \"assigned_to\", \"assigned_at\", \"reviewer\", \"action\", "
	  "\"reviewed_at\", \"review_entry\", \"review_leaf_hash\", \"explanation\", \"decision\"}.",
	  NULL, "review.show", cmd_review_render, NULL },
	{ "review-pack", cli_run_op, "", 0, 0, NULL,
	  "Assembles the inputs of a management review (ISO/IEC 42001 9.3.2) for --period (2026, 2026-Q2, 2026-05 or "
	  "YYYY-MM-DD..YYYY-MM-DD, end exclusive), each computed from the store: a) earlier management review "
	  "records and the corrective actions by status; b) and c) changes to the organization's documents, settings "
	  "and SoA and to the AI systems, models, datasets and deployments, as the governance ledger recorded them; "
	  "d) monitoring runs and evaluations, nonconformities opened and open at the end, audits closed with their "
	  "findings, AI incidents and their reporting, key figures, the risk register's status; e) opportunities "
	  "(nonconformities closed with their root causes, audit observations). An input with nothing in the period "
	  "says so. --html FILE writes it as a report. See docs/pdca.md.\n"
	  "JSON: {\"period\", \"since\", \"until\", \"generated_at\", \"previous_reviews\", \"changes\": "
	  "{\"ledger_entries_by_type\", \"ai_systems\", \"organization\"}, \"monitoring\": {\"runs\", "
	  "\"evaluations\", \"evaluations_by_system_and_kind\"}, \"nonconformities\": {\"opened\", \"open_at_end\", "
	  "\"corrective_actions_by_status\", \"corrective_actions_overdue\"}, \"audits\", \"incidents\", \"kpis\", "
	  "\"risks\": {\"total\", \"by_status\", \"above_tolerance\"}, \"opportunities\"}.",
	  cmd_review_pack_opts, "mgmt_review.pack", cmd_review_pack_render, NULL },
	{ "review-pack record", cli_run_op, "", 0, 0, NULL,
	  "Records the review of --period: the --decisions FILE (Markdown: the decisions and actions of 9.3.3) with "
	  "the pack's inputs in brief and the SHA-256 of the pack, as the draft controlled document "
	  "management-review-PERIOD (type management-review, owner --owner or the acting account). Submit and approve "
	  "it as any document; its approver must be another account.\n"
	  "JSON: {\"document\", \"period\", \"pack_digest\", \"pack\": PACK as in 'aims review-pack'}.",
	  NULL, "mgmt_review.record", cmd_review_record_render, NULL },
	{ "risk accept", cli_run_op, "ID", 1, 1, NULL,
	  "Records the acceptance of risk ID by the acting principal (the account of AIMS_TOKEN, else os:LOGIN), "
	  "who must be the principal named as the risk's owner: anyone else, an admin too, is refused with exit 7. "
	  "The acceptance keeps a snapshot of the risk (scores, treatment and actions, the system's deployed model, "
	  "criteria version) and its digest. A risk whose residual score (inherent when untreated) is above the "
	  "tolerance stays 'awaiting acceptance' until then. A later change of score, treatment or the system's "
	  "model invalidates the acceptance, detected on every read and recorded on the next write (docs/risk.md).\n"
	  "JSON: the risk, as in 'aims risk show'.",
	  NULL, "risk.accept", cmd_risk_render_accept, NULL },
	{ "risk add", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Adds a risk (RISK-NNN) with --title, --category (see 'aims risk categories'), --owner (a principal: an "
	  "account of the store or os:LOGIN; exit 3 otherwise), inherent --likelihood and --impact on the "
	  "criteria's scales, optional --description and --review date. The system must be in the inventory "
	  "(exit 5 otherwise).\n"
	  "JSON: the risk, as in 'aims risk show'.",
	  NULL, "risk.add", cmd_risk_render_add, NULL },
	{ "risk categories", cli_run_op, "", 0, 0, NULL,
	  "The categories a risk can have: bias and fairness, data drift, misuse, four kinds of adversarial "
	  "attack, transparency, privacy, safety, accountability, third party, and the ISO/IEC 42001 Annex C risk "
	  "sources.\n"
	  "JSON: {\"categories\": [{\"id\", \"title\", \"source\"}]}.",
	  NULL, "risk.categories", cmd_risk_render_categories, NULL },
	{ "risk criteria", cmd_risk_criteria, "", 0, 0, NULL,
	  "Without options, shows the criteria in force (the built-in defaults, version 0: likelihood and impact "
	  "1-5, score = likelihood x impact, appetite 4, tolerance 9, until a version is stored). With "
	  "--likelihood-max, --impact-max, --score, --appetite or --tolerance, records the next version (options "
	  "not given keep their value; operation risk.set_criteria, permission risk.criteria) with its digest and "
	  "an audit entry, and rescores every risk; a value outside new scales is refused (exit 3). --history "
	  "lists the stored versions (ISO/IEC 42001 6.1.2).\n"
	  "JSON: {\"version\", \"likelihood_max\", \"impact_max\", \"score\", \"appetite\", \"tolerance\", "
	  "\"digest\", \"created_at\", \"actor\"}; with --history {\"current\", \"versions\": [...]}.",
	  cmd_risk_criteria_opts, "risk.criteria", cmd_risk_render_criteria, NULL },
	{ "risk heatmap", cli_run_op, "", 0, 0, NULL,
	  "Writes --svg FILE: one cell per likelihood and impact pair of the criteria's scales, coloured green "
	  "(within appetite), amber (tolerable) or red (above tolerance), with the number of risks in each; "
	  "--residual places treated risks at their residual estimate.\n"
	  "JSON (without --svg): {\"system\", \"residual\", \"criteria\", \"risks\", \"cells\": [{\"likelihood\", "
	  "\"impact\", \"score\", \"zone\": \"within-appetite\"|\"tolerable\"|\"above-tolerance\", \"count\"}]}.",
	  cmd_risk_heatmap_opts, "risk.heatmap", cmd_risk_render_heatmap, NULL },
	{ "risk library add", cli_run_op, "SYSTEM", 1, 1, NULL,
	  "Adds the library's risks (one or two per category, or only --category C) to SYSTEM with --owner (a "
	  "principal, as for 'aims risk add'), scored with suggested values scaled to the criteria; risks already "
	  "added from the library are skipped. One transaction.\n"
	  "JSON: {\"system\", \"added\"}.",
	  NULL, "risk.library_add", cmd_risk_render_library_add, NULL },
	{ "risk library list", cli_run_op, "", 0, 0, NULL,
	  "JSON: {\"library\": [{\"key\", \"category\", \"title\", \"description\", \"likelihood\", \"impact\", "
	  "\"control\"}]}.",
	  NULL, "risk.library_list", cmd_risk_render_library_list, NULL },
	{ "risk list", cli_run_op, "", 0, 0, NULL,
	  "One row per risk (of --system NAME, or all): id, system, category, inherent score, treatment, residual "
	  "score, status (open, treated, awaiting acceptance, accepted), owner and title.\n"
	  "JSON: {\"criteria\": CRITERIA as in 'aims risk criteria', \"risks\": [RISK as in 'aims risk show']}.",
	  NULL, "risk.list", cmd_risk_render_list, NULL },
	{ "risk report", cli_run_op, "", 0, 0, NULL,
	  "Writes --html FILE (of --system NAME, or all systems): key figures, the criteria, inherent and "
	  "residual heat maps, the register, treatment actions with the ISO/IEC 27001 controls and EU AI Act "
	  "articles their 42001 control maps to, and acceptances with their validity.\n"
	  "JSON (without --html): the key figures {\"system\", \"criteria\", \"risks\", \"treated\", "
	  "\"above_tolerance\", \"awaiting_acceptance\", \"accepted\"}.",
	  cmd_risk_report_opts, "risk.report", cmd_risk_render_report, NULL },
	{ "risk review", cli_run_op, "ID", 1, 1, NULL,
	  "Records a review by the acting principal with --note, optionally new inherent (--likelihood, --impact) "
	  "or residual (--residual-likelihood, --residual-impact) values and the --next review date. A changed "
	  "score invalidates a standing acceptance.\n"
	  "JSON: the risk, as in 'aims risk show'.",
	  NULL, "risk.review", cmd_risk_render_review, NULL },
	{ "risk set", cli_run_op, "ID", 1, 1, NULL,
	  "Changes the --title, --description (empty: none), --category, --owner (a principal: an account of the "
	  "store or os:LOGIN) or --review date of risk ID, with an 'update' audit entry; giving the current values "
	  "changes nothing. Scores, treatment and acceptances are left as they are. This is how a risk recorded "
	  "before accounts existed, whose owner is free text, gets an account as its owner (docs/risk.md).\n"
	  "JSON: the risk, as in 'aims risk show'.",
	  NULL, "risk.set", cmd_risk_render_set, NULL },
	{ "risk show", cli_run_op, "ID", 1, 1, NULL,
	  "JSON: {\"id\", \"system\", \"title\", \"category\", \"category_title\", \"description\", \"owner\", "
	  "\"inherent\": {\"likelihood\", \"impact\", \"score\"}, \"treatment\", \"actions\": [{\"control\", "
	  "\"action\", \"iso27001\": [ID], \"eu_ai_act\": [ID]}], \"residual\": null or {\"likelihood\", "
	  "\"impact\", \"score\"}, \"effective_score\", \"above_tolerance\", \"status\", \"review_date\", "
	  "\"source\", \"model\", \"acceptance\": null or {\"accepted_by\", \"accepted_at\", \"note\", \"digest\", "
	  "\"valid\", \"changed\": [\"score\"|\"treatment\"|\"model\"], \"invalidated_at\"}, \"created_at\", "
	  "\"updated_at\"}.",
	  NULL, "risk.show", cmd_risk_render_show, NULL },
	{ "risk treat", cli_run_op, "ID", 1, 1, NULL,
	  "Sets the treatment --option (modify, avoid, share, retain), replaces the actions with the --action "
	  "'CONTROL: TEXT' given (CONTROL an ISO/IEC 42001 Annex A control, checked against the catalog; exit 3 "
	  "otherwise) and records the residual estimate (--residual-likelihood and --residual-impact). A changed "
	  "treatment invalidates a standing acceptance.\n"
	  "JSON: the risk, as in 'aims risk show'.",
	  NULL, "risk.treat", cmd_risk_render_treat, NULL },
	{ "serve", cmd_serve, "", 0, 0,
	  "serve the HTTP API (/api/v1) of the store",
	  "Serves the JSON API of every operation at http://HOST:PORT/api/v1 (OpenAPI 3.1 at "
	  "/api/v1/openapi.json, Prometheus metrics at /metrics) on the store of --db, until SIGTERM or SIGINT. "
	  "Clients authenticate with 'Authorization: Bearer TOKEN' (see 'aims token create') or sign in with "
	  "POST /api/v1/session {\"user\", \"password\"}, which sets an HttpOnly, SameSite=Strict session "
	  "cookie and returns a CSRF token that every unsafe request of the session sends as X-CSRF-Token. "
	  "Updates need If-Match with the object's ETag (412 when stale); errors are RFC 9457 problem "
	  "documents naming the field. Listens on loopback by default; any other address needs --tls-cert and "
	  "--tls-key, or --insecure-listen. See docs/server.md.",
	  cmd_serve_opts, NULL, NULL, NULL },
	{ "soa", cmd_run_report, "", 0, 0, NULL,
	  "Lists every ISO/IEC 42001 Annex A control with its applicability, the justification for "
	  "including or excluding it, implementation status, owner, ISMS support from the gap analysis and "
	  "the evidence and risks linked to it. Controls not yet decided are shown as undecided.\n"
	  "JSON: {\"framework\", \"controls\": [{\"control\", \"title\", \"group\", \"decided\", "
	  "\"applicable\", \"justification\", \"status\", \"owner\", \"updated_at\", \"gap\", "
	  "\"evidence\": [], \"risks\": []}]}. CSV columns: control, title, group, applicable, justification, "
	  "status, owner, gap, evidence, risks.",
	  cmd_soa_opts, "soa.list", cmd_soa_render, cmd_soa_prepare },
	{ "soa set", cli_run_op, "CONTROL", 1, 1, NULL,
	  "Excluding a control (--applicable no) needs a justification (exit 3 otherwise); --applicable other than "
	  "yes or no, a --status outside the list or no option at all is a usage error (exit 2). Options not given "
	  "keep their value; --owner is the name of whoever owns the control (free text, not an account). The "
	  "audit trail gets a 'create' or 'update' entry naming the acting principal. Prints nothing.\n"
	  "JSON: the control, as in 'aims soa show'.",
	  NULL, "soa.set", cmd_soa_render_set, NULL },
	{ "soa show", cli_run_op, "CONTROL", 1, 1, NULL,
	  "Shows one ISO/IEC 42001 Annex A control of the Statement of Applicability: applicability, "
	  "justification, status, owner, ISMS support, evidence and risks (exit 5 for anything that is not an "
	  "Annex A control). Its document is what 'aims soa set' changes (the API's ETag for If-Match).\n"
	  "JSON: a control as in 'aims soa --json'.",
	  NULL, "soa.show", cmd_soa_render_show, NULL },
	{ "status", cli_run_op, "", 0, 0, NULL,
	  "A first report: the organization, the store and its schema version, each framework with "
	  "its requirement counts by kind, and the SHA-256 digest of the store's content.\n"
	  "JSON: {\"organization\": {\"name\", \"sector\", \"country\"}, \"store\": {\"backend\", "
	  "\"location\", \"schema_version\", \"content_digest\"}, \"frameworks\": [{\"framework\", "
	  "\"title\", \"version\", \"requirements\", \"kinds\": {KIND: COUNT}}], \"crosswalks\": N, "
	  "\"isms\": {\"version\", \"source\", \"imported_at\", \"rows\"} or null}.",
	  NULL, "status", cmd_status_render, NULL },
	{ "store copy", cmd_store_copy, "", 0, 0,
	  "copy a whole store to a new one, between SQLite and PostgreSQL in either direction",
	  "Copies everything the store --from holds into the new store --to (created when it does not exist; "
	  "an existing one must hold no content): every table row for row, the content, the ledger's "
	  "entries, tiles and checkpoints, accounts, API tokens and sessions, from one consistent snapshot "
	  "of --from (its writers are not held up) in one transaction on --to. Then every table is read "
	  "back on both sides and compared, and the content digest, the governance ledger's size and root "
	  "and its latest checkpoint are printed, equal on both sides (exit 4 if they are not). Both stores "
	  "are opened as the local OS user (or the AIMS_TOKEN account), who needs the admin role on both. "
	  "A store with decision logs is refused (exit 3): their entries are files beside a SQLite store "
	  "and are not copied yet. See docs/scaling.md.\n"
	  "JSON: {\"from\", \"from_backend\", \"to\", \"to_backend\", \"tables\", \"rows\", "
	  "\"content_digest\", \"ledger\": {\"size\", \"root\", \"checkpoint_size\"}}.",
	  cmd_store_copy_opts, NULL, NULL, NULL },
	{ "supplier add", cli_run_op, "NAME", 1, 1, NULL,
	  "Registers supplier NAME (ISO/IEC 42001 A.10; SUP-NNN): what it --provides (ai-system, model, data, "
	  "service), the AI systems (--system) and model versions (--model) of the inventory it supplies, the "
	  "responsibilities the organization keeps (--ours) and those allocated to the supplier (--theirs; A.10.2), a "
	  "--contact and the date of the --next-assessment.\n"
	  "JSON: {\"id\", \"title\", \"provides\", \"contact\", \"systems\", \"models\", \"responsibilities\": "
	  "{\"organization\", \"supplier\"}, \"assessments\": [{\"result\", \"note\", \"by\", \"at\"}], "
	  "\"last_result\", \"due\" (the next assessment), \"status\", \"added_by\", \"added_at\"}.",
	  NULL, "supplier.add", cmd_supplier_render, NULL },
	{ "supplier assess", cli_run_op, "ID", 1, 1, NULL,
	  "Records an assessment of supplier ID (A.10.3): --result acceptable, conditional or unacceptable, a --note, "
	  "and --next, the date of the next one (listed by 'aims due').\n"
	  "JSON: as 'aims supplier add'.",
	  NULL, "supplier.assess", cmd_supplier_render, NULL },
	{ "supplier list", cli_run_op, "", 0, 0, NULL,
	  "JSON: {\"suppliers\": [SUPPLIER as in 'aims supplier add']}.",
	  NULL, "supplier.list", cmd_supplier_render_list, NULL },
	{ "supplier show", cli_run_op, "ID", 1, 1, NULL,
	  "JSON: as 'aims supplier add'.",
	  NULL, "supplier.show", cmd_supplier_render, NULL },
	{ "system add", cli_run_op, "NAME", 1, 1, NULL,
	  "Records the AI system NAME (1 to 64 characters of A-Z a-z 0-9 . _ -) with its purpose, intended "
	  "use, foreseeable misuse, owner, lifecycle stage, EU AI Act role, human-oversight mode, affected "
	  "groups and status, as record version 1. Exit 3 when it exists already or a value is not allowed.\n"
	  "JSON: {\"name\", \"purpose\", \"intended_use\", \"misuse\", \"owner\", \"lifecycle\", \"role\", "
	  "\"oversight\", \"affected_groups\", \"status\", \"version\", \"digest\", \"created_at\", "
	  "\"updated_at\", \"current_model\", \"deployments\"}; unset text fields are null.",
	  NULL, "system.add", cmd_system_render_add, NULL },
	{ "system bom", cli_run_op, "NAME", 1, 1, NULL,
	  "Prints (or with --out FILE writes) the CycloneDX 1.6 JSON ML-BOM of AI system NAME: the system as "
	  "the BOM's subject, its deployed models and the models and datasets upstream of it in the lineage as "
	  "components (machine-learning-model, data) with the SHA-256 digests aims recorded, model files as "
	  "nested file components, training datasets in each model's modelCard, and the dependencies "
	  "system -> models -> datasets (docs/inventory.md). The serial number is a UUIDv5 of the system "
	  "record's digest, so the BOM of one state is always the same.",
	  cmd_oscal_export_opts, "system.bom", cmd_oscal_render_export, NULL },
	{ "system list", cli_run_op, "", 0, 0, NULL,
	  "Lists every AI system in the order they were added with its status, lifecycle stage, role, "
	  "oversight mode, owner and current model (latest deployment).\n"
	  "JSON: {\"systems\": [SYSTEM]}, each as in 'aims system add' plus \"current_model\".",
	  NULL, "system.list", cmd_system_render_list, NULL },
	{ "system set", cli_run_op, "NAME", 1, 1, NULL,
	  "Changes the given fields; an empty value clears an optional text field. A real change makes record "
	  "version N+1 (the old version is kept) and an 'update' audit entry; giving the current values "
	  "changes nothing.\n"
	  "JSON: the system as in 'aims system show'.",
	  NULL, "system.set", cmd_system_render_set, NULL },
	{ "system show", cli_run_op, "NAME", 1, 1, NULL,
	  "JSON: the system as in 'aims system add' plus \"current_model\" (NAME@VERSION or null) and "
	  "\"deployments\" as in 'aims deploy list'.",
	  NULL, "system.show", cmd_system_render_show, NULL },
	{ "token create", cli_run_op, "", 0, 0, NULL,
	  "Creates an API token for --user (default: yourself) and prints it once; only its SHA-256 is kept. "
	  "A token acts as its account: for the command line in AIMS_TOKEN, for the API as 'Authorization: "
	  "Bearer TOKEN'. Only the account itself creates its tokens: sign in with --password-stdin (the "
	  "account's password on standard input; failures are throttled), or act as it already; an admin also "
	  "creates tokens for accounts that hold only the service role (exit 7 otherwise). --expires is the last "
	  "valid day. The audit trail gets a 'create' entry naming the token's public id.\n"
	  "JSON: {\"id\", \"account\", \"label\", \"created_at\", \"created_by\", \"expires_at\", "
	  "\"revoked_at\", \"token\"}.",
	  cmd_user_passwd_opts, "token.create", cmd_token_render, cmd_user_passwd_prepare },
	{ "token list", cli_run_op, "", 0, 0, NULL,
	  "Lists your API tokens (or --user's, or --all: admins and auditors), never their secrets.\n"
	  "JSON: {\"tokens\": [TOKEN as in 'aims token create' without \"token\"]}.",
	  NULL, "token.list", cmd_token_render_list, NULL },
	{ "token revoke", cli_run_op, "ID", 1, 1, NULL,
	  "Revokes token ID (its account or an admin); it stops working at once.\n"
	  "JSON: {\"id\", \"revoked\"}.",
	  NULL, "token.revoke", cmd_token_render, NULL },
	{ "user add", cli_run_op, "NAME", 1, 1, NULL,
	  "Creates account NAME with one or more --role (admin, compliance-manager, risk-owner, ml-engineer, "
	  "reviewer, auditor, service; see docs/permissions.md) and prints a random initial password once "
	  "(argon2id-hashed in the store). Admins only. The first admin of a new store is created by the local "
	  "OS user, who acts as admin on a store it opens directly (see 'aims user os-roles').\n"
	  "JSON: USER {\"name\", \"display_name\", \"roles\", \"status\", \"created_at\", \"created_by\", "
	  "\"password_changed_at\", \"tokens\"} plus \"initial_password\".",
	  NULL, "user.add", cmd_user_render, NULL },
	{ "user disable", cli_run_op, "NAME", 1, 1, NULL,
	  "Disables account NAME: its sessions end and its API tokens are revoked. The last active admin cannot "
	  "be disabled (exit 3).\nJSON: USER.",
	  NULL, "user.disable", cmd_user_render, NULL },
	{ "user enable", cli_run_op, "NAME", 1, 1, NULL,
	  "Enables a disabled account (its old tokens stay revoked).\nJSON: USER.",
	  NULL, "user.enable", cmd_user_render, NULL },
	{ "user list", cli_run_op, "", 0, 0, NULL,
	  "Lists accounts with status, roles and number of active tokens.\nJSON: {\"users\": [USER]}.",
	  NULL, "user.list", cmd_user_render_list, NULL },
	{ "user os-roles", cli_run_op, "", 0, 0, NULL,
	  "Shows, or with --role sets, the roles of local OS users (os:LOGIN) who open the store directly "
	  "without AIMS_TOKEN. The default is admin: whoever can write the store's file controls it anyway. "
	  "Narrow it (e.g. --role auditor) once accounts exist, so that writes name accounts.\n"
	  "JSON: {\"os_roles\": [ROLE]}.",
	  NULL, "user.os_roles", NULL, NULL },
	{ "user passwd", cli_run_op, "NAME", 1, 1, NULL,
	  "Sets the password of NAME: your own (with --password-stdin, at least 12 characters), or as an admin "
	  "another account's, reset to a random one printed once. Every session of the account ends.\n"
	  "JSON: USER, plus \"new_password\" when one was generated.",
	  cmd_user_passwd_opts, "user.passwd", cmd_user_render, cmd_user_passwd_prepare },
	{ "user roles", cli_run_op, "NAME", 1, 1, NULL,
	  "Replaces the roles of account NAME with the --role options given (admins only; the last active admin "
	  "keeps admin).\nJSON: USER.",
	  NULL, "user.roles", cmd_user_render, NULL },
	{ "user show", cli_run_op, "NAME", 1, 1, NULL,
	  "Shows account NAME.\nJSON: USER.",
	  NULL, "user.show", cmd_user_render, NULL },
	{ "version", cli_run_op, "", 0, 0, NULL,
	  "Prints the version of aims and the schema version of the store (opened and brought up to date); "
	  "'aims --version' prints the version alone without a store.\n"
	  "JSON: {\"version\", \"schema\"}.",
	  NULL, "version", cmd_version_render, NULL },
	{ "whoami", cli_run_op, "", 0, 0, NULL,
	  "Prints the principal this command line acts as (the account of AIMS_TOKEN, else os:LOGIN) and its "
	  "roles.\nJSON: {\"principal\", \"kind\", \"roles\"}.",
	  NULL, "whoami", cmd_whoami_render, NULL },
};

const size_t cli_command_count = sizeof(cli_commands) / sizeof(cli_commands[0]);

const cli_cmd *cli_find(const char *name)
{
	size_t lo = 0, hi = cli_command_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, cli_commands[mid].name);
		if (c == 0)
			return &cli_commands[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* a prefix of command names ("catalog") that is not itself a command */
static int is_group(const char *word)
{
	size_t n = strlen(word);
	for (size_t i = 0; i < cli_command_count; i++)
		if (strncmp(cli_commands[i].name, word, n) == 0 && cli_commands[i].name[n] == ' ')
			return 1;
	return 0;
}

static void print_group(FILE *out, const char *word)
{
	size_t n = strlen(word);
	fprintf(out, "usage: aims %s <command> [options]\n\ncommands:\n", word);
	for (size_t i = 0; i < cli_command_count; i++)
		if (strncmp(cli_commands[i].name, word, n) == 0 && cli_commands[i].name[n] == ' ')
			fprintf(out, "  %-22s %s\n", cli_commands[i].name, cli_cmd_summary(&cli_commands[i]));
}

static const cli_opt *find_opt(const cli_opt *opts, const char *name, size_t len)
{
	for (; opts && opts->name; opts++)
		if (strlen(opts->name) == len && strncmp(opts->name, name, len) == 0)
			return opts;
	return NULL;
}

static int add_value(cli_ctx *ctx, const char *name, const char *value)
{
	if (ctx->nvals >= CLI_MAX_VALUES) {
		fprintf(stderr, "error: too many options\n");
		return -1;
	}
	ctx->vals[ctx->nvals].name = name;
	ctx->vals[ctx->nvals].value = value;
	ctx->nvals++;
	return 0;
}

int main(int argc, char **argv)
{
	static char *pos[256];
	cli_ctx ctx;
	int i = 1;
	int want_help = 0;

	cli_output_init();
	memset(&ctx, 0, sizeof(ctx));
	ctx.args = pos;
	ctx.db = getenv("AIMS_DB");
	ctx.server = getenv("AIMS_SERVER");
	if (ctx.server && !*ctx.server)
		ctx.server = NULL;

	/* global options before the command */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--version") == 0) {
			printf("aims %s\n", aims_version());
			return EXIT_OK;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			want_help = 1;
		} else if (strcmp(a, "--db") == 0) {
			if (++i >= argc) {
				fprintf(stderr, "error: option '--db' needs a value\n");
				return EXIT_USAGE;
			}
			ctx.db = argv[i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			ctx.db = a + 5;
		} else if (strcmp(a, "--server") == 0) {
			if (++i >= argc) {
				fprintf(stderr, "error: option '--server' needs a value\n");
				return EXIT_USAGE;
			}
			ctx.server = argv[i];
		} else if (strncmp(a, "--server=", 9) == 0) {
			ctx.server = a + 9;
		} else if (strcmp(a, "--json") == 0) {
			ctx.json = 1;
		} else {
			fprintf(stderr, "error: unknown option '%s' (see 'aims help')\n", a);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		cli_print_overview(want_help ? stdout : stderr);
		return want_help ? EXIT_OK : EXIT_USAGE;
	}

	/* the longest run of words that names a command */
	const cli_cmd *cmd = NULL;
	int used = 0;
	for (int k = 3; k >= 1 && !cmd; k--) {
		char name[128] = "";
		size_t len = 0;
		if (i + k > argc)
			continue;
		int ok = 1;
		for (int j = 0; j < k && ok; j++) {
			int n = snprintf(name + len, sizeof(name) - len, "%s%s", j ? " " : "", argv[i + j]);
			if (n < 0 || (size_t)n >= sizeof(name) - len)
				ok = 0;
			else
				len += (size_t)n;
		}
		if (ok && (cmd = cli_find(name)) != NULL)
			used = k;
	}
	if (!cmd) {
		if (is_group(argv[i])) {
			int help = want_help || (i + 1 < argc && (strcmp(argv[i + 1], "--help") == 0 ||
								   strcmp(argv[i + 1], "-h") == 0));
			if (i + 1 < argc && !help)
				fprintf(stderr, "error: unknown command 'aims %s %s'\n", argv[i], argv[i + 1]);
			print_group(help ? stdout : stderr, argv[i]);
			return help ? EXIT_OK : EXIT_USAGE;
		}
		fprintf(stderr, "error: unknown command '%s' (see 'aims help')\n", argv[i]);
		return EXIT_USAGE;
	}
	ctx.cmd = cmd;
	i += used;

	/* options and arguments after the command, in any order */
	int only_args = 0;
	for (; i < argc; i++) {
		char *a = argv[i];
		if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
			if (ctx.nargs >= (int)(sizeof(pos) / sizeof(pos[0]))) {
				fprintf(stderr, "error: too many arguments\n");
				return EXIT_USAGE;
			}
			pos[ctx.nargs++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			want_help = 1;
			continue;
		}
		if (a[1] != '-') {
			fprintf(stderr, "error: unknown option '%s' for 'aims %s'\n", a, cmd->name);
			return EXIT_USAGE;
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		if (nlen == 2 && strncmp(name, "db", 2) == 0) {
			if (eq)
				ctx.db = eq + 1;
			else if (++i < argc)
				ctx.db = argv[i];
			else {
				fprintf(stderr, "error: option '--db' needs a value\n");
				return EXIT_USAGE;
			}
			continue;
		}
		if (nlen == 6 && strncmp(name, "server", 6) == 0) {
			if (eq)
				ctx.server = eq + 1;
			else if (++i < argc)
				ctx.server = argv[i];
			else {
				fprintf(stderr, "error: option '--server' needs a value\n");
				return EXIT_USAGE;
			}
			continue;
		}
		const cli_opt *o = find_opt(cli_cmd_opts(cmd), name, nlen);
		if (!o) {
			fprintf(stderr, "error: unknown option '--%.*s' for 'aims %s' (see 'aims %s --help')\n",
				(int)nlen, name, cmd->name, cmd->name);
			return EXIT_USAGE;
		}
		const char *value = "";
		if (o->flags & OPT_VALUE) {
			if (eq)
				value = eq + 1;
			else if (++i < argc)
				value = argv[i];
			else {
				fprintf(stderr, "error: option '--%s' needs a value (%s)\n", o->name, o->arg);
				return EXIT_USAGE;
			}
		} else if (eq) {
			fprintf(stderr, "error: option '--%s' takes no value\n", o->name);
			return EXIT_USAGE;
		}
		if (!(o->flags & OPT_MULTI) && (o->flags & OPT_VALUE) && cli_get(&ctx, o->name)) {
			fprintf(stderr, "error: option '--%s' given twice\n", o->name);
			return EXIT_USAGE;
		}
		if (add_value(&ctx, o->name, value) < 0)
			return EXIT_USAGE;
		if (strcmp(o->name, "json") == 0)
			ctx.json = 1;
	}
	if (want_help) {
		cli_print_help(stdout, cmd);
		return EXIT_OK;
	}
	if (ctx.json && !find_opt(cli_cmd_opts(cmd), "json", 4)) {
		fprintf(stderr, "error: 'aims %s' has no JSON output\n", cmd->name);
		return EXIT_USAGE;
	}
	if (ctx.nargs < cmd->min_args || (cmd->max_args >= 0 && ctx.nargs > cmd->max_args)) {
		fprintf(stderr, "error: %s arguments for 'aims %s'\n",
			ctx.nargs < cmd->min_args ? "missing" : "too many", cmd->name);
		fprintf(stderr, "usage: aims %s%s%s\n", cmd->name, cmd->args[0] ? " " : "", cmd->args);
		return EXIT_USAGE;
	}
	if (!ctx.db || !*ctx.db)
		ctx.db = "aims.db";
	int rc = cmd->run(&ctx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "error: cannot write output\n");
		return EXIT_FAILURE_;
	}
	return rc;
}
