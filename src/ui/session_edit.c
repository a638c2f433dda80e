/*
 * The session's what-if edits: the actions that make them (drop a packet,
 * random loss, delayed ACK, MSL, undo), how they change the scenario before
 * each run, and saving the edited run (S); see session.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "save/save.h"
#include "ui/narrate.h"
#include "ui/session_priv.h"

static const int session_loss_steps[] = {0, 10, 30, 50};
static const uint64_t session_msl_steps[] = {
    1000000, 2000000, 5000000, 15000000, 30000000, 60000000, 120000000};

/* The loss rate the user set, percent, or -1 if none. */
int
session_user_loss(const struct session *s)
{
    for (size_t i = s->nedits; i-- > 0;)
        if (s->edits[i].kind == EDIT_LOSS)
            return s->edits[i].loss_pct;
    return -1;
}

void
session_apply(struct session *s, struct scenario *run)
{
    struct tcp_params def;
    char label[64];

    tcp_params_default(&def, s->base->tcp.profile);
    for (size_t i = 0; i < s->nedits; i++) {
        const struct session_edit *e = &s->edits[i];
        struct net_rule r = {
            .from = -1,
            .data = -1,
            .state = -1,
            .nth = 1,
            .probability = 1,
            .action = RULE_DROP,
            .label = label,
        };
        switch (e->kind) {
        case EDIT_DROP:
            snprintf(label, sizeof label, "dropped by you (edit %zu)", i + 1);
            r.seg_id = e->seg_id;
            r.count = 1;
            scenario_add_rule(run, &r);
            break;
        case EDIT_LOSS:
            if (e->loss_pct <= 0)
                break;
            snprintf(label, sizeof label, "random loss %d%% (edit %zu)",
                     e->loss_pct, i + 1);
            r.from_us = e->at_us;
            for (size_t j = i + 1; j < s->nedits; j++)
                if (s->edits[j].kind == EDIT_LOSS) {
                    r.until_us = s->edits[j].at_us;
                    break;
                }
            r.count = 0;
            r.probability = e->loss_pct / 100.0;
            if (r.until_us == 0 || r.until_us > r.from_us)
                scenario_add_rule(run, &r);
            break;
        case EDIT_DELACK:
            run->tcp.delack_us = e->delack_off ? 0
                                 : s->base->tcp.delack_us
                                     ? s->base->tcp.delack_us
                                     : def.delack_us;
            break;
        case EDIT_MSL:
            run->tcp.msl_us = e->msl_us;
            if (run->tcp.profile == PROFILE_RFC)
                run->tcp.time_wait_us = 2 * e->msl_us;
            break;
        }
    }
}

void
session_edit(struct session *s, const struct session_edit *e)
{
    if (s->nedits == s->edits_cap) {
        s->edits_cap = s->edits_cap ? s->edits_cap * 2 : 8;
        s->edits = xreallocarray(s->edits, s->edits_cap, sizeof *s->edits);
    }
    s->edits[s->nedits++] = *e;
    s->playing = false;
    session_rerun(s);
}

/* The label of the packet sent at event i, for messages. */
static char *
session_seg_text(const struct session *s, uint32_t i, char *buf, size_t size)
{
    const struct trace_event *e = trace_at(&s->trace, i);
    uint32_t a = s->layout.ev_arrow[i];
    char name[24];
    if (a == DRAW_NONE) {
        snprintf(buf, size, "%s", draw_seg_name(&e->seg, name, sizeof name));
        return buf;
    }
    draw_seg_label(&e->seg, s->absolute, s->layout.arrows[a].has_seq,
                   s->layout.arrows[a].base_seq, s->layout.arrows[a].has_ack,
                   s->layout.arrows[a].base_ack, buf, size);
    return buf;
}

