/*
 * Internal building blocks of the report module.
 */
#ifndef AIMS_REPORT_INTERNAL_H
#define AIMS_REPORT_INTERNAL_H

#include <stddef.h>

#include "aims/report.h"

typedef struct {
	const char *label;
	size_t values[4];
} aims__bar_row;

/* <!DOCTYPE> ... <h1>title</h1><p>subtitle</p> */
int aims__report_begin(aims_buf *out, const char *title, const char *subtitle);
/* footer (organization, date, catalogs, store digest) and closing tags */
int aims__report_end(aims_buf *out, aims_store *store);
int aims__svg_stacked_bars(aims_buf *out, const char *label, const aims__bar_row *rows, size_t nrows,
			   const char *const *series, const char *const *colors, size_t nseries);
int aims__report_status_badge(aims_buf *out, const char *cls, const char *text);
int aims__report_percent(aims_buf *out, double ratio);
/* Markdown for other renderers: every '<' from b->ptr[from] on as &lt;, so no raw HTML gets through */
int aims__md_escape_html(aims_buf *b, size_t from);

#endif
