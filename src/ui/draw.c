/* Helpers shared by the views; see draw.h. */
#include "ui/draw.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui/canvas.h"

char *
draw_duration(uint64_t us, char *buf, size_t size)
{
    if (us < 1000)
        snprintf(buf, size, "%" PRIu64 " us", us);
    else if (us < 1000000)
        snprintf(buf, size, "%" PRIu64 " ms", (us + 500) / 1000);
    else if (us < 10000000 && us % 1000000)
        snprintf(buf, size, "%.1f s", (double)us / 1e6);
    else if (us < 120000000)
        snprintf(buf, size, "%" PRIu64 " s", (us + 500000) / 1000000);
    else if (us < 7200000000u)
        snprintf(buf, size, "%" PRIu64 " min", (us + 30000000) / 60000000);
    else
        snprintf(buf, size, "%" PRIu64 " h", (us + 1800000000) / 3600000000u);
    return buf;
}

char *
draw_time(uint64_t us, char *buf, size_t size)
{
    snprintf(buf, size, "%" PRIu64 ".%03" PRIu64, us / 1000000,
             us / 1000 % 1000);
    return buf;
}

int
draw_state_role(int state)
{
    static const uint8_t roles[TCP__STATE_COUNT] = {
        [TCP_CLOSED] = ROLE_ST_CLOSED,
        [TCP_LISTEN] = ROLE_ST_OPENING,
        [TCP_SYN_SENT] = ROLE_ST_OPENING,
        [TCP_SYN_RECEIVED] = ROLE_ST_OPENING,
        [TCP_ESTABLISHED] = ROLE_ST_EST,
        [TCP_FIN_WAIT_1] = ROLE_ST_ACTIVE,
        [TCP_FIN_WAIT_2] = ROLE_ST_ACTIVE,
        [TCP_CLOSING] = ROLE_ST_ACTIVE,
        [TCP_CLOSE_WAIT] = ROLE_ST_PASSIVE,
        [TCP_LAST_ACK] = ROLE_ST_PASSIVE,
        [TCP_TIME_WAIT] = ROLE_ST_TW,
    };
    return state >= 0 && state < TCP__STATE_COUNT ? roles[state] : ROLE_TEXT;
}

int
draw_seg_role(const struct seg_view *s)
{
    if (s->tags & SEG_ICMP)
        return ROLE_NET;
    if (s->flags & TCP_RST)
        return ROLE_SEG_RST;
    if (s->flags & TCP_SYN)
        return ROLE_SEG_SYN;
    if (s->flags & TCP_FIN)
        return ROLE_SEG_FIN;
    return ROLE_SEG;
}

char *
draw_seg_name(const struct seg_view *s, char *buf, size_t size)
{
    char flags[24];
    uint8_t f = s->flags & (TCP_SYN | TCP_FIN | TCP_RST);

    if (s->tags & SEG_ICMP) {
        snprintf(buf, size, "ICMP");
        return buf;
    }
    if ((s->flags & TCP_SYN) && (s->flags & TCP_ACK))
        f |= TCP_ACK;
    if (f == 0)
        snprintf(buf, size, "%s", s->len ? "DATA" : "ACK");
    else
        snprintf(buf, size, "%s", tcp_flags_str(f, flags));
    return buf;
}

char *
draw_seg_label(const struct seg_view *s, bool absolute, bool has_seq,
               uint32_t base_seq, bool has_ack, uint32_t base_ack, char *buf,
               size_t size)
{
    char name[24];
    size_t n;

    if (s->tags & SEG_ICMP) {
        snprintf(buf, size, "ICMP time exceeded (router %u)", s->hops);
        return buf;
    }
    draw_seg_name(s, name, sizeof name);
    n = (size_t)snprintf(buf, size, "%s seq=%" PRIu32, name,
                         has_seq && !absolute ? s->seq - base_seq : s->seq);
    if ((s->flags & TCP_ACK) && n < size)
        n +=
            (size_t)snprintf(buf + n, size - n, " ack=%" PRIu32,
                             has_ack && !absolute ? s->ack - base_ack : s->ack);
    if (s->len && n < size)
        snprintf(buf + n, size - n, " len=%" PRIu32, s->len);
    return buf;
}

const char *
draw_title(const struct draw_view *v)
{
    const char *t;

    if (!v->scn)
        return "synfin";
    t = i18n_get(&v->scn->title, v->lang);
    if (t && *t)
        return t;
    return v->scn->name ? v->scn->name : "synfin";
}

const struct trace_event *
draw_event(const struct draw_view *v, uint32_t i)
{
    if (!v->trace || i == DRAW_NONE || i >= v->trace->len)
        return NULL;
    return trace_at(v->trace, i);
}

uint64_t
draw_timer_length(const struct draw_view *v, uint32_t at, int side, int kind,
                  uint64_t expiry)
{
    return trace_timer_armed(v->trace, at, trace_at(v->trace, at)->conn, side,
                             kind, expiry);
}
