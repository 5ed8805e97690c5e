/*
 * libFuzzer harness for the NDJSON path of the evaluation reader
 * (include/aims/rows.h); the checks are in rows_fuzz.h. Build and run with
 * `make fuzz`; seeds are in fuzz/corpus/rows_ndjson/.
 */
#define NDJSON 1
#include "rows_fuzz.h"
