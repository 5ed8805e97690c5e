/*
 * Declarations of every subcommand handler and its option list, for the
 * command table in main.c. One cmd_<name>.c file per command group.
 */
#ifndef AIMS_COMMANDS_H
#define AIMS_COMMANDS_H

#include "cli.h"

int cmd_catalog_list(cli_ctx *ctx);
int cmd_catalog_show(cli_ctx *ctx);
extern const cli_opt cmd_catalog_show_opts[];

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

int cmd_doc_approve(cli_ctx *ctx);
int cmd_doc_diff(cli_ctx *ctx);
int cmd_doc_due(cli_ctx *ctx);
int cmd_doc_edit(cli_ctx *ctx);
int cmd_doc_export(cli_ctx *ctx);
int cmd_doc_list(cli_ctx *ctx);
int cmd_doc_new(cli_ctx *ctx);
int cmd_doc_retire(cli_ctx *ctx);
int cmd_doc_show(cli_ctx *ctx);
int cmd_doc_submit(cli_ctx *ctx);
extern const cli_opt cmd_doc_approve_opts[];
extern const cli_opt cmd_doc_diff_opts[];
extern const cli_opt cmd_doc_due_opts[];
extern const cli_opt cmd_doc_edit_opts[];
extern const cli_opt cmd_doc_export_opts[];
extern const cli_opt cmd_doc_list_opts[];
extern const cli_opt cmd_doc_new_opts[];
extern const cli_opt cmd_doc_show_opts[];

int cmd_gap(cli_ctx *ctx);
extern const cli_opt cmd_gap_opts[];

int cmd_help(cli_ctx *ctx);
extern const cli_opt cmd_help_opts[];

int cmd_init(cli_ctx *ctx);
extern const cli_opt cmd_init_opts[];

int cmd_isms_import(cli_ctx *ctx);
int cmd_isms_show(cli_ctx *ctx);
int cmd_isms_versions(cli_ctx *ctx);
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

int cmd_org_set(cli_ctx *ctx);
int cmd_org_show(cli_ctx *ctx);
extern const cli_opt cmd_org_set_opts[];

int cmd_soa(cli_ctx *ctx);
int cmd_soa_set(cli_ctx *ctx);
extern const cli_opt cmd_soa_opts[];
extern const cli_opt cmd_soa_set_opts[];

int cmd_status(cli_ctx *ctx);
int cmd_version(cli_ctx *ctx);

#endif
