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
	{ "db", "URL", "the store: a SQLite file path or sqlite:PATH (default: $AIMS_DB, else ./aims.db)", OPT_VALUE },
	{ "help", NULL, "show help for the command and exit", 0 },
	{ NULL, NULL, NULL, 0 }
};

static const cli_opt json_opt[] = {
	{ "json", NULL, "print JSON instead of a table", 0 },
	{ NULL, NULL, NULL, 0 }
};

/* sorted by name: help, the man page and lookup rely on it */
const cli_cmd cli_commands[] = {
	{ "catalog list", cmd_catalog_list, "", 0, 0,
	  "list the framework catalogs in the store",
	  "Lists every framework loaded into the store with its version, publisher, number of "
	  "requirements and the SHA-256 digest of the catalog file it came from.\n"
	  "JSON: {\"frameworks\": [{\"framework\", \"title\", \"version\", \"publisher\", "
	  "\"source\", \"licence\", \"requirements\", \"digest\", \"loaded_at\"}]}.",
	  json_opt },
	{ "catalog show", cmd_catalog_show, "FRAMEWORK [ID]", 1, 2,
	  "show a framework's requirements, or one requirement and what it contains",
	  "Without ID, prints every requirement of FRAMEWORK in document order, indented by depth. "
	  "With ID (exactly as the framework writes it, e.g. A.6.2.4, 6.1.4, 'GOVERN 1.1', "
	  "'Article 9'), prints that requirement in full followed by the requirements it contains.\n"
	  "JSON: {\"framework\", \"title\", \"version\", \"publisher\", \"source\", \"licence\", "
	  "\"digest\", \"loaded_at\", \"requirements\": [{\"id\", \"kind\", \"title\", \"parent\", "
	  "\"summary\", \"text\", \"chapter\"}]}; with ID, `requirements` holds that requirement and "
	  "its descendants. `summary`, `text` and `chapter` are present only when the catalog has them.",
	  cmd_catalog_show_opts },
	{ "decision ingest", cmd_decision_ingest, "[FILE]", 0, 1,
	  "append NDJSON decision records to an AI system's decision log",
	  "Reads NDJSON from FILE (or standard input, also '-'; at most 1 GiB): one decision record per "
	  "line with the keys time (RFC 3339, required), model (name@version) and/or model_digest "
	  "(sha256:HEX), input_digest (sha256:HEX, required), output (any JSON, required), confidence "
	  "(0 to 1, at most 6 decimals), explanation (text or a reference) and review ({reviewer, action: "
	  "accept|override, reason}); other keys are refused, blank lines skipped. Every line is checked "
	  "first: a bad line is refused with its line number (exit 3) and nothing is appended. Records are "
	  "stored in their canonical form (docs/ledger.md) in the log of --system NAME beside the store, "
	  "created on first use; each batch is made durable with one fdatasync before it is acknowledged "
	  "(--progress prints 'acked N' on standard error then), and a checkpoint is signed at least every "
	  "second and at the end with the ledger key ('aims ledger setup'; exit 5 without one).\n"
	  "JSON: {\"system\", \"appended\", \"size\", \"checkpoint\": true}.",
	  cmd_decision_ingest_opts },
	{ "decision list", cmd_decision_list, "", 0, 0,
	  "list the AI systems that have a decision log",
	  "JSON: {\"systems\": [NAME]}.",
	  json_opt },
	{ "decision log", cmd_decision_log, "", 0, 0,
	  "print the records of an AI system's decision log",
	  "Prints each record of the log of --system NAME from --from I (default 0), at most --limit N: "
	  "its index, a tab and its canonical JSON; a pruned record shows its leaf hash only.\n"
	  "JSON: {\"system\", \"origin\", \"size\", \"entries\": [{\"index\", \"leaf_hash\", "
	  "\"pruned\", \"record\"}]}; `record` is null when pruned.",
	  cmd_decision_log_opts },
	{ "decision prune", cmd_decision_prune, "", 0, 0,
	  "drop decision record bodies older than the retention period, keeping the tree verifiable",
	  "Replaces every record of --system NAME whose time is more than the retention period (--days N, "
	  "default the log's, at least 183 days: EU AI Act Art. 19(1), 26(6)) before --now (default "
	  "now) by its leaf hash, so the tree, receipts and checkpoints still verify. A period under 183 "
	  "days is refused (exit 3).\n"
	  "JSON: {\"system\", \"pruned\"}.",
	  cmd_decision_prune_opts },
	{ "decision receipt", cmd_decision_receipt, "", 0, 0,
	  "write a C2SP tlog-proof receipt for one decision record",
	  "Writes a c2sp.org/tlog-proof for entry --index I of the log of --system NAME against its latest "
	  "signed checkpoint, with the record's canonical bytes as the proof's extra data, to --out FILE "
	  "or standard output. Exit 5 when no checkpoint covers the entry.",
	  cmd_decision_receipt_opts },
	{ "decision verify", cmd_decision_verify, "", 0, 0,
	  "recompute a decision log from its entries and check every tile and checkpoint",
	  "Recomputes the Merkle tree of --system NAME from its entries, compares every stored tile, and "
	  "checks every checkpoint (the latest and the history) against --vkey (default the ledger's "
	  "recorded verifier key): signature, origin and root. Exit 4 with the first entry that no longer "
	  "verifies when a byte of the entries or tiles was changed, removed, inserted or reordered.\n"
	  "JSON: {\"system\", \"verified\": true, \"entries\"}.",
	  cmd_decision_verify_opts },
	{ "decision verify-receipt", cmd_decision_verify_receipt, "FILE", 1, 1,
	  "check a decision receipt offline with only the verifier key",
	  "Checks the receipt FILE ('-' for standard input): the checkpoint's signature by a --vkey, and "
	  "the inclusion of the record (the receipt's extra data, or --entry FILE holding the canonical "
	  "record, which must then match) at its index. Needs no store. Exit 0 when it holds, 4 when "
	  "not, 3 when the receipt is malformed.",
	  cmd_decision_verify_receipt_opts },
	{ "doc approve", cmd_doc_approve, "ID", 1, 1,
	  "approve a document's draft as a new immutable version",
	  "Records the working copy of ID as approved version N (the next number) with its content digest "
	  "(SHA-256 of the canonical content, docs/documents.md), the approver (--approver NAME, required), "
	  "the approval date (--date, default today) and the next review date (approval date plus the review "
	  "interval). Refused with exit 3: no approver; a retired document; nothing to approve; for scope, AI "
	  "policy, risk criteria, RACI, concern reporting and objectives (four eyes), an approver who is the "
	  "author (the actor of the last edit, $AIMS_ACTOR or $USER). The audit trail gets an 'approve' entry.\n"
	  "JSON: the approved version, as in 'aims doc list'.",
	  cmd_doc_approve_opts },
	{ "doc diff", cmd_doc_diff, "ID", 1, 1,
	  "show what changed between two versions of a document (unified diff)",
	  "Compares title, owner, review interval, links and body of version --from V and version --to V "
	  "(a number, or 'draft' for the working copy, the default) line by line and prints a unified diff "
	  "with three lines of context. Without --from, the version before --to.",
	  cmd_doc_diff_opts },
	{ "doc due", cmd_doc_due, "", 0, 0,
	  "list documents past their review date",
	  "Lists approved, not retired documents whose next review date (latest approval plus the review "
	  "interval) is before --now (default today).\n"
	  "JSON: {\"due\": [DOCUMENT]}, each as in 'aims doc list'.",
	  cmd_doc_due_opts },
	{ "doc edit", cmd_doc_edit, "ID", 1, 1,
	  "change a document's working copy; an approved document gets a new draft",
	  "Changes the title, owner, review interval, links (--link/--unlink: a 42001 id such as 5.2 or A.2.2, "
	  "or iso27001-2022:ID for the 27001 document or control it extends; checked against the catalogs) or "
	  "the Markdown body (--body FILE, '-' for standard input). Editing an approved document starts draft "
	  "version N+1; approved versions never change: --version V naming an approved version is refused "
	  "(exit 3). The author becomes the acting user. The audit trail gets an 'update' entry.",
	  cmd_doc_edit_opts },
	{ "doc export", cmd_doc_export, "", 0, 0,
	  "write every document as a printable HTML page, with an index",
	  "Writes --html DIR/ID.html for each document (its working copy, with status, version, approval and "
	  "review dates, links and digest, and the Markdown body rendered safely) and DIR/index.html listing "
	  "id, title, type, status, latest approved version, approver, approval date and next review. Pages "
	  "are self-contained (inline CSS, no scripts) and print on A4.",
	  cmd_doc_export_opts },
	{ "doc list", cmd_doc_list, "", 0, 0,
	  "list the controlled documents",
	  "One row per document: id, type, status, version (* marks a draft's number), approver, approval "
	  "date and next review of the latest approved version, title.\n"
	  "JSON: {\"documents\": [DOCUMENT]}; a DOCUMENT is {\"id\", \"type\", \"title\", \"owner\", \"status\", \"version\", "
	  "\"latest_approved\", \"author\", \"approver\", \"approved_at\", \"next_review\", \"review_months\", "
	  "\"links\": [\"FRAMEWORK:ID\"], \"digest\", \"updated_at\"}; unset values are null.",
	  cmd_doc_list_opts },
	{ "doc new", cmd_doc_new, "", 0, 0,
	  "create a controlled document, from a template written for aims",
	  "Creates draft version 1 of a document of --type (scope, ai-policy, risk-criteria, raci, "
	  "concern-reporting, objectives, procedure) owned by --owner. The body comes from --body FILE or "
	  "from the template (--template NAME, default the type's own), filled with the organization's name "
	  "(org.name) and the AI systems in the inventory ('no AI systems recorded yet' until there are any); "
	  "the template also sets the title, review interval and links to the requirements the document "
	  "satisfies. The id is DOC-NNN unless --id is given. See docs/documents.md.\n"
	  "JSON: the new document, as in 'aims doc list'.",
	  cmd_doc_new_opts },
	{ "doc retire", cmd_doc_retire, "ID", 1, 1,
	  "retire a document: it stays readable but is no longer in force",
	  "A retired document cannot be edited or approved and is never due for review; its approved "
	  "versions stay readable. The audit trail gets a 'retire' entry.",
	  NULL },
	{ "doc show", cmd_doc_show, "ID", 1, 1,
	  "show a document: metadata, approved versions and body",
	  "Shows the working copy, or approved version --version V, with --html FILE also as a printable page.\n"
	  "JSON: a document as in 'aims doc list' plus \"body\" (Markdown) and \"versions\": [{\"version\", "
	  "\"approver\", \"approved_at\", \"next_review\", \"author\", \"digest\"}].",
	  cmd_doc_show_opts },
	{ "doc submit", cmd_doc_submit, "ID", 1, 1,
	  "mark a draft as in review",
	  "Moves the draft of ID to in-review; editing it again makes it a draft. Approval works from either.",
	  NULL },
	{ "gap", cmd_gap, "", 0, 0,
	  "ISO 27001 -> ISO 42001 gap analysis: what the ISMS covers, what to reuse, what to add",
	  "For every ISO/IEC 42001 requirement (clauses at the deepest level and the 38 Annex A controls) "
	  "computes covered, partial or gap from the 27001 -> 42001 crosswalk and the imported ISMS state "
	  "(aims isms import), lists the 27001 controls and evidence that can be reused and what the AI "
	  "requirement adds. A requirement is covered when an implemented 27001 control fully supports it "
	  "(equal-to, equivalent-to, superset-of), partial when an implemented control partly supports it "
	  "(subset-of, intersects-with) or a partly implemented one supports it, else a gap; see "
	  "docs/gap-analysis.md. Annex A controls excluded in the 42001 SoA are counted as excluded.\n"
	  "JSON: {\"isms\": {\"version\", \"source\", \"imported_at\", \"digest\"}, \"summary\": "
	  "{\"requirements\", \"covered\", \"partial\", \"gap\", \"excluded\", \"reuse_ratio\"}, "
	  "\"groups\": [{\"group\", \"title\", \"requirements\", \"covered\", \"partial\", \"gap\", "
	  "\"excluded\"}], \"items\": [{\"id\", \"kind\", \"title\", \"group\", \"status\", "
	  "\"applicable\", \"supported_by\": [{\"control\", \"title\", \"relationship\", \"confidence\", "
	  "\"status\", \"applicable\", \"contribution\"}], \"reusable_evidence\": [], \"to_add\"}]}. "
	  "reuse_ratio = (covered + partial) / (requirements - excluded).",
	  cmd_gap_opts },
	{ "help", cmd_help, "[COMMAND...]", 0, -1,
	  "show help for aims or for one command",
	  "Without arguments, lists the commands. With a command name (e.g. 'aims help catalog show'), "
	  "prints its usage and options. 'aims help --man' prints the aims(1) manual page in troff.",
	  cmd_help_opts },
	{ "init", cmd_init, "", 0, 0,
	  "create the store and load the framework catalogs and crosswalks",
	  "Creates the store named by --db (or AIMS_DB, else ./aims.db) if it does not exist, "
	  "brings its schema up to date, and loads the framework catalogs: the ones built into aims, "
	  "or those in --catalogs DIR; then the crosswalk files among them, whose frameworks must "
	  "be in the store and whose ids must be theirs. Loading is one transaction: if any catalog "
	  "or crosswalk file is bad, nothing is loaded and the error names the file, line and "
	  "field. Running init again reloads the catalogs and crosswalks and keeps everything else.",
	  cmd_init_opts },
	{ "isms import", cmd_isms_import, "FILE", 1, 1,
	  "import the ISO/IEC 27001 ISMS state (statement of applicability) from CSV",
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
	  "readable. Needs the iso27001-2022 catalog ('aims init').",
	  NULL },
	{ "isms show", cmd_isms_show, "", 0, 0,
	  "show the ISMS state: each control's applicability, status, owner and evidence",
	  "Prints the latest imported ISMS version (or --version N): one row per control or clause "
	  "in file order, then the number of rows per status and how many Annex A controls have no "
	  "row. Excluded controls are counted as excluded, whatever their status.\n"
	  "JSON: {\"version\", \"framework\", \"imported_at\", \"source\", \"digest\", \"rows\", "
	  "\"controls\": [{\"control\", \"applicable\", \"status\", \"justification\", \"owner\", "
	  "\"evidence\": [REF], \"line\"}], \"summary\": {\"implemented\", \"partial\", \"planned\", "
	  "\"not-implemented\", \"excluded\", \"missing\": [CONTROL]}}; `missing` lists the Annex A "
	  "controls without a row; `justification` and `owner` are null when empty.",
	  cmd_isms_show_opts },
	{ "isms versions", cmd_isms_versions, "", 0, 0,
	  "list the imported ISMS versions",
	  "One line per import, oldest first: version, time, number of rows, SHA-256 of the file "
	  "and the file it came from.\n"
	  "JSON: {\"versions\": [{\"version\", \"framework\", \"imported_at\", \"source\", \"digest\", "
	  "\"rows\"}]}.",
	  json_opt },
	{ "ledger checkpoint", cmd_ledger_checkpoint, "", 0, 0,
	  "sign a checkpoint of the governance log now and print it",
	  "Prints the C2SP signed checkpoint note (origin, size, base64 root, signature) of the governance "
	  "log at its current size, signing one if none exists for that size. Write commands sign one "
	  "automatically once 'aims ledger setup' recorded a key.",
	  NULL },
	{ "ledger keygen", cmd_ledger_keygen, "", 0, 0,
	  "make an Ed25519 key pair for signing checkpoints and notes",
	  "Makes a new Ed25519 key named --name ORIGIN (the log's origin, e.g. example.com/aims: "
	  "non-empty, no spaces, no '+') and writes the signer key 'PRIVATE+KEY+name+keyid+key' to "
	  "--out FILE (default ./ORIGIN.key; a name with '/' needs --out). The file is created with "
	  "mode 0600 and never overwritten: if it exists, nothing is written and the exit status is "
	  "3. Prints the verifier key 'name+keyid+base64(0x01||public key)' (C2SP signed-note, as "
	  "Go's golang.org/x/mod/sumdb/note) on standard output; it is public and is what 'aims note "
	  "verify --vkey' takes. Nothing secret is printed. See docs/ledger.md.",
	  cmd_ledger_keygen_opts },
	{ "ledger log", cmd_ledger_log, "", 0, 0,
	  "show the audit trail: every write aims made",
	  "One entry per write (create, update, delete, import, load), appended in the same transaction: "
	  "time, actor (--actor is taken from $AIMS_ACTOR, else $USER), action, object type and id, and "
	  "digests of the new and previous state.\n"
	  "JSON: {\"log\", \"entries\": [{\"index\", \"time\", \"actor\", \"action\", \"object_type\", "
	  "\"object_id\", \"new_digest\", \"prev_digest\", \"pruned\"}]}.",
	  cmd_ledger_log_opts },
	{ "ledger prune", cmd_ledger_prune, "", 0, 0,
	  "drop audit entry bodies older than the retention period, keeping the tree verifiable",
	  "The retention period is at least 183 days (EU AI Act Art. 19(1), 26(6)); a shorter one is "
	  "refused. Pruned entries keep their leaf hash, so verification still passes. Decision logs are "
	  "pruned too, each with its own retention period unless --retention-days is given.",
	  cmd_ledger_prune_opts },
	{ "ledger setup", cmd_ledger_setup, "", 0, 0,
	  "record the key that signs this store's checkpoints",
	  "Records the path of a signer key file (from 'aims ledger keygen') and its verifier key in the "
	  "store, and signs a first checkpoint. The private key stays in its file.",
	  cmd_ledger_setup_opts },
	{ "ledger verify", cmd_ledger_verify, "", 0, 0,
	  "recompute the ledger's trees from their entries and check every checkpoint",
	  "Recomputes the governance log's Merkle tree from its entries, compares every stored tile, and "
	  "checks every checkpoint's signature (with --vkey, else the recorded verifier key) and root. Any "
	  "changed, removed, inserted or reordered byte is reported with the first entry that no longer "
	  "verifies (exit 4). Then does the same for every AI system's decision log (or only the one named "
	  "with --system).\n"
	  "JSON: {\"ok\", \"logs\": [{\"log\", \"entries\", \"checkpoints\", \"tiles\"}]} or "
	  "{\"ok\": false, \"error\", \"first_bad_entry\"}.",
	  cmd_ledger_verify_opts },
	{ "map list", cmd_map_list, "", 0, 0,
	  "list the crosswalks between frameworks in the store",
	  "Lists every crosswalk loaded into the store (by 'aims init', from the crosswalk files "
	  "among the catalogs) with its number of rows. A crosswalk relates requirements of one "
	  "framework to those of another in NIST IR 8477 terms, read as 'source REL target'.\n"
	  "JSON: {\"crosswalks\": [{\"from\", \"to\", \"title\", \"source\", \"licence\", "
	  "\"method\", \"notes\", \"rows\", \"digest\", \"loaded_at\"}]}; `notes` is present only "
	  "when the crosswalk has them.",
	  json_opt },
	{ "map path", cmd_map_path, "FRAMEWORK:ID FRAMEWORK[:ID]", 2, 2,
	  "follow crosswalk rows from a requirement to another framework",
	  "Prints every path of one or two crosswalk rows from the requirement FRAMEWORK:ID (e.g. "
	  "iso27001-2022:A.8.15) to the second requirement, or to any requirement of the second "
	  "framework when no ID is given. Rows are followed in both directions (read backwards, "
	  "subset-of becomes superset-of); a two-hop path goes through a third framework, and a "
	  "no-relationship row is not a path. A path's support is its weakest hop's: full "
	  "(equal-to, equivalent-to, superset-of) or partial (subset-of, intersects-with). Paths "
	  "are listed by hops, then strongest first. Exits 1 when there is no path, 5 when a "
	  "framework or requirement does not exist, 2 when an argument is not FRAMEWORK:ID.\n"
	  "JSON: {\"from\": {\"framework\", \"id\"}, \"to\": {\"framework\", \"id\"}, "
	  "\"paths\": [{\"support\": \"full\"|\"partial\", \"hops\": [{\"from\", \"to\", "
	  "\"relationship\", \"confidence\", \"explanation\"}]}]}; hop ends are \"FRAMEWORK:ID\" "
	  "strings and `to.id` is null when only a framework was given.",
	  json_opt },
	{ "map show", cmd_map_show, "", 0, 0,
	  "show the rows of the crosswalk between two frameworks",
	  "Prints the rows of the crosswalk --from FRAMEWORK --to FRAMEWORK: source requirement, "
	  "relationship (source REL target), target requirement, confidence and explanation; a "
	  "no-relationship row has no source ('-'). When only the crosswalk the other way round "
	  "is stored it is shown inverted (sources and targets swapped, subset-of and superset-of "
	  "exchanged, no-relationship rows and 'adds' texts left out). With --target ID, only "
	  "the rows for that requirement and what it adds beyond the source framework.\n"
	  "JSON: {\"from\", \"to\", \"title\", \"source\", \"licence\", \"method\", \"notes\", "
	  "\"digest\", \"inverted\", \"mappings\": [{\"source\", \"target\", \"relationship\", "
	  "\"rationale\", \"confidence\", \"explanation\"}], \"targets\": [{\"id\", \"adds\"}]}; "
	  "`notes` is present only when the crosswalk has them, `source` is null on a "
	  "no-relationship row.",
	  cmd_map_show_opts },
	{ "merkle consistency", cmd_merkle_consistency, "", 0, 0,
	  "print the RFC 9162 consistency proof between two sizes of the tree of the leaves on stdin",
	  "Reads the leaves as 'aims merkle root' does and prints PROOF(M, D[N]) of RFC 9162 2.1.4.1 "
	  "for --old M (1 <= M <= N) and --size N (default: the number of leaves read). Exits 2 "
	  "when M is 0 or larger than N, 3 when the input is bad or has fewer than N leaves.\n"
	  "JSON: {\"old_size\": M, \"size\": N, \"old_root\": HEX, \"root\": HEX, \"proof\": [HEX]}; "
	  "`old_root` and `root` are the tree heads of the first M and N leaves and `proof` lists "
	  "the hashes in the order RFC 9162 2.1.4.2 verifies them (empty when M = N).",
	  cmd_merkle_consistency_opts },
	{ "merkle inclusion", cmd_merkle_inclusion, "", 0, 0,
	  "print the RFC 9162 inclusion proof of one leaf of the tree of the leaves on stdin",
	  "Reads the leaves as 'aims merkle root' does and prints PATH(I, D[N]) of RFC 9162 "
	  "2.1.3.1 for --index I (from 0) in the tree of --size N leaves (default: the number of "
	  "leaves read). Exits 2 when I >= N, 3 when the input is bad or has fewer than N leaves.\n"
	  "JSON: {\"size\": N, \"index\": I, \"leaf_hash\": HEX, \"root\": HEX, \"proof\": [HEX]}; "
	  "`leaf_hash` is SHA-256(0x00 || entry I), `root` the tree head of the first N leaves and "
	  "`proof` lists the hashes from the leaf up, as RFC 9162 2.1.3.2 verifies them.",
	  cmd_merkle_inclusion_opts },
	{ "merkle root", cmd_merkle_root, "", 0, 0,
	  "print the RFC 9162 Merkle tree head of the leaves on standard input",
	  "Reads one entry per line from standard input, written in hex (either case), and prints "
	  "MTH(D[n]) of RFC 9162 2.1.1 in lowercase hex: leaves are SHA-256(0x00 || entry), nodes "
	  "SHA-256(0x01 || left || right), and no input at all gives SHA-256 of the empty string. "
	  "An empty line is an empty entry; the newline ending the last line does not start "
	  "another; a CR before the newline is ignored. A line that is not hex exits 3 with its "
	  "line and column. No store is opened.",
	  NULL },
	{ "merkle verify-consistency", cmd_merkle_verify_consistency, "", 0, 0,
	  "check an RFC 9162 consistency proof between two tree heads",
	  "Runs the verification of RFC 9162 2.1.4.2 on --old M, --size N, --old-root, --root and "
	  "--proof (hashes separated by commas, '' for the empty proof). Exits 0 when the tree of "
	  "size M is a prefix of the tree of size N, 4 when the proof does not verify (the message "
	  "says why: wrong length, wrong root, M = 0 or M > N; equal sizes need an empty proof "
	  "and equal roots), 2 when an argument is malformed (not a number, not 64 hex digits).",
	  cmd_merkle_verify_consistency_opts },
	{ "merkle verify-inclusion", cmd_merkle_verify_inclusion, "", 0, 0,
	  "check an RFC 9162 inclusion proof of a leaf hash in a tree head",
	  "Runs the verification of RFC 9162 2.1.3.2 on --index I, --size N, --leaf-hash, --root "
	  "and --proof (hashes from the leaf up, separated by commas, '' for the empty proof). "
	  "Exits 0 when the leaf is at index I of the tree, 4 when the proof does not verify (the "
	  "message says why: I >= N, wrong length, wrong root), 2 when an argument is malformed "
	  "(not a number, not 64 hex digits).",
	  cmd_merkle_verify_inclusion_opts },
	{ "note sign", cmd_note_sign, "[FILE]", 0, 1,
	  "sign a text as a C2SP signed note",
	  "Reads the text from FILE (or standard input, also '-'): UTF-8 without control characters "
	  "other than newline, ending in a newline, at most 1 MiB. Prints the signed note: the text, "
	  "an empty line and the signature line: an em dash (U+2014), a space, the key name, a space and base64(keyid || Ed25519 signature). "
	  "--key is a signer key file from 'aims ledger keygen'; a file that group or others can "
	  "read, or a symbolic link, is refused (exit 3).",
	  cmd_note_sign_opts },
	{ "note verify", cmd_note_verify, "FILE", 1, 1,
	  "verify a C2SP signed note against trusted verifier keys",
	  "Parses the signed note in FILE ('-' for standard input) strictly (c2sp.org/signed-note) and "
	  "checks its signatures against the verifier keys given with --vkey (repeatable) or "
	  "--vkey-file. Signatures by other keys are ignored. Exits 0 when at least one signature by "
	  "a trusted key verifies and prints 'verified: signed by name+keyid' for each (or, with "
	  "--text, the verified text); 4 when a trusted key's signature does not verify or no "
	  "trusted key signed (the message says which); 3 when the note or a key is malformed; "
	  "5 when FILE does not exist.",
	  cmd_note_verify_opts },
	{ "org set", cmd_org_set, "", 0, 0,
	  "record facts about the organization",
	  "Sets the organization's name, sector and country (ISO 3166 code), used in reports. "
	  "Options not given keep their value.",
	  cmd_org_set_opts },
	{ "org show", cmd_org_show, "", 0, 0,
	  "show the organization's recorded facts",
	  "JSON: {\"name\", \"sector\", \"country\"}; unset facts are null.",
	  json_opt },
	{ "soa", cmd_soa, "", 0, 0,
	  "the ISO 42001 Statement of Applicability: the 38 Annex A controls",
	  "Lists every ISO/IEC 42001 Annex A control with its applicability, the justification for "
	  "including or excluding it, implementation status, owner, ISMS support from the gap analysis and "
	  "the evidence and risks linked to it. Controls not yet decided are shown as undecided.\n"
	  "JSON: {\"framework\", \"controls\": [{\"control\", \"title\", \"group\", \"decided\", "
	  "\"applicable\", \"justification\", \"status\", \"owner\", \"updated_at\", \"gap\", "
	  "\"evidence\": [], \"risks\": []}]}. CSV columns: control, title, group, applicable, justification, "
	  "status, owner, gap, evidence, risks.",
	  cmd_soa_opts },
	{ "soa set", cmd_soa_set, "CONTROL", 1, 1,
	  "record applicability, justification, status or owner of a 42001 Annex A control",
	  "Excluding a control (--applicable no) needs a justification. Options not given keep their value.",
	  cmd_soa_set_opts },
	{ "status", cmd_status, "", 0, 0,
	  "summarize the store: organization, schema, frameworks and content digest",
	  "A first report: the organization, the store and its schema version, each framework with "
	  "its requirement counts by kind, and the SHA-256 digest of the store's content.\n"
	  "JSON: {\"organization\": {\"name\", \"sector\", \"country\"}, \"store\": {\"backend\", "
	  "\"location\", \"schema_version\", \"content_digest\"}, \"frameworks\": [{\"framework\", "
	  "\"title\", \"version\", \"requirements\", \"kinds\": {KIND: COUNT}}], \"crosswalks\": N, "
	  "\"isms\": {\"version\", \"source\", \"imported_at\", \"rows\"} or null}.",
	  json_opt },
	{ "version", cmd_version, "", 0, 0,
	  "print the version of aims and of its store schema",
	  "JSON: {\"version\", \"schema\"}.",
	  json_opt },
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
			fprintf(out, "  %-22s %s\n", cli_commands[i].name, cli_commands[i].summary);
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

	memset(&ctx, 0, sizeof(ctx));
	ctx.args = pos;
	ctx.db = getenv("AIMS_DB");

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
		const cli_opt *o = find_opt(cmd->opts, name, nlen);
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
	if (ctx.json && !find_opt(cmd->opts, "json", 4)) {
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
