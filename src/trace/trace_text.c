/*
 * The human-readable trace: one line per event. It is also the golden
 * format the tests compare byte for byte, so it prints only integers and
 * fixed-point times (no floating point, no locale).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "synfin/trace.h"

static void
ip_str(uint32_t a, char *buf, size_t size)
{
    snprintf(buf, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
             a & 255);
}

/* Seconds with microseconds, as fixed point: "12.000450". */
static int
time_str(uint64_t us, char *buf, size_t size)
{
    return snprintf(buf, size, "%" PRIu64 ".%06" PRIu64, us / 1000000,
                    us % 1000000);
}

static size_t
seg_str(const struct trace_event *e, char *buf, size_t size)
{
    const struct seg_view *s = &e->seg;
    char flags[24], a[16], b[16];
    int n;

    if (s->tags & SEG_ICMP) {
        ip_str(s->saddr, a, sizeof a);
        ip_str(s->daddr, b, sizeof b);
        n = snprintf(buf, size,
                     "#%u ICMP time-exceeded %s>%s (router %u) about #%u",
                     s->id, a, b, s->hops, s->orig_id);
        return n < 0 ? 0 : (size_t)n;
    }
    n = snprintf(buf, size, "#%u %u>%u %s seq=%u ack=%u len=%u win=%u ttl=%u",
                 s->id, s->sport, s->dport, tcp_flags_str(s->flags, flags),
                 s->seq, s->ack, s->len, s->wnd, s->ttl);
    if (n < 0 || (size_t)n >= size)
        return size ? size - 1 : 0;
    if (s->tags & SEG_RETX)
        n += snprintf(buf + n, size - (size_t)n, " retx=%u", s->retx);
    if (s->tags & SEG_TLP && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " tlp");
    if (s->tags & SEG_KEEPALIVE && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " keepalive");
    if (s->tags & SEG_DUP && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " dup-of=#%u", s->orig_id);
    if (s->tags & SEG_HELD && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " held");
    if (s->tags & SEG_INJECTED && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " injected");
    return (size_t)n < size ? (size_t)n : size - 1;
}

char *
trace_format_call(const struct trace_event *e, char *buf, size_t size)
{
    const char *name = sock_call_name((enum sock_call)e->a);
    const char *res = trace_errno_name(e->b);

    switch ((enum sock_call)e->a) {
    case CALL_SEND:
        snprintf(buf, size, "send(%" PRId64 ") = %s", e->n, res);
        break;
    case CALL_RECV:
        if (e->b)
            snprintf(buf, size, "recv() = %s", res);
        else
            snprintf(buf, size, "recv() = %" PRId64 " bytes", e->n);
        break;
    case CALL_LISTEN:
    case CALL_BIND:
    case CALL_CONNECT:
        if (e->n)
            snprintf(buf, size, "%s() = %s (port %" PRId64 ")", name, res,
                     e->n);
        else
            snprintf(buf, size, "%s() = %s", name, res);
        break;
    case CALL_SETSOCKOPT:
        snprintf(buf, size, "setsockopt(%s, %" PRId64 ") = %s",
                 e->why ? e->why : "?", e->n, res);
        break;
    case CALL_SHUTDOWN:
        snprintf(buf, size, "shutdown(%s) = %s", e->why ? e->why : "", res);
        break;
    case CALL_SET: {
        /* n in microseconds for an _ms key, as the scenario's step. */
        int set = e->why ? tcp_setting_parse(e->why) : -1;
        if (set >= 0 &&
            tcp_setting_info((enum tcp_setting)set)->kind == SETTING_MS)
            snprintf(buf, size, "set %s = %g", e->why, (double)e->n / 1000);
        else
            snprintf(buf, size, "set %s = %" PRId64, e->why ? e->why : "?",
                     e->n);
        break;
    }
    case CALL_CLOSE:
    case CALL_CRASH:
    case CALL__COUNT:
        snprintf(buf, size, "%s() = %s%s%s%s", name, res, e->why ? " (" : "",
                 e->why ? e->why : "", e->why ? ")" : "");
        break;
    }
    return buf;
}

