/*
 * The engine's private structures and its layers' functions. The engine is
 * src/host (pools, the connection table, TCB lifetime, trace emission,
 * sockets), src/net, src/tcp, src/app and src/world; it is built with
 * SYNFIN_ENGINE_INTERNAL, and nothing else is (UI, exporters, pictures and
 * the quiz read the trace), so including this anywhere else fails to
 * compile. Tests that drive an endpoint by hand ask for it explicitly.
 *
 * Layers, each calling only those below it (tests/layers.sh checks):
 *
 *   world      create, advance, run and free a world          src/world
 *   app        the applications' scripts                      src/app
 *   tcp        RFC 9293: user calls, input, output, timers    src/tcp
 *   net        the path between the hosts                     src/net
 *   sock       sockets: what TCP and the applications share   src/host/sock.c
 *   emit       trace events from the engine's state           src/host/emit.c
 *   tcb        TCB lifetime: new, shed, detach, free later    src/host/tcb.c
 *   conn_table a host's 4-tuple table and listeners src/host/conn_table.c pool
 * fixed-size object pools                        src/host/pool.c sim time,
 * timers, randomness                       src/sim
 *
 * Two calls go upwards, both through pointers the upper layer registers,
 * as in every stack: the network delivers a packet to tcp_input() (the
 * packet's timer), and a socket wakes its application (world->wake).
 */
#ifndef SYNFIN_ENGINE_H
#define SYNFIN_ENGINE_H

#ifndef SYNFIN_ENGINE_INTERNAL
#error "engine.h is private to the engine: read the trace (synfin/trace.h)"
#endif

#include <stdbool.h>
#include <stdint.h>

#include "base/prefetch.h"
#include "host/pool.h"
#include "synfin/scenario.h"
#include "synfin/sim.h"
#include "synfin/tcp.h"
#include "synfin/trace.h"
#include "synfin/world.h"

struct world;
struct sock;
struct step_run;

/* A packet in flight: a TCP segment or an ICMP message. Pooled. */
struct packet {
    struct sim_timer timer; /* fires at arrival or at the drop */
    struct world *w;
    struct seg_view seg;
    uint32_t conn;
    uint8_t to;             /* destination side */
    const char *drop_cause; /* non-NULL: dropped when the timer fires */
    bool ttl_expired;       /* dropped by a router: ICMP goes back */
    uint32_t gen;           /* the sending TCB's generation, 0 = none */
    uint32_t hint_gen;      /* ... and that of the TCB it expects */
    struct tcb *src;        /* the sending TCB, NULL = none */
    struct tcb *hint;       /* where tcp_input looks first (see there) */
    struct packet *next_free;
};

/*
 * What a connection needs only until TIME-WAIT: the RTT estimator,
 * keepalive and the timers other than TIME-WAIT's. A TCB in TIME-WAIT
 * sheds it (tcb_shed), so the many TCBs a busy host keeps there
 * take half the memory: their part is only the struct tcb itself.
 */