static int
session_drop_next(struct session *s)
{
    uint32_t ev = session_event(s);
    size_t from = ev == DRAW_NONE ? 0 : (size_t)ev + 1;
    char label[96];

    for (size_t i = from; i < s->trace.len; i++) {
        const struct trace_event *e = trace_at(&s->trace, i);
        if (e->kind != TRACE_SEND || (e->seg.tags & (SEG_ICMP | SEG_DUP)) ||
            e->seg.from > SIDE_SERVER)
            continue;
        struct session_edit ed = {.kind = EDIT_DROP, .seg_id = e->seg.id};
        session_seg_text(s, (uint32_t)i, label, sizeof label);
        int side = e->seg.from;
        session_edit(s, &ed);
        session_message(s,
                        ZH(s) ? "第 %zu 处修改：网络将丢失%s的下一个报文（%s）"
                                "。继续单步，看 TCP 如何应对；按 u 撤销。"
                              : "Edit %zu: the network will lose the %s's next "
                                "packet (%s). Step on to see what TCP does "
                                "about it; u undoes.",
                        s->nedits, narrate_side(side, s->lang), label);
        return SESSION_REDRAW;
    }
    session_message(s, ZH(s) ? "这次运行不再发送任何报文：没有可丢弃的报文。"
                             : "Nothing more is sent in this run: no packet "
                               "to drop.");
    return SESSION_REDRAW;
}

static int
session_select(struct session *s)
{
    struct draw_view v;
    uint32_t ids[64];
    size_t n, k = 0;

    session_view(s, &v);
    n = draw_seq_in_flight(&s->layout, &v, ids, 64);
    if (n == 0) {
        s->selected = 0;
        session_message(s, ZH(s) ? "现在没有在途报文：单步前进，直到有报文在路"
                                   "上（箭头上的 \u25cf）。"
                                 : "No packet is in flight right now: step "
                                   "until one is on its way (a \u25cf on an "
                                   "arrow).");
        return SESSION_REDRAW;
    }
    while (k < n && ids[k] != s->selected)
        k++;
    s->selected = ids[k < n ? (k + 1) % n : 0];
    session_message(s,
                    ZH(s) ? "已选中报文 %u（反色的 \u25cf）：按 x 丢弃它。"
                          : "Packet %u selected (reversed \u25cf): x drops it.",
                    s->selected);
    return SESSION_REDRAW;
}

static int
session_drop_selected(struct session *s)
{
    struct draw_view v;
    uint32_t ids[64];
    size_t n;
    bool found = false;

    session_view(s, &v);
    n = draw_seq_in_flight(&s->layout, &v, ids, 64);
    for (size_t i = 0; i < n; i++)
        found |= ids[i] == s->selected;
    if (!s->selected || !found) {
        s->selected = 0;
        session_message(s, ZH(s) ? "请先选中一个在途报文：按 Tab，或点击它的 "
                                   "\u25cf。"
                                 : "Select a packet in flight first: Tab, or "
                                   "click its \u25cf.");
        return SESSION_REDRAW;
    }
    struct session_edit ed = {.kind = EDIT_DROP, .seg_id = s->selected};
    session_edit(s, &ed);
    session_message(s,
                    ZH(s) ? "第 %zu 处修改：这个报文在网络中丢失。按 u 撤销。"
                          : "Edit %zu: that packet is lost in the network. u "
                            "undoes.",
                    s->nedits);
    return SESSION_REDRAW;
}

static int
session_cycle_loss(struct session *s)
{
    uint32_t ev = session_event(s);
    int cur = session_user_loss(s), next = 10;
    if (cur < 0)
        cur = 0;
    for (size_t i = 0; i < sizeof session_loss_steps / sizeof(int); i++)
        if (session_loss_steps[i] == cur)
            next = session_loss_steps[(i + 1) % (sizeof session_loss_steps /
                                                 sizeof(int))];
    struct session_edit ed = {
        .kind = EDIT_LOSS,
        .at_us = ev == DRAW_NONE ? 0 : trace_at(&s->trace, ev)->t_us,
        .loss_pct = next,
    };
    session_edit(s, &ed);
    session_message(s,
                    ZH(s) ? "第 %zu 处修改：从现在起随机丢包 %d%%。按 u 撤销。"
                          : "Edit %zu: random loss %d%% from now on. u undoes.",
                    s->nedits, next);
    return SESSION_REDRAW;
}

static int
session_toggle_delack(struct session *s)
{
    struct session_edit ed = {.kind = EDIT_DELACK,
                              .delack_off = s->run->tcp.delack_us != 0};
    session_edit(s, &ed);
    if (ZH(s))
        session_message(s, "第 %zu 处修改：%s。按 u 撤销。", s->nedits,
                        ed.delack_off ? "关闭延迟确认：每个报文段都立即确认"
                                      : "重新开启延迟确认");
    else
        session_message(s, "Edit %zu: delayed ACK %s. u undoes.", s->nedits,
                        ed.delack_off ? "off: every segment is ACKed at once"
                                      : "back on");
    return SESSION_REDRAW;
}

