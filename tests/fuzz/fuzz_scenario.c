/*
 * libFuzzer target: the scenario loader on any bytes, then a bounded run
 * of whatever it accepted, with a trace written as text and JSON. Nothing
 * may crash, hang, leak or trip a sanitizer; a file the loader refuses must
 * come with a message.
 *
 * The run is bounded so that the fuzzer spends its time on the loader and
 * the engine's corners, not on long runs: at most 8 clients and 30
 * simulated seconds, and limits far below the engine's (docs/limits.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "synfin/scenario.h"
#include "synfin/trace.h"
#include "synfin/world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct synfin_err err;
    struct scenario *s = scenario_load_buffer("fuzz.json", (const char *)data,
                                              size, NULL, 0, &err);
    /* Small, so that a run without end stops within a second even under
     * AddressSanitizer. */
    const struct world_limits limits = {
        .events = 1 << 20, .same_instant = 1 << 17, .trace_bytes = 64 << 20};
    struct trace t;
    FILE *null;

    if (!s) {
        char msg[1024];
        if (!*synfin_err_str(&err, msg, sizeof msg))
            abort(); /* a refusal without a word */
        return 0;
    }
    if (s->client.count > 8)
        s->client.count = 8;
    if (s->duration_us > 30000000)
        s->duration_us = 30000000;
    trace_init(&t);
    world_run_limited(s, &t, NULL, &limits);
    null = fopen("/dev/null", "w");
    if (null) {
        trace_write_text(&t, null);
        trace_write_json(&t, null);
        fclose(null);
    }
    trace_free(&t);
    scenario_free(s);
    return 0;
}
