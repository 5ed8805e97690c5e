/*
 * The AI inventory (ISO/IEC 42001 A.4, A.6.2.7, A.7.3-A.7.5, A.8.2): AI
 * systems, datasets, models, training runs and deployments, tied together
 * by a lineage graph with W3C PROV relations. Datasets and models are
 * content-addressed (SHA-256 of their bytes; a model directory has one
 * digest per file and a manifest digest) and their name@version is
 * immutable. Every write is a versioned record and appends an audit entry
 * to the governance log in the same transaction. Formats and rules:
 * docs/inventory.md.
 */
#ifndef AIMS_INVENTORY_H
#define AIMS_INVENTORY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- AI systems ---- */

/** Longest AI system name (characters [A-Za-z0-9._-], as aims_decision_name_valid). */
#define AIMS_SYSTEM_NAME_MAX 64

/** Whether `name` is a valid AI system name. */
int aims_system_name_valid(const char *name);

/** Allowed values, NULL-terminated. */
extern const char *const aims_system_lifecycles[]; /* idea design development validation deployed operating retired */
extern const char *const aims_system_roles[];      /* provider deployer both unspecified */
extern const char *const aims_system_oversights[]; /* human-in-the-loop human-on-the-loop human-in-command none unspecified */
extern const char *const aims_system_statuses[];   /* active suspended retired */

typedef struct {
	char *name;            /* [A-Za-z0-9._-], 1-64 chars (same rule as aims_decision_name_valid) */
	char *purpose, *intended_use, *misuse, *owner;
	char *lifecycle;       /* e.g. idea|design|development|validation|deployed|operating|retired */
	char *role;            /* EU AI Act role: provider|deployer|both */
	char *oversight;       /* human-oversight mode, e.g. human-in-the-loop|human-on-the-loop|human-in-command|none */
	char *affected_groups; /* free text / comma list */
	char *status;          /* active|retired ... */
	int64_t version;       /* record version, +1 on every change */
	char *created_at, *updated_at;
	char *digest;          /* "sha256:<hex>" of the canonical record (docs/inventory.md) */
} aims_system;

/** The JSON of a system record, as `aims system show --json` and GET /api/v1/systems/{name} give it. */
json_t *aims_system_json(const aims_system *s);

/** The system `name`; AIMS_ENOTFOUND naming the system. */
int aims_system_get(aims_system **out, aims_store *store, const char *name);
void aims_system_free(aims_system *sys);

/**
 * The model currently deployed for the system ("NAME@VERSION", in env `env`,
 * or in any env when env is NULL: the latest deployment); *model = NULL when
 * none. AIMS_ENOTFOUND when the system does not exist.
 */
int aims_system_current_model(char **model, aims_store *store, const char *system, const char *env);

/**
 * Fields for aims_system_add and aims_system_set. NULL leaves a field as it
 * is (add: the default: lifecycle "development", role and oversight
 * "unspecified", status "active"); "" clears an optional text field.
 */
typedef struct {
	unsigned int version;  /* AIMS_SYSTEM_FIELDS_VERSION */
	const char *purpose, *intended_use, *misuse, *owner;
	const char *lifecycle, *role, *oversight, *affected_groups, *status;
} aims_system_fields;

#define AIMS_SYSTEM_FIELDS_VERSION 1
#define AIMS_SYSTEM_FIELDS_INIT { AIMS_SYSTEM_FIELDS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/** Record a new AI system (version 1). AIMS_ECONFLICT if it exists. */
int aims_system_add(aims_store *store, const char *name, const aims_system_fields *f);

/** Change fields of a system (version + 1); a change to nothing is a no-op (*changed = 0). */
int aims_system_set(int *changed, aims_store *store, const char *name, const aims_system_fields *f);

typedef struct {
	aims_system **items;
	size_t count;
} aims_systems;

/** Every AI system, in creation order. */
int aims_system_list(aims_systems **out, aims_store *store);
void aims_systems_free(aims_systems *list);

/* ---- deployments ---- */

