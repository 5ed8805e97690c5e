/*
 * libFuzzer harness for the document template front matter parser and the
 * Markdown renderer: any input must parse or fail cleanly, and whatever
 * renders must be valid output of the escaping renderer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aims/aims.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	aims_doc_front_matter fm;
	aims_buf out = AIMS_BUF_INIT;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (aims_doc_front_matter_parse(&fm, text, size, "fuzz") == 0) {
		if (fm.body_offset > size)
			abort();
		aims_doc_front_matter_release(&fm);
	}
	if (aims_doc_markdown_html(&out, text) == 0 && strstr(out.ptr, "<script"))
		abort();
	aims_buf_release(&out);
	free(text);
	return 0;
}
