/*
 * Numbered schema migrations. Each runs once, in order, in its own
 * transaction, when a store is opened; the applied versions are recorded in
 * aims_schema. Never edit a released migration: add a new one. SQL here is
 * the subset SQLite and PostgreSQL share.
 */
#include "store_internal.h"

const aims__migration aims__migrations[] = {
	{ 1, "settings and framework catalogs",
	  "CREATE TABLE settings ("
	  "  key TEXT PRIMARY KEY,"
	  "  value TEXT NOT NULL);"
	  "CREATE TABLE frameworks ("
	  "  id TEXT PRIMARY KEY,"
	  "  title TEXT NOT NULL,"
	  "  version TEXT NOT NULL,"
	  "  publisher TEXT NOT NULL,"
	  "  source TEXT NOT NULL,"
	  "  licence TEXT NOT NULL,"
	  "  notes TEXT,"
	  "  digest TEXT NOT NULL,"
	  "  loaded_at TEXT NOT NULL);"
	  "CREATE TABLE requirements ("
	  "  framework TEXT NOT NULL REFERENCES frameworks(id),"
	  "  id TEXT NOT NULL,"
	  "  seq INTEGER NOT NULL,"
	  "  kind TEXT NOT NULL,"
	  "  title TEXT NOT NULL,"
	  "  parent TEXT,"
	  "  summary TEXT,"
	  "  body TEXT,"
	  "  chapter TEXT,"
	  "  PRIMARY KEY (framework, id));"
	  "CREATE INDEX requirements_seq ON requirements(framework, seq);"
	  "CREATE INDEX requirements_parent ON requirements(framework, parent);" },
	{ 2, "crosswalks, ISMS state and the ISO 42001 statement of applicability",
	  "CREATE TABLE crosswalks ("
	  "  from_fw TEXT NOT NULL REFERENCES frameworks(id),"
	  "  to_fw TEXT NOT NULL REFERENCES frameworks(id),"
	  "  title TEXT NOT NULL,"
	  "  source TEXT NOT NULL,"
	  "  licence TEXT NOT NULL,"
	  "  method TEXT NOT NULL,"
	  "  notes TEXT,"
	  "  digest TEXT NOT NULL,"
	  "  loaded_at TEXT NOT NULL,"
	  "  PRIMARY KEY (from_fw, to_fw));"
	  "CREATE TABLE crosswalk_targets ("
	  "  from_fw TEXT NOT NULL,"
	  "  to_fw TEXT NOT NULL,"
	  "  target TEXT NOT NULL,"
	  "  adds TEXT NOT NULL,"
	  "  PRIMARY KEY (from_fw, to_fw, target),"
	  "  FOREIGN KEY (from_fw, to_fw) REFERENCES crosswalks(from_fw, to_fw));"
	  "CREATE TABLE crosswalk_mappings ("
	  "  from_fw TEXT NOT NULL,"
	  "  to_fw TEXT NOT NULL,"
	  "  seq INTEGER NOT NULL,"
	  "  source TEXT,"
	  "  target TEXT NOT NULL,"
	  "  relationship TEXT NOT NULL,"
	  "  rationale TEXT NOT NULL,"
	  "  confidence TEXT NOT NULL,"
	  "  explanation TEXT NOT NULL,"
	  "  PRIMARY KEY (from_fw, to_fw, seq),"
	  "  FOREIGN KEY (from_fw, to_fw) REFERENCES crosswalks(from_fw, to_fw));"
	  "CREATE INDEX crosswalk_mappings_target ON crosswalk_mappings(to_fw, target);"
	  "CREATE INDEX crosswalk_mappings_source ON crosswalk_mappings(from_fw, source);"
	  "CREATE TABLE isms_versions ("
	  "  version INTEGER PRIMARY KEY,"
	  "  framework TEXT NOT NULL REFERENCES frameworks(id),"
	  "  imported_at TEXT NOT NULL,"
	  "  source TEXT NOT NULL,"
	  "  digest TEXT NOT NULL,"
	  "  nrows INTEGER NOT NULL);"
	  "CREATE TABLE isms_controls ("
	  "  version INTEGER NOT NULL REFERENCES isms_versions(version),"
	  "  control TEXT NOT NULL,"
	  "  applicable INTEGER NOT NULL,"
	  "  status TEXT NOT NULL,"
	  "  justification TEXT,"
	  "  owner TEXT,"
	  "  line INTEGER NOT NULL,"
	  "  PRIMARY KEY (version, control));"
	  "CREATE TABLE isms_evidence ("
	  "  version INTEGER NOT NULL,"
	  "  control TEXT NOT NULL,"
	  "  seq INTEGER NOT NULL,"
	  "  ref TEXT NOT NULL,"
	  "  PRIMARY KEY (version, control, seq),"
	  "  FOREIGN KEY (version, control) REFERENCES isms_controls(version, control));"
	  "CREATE TABLE soa_controls ("
	  "  control TEXT PRIMARY KEY,"
	  "  applicable INTEGER NOT NULL,"
	  "  justification TEXT,"
	  "  status TEXT NOT NULL,"
	  "  owner TEXT,"
	  "  updated_at TEXT NOT NULL);" },
	{ 3, "evidence ledger: logs, governance entries, tiles, checkpoints",
	  "CREATE TABLE ledger_logs ("
	  "  id TEXT PRIMARY KEY,"            /* 'governance' or 'decision/<system>' */
	  "  kind TEXT NOT NULL,"             /* governance | decision */
	  "  origin TEXT NOT NULL,"           /* checkpoint origin line */
	  "  retention_days INTEGER NOT NULL,"
	  "  created_at TEXT NOT NULL);"
	  "CREATE TABLE ledger_entries ("
	  "  log TEXT NOT NULL REFERENCES ledger_logs(id),"
	  "  idx INTEGER NOT NULL,"
	  "  time TEXT NOT NULL,"
	  "  actor TEXT NOT NULL,"
	  "  action TEXT NOT NULL,"
	  "  object_type TEXT NOT NULL,"
	  "  object_id TEXT NOT NULL,"
	  "  new_digest TEXT,"
	  "  prev_digest TEXT,"
	  "  body BLOB,"                      /* canonical bytes; NULL once pruned */
	  "  leaf_hash BLOB NOT NULL,"
	  "  PRIMARY KEY (log, idx));"
	  "CREATE INDEX ledger_entries_object ON ledger_entries(log, object_type, object_id);"
	  "CREATE TABLE ledger_tiles ("
	  "  log TEXT NOT NULL REFERENCES ledger_logs(id),"
	  "  level INTEGER NOT NULL,"
	  "  idx INTEGER NOT NULL,"
	  "  data BLOB NOT NULL,"             /* width * 32 bytes */
	  "  PRIMARY KEY (log, level, idx));"
	  "CREATE TABLE ledger_checkpoints ("
	  "  log TEXT NOT NULL REFERENCES ledger_logs(id),"
	  "  size INTEGER NOT NULL,"
	  "  note TEXT NOT NULL,"             /* the signed checkpoint, C2SP signed note */
	  "  created_at TEXT NOT NULL,"
	  "  PRIMARY KEY (log, size));" },
	{ 4, "controlled documents: working copies and approved versions",
	  "CREATE TABLE documents ("
	  "  id TEXT PRIMARY KEY,"
	  "  seq INTEGER NOT NULL,"           /* creation order, for DOC-NNN ids */
	  "  type TEXT NOT NULL,"
	  "  title TEXT NOT NULL,"
	  "  owner TEXT NOT NULL,"
	  "  author TEXT NOT NULL,"           /* actor of the last change to the working copy */
	  "  status TEXT NOT NULL,"           /* draft | in-review | approved | retired */
	  "  review_months INTEGER NOT NULL,"
	  "  links TEXT NOT NULL,"            /* FRAMEWORK:ID, one per line, sorted */
	  "  body TEXT NOT NULL,"             /* Markdown */
	  "  version INTEGER NOT NULL,"       /* latest approved version, 0 if none */
	  "  created_at TEXT NOT NULL,"
	  "  updated_at TEXT NOT NULL);"
	  "CREATE TABLE document_versions ("
	  "  doc TEXT NOT NULL REFERENCES documents(id),"
	  "  version INTEGER NOT NULL,"
	  "  type TEXT NOT NULL,"
	  "  title TEXT NOT NULL,"
	  "  owner TEXT NOT NULL,"
	  "  author TEXT NOT NULL,"
	  "  approver TEXT NOT NULL,"
	  "  approved_at TEXT NOT NULL,"      /* YYYY-MM-DD */
	  "  next_review TEXT NOT NULL,"      /* YYYY-MM-DD */
	  "  review_months INTEGER NOT NULL,"
	  "  links TEXT NOT NULL,"
	  "  body TEXT NOT NULL,"
	  "  digest TEXT NOT NULL,"           /* sha256: of the canonical content */
	  "  recorded_at TEXT NOT NULL,"
	  "  PRIMARY KEY (doc, version));" },
};

const size_t aims__migration_count = sizeof(aims__migrations) / sizeof(aims__migrations[0]);