struct tcb_live {
    struct sock *listener; /* the LISTEN socket a passive TCB came from */
    struct tcb *peer;      /* the peer's TCB (tcb->peer_gen), as a hint for our
                              packets to it */
    uint32_t snd_wl1, snd_wl2; /* segment of the last window update */
    uint32_t rcv_wup; /* RCV.NXT when we last sent an ACK (Linux rcv_wup) */
    /* RFC 6298 state, microseconds. */
    uint64_t srtt_us, rttvar_us, rto_us;
    uint32_t rtt_seq;
    uint8_t probes;        /* unanswered keepalive probes */
    uint8_t rto_doublings; /* of the RTO since the last new ACK: Linux's
                              first SYN timeouts are linear (backoff without
                              doubling) */
    bool rtt_timing;       /* timing rtt_seq, sent at rtt_start_us (which
                              may be time zero) */
    bool syn_timed_out;    /* RFC 6298 §5.7: the timer expired on our SYN */
    uint64_t rtt_start_us;
    uint64_t syn_tx_us;    /* latest copy of our SYN sent */
    uint64_t last_rcv_us;  /* for keepalive */
    uint64_t last_data_us; /* last data received, for ping-pong */
    uint64_t first_tx_us;  /* first SYN sent, for Linux's SYN give-up */
    /* Linux's tail-loss probe (tcp_tlp.c). */
    uint64_t rto_due_us;    /* when the RTO fires, or would had a probe
                               not taken its place */
    uint32_t last_seg_seq;  /* start of the last new segment sent */
    uint32_t tlp_high_seq;  /* SND.NXT when the probe went, if tlp_out */
    uint32_t loss_high_seq; /* SND.NXT at the last RTO, if in_loss */
    bool tlp_out;           /* a probe is unanswered (tlp_high_seq) */
    bool tlp_retrans;       /* ... and it sent old data again */
    bool in_loss;           /* an RTO fired and is not yet recovered
                               from (TCP_CA_Loss): no probes */
    uint8_t probe_rtx;      /* probes that resent data since the last new
                               ACK: they count in a segment's retx */
    /* Indexed by timer kind; TIMER_TIME_WAIT's is struct tcb's. */
    struct sim_timer timers[TIMER__COUNT];
};

/*
 * The transmission control block, with the RFC 9293 §3.3.1 variable names.
 * Sequence space: [iss] SYN, data, [fin_seq] FIN.
 */
struct tcb {
    struct world *w;
    struct host *host;
    struct sock *sock;     /* the application's socket; NULL if orphaned */
    struct tcb_live *live; /* NULL once shed in TIME-WAIT */
    struct tcb *next_dead; /* the world's list of TCBs to free */
    uint32_t laddr, raddr;
    uint16_t lport, rport;
    uint32_t conn;
    uint32_t gen;      /* unique per TCB: tells incarnations apart */
    uint32_t peer_gen; /* the peer TCB's, learned from its SYN */
    enum tcp_state state;
    uint8_t side;
    bool hashed, dead, passive;
    bool fin_queued; /* the app closed its sending side: FIN after data */
    bool fin_sent;   /* fin_seq is valid */
    bool fin_rcvd;   /* the peer's FIN is in (rcv_nxt is past it) */
    bool rd_shut;    /* the app shut its receiving side */
    bool ack_pending;
    bool reuseaddr, keepalive, cork;
    uint8_t ttl;
    uint8_t backoff;      /* consecutive retransmissions */
    uint8_t end;          /* enum conn_end, set when moving to CLOSED */
    uint8_t segs_unacked; /* in-order data segments not yet ACKed */
    uint8_t quick;        /* Linux quick-ACK budget left */
    bool pingpong;        /* Linux interactive mode: ACKs wait to ride */
    uint8_t timers_set;   /* bit k: timer k may be armed (tcp_timer.c) */
    uint32_t iss, snd_una, snd_nxt, snd_max, snd_wnd;
    uint32_t irs, rcv_nxt, rcv_wnd;
    uint32_t fin_seq;
    uint32_t unsent; /* bytes written by the app and not yet sent */
    uint32_t unread; /* bytes received and not yet read */
    /* RFC 7323 timestamps (src/tcp/tcp_ts.c), kept in TIME-WAIT too. */
    bool ts_ok;            /* both SYNs carried the option */
    bool ts_off_known;     /* ts_off is computed (tcp_ts.c) */
    uint32_t ts_off;       /* our TSval's offset for this address pair */
    uint32_t ts_recent;    /* TS.Recent: the peer's latest TSval */
    uint64_t ts_recent_us; /* when it was stored */
    uint64_t tw_entry_us;  /* when TIME-WAIT began */
    /* When TIME-WAIT last answered an out-of-window segment that Linux
     * rate-limits (tcp_input.c), 0 = never. */
    uint64_t tw_oow_us;
    struct sim_timer time_wait;
};

/* Timer k of tcb; NULL if it is kept in the live part and that is shed. */
static inline struct sim_timer *
tcb_timer(struct tcb *tcb, enum tcp_timer_kind k)
{
    if (k == TIMER_TIME_WAIT)
        return &tcb->time_wait;
    return tcb->live ? &tcb->live->timers[k] : NULL;
}