static int
session_cycle_msl(struct session *s)
{
    uint64_t cur = s->run->tcp.msl_us, next = session_msl_steps[0];
    char d[24];
    for (size_t i = 0; i < sizeof session_msl_steps / sizeof(uint64_t); i++)
        if (session_msl_steps[i] > cur) {
            next = session_msl_steps[i];
            break;
        }
    struct session_edit ed = {.kind = EDIT_MSL, .msl_us = next};
    session_edit(s, &ed);
    draw_duration(next, d, sizeof d);
    if (ZH(s))
        session_message(s, "第 %zu 处修改：MSL 现在是 %s%s。按 u 撤销。",
                        s->nedits, d,
                        s->run->tcp.profile == PROFILE_RFC
                            ? "，所以 TIME-WAIT 持续它的两倍"
                            : "（Linux 的 TIME-WAIT 固定为 60 s）");
    else
        session_message(s, "Edit %zu: MSL is now %s%s. u undoes.", s->nedits, d,
                        s->run->tcp.profile == PROFILE_RFC
                            ? ", so TIME-WAIT lasts twice that"
                            : " (Linux keeps TIME-WAIT at its fixed 60 s)");
    return SESSION_REDRAW;
}

static int
session_undo(struct session *s)
{
    if (s->nedits == 0) {
        session_message(s, ZH(s) ? "没有可撤销的修改：这就是场景原本的运行。"
                                 : "Nothing to undo: this is the run as "
                                   "written.");
        return SESSION_REDRAW;
    }
    s->nedits--;
    s->playing = false;
    session_rerun(s);
    if (ZH(s))
        session_message(s, "已撤销。还剩 %zu 处修改。", s->nedits);
    else
        session_message(s, "Undone. %zu edit%s left.", s->nedits,
                        s->nedits == 1 ? "" : "s");
    return SESSION_REDRAW;
}

/*
 * S: the run as a new scenario in the teacher's folder (save.h), and where
 * it went and how to open it. Paths come from the environment: escaped.
 */
static int
session_save(struct session *s)
{
    struct synfin_err err;
    char *text = save_run_text(s->base, s->run, &s->trace, &err);
    char *where = NULL, *slash, msg[1024], name[256], dir[512];
    size_t n;

    s->mode = MODE_MAIN; /* the message shows in the narration pane */
    s->playing = false;
    if (!text) {
        trace_escape(synfin_err_str(&err, msg, sizeof msg), dir, sizeof dir);
        session_message(s,
                        ZH(s) ? "无法保存这次运行：%s"
                              : "Could not save this "
                                "run: %s",
                        dir);
        return SESSION_REDRAW;
    }
    if (save_new(s->base->name, text, &where) != 0) {
        int e = errno;
        if (!where)
            session_message(s, ZH(s) ? "无法保存这次运行：没有存放场景的文件"
                                       "夹（请设置 HOME 或 XDG_DATA_HOME）。"
                                     : "Could not save this run: there is no "
                                       "folder for your scenarios (set HOME "
                                       "or XDG_DATA_HOME).");
        else
            session_message(s,
                            ZH(s) ? "无法保存这次运行：%s：%s"
                                  : "Could not save this run: %s: %s",
                            trace_escape(where, dir, sizeof dir), strerror(e));
        free(where);
        free(text);
        return SESSION_REDRAW;
    }
    free(text);
    slash = strrchr(where, '/');
    *slash = '\0';
    n = strlen(slash + 1) - 5; /* less ".json" */
    slash[1 + n] = '\0';
    trace_escape(slash + 1, name, sizeof name);
    trace_escape(where, dir, sizeof dir);
    session_message(s,
                    ZH(s) ? "已把这次运行保存为 %s，在 %s；用 synfin %s "
                            "打开它。"
                          : "Saved this run as %s in %s; synfin %s opens it.",
                    name, dir, name);
    free(where);
    return SESSION_REDRAW;
}

int
session_edit_act(struct session *s, enum keys_action a)
{
    switch (a) {
    case ACT_DROP_NEXT: return session_drop_next(s);
    case ACT_SELECT: return session_select(s);
    case ACT_DROP_SELECTED: return session_drop_selected(s);
    case ACT_LOSS: return session_cycle_loss(s);
    case ACT_DELACK: return session_toggle_delack(s);
    case ACT_MSL: return session_cycle_msl(s);
    case ACT_UNDO: return session_undo(s);
    case ACT_SAVE: return session_save(s);
    default: return 0;
    }
}
