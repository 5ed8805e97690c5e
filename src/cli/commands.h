/*
 * Declarations of every subcommand handler and its option list, for the
 * command table in main.c. One cmd_<name>.c file per command group.
 */
#ifndef AIMS_COMMANDS_H
#define AIMS_COMMANDS_H

#include "cli.h"

/* EU AI Act (cmd_aiact.c): renderers of the aiact.* operations */
int cmd_aiact_annex_iv(cli_ctx *ctx);
int cmd_aiact_classify_prepare(cli_ctx *ctx, json_t *req);
int cmd_aiact_fria_prepare(cli_ctx *ctx, json_t *req);
int cmd_aiact_render_classify(cli_ctx *ctx, const aims_op_result *res);
int cmd_aiact_render_fria(cli_ctx *ctx, const aims_op_result *res);
int cmd_aiact_render_obligation_set(cli_ctx *ctx, const aims_op_result *res);
int cmd_aiact_render_obligation_show(cli_ctx *ctx, const aims_op_result *res);
int cmd_aiact_render_obligations(cli_ctx *ctx, const aims_op_result *res);
int cmd_aiact_render_show(cli_ctx *ctx, const aims_op_result *res);
extern const cli_opt cmd_aiact_annex_iv_opts[];
extern const cli_opt cmd_aiact_fria_opts[];

/* impact assessments (cmd_assess.c): renderers of the assess.* operations */
int cmd_assess_render_approve(cli_ctx *ctx, const aims_op_result *res);
int cmd_assess_render_impact(cli_ctx *ctx, const aims_op_result *res);
int cmd_assess_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_assess_render_show(cli_ctx *ctx, const aims_op_result *res);

int cmd_catalog_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_catalog_render_show(cli_ctx *ctx, const aims_op_result *res);
int cmd_catalog_show_prepare(cli_ctx *ctx, json_t *req);

/* evidence packs (cmd_pack.c) */
int cmd_pack(cli_ctx *ctx);
int cmd_pack_verify(cli_ctx *ctx);
extern const cli_opt cmd_pack_opts[];
extern const cli_opt cmd_pack_verify_opts[];

/* OSCAL (cmd_oscal.c) */
int cmd_oscal_render_export(cli_ctx *ctx, const aims_op_result *res);
int cmd_oscal_render_import(cli_ctx *ctx, const aims_op_result *res);
extern const cli_opt cmd_oscal_export_opts[];

int cmd_decision_prepare_log(cli_ctx *ctx, json_t *req);
int cmd_decision_render_ingest(cli_ctx *ctx, const aims_op_result *res);
int cmd_decision_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_decision_render_prune(cli_ctx *ctx, const aims_op_result *res);
int cmd_decision_render_receipt(cli_ctx *ctx, const aims_op_result *res);
int cmd_decision_render_recover(cli_ctx *ctx, const aims_op_result *res);
int cmd_decision_render_verify(cli_ctx *ctx, const aims_op_result *res);
int cmd_decision_verify_receipt(cli_ctx *ctx);
extern const cli_opt cmd_decision_ingest_opts[];
extern const cli_opt cmd_decision_receipt_opts[];
extern const cli_opt cmd_decision_verify_receipt_opts[];

/* controlled documents (cmd_doc.c): renderers of the doc.* operations */
int cmd_doc_export_prepare(cli_ctx *ctx, json_t *req);
int cmd_doc_render_approve(cli_ctx *ctx, const aims_op_result *res);
int cmd_doc_render_diff(cli_ctx *ctx, const aims_op_result *res);
int cmd_doc_render_due(cli_ctx *ctx, const aims_op_result *res);
int cmd_doc_render_edit(cli_ctx *ctx, const aims_op_result *res);
int cmd_doc_render_export(cli_ctx *ctx, const aims_op_result *res);
int cmd_doc_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_doc_render_new(cli_ctx *ctx, const aims_op_result *res);
int cmd_doc_render_retire(cli_ctx *ctx, const aims_op_result *res);
int cmd_doc_render_show(cli_ctx *ctx, const aims_op_result *res);
int cmd_doc_render_submit(cli_ctx *ctx, const aims_op_result *res);
extern const cli_opt cmd_doc_export_opts[];
extern const cli_opt cmd_doc_show_opts[];

/* evaluations: operations eval.* (cmd_eval.c, cmd_eval_drift.c print their results) */
extern const cli_opt cmd_eval_drift_opts[];
extern const cli_opt cmd_eval_report_opts[];
extern const cli_opt cmd_eval_show_opts[];
int cmd_eval_render_drift(cli_ctx *ctx, const aims_op_result *res);
int cmd_eval_render_fairness(cli_ctx *ctx, const aims_op_result *res);
int cmd_eval_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_eval_render_performance(cli_ctx *ctx, const aims_op_result *res);
int cmd_eval_render_show(cli_ctx *ctx, const aims_op_result *res);

