/*
 * tcp_arc_find looks arcs up in a (from, to) table made from the same list
 * as tcp_arcs(); for every pair of states it must give what a scan of the
 * list gives.
 */
#include "synfin/tcp.h"
#include "tap.h"

static const struct tcp_arc *
scan(const struct tcp_arc *arcs, size_t n, int from, int to)
{
    for (size_t i = 0; i < n; i++)
        if ((int)arcs[i].from == from && (int)arcs[i].to == to)
            return &arcs[i];
    return NULL;
}

int
main(void)
{
    size_t n;
    const struct tcp_arc *arcs = tcp_arcs(&n);
    int disagree = 0, found = 0, dups = 0;

    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            dups += arcs[i].from == arcs[j].from && arcs[i].to == arcs[j].to;
    is_int(dups, 0, "no move is listed twice");
    for (int from = 0; from < TCP__STATE_COUNT; from++)
        for (int to = 0; to < TCP__STATE_COUNT; to++) {
            const struct tcp_arc *want = scan(arcs, n, from, to);
            const struct tcp_arc *got =
                tcp_arc_find((enum tcp_state)from, (enum tcp_state)to);
            found += got != NULL;
            if (got != want) {
                disagree++;
                printf("# %s -> %s: the list says %s, the table %s\n",
                       tcp_state_name((enum tcp_state)from),
                       tcp_state_name((enum tcp_state)to),
                       want ? want->event : "no arc",
                       got ? got->event : "no arc");
            }
        }
    is_int(disagree, 0, "table and list agree on all %d pairs of states",
           TCP__STATE_COUNT * TCP__STATE_COUNT);
    is_int(found, (long long)n, "every listed arc is found");
    ok(!tcp_arc_find((enum tcp_state)TCP__STATE_COUNT, TCP_CLOSED) &&
           !tcp_arc_find(TCP_CLOSED, (enum tcp_state)TCP__STATE_COUNT) &&
           !tcp_arc_find((enum tcp_state) - 1, TCP_CLOSED),
       "states out of range have no arc");
    return done_testing();
}
