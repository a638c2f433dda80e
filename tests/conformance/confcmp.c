/*
 * confcmp: compare what real Linux did (realrun's real.jsonl) with what
 * synfin's linux profile did (synfin --trace-json) for one scenario.
 *
 *   confcmp SIM.jsonl REAL.jsonl
 *
 * It compares, up to the real run's horizon:
 *   1. the segments of each direction, in order, by flags, sequence and
 *      acknowledgment numbers relative to each connection's ISNs, and
 *      length, and whether a SYN's ISN is the old SND.NXT + 65537 (a
 *      4-tuple taken over from TIME-WAIT), and whether the scenario
 *      crafted it (network.inject: realrun tags the ones it sent);
 *   2. the order of segments across directions, where the engine has them
 *      at least 1 ms apart (closer than that, loopback may swap them);
 *   3. the time from each matched segment to the next, within
 *      10 ms + 1/8 of the engine's gap (docs/fidelity.md says why), or
 *      failing that its time since time zero, within the same tolerance;
 *   4. the states each side passes through;
 *   5. what each application was told (connected, eof, reset, error and
 *      their errno; data merged; "closed" left out) and its calls' results.
 * Every difference is one line "DIFF <signature>" (no times in it, so that
 * a known difference reads the same on every run), followed by lines of
 * evidence that start with two spaces. The report ends with "SAME" or
 * "DIFFERENT". Exit status: 0 same, 1 different, 2 error.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXN 512

struct seg {
    int64_t t_us;
    int from; /* 0 client, 1 server */
    char flags[24];
    uint32_t seq, ack, len;
    bool has_ack, syn, fin, retx, dropped;
    bool injected; /* crafted by the scenario (network.inject) */
    uint32_t id;
    int nth; /* occurrence of the same text in its direction */
    char text[96];
};

struct item { /* a state, app event or call, for sequence comparison */
    int64_t t_us;
    char text[64];
};

struct side_log {
    struct item states[MAXN], app[MAXN], calls[MAXN];
    size_t nstates, napp, ncalls;
};

struct run {
    struct seg segs[MAXN];
    size_t nsegs;
    struct side_log side[2];
    uint32_t isn[2];
    bool has_isn[2];
};

static struct run sim, real;
static int64_t horizon = INT64_MAX;
static int ndiff;
static bool tracepoint = true;

static const char *const side_name[2] = {"client", "server"};
/* The engine's end of a TIME-WAIT, held (see sim_line), or -1. */
static int64_t tw_end[2] = {-1, -1};