/* gap analysis (cmd_gap.c): the renderer of gap.analysis; a command whose format option writes a report
 * beside the document it prints asks the operation for both (render: how the document is printed, JSON
 * included; NULL: as usual) */
int cmd_gap_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_run_report(cli_ctx *ctx);
int cmd_run_report_with(cli_ctx *ctx, int (*render)(cli_ctx *ctx, const aims_op_result *res));
extern const cli_opt cmd_gap_opts[];

int cmd_help(cli_ctx *ctx);
extern const cli_opt cmd_help_opts[];

int cmd_init(cli_ctx *ctx);
extern const cli_opt cmd_init_opts[];

int cmd_isms_import_prepare(cli_ctx *ctx, json_t *req);
int cmd_isms_render_import(cli_ctx *ctx, const aims_op_result *res);
int cmd_isms_render_show(cli_ctx *ctx, const aims_op_result *res);
int cmd_isms_render_versions(cli_ctx *ctx, const aims_op_result *res);
int cmd_isms_show_prepare(cli_ctx *ctx, json_t *req);
extern const cli_opt cmd_isms_show_opts[];

int cmd_ledger_checkpoint(cli_ctx *ctx);
int cmd_ledger_keygen(cli_ctx *ctx);
int cmd_ledger_render_log(cli_ctx *ctx, const aims_op_result *res);
int cmd_ledger_render_prune(cli_ctx *ctx, const aims_op_result *res);
int cmd_ledger_render_verify(cli_ctx *ctx, const aims_op_result *res);
int cmd_ledger_setup(cli_ctx *ctx);
extern const cli_opt cmd_ledger_setup_opts[];
extern const cli_opt cmd_ledger_checkpoint_opts[];
/* after a write: sign a checkpoint when a ledger key is recorded */
int cli_after_write(aims_store *store);
extern const cli_opt cmd_ledger_keygen_opts[];

/* crosswalks (cmd_map.c): renderers of the map.* operations */
int cmd_map_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_map_render_path(cli_ctx *ctx, const aims_op_result *res);
int cmd_map_render_show(cli_ctx *ctx, const aims_op_result *res);
int cmd_map_show(cli_ctx *ctx);
extern const cli_opt cmd_map_opts[];

int cmd_merkle_consistency(cli_ctx *ctx);
int cmd_merkle_inclusion(cli_ctx *ctx);
int cmd_merkle_root(cli_ctx *ctx);
int cmd_merkle_verify_consistency(cli_ctx *ctx);
int cmd_merkle_verify_inclusion(cli_ctx *ctx);
extern const cli_opt cmd_merkle_consistency_opts[];
extern const cli_opt cmd_merkle_inclusion_opts[];
extern const cli_opt cmd_merkle_verify_consistency_opts[];
extern const cli_opt cmd_merkle_verify_inclusion_opts[];

int cmd_note_cosign(cli_ctx *ctx);
extern const cli_opt cmd_note_cosign_opts[];
int cmd_note_sign(cli_ctx *ctx);
int cmd_note_verify(cli_ctx *ctx);
extern const cli_opt cmd_note_sign_opts[];
extern const cli_opt cmd_note_verify_opts[];

int cmd_org_render_set(cli_ctx *ctx, const aims_op_result *res);
int cmd_org_render_show(cli_ctx *ctx, const aims_op_result *res);

