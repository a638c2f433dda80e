/* The quiz panel; see draw_quiz.h. */
#include "ui/draw_quiz.h"

#include <stdio.h>
#include <string.h>

#include "ui/keys.h"
#include "ui/narrate.h"

bool
draw_quiz_shown(const struct draw_view *v)
{
    return v->quiz.on && (v->quiz.item || v->quiz.over);
}

char *
draw_quiz_value(const struct quiz_item *it, const struct quiz_value *q,
                const char *lang, char *buf, size_t size)
{
    return quiz_value_text(it, q, lang, buf, size);
}

/* The texts of the panel at v's moment. */
struct quiz_text {
    char title[96];
    const char *question;
    struct quiz_value choice[QUIZ_MAX_CHOICES];
    int nchoices;
    char result[1024];
    /* After the answer: the explanation computed from the run, the
     * scenario's own (or why it is not shown), and the demo one key away. */
    char computed[2048];
    const char *explain;
    char untrue[512];
    char demo[256];
    char over[512];
};

/* The key that opens the demo, from the key table. */
static const char *
demo_key(void)
{
    size_t n;
    const struct keys_entry *k = keys_table(&n);
    for (size_t i = 0; i < n; i++)
        if (k[i].action == ACT_DEMO)
            return k[i].names;
    return "?";
}

/* The explanation part of the panel, once the question is answered. */
static void
quiz_explain_text(const struct draw_view *v, struct quiz_text *t)
{
    const struct quiz_item *it = v->quiz.item;
    bool zh = narrate_is_zh(v->lang);
    bool edited = v->edits || (v->scn && v->scn->changed);
    char claim[256];

    if (v->trace && v->scn)
        quiz_explain(v->scn, v->trace, it, v->lang, t->computed,
                     sizeof t->computed);
    if (it->untrue < 0) {
        t->explain = i18n_get(&it->q->explain, v->lang);
    } else {
        narrate_claim(&it->q->holds, it->untrue, v->lang, claim, sizeof claim);
        if (zh)
            snprintf(t->untrue, sizeof t->untrue,
                     "（场景为这道题写的解释%s：它预期%s。）",
                     edited ? "在你修改之后不再适用" : "不适用于本次运行",
                     claim);
        else
            snprintf(t->untrue, sizeof t->untrue,
                     "(The scenario's own explanation %s: it expects %s.)",
                     edited ? "no longer applies after your edit"
                            : "does not apply to this run",
                     claim);
        canvas_utf8_trim(t->untrue);
    }
    if (it->q->demo) {
        snprintf(t->demo, sizeof t->demo,
                 zh ? "\u25b6 按 %s 打开演示场景 %s，看它如何发生。"
                    : "\u25b6 %s opens %s: watch it happen.",
                 demo_key(), it->q->demo);
        canvas_utf8_trim(t->demo);
    }
}