static void diff(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
diff(const char *fmt, ...)
{
    va_list ap;
    printf("DIFF ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    ndiff++;
}

static int
side_of(const char *s)
{
    return s && strcmp(s, "client") == 0   ? 0
           : s && strcmp(s, "server") == 0 ? 1
                                           : -1;
}

static const char *
str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int64_t
num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static bool
boolean(const cJSON *o, const char *k)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static void
add_item(struct item *arr, size_t *n, int64_t t, const char *text)
{
    if (*n == MAXN)
        return;
    arr[*n].t_us = t;
    snprintf(arr[*n].text, sizeof arr[*n].text, "%s", text);
    (*n)++;
}

static struct seg *
add_seg(struct run *r, int64_t t, int from, const char *flags, uint32_t seq,
        uint32_t ack, uint32_t len, bool retx, uint32_t id)
{
    struct seg *s;

    if (r->nsegs == MAXN || from < 0)
        return NULL;
    s = &r->segs[r->nsegs++];
    memset(s, 0, sizeof *s);
    s->t_us = t;
    s->from = from;
    snprintf(s->flags, sizeof s->flags, "%s", flags);
    s->seq = seq;
    s->ack = ack;
    s->len = len;
    s->syn = strstr(flags, "SYN") != NULL;
    s->fin = strstr(flags, "FIN") != NULL;
    s->has_ack = strstr(flags, "ACK") != NULL;
    s->retx = retx;
    s->id = id;
    return s;
}

typedef void line_fn(const cJSON *o);

static int
read_lines(const char *path, line_fn *fn)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0;

    if (!f) {
        perror(path);
        return -1;
    }
    while ((n = getline(&line, &cap, f)) > 0) {
        cJSON *o = cJSON_Parse(line);
        lineno++;
        if (!o) {
            fprintf(stderr, "%s:%d: not JSON\n", path, lineno);
            free(line);
            fclose(f);
            return -1;
        }
        fn(o);
        cJSON_Delete(o);
    }
    free(line);
    fclose(f);
    return 0;
}

/* ---- the engine's trace ----------------------------------------------- */

static void
sim_line(const cJSON *o)
{
    const char *kind = str(o, "kind");
    int64_t t = num(o, "t_us");
    int side = side_of(str(o, "side"));
    char text[64];

    if (!kind)
        return;
    if (strcmp(kind, "send") == 0) {
        const cJSON *sg = cJSON_GetObjectItemCaseSensitive(o, "seg");
        struct seg *s;
        if (!sg || boolean(sg, "icmp") || boolean(sg, "dup"))
            return;
        s = add_seg(&sim, t, side_of(str(sg, "from")), str(sg, "flags"),
                    (uint32_t)num(sg, "seq"), (uint32_t)num(sg, "ack"),
                    (uint32_t)num(sg, "len"), num(sg, "retx") > 0,
                    (uint32_t)num(sg, "id"));
        if (s)
            s->injected = boolean(sg, "injected");
    } else if (strcmp(kind, "drop") == 0) {
        const cJSON *sg = cJSON_GetObjectItemCaseSensitive(o, "seg");
        uint32_t id = (uint32_t)num(sg, "id");
        for (size_t i = 0; i < sim.nsegs; i++)
            if (sim.segs[i].id == id)
                sim.segs[i].dropped = true;
    } else if (strcmp(kind, "state") == 0 && side >= 0) {
        /* Linux's timewait socket has no tracepoint: the sampler sees it
         * vanish (real_states makes that "CLOSED"), which it does not when
         * a new connection takes its 4-tuple over. So the engine's end of
         * a TIME-WAIT counts only when no new connection of the side starts
         * at the same instant: it is held until the side's next state. */
        const char *from = str(o, "from");
        if (tw_end[side] >= 0) {
            bool taken =
                t == tw_end[side] && from &&
                (strcmp(from, "CLOSED") == 0 || strcmp(from, "LISTEN") == 0);
            if (!taken)
                add_item(sim.side[side].states, &sim.side[side].nstates,
                         tw_end[side], "CLOSED");
            tw_end[side] = -1;
        }
        if (from && strcmp(from, "TIME-WAIT") == 0) {
            tw_end[side] = t;
            return;
        }
        add_item(sim.side[side].states, &sim.side[side].nstates, t,
                 str(o, "to"));
    } else if (strcmp(kind, "app") == 0 && side >= 0) {
        const char *ev = str(o, "event"), *err = str(o, "error");
        if (!ev)
            return;
        snprintf(text, sizeof text, "%s%s%s", ev,
                 err && strcmp(err, "0") != 0 ? " " : "",
                 err && strcmp(err, "0") != 0 ? err : "");
        add_item(sim.side[side].app, &sim.side[side].napp, t, text);
    } else if (strcmp(kind, "call") == 0 && side >= 0) {
        snprintf(text, sizeof text, "%s() = %s", str(o, "call"),
                 str(o, "result") ? str(o, "result") : "?");
        add_item(sim.side[side].calls, &sim.side[side].ncalls, t, text);
    }
}

/* ---- what Linux did --------------------------------------------------- */

struct obs { /* a state observation: tracepoint transition or ss sample */
    int64_t t_us;
    int side;
    unsigned lport, rport;
    char state[16];
    bool tracepoint;
    bool fresh;    /* a transition from CLOSED: a socket starts */
    bool timewait; /* a sample of a timewait socket */
    bool skip;
};
static struct obs obs[4 * MAXN];
static size_t nobs;

static void
real_line(const cJSON *o)
{
    const char *kind = str(o, "kind");
    int64_t t = num(o, "t_us");
    int side = side_of(str(o, "side"));
    char text[64];

    if (!kind)
        return;
    if (strcmp(kind, "meta") == 0) {
        horizon = num(o, "horizon_us");
        tracepoint = boolean(o, "tracepoint");
        printf("  kernel: %s\n", str(o, "kernel") ? str(o, "kernel") : "?");
    } else if (strcmp(kind, "seg") == 0) {
        struct seg *s =
            add_seg(&real, t, side_of(str(o, "from")), str(o, "flags"),
                    (uint32_t)num(o, "seq"), (uint32_t)num(o, "ack"),
                    (uint32_t)num(o, "len"), false, 0);
        if (s)
            s->injected = boolean(o, "injected");
    } else if ((strcmp(kind, "state") == 0 || strcmp(kind, "ss") == 0) &&
               side >= 0 && nobs < sizeof obs / sizeof obs[0]) {
        struct obs *b = &obs[nobs++];
        b->t_us = t;
        b->side = side;
        b->lport = (unsigned)num(o, "lport");
        b->rport = (unsigned)num(o, "rport");
        b->tracepoint = strcmp(kind, "state") == 0;
        b->fresh = b->tracepoint && str(o, "from") &&
                   strcmp(str(o, "from"), "CLOSED") == 0;
        snprintf(b->state, sizeof b->state, "%s",
                 str(o, b->tracepoint ? "to" : "state"));
    } else if (strcmp(kind, "app") == 0 && side >= 0) {
        const char *ev = str(o, "event"), *err = str(o, "error");
        snprintf(text, sizeof text, "%s%s%s", ev,
                 err && strcmp(err, "0") != 0 ? " " : "",
                 err && strcmp(err, "0") != 0 ? err : "");
        add_item(real.side[side].app, &real.side[side].napp, t, text);
    } else if (strcmp(kind, "call") == 0 && side >= 0) {
        snprintf(text, sizeof text, "%s() = %s", str(o, "call"),
                 str(o, "result"));
        add_item(real.side[side].calls, &real.side[side].ncalls, t, text);
    }
}

static int
cmp_obs(const void *a, const void *b)
{
    const struct obs *x = a, *y = b;
    if (x->t_us != y->t_us)
        return x->t_us < y->t_us ? -1 : 1;
    /* A tracepoint transition is exact; a sample shows it later. */
    return (int)y->tracepoint - (int)x->tracepoint;
}

/*
 * One state sequence per side from the observations. A full socket that
 * the tracepoint shows going to CLOSED while the socket table then holds
 * its 4-tuple in TIME-WAIT or FIN-WAIT-2 (before a new socket takes the
 * 4-tuple: that one may end there too) did not close: Linux handed the
 * connection to a timewait socket, which the tracepoint does not follow.
 */
static void
real_states(void)
{
    struct {
        int side;
        unsigned lport, rport;
        char state[16];
    } cur[64];
    size_t ncur = 0;

    qsort(obs, nobs, sizeof obs[0], cmp_obs);
    for (size_t i = 0; i < nobs; i++) {
        int64_t until = INT64_MAX; /* a new socket on the 4-tuple, if any */
        if (!obs[i].tracepoint || strcmp(obs[i].state, "CLOSED") != 0)
            continue;
        for (size_t k = 0; k < nobs; k++)
            if (obs[k].tracepoint && obs[k].t_us > obs[i].t_us &&
                obs[k].t_us < until && obs[k].side == obs[i].side &&
                obs[k].lport == obs[i].lport && obs[k].rport == obs[i].rport)
                until = obs[k].t_us;
        for (size_t j = 0; j < nobs; j++)
            if (!obs[j].tracepoint && obs[j].side == obs[i].side &&
                obs[j].lport == obs[i].lport && obs[j].rport == obs[i].rport &&
                obs[j].t_us + 1000 >= obs[i].t_us && obs[j].t_us < until &&
                (strcmp(obs[j].state, "TIME-WAIT") == 0 ||
                 strcmp(obs[j].state, "FIN-WAIT-2") == 0)) {
                obs[i].skip = true;
                obs[j].timewait = true;
            }
    }
    /* A timewait socket's end: the sample that finds it gone from the
     * table (an orphan's FIN-WAIT-2 ends within the run). */
    for (size_t i = 0; i < nobs; i++) {
        if (obs[i].tracepoint || strcmp(obs[i].state, "CLOSED") != 0)
            continue;
        for (size_t j = i; j-- > 0;)
            if (!obs[j].tracepoint && obs[j].side == obs[i].side &&
                obs[j].lport == obs[i].lport && obs[j].rport == obs[i].rport) {
                obs[i].timewait = obs[j].timewait;
                break;
            }
    }
    /* Nor does the tracepoint see a request socket (a passive open's
     * SYN-RECEIVED) that never becomes a full socket: a 4-tuple it never
     * names is the samples' alone. */
    for (size_t i = 0; i < nobs; i++) {
        bool named = false;
        if (obs[i].tracepoint)
            continue;
        for (size_t j = 0; j < nobs && !named; j++)
            named = obs[j].tracepoint && obs[j].side == obs[i].side &&
                    obs[j].lport == obs[i].lport &&
                    obs[j].rport == obs[i].rport;
        if (!named)
            obs[i].timewait = true;
    }
    /* With the tracepoint, a sample adds only what it cannot see: a
     * timewait socket. Other samples are late copies of transitions it
     * has exactly, and a sample taken across a transition could only
     * put them out of order. */
    for (size_t i = 0; i < nobs; i++)
        if (tracepoint && !obs[i].tracepoint && !obs[i].timewait)
            obs[i].skip = true;
    for (size_t i = 0; i < nobs; i++) {
        struct obs *b = &obs[i];
        struct side_log *sl = &real.side[b->side];
        size_t k;

        if (b->skip || b->t_us > horizon)
            continue;
        for (k = 0; k < ncur; k++)
            if (cur[k].side == b->side && cur[k].lport == b->lport &&
                cur[k].rport == b->rport)
                break;
        /* A socket that connect() gives its port only after SYN-SENT
         * (an ephemeral one) enters SYN-SENT as port 0, every time: a
         * new socket's first state is never a repeat. */
        if (k < ncur && !b->fresh && strcmp(cur[k].state, b->state) == 0)
            continue;
        if (k == ncur) {
            if (ncur == 64)
                continue;
            ncur++;
            cur[k].side = b->side;
            cur[k].lport = b->lport;
            cur[k].rport = b->rport;
        }
        snprintf(cur[k].state, sizeof cur[k].state, "%s", b->state);
        add_item(sl->states, &sl->nstates, b->t_us, b->state);
    }
}

/* ---- comparing -------------------------------------------------------- */

/* Numbers relative to each connection's ISNs: a side's ISN is that of its
 * latest SYN with a new sequence number (copies of a SYN keep it). The
 * first SYNs are found before any segment is read, as the other side's
 * first segment may come before its SYN (a RST to a SYN).
 *
 * A new SYN whose ISN is the side's previous SND.NXT (the end of the
 * sequence space it has sent) + 65537 is one that Linux numbered from a
 * TIME-WAIT it took over (tcp_twsk_unique) or that it reopened
 * (tcp_timewait_state_process): its text says so, which a clock's ISN
 * matches by chance once in 2^32. */
static void
relative(struct run *r)
{
    uint32_t nxt[2] = {0, 0}; /* each side's SND.NXT, as sent so far */
    bool has_nxt[2] = {false, false};
    bool tw_isn[2] = {false, false}; /* the side's ISN is from TIME-WAIT */

    for (size_t i = 0; i < r->nsegs; i++) {
        struct seg *s = &r->segs[i];
        if (s->syn && !s->injected && !r->has_isn[s->from]) {
            r->isn[s->from] = s->seq;
            r->has_isn[s->from] = true;
        }
    }
    for (size_t i = 0; i < r->nsegs; i++) {
        struct seg *s = &r->segs[i];
        int to = 1 - s->from;
        uint32_t end = s->seq + s->len + s->syn + s->fin;
        /* A crafted segment is numbered from the connection's ISNs and
         * changes neither them nor the sender's SND.NXT. */
        bool new_syn = s->syn && !s->injected && s->seq != r->isn[s->from];
        if (new_syn)
            tw_isn[s->from] =
                has_nxt[s->from] && s->seq - nxt[s->from] == 65537;
        bool from_tw = s->syn && tw_isn[s->from]; /* copies too */
        if (new_syn)
            has_nxt[s->from] = false; /* a new connection's space */
        if (!s->injected &&
            (!has_nxt[s->from] || (int32_t)(end - nxt[s->from]) > 0))
            nxt[s->from] = end;
        if (!s->injected)
            has_nxt[s->from] = true;
        if (s->syn && !s->injected)
            r->isn[s->from] = s->seq;
        uint32_t seq = r->has_isn[s->from] ? s->seq - r->isn[s->from] : s->seq;
        uint32_t ack = r->has_isn[to] ? s->ack - r->isn[to] : s->ack;
        int nth = 1;
        int n;

        if (s->has_ack)
            n = snprintf(s->text, sizeof s->text, "%s %s %u:%u(%u) ack %u",
                         side_name[s->from], s->flags, seq, seq + s->len,
                         s->len, ack);
        else
            n = snprintf(s->text, sizeof s->text, "%s %s %u:%u(%u)",
                         side_name[s->from], s->flags, seq, seq + s->len,
                         s->len);
        if (from_tw && n > 0 && (size_t)n < sizeof s->text)
            snprintf(s->text + n, sizeof s->text - (size_t)n,
                     " isn=old SND.NXT+65537");
        else if (s->injected && n > 0 && (size_t)n < sizeof s->text)
            snprintf(s->text + n, sizeof s->text - (size_t)n, " injected");
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->segs[j].text, s->text) == 0)
                nth++;
        s->nth = nth;
    }
}