static inline bool
tcb_timer_armed(const struct tcb *tcb, enum tcp_timer_kind k)
{
    const struct sim_timer *t = tcb_timer((struct tcb *)tcb, k);
    return t && sim_armed(t);
}

/* When timer k of tcb expires; 0 if it is not armed. */
static inline uint64_t
tcb_timer_due(const struct tcb *tcb, enum tcp_timer_kind k)
{
    return tcb_timer_armed(tcb, k)
               ? sim_timer_due(tcb_timer((struct tcb *)tcb, k))
               : 0;
}

/* A slot of a host's connection table: the TCB and its 4-tuple's hash. */
struct tcb_slot {
    uint32_t hash;
    struct tcb *tcb; /* NULL: empty */
};

/* A host: its connections (hash of the 4-tuple) and listeners. */
struct host {
    struct world *w;
    uint8_t side;
    bool down;
    uint32_t addr;          /* first address */
    uint32_t naddrs;        /* client: instances spread over addresses */
    struct tcb_slot *slots; /* open addressing, at most half full */
    uint32_t nslots, ntcbs;
    struct tcb *listeners[8];
    uint32_t nlisteners;
    uint32_t next_port; /* ephemeral port cursor */
    uint32_t nbound;    /* sockets that bind() gave a port (sock_holds_port) */
    /* TCBs and listeners that left the tables: a port may have come free. */
    uint64_t freed;
    /* The last connect() that found every ephemeral port taken, and the
     * value of freed then: until it moves, the same search fails again --
     * or, under tcp_tw_reuse, until reuse_at, when the first TIME-WAIT on
     * the host may be taken over (tcp_set_state lowers it as TIME-WAITs
     * begin). */
    struct {
        bool valid;
        uint32_t laddr, raddr;
        uint16_t rport, lo, hi;
        uint32_t tw_reuse;
        uint64_t freed;
        uint64_t reuse_at;
    } no_port;
    struct sim_timer restart;
};

/* Linux's socket->state (SS_*), which decides what connect() answers. */
enum sock_ss { SS_UNCONNECTED, SS_CONNECTING, SS_CONNECTED, SS_DISCONNECTING };

/* An application socket, driven by the endpoint's script. */
struct sock {
    struct world *w;
    struct host *host;
    const struct endpoint_cfg *cfg;
    struct sock *prev, *next; /* the world's list of sockets */
    struct tcb *tcb;          /* the connection; a listener's LISTEN TCB */
    uint32_t conn;
    uint32_t laddr;
    uint16_t port; /* bound local port, 0 = none yet */
    uint8_t side;
    bool closed; /* the app called close() */
    bool listening;
    bool bound; /* bind() gave it its port (counted in host->nbound) */
    /* What a Linux socket remembers of its connection, which the calls
     * read once the TCB is gone (src/tcp/tcp_user.c): */
    uint8_t ss;           /* enum sock_ss, Linux's socket->state */
    bool had_conn;        /* connect() or accept() gave it a connection */
    bool connected_once;  /* ... which got as far as ESTABLISHED */
    bool peer_fin;        /* the peer's FIN came (Linux SOCK_DONE) */
    int pending_err;      /* Linux sk_err: the next call that looks reports
                             it, once; 0 = none */
    uint32_t unread_left; /* bytes still to read when the TCB went */
    bool reuseaddr, keepalive, cork;
    int linger;
    uint32_t refs; /* pending script steps */
    /* Event steps already run (each runs at most once), one bit a step:
     * fired_word for scripts of up to 64 steps, else an array of its own. */
    uint64_t *fired, fired_word;
    struct sim_timer timed;          /* the next timed step */
    const struct timed_order *order; /* its script's timed steps */
    uint64_t timed_start_us;
    uint32_t timed_next;
};

/* An endpoint's timed steps, sorted by time (stable). */
struct timed_order {
    uint32_t *idx;
    uint32_t n;
};

