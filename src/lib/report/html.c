/*
 * HTML and SVG building blocks shared by the reports: escaping, the page
 * frame with its print stylesheet and footer, and a horizontal stacked bar
 * chart in SVG. Pages are single files: CSS inline, SVG inline, no scripts.
 */
#include <stdio.h>
#include <string.h>

#include "aims/catalog.h"
#include "core/core.h"
#include "report_internal.h"

int aims_html_escape(aims_buf *out, const char *s)
{
	int err = 0;
	if (!s)
		return 0;
	for (; *s && err == 0; s++) {
		switch (*s) {
		case '&': err = aims_buf_puts(out, "&amp;"); break;
		case '<': err = aims_buf_puts(out, "&lt;"); break;
		case '>': err = aims_buf_puts(out, "&gt;"); break;
		case '"': err = aims_buf_puts(out, "&quot;"); break;
		case '\'': err = aims_buf_puts(out, "&#39;"); break;
		default: err = aims_buf_putc(out, *s); break;
		}
	}
	return err;
}

int aims_csv_field(aims_buf *out, const char *s)
{
	int err;
	if (!s)
		return 0;
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && (!*s || s[strlen(s) - 1] != ' '))
		return aims_buf_puts(out, s);
	if ((err = aims_buf_putc(out, '"')) < 0)
		return err;
	for (; *s; s++)
		if ((err = (*s == '"' ? aims_buf_puts(out, "\"\"") : aims_buf_putc(out, *s))) < 0)
			return err;
	return aims_buf_putc(out, '"');
}

static const char *CSS =
	"@page{size:A4;margin:14mm 12mm}"
	"*{box-sizing:border-box}"
	"body{font:10.5pt/1.45 -apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif;color:#1d2430;"
	"margin:0 auto;max-width:190mm;padding:8mm 4mm}"
	"h1{font-size:19pt;margin:0 0 2mm}h2{font-size:13.5pt;margin:7mm 0 2mm;border-bottom:1px solid #c9d1dc;"
	"padding-bottom:1mm}h3{font-size:11pt;margin:4mm 0 1mm}"
	".sub{color:#5a6475;margin:0 0 4mm}"
	"table{border-collapse:collapse;width:100%;margin:2mm 0 4mm;font-size:9pt}"
	"th,td{border-bottom:1px solid #e1e6ed;padding:1.2mm 1.6mm;text-align:left;vertical-align:top}"
	"td code{overflow-wrap:anywhere}"
	"th{background:#f1f4f8;font-weight:600}tr{page-break-inside:avoid}"
	".num{text-align:right;font-variant-numeric:tabular-nums}"
	".kpis{display:flex;gap:3mm;margin:3mm 0}.kpi{flex:1;border:1px solid #d5dce6;border-radius:2mm;"
	"padding:2.5mm}.kpi b{display:block;font-size:17pt}.kpi span{color:#5a6475;font-size:8.5pt}"
	".st{display:inline-block;padding:.2mm 2mm;border-radius:2mm;font-size:8.5pt;font-weight:600;color:#fff}"
	".covered{background:#2e7d4f}.partial{background:#c98a12}.gap{background:#b63a3a}"
	".excluded{background:#7b8494}.unknown{background:#9aa3b2}"
	".small{font-size:8.5pt;color:#5a6475}.ev{font-family:'DejaVu Sans Mono',monospace;font-size:8pt}"
	"svg text{font-family:'DejaVu Sans',Arial,sans-serif}"
	"footer{margin-top:8mm;border-top:1px solid #c9d1dc;padding-top:2mm;font-size:8pt;color:#5a6475}"
	"@media print{body{padding:0;max-width:none}h2{page-break-after:avoid}}";

int aims__report_begin(aims_buf *out, const char *title, const char *subtitle)
{
	int err;
	if ((err = aims_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
				 "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>")) < 0 ||
	    (err = aims_html_escape(out, title)) < 0 ||
	    (err = aims_buf_printf(out, "</title><style>%s</style></head>\n<body>\n<h1>", CSS)) < 0 ||
	    (err = aims_html_escape(out, title)) < 0 ||
	    (err = aims_buf_puts(out, "</h1>\n<p class=\"sub\">")) < 0 ||
	    (err = aims_html_escape(out, subtitle)) < 0 ||
	    (err = aims_buf_puts(out, "</p>\n")) < 0)
		return err;
	return 0;
}

int aims__report_end(aims_buf *out, aims_store *store)
{
	aims_catalog_list *list = NULL;
	char *org = NULL;
	char now[32], digest[65];
	int err;

	aims__time_now(now);
	if ((err = aims_store_setting_get(&org, store, "org.name")) < 0 ||
	    (err = aims_catalog_list_read(&list, store)) < 0 ||
	    (err = aims_store_content_digest(digest, store)) < 0)
		goto done;
	if ((err = aims_buf_puts(out, "<footer><div>")) < 0 ||
	    (err = aims_html_escape(out, org ? org : "(organization not set)")) < 0 ||
	    (err = aims_buf_printf(out, " &middot; generated %s by aims %s</div><div>catalogs: ", now,
				   aims_version())) < 0)
		goto done;
	for (size_t i = 0; i < list->count; i++) {
		const aims_framework *f = &list->items[i];
		if ((err = aims_buf_printf(out, "%s", i ? ", " : "")) < 0 ||
		    (err = aims_html_escape(out, f->framework)) < 0 ||
		    (err = aims_buf_printf(out, " version ")) < 0 ||
		    (err = aims_html_escape(out, f->version)) < 0 ||
		    (err = aims_buf_printf(out, " (sha256:%.12s)", f->digest ? f->digest : "")) < 0)
			goto done;
	}
	err = aims_buf_printf(out, "</div><div>store content sha256:%s</div></footer>\n</body></html>\n",
			      digest);
done:
	aims__free(org);
	aims_catalog_list_free(list);
	return err;
}