/* Linux marks nothing: a segment that repeats sequence space already sent
 * (SYN, data or FIN) is a retransmission. */
static void
mark_retx(struct run *r)
{
    for (size_t i = 0; i < r->nsegs; i++)
        for (size_t j = 0; j < i; j++)
            if (r->segs[j].from == r->segs[i].from && !r->segs[i].injected &&
                !r->segs[j].injected &&
                (r->segs[i].syn || r->segs[i].fin || r->segs[i].len) &&
                strcmp(r->segs[j].flags, r->segs[i].flags) == 0 &&
                r->segs[j].seq == r->segs[i].seq &&
                r->segs[j].len == r->segs[i].len) {
                r->segs[i].retx = true;
                break;
            }
}

/*
 * Longest common subsequence of two lists of strings: match[i] is the
 * index in b of a[i], or -1.
 */
static void
lcs(const char *const *a, size_t na, const char *const *b, size_t nb,
    int *match)
{
    size_t w = nb + 1;
    unsigned *L = calloc((na + 1) * w, sizeof *L);

    if (!L)
        abort();
    for (size_t i = na; i-- > 0;)
        for (size_t j = nb; j-- > 0;)
            L[i * w + j] = strcmp(a[i], b[j]) == 0 ? L[(i + 1) * w + j + 1] + 1
                           : L[(i + 1) * w + j] > L[i * w + j + 1]
                               ? L[(i + 1) * w + j]
                               : L[i * w + j + 1];
    for (size_t i = 0; i < na; i++)
        match[i] = -1;
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        if (strcmp(a[i], b[j]) == 0) {
            match[i] = (int)j;
            i++;
            j++;
        } else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) {
            i++;
        } else {
            j++;
        }
    }
    free(L);
}