struct conn_slot {
    struct tcb *tcb[2];
    /* Each side's snapshots; once its TCB is gone, chain.ref is the last
     * view of it. */
    struct trace_view_chain chain[2];
    bool had[2];
};

struct world {
    const struct scenario *scn;
    /* The TCP settings now: the scenario's, as script steps "set" them
     * (each read where Linux reads its sysctl, so a change applies from
     * then on). */
    struct tcp_params tcp;
    struct sim *sim;
    struct trace *trace; /* NULL: not recording */
    struct world_stats *stats;
    struct host hosts[2];
    struct sock *socks;         /* all live sockets */
    struct sock *server_newest; /* target of the server's timed steps */
    struct sock *server_listener;
    struct packet *free_packets;
    struct packet **pools;
    uint32_t npools;
    struct pool tcb_pool, live_pool, sock_pool; /* TCBs, their live parts,
                                                   sockets */
    struct tcb *dead; /* freed at the end of the current event */
    /* TCBs that entered TIME-WAIT during the current event: their live
     * parts are freed once it is over (callers may still be using them). */
    struct tcb **shed;
    uint32_t nshed, shed_cap;
    uint32_t next_seg_id;
    uint32_t next_gen;
    uint32_t next_conn;
    uint64_t ntcbs, ninflight;
    uint64_t in_state[2][TCP__STATE_COUNT]; /* TCBs in each state now, not
                                               counting CLOSED */
    uint32_t *rule_hits;
    uint32_t *note_hits;
    struct conn_slot *conns; /* recording only, indexed by conn */
    struct trace_view_chain listen_chain[2]; /* recording: each listener */
    uint32_t nconns, conns_cap;
    uint32_t spawned;
    struct sim_timer spawn;
    struct timed_order orders[2];
    struct timed_order *client_orders; /* one per scn->clients entry */
    struct inject_run *inject_runs;    /* one per scn->net.injects */
    struct step_run *free_runs;
    struct step_run *all_runs;
    /* How a socket wakes its application (set by the app layer). */
    void (*wake)(struct sock *s, enum app_event ev);
    struct world_limits limits;
    /* RFC 6528's secret and the ISN clock's reading at time zero (ns),
     * both drawn from the seed (tcp_choose_isn). */
    uint64_t isn_key[2];
    uint64_t isn_clock0;
    uint64_t ts_key[2]; /* the timestamp clock's offset per address pair */
    /* Fixed-delay timers (TIME-WAIT, delayed ACK...) wait in FIFO lanes. */
    struct sim_lane lanes[TIMER__COUNT];
};

/* ---- app/inject.c: the scenario's crafted segments. */

/* Arm each of the scenario's injections (network.inject). */
void inject_start(struct world *w);

/* ---- host/conn_table.c: a host's TCBs by 4-tuple, and its listeners. */

void conn_table_insert(struct tcb *tcb);
void conn_table_remove(struct tcb *tcb);
struct tcb *conn_table_lookup(const struct host *h, uint32_t laddr,
                              uint16_t lport, uint32_t raddr, uint16_t rport);
struct tcb *conn_table_listener(const struct host *h, uint16_t port);
/* A host has room for 8 listeners: false when they are all taken. */
bool conn_table_add_listener(struct tcb *lst);
void conn_table_remove_listener(struct tcb *lst);
/* Does a TCB hold laddr:port that a socket with reuseaddr may not share? */
bool conn_table_port_taken(const struct host *h, uint32_t laddr, uint16_t port,
                           bool reuseaddr);
/* The host's TCBs in order of creation, in a malloc'ed array (free it). */
size_t conn_table_tcbs(const struct host *h, struct tcb ***out);
/* Start loading the table slot where a lookup of the 4-tuple (or of tcb's,
 * if not NULL) starts. */
void conn_table_prefetch(const struct host *h, uint32_t laddr, uint16_t lport,
                         uint32_t raddr, uint16_t rport);
void conn_table_prefetch_tcb(const struct tcb *tcb);

/* ---- host/tcb.c: TCB lifetime. */