typedef struct {
	char *system;
	int64_t seq;           /* 1, 2, ... per system */
	char *model, *model_version, *env;
	char *deployed_at;     /* RFC 3339 */
	char *deployed_by;
	char *notes;           /* NULL if none */
	char *digest;
} aims_deployment;

typedef struct {
	aims_deployment *items;
	size_t count;
} aims_deployments;

/**
 * Record that model `model_ref` (NAME@VERSION, or NAME for its latest
 * version) was deployed for `system` in `env` at `when` (RFC 3339; NULL =
 * now) by the principal acting on the store. The model must be in the
 * inventory. *seq (may be NULL) receives the deployment's number.
 */
int aims_deploy_record(int64_t *seq, aims_store *store, const char *system, const char *model_ref,
		       const char *env, const char *when, const char *notes);

/** The JSON of a deployment. */
json_t *aims_deployment_json(const aims_deployment *d);

/** Deployments of `system` (NULL: all), oldest first. */
int aims_deploy_list(aims_deployments **out, aims_store *store, const char *system);
void aims_deployments_free(aims_deployments *list);

/* ---- content digests ---- */

/** Called while hashing: bytes done of total (total 0 when unknown). */
typedef void (*aims_hash_progress)(uint64_t done, uint64_t total, void *arg);

typedef struct {
	char *path;            /* relative to the artifact's root, '/' separated; a file: its base name */
	char digest[72];       /* "sha256:<hex>" */
	uint64_t size;
} aims_artifact_file;

/** The hashed content of a file or a directory (every regular file under it, sorted by path). */
typedef struct {
	int is_dir;
	aims_artifact_file *files;
	size_t count;
	char digest[72];       /* a file: its digest; a directory: the manifest digest (docs/inventory.md) */
	uint64_t total;        /* bytes */
} aims_artifact;

/** Hash the file (dir = 0) or directory (dir = 1) at `path`, streaming. */
int aims_artifact_hash(aims_artifact **out, const char *path, int dir, aims_hash_progress cb, void *arg);
void aims_artifact_free(aims_artifact *a);

/**
 * The in-toto Statement (v1) whose subjects are the artifact's files, with
 * the manifest digest and the model's name and version in the predicate.
 * *json is a NUL-terminated string (free with free()).
 */
int aims_artifact_statement(char **json, const aims_artifact *a, const char *name, const char *version);

/**
 * The JSON of a hashed artifact, as an operation request carries it instead
 * of the bytes (the command line hashes the local file or directory and
 * sends this): {"kind": "file"|"dir", "digest", "size", "files": [{"path",
 * "digest", "size"}]}.
 */
json_t *aims_artifact_json(const aims_artifact *a);

/**
 * The artifact described by `j` (as aims_artifact_json makes it; "digest"
 * and "size" may be left out). The files are checked (a file's path is a
 * base name, a directory's a relative path without '.' or '..' parts;
 * digests sha256:<64 lowercase hex>; each path once) and put in path order;
 * the digest is computed from them (a directory: the manifest) and must
 * equal "digest" when given. AIMS_EINVALID names the member under `field`
 * (e.g. "artifact.files[2].digest"; NULL: "artifact").
 */
int aims_artifact_from_json(aims_artifact **out, const json_t *j, const char *field);

/* ---- datasets ---- */

typedef struct {
	char *ns;              /* namespace: "" for datasets registered by hand */
	char *name, *version;  /* version "" when the source gave none */
	char *ref;             /* canonical reference, e.g. "dataset:loans@2024-06" */
	char *digest;          /* NULL when known from lineage only */
	int64_t size;          /* bytes; -1 when unknown */
	char *file;
	char *source, *licence, *collection, *personal_data, *limitations, *biases;
	char *motivation, *preprocessing, *uses, *distribution, *maintenance;
	char *origin;          /* register | openlineage | mlflow */
	char *facets;          /* JSON object of the OpenLineage facets, "{}" if none */
	int64_t record_version;
	char *created_at, *updated_at;
} aims_dataset;