static void
quiz_text(const struct draw_view *v, struct quiz_text *t)
{
    const struct draw_quiz *q = &v->quiz;
    bool zh = narrate_is_zh(v->lang);
    char got[384], want[384];

    memset(t, 0, sizeof *t);
    if (!q->item) {
        snprintf(t->title, sizeof t->title, zh ? " 测验结束 " : " Quiz over ");
        if (zh)
            snprintf(
                t->over, sizeof t->over,
                "答对 %d 题，共回答 %d 题。每个答案都是用这次模拟运行的结果"
                "来核对的。",
                q->score, q->nanswered);
        else
            snprintf(t->over, sizeof t->over,
                     "You got %d of %d right. Every answer was checked against "
                     "this run of the simulation.",
                     q->score, q->nanswered);
        if (q->unanswered > 0) {
            size_t n = strlen(t->over);
            snprintf(t->over + n, sizeof t->over - n,
                     zh ? "还有 %d 道题没有回答：按 g 回到开头再试。"
                        : " %d question%s not answered: g goes back to the "
                          "start.",
                     q->unanswered,
                     zh                   ? ""
                     : q->unanswered == 1 ? " was"
                                          : "s were");
        }
        canvas_utf8_trim(t->over);
        return;
    }
    snprintf(t->title, sizeof t->title,
             zh ? " 测验 · 第 %d 题（共 %d 题） "
                : " Quiz \u00b7 question %d of %d ",
             q->number, q->total);
    t->question = i18n_get(&q->item->q->question, v->lang);
    t->nchoices = quiz_choices(q->item, t->choice, QUIZ_MAX_CHOICES);
    if (!q->answered) {
        if (v->message)
            snprintf(t->result, sizeof t->result, "%s", v->message);
        else if (t->nchoices)
            snprintf(t->result, sizeof t->result,
                     zh ? "按 1 到 %d 作答。" : "Press 1 to %d to answer.",
                     t->nchoices);
        else
            snprintf(t->result, sizeof t->result,
                     zh ? "输入一个数字，再按 Enter：%s\u258f"
                        : "Type a number, then Enter: %s\u258f",
                     q->input ? q->input : "");
    } else {
        if (q->item->answer.kind == QV_CHOICE) {
            /* The sentence is highlighted above: name it by number. */
            snprintf(got, sizeof got, zh ? "第 %lld 项" : "choice %lld",
                     (long long)q->given.v + 1);
            snprintf(want, sizeof want, zh ? "第 %lld 项" : "choice %lld",
                     (long long)q->item->answer.v + 1);
        } else {
            draw_quiz_value(q->item, &q->given, v->lang, got, sizeof got);
            draw_quiz_value(q->item, &q->item->answer, v->lang, want,
                            sizeof want);
        }
        if (q->right)
            snprintf(t->result, sizeof t->result,
                     zh ? "\u2713 答对了：%s。（按 n 继续）"
                        : "\u2713 Right: %s. (n goes on)",
                     want);
        else
            snprintf(
                t->result, sizeof t->result,
                zh ? "\u2717 不对：你的答案是 %s，正确答案是 %s。（按 n 继续）"
                   : "\u2717 Not quite: you said %s; the answer is %s. (n "
                     "goes on)",
                got, want);
        quiz_explain_text(v, t);
    }
    canvas_utf8_trim(t->result);
}

/* The choices, laid out greedily: "1) CLOSE-WAIT   2) LAST-ACK"; the
 * sentences of a concept question one under the other, wrapped. With c
 * NULL, only counts the rows. */
static int
quiz_choices_draw(struct canvas *c, int x, int y, int w, int rows,
                  const struct draw_view *v, const struct quiz_text *t)
{
    const struct draw_quiz *q = &v->quiz;
    bool lines = q->item && q->item->answer.kind == QV_CHOICE;
    int col = 0, row = 0;

    for (int i = 0; i < t->nchoices; i++) {
        char val[384], item[448];
        bool right = q->answered && quiz_equal(&t->choice[i], &q->item->answer);
        bool wrong =
            q->answered && !q->right && quiz_equal(&t->choice[i], &q->given);
        int iw, role = ROLE_TEXT, attr = 0;

        snprintf(
            item, sizeof item, "%d) %s%s", i + 1,
            draw_quiz_value(q->item, &t->choice[i], v->lang, val, sizeof val),
            right   ? " \u2713"
            : wrong ? " \u2717"
                    : "");
        canvas_utf8_trim(item);
        if (right) {
            role = ROLE_ST_EST;
            attr = CANVAS_BOLD | CANVAS_REVERSE;
        } else if (wrong) {
            role = ROLE_DROP;
            attr = CANVAS_BOLD | CANVAS_REVERSE;
        } else if (q->answered) {
            role = ROLE_DIM;
        }
        if (lines) {
            if (!c)
                row += canvas_wrap(NULL, 0, 0, w, 0, item, 0, 0);
            else if (row < rows)
                row +=
                    canvas_wrap(c, x, y + row, w, rows - row, item, role, attr);
            continue;
        }
        iw = canvas_str_width(item);
        if (col > 0 && col + 3 + iw > w) {
            row++;
            col = 0;
        }
        if (col > 0)
            col += 3;
        if (c && row < rows)
            canvas_text(c, x + col, y + row, w - col, item, role, attr);
        col += iw;
    }
    return lines || !t->nchoices ? row : row + 1;
}