static void
fmt_t(char *buf, size_t size, int64_t t)
{
    snprintf(buf, size, "%9.3f ms", (double)t / 1000.0);
}

/* Segments: per direction, then timing and cross-direction order. */
static void
compare_segments(void)
{
    int match_sim[MAXN]; /* sim index -> real index */
    size_t ns = 0;

    for (size_t i = 0; i < sim.nsegs; i++)
        match_sim[i] = -1;
    while (ns < sim.nsegs && sim.segs[ns].t_us <= horizon)
        ns++;
    printf("  segments (relative seq:end(len) ack; time since time zero):\n");
    for (int d = 0; d < 2; d++) {
        const char *a[MAXN], *b[MAXN];
        size_t ia[MAXN], ib[MAXN], na = 0, nb = 0;
        int m[MAXN];
        size_t j = 0;

        for (size_t i = 0; i < ns; i++)
            if (sim.segs[i].from == d) {
                ia[na] = i;
                a[na++] = sim.segs[i].text;
            }
        for (size_t i = 0; i < real.nsegs; i++)
            if (real.segs[i].from == d) {
                ib[nb] = i;
                b[nb++] = real.segs[i].text;
            }
        lcs(a, na, b, nb, m);
        printf("  %s -> %s:\n", side_name[d], side_name[1 - d]);
        for (size_t i = 0; i <= na; i++) {
            size_t stop =
                i < na && m[i] >= 0 ? (size_t)m[i] : (i == na ? nb : j);
            char ts[32], tr[32];
            for (; j < stop; j++) {
                const struct seg *r = &real.segs[ib[j]];
                fmt_t(tr, sizeof tr, r->t_us);
                printf("    + real only %s  %s%s\n", tr, r->text,
                       r->retx ? " (retransmission)" : "");
                diff("segment only on Linux: %s #%d%s", r->text, r->nth,
                     r->retx ? " (retransmission)" : "");
            }
            if (i == na)
                break;
            fmt_t(ts, sizeof ts, sim.segs[ia[i]].t_us);
            if (m[i] >= 0) {
                const struct seg *r = &real.segs[ib[m[i]]];
                fmt_t(tr, sizeof tr, r->t_us);
                printf("    = sim %s  real %s  %s%s%s\n", ts, tr, r->text,
                       sim.segs[ia[i]].retx ? " (retransmission)" : "",
                       sim.segs[ia[i]].dropped ? " (dropped)" : "");
                match_sim[ia[i]] = (int)ib[m[i]];
                j = (size_t)m[i] + 1;
            } else {
                const struct seg *s = &sim.segs[ia[i]];
                printf("    - sim only  %s  %s%s%s\n", ts, s->text,
                       s->retx ? " (retransmission)" : "",
                       s->dropped ? " (dropped)" : "");
                diff("segment only in synfin: %s #%d%s", s->text, s->nth,
                     s->retx ? " (retransmission)" : "");
            }
        }
    }
    /* Timing and order of matched segments, in the engine's order. */
    {
        int64_t prev_s = 0, prev_r = 0;
        for (size_t i = 0; i < ns; i++) {
            const struct seg *s = &sim.segs[i], *r;
            int64_t gs, gr, tol;
            if (match_sim[i] < 0)
                continue;
            r = &real.segs[match_sim[i]];
            gs = s->t_us - prev_s;
            gr = r->t_us - prev_r;
            tol = 10000 + gs / 8;
            /* A segment late or early after its predecessor is still on
             * time if it is where the engine has it since time zero: the
             * predecessor was the one off (it is reported itself). */
            if ((gr - gs > tol || gs - gr > tol) &&
                llabs(r->t_us - s->t_us) <= tol)
                gr = gs;
            if (gs >= 1000 && gr < 0) {
                diff("order: %s #%d comes before the segment synfin sends "
                     "first",
                     s->text, s->nth);
                printf("  synfin sends it %.3f ms after the previous one, "
                       "Linux %.3f ms before\n",
                       (double)gs / 1000, (double)-gr / 1000);
            } else if (gr - gs > tol || gs - gr > tol) {
                diff("timing: %s #%d%s", s->text, s->nth,
                     s->retx ? " (retransmission)" : "");
                printf("  after the previous matched segment: synfin %.3f "
                       "ms, Linux %.3f ms (tolerance %.3f ms)\n",
                       (double)gs / 1000, (double)gr / 1000,
                       (double)tol / 1000);
            }
            prev_s = s->t_us;
            prev_r = r->t_us;
        }
    }
}

