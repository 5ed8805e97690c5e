/*
 * Declarations of every subcommand handler and its option list, for the
 * command table in main.c. One cmd_<name>.c file per command group.
 */
#ifndef AIMS_COMMANDS_H
#define AIMS_COMMANDS_H

#include "cli.h"

int cmd_aiact_annex_iv(cli_ctx *ctx);
int cmd_aiact_classify(cli_ctx *ctx);
int cmd_aiact_fria(cli_ctx *ctx);
int cmd_aiact_obligation_set(cli_ctx *ctx);
int cmd_aiact_obligations(cli_ctx *ctx);
int cmd_aiact_show(cli_ctx *ctx);
extern const cli_opt cmd_aiact_annex_iv_opts[];
extern const cli_opt cmd_aiact_classify_opts[];
extern const cli_opt cmd_aiact_fria_opts[];
extern const cli_opt cmd_aiact_obligation_set_opts[];
extern const cli_opt cmd_aiact_obligations_opts[];
/* read a whole file or standard input ('-'), at most max bytes; prints the error */
int cmd_risk_read_file(char **out, size_t *len, const char *path, size_t max);

/* impact assessments (cmd_assess.c): renderers of the assess.* operations */
int cmd_assess_render_approve(cli_ctx *ctx, const aims_op_result *res);
int cmd_assess_render_impact(cli_ctx *ctx, const aims_op_result *res);
int cmd_assess_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_assess_render_show(cli_ctx *ctx, const aims_op_result *res);

int cmd_catalog_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_catalog_render_show(cli_ctx *ctx, const aims_op_result *res);
int cmd_catalog_show_prepare(cli_ctx *ctx, json_t *req);

int cmd_decision_ingest(cli_ctx *ctx);
int cmd_decision_list(cli_ctx *ctx);
int cmd_decision_log(cli_ctx *ctx);
int cmd_decision_prune(cli_ctx *ctx);
int cmd_decision_receipt(cli_ctx *ctx);
int cmd_decision_verify(cli_ctx *ctx);
int cmd_decision_verify_receipt(cli_ctx *ctx);
extern const cli_opt cmd_decision_ingest_opts[];
extern const cli_opt cmd_decision_log_opts[];
extern const cli_opt cmd_decision_prune_opts[];
extern const cli_opt cmd_decision_receipt_opts[];
extern const cli_opt cmd_decision_verify_opts[];
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

int cmd_eval_drift(cli_ctx *ctx);
extern const cli_opt cmd_eval_drift_opts[];
int cmd_eval_fairness(cli_ctx *ctx);
int cmd_eval_list(cli_ctx *ctx);
int cmd_eval_performance(cli_ctx *ctx);
int cmd_eval_show(cli_ctx *ctx);
extern const cli_opt cmd_eval_fairness_opts[];
extern const cli_opt cmd_eval_list_opts[];
extern const cli_opt cmd_eval_performance_opts[];
extern const cli_opt cmd_eval_show_opts[];

int cmd_gap(cli_ctx *ctx);
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
int cmd_ledger_log(cli_ctx *ctx);
int cmd_ledger_prune(cli_ctx *ctx);
int cmd_ledger_setup(cli_ctx *ctx);
int cmd_ledger_verify(cli_ctx *ctx);
extern const cli_opt cmd_ledger_log_opts[];
extern const cli_opt cmd_ledger_prune_opts[];
extern const cli_opt cmd_ledger_setup_opts[];
extern const cli_opt cmd_ledger_verify_opts[];
/* after a write: sign a checkpoint when a ledger key is recorded */
int cli_after_write(aims_store *store);
extern const cli_opt cmd_ledger_keygen_opts[];

int cmd_map_list(cli_ctx *ctx);
int cmd_map_path(cli_ctx *ctx);
int cmd_map_show(cli_ctx *ctx);
extern const cli_opt cmd_map_show_opts[];

int cmd_merkle_consistency(cli_ctx *ctx);
int cmd_merkle_inclusion(cli_ctx *ctx);
int cmd_merkle_root(cli_ctx *ctx);
int cmd_merkle_verify_consistency(cli_ctx *ctx);
int cmd_merkle_verify_inclusion(cli_ctx *ctx);
extern const cli_opt cmd_merkle_consistency_opts[];
extern const cli_opt cmd_merkle_inclusion_opts[];
extern const cli_opt cmd_merkle_verify_consistency_opts[];
extern const cli_opt cmd_merkle_verify_inclusion_opts[];

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

int cmd_soa(cli_ctx *ctx);
int cmd_soa_set(cli_ctx *ctx);
extern const cli_opt cmd_soa_opts[];
extern const cli_opt cmd_soa_set_opts[];

/* the AI inventory (cmd_system.c, cmd_deploy.c, cmd_dataset.c, cmd_model.c, cmd_lineage.c,
 * cmd_mlflow.c, cmd_card.c) */
int cmd_deploy_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_deploy_render_record(cli_ctx *ctx, const aims_op_result *res);
int cmd_card_dataset(cli_ctx *ctx);
int cmd_card_model(cli_ctx *ctx);
int cmd_card_system(cli_ctx *ctx);
extern const cli_opt cmd_card_opts[];
int cmd_dataset_list(cli_ctx *ctx);
int cmd_dataset_register(cli_ctx *ctx);
int cmd_dataset_show(cli_ctx *ctx);
int cmd_dataset_verify(cli_ctx *ctx);
extern const cli_opt cmd_dataset_register_opts[];
extern const cli_opt cmd_dataset_verify_opts[];
int cmd_lineage_downstream(cli_ctx *ctx);
int cmd_lineage_graph(cli_ctx *ctx);
int cmd_lineage_ingest(cli_ctx *ctx);
int cmd_lineage_run(cli_ctx *ctx);
int cmd_lineage_upstream(cli_ctx *ctx);
extern const cli_opt cmd_lineage_graph_opts[];
extern const cli_opt cmd_lineage_ingest_opts[];
extern const cli_opt cmd_lineage_walk_opts[];
int cmd_mlflow_import(cli_ctx *ctx);
/* read FILE or standard input ('-') whole; prints the error */
int cli_read_input(char **data, size_t *len, const char *path);
int cmd_model_list(cli_ctx *ctx);
int cmd_model_register(cli_ctx *ctx);
int cmd_model_show(cli_ctx *ctx);
int cmd_model_verify(cli_ctx *ctx);
extern const cli_opt cmd_model_register_opts[];
extern const cli_opt cmd_model_show_opts[];
extern const cli_opt cmd_model_verify_opts[];
/* hash a file or directory with a progress bar on a terminal; prints the error */
int cli_hash(aims_artifact **out, const char *path, int dir);
void cli_hash_progress(uint64_t done, uint64_t total, void *arg);
json_t *cli_dataset_json(const aims_dataset *d);
json_t *cli_model_json(const aims_model *m);
int cmd_system_render_add(cli_ctx *ctx, const aims_op_result *res);
int cmd_system_render_list(cli_ctx *ctx, const aims_op_result *res);
int cmd_system_render_set(cli_ctx *ctx, const aims_op_result *res);
int cmd_system_render_show(cli_ctx *ctx, const aims_op_result *res);

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