char *
trace_format_event(const struct trace_event *e, char *buf, size_t size)
{
    char t[32], body[400], seg[200], line[1024];

    time_str(e->t_us, t, sizeof t);
    body[0] = '\0';
    switch ((enum trace_kind)e->kind) {
    case TRACE_CALL: trace_format_call(e, body, sizeof body); break;
    case TRACE_APP:
        if (e->a == EV_DATA)
            snprintf(body, sizeof body, "data %" PRId64 " bytes%s%s", e->n,
                     e->why ? ": " : "", e->why ? e->why : "");
        else if (e->b)
            snprintf(body, sizeof body, "%s %s",
                     app_event_name((enum app_event)e->a),
                     trace_errno_name(e->b));
        else
            snprintf(body, sizeof body, "%s",
                     app_event_name((enum app_event)e->a));
        break;
    case TRACE_SEND:
    case TRACE_ARRIVE:
    case TRACE_DROP:
    case TRACE_DISCARD: {
        uint64_t age = e->t_us - e->seg.sent_us;
        size_t n = seg_str(e, seg, sizeof seg);
        (void)n;
        if (e->kind == TRACE_SEND)
            snprintf(body, sizeof body, "%s%s%s", seg, e->why ? ": " : "",
                     e->why ? e->why : "");
        else if (e->kind == TRACE_ARRIVE)
            snprintf(body, sizeof body, "%s age=%" PRIu64 ".%03" PRIu64 "ms",
                     seg, age / 1000, age % 1000);
        else
            snprintf(body, sizeof body, "%s: %s", seg, e->why ? e->why : "");
        break;
    }
    case TRACE_STATE:
        snprintf(body, sizeof body, "%s -> %s: %s",
                 tcp_state_name((enum tcp_state)e->a),
                 tcp_state_name((enum tcp_state)e->b), e->why ? e->why : "");
        break;
    case TRACE_TIMER_SET: {
        char at[32];
        time_str((uint64_t)e->n, at, sizeof at);
        snprintf(body, sizeof body, "%s expires %s%s",
                 tcp_timer_name((enum tcp_timer_kind)e->a), at,
                 e->flags & TRACE_F_BACKOFF ? " (backed off)" : "");
        break;
    }
    case TRACE_TIMER_FIRE:
    case TRACE_TIMER_CANCEL:
        snprintf(body, sizeof body, "%s",
                 tcp_timer_name((enum tcp_timer_kind)e->a));
        break;
    case TRACE_NOTE:
        /* A note whose claims this run does not bear out is kept, marked:
         * the viewer shows the generated narration instead. */
        if (e->flags & TRACE_F_UNTRUE)
            snprintf(body, sizeof body, "(does not hold: %s) %s",
                     trace_claim_name(e->b),
                     e->note && e->note->en ? e->note->en : "");
        else
            snprintf(body, sizeof body, "%s",
                     e->note && e->note->en ? e->note->en : "");
        break;
    case TRACE__KIND_COUNT: break;
    }
    snprintf(line, sizeof line, "%11s %-6s c%-2u %-12s %s", t,
             trace_side_name((enum trace_side)e->side), e->conn,
             trace_kind_name((enum trace_kind)e->kind), body);
    /* Notes and rule labels come from the scenario file. */
    return trace_escape(line, buf, size);
}

/*
 * Control characters are written as visible escapes: C0 and DEL as \xNN,
 * C1 (U+0080-U+009F, two bytes in UTF-8) as \u00NN. Everything else,
 * including the rest of UTF-8, is copied. An escape or a character that
 * does not fit is left out whole.
 */
char *
trace_escape(const char *s, char *buf, size_t size)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;

    if (size == 0)
        return buf;
    while (*p) {
        char esc[8];
        size_t len;
        const char *piece = esc;
        if (*p < 0x20 || *p == 0x7f) {
            len = (size_t)snprintf(esc, sizeof esc, "\\x%02x", *p);
            p++;
        } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            len = (size_t)snprintf(esc, sizeof esc, "\\u%04x", p[1]);
            p += 2;
        } else {
            piece = (const char *)p;
            len = 1;
            if (*p >= 0xc0)
                while ((p[len] & 0xc0) == 0x80 && len < 4)
                    len++;
            p += len;
        }
        if (n + len >= size)
            break;
        memcpy(buf + n, piece, len);
        n += len;
    }
    buf[n] = '\0';
    return buf;
}

int
trace_write_text(const struct trace *t, FILE *out)
{
    char line[1024];

    for (size_t i = 0; i < t->len; i++) {
        trace_format_event(trace_at(t, i), line, sizeof line);
        fputs(line, out);
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}
