/*
 * TCP vocabulary shared by the engine, the trace and its readers: the
 * RFC 9293 states, segment flags, timer kinds and the tunable parameters of a
 * profile. No behaviour lives here.
 */
#ifndef SYNFIN_TCP_H
#define SYNFIN_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 9293 §3.3.2. The numeric order means nothing; never compare with <. */
enum tcp_state {
    TCP_CLOSED,
    TCP_LISTEN,
    TCP_SYN_SENT,
    TCP_SYN_RECEIVED,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2,
    TCP_CLOSE_WAIT,
    TCP_CLOSING,
    TCP_LAST_ACK,
    TCP_TIME_WAIT,
};
/* Not an enumerator, so that -Wswitch checks every real state is handled. */
#define TCP__STATE_COUNT (TCP_TIME_WAIT + 1)

/* Header flag bits, as on the wire. */
enum {
    TCP_FIN = 0x01,
    TCP_SYN = 0x02,
    TCP_RST = 0x04,
    TCP_PSH = 0x08,
    TCP_ACK = 0x10,
};

enum tcp_timer_kind {
    TIMER_RTX,        /* retransmission (RFC 6298), SYN and FIN included */
    TIMER_TIME_WAIT,  /* 2MSL */
    TIMER_FIN_WAIT_2, /* Linux tcp_fin_timeout for an orphaned socket */
    TIMER_DELACK,     /* delayed ACK */
    TIMER_KEEPALIVE,  /* idle probe */
    TIMER_LOSS_PROBE, /* Linux tail-loss probe (RACK-TLP, RFC 8985) */
    TIMER__COUNT
};

enum tcp_profile {
    PROFILE_RFC,
    PROFILE_LINUX,
};

/*
 * Everything a profile fixes. All times are microseconds. A scenario starts
 * from a profile and may override any field.
 */
struct tcp_params {
    enum tcp_profile profile;
    uint64_t msl_us;         /* network lifetime bound; RFC 793: 2 min */
    uint64_t time_wait_us;   /* TIME-WAIT length (rfc: 2 x MSL) */
    uint64_t rto_initial_us; /* RFC 6298 initial RTO */
    uint64_t rto_min_us;
    uint64_t rto_max_us;
    uint32_t syn_linear_timeouts; /* SYN-SENT timeouts before doubling */
    uint32_t early_retrans;  /* Linux tcp_early_retrans: 3 or 4 send tail-loss
                                probes, anything else none */
    uint32_t syn_retries;    /* SYN retransmissions before ETIMEDOUT */
    uint32_t synack_retries; /* SYN,ACK retransmissions before giving up */
    uint32_t retries2;       /* data/FIN retransmissions, socket open */
    uint32_t orphan_retries; /* FIN retransmissions after close() */
    uint64_t fin_timeout_us; /* orphan FIN-WAIT-2 limit, 0 = none */
    uint64_t delack_us;      /* delayed ACK, 0 = ACK at once */
    uint32_t quick_acks;     /* data segments ACKed at once at the start */
    uint64_t keepalive_time_us;
    uint64_t keepalive_intvl_us;
    uint32_t keepalive_probes;
    bool rfc1337; /* ignore RST in TIME-WAIT (RFC 1337) */
    /* Where Linux departs from RFC 9293's text, a switch (the linux
     * profile sets it, the rfc profile does not): */
    bool resend_synack;   /* a repeated SYN in SYN-RECEIVED gets the SYN,ACK
                             again (tcp_check_req), not a plain ACK */
    bool abort_ack;       /* an abort's RST carries an ACK
                             (tcp_send_active_reset), not a bare RST */
    bool tw_isn;          /* a SYN that reopens a TIME-WAIT is answered from
                             the old SND.NXT + 65537 (tcp_timewait_state_process),
                             not from the ISN clock */
    uint32_t isn_tick_ns; /* the ISN clock's period (RFC 9293 §3.4.1: 4 us;
                             Linux seq_scale(): 64 ns) */
    bool timestamps;      /* RFC 7323 timestamps, for PAWS and TIME-WAIT
                             reuse (Linux tcp_timestamps) */
    uint32_t tw_reuse;    /* Linux tcp_tw_reuse: 0 never, 1 always, 2 on
                             loopback only: connect() may pick a port whose
                             4-tuple is in TIME-WAIT */
    uint64_t tw_reuse_delay_us; /* ... once it has been there this long */
    /* Linux tcp_invalid_ratelimit: TIME-WAIT answers an out-of-window
     * segment without data (or a SYN) at most once in this time, 0 = always
     * (tcp_timewait_check_oow_rate_limit). Not a scenario key. */
    uint64_t invalid_ratelimit_us;
    uint8_t ttl; /* initial IP TTL */
    uint32_t window;
    uint32_t mss;
};

/* Fill p with the defaults of a profile. */
void tcp_params_default(struct tcp_params *p, enum tcp_profile profile);

