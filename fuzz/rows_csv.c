/*
 * libFuzzer harness for the CSV path of the evaluation reader
 * (include/aims/rows.h); the checks are in rows_fuzz.h. Build and run with
 * `make fuzz`; seeds are in fuzz/corpus/rows_csv/.
 */
#define NDJSON 0
#include "rows_fuzz.h"