/* the AI risk register (cmd_risk.c): renderers of the risk.* operations */
int cmd_risk_criteria(cli_ctx *ctx);
int cmd_risk_render_accept(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_add(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_categories(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_criteria(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_heatmap(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_library_add(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_library_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_report(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_review(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_set(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_show(cli_ctx *ctx, const aims_op_result *res);
int cmd_risk_render_treat(cli_ctx *ctx, const aims_op_result *res);
extern const cli_opt cmd_risk_criteria_opts[];
extern const cli_opt cmd_risk_heatmap_opts[];
extern const cli_opt cmd_risk_report_opts[];

/* Statement of Applicability (cmd_soa.c): renderers of the soa.* operations */
int cmd_soa_prepare(cli_ctx *ctx, json_t *req);
int cmd_soa_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_soa_render_set(cli_ctx *ctx, const aims_op_result *res);
int cmd_soa_render_show(cli_ctx *ctx, const aims_op_result *res);
extern const cli_opt cmd_soa_opts[];

/* the AI inventory (cmd_system.c, cmd_deploy.c, cmd_dataset.c, cmd_model.c, cmd_lineage.c,
 * cmd_card.c; mlflow import is in cmd_lineage.c) */
int cmd_deploy_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_deploy_render_record(cli_ctx *ctx, const aims_op_result *res);
int cmd_card_prepare(cli_ctx *ctx, json_t *req);
int cmd_card_render(cli_ctx *ctx, const aims_op_result *res);
extern const cli_opt cmd_card_opts[];
int cmd_dataset_prepare(cli_ctx *ctx, json_t *req);
int cmd_dataset_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_dataset_render_register(cli_ctx *ctx, const aims_op_result *res);
int cmd_dataset_render_show(cli_ctx *ctx, const aims_op_result *res);
int cmd_dataset_render_verify(cli_ctx *ctx, const aims_op_result *res);
extern const cli_opt cmd_dataset_register_opts[];
extern const cli_opt cmd_dataset_verify_opts[];
int cmd_lineage_graph_prepare(cli_ctx *ctx, json_t *req);
int cmd_lineage_render_graph(cli_ctx *ctx, const aims_op_result *res);
int cmd_lineage_render_ingest(cli_ctx *ctx, const aims_op_result *res);
int cmd_lineage_render_run(cli_ctx *ctx, const aims_op_result *res);
int cmd_lineage_render_walk(cli_ctx *ctx, const aims_op_result *res);
int cmd_lineage_walk_prepare(cli_ctx *ctx, json_t *req);
extern const cli_opt cmd_lineage_graph_opts[];
int cmd_mlflow_render_import(cli_ctx *ctx, const aims_op_result *res);
int cmd_model_prepare(cli_ctx *ctx, json_t *req);
int cmd_model_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_model_render_register(cli_ctx *ctx, const aims_op_result *res);
int cmd_model_render_show(cli_ctx *ctx, const aims_op_result *res);
int cmd_model_render_verify(cli_ctx *ctx, const aims_op_result *res);
int cmd_model_show_prepare(cli_ctx *ctx, json_t *req);
extern const cli_opt cmd_model_register_opts[];
extern const cli_opt cmd_model_show_opts[];
extern const cli_opt cmd_model_verify_opts[];
/* hash a file or directory with a progress bar on a terminal; prints the error */
int cli_hash(aims_artifact **out, const char *path, int dir);
void cli_hash_progress(uint64_t done, uint64_t total, void *arg);
/* before reading local files: may the acting principal run the command's operation? (store only) */
int cmd_inventory_permitted(cli_ctx *ctx);
/* hash PATH (a directory when dir) and put its digests into the request as "artifact" */
int cmd_inventory_hash(json_t *req, const char *path, int dir);
/* a JSON value as the inventory stores it (canonical text); free() it */
char *cmd_inventory_json_text(const json_t *v);
int cmd_system_render_add(cli_ctx *ctx, const aims_op_result *res);
int cmd_system_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_system_render_set(cli_ctx *ctx, const aims_op_result *res);
int cmd_system_render_show(cli_ctx *ctx, const aims_op_result *res);

/* AI incidents, nonconformities, corrective actions (cmd_pdca.c) */
int cmd_incident_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_incident_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_nc_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_nc_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_ca_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_ca_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_audit_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_audit_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_programme_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_programme_render_list(cli_ctx *ctx, const aims_op_result *res);
extern const cli_opt cmd_review_pack_opts[];
extern const cli_opt cmd_audit_report_opts[];
int cmd_review_pack_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_review_record_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_concern_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_concern_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_supplier_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_supplier_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_exchange_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_objective_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_objective_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_due_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_monitor_render_plan(cli_ctx *ctx, const aims_op_result *res);
int cmd_monitor_render_plans(cli_ctx *ctx, const aims_op_result *res);
int cmd_monitor_render_runs(cli_ctx *ctx, const aims_op_result *res);

/* policies, lifecycle gates, human review (cmd_oversight.c) */
int cmd_policy_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_policy_render_check(cli_ctx *ctx, const aims_op_result *res);
int cmd_policy_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_gate_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_gate_render_check(cli_ctx *ctx, const aims_op_result *res);
int cmd_gate_render_checks(cli_ctx *ctx, const aims_op_result *res);
int cmd_gate_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_gate_render_exception(cli_ctx *ctx, const aims_op_result *res);
int cmd_gate_render_exceptions(cli_ctx *ctx, const aims_op_result *res);
int cmd_review_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_review_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_review_render_reports(cli_ctx *ctx, const aims_op_result *res);
int cmd_review_render_metrics(cli_ctx *ctx, const aims_op_result *res);

/* accounts, tokens, the server (cmd_user.c, cmd_serve.c) */
int cmd_user_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_user_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_user_passwd_prepare(cli_ctx *ctx, json_t *req);
int cmd_token_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_token_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_whoami_render(cli_ctx *ctx, const aims_op_result *res);
extern const cli_opt cmd_user_passwd_opts[];
int cmd_serve(cli_ctx *ctx);
extern const cli_opt cmd_serve_opts[];

int cmd_status_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_version_render(cli_ctx *ctx, const aims_op_result *res);
int cmd_store_copy(cli_ctx *ctx);
extern const cli_opt cmd_store_copy_opts[];

#endif