typedef struct {
	unsigned int version;  /* AIMS_DATASET_FIELDS_VERSION */
	const char *ns;        /* NULL or "" */
	const char *source, *licence, *collection, *personal_data; /* personal_data: yes | no */
	const char *limitations, *biases, *motivation, *preprocessing, *uses, *distribution, *maintenance;
} aims_dataset_fields;

#define AIMS_DATASET_FIELDS_VERSION 1
#define AIMS_DATASET_FIELDS_INIT { AIMS_DATASET_FIELDS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, \
				   NULL, NULL, NULL, NULL }

/**
 * Register dataset `ref` (NAME@VERSION) with the hashed file `art`.
 * Registering the same name@version with the same digest again is a no-op
 * (*created = 0); with another digest AIMS_ECONFLICT. A dataset known only
 * from lineage (no digest) gets the digest and fields.
 */
int aims_dataset_register(int *created, aims_store *store, const char *ref, const aims_artifact *art,
			  const aims_dataset_fields *f);

/** A dataset by reference: NAME[@VER], NAMESPACE#NAME[@VER] (with or without "dataset:"). */
int aims_dataset_get(aims_dataset **out, aims_store *store, const char *ref);
void aims_dataset_free(aims_dataset *d);

/** The JSON of a dataset, as `aims dataset show --json` and GET /api/v1/dataset?ref= give it. */
json_t *aims_dataset_json(const aims_dataset *d);

typedef struct {
	aims_dataset **items;
	size_t count;
} aims_datasets;

int aims_dataset_list(aims_datasets **out, aims_store *store);
void aims_datasets_free(aims_datasets *list);

/**
 * Compare `art` with the registered bytes: 0 when equal, AIMS_ETAMPERED
 * naming the first differing file, AIMS_ENOTFOUND without a recorded digest.
 */
int aims_dataset_verify(aims_store *store, const char *ref, const aims_artifact *art);

/* ---- models ---- */

typedef struct {
	char *path, *digest;
	int64_t size;
} aims_model_file;

typedef struct {
	char *name, *version;
	char *ref;             /* "model:NAME@VERSION" */
	char *digest;          /* NULL when no artifact was recorded */
	char *kind;            /* file | dir | NULL */
	char *framework, *licence, *run, *source, *description;
	char *tags;            /* JSON object text, NULL if none */
	char *aliases;         /* JSON array text, NULL if none */
	char *origin;
	int64_t record_version;
	char *created_at, *updated_at;
	aims_model_file *files;
	size_t nfiles;
	char **trained_on;     /* dataset refs (wasDerivedFrom) */
	size_t ntrained_on;
} aims_model;

typedef struct {
	unsigned int version;  /* AIMS_MODEL_FIELDS_VERSION */
	const char *framework, *licence, *run, *source, *description;
	const char *const *trained_on;  /* dataset references, each must exist */
	size_t ntrained_on;
} aims_model_fields;

#define AIMS_MODEL_FIELDS_VERSION 1
#define AIMS_MODEL_FIELDS_INIT { AIMS_MODEL_FIELDS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0 }

/** Register model `ref` (NAME@VERSION) with its hashed artifact (same immutability rule as datasets). */
int aims_model_register(int *created, aims_store *store, const char *ref, const aims_artifact *art,
			const aims_model_fields *f);

/** A model by reference NAME[@VER] (with or without "model:"); no version: the latest. */
int aims_model_get(aims_model **out, aims_store *store, const char *ref);
void aims_model_free(aims_model *m);

/** The JSON of a model, as `aims model show --json` and GET /api/v1/model?ref= give it. */
json_t *aims_model_json(const aims_model *m);

typedef struct {
	aims_model **items;
	size_t count;
} aims_models;

int aims_model_list(aims_models **out, aims_store *store);
void aims_models_free(aims_models *list);

/** As aims_dataset_verify, file by file (missing and extra files differ too). */
int aims_model_verify(aims_store *store, const char *ref, const aims_artifact *art);

/* ---- training runs ---- */

