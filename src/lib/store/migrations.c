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
	{ 5, "AI systems and deployments",
	  "CREATE TABLE ai_systems ("
	  "  name TEXT PRIMARY KEY,"
	  "  seq INTEGER NOT NULL,"           /* creation order */
	  "  purpose TEXT,"
	  "  intended_use TEXT,"
	  "  misuse TEXT,"                    /* reasonably foreseeable misuse */
	  "  owner TEXT,"
	  "  lifecycle TEXT NOT NULL,"
	  "  role TEXT NOT NULL,"             /* EU AI Act: provider | deployer | both */
	  "  oversight TEXT NOT NULL,"        /* human-oversight mode */
	  "  affected_groups TEXT,"
	  "  status TEXT NOT NULL,"           /* active | retired */
	  "  version INTEGER NOT NULL,"       /* record version, +1 on every change */
	  "  digest TEXT NOT NULL,"           /* sha256: of the canonical record */
	  "  created_at TEXT NOT NULL,"
	  "  updated_at TEXT NOT NULL);"
	  "CREATE TABLE ai_system_versions ("
	  "  name TEXT NOT NULL REFERENCES ai_systems(name),"
	  "  version INTEGER NOT NULL,"
	  "  record TEXT NOT NULL,"           /* canonical JSON of the record (docs/inventory.md) */
	  "  digest TEXT NOT NULL,"
	  "  actor TEXT NOT NULL,"
	  "  recorded_at TEXT NOT NULL,"
	  "  PRIMARY KEY (name, version));"
	  "CREATE TABLE deployments ("
	  "  system TEXT NOT NULL REFERENCES ai_systems(name),"
	  "  seq INTEGER NOT NULL,"           /* 1, 2, ... per system */
	  "  model TEXT NOT NULL,"            /* model name */
	  "  model_version TEXT NOT NULL,"
	  "  env TEXT NOT NULL,"
	  "  deployed_at TEXT NOT NULL,"      /* RFC 3339 UTC */
	  "  deployed_by TEXT NOT NULL,"
	  "  notes TEXT,"
	  "  digest TEXT NOT NULL,"
	  "  recorded_at TEXT NOT NULL,"
	  "  PRIMARY KEY (system, seq));"
	  "CREATE INDEX deployments_model ON deployments(model, model_version);" },
	{ 6, "datasets, models, training runs and the lineage graph",
	  "CREATE TABLE datasets ("
	  "  namespace TEXT NOT NULL,"        /* '' for datasets registered by hand */
	  "  name TEXT NOT NULL,"
	  "  version TEXT NOT NULL,"          /* '' when the source gave none */
	  "  seq INTEGER NOT NULL,"
	  "  digest TEXT,"                    /* sha256: of the bytes; NULL when known from lineage only */
	  "  size INTEGER,"
	  "  file TEXT,"
	  "  source TEXT,"
	  "  licence TEXT,"
	  "  collection TEXT,"
	  "  personal_data TEXT,"             /* yes | no | NULL (not recorded) */
	  "  limitations TEXT,"
	  "  biases TEXT,"
	  "  motivation TEXT,"
	  "  preprocessing TEXT,"
	  "  uses TEXT,"
	  "  distribution TEXT,"
	  "  maintenance TEXT,"
	  "  origin TEXT NOT NULL,"           /* register | openlineage | mlflow */
	  "  record_version INTEGER NOT NULL,"
	  "  created_at TEXT NOT NULL,"
	  "  updated_at TEXT NOT NULL,"
	  "  PRIMARY KEY (namespace, name, version));"
	  "CREATE INDEX datasets_name ON datasets(name);"
	  "CREATE TABLE dataset_facets ("
	  "  namespace TEXT NOT NULL,"
	  "  name TEXT NOT NULL,"
	  "  version TEXT NOT NULL,"
	  "  facet TEXT NOT NULL,"
	  "  value TEXT NOT NULL,"            /* the facet's JSON as delivered */
	  "  event_time TEXT NOT NULL,"       /* of the event that set it: the latest wins */
	  "  event TEXT NOT NULL,"            /* digest of that event */
	  "  PRIMARY KEY (namespace, name, version, facet));"
	  "CREATE TABLE models ("
	  "  name TEXT NOT NULL,"
	  "  version TEXT NOT NULL,"
	  "  seq INTEGER NOT NULL,"
	  "  digest TEXT,"                    /* file digest, or manifest digest of a directory */
	  "  kind TEXT,"                      /* file | dir | NULL (no artifact recorded) */
	  "  framework TEXT,"
	  "  licence TEXT,"
	  "  run TEXT,"                       /* training run id */
	  "  source TEXT,"
	  "  description TEXT,"
	  "  tags TEXT,"                      /* JSON object */
	  "  aliases TEXT,"                   /* JSON array */
	  "  origin TEXT NOT NULL,"
	  "  record_version INTEGER NOT NULL,"
	  "  created_at TEXT NOT NULL,"
	  "  updated_at TEXT NOT NULL,"
	  "  PRIMARY KEY (name, version));"
	  "CREATE TABLE model_files ("
	  "  name TEXT NOT NULL,"
	  "  version TEXT NOT NULL,"
	  "  path TEXT NOT NULL,"             /* relative, '/' separated */
	  "  digest TEXT NOT NULL,"
	  "  size INTEGER NOT NULL,"
	  "  PRIMARY KEY (name, version, path),"
	  "  FOREIGN KEY (name, version) REFERENCES models(name, version));"
	  "CREATE TABLE runs ("
	  "  id TEXT PRIMARY KEY,"
	  "  seq INTEGER NOT NULL,"
	  "  job_namespace TEXT,"
	  "  job_name TEXT,"
	  "  state TEXT,"                     /* START | RUNNING | COMPLETE | FAIL | ABORT | OTHER */
	  "  started_at TEXT,"
	  "  ended_at TEXT,"
	  "  code_version TEXT,"
	  "  parameters TEXT,"                /* JSON */
	  "  facets TEXT,"                    /* JSON: run facets, latest event wins per facet */
	  "  job_facets TEXT,"
	  "  origin TEXT NOT NULL,"
	  "  record_version INTEGER NOT NULL,"
	  "  created_at TEXT NOT NULL,"
	  "  updated_at TEXT NOT NULL);"
	  "CREATE TABLE lineage_events ("
	  "  digest TEXT PRIMARY KEY,"        /* sha256: of the canonical event */
	  "  run_id TEXT NOT NULL,"
	  "  event_type TEXT NOT NULL,"
	  "  event_time TEXT NOT NULL,"       /* normalized UTC, microseconds */
	  "  body TEXT NOT NULL);"            /* the event, canonical JSON */
	  "CREATE INDEX lineage_events_run ON lineage_events(run_id);"
	  "CREATE TABLE lineage_nodes ("
	  "  key TEXT PRIMARY KEY,"           /* canonical JSON [type, namespace, name, version] */
	  "  type TEXT NOT NULL,"             /* system | model | dataset | run | job */
	  "  namespace TEXT NOT NULL,"
	  "  name TEXT NOT NULL,"
	  "  version TEXT NOT NULL);"
	  "CREATE INDEX lineage_nodes_name ON lineage_nodes(type, name);"
	  "CREATE TABLE lineage_edges ("
	  "  src TEXT NOT NULL REFERENCES lineage_nodes(key),"
	  "  relation TEXT NOT NULL,"         /* used | wasGeneratedBy | wasDerivedFrom | wasAssociatedWith */
	  "  dst TEXT NOT NULL REFERENCES lineage_nodes(key),"
	  "  PRIMARY KEY (src, relation, dst));"
	  "CREATE INDEX lineage_edges_dst ON lineage_edges(dst);" },
	{ 7, "evaluation results (fairness, performance, drift) as evidence",
	  "CREATE TABLE eval_results ("
	  "  id TEXT PRIMARY KEY,"            /* EVAL-0001 */
	  "  seq INTEGER NOT NULL,"
	  "  system TEXT NOT NULL REFERENCES ai_systems(name),"
	  "  kind TEXT NOT NULL,"             /* fairness | performance | drift */
	  "  tool_version TEXT NOT NULL,"
	  "  inputs TEXT NOT NULL,"           /* JSON array of {name, sha256, rows} */
	  "  params TEXT NOT NULL,"           /* JSON object */
	  "  results TEXT NOT NULL,"          /* JSON object */
	  "  controls TEXT NOT NULL,"         /* 42001 control ids, space-separated */
	  "  summary TEXT NOT NULL,"
	  "  digest TEXT NOT NULL,"           /* sha256: of the canonical record */
	  "  recorded_at TEXT NOT NULL);"
	  "CREATE INDEX eval_results_system ON eval_results(system, seq);"
	  "CREATE TABLE eval_controls ("
	  "  eval TEXT NOT NULL REFERENCES eval_results(id),"
	  "  control TEXT NOT NULL,"          /* iso42001 Annex A id, e.g. A.6.2.4 */
	  "  PRIMARY KEY (eval, control));"
	  "CREATE INDEX eval_controls_control ON eval_controls(control);" },
	{ 8, "AI risk criteria and register, impact assessments, EU AI Act classifications and obligations",
	  "CREATE TABLE risk_criteria ("
	  "  version INTEGER PRIMARY KEY,"
	  "  likelihood_max INTEGER NOT NULL,"
	  "  impact_max INTEGER NOT NULL,"
	  "  score_fn TEXT NOT NULL,"         /* product | sum | max */
	  "  appetite INTEGER NOT NULL,"
	  "  tolerance INTEGER NOT NULL,"
	  "  note TEXT,"
	  "  digest TEXT NOT NULL,"
	  "  actor TEXT NOT NULL,"
	  "  created_at TEXT NOT NULL);"
	  "CREATE TABLE risks ("
	  "  id TEXT PRIMARY KEY,"            /* RISK-NNN */
	  "  seq INTEGER NOT NULL,"
	  "  system TEXT NOT NULL,"
	  "  title TEXT NOT NULL,"
	  "  category TEXT NOT NULL,"
	  "  description TEXT,"
	  "  owner TEXT NOT NULL,"
	  "  likelihood INTEGER NOT NULL,"
	  "  impact INTEGER NOT NULL,"
	  "  score INTEGER NOT NULL,"
	  "  treatment TEXT,"                 /* modify | avoid | share | retain */
	  "  res_likelihood INTEGER,"
	  "  res_impact INTEGER,"
	  "  res_score INTEGER,"
	  "  review_date TEXT,"               /* YYYY-MM-DD */
	  "  source TEXT NOT NULL,"           /* manual | library:KEY */
	  "  created_at TEXT NOT NULL,"
	  "  updated_at TEXT NOT NULL);"
	  "CREATE INDEX risks_system ON risks(system, seq);"
	  "CREATE TABLE risk_actions ("
	  "  risk TEXT NOT NULL REFERENCES risks(id),"
	  "  seq INTEGER NOT NULL,"
	  "  control TEXT NOT NULL,"          /* iso42001-2023 Annex A control */
	  "  action TEXT NOT NULL,"
	  "  PRIMARY KEY (risk, seq));"
	  "CREATE TABLE risk_acceptances ("
	  "  risk TEXT NOT NULL REFERENCES risks(id),"
	  "  seq INTEGER NOT NULL,"
	  "  accepted_by TEXT NOT NULL,"
	  "  accepted_at TEXT NOT NULL,"
	  "  note TEXT,"
	  "  snapshot TEXT NOT NULL,"         /* canonical JSON of the risk as accepted */
	  "  digest TEXT NOT NULL,"
	  "  invalidated_at TEXT,"
	  "  invalidated_by TEXT,"            /* what changed: score, treatment, model */
	  "  PRIMARY KEY (risk, seq));"
	  "CREATE TABLE risk_reviews ("
	  "  risk TEXT NOT NULL REFERENCES risks(id),"
	  "  seq INTEGER NOT NULL,"
	  "  reviewer TEXT NOT NULL,"
	  "  reviewed_at TEXT NOT NULL,"
	  "  note TEXT,"
	  "  next_review TEXT,"
	  "  PRIMARY KEY (risk, seq));"
	  "CREATE TABLE impact_assessments ("
	  "  id TEXT PRIMARY KEY,"            /* IA-NNN */
	  "  seq INTEGER NOT NULL,"
	  "  system TEXT NOT NULL,"
	  "  version INTEGER NOT NULL,"       /* per system */
	  "  answers TEXT NOT NULL,"          /* canonical JSON */
	  "  source TEXT NOT NULL,"           /* the answers file as given */
	  "  source_digest TEXT NOT NULL,"    /* sha256: of its bytes */
	  "  digest TEXT NOT NULL,"           /* sha256: of the canonical answers */
	  "  status TEXT NOT NULL,"           /* draft | approved | superseded */
	  "  author TEXT NOT NULL,"
	  "  approver TEXT,"
	  "  approved_at TEXT,"
	  "  snapshot TEXT,"                  /* the system at approval: intended use, model, data */
	  "  created_at TEXT NOT NULL,"
	  "  UNIQUE (system, version));"
	  "CREATE TABLE aiact_classifications ("
	  "  system TEXT NOT NULL,"
	  "  version INTEGER NOT NULL,"
	  "  answers TEXT NOT NULL,"          /* canonical JSON */
	  "  result TEXT NOT NULL,"           /* canonical JSON: tier, basis, obligations, ... */
	  "  tier TEXT NOT NULL,"
	  "  fria_required INTEGER NOT NULL,"
	  "  digest TEXT NOT NULL,"
	  "  actor TEXT NOT NULL,"
	  "  classified_at TEXT NOT NULL,"
	  "  PRIMARY KEY (system, version));"
	  "CREATE TABLE aiact_obligations ("
	  "  id TEXT PRIMARY KEY,"            /* OBL-NNN */
	  "  seq INTEGER NOT NULL,"
	  "  system TEXT NOT NULL,"
	  "  key TEXT NOT NULL,"
	  "  article TEXT NOT NULL,"
	  "  requirement TEXT NOT NULL,"      /* eu-ai-act-2024 catalog id */
	  "  role TEXT NOT NULL,"
	  "  description TEXT NOT NULL,"
	  "  status TEXT NOT NULL,"           /* open | in-progress | met | not-applicable */
	  "  evidence TEXT NOT NULL,"         /* references, one per line */
	  "  note TEXT,"
	  "  active INTEGER NOT NULL,"        /* 0 once a later classification no longer needs it */
	  "  updated_at TEXT NOT NULL,"
	  "  UNIQUE (system, key));" },
	{ 10, "crosswalk row roles; the date from which each EU AI Act obligation applies",
	  "ALTER TABLE crosswalk_mappings ADD COLUMN role TEXT;"   /* provider | deployer | both, NULL without roles */
	  "ALTER TABLE aiact_obligations ADD COLUMN applies_from TEXT;"  /* YYYY-MM-DD, Art. 113 */
	  /* obligations stored before: dated as the classifier dates them now (src/lib/risk/aiact.c): Chapters I
	   * and II 2025-02-02, Chapter V 2025-08-02, the high-risk obligations of a system whose latest
	   * classification is not under Art. 6(2) 2027-08-02 (Art. 6(1)), the rest 2026-08-02 */
	  "UPDATE aiact_obligations SET applies_from = CASE"
	  " WHEN key IN ('art4-ai-literacy', 'art5-prohibited-practice') THEN '2025-02-02'"
	  " WHEN key IN ('art53-gpai-documentation', 'art53-gpai-copyright-and-training-summary',"
	  "  'art55-systemic-risk') THEN '2025-08-02'"
	  " WHEN key IN ('art9-risk-management', 'art10-data-governance', 'art11-technical-documentation',"
	  "  'art12-record-keeping', 'art13-transparency-to-deployers', 'art14-human-oversight',"
	  "  'art15-accuracy-robustness-cybersecurity', 'art16-provider-obligations', 'art17-quality-management',"
	  "  'art18-documentation-keeping', 'art19-log-keeping', 'art26-use-and-oversight',"
	  "  'art26-input-data-and-monitoring', 'art26-log-keeping', 'art26-inform-workers',"
	  "  'art43-conformity-assessment', 'art47-declaration-of-conformity', 'art48-ce-marking',"
	  "  'art72-post-market-monitoring', 'art73-serious-incidents')"
	  "  AND NOT EXISTS (SELECT 1 FROM aiact_classifications c WHERE c.system = aiact_obligations.system"
	  "  AND c.version = (SELECT MAX(version) FROM aiact_classifications l WHERE l.system = c.system)"
	  "  AND c.result LIKE '%\"Article 6(2)\"%') THEN '2027-08-02'"
	  " ELSE '2026-08-02' END;" },
	{ 11, "accounts, roles, API tokens, sessions and sign-in throttling",
	  "CREATE TABLE accounts ("
	  "  name TEXT PRIMARY KEY,"
	  "  display_name TEXT,"
	  "  roles TEXT NOT NULL,"            /* comma list of role names, bit order */
	  "  status TEXT NOT NULL,"           /* active | disabled */
	  "  password_hash TEXT NOT NULL,"    /* argon2id, crypto_pwhash_str format */
	  "  password_changed_at TEXT,"       /* NULL until the initial password is changed */
	  "  created_at TEXT NOT NULL,"
	  "  created_by TEXT NOT NULL);"
	  "CREATE TABLE api_tokens ("
	  "  id TEXT PRIMARY KEY,"            /* public part of the token */
	  "  account TEXT NOT NULL REFERENCES accounts(name),"
	  "  hash TEXT NOT NULL,"             /* SHA-256 of the secret part, hex */
	  "  label TEXT,"
	  "  created_at TEXT NOT NULL,"
	  "  created_by TEXT NOT NULL,"
	  "  expires_at TEXT,"
	  "  revoked_at TEXT);"
	  "CREATE INDEX api_tokens_account ON api_tokens(account);"
	  "CREATE TABLE auth_sessions ("
	  "  id TEXT PRIMARY KEY,"            /* public part of the cookie */
	  "  account TEXT NOT NULL REFERENCES accounts(name),"
	  "  hash TEXT NOT NULL,"             /* SHA-256 of the secret part, hex */
	  "  csrf TEXT NOT NULL,"
	  "  created_at INTEGER NOT NULL,"
	  "  expires_at INTEGER NOT NULL,"    /* absolute end */
	  "  idle_until INTEGER NOT NULL,"
	  "  ended INTEGER NOT NULL);"
	  "CREATE INDEX auth_sessions_account ON auth_sessions(account);"
	  "CREATE TABLE auth_throttle ("
	  "  key TEXT PRIMARY KEY,"           /* 'account:NAME' or 'addr:ADDRESS' */
	  "  failures INTEGER NOT NULL,"
	  "  blocked_until INTEGER NOT NULL);" },
	{ 12, "decision logs: committed heads and ingested batches",
	  /* what a writer last committed to each decision log's files: the size, where
	   * it ends in `entries` and the root; pending_offset is set while an ingest is
	   * appending beyond it (docs/ledger.md, "Commits, foreign appends, recovery") */
	  "CREATE TABLE ledger_decision_heads ("
	  "  log TEXT PRIMARY KEY REFERENCES ledger_logs(id),"
	  "  size INTEGER,"                   /* NULL: a log from before this migration, adopted on open */
	  "  end_offset INTEGER,"
	  "  root BLOB,"                      /* 32 bytes: RFC 9162 root at size */
	  "  pending_offset INTEGER,"         /* an ingest in progress started at this offset */
	  "  pending_since TEXT,"
	  "  updated_at TEXT NOT NULL);"
	  "INSERT INTO ledger_decision_heads (log, updated_at) SELECT id, created_at FROM ledger_logs "
	  "  WHERE kind = 'decision';"
	  /* every committed ingest: its digest and idempotency key make a retry a no-op */
	  "CREATE TABLE ledger_decision_batches ("
	  "  log TEXT NOT NULL REFERENCES ledger_logs(id),"
	  "  seq INTEGER NOT NULL,"
	  "  idempotency_key TEXT,"
	  "  digest TEXT NOT NULL,"           /* sha256 over the batch's leaf hashes, in order */
	  "  first_index INTEGER NOT NULL,"
	  "  count INTEGER NOT NULL,"
	  "  actor TEXT NOT NULL,"
	  "  committed_at TEXT NOT NULL,"
	  "  PRIMARY KEY (log, seq),"
	  "  UNIQUE (log, idempotency_key));"
	  "CREATE INDEX ledger_decision_batches_digest ON ledger_decision_batches(log, digest);" },
	{ 13, "policies as code, lifecycle gates and exceptions, human review of AI decisions",
	  "CREATE TABLE policies ("
	  "  name TEXT NOT NULL,"
	  "  version INTEGER NOT NULL,"       /* 1, 2, ... per name */
	  "  status TEXT NOT NULL,"           /* active | retired (a retired version ends the policy) */
	  "  source TEXT NOT NULL,"           /* the policy file as named */
	  "  source_digest TEXT NOT NULL,"    /* sha256: of its bytes */
	  "  body TEXT NOT NULL,"             /* the file as given */
	  "  canonical TEXT NOT NULL,"        /* canonical JSON of the parsed policy */
	  "  digest TEXT NOT NULL,"           /* sha256: of the canonical JSON */
	  "  actor TEXT NOT NULL,"
	  "  created_at TEXT NOT NULL,"
	  "  PRIMARY KEY (name, version));"
	  "CREATE TABLE gate_requests ("
	  "  id TEXT PRIMARY KEY,"            /* GATE-0001 */
	  "  seq INTEGER NOT NULL,"
	  "  system TEXT NOT NULL REFERENCES ai_systems(name),"
	  "  model TEXT NOT NULL,"            /* NAME@VERSION */
	  "  model_digest TEXT,"              /* the model's artifact digest when requested */
	  "  stage TEXT NOT NULL,"            /* validation | approved | deployed | retired */
	  "  status TEXT NOT NULL,"           /* open | approved | rejected */
	  "  requester TEXT NOT NULL,"
	  "  note TEXT,"
	  "  policy TEXT,"                    /* the policy in force when requested, NAME@VERSION */
	  "  digest TEXT NOT NULL,"           /* sha256: of the canonical request */
	  "  requested_at TEXT NOT NULL,"
	  "  closed_at TEXT);"
	  "CREATE INDEX gate_requests_target ON gate_requests(system, model, stage, seq);"
	  "CREATE TABLE gate_approvals ("
	  "  request TEXT NOT NULL REFERENCES gate_requests(id),"
	  "  principal TEXT NOT NULL,"
	  "  roles TEXT NOT NULL,"            /* the principal's roles when it decided */
	  "  decision TEXT NOT NULL,"         /* approve | reject */
	  "  note TEXT,"
	  "  digest TEXT NOT NULL,"
	  "  decided_at TEXT NOT NULL,"
	  "  PRIMARY KEY (request, principal));"
	  "CREATE TABLE gate_exceptions ("
	  "  id TEXT PRIMARY KEY,"            /* EXC-0001 */
	  "  seq INTEGER NOT NULL,"
	  "  system TEXT NOT NULL REFERENCES ai_systems(name),"
	  "  model TEXT NOT NULL,"
	  "  stage TEXT NOT NULL,"
	  "  reason TEXT NOT NULL,"
	  "  expires TEXT NOT NULL,"          /* YYYY-MM-DD: valid through the end of that day (UTC) */
	  "  status TEXT NOT NULL,"           /* pending | active */
	  "  requester TEXT NOT NULL,"
	  "  policy TEXT NOT NULL,"           /* NAME@VERSION whose exception rule applies */
	  "  digest TEXT NOT NULL,"
	  "  requested_at TEXT NOT NULL,"
	  "  active_at TEXT);"
	  "CREATE TABLE gate_exception_approvals ("
	  "  exception TEXT NOT NULL REFERENCES gate_exceptions(id),"
	  "  principal TEXT NOT NULL,"
	  "  roles TEXT NOT NULL,"
	  "  digest TEXT NOT NULL,"
	  "  approved_at TEXT NOT NULL,"
	  "  PRIMARY KEY (exception, principal));"
	  "CREATE TABLE gate_checks ("
	  "  seq INTEGER PRIMARY KEY,"
	  "  system TEXT NOT NULL,"
	  "  model TEXT NOT NULL,"
	  "  stage TEXT NOT NULL,"
	  "  purpose TEXT NOT NULL,"          /* check | deploy */
	  "  allowed INTEGER NOT NULL,"
	  "  exception TEXT,"                 /* the exception that allowed it, if any */
	  "  result TEXT NOT NULL,"           /* canonical JSON of the check */
	  "  digest TEXT NOT NULL,"
	  "  actor TEXT NOT NULL,"
	  "  checked_at TEXT NOT NULL);"
	  "CREATE TABLE review_queue ("
	  "  seq INTEGER PRIMARY KEY,"        /* the item REV-NNNNNN is REV- and its seq */
	  "  system TEXT NOT NULL,"
	  "  entry INTEGER NOT NULL,"         /* index of the decision in the system's decision log */
	  "  leaf_hash TEXT NOT NULL,"        /* its RFC 9162 leaf hash, hex */
	  "  reasons INTEGER NOT NULL,"       /* rules that selected it: 1 confidence, 2 output, 4 input, 8 sample */
	  "  policy TEXT NOT NULL,"           /* NAME@VERSION */
	  "  status TEXT NOT NULL,"           /* pending | assigned | reviewed */
	  "  selected_at TEXT NOT NULL,"
	  "  assigned_to TEXT,"
	  "  assigned_at TEXT,"
	  "  reviewer TEXT,"
	  "  action TEXT,"                    /* accept | override */
	  "  reviewed_at TEXT,"
	  "  review_entry INTEGER,"           /* index of the review record in the decision log */
	  "  review_leaf_hash TEXT,"
	  "  UNIQUE (system, entry));"
	  "CREATE INDEX review_queue_status ON review_queue(status, system, seq);"
	  "CREATE TABLE oversight_reports ("
	  "  id TEXT PRIMARY KEY,"            /* OVR-0001 */
	  "  seq INTEGER NOT NULL,"
	  "  system TEXT NOT NULL REFERENCES ai_systems(name),"
	  "  since TEXT,"
	  "  until TEXT,"
	  "  metrics TEXT NOT NULL,"          /* canonical JSON of the review metrics */
	  "  evidence_for TEXT NOT NULL,"     /* requirement ids, space-separated: 9.1, Article 14, Article 26 */
	  "  digest TEXT NOT NULL,"
	  "  actor TEXT NOT NULL,"
	  "  recorded_at TEXT NOT NULL);"
	  "ALTER TABLE eval_results ADD COLUMN model TEXT;"          /* NAME@VERSION evaluated, or NULL */
	  "ALTER TABLE eval_results ADD COLUMN model_digest TEXT;" }, /* its artifact digest then */
	{ 14, "Check and Act: AI incidents, nonconformities, corrective actions; review marks",
	  "CREATE TABLE pdca_records ("
	  "  id TEXT PRIMARY KEY,"            /* INC-001, NC-001, CA-001 */
	  "  kind TEXT NOT NULL,"             /* incident | nonconformity | corrective-action (ledger object type) */
	  "  seq INTEGER NOT NULL,"           /* per kind */
	  "  parent TEXT,"                    /* a corrective action's nonconformity */
	  "  system TEXT,"                    /* the AI system concerned, or NULL */
	  "  owner TEXT,"                     /* the responsible principal */
	  "  status TEXT NOT NULL,"
	  "  due TEXT,"                       /* due date (YYYY-MM-DD) or reporting deadline (RFC 3339), or NULL */
	  "  body TEXT NOT NULL,"             /* canonical JSON of the record: what the ledger's digest names */
	  "  digest TEXT NOT NULL,"           /* sha256: of body */
	  "  version INTEGER NOT NULL,"       /* writes so far, from 1 */
	  "  created_at TEXT NOT NULL,"
	  "  created_by TEXT NOT NULL,"
	  "  updated_at TEXT NOT NULL,"
	  "  UNIQUE (kind, seq));"
	  "CREATE INDEX pdca_records_kind ON pdca_records(kind, status);"
	  "CREATE INDEX pdca_records_parent ON pdca_records(parent);"
	  "CREATE TABLE review_marks ("       /* objects an incident (or other record) asks to review again */
	  "  object_type TEXT NOT NULL,"      /* risk | impact-assessment */
	  "  object_id TEXT NOT NULL,"
	  "  source TEXT NOT NULL,"           /* e.g. incident:INC-001 */
	  "  reason TEXT NOT NULL,"
	  "  marked_at TEXT NOT NULL,"
	  "  marked_by TEXT NOT NULL,"
	  "  PRIMARY KEY (object_type, object_id, source));"
	  "CREATE TABLE concern_intake ("     /* rate limit of concerns submitted without an account */
	  "  key TEXT PRIMARY KEY,"           /* 'addr:ADDRESS' or 'all' */
	  "  win_start INTEGER NOT NULL,"     /* start of the hour counted, seconds since 1970 */
	  "  count INTEGER NOT NULL);" },
	{ 15, "decision logs kept in the store (PostgreSQL): entries, tiles, checkpoints",
	  /* where a log's entries live: 'files' beside a SQLite store, 'store' in these tables */
	  "ALTER TABLE ledger_logs ADD COLUMN storage TEXT NOT NULL DEFAULT 'files';"
	  "CREATE TABLE ledger_decision_entries ("
	  "  log TEXT NOT NULL REFERENCES ledger_logs(id),"
	  "  idx INTEGER NOT NULL,"           /* 0, 1, ... in log order */
	  "  body BLOB,"                      /* the canonical record; NULL once pruned (the tile keeps its leaf) */
	  "  PRIMARY KEY (log, idx));"
	  "CREATE TABLE ledger_decision_tiles ("  /* C2SP tlog-tiles: 32-byte hashes, width = length / 32 */
	  "  log TEXT NOT NULL REFERENCES ledger_logs(id),"
	  "  level INTEGER NOT NULL,"
	  "  idx INTEGER NOT NULL,"
	  "  data BLOB NOT NULL,"
	  "  PRIMARY KEY (log, level, idx));"
	  "CREATE TABLE ledger_decision_checkpoints ("  /* every checkpoint signed, in order */
	  "  log TEXT NOT NULL REFERENCES ledger_logs(id),"
	  "  seq INTEGER NOT NULL,"
	  "  size INTEGER NOT NULL,"
	  "  note TEXT NOT NULL,"             /* the signed note (C2SP signed-note) */
	  "  signed_at TEXT NOT NULL,"
	  "  PRIMARY KEY (log, seq));" },
	{ 16, "review selections written by an ingest as packs, one row per write",
	  /* what an ingest selected for review, as the lines its 'select' ledger entries digest; the
	   * first reading or writing of the queue moves them into review_queue (oversight/review.c) */
	  "CREATE TABLE review_packs ("
	  "  system TEXT NOT NULL,"
	  "  first_seq INTEGER NOT NULL,"     /* the queue number of the first line; the others follow it */
	  "  n INTEGER NOT NULL,"             /* lines */
	  "  first_entry INTEGER NOT NULL,"   /* the decision log's index of the first line and of the last */
	  "  last_entry INTEGER NOT NULL,"
	  "  policy TEXT NOT NULL,"           /* NAME@VERSION */
	  "  selected_at TEXT NOT NULL,"
	  "  lines TEXT NOT NULL,"            /* a line "INDEX LEAF_HASH REASONS\n" a selection */
	  "  PRIMARY KEY (system, first_seq));" },
};

const size_t aims__migration_count = sizeof(aims__migrations) / sizeof(aims__migrations[0]);