/*
 * A horizontal stacked bar chart: one bar per row, segments in the given
 * colours, a legend on top, counts inside segments wide enough to hold them.
 */
int aims__svg_stacked_bars(aims_buf *out, const char *label, const aims__bar_row *rows, size_t nrows,
			   const char *const *series, const char *const *colors, size_t nseries)
{
	const int width = 700, left = 235, right = 40, bar_h = 16, gap = 6, top = 26;
	int height = top + (int)nrows * (bar_h + gap) + 4;
	size_t maxtotal = 0;
	int err;

	for (size_t r = 0; r < nrows; r++) {
		size_t t = 0;
		for (size_t s = 0; s < nseries; s++)
			t += rows[r].values[s];
		if (t > maxtotal)
			maxtotal = t;
	}
	if (!maxtotal)
		maxtotal = 1;
	if ((err = aims_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 %d %d\" "
				   "width=\"100%%\" aria-label=\"", width, height)) < 0 ||
	    (err = aims_html_escape(out, label)) < 0 ||
	    (err = aims_buf_puts(out, "\">")) < 0)
		return err;
	/* legend */
	int lx = left;
	for (size_t s = 0; s < nseries; s++) {
		if ((err = aims_buf_printf(out, "<rect x=\"%d\" y=\"4\" width=\"11\" height=\"11\" fill=\"%s\"/>"
					   "<text x=\"%d\" y=\"13\" font-size=\"11\">", lx, colors[s], lx + 15)) < 0 ||
		    (err = aims_html_escape(out, series[s])) < 0 ||
		    (err = aims_buf_puts(out, "</text>")) < 0)
			return err;
		lx += 20 + 7 * (int)strlen(series[s]) + 14;
	}
	double scale = (double)(width - left - right) / (double)maxtotal;
	for (size_t r = 0; r < nrows; r++) {
		int y = top + (int)r * (bar_h + gap);
		if ((err = aims_buf_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">",
					   left - 6, y + bar_h - 4)) < 0 ||
		    (err = aims_html_escape(out, rows[r].label)) < 0 ||
		    (err = aims_buf_puts(out, "</text>")) < 0)
			return err;
		double x = left;
		size_t total = 0;
		for (size_t s = 0; s < nseries; s++) {
			size_t v = rows[r].values[s];
			total += v;
			if (!v)
				continue;
			double w = (double)v * scale;
			if ((err = aims_buf_printf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
						   "<title>%zu %s</title></rect>", x, y, w, bar_h, colors[s], v,
						   series[s])) < 0)
				return err;
			if (w >= 16 && (err = aims_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#fff\" "
							      "text-anchor=\"middle\">%zu</text>", x + w / 2,
							      y + bar_h - 4, v)) < 0)
				return err;
			x += w;
		}
		if ((err = aims_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#5a6475\">%zu</text>",
					   x + 4, y + bar_h - 4, total)) < 0)
			return err;
	}
	return aims_buf_puts(out, "</svg>\n");
}

int aims__report_status_badge(aims_buf *out, const char *cls, const char *text)
{
	int err;
	if ((err = aims_buf_printf(out, "<span class=\"st %s\">", cls)) < 0 ||
	    (err = aims_html_escape(out, text)) < 0)
		return err;
	return aims_buf_puts(out, "</span>");
}

int aims__report_percent(aims_buf *out, double ratio)
{
	return aims_buf_printf(out, "%d%%", (int)(ratio * 100.0 + 0.5));
}

/*
 * Markdown that others render (cards, the FRIA template): raw HTML, which
 * CommonMark passes through, can only start with '<', so every '<' from
 * b->ptr[from] on becomes the entity &lt;, which renders as the character.
 */
int aims__md_escape_html(aims_buf *b, size_t from)
{
	size_t n = 0;
	int err;
	for (size_t i = from; i < b->len; i++)
		n += b->ptr[i] == '<';
	if (n == 0)
		return 0;
	if ((err = aims_buf_grow(b, n * 3)) < 0)
		return err;
	/* from the end backwards, in place */
	size_t src = b->len, dst = b->len + n * 3;
	b->ptr[dst] = '\0';
	while (src > from) {
		char c = b->ptr[--src];
		if (c == '<') {
			dst -= 4;
			memcpy(b->ptr + dst, "&lt;", 4);
		} else {
			b->ptr[--dst] = c;
		}
	}
	b->len += n * 3;
	return 0;
}
