/*
 * HTML pages for controlled documents: one self-contained, printable page
 * per document (the report module's frame: A4 print CSS, footer with the
 * organization, date, catalog versions and store digest) and an index of
 * the document set for `aims doc export --html DIR`.
 */
#include <string.h>

#include "aims/report.h"
#include "core/core.h"
#include "doc_internal.h"
#include "report/report_internal.h"

static int meta_row(aims_buf *out, const char *k, const char *v)
{
	int err;
	if ((err = aims_buf_puts(out, "<tr><th style=\"width:24%\">")) < 0 || (err = aims_html_escape(out, k)) < 0 ||
	    (err = aims_buf_puts(out, "</th><td>")) < 0 || (err = aims_html_escape(out, v ? v : "-")) < 0)
		return err;
	return aims_buf_puts(out, "</td></tr>\n");
}

static const char *badge_class(aims_doc_status s)
{
	switch (s) {
	case AIMS_DOC_APPROVED: return "covered";
	case AIMS_DOC_IN_REVIEW: return "partial";
	case AIMS_DOC_RETIRED: return "excluded";
	default: return "unknown";
	}
}

int aims_doc_render_html(aims_buf *out, aims_store *store, const aims_doc *d)
{
	aims_buf sub = AIMS_BUF_INIT;
	char num[64];
	int err;

	if ((err = aims_buf_printf(&sub, "%s \xc2\xb7 %s \xc2\xb7 version %d%s \xc2\xb7 %s", d->id,
				   aims_doc_type_title(d->type), d->version,
				   d->is_working && (d->status == AIMS_DOC_DRAFT || d->status == AIMS_DOC_IN_REVIEW)
				   ? " (not approved)" : "", aims_doc_status_name(d->status))) < 0 ||
	    (err = aims__report_begin(out, d->title, sub.ptr)) < 0)
		goto done;
	if ((err = aims_buf_puts(out, "<p>")) < 0 ||
	    (err = aims__report_status_badge(out, badge_class(d->status), aims_doc_status_name(d->status))) < 0 ||
	    (err = aims_buf_puts(out, "</p>\n<table>\n")) < 0)
		goto done;
	snprintf(num, sizeof(num), "%d", d->version);
	if ((err = meta_row(out, "Document", d->id)) < 0 || (err = meta_row(out, "Type", aims_doc_type_title(d->type))) < 0 ||
	    (err = meta_row(out, "Version", num)) < 0 || (err = meta_row(out, "Owner", d->owner)) < 0 ||
	    (err = meta_row(out, "Author", d->author)) < 0 || (err = meta_row(out, "Approved by", d->approver)) < 0 ||
	    (err = meta_row(out, "Approved on", d->approved_at)) < 0)
		goto done;
	snprintf(num, sizeof(num), "every %d months", d->review_months);
	if ((err = meta_row(out, "Review", num)) < 0 || (err = meta_row(out, "Next review", d->next_review)) < 0 ||
	    (err = meta_row(out, "Content digest", d->digest)) < 0 ||
	    (err = aims_buf_puts(out, "<tr><th>Satisfies / extends</th><td class=\"ev\">")) < 0)
		goto done;
	for (size_t i = 0; i < d->nlinks; i++)
		if ((i && (err = aims_buf_puts(out, "<br>")) < 0) || (err = aims_html_escape(out, d->links[i])) < 0)
			goto done;
	if ((err = aims_buf_puts(out, d->nlinks ? "</td></tr>\n</table>\n" : "-</td></tr>\n</table>\n")) < 0 ||
	    (err = aims_buf_puts(out, "<article>\n")) < 0 || (err = aims_doc_markdown_html(out, d->body)) < 0 ||
	    (err = aims_buf_puts(out, "</article>\n")) < 0)
		goto done;
	err = aims__report_end(out, store);
done:
	aims_buf_release(&sub);
	return err;
}

int aims_doc_index_html(aims_buf *out, aims_store *store, const aims_doc_list *docs)
{
	int err;
	if ((err = aims__report_begin(out, "AIMS documents", "Controlled documents of the AI management system "
				      "(ISO/IEC 42001 7.5)")) < 0 ||
	    (err = aims_buf_puts(out, "<table><thead><tr><th>Document</th><th>Title</th><th>Type</th><th>Status</th>"
				 "<th class=\"num\">Version</th><th>Approved by</th><th>Approved on</th>"
				 "<th>Next review</th></tr></thead><tbody>\n")) < 0)
		return err;
	for (size_t i = 0; i < docs->count; i++) {
		const aims_doc *d = docs->items[i];
		if ((err = aims_buf_puts(out, "<tr><td><a href=\"")) < 0 || (err = aims_html_escape(out, d->id)) < 0 ||
		    (err = aims_buf_puts(out, ".html\">")) < 0 || (err = aims_html_escape(out, d->id)) < 0 ||
		    (err = aims_buf_puts(out, "</a></td><td>")) < 0 || (err = aims_html_escape(out, d->title)) < 0 ||
		    (err = aims_buf_puts(out, "</td><td>")) < 0 ||
		    (err = aims_html_escape(out, aims_doc_type_title(d->type))) < 0 ||
		    (err = aims_buf_puts(out, "</td><td>")) < 0 ||
		    (err = aims__report_status_badge(out, badge_class(d->status), aims_doc_status_name(d->status))) < 0 ||
		    (err = aims_buf_printf(out, "</td><td class=\"num\">%d</td><td>", d->latest_approved)) < 0 ||
		    (err = aims_html_escape(out, d->approver ? d->approver : "-")) < 0 ||
		    (err = aims_buf_puts(out, "</td><td>")) < 0 ||
		    (err = aims_html_escape(out, d->approved_at ? d->approved_at : "-")) < 0 ||
		    (err = aims_buf_puts(out, "</td><td>")) < 0 ||
		    (err = aims_html_escape(out, d->next_review ? d->next_review : "-")) < 0 ||
		    (err = aims_buf_puts(out, "</td></tr>\n")) < 0)
			return err;
	}
	if ((err = aims_buf_printf(out, "</tbody></table>\n<p class=\"small\">%zu documents. Version is the latest "
				   "approved version (0: never approved).</p>\n", docs->count)) < 0)
		return err;
	return aims__report_end(out, store);
}
