/*
 * --counts: how many connections were in each state on each side over
 * time, as CSV: the time series that `ss -tan state time-wait | wc -l`
 * sampled every instant would give on a real host. One row per instant at
 * which a count changed, with the counts at the end of that instant.
 */
#include <inttypes.h>
#include <string.h>

#include "export/export.h"

static void
put_row(FILE *out, uint64_t t_us, const struct state_counts *c)
{
    fprintf(out, "%" PRIu64 ".%06" PRIu64, t_us / 1000000, t_us % 1000000);
    for (int side = 0; side < 2; side++)
        for (int k = 0; k < TCP__STATE_COUNT; k++)
            if (k != TCP_CLOSED)
                fprintf(out, ",%" PRId64, c->n[side][k]);
    fputc('\n', out);
}

int
counts_write_csv(const struct trace *t, FILE *out)
{
    static const char *const side_name[2] = {"client", "server"};
    struct state_counts c, written;
    bool have_row = false;

    memset(&c, 0, sizeof c);
    fputs("time_s", out);
    for (int side = 0; side < 2; side++)
        for (int k = 0; k < TCP__STATE_COUNT; k++)
            if (k != TCP_CLOSED)
                fprintf(out, ",%s %s", side_name[side],
                        tcp_state_name((enum tcp_state)k));
    fputc('\n', out);
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);

        state_counts_step(&c, e);
        /* The end of an instant: write the counts if they moved. */
        if ((i + 1 == t->len || trace_at(t, i + 1)->t_us != e->t_us) &&
            (!have_row || memcmp(&c, &written, sizeof c) != 0)) {
            put_row(out, e->t_us, &c);
            written = c;
            have_row = true;
        }
    }
    return ferror(out) ? -1 : 0;
}
