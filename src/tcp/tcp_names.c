/* Names of the TCP and socket vocabulary, and the profiles' defaults. */
#include "synfin/tcp.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const state_names[TCP__STATE_COUNT] = {
    [TCP_CLOSED] = "CLOSED",           [TCP_LISTEN] = "LISTEN",
    [TCP_SYN_SENT] = "SYN-SENT",       [TCP_SYN_RECEIVED] = "SYN-RECEIVED",
    [TCP_ESTABLISHED] = "ESTABLISHED", [TCP_FIN_WAIT_1] = "FIN-WAIT-1",
    [TCP_FIN_WAIT_2] = "FIN-WAIT-2",   [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
    [TCP_CLOSING] = "CLOSING",         [TCP_LAST_ACK] = "LAST-ACK",
    [TCP_TIME_WAIT] = "TIME-WAIT",
};

static const char *const timer_names[TIMER__COUNT] = {
    [TIMER_RTX] = "RTX",
    [TIMER_TIME_WAIT] = "TIME-WAIT",
    [TIMER_FIN_WAIT_2] = "FIN-WAIT-2",
    [TIMER_DELACK] = "DELACK",
    [TIMER_KEEPALIVE] = "KEEPALIVE",
    [TIMER_LOSS_PROBE] = "LOSS-PROBE",
};

static const char *const call_names[CALL__COUNT] = {
    [CALL_LISTEN] = "listen",   [CALL_BIND] = "bind",
    [CALL_CONNECT] = "connect", [CALL_SEND] = "send",
    [CALL_RECV] = "recv",       [CALL_SHUTDOWN] = "shutdown",
    [CALL_CLOSE] = "close",     [CALL_SETSOCKOPT] = "setsockopt",
    [CALL_CRASH] = "crash",     [CALL_SET] = "set",
};

static const char *const event_names[EV__COUNT] = {
    [EV_NONE] = "none",   [EV_CONNECTED] = "connected", [EV_DATA] = "data",
    [EV_EOF] = "eof",     [EV_CLOSED] = "closed",       [EV_RESET] = "reset",
    [EV_ERROR] = "error",
};

static const char *const opt_names[OPT__COUNT] = {
    [OPT_SO_REUSEADDR] = "SO_REUSEADDR",
    [OPT_SO_LINGER] = "SO_LINGER",
    [OPT_SO_KEEPALIVE] = "SO_KEEPALIVE",
    [OPT_TCP_CORK] = "TCP_CORK",
};

/* Compare ignoring case and treating '_' as '-'. */
static int
name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int ca = *a == '_' ? '-' : tolower((unsigned char)*a);
        int cb = *b == '_' ? '-' : tolower((unsigned char)*b);
        if (ca != cb)
            return 0;
    }
    return *a == *b;
}

static int
lookup(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (names[i] && name_eq(names[i], name))
            return i;
    return -1;
}

const char *
tcp_state_name(enum tcp_state s)
{
    return (unsigned)s < TCP__STATE_COUNT ? state_names[s] : "?";
}

int
tcp_state_parse(const char *name)
{
    int s = lookup(state_names, TCP__STATE_COUNT, name);
    /* Linux's ss and many notes say SYN-RECV. */
    if (s < 0 && name_eq(name, "SYN-RECV"))
        s = TCP_SYN_RECEIVED;
    return s;
}

const char *
tcp_timer_name(enum tcp_timer_kind k)
{
    return (unsigned)k < TIMER__COUNT ? timer_names[k] : "?";
}

int
tcp_timer_parse(const char *name)
{
    return lookup(timer_names, TIMER__COUNT, name);
}

const char *
tcp_profile_name(enum tcp_profile p)
{
    return p == PROFILE_LINUX ? "linux" : "rfc";
}

const char *
sock_call_name(enum sock_call c)
{
    return (unsigned)c < CALL__COUNT ? call_names[c] : "?";
}

int
sock_call_parse(const char *name)
{
    return lookup(call_names, CALL__COUNT, name);
}

