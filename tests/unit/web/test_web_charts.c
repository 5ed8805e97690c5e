/*
 * Unit tests of the web UI's bar charts (src/lib/web/evaluations.c): an
 * inline SVG labelled by its title and description, labels and texts
 * HTML-escaped, a long label cut at a character with an ellipsis, bars and
 * threshold lines at their places on the axis, undefined values and marked
 * bars said in text, and allocation failures refused cleanly.
 */
#include "helpers.h"

#include "core/core.h"
#include "web/pages.h"

static const char *const SERIES[] = { "share" };
static const char *const COLORS[] = { "#0b4f9c" };

static json_t *chart(const char *rows_json, double max, const double *lines, size_t nlines)
{
	aims__web_bars c = { "chart-x", "Title <&>", SERIES, COLORS, 1, max, lines, nlines };
	json_t *rows = json_loads(rows_json, 0, NULL);
	assert_non_null(rows);
	json_t *svg = aims__web_svg_bars(&c, rows, "a \"description\" <b>");
	json_decref(rows);
	return svg;
}

static void test_bars(void **state)
{
	(void)state;
	static const double lines[] = { 0.8, 1.25 };
	/* "\u00e9" is two bytes in UTF-8: the 28-byte cut falls inside the eighth one and backs off to its start */
	json_t *svg = chart("[{\"label\": \"<script>\", \"values\": [0.5], \"bad\": [false]},"
			    " {\"label\": \"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\","
			    "  \"values\": [null]},"
			    " {\"label\": \"divorced\", \"values\": [0.3035], \"bad\": [true]}]",
			    1.5, lines, 2);
	assert_non_null(svg);
	const char *s = json_string_value(svg);
	assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-x\""));
	assert_non_null(strstr(s, "role=\"img\" aria-labelledby=\"chart-x-t chart-x-d\""));
	assert_non_null(strstr(s, "<title id=\"chart-x-t\">Title &lt;&amp;&gt;</title>"));
	assert_non_null(strstr(s, "<desc id=\"chart-x-d\">a &quot;description&quot; &lt;b&gt;</desc>"));
	assert_non_null(strstr(s, "&lt;script&gt;"));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "style="));
	/* 13 characters (26 bytes) and the ellipsis */
	assert_non_null(strstr(s, ">\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u2026</text>"));
	assert_non_null(strstr(s, ">undefined</text>"));
	/* axis 0..1.5 over 450 pixels from x = 180: 0.5 is 150 wide, the lines at 420 and 555 */
	assert_non_null(strstr(s, "<rect x=\"180\" y=\"22\" width=\"150.0\""));
	assert_non_null(strstr(s, ">0.5000</text>"));
	assert_non_null(strstr(s, "<line x1=\"420.0\""));
	assert_non_null(strstr(s, "<line x1=\"555.0\""));
	assert_non_null(strstr(s, ">0.3035 outside</text>"));
	assert_non_null(strstr(s, "fill=\"#a3201b\" stroke=\"#1a1a1a\" stroke-dasharray=\"3 2\""));
	/* ticks every 0.25 */
	assert_non_null(strstr(s, "text-anchor=\"middle\">0.25</text>"));
	assert_non_null(strstr(s, "text-anchor=\"middle\">1.5</text>"));
	assert_null(strstr(s, "text-anchor=\"middle\">1.75</text>"));
	json_decref(svg);

	/* an axis that is not a positive number is 0..1 */
	svg = chart("[{\"label\": \"a\", \"values\": [2]}]", NAN, NULL, 0);
	assert_non_null(svg);
	assert_non_null(strstr(json_string_value(svg), "width=\"450.0\""));
	json_decref(svg);

	/* allocation failures: NULL, never half a chart */
	aims__web_bars c = { "chart-y", "t", SERIES, COLORS, 1, 1, lines, 1 };
	json_t *rows = json_loads("[{\"label\": \"a\", \"values\": [0.5]}]", 0, NULL);
	unsigned long n;
	for (n = 1; n < 400; n++) {
		aims__alloc_fail_after(n);
		svg = aims__web_svg_bars(&c, rows, "d");
		aims__alloc_fail_after(0);
		if (svg) {
			assert_non_null(strstr(json_string_value(svg), "</svg>"));
			json_decref(svg);
			break;
		}
	}
	assert_true(n > 1 && n < 400);
	json_decref(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
