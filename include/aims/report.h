/*
 * Reports: self-contained HTML pages (inline CSS, inline SVG charts drawn by
 * our code, no scripts, no external resources) that print on A4, and CSV
 * exports. Each page's footer names the organization, the date, the catalog
 * versions and the store's content digest, so a printed report can be tied
 * to the data it came from.
 */
#ifndef AIMS_REPORT_H
#define AIMS_REPORT_H

#include "buf.h"
#include "gap.h"
#include "soa.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Append the gap analysis report as one HTML document to `out`. */
int aims_report_gap_html(aims_buf *out, aims_store *store, const aims_gap *gap);

/** Append the ISO/IEC 42001 Statement of Applicability as one HTML document. */
int aims_report_soa_html(aims_buf *out, aims_store *store, const aims_soa *soa);

/**
 * Append the SoA as CSV (RFC 4180, header row: control, title, group,
 * applicable, justification, status, owner, gap, evidence, risks;
 * evidence and risks joined with ';').
 */
int aims_report_soa_csv(aims_buf *out, const aims_soa *soa);

/** Append `text` escaped for HTML text and attribute values. */
int aims_html_escape(aims_buf *out, const char *text);

/** Append `text` as one CSV field, quoted when needed. */
int aims_csv_field(aims_buf *out, const char *text);

#ifdef __cplusplus
}
#endif
#endif