const char *
app_event_name(enum app_event e)
{
    return (unsigned)e < EV__COUNT ? event_names[e] : "?";
}

int
app_event_parse(const char *name)
{
    return lookup(event_names, EV__COUNT, name);
}

const char *
sock_opt_name(enum sock_opt o)
{
    return (unsigned)o < OPT__COUNT ? opt_names[o] : "?";
}

int
sock_opt_parse(const char *name)
{
    return lookup(opt_names, OPT__COUNT, name);
}

static const struct {
    uint8_t bit;
    const char *name;
} flag_names[] = {
    {TCP_SYN, "SYN"}, {TCP_FIN, "FIN"}, {TCP_RST, "RST"},
    {TCP_PSH, "PSH"}, {TCP_ACK, "ACK"},
};

char *
tcp_flags_str(uint8_t flags, char *buf)
{
    char *p = buf;
    *p = '\0';
    for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
        if (!(flags & flag_names[i].bit))
            continue;
        if (p != buf)
            *p++ = ',';
        strcpy(p, flag_names[i].name);
        p += strlen(p);
    }
    return buf;
}

int
tcp_flags_parse(const char *s)
{
    int flags = 0;
    while (*s) {
        size_t n = strcspn(s, ",|+ ");
        if (n > 0) {
            int bit = -1;
            for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0];
                 i++)
                if (strlen(flag_names[i].name) == n &&
                    strncasecmp(s, flag_names[i].name, n) == 0)
                    bit = flag_names[i].bit;
            if (bit < 0)
                return -1;
            flags |= bit;
        }
        s += n;
        if (*s)
            s++;
    }
    return flags;
}

/*
 * The two profiles. rfc: RFC 793/9293 and RFC 6298 values. linux: the
 * kernel's defaults (include/net/tcp.h and the sysctls), where TIME-WAIT is a
 * fixed TCP_TIMEWAIT_LEN of 60 s, not derived from any MSL.
 */
void
tcp_params_default(struct tcp_params *p, enum tcp_profile profile)
{
    const uint64_t ms = 1000, s = 1000 * ms;

    memset(p, 0, sizeof *p);
    p->profile = profile;
    p->msl_us = 120 * s;
    p->rto_initial_us = 1 * s;
    p->rto_max_us = 120 * s;
    p->ttl = 64;
    p->window = 65535;
    p->mss = 1460;
    p->keepalive_time_us = 7200 * s;
    p->keepalive_intvl_us = 75 * s;
    p->keepalive_probes = 9;
    if (profile == PROFILE_LINUX) {
        p->time_wait_us = 60 * s;
        p->rto_min_us = 200 * ms;
        p->syn_retries = 6;
        p->synack_retries = 5;
        p->retries2 = 15;
        p->orphan_retries = 8;
        p->fin_timeout_us = 60 * s;
        p->delack_us = 40 * ms;
        p->rfc1337 = false;
        p->resend_synack = true;
        p->abort_ack = true;
        p->tw_isn = true;
        p->isn_tick_ns = 64;
        p->timestamps = true;
        p->tw_reuse = 2;
        p->tw_reuse_delay_us = 1 * s;
        p->invalid_ratelimit_us = 500 * ms;
        /* TCP_MAX_QUICKACKS, and tcp_syn_linear_timeouts (Linux >= 6.5). */
        p->quick_acks = 16;
        p->syn_linear_timeouts = 4;
        /* tcp_early_retrans: tail-loss probes on (RFC 8985). */
        p->early_retrans = 3;
    } else {
        p->time_wait_us = 2 * p->msl_us;
        p->rto_min_us = 1 * s;
        p->syn_retries = 6;
        p->synack_retries = 5;
        p->retries2 = 15;
        p->orphan_retries = 15;
        p->fin_timeout_us = 0;
        p->delack_us = 200 * ms;
        p->rfc1337 = true;
        p->isn_tick_ns = 4000;
    }
}