/* Two sequences of items, in order. */
static void
compare_items(const char *what, int side, const struct item *a, size_t na,
              const struct item *b, size_t nb, bool data_merge)
{
    const char *sa[MAXN], *sb[MAXN];
    size_t xa[MAXN], xb[MAXN], ka = 0, kb = 0, j = 0;
    int m[MAXN];

    for (size_t i = 0; i < na; i++) {
        if (a[i].t_us > horizon || strcmp(a[i].text, "closed") == 0 ||
            (data_merge && ka > 0 && strncmp(a[i].text, "data", 4) == 0 &&
             strcmp(sa[ka - 1], a[i].text) == 0) ||
            (!data_merge && ka > 0 && strcmp(sa[ka - 1], a[i].text) == 0 &&
             strcmp(what, "states") == 0))
            continue;
        xa[ka] = i;
        sa[ka++] = a[i].text;
    }
    for (size_t i = 0; i < nb; i++) {
        if (b[i].t_us > horizon || strcmp(b[i].text, "closed") == 0 ||
            (data_merge && kb > 0 && strncmp(b[i].text, "data", 4) == 0 &&
             strcmp(sb[kb - 1], b[i].text) == 0) ||
            (!data_merge && kb > 0 && strcmp(sb[kb - 1], b[i].text) == 0 &&
             strcmp(what, "states") == 0))
            continue;
        xb[kb] = i;
        sb[kb++] = b[i].text;
    }
    lcs(sa, ka, sb, kb, m);
    printf("  %s of the %s:\n", what, side_name[side]);
    for (size_t i = 0; i <= ka; i++) {
        size_t stop = i < ka && m[i] >= 0 ? (size_t)m[i] : (i == ka ? kb : j);
        char t1[32], t2[32];
        for (; j < stop; j++) {
            fmt_t(t2, sizeof t2, b[xb[j]].t_us);
            printf("    + real only %s  %s\n", t2, sb[j]);
            diff("%s: %s: only on Linux: %s", what, side_name[side], sb[j]);
        }
        if (i == ka)
            break;
        fmt_t(t1, sizeof t1, a[xa[i]].t_us);
        if (m[i] >= 0) {
            fmt_t(t2, sizeof t2, b[xb[m[i]]].t_us);
            printf("    = sim %s  real %s  %s\n", t1, t2, sa[i]);
            j = (size_t)m[i] + 1;
        } else {
            printf("    - sim only  %s  %s\n", t1, sa[i]);
            diff("%s: %s: only in synfin: %s", what, side_name[side], sa[i]);
        }
    }
}