struct tcb *tcb_new(struct host *h, uint32_t conn);
/* The TIME-WAIT lane's prefetch hook: the TCBs about to leave TIME-WAIT. */
void tcb_prefetch_expiring(const void *next, const void *after_next);
/* tcb entered TIME-WAIT: free its live part once the current event is over,
 * if no timer of that part is armed by then. */
void tcb_shed(struct tcb *tcb);
/* The first half of deleting a TCB: out of the table, marked dead, and let
 * go of by its socket. Its timers are still the caller's to stop. */
void tcb_detach(struct tcb *tcb);
/* The second half: freed once the current event is over (callers may still
 * be using it). */
void tcb_free_later(struct tcb *tcb);
/* Free the TCBs that died since the last call. */
void tcb_free_dead(struct world *w);
/* Run after every event (sim_after_each): the two deferred frees above. */
void tcb_after_event(struct sim *sim, void *world);

/* ---- host/emit.c: trace events, when recording. */

/* emit_begin and emit_commit are for callers that checked emit_recording():
 * begin a record, fill it, commit it (its snapshots and notes follow). */
struct trace_event *emit_begin(struct world *w, enum trace_kind k, uint8_t side,
                               uint32_t conn);
void emit_commit(struct world *w, struct trace_event *e);
/* These check for themselves and do nothing when not recording. */
void emit_state(struct tcb *tcb, enum tcp_state from, enum tcp_state to,
                const char *why);
void emit_timer(struct tcb *tcb, enum trace_kind k, enum tcp_timer_kind t);
/* The same, with why: the rule that chose the timer's length. */
void emit_timer_why(struct tcb *tcb, enum trace_kind k, enum tcp_timer_kind t,
                    const char *why);
void emit_discard(struct tcb *tcb, const struct packet *p, const char *why);
void emit_packet(struct world *w, enum trace_kind k, const struct packet *p,
                 uint8_t side, const char *why);
/* A socket call is traced before it runs, so that it reads before the
 * segments it sends; its result is filled in afterwards. emit_call returns
 * the record's index, or -1 when not recording. */
long emit_call(struct world *w, uint8_t side, uint32_t conn, int call,
               const char *why);
void emit_call_result(struct world *w, long idx, int err, int64_t n);
void emit_app(struct world *w, uint8_t side, uint32_t conn, int ev, int err,
              uint32_t bytes, uint8_t flags, const char *why);
/* The connection conn of tcb's side is tcb from now on / was tcb until now:
 * what the snapshots of that connection show. */
void emit_conn_open(struct tcb *tcb);
void emit_conn_gone(struct tcb *tcb);

/* ---- host/sock.c: sockets. */

/* A socket of side's host running cfg's script, as connection conn. */
struct sock *sock_new(struct world *w, uint8_t side, uint32_t conn,
                      const struct endpoint_cfg *cfg);
/* Does a socket that only bind() holds (no connection, not closed) keep
 * laddr:port from s (the bind conflict of inet_csk_bind_conflict)? With
 * s NULL: is the port bound at all (inet_hash_connect skips such ports). */
bool sock_port_bound(const struct host *h, const struct sock *s, uint32_t laddr,
                     uint16_t port);
void sock_free(struct sock *s);
/* Free s if the app closed it, no TCB holds it and no step is pending. */
static inline void
sock_release(struct sock *s)
{
    if (s->closed && !s->tcb && s->refs == 0 && s != s->w->server_listener)
        sock_free(s);
}
/* The socket accept() returns for child, made from its listener's. */
struct sock *sock_accept(struct tcb *child);
/* Tell tcb's application of ev: traced, then its socket wakes the app. */
void sock_notify(struct tcb *tcb, enum app_event ev, int err, uint32_t bytes);
/* EV_DATA of bytes that an earlier incarnation of the connection sent. */
void sock_notify_stale(struct tcb *tcb, uint32_t bytes);
/* Has step i of s's script run (each event step runs at most once)? */
static inline bool
sock_step_fired(const struct sock *s, size_t i)
{
    return (s->fired[i / 64] >> (i % 64)) & 1;
}

static inline void
sock_step_fire(struct sock *s, size_t i)
{
    s->fired[i / 64] |= 1ull << (i % 64);
}

