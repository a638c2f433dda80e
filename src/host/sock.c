/*
 * Sockets: what TCP and the applications share. A socket is the
 * application's handle on a connection (or a listener); it may outlive its
 * TCB, or be let go while the TCB lives on as an orphan in FIN-WAIT or
 * TIME-WAIT, as in a real kernel.
 *
 * TCP tells the application what happened through sock_notify(): the event
 * is traced, and the socket wakes its application through the world's
 * wake hook, which the app layer sets (a kernel's sk_data_ready). The
 * application's reaction is a script step that runs later as an event of
 * its own, never inside the TCP code that woke it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "engine.h"

struct sock *
sock_new(struct world *w, uint8_t side, uint32_t conn,
         const struct endpoint_cfg *cfg)
{
    struct sock *s = pool_get(&w->sock_pool);
    struct host *h = &w->hosts[side];

    memset(s, 0, sizeof *s);
    s->w = w;
    s->host = h;
    s->cfg = cfg;
    s->side = side;
    s->conn = conn;
    /* A "clients" entry has its own address; the template's instances
     * take the host's addresses in turn. */
    if (cfg != &w->scn->client)
        s->laddr = h->addr + cfg->addr_index;
    else
        s->laddr = h->naddrs > 1 ? h->addr + (conn ? (conn - 1) % h->naddrs : 0)
                                 : h->addr;
    s->reuseaddr = cfg->reuseaddr;
    s->keepalive = cfg->keepalive;
    s->cork = cfg->cork;
    s->linger = cfg->linger;
    s->fired =
        cfg->nsteps > 64 ? xcalloc((cfg->nsteps + 63) / 64, 8) : &s->fired_word;
    if (side == SIDE_CLIENT && cfg->port)
        s->port = cfg->port;
    s->next = w->socks;
    if (w->socks)
        w->socks->prev = s;
    w->socks = s;
    return s;
}

void
sock_free(struct sock *s)
{
    struct world *w = s->w;

    if (s->prev)
        s->prev->next = s->next;
    else
        w->socks = s->next;
    if (s->next)
        s->next->prev = s->prev;
    if (w->server_newest == s)
        w->server_newest = NULL;
    if (s->bound)
        s->host->nbound--;
    if (s->fired != &s->fired_word)
        free(s->fired);
    pool_put(&w->sock_pool, s);
}

struct sock *
sock_accept(struct tcb *child)
{
    struct world *w = child->w;
    struct sock *l = child->live->listener, *s;

    if (!l)
        return NULL;
    s = sock_new(w, SIDE_SERVER, child->conn, &w->scn->server);
    s->reuseaddr = l->reuseaddr;
    s->keepalive = l->keepalive;
    s->linger = l->linger;
    s->port = child->lport;
    s->ss = SS_CONNECTED; /* inet_accept */
    s->had_conn = true;
    s->tcb = child;
    child->sock = s;
    w->server_newest = s;
    return s;
}

bool
sock_port_bound(const struct host *h, const struct sock *s, uint32_t laddr,
                uint16_t port)
{
    if (h->nbound == 0)
        return false;
    for (const struct sock *o = h->w->socks; o; o = o->next) {
        if (o == s || o->host != h || !o->bound || o->closed ||
            o->port != port || o->laddr != laddr || (o->tcb && !o->tcb->dead))
            continue;
        /* Linux: two sockets that are not listening share a port when
         * both have SO_REUSEADDR (inet_bind_conflict, relaxed for bind). */
        if (!s || !(s->reuseaddr && o->reuseaddr))
            return true;
    }
    return false;
}

/*
 * What the socket keeps of an event for the calls that follow (the linux
 * profile's calls read it, src/tcp/tcp_user.c). A connection that ends
 * with an error leaves it pending (tcp_done_with_error sets sk_err), to be
 * reported once, except where the application has read it already: a
 * connect() that never completed, whose outcome a non-blocking
 * application reads with getsockopt(SO_ERROR), and an application that
 * reads as data arrives, whose read takes the error unless the peer's FIN
 * came first (tcp_recvmsg_locked returns 0 on SOCK_DONE before it looks
 * at sk_err).
 */
static void
remember(struct sock *s, struct tcb *tcb, enum app_event ev, int err)
{
    switch (ev) {
    case EV_CONNECTED: s->connected_once = true; break;
    case EV_EOF: s->peer_fin = true; break;
    case EV_RESET:
    case EV_ERROR:
        if (err && s->connected_once && !(s->cfg->autoread && !s->peer_fin))
            s->pending_err = err;
        break;
    case EV_CLOSED: s->unread_left = tcb->unread; break;
    case EV_NONE:
    case EV_DATA:
    case EV__COUNT: break;
    }
}

static void
notify(struct tcb *tcb, enum app_event ev, int err, uint32_t bytes,
       uint8_t flags, const char *why)
{
    struct sock *s = tcb->sock;
    struct world *w = tcb->w;

    if (!s || s->closed)
        return;
    if (emit_recording(w)) /* the benchmark's path: no call */
        emit_app(w, s->side, s->conn, ev, err, bytes, flags, why);
    if (ev == EV_DATA && s->cfg->autoread)
        tcb->unread = 0; /* the application reads as data arrives */
    remember(s, tcb, ev, err);
    if (ev == EV_CLOSED) {
        s->tcb = NULL;
        tcb->sock = NULL;
    }
    if (w->wake)
        w->wake(s, ev);
    if (ev == EV_CLOSED)
        sock_release(s);
}

void
sock_notify(struct tcb *tcb, enum app_event ev, int err, uint32_t bytes)
{
    notify(tcb, ev, err, bytes, 0, NULL);
}

void
sock_notify_stale(struct tcb *tcb, uint32_t bytes)
{
    notify(tcb, EV_DATA, 0, bytes, TRACE_F_STALE,
           "stale data: an earlier connection on the same ports sent "
           "these bytes, and this one took them as its own");
}
