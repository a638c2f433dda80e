/* The teaching text of the front end; see narrate.h. */
#include "ui/narrate.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui/canvas.h"

/* English and Chinese side by side: [0] en, [1] zh. */
struct narrate_pair {
    const char *en, *zh;
};

int
narrate_is_zh(const char *lang)
{
    return lang && strncmp(lang, "zh", 2) == 0;
}

const char *
narrate_lang_toggle(const char *lang)
{
    return narrate_is_zh(lang) ? "en" : "zh";
}

static const char *
narrate_pick(const struct narrate_pair *p, const char *lang)
{
    return narrate_is_zh(lang) && p->zh ? p->zh : p->en;
}

static const struct narrate_pair state_meaning[TCP__STATE_COUNT] = {
    [TCP_CLOSED] = {"no connection", "没有连接"},
    [TCP_LISTEN] = {"waiting for a connection request", "等待连接请求 (SYN)"},
    [TCP_SYN_SENT] = {"sent SYN, waiting for the peer's SYN,ACK",
                      "已发送 SYN，等待对端的 SYN,ACK"},
    [TCP_SYN_RECEIVED] = {"got a SYN and answered; waiting for the ACK",
                          "收到 SYN 并已回应，等待 ACK"},
    [TCP_ESTABLISHED] = {"open: data can flow both ways",
                         "连接已建立：双向都可传数据"},
    [TCP_FIN_WAIT_1] = {"sent FIN, waiting for it to be ACKed",
                        "已发送 FIN，等待对端确认"},
    [TCP_FIN_WAIT_2] = {"our FIN is ACKed; waiting for the peer's FIN",
                        "FIN 已被确认，等待对端的 FIN"},
    [TCP_CLOSE_WAIT] = {"the peer is done; waiting for our app to close",
                        "对端已关闭，等待本方应用关闭"},
    [TCP_CLOSING] = {"both sent FIN at once; waiting for our FIN's ACK",
                     "双方同时发 FIN，等待对本方 FIN 的确认"},
    [TCP_LAST_ACK] = {"sent our FIN last; waiting for its ACK",
                      "本方最后发出 FIN，等待其确认"},
    [TCP_TIME_WAIT] = {"waiting for old segments to die out (RFC: 2MSL)",
                       "等待旧报文段在网络中消失（RFC：2MSL）"},
};

static const struct narrate_pair state_waits[TCP__STATE_COUNT] = {
    [TCP_CLOSED] = {"nothing", "无"},
    [TCP_LISTEN] = {"a SYN", "一个 SYN"},
    [TCP_SYN_SENT] = {"a SYN,ACK", "SYN,ACK"},
    [TCP_SYN_RECEIVED] = {"the ACK of its SYN,ACK", "对其 SYN,ACK 的 ACK"},
    [TCP_ESTABLISHED] = {"data, or a close", "数据，或关闭"},
    [TCP_FIN_WAIT_1] = {"the ACK of its FIN", "对其 FIN 的 ACK"},
    [TCP_FIN_WAIT_2] = {"the peer's FIN", "对端的 FIN"},
    [TCP_CLOSE_WAIT] = {"its application to call close()",
                        "本方应用调用 close()"},
    [TCP_CLOSING] = {"the ACK of its FIN", "对其 FIN 的 ACK"},
    [TCP_LAST_ACK] = {"the ACK of its FIN", "对其 FIN 的 ACK"},
    [TCP_TIME_WAIT] = {"its TIME-WAIT timer", "TIME-WAIT 定时器到期"},
};

const char *
narrate_state_meaning(int state, const char *lang)
{
    if (state < 0 || state >= TCP__STATE_COUNT)
        return "";
    return narrate_pick(&state_meaning[state], lang);
}

const char *
narrate_state_waits(int state, const char *lang)
{
    if (state < 0 || state >= TCP__STATE_COUNT)
        return "";
    return narrate_pick(&state_waits[state], lang);
}

const char *
narrate_side(int side, const char *lang)
{
    static const struct narrate_pair names[] = {
        {"client", "客户端"}, {"server", "服务器"}, {"network", "网络"}};
    return narrate_pick(&names[side >= 0 && side <= 2 ? side : 2], lang);
}

void
narrate_appendf(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
    va_list ap;
    int k;
    if (*n >= size)
        return;
    va_start(ap, fmt);
    k = vsnprintf(buf + *n, size - *n, fmt, ap);
    va_end(ap);
    if (k > 0 && (size_t)k >= size - *n) {
        /* Cut: never in the middle of a character. */
        canvas_utf8_trim(buf);
        *n = strlen(buf);
    } else if (k > 0) {
        *n += (size_t)k;
    }
}

static const char *
narrate_timer(int kind, int zh)
{
    static const struct narrate_pair names[TIMER__COUNT] = {
        [TIMER_RTX] = {"retransmission", "重传"},
        [TIMER_TIME_WAIT] = {"TIME-WAIT", "TIME-WAIT"},
        [TIMER_FIN_WAIT_2] = {"FIN-WAIT-2", "FIN-WAIT-2"},
        [TIMER_DELACK] = {"delayed-ACK", "延迟确认"},
        [TIMER_KEEPALIVE] = {"keepalive", "保活"},
        [TIMER_LOSS_PROBE] = {"tail-loss probe", "尾部丢失探测"},
    };
    if (kind < 0 || kind >= TIMER__COUNT)
        return "?";
    return zh ? names[kind].zh : names[kind].en;
}

const char *
narrate_timer_name(int kind, const char *lang)
{
    return narrate_timer(kind, narrate_is_zh(lang));
}

const char *
narrate_app_short(int ev, const char *lang)
{
    static const struct narrate_pair p[EV__COUNT] = {
        [EV_NONE] = {"app: step", "应用：下一步"},
        [EV_CONNECTED] = {"app: connected", "应用：已连接"},
        [EV_DATA] = {"app: data", "应用：数据"},
        [EV_EOF] = {"app: eof", "应用：EOF"},
        [EV_CLOSED] = {"app: closed", "应用：已关闭"},
        [EV_RESET] = {"app: reset", "应用：被重置"},
        [EV_ERROR] = {"app: error", "应用：出错"},
    };
    if (ev < 0 || ev >= EV__COUNT)
        return "app: ?";
    return narrate_pick(&p[ev], lang);
}