static void
merge_data(struct side_log *sl)
{
    /* "data N" -> "data": byte counts depend on how segments were read. */
    for (size_t i = 0; i < sl->napp; i++)
        if (strncmp(sl->app[i].text, "data", 4) == 0)
            sl->app[i].text[4] = 0;
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: confcmp SIM.jsonl REAL.jsonl\n", stderr);
        return 2;
    }
    if (read_lines(argv[2], real_line) != 0 ||
        read_lines(argv[1], sim_line) != 0)
        return 2;
    for (int d = 0; d < 2; d++)
        if (tw_end[d] >= 0)
            add_item(sim.side[d].states, &sim.side[d].nstates, tw_end[d],
                     "CLOSED");
    if (horizon == INT64_MAX) {
        fprintf(stderr, "%s: no meta record\n", argv[2]);
        return 2;
    }
    printf("  horizon: %.3f s (the engine's last event but the end of "
           "TIME-WAIT, plus 1.5 s)\n",
           (double)horizon / 1e6);
    if (!tracepoint)
        printf("  states: from socket-table samples only (no tracefs): "
               "states shorter than 1 ms may be missing\n");
    real_states();
    relative(&sim);
    relative(&real);
    mark_retx(&real);
    compare_segments();
    for (int d = 0; d < 2; d++) {
        if (tracepoint)
            compare_items("states", d, sim.side[d].states, sim.side[d].nstates,
                          real.side[d].states, real.side[d].nstates, false);
        else {
            /* Samples miss short states: only what was seen must be in
             * the engine's sequence, in order. */
            int m[MAXN];
            const char *a[MAXN], *b[MAXN];
            for (size_t i = 0; i < real.side[d].nstates; i++)
                b[i] = real.side[d].states[i].text;
            for (size_t i = 0; i < sim.side[d].nstates; i++)
                a[i] = sim.side[d].states[i].text;
            lcs(b, real.side[d].nstates, a, sim.side[d].nstates, m);
            for (size_t i = 0; i < real.side[d].nstates; i++)
                if (m[i] < 0)
                    diff("states: %s: only on Linux: %s", side_name[d], b[i]);
        }
        merge_data(&sim.side[d]);
        merge_data(&real.side[d]);
        compare_items("app events", d, sim.side[d].app, sim.side[d].napp,
                      real.side[d].app, real.side[d].napp, true);
        compare_items("calls", d, sim.side[d].calls, sim.side[d].ncalls,
                      real.side[d].calls, real.side[d].ncalls, false);
    }
    printf("%s\n", ndiff ? "DIFFERENT" : "SAME");
    return ndiff ? 1 : 0;
}