/* ---- net/net.c */

void net_send(struct world *w, struct tcb *from_tcb, struct seg_view *seg,
              uint8_t from, uint32_t conn);
struct packet *net_packet_new(struct world *w);
void net_packet_free(struct world *w, struct packet *p);

/* ---- tcp/tcp_state.c */

void tcp_set_state(struct tcb *tcb, enum tcp_state to, const char *why);
void tcp_state_spawn(struct tcb *child);
/* A TCB is born and dies here: new, with its connection's snapshots
 * following it; deleted, its timers stopped. */
struct tcb *tcp_tcb_new(struct host *h, uint32_t conn);
void tcp_tcb_delete(struct tcb *tcb);
/* Move to CLOSED for a reason, notify the app, and delete. */
void tcp_close_tcb(struct tcb *tcb, enum conn_end end, int err,
                   const char *why);

/* tcp_input.c: RFC 9293 §3.10.7 SEGMENT ARRIVES. */
void tcp_input(struct host *h, struct packet *p);

/* tcp_output.c */
void tcp_output(struct tcb *tcb);
void tcp_send_ack(struct tcb *tcb);
void tcp_send_syn(struct tcb *tcb, bool retx);
void tcp_resend_syn(struct tcb *tcb);
void tcp_send_rst(struct tcb *tcb);
void tcp_retransmit(struct tcb *tcb);
void tcp_reply_rst(struct host *h, const struct packet *p, const char *why);
void tcp_schedule_ack(struct tcb *tcb, bool now);
uint32_t tcp_choose_isn(const struct tcb *tcb, const struct endpoint_cfg *cfg);
uint8_t tcp_ttl(const struct world *w, const struct endpoint_cfg *cfg);

/* ---- tcp/tcp_ts.c: RFC 7323 timestamps, PAWS, TIME-WAIT reuse. */
/* Put the option on a segment tcb is about to send, if it carries one. */
void tcp_ts_option(struct tcb *tcb, struct seg_view *seg);
/* A SYN (or SYN,ACK) from the peer: whether both use timestamps. */
void tcp_ts_syn(struct tcb *tcb, const struct seg_view *s);
/* PAWS: s carries a TSval older than TS.Recent (RFC 7323 §5). */
bool tcp_ts_paws_reject(const struct tcb *tcb, const struct seg_view *s);
/* An acceptable segment: TS.Recent from it, if RFC 7323 §4.3 allows. */
void tcp_ts_update(struct tcb *tcb, const struct seg_view *s);
/* In TIME-WAIT, an in-window segment refreshes TS.Recent. */
void tcp_ts_time_wait(struct tcb *tcb, const struct seg_view *s);
/* Why a SYN reopens TIME-WAIT: above the old sequence space, or newer. */
const char *tcp_tw_reopen_why(const struct tcb *tw, const struct seg_view *s);
/* s's TSval is newer than TS.Recent. */
bool tcp_ts_newer(const struct tcb *tcb, const struct seg_view *s);
/* May connect() take over tw's 4-tuple (Linux tcp_twsk_unique)? */
bool tcp_tw_reusable(const struct tcb *tw, bool ephemeral);
uint64_t tcp_tw_reuse_after(const struct tcb *tw);
/* Do it: tcb, the new connection, starts above tw's sequence space. */
void tcp_tw_take_over(struct tcb *tcb, struct tcb *tw);
/* tcp_output.c, for tcp_tlp.c: the probe itself, new data if the window
 * allows, else the last segment sent again; false if nothing was sent. */
bool tcp_send_tail_probe(struct tcb *tcb);

/* tcp_tlp.c: Linux's tail-loss probe (RFC 8985 §7). */
bool tcp_tlp_enabled(const struct tcb *tcb);
bool tcp_tlp_schedule(struct tcb *tcb, bool advancing_rto);
void tcp_tlp_after_send(struct tcb *tcb, bool was_idle);
void tcp_tlp_on_ack(struct tcb *tcb, uint32_t ack, bool advanced, bool dup);
void tcp_tlp_on_rto(struct tcb *tcb);
void tcp_tlp_fire(struct tcb *tcb);
void tcp_rearm_rto(struct tcb *tcb);

