/*
 * libFuzzer target: --set overrides. The input is split at newlines into
 * KEY=VALUE overrides and applied to a small valid scenario, as
 * `synfin --set A --set B ...` would. Every result is a scenario or a
 * message; nothing may crash (a value with a byte order mark once made the
 * loader take cJSON's refusal for out of memory).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "synfin/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base[] =
    "{\"title\": {\"en\": \"t\", \"zh\": \"t\"},"
    " \"client\": {\"script\": [{\"at_ms\": 0, \"call\": \"connect\"},"
    "  {\"on\": \"connected\", \"call\": \"close\"}]},"
    " \"server\": {\"script\": [{\"at_ms\": 0, \"call\": \"listen\"},"
    "  {\"on\": \"eof\", \"call\": \"close\"}]}}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *sets[16];
    size_t nsets = 0;
    struct synfin_err err;
    struct scenario *s;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    for (char *p = text; p && nsets < 16;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        sets[nsets++] = p;
        p = nl ? nl + 1 : NULL;
    }
    s = scenario_load_buffer("base.json", base, sizeof base - 1,
                             (const char *const *)sets, nsets, &err);
    if (s) {
        scenario_free(s);
    } else {
        char msg[1024];
        if (!*synfin_err_str(&err, msg, sizeof msg))
            abort();
    }
    free(text);
    return 0;
}
