/*
 * The scenario's injected segments ("network": {"inject": [...]}): at its
 * time each is put on the wire as if the peer of its receiver had sent it
 * on its connection, tagged SEG_INJECTED, with numbers counted from that
 * connection's ISNs. The receiver's TCB gives them (its IRS is the
 * sender's ISN); if it is gone, the sender's does. With neither, there is
 * no connection to aim at, and nothing is sent.
 */
#include <stdlib.h>

#include "base/xalloc.h"
#include "engine.h"

struct inject_run {
    struct sim_timer timer;
    struct world *w;
    const struct net_inject *in;
};

/* The newest live TCB of connection conn on host h, or NULL. */
static struct tcb *
conn_tcb(const struct host *h, uint32_t conn)
{
    struct tcb **tcbs, *found = NULL;
    size_t n = conn_table_tcbs(h, &tcbs);

    for (size_t i = 0; i < n; i++)
        if (tcbs[i]->conn == conn && !tcbs[i]->dead)
            found = tcbs[i]; /* in order of creation: the last is newest */
    free(tcbs);
    return found;
}

static void
on_inject(struct sim *sim, void *arg)
{
    struct inject_run *r = arg;
    struct world *w = r->w;
    const struct net_inject *in = r->in;
    uint8_t from = in->to == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
    struct tcb *rx = conn_tcb(&w->hosts[in->to], in->conn);
    struct tcb *tx = rx ? NULL : conn_tcb(&w->hosts[from], in->conn);
    struct seg_view seg = {
        .len = in->bytes,
        .wnd = (uint16_t)w->tcp.window,
        .flags = in->flags,
        .tags = SEG_INJECTED,
        .ttl = w->tcp.ttl,
    };
    (void)sim;

    if (rx) {
        seg.saddr = rx->raddr;
        seg.daddr = rx->laddr;
        seg.sport = rx->rport;
        seg.dport = rx->lport;
        seg.seq = rx->irs + (uint32_t)in->seq;
        seg.ack = rx->iss + (uint32_t)in->ack;
    } else if (tx) {
        seg.saddr = tx->laddr;
        seg.daddr = tx->raddr;
        seg.sport = tx->lport;
        seg.dport = tx->rport;
        seg.seq = tx->iss + (uint32_t)in->seq;
        seg.ack = tx->irs + (uint32_t)in->ack;
    } else {
        return;
    }
    net_send(w, NULL, &seg, from, in->conn);
}

void
inject_start(struct world *w)
{
    const struct net_params *np = &w->scn->net;

    if (np->ninjects == 0)
        return;
    w->inject_runs = xcalloc(np->ninjects, sizeof *w->inject_runs);
    for (size_t i = 0; i < np->ninjects; i++) {
        struct inject_run *r = &w->inject_runs[i];
        r->w = w;
        r->in = &np->injects[i];
        sim_arm(w->sim, &r->timer, r->in->at_us, on_inject, r, "net.inject");
    }
}