/* tcp_timer.c: §3.10.8 timeouts, and the RFC 6298 RTO. */
void tcp_timer_set(struct tcb *tcb, enum tcp_timer_kind k, uint64_t delay_us);
void tcp_timer_set_why(struct tcb *tcb, enum tcp_timer_kind k,
                       uint64_t delay_us, const char *why);
void tcp_timer_stop(struct tcb *tcb, enum tcp_timer_kind k);
void tcp_timer_stop_all(struct tcb *tcb);
void tcp_rtt_sample(struct tcb *tcb, uint64_t rtt_us);
void tcp_syn_acked(struct tcb *tcb);
void tcp_enter_time_wait(struct tcb *tcb, const char *why);
uint32_t tcp_rtx_limit(const struct tcb *tcb);

/* tcp_user.c: §3.10.1-6 user calls, as socket calls. Return 0 or errno. */
int tcp_user_listen(struct sock *s, uint16_t port);
int tcp_user_bind(struct sock *s, uint16_t port);
int tcp_user_connect(struct sock *s, uint16_t rport, bool has_isn,
                     uint32_t isn);
int tcp_user_send(struct sock *s, uint32_t bytes);
int tcp_user_recv(struct sock *s, uint32_t bytes, uint32_t *got);
int tcp_user_shutdown(struct sock *s, int how);
int tcp_user_close(struct sock *s);
int tcp_user_close_listener(struct sock *s);
/* setsockopt: SO_KEEPALIVE arms or stops the keepalive timer, clearing
 * TCP_CORK sends what waited. */
void tcp_user_setsockopt(struct sock *s, enum sock_opt opt, int value);
/* The host loses power: every TCB vanishes without a word on the wire;
 * it comes back after restart_us (0: never). */
void tcp_user_crash(struct host *h, uint64_t restart_us);
void tcp_abort(struct tcb *tcb, const char *why);

/* ---- app/app.c: the applications' scripts. */

/* Arm the scripts: the server's listening socket, the clients' spawns. */
void app_start(struct world *w);
void app_free(struct world *w);

/* ---- world/world.c: world_run() in three steps, for tests that drive
 * endpoints by hand: build the world (scripts armed, nothing fired),
 * advance the clock, and free it (filling stats->open/ends for what is
 * left). */
struct world *world_new(const struct scenario *scn, struct trace *trace,
                        struct world_stats *stats);
enum world_end world_advance(struct world *w, uint64_t until_us);
void world_free(struct world *w);

/*
 * The sender names the TCB it learned from the peer's SYN (as Linux's early
 * demux caches a socket): if that TCB is still the one hashed for this
 * 4-tuple, it is what the lookup would find, and its table slot, a likely
 * cache miss, is not read. TCBs live in pools that are only freed with the
 * world, so a stale hint is safe to read; the generation tells a recycled
 * one apart. Returns NULL when no TCB has the 4-tuple (a listener may take
 * the packet). Inline: it runs for every packet, and mostly hits.
 */
static inline struct tcb *
conn_table_demux(const struct host *h, const struct packet *p)
{
    const struct seg_view *s = &p->seg;
    struct tcb *tcb = p->hint;

    if (tcb && tcb->gen == p->hint_gen && tcb->hashed && tcb->host == h &&
        tcb->lport == s->dport && tcb->rport == s->sport &&
        tcb->laddr == s->daddr && tcb->raddr == s->saddr)
        return tcb;
    return conn_table_lookup(h, s->daddr, s->dport, s->saddr, s->sport);
}

static inline bool
emit_recording(const struct world *w)
{
    return w->trace != NULL;
}

/* The first address of side's host. */
static inline uint32_t
host_addr(const struct world *w, int side)
{
    return w->hosts[side].addr;
}

static inline bool
whatif(const struct tcb *tcb, unsigned variant)
{
    return (tcb->w->scn->variants & variant) != 0;
}

#endif
