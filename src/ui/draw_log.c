/* The event log; see draw_log.h. */
#include "ui/draw_log.h"

#include "ui/narrate.h"

void
draw_log(struct canvas *c, int x, int y, int w, int h,
         const struct draw_view *v)
{
    char line[512];
    int rows = h - 2;
    long last = v->ev == DRAW_NONE ? -1 : (long)v->ev, first;

    canvas_box(c, x, y, w, h, ROLE_BORDER,
               narrate_is_zh(v->lang) ? "事件日志" : "Event log", ROLE_TITLE);
    if (rows <= 0)
        return;
    if (last < 0) {
        canvas_text(c, x + 2, y + 1, w - 4,
                    narrate_is_zh(v->lang) ? "（尚无事件）"
                                           : "(nothing has happened yet)",
                    ROLE_DIM, 0);
        return;
    }
    /* The current event on the last row, the ones before it above. */
    first = last - rows + 1;
    if (first < 0)
        first = 0;
    for (long i = first; i <= last; i++) {
        const struct trace_event *e = trace_at(v->trace, i);
        int row = y + 1 + (int)(i - first);
        bool cur = i == last;
        trace_format_event(e, line, sizeof line);
        canvas_fill(c, x + 1, row, w - 2, 1, ' ', cur ? ROLE_CURSOR : ROLE_TEXT,
                    cur ? CANVAS_REVERSE : 0);
        canvas_text(c, x + 2, row, w - 4, line,
                    cur                      ? ROLE_CURSOR
                    : e->kind == TRACE_DROP  ? ROLE_DROP
                    : e->kind == TRACE_STATE ? draw_state_role(e->b)
                                             : ROLE_TEXT,
                    cur ? CANVAS_REVERSE | CANVAS_BOLD : 0);
    }
}
