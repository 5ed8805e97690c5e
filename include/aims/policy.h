/*
 * Policies as code: a YAML (or JSON) file says, per AI system or per EU AI
 * Act tier, what a model version needs before it reaches each lifecycle
 * stage (validation, approved, deployed, retired): approvals by roles from
 * distinct accounts, an approved impact assessment covering the model
 * version, evaluations of the exact model digest recorded within N days and
 * inside thresholds, no risk above tolerance left untreated or awaiting
 * acceptance, and the tier's EU AI Act obligations met with evidence. It
 * also names who may approve an exception, and the human-review rules that
 * select AI decisions for review as they are ingested. Policies are stored
 * in versions with the digest of their canonical form, and every change is
 * a governance ledger entry. The gates and reviews that apply them are in
 * oversight.h. Format and rules: docs/oversight.md.
 */
#ifndef AIMS_POLICY_H
#define AIMS_POLICY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Lifecycle stages a gate leads to, in order ("validation", "approved", "deployed", "retired"; NULL-terminated). */
extern const char *const aims_policy_stages[];
#define AIMS_POLICY_NSTAGES 4

/** The index of stage `name` in aims_policy_stages, or -1. */
int aims_policy_stage_index(const char *name);

/** Longest policy name; names are [a-z0-9._-], starting with a letter or digit. */
#define AIMS_POLICY_NAME_MAX 64

/** A number of approvals by accounts holding one role. */
typedef struct {
	char *role;        /* an account role (auth.h), e.g. "risk-owner" */
	unsigned bit;      /* its role bit */
	int count;         /* 1..20 */
} aims_policy_approval;

/** One threshold on an evaluation result, e.g. roc_auc >= 0.75. */
typedef struct {
	char *metric;      /* a key of the evaluation result (docs/oversight.md says where it is looked up) */
	char op[3];        /* ">=", ">", "<=", "<" or "==" */
	double value;
	char *text;        /* as written in the policy, normalised: "roc_auc >= 0.75" */
} aims_policy_threshold;

/** Parse "METRIC OP NUMBER" (e.g. "roc_auc >= 0.75"); AIMS_EINVALID saying what is wrong. Release with
 *  aims_policy_threshold_release(). */
int aims_policy_threshold_parse(aims_policy_threshold *t, const char *text);
void aims_policy_threshold_release(aims_policy_threshold *t);

/**
 * Check a threshold against an evaluation's results (the JSON `aims eval`
 * records): the metric is looked up at the top level, in each sensitive
 * attribute and in each tested column's statistics. 1 when every value
 * found holds, 0 when one does not or none was found; *found gets how many
 * values there were, `bad` lists those outside ("sex: demographic_parity_ratio
 * 0.62; ...").
 */
int aims_policy_threshold_apply(size_t *found, char *bad, size_t badsize, const aims_policy_threshold *t,
				json_t *results);

/** Evaluations a stage needs. */
typedef struct {
	char *kind;        /* fairness | performance | drift */
	int max_age_days;  /* 1..3650 */
	aims_policy_threshold *thresholds;
	size_t nthresholds;
} aims_policy_eval;

/** What a model version needs before it reaches one stage. */
typedef struct {
	int present;                        /* the policy names this stage */
	aims_policy_approval *approvals;    /* from distinct accounts, never the requester */
	size_t napprovals;
	int impact_assessment;              /* an approved impact assessment covering the model version */
	aims_policy_eval *evaluations;
	size_t nevaluations;
	int risks_within_tolerance;         /* no risk above tolerance untreated or awaiting acceptance */
	int aiact_all;                      /* every tracked obligation of the tier met or not applicable */
	char **aiact_keys;                  /* or only these obligation keys */
	size_t naiact_keys;
} aims_policy_stage;

/** A named input field and the values that select a decision. */
typedef struct {
	char *field;                        /* a dotted path inside the record's "input" object */
	char **values;
	size_t nvalues;
} aims_policy_input_rule;

