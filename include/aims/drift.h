/*
 * Data drift between a reference and a current data set (CSV/NDJSON files
 * or an AI system's decision log over two time windows): per column, the
 * two-sample Kolmogorov-Smirnov test, Wasserstein-1 distance and PSI for
 * numeric columns, the chi-square test on the 2 x K table, Jensen-Shannon
 * distance and PSI for categorical columns; a drift decision per column and
 * a dataset-level drift share. Figures match scipy 1.10 (ks_2samp with
 * method='auto', wasserstein_distance, chi2_contingency(correction=False),
 * spatial.distance.jensenshannon(base=2)). Definitions, thresholds and the
 * JSON keys: docs/drift.md.
 */
#ifndef AIMS_DRIFT_H
#define AIMS_DRIFT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Values kept per column and side for the exact KS statistic (default of max_exact). */
#define AIMS_DRIFT_MAX_EXACT ((uint64_t)10000000)
/** Buffer size k of the quantile sketch used above max_exact (rank error about log2(n/k)/(2k)). */
#define AIMS_DRIFT_SKETCH_K 32768
/** PSI: proportions below this are raised to it (both sides, before the log). */
#define AIMS_DRIFT_PSI_FLOOR 1e-4
/** PSI: number of quantile bins of the reference for numeric columns. */
#define AIMS_DRIFT_PSI_BINS 10

typedef struct aims_drift aims_drift;

#define AIMS_DRIFT_OPTIONS_VERSION 1

typedef struct {
	unsigned version;
	const char *const *columns;      /* columns to compare; NULL = every column of the reference */
	size_t ncolumns;
	const char *const *numeric;      /* columns forced numeric (a non-number is an error) */
	size_t nnumeric;
	const char *const *categorical;  /* columns forced categorical */
	size_t ncategorical;
	double ks_alpha;                 /* numeric drift when KS p < this (0.05) */
	double chi2_alpha;               /* categorical drift when chi-square p < this (0.05) */
	double psi_threshold;            /* drift when PSI >= this (0.2) */
	double share_threshold;          /* dataset drift when drift share >= this (0.5) */
	uint64_t max_exact;              /* values per column and side kept exactly (AIMS_DRIFT_MAX_EXACT) */
	size_t sketch_k;                 /* sketch buffer size (AIMS_DRIFT_SKETCH_K) */
} aims_drift_options;

#define AIMS_DRIFT_OPTIONS_INIT \
	{ AIMS_DRIFT_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, 0, 0.05, 0.05, 0.2, 0.5, AIMS_DRIFT_MAX_EXACT, \
	  AIMS_DRIFT_SKETCH_K }

/**
 * Where a data set comes from: a file, an open stream, or a system's
 * decision log in [since, until). A stream is read like a file (it is not
 * closed); `path` then only names it in messages and results ("-" for
 * standard input). A side is read a second time when a column turns out to
 * be categorical late in the data (see docs/drift.md): a stream must then
 * be seekable (a file, not a pipe), else AIMS_EINVALID says so.
 */
typedef struct {
	const char *path;       /* CSV/NDJSON file (gzip allowed), or the name of `stream`; NULL for a decision log */
	aims_store *store;      /* decision log: the store, the system and the window */
	const char *system;
	const char *since, *until;
	FILE *stream;           /* read this instead of opening `path`, or NULL */
} aims_drift_source;

/** Results of one column; strings and numbers are owned by the aims_drift. */
typedef struct {
	const char *name;
	const char *type;            /* "numeric" or "categorical" */
	uint64_t n_ref, n_cur;       /* non-missing values */
	uint64_t missing_ref, missing_cur;
	int tested;                  /* 0 when a side has no values (reason says why) */
	/* numeric */
	double ks_statistic, ks_pvalue;
	const char *ks_method;       /* "exact", "asymp" or "sketch" */
	double ks_error_bound;       /* sketch: proven bound on |D - D_exact|; else 0 */
	double wasserstein;
	double wasserstein_error_bound; /* sketch: bound on the Wasserstein error; else 0 */
	/* categorical */
	double chi2_statistic, chi2_pvalue;
	int chi2_dof;
	double jensenshannon;
	size_t ncategories;
	/* both */
	double psi;
	int approximate;             /* some figure comes from the sketch */
	int drift;
	const char *reason;          /* why drift was (not) declared */
	const char *note;            /* e.g. numeric in one file, text in the other; or NULL */
} aims_drift_column;

/**
 * Read both data sets and compare them column by column. Every column of
 * the reference must exist in the current data (AIMS_EINVALID otherwise);
 * a column named in options that does not exist is AIMS_ENOTFOUND. Bad
 * input names the file, line and column. Free with aims_drift_free().
 */
int aims_drift_run(aims_drift **out, const aims_drift_source *ref, const aims_drift_source *cur,
		   const aims_drift_options *opts);

void aims_drift_free(aims_drift *d);

size_t aims_drift_ncolumns(const aims_drift *d);
/** Column i (borrowed), or NULL when out of range. */
const aims_drift_column *aims_drift_column_get(const aims_drift *d, size_t i);
/** Drifted columns / tested columns (0 when none was tested). */
double aims_drift_share(const aims_drift *d);
/** 1 when the drift share reaches the threshold. */
int aims_drift_dataset(const aims_drift *d);

/** Append the results as one JSON object (keys in docs/drift.md). */
int aims_drift_json(aims_buf *out, const aims_drift *d);

/** The inputs as JSON [{"name","sha256","rows"}], and the parameters as JSON, for evidence records. */
int aims_drift_inputs_json(aims_buf *out, const aims_drift *d);
int aims_drift_params_json(aims_buf *out, const aims_drift *d);

/**
 * Append a self-contained HTML report (reference vs current histograms per
 * column as inline SVG). `store` may be NULL (the footer then names no store).
 */
int aims_drift_html(aims_buf *out, const aims_drift *d, aims_store *store);

#ifdef __cplusplus
}
#endif
#endif