typedef struct {
	char *id;
	char *job_namespace, *job_name;  /* NULL when unknown */
	char *state;           /* START RUNNING COMPLETE FAIL ABORT OTHER; NULL when unknown */
	char *started_at, *ended_at, *code_version;
	char *parameters;      /* JSON, NULL if none */
	char *facets;          /* JSON object of run facets */
	char *origin;
	int64_t record_version;
	char **inputs, **outputs;   /* node references */
	size_t ninputs, noutputs;
} aims_run;

int aims_run_get(aims_run **out, aims_store *store, const char *id);
void aims_run_free(aims_run *r);

/** The JSON of a run, as `aims lineage run --json` and GET /api/v1/run?id= give it. */
json_t *aims_run_json(const aims_run *r);

/* ---- lineage ---- */

typedef struct {
	char *ref;             /* canonical reference, e.g. "dataset:s3://raw#loans@v3" */
	char *type;            /* system | model | dataset | run | job */
	char *ns, *name, *version;   /* "" when not applicable */
} aims_lineage_node;

typedef struct {
	char *relation;        /* used | wasGeneratedBy | wasDerivedFrom | wasAssociatedWith */
	char *from, *to;       /* node references */
} aims_lineage_edge;

typedef struct {
	aims_lineage_node *nodes;   /* the start node first, then breadth-first */
	size_t nnodes;
	aims_lineage_edge *edges;
	size_t nedges;
} aims_lineage_graph;

enum { AIMS_LINEAGE_UPSTREAM = 1, AIMS_LINEAGE_DOWNSTREAM = 2, AIMS_LINEAGE_BOTH = 3 };

/**
 * The part of the graph reachable from `ref` (system:NAME, model:NAME[@VER],
 * dataset:[NAMESPACE#]NAME[@VER], run:ID, job:[NAMESPACE#]NAME): upstream
 * follows what it was made from, downstream what was made from it.
 */
int aims_lineage_query(aims_lineage_graph **out, aims_store *store, const char *ref, int direction);
void aims_lineage_graph_free(aims_lineage_graph *g);

/**
 * The JSON of a graph walked in `direction`: {"ref", "direction", "nodes":
 * [{"ref", "type", "name", "version", "namespace"}], "edges": [{"relation",
 * "from", "to"}]}; with `type` (may be NULL) the nodes of that type only and
 * no edges. "direction" is "upstream", "downstream" or "both".
 */
json_t *aims_lineage_graph_json(const aims_lineage_graph *g, int direction, const char *type);

/** Graphviz DOT and a self-contained SVG (layered layout, our own drawing) of a graph. */
int aims_lineage_dot(aims_buf *out, const aims_lineage_graph *g);
int aims_lineage_svg(aims_buf *out, const aims_lineage_graph *g);

typedef struct {
	size_t events;         /* events read */
	size_t stored;         /* new events stored */
	size_t duplicates;     /* already known (idempotent redelivery) */
	size_t runs;           /* distinct runs touched */
} aims_lineage_stats;

/**
 * Ingest OpenLineage 2-0-2 RunEvents (one JSON object, a JSON array or
 * NDJSON) from `data`; `name` names the source in messages. Every event is
 * validated first: a bad one is refused with its position (array index or
 * line) and the reason, and nothing is stored.
 */
int aims_lineage_ingest(aims_lineage_stats *stats, aims_store *store, const char *data, size_t len,
			const char *name);

typedef struct {
	size_t models;         /* model versions read */
	size_t created;        /* new models */
	size_t runs;           /* runs linked */
} aims_mlflow_stats;

/** Import an MLflow model-versions search response ({"model_versions": [...]}). */
int aims_mlflow_import(aims_mlflow_stats *stats, aims_store *store, const char *data, size_t len,
		       const char *name);

/* ---- cards (Markdown; self-contained HTML when html is set) ---- */

int aims_card_model(aims_buf *out, aims_store *store, const char *ref, int html);
int aims_card_dataset(aims_buf *out, aims_store *store, const char *ref, int html);
int aims_card_system(aims_buf *out, aims_store *store, const char *name, int html);

#ifdef __cplusplus
}
#endif
#endif
