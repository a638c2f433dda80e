/*
 * A host's connection table: its TCBs by 4-tuple, and its listeners.
 *
 * The TCBs are in an open-addressing table of (hash, TCB) slots with linear
 * probing, at most half full. A lookup compares stored hashes and reads a
 * TCB only when its hash matches, so probing for a free port among 600,000
 * TCBs in TIME-WAIT costs one cache line, not a walk through cold TCBs.
 * Removal is backward-shift deletion, so there are no tombstones to sweep.
 * The table is never walked in slot order where the result could reach the
 * trace: conn_table_tcbs() gives the order of creation.
 */
#include <stdlib.h>

#include "base/prefetch.h"
#include "base/xalloc.h"
#include "engine.h"

static uint32_t
tuple_hash(uint32_t laddr, uint16_t lport, uint32_t raddr, uint16_t rport)
{
    uint64_t x = ((uint64_t)laddr << 32 | raddr) ^
                 ((uint64_t)lport << 16 | rport) * 0x9e3779b97f4a7c15ull;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 32;
    return (uint32_t)x;
}

static uint32_t
tcb_hash(const struct tcb *tcb)
{
    return tuple_hash(tcb->laddr, tcb->lport, tcb->raddr, tcb->rport);
}

static void
grow(struct host *h)
{
    uint32_t n = h->nslots ? h->nslots * 2 : 64;
    struct tcb_slot *s = pool_calloc_huge(n, sizeof *s);

    for (uint32_t i = 0; i < h->nslots; i++) {
        const struct tcb_slot *o = &h->slots[i];
        uint32_t k = o->hash & (n - 1);
        if (!o->tcb)
            continue;
        while (s[k].tcb)
            k = (k + 1) & (n - 1);
        s[k] = *o;
    }
    free(h->slots);
    h->slots = s;
    h->nslots = n;
}

void
conn_table_insert(struct tcb *tcb)
{
    struct host *h = tcb->host;
    uint32_t hash = tcb_hash(tcb);
    uint32_t k;

    if (2 * (h->ntcbs + 1) > h->nslots)
        grow(h);
    k = hash & (h->nslots - 1);
    while (h->slots[k].tcb)
        k = (k + 1) & (h->nslots - 1);
    h->slots[k].hash = hash;
    h->slots[k].tcb = tcb;
    tcb->hashed = true;
    h->ntcbs++;
}

void
conn_table_remove(struct tcb *tcb)
{
    struct host *h = tcb->host;
    uint32_t mask = h->nslots - 1;
    uint32_t i = tcb_hash(tcb) & mask;

    if (!tcb->hashed)
        return;
    while (h->slots[i].tcb != tcb)
        i = (i + 1) & mask;
    /* Backward-shift deletion: pull each later slot of the cluster into
     * the hole unless that would put it before its home slot. */
    for (uint32_t j = (i + 1) & mask; h->slots[j].tcb; j = (j + 1) & mask) {
        uint32_t home = h->slots[j].hash & mask;
        if (((j - home) & mask) >= ((j - i) & mask)) {
            h->slots[i] = h->slots[j];
            i = j;
        }
    }
    h->slots[i].tcb = NULL;
    tcb->hashed = false;
    h->ntcbs--;
    h->freed++;
}

struct tcb *
conn_table_lookup(const struct host *h, uint32_t laddr, uint16_t lport,
                  uint32_t raddr, uint16_t rport)
{
    uint32_t hash = tuple_hash(laddr, lport, raddr, rport),
             mask = h->nslots - 1;

    if (!h->nslots)
        return NULL;
    for (uint32_t k = hash & mask; h->slots[k].tcb; k = (k + 1) & mask) {
        const struct tcb *t = h->slots[k].tcb;
        if (h->slots[k].hash == hash && t->lport == lport &&
            t->rport == rport && t->raddr == raddr && t->laddr == laddr)
            return h->slots[k].tcb;
    }
    return NULL;
}

struct tcb *
conn_table_listener(const struct host *h, uint16_t port)
{
    for (uint32_t i = 0; i < h->nlisteners; i++)
        if (h->listeners[i]->lport == port)
            return h->listeners[i];
    return NULL;
}

bool
conn_table_add_listener(struct tcb *lst)
{
    struct host *h = lst->host;

    if (h->nlisteners == sizeof h->listeners / sizeof h->listeners[0])
        return false;
    h->listeners[h->nlisteners++] = lst;
    return true;
}

void
conn_table_remove_listener(struct tcb *lst)
{
    struct host *h = lst->host;

    for (uint32_t i = 0; i < h->nlisteners; i++) {
        if (h->listeners[i] == lst) {
            h->listeners[i] = h->listeners[--h->nlisteners];
            h->freed++;
            return;
        }
    }
}

bool
conn_table_port_taken(const struct host *h, uint32_t laddr, uint16_t port,
                      bool reuseaddr)
{
    for (uint32_t i = 0; i < h->nslots; i++) {
        const struct tcb *t = h->slots[i].tcb;
        if (t && t->lport == port && t->laddr == laddr &&
            !(reuseaddr && t->reuseaddr))
            return true;
    }
    return false;
}

/* Order of creation: a crash or a closed listener takes TCBs in this
 * order, whatever their places in the table. */
static int
cmp_gen(const void *a, const void *b)
{
    uint32_t x = (*(struct tcb *const *)a)->gen;
    uint32_t y = (*(struct tcb *const *)b)->gen;
    return (x > y) - (x < y);
}

size_t
conn_table_tcbs(const struct host *h, struct tcb ***out)
{
    struct tcb **tcbs = xcalloc(h->ntcbs, sizeof *tcbs);
    size_t n = 0;

    for (uint32_t i = 0; i < h->nslots; i++)
        if (h->slots[i].tcb)
            tcbs[n++] = h->slots[i].tcb;
    qsort(tcbs, n, sizeof *tcbs, cmp_gen);
    *out = tcbs;
    return n;
}

void
conn_table_prefetch(const struct host *h, uint32_t laddr, uint16_t lport,
                    uint32_t raddr, uint16_t rport)
{
    if (h->nslots)
        prefetch_read(&h->slots[tuple_hash(laddr, lport, raddr, rport) &
                                (h->nslots - 1)]);
}

void
conn_table_prefetch_tcb(const struct tcb *tcb)
{
    if (tcb && tcb->hashed)
        conn_table_prefetch(tcb->host, tcb->laddr, tcb->lport, tcb->raddr,
                            tcb->rport);
}
