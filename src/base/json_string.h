/*
 * A C string as a JSON string, for every writer of JSON (the trace's JSON
 * Lines, saved scenario files). UTF-8 is kept as it is; escaped is what
 * JSON requires and what a terminal would act on: C0 controls, DEL and the
 * C1 controls (U+0080-U+009F), the same string to a JSON reader.
 */
#ifndef SYNFIN_BASE_JSON_STRING_H
#define SYNFIN_BASE_JSON_STRING_H

#include <stdio.h>

/* s (NULL as "") quoted and escaped onto out. */
void json_put_string(FILE *out, const char *s);

#endif