/* "SYN-RECEIVED", as RFC 9293 spells it. */
const char *tcp_state_name(enum tcp_state s);
/* Parse an RFC spelling (also accepts "SYN_RECEIVED", any case); -1 if none. */
int tcp_state_parse(const char *name);
const char *tcp_timer_name(enum tcp_timer_kind k);
int tcp_timer_parse(const char *name);
const char *tcp_profile_name(enum tcp_profile p);

/*
 * Write flags as "SYN,ACK" (order SYN FIN RST PSH ACK). buf must hold 24.
 * Returns buf.
 */
char *tcp_flags_str(uint8_t flags, char *buf);
/* Parse "SYN,ACK" (any case, '|' or ',' or '+'); -1 if a name is unknown. */
int tcp_flags_parse(const char *s);

/*
 * The arcs of the RFC 9293 state diagram (Figure 5 and the text of §3.10),
 * plus the moves to CLOSED that every state has on RST, abort and timeout.
 * The engine refuses any state change that is not listed here.
 */
struct tcp_arc {
    enum tcp_state from;
    enum tcp_state to;
    const char *event;  /* "rcv SYN" */
    const char *action; /* "snd SYN,ACK" or "" */
};
const struct tcp_arc *tcp_arcs(size_t *count);
/* The arc from -> to, or NULL when the RFC has no such move. */
const struct tcp_arc *tcp_arc_find(enum tcp_state from, enum tcp_state to);

/* The socket calls a scenario script may make, mapped in docs to RFC 9293
 * user calls: listen/connect = OPEN, send = SEND, recv = RECEIVE,
 * shutdown/close = CLOSE, close with SO_LINGER 0 or unread data = ABORT. */
enum sock_call {
    CALL_LISTEN,
    CALL_BIND,
    CALL_CONNECT,
    CALL_SEND,
    CALL_RECV,
    CALL_SHUTDOWN,
    CALL_CLOSE,
    CALL_SETSOCKOPT,
    CALL_CRASH, /* the whole host goes silent (power cut), maybe restarts */
    CALL_SET,   /* not a socket call: a TCP setting changes (a sysctl) */
    CALL__COUNT
};

/*
 * The TCP settings a script may change during a run ("set" steps): those
 * Linux reads from its sysctl each time it uses them, so a change applies
 * from then on. Their keys are the --set names ("tcp.fin_timeout_ms").
 */
enum tcp_setting {
    SET_FIN_TIMEOUT,
    SET_RFC1337,
    SET_SYN_RETRIES,
    SET_SYNACK_RETRIES,
    SET_RETRIES2,
    SET_ORPHAN_RETRIES,
    SET_KEEPALIVE_TIME,
    SET_KEEPALIVE_INTVL,
    SET_KEEPALIVE_PROBES,
    SET_TW_REUSE,
    SET__COUNT
};

enum tcp_setting_kind {
    SETTING_MS,    /* milliseconds in the file, microseconds inside */
    SETTING_COUNT, /* an integer */
    SETTING_BOOL,
};

struct tcp_setting_info {
    const char *key;    /* "tcp.fin_timeout_ms" */
    const char *sysctl; /* Linux's, under net.ipv4: "tcp_fin_timeout" */
    enum tcp_setting_kind kind;
    double lo, hi;   /* the range the "tcp" object allows */
    bool lo_open;    /* (lo, hi] */
    bool in_seconds; /* the sysctl counts whole seconds */
};

const struct tcp_setting_info *tcp_setting_info(enum tcp_setting s);
/* The setting of a key ("tcp.rfc1337"), -1 if none. */
int tcp_setting_parse(const char *key);
/* Set s in p; value in microseconds for SETTING_MS, else as is. */
void tcp_setting_apply(struct tcp_params *p, enum tcp_setting s,
                       uint64_t value);

/* What an application learns from its socket; script steps wait on these. */
enum app_event {
    EV_NONE, /* a timed step */
    EV_CONNECTED,
    EV_DATA,
    EV_EOF,
    EV_CLOSED, /* the TCB is gone, whatever the reason */
    EV_RESET,  /* a RST: ECONNRESET, ECONNREFUSED, or EPIPE (Linux) */
    EV_ERROR,  /* any error: reset, refused, timed out */
    EV__COUNT
};

enum sock_opt {
    OPT_SO_REUSEADDR,
    OPT_SO_LINGER, /* value: linger seconds, -1 = off; 0 makes close() RST */
    OPT_SO_KEEPALIVE,
    OPT_TCP_CORK, /* hold data until uncorked or closed: FIN rides on it */
    OPT__COUNT
};

enum shut_how {
    SHUT_HOW_RD = 1,
    SHUT_HOW_WR = 2,
    SHUT_HOW_RDWR = 3,
};

const char *sock_call_name(enum sock_call c);
int sock_call_parse(const char *name);
const char *app_event_name(enum app_event e);
int app_event_parse(const char *name);
const char *sock_opt_name(enum sock_opt o);
int sock_opt_parse(const char *name);

#endif