/** Rules that select AI decisions for human review as they are ingested (any rule selects). */
typedef struct {
	int present;
	int has_confidence;
	double confidence_below;            /* confidence < this selects */
	char *output_field;                 /* a dotted path inside "output", or NULL: the output itself */
	char **output_classes;              /* output values that select */
	size_t noutput_classes;
	aims_policy_input_rule *inputs;
	size_t ninputs;
	uint32_t sample_ppm;                /* random sample: parts per million, 0 = none */
	uint64_t seed;                      /* the sampler's seed */
	int due_days;                       /* a selected decision is due for review within this many days of
					       its selection, later it is overdue (0: no deadline) */
} aims_policy_review;

typedef struct {
	/* the policy */
	char *name;
	char *description;                  /* NULL when none */
	char **systems;                     /* AI systems it applies to */
	int *system_lines;                  /* their lines in the file (0 when read from the store) */
	size_t nsystems;
	char **tiers;                       /* EU AI Act tiers it applies to */
	size_t ntiers;
	aims_policy_stage stages[AIMS_POLICY_NSTAGES];
	int has_exceptions;                 /* exceptions are possible */
	aims_policy_approval *exception_approvals;  /* at least two accounts in all */
	size_t nexception_approvals;
	int exception_max_days;             /* longest validity of an exception */
	aims_policy_review review;
	char *canonical;                    /* canonical JSON (sorted keys, compact, ASCII) */
	char digest[72];                    /* sha256: of canonical */
	/* when read from the store */
	int version;                        /* 1, 2, ... (0 when only parsed) */
	char *status;                       /* active | retired */
	char *source;                       /* the file as named */
	char *source_digest;                /* sha256: of its bytes */
	char *body;                         /* the file's text */
	char *actor;
	char *created_at;
} aims_policy;

/**
 * Parse and check a policy file (YAML, or JSON when it starts with '{').
 * Every refusal is AIMS_EINVALID naming `name`, the line and the key
 * ("'gates.yaml' line 12: stages.deployed.evaluations[0].thresholds[1]:
 * ..."). Pure: no store. Free with aims_policy_free().
 */
int aims_policy_parse(aims_policy **out, const char *data, size_t len, const char *name);
void aims_policy_free(aims_policy *p);

/**
 * Store a policy file as the next version of the policy it names (parsed
 * as aims_policy_parse, and each AI system it names must be in the
 * inventory). No other active policy may name the same system or tier
 * (AIMS_ECONFLICT naming it). The same canonical content as the latest
 * active version changes nothing (*changed = 0). A governance ledger entry
 * records each new version (create/update, with the previous digest).
 * *out (may be NULL) gets the stored policy.
 */
int aims_policy_set(aims_policy **out, int *changed, aims_store *store, const char *data, size_t len,
		    const char *name);

/** Retire policy `name`: a new version with status retired; it no longer applies (ledger entry). */
int aims_policy_retire(aims_policy **out, aims_store *store, const char *name);

/** Version `version` of policy `name` (0 = the latest). AIMS_ENOTFOUND naming it. */
int aims_policy_get(aims_policy **out, aims_store *store, const char *name, int version);

typedef struct {
	aims_policy **items;
	size_t count;
} aims_policies;

/** The latest version of every policy (`name` NULL), or every version of `name`, by name and version. */
int aims_policy_list(aims_policies **out, aims_store *store, const char *name);
void aims_policies_free(aims_policies *l);

/**
 * The active policy that applies to AI system `system`: the one naming the
 * system, else the one naming the tier of its latest EU AI Act
 * classification. *out = NULL (and 0) when none applies.
 */
int aims_policy_for_system(aims_policy **out, aims_store *store, const char *system);

/** The JSON of a policy: its canonical content plus version, status, digest and provenance. */
json_t *aims_policy_json(const aims_policy *p);

#ifdef __cplusplus
}
#endif
#endif