/* The explanation paragraphs, in order, into rows at y; with c NULL,
 * counts them. */
static int
quiz_explain_draw(struct canvas *c, int x, int y, int w, int rows,
                  const struct quiz_text *t)
{
    const char *parts[3] = {t->computed, t->explain, t->untrue};
    int used = 0;

    for (int i = 0; i < 3; i++) {
        if (!parts[i] || !*parts[i])
            continue;
        if (!c)
            used += canvas_wrap(NULL, 0, 0, w, 0, parts[i], 0, 0);
        else if (used < rows)
            used += canvas_wrap(c, x, y + used, w, rows - used, parts[i],
                                i == 0 ? ROLE_TEXT : ROLE_DIM, 0);
    }
    return used;
}

int
draw_quiz_rows(const struct draw_view *v, int w)
{
    struct quiz_text t;
    int rows = 1;

    if (!draw_quiz_shown(v))
        return 0;
    quiz_text(v, &t);
    if (!v->quiz.item)
        return rows + canvas_wrap(NULL, 0, 0, w - 4, 0, t.over, 0, 0);
    rows += canvas_wrap(NULL, 0, 0, w - 4, 0, t.question, 0, 0);
    rows += quiz_choices_draw(NULL, 0, 0, w - 4, 0, v, &t);
    rows += canvas_wrap(NULL, 0, 0, w - 4, 0, t.result, 0, 0);
    rows += quiz_explain_draw(NULL, 0, 0, w - 4, 0, &t);
    if (*t.demo)
        rows += canvas_wrap(NULL, 0, 0, w - 4, 0, t.demo, 0, 0);
    return rows;
}

void
draw_quiz(struct canvas *c, int x, int y, int w, int h,
          const struct draw_view *v)
{
    const struct draw_quiz *q = &v->quiz;
    struct quiz_text t;
    int iy = y + 1, end = y + h, ix = x + 2, iw = w - 4, rows;

    if (h <= 0 || !draw_quiz_shown(v))
        return;
    quiz_text(v, &t);
    canvas_hline(c, x, y, w, 0x2550, ROLE_TITLE, 0);
    canvas_text(c, x + 2, y, w - 4, t.title, ROLE_TITLE,
                CANVAS_BOLD | CANVAS_REVERSE);
    if (!q->item) {
        canvas_wrap(c, ix, iy, iw, end - iy, t.over, ROLE_TEXT, CANVAS_BOLD);
        return;
    }
    /* The result, the choices and the demo matter most: the question gives
     * up rows first when the panel is short, then the explanation. */
    if (*t.demo)
        end -= canvas_wrap(NULL, 0, 0, iw, 0, t.demo, 0, 0);
    rows = end - iy - canvas_wrap(NULL, 0, 0, iw, 0, t.result, 0, 0) -
           quiz_choices_draw(NULL, 0, 0, iw, 0, v, &t);
    if (q->answered)
        rows -= 1;
    if (rows < 1)
        rows = 1;
    iy += canvas_wrap(c, ix, iy, iw, rows, t.question, ROLE_TEXT, CANVAS_BOLD);
    if (iy < end)
        iy += quiz_choices_draw(c, ix, iy, iw, end - iy, v, &t);
    if (iy < end)
        iy += canvas_wrap(c, ix, iy, iw, end - iy, t.result,
                          !q->answered ? (v->message ? ROLE_EDITED : ROLE_KEY)
                          : q->right   ? ROLE_ST_EST
                                       : ROLE_DROP,
                          CANVAS_BOLD);
    if (q->answered && iy < end)
        iy += quiz_explain_draw(c, ix, iy, iw, end - iy, &t);
    if (*t.demo)
        canvas_wrap(c, ix, end, iw, y + h - end, t.demo, ROLE_KEY, CANVAS_BOLD);
}
