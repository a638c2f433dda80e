/* synfin --quiz: the text version of quiz mode; see quiz_text.h. */
#include "quiz/quiz_text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "synfin/quiz.h"
#include "synfin/trace.h"

/* What happened up to the question: segments, drops and state changes. */
static void
quiz_context(const struct trace *t, size_t from, size_t to, FILE *out)
{
    char line[1024];

    for (size_t i = from; i <= to && i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        if (e->kind == TRACE_SEND || e->kind == TRACE_DROP ||
            e->kind == TRACE_STATE || e->kind == TRACE_CALL)
            fprintf(out, "%s\n", trace_format_event(e, line, sizeof line));
    }
}

/* Scenario text, escaped for the terminal. */
static const char *
text(const struct i18n *t, const char *lang, char *buf, size_t size)
{
    return trace_escape(i18n_get(t, lang), buf, size);
}

int
quiz_text_run(const struct scenario *s, const struct trace *trace,
              const char *path, const char *lang, FILE *in, FILE *out)
{
    /* Each message is a pair of literals, so printf's formats stay
     * checked. */
    bool zh = strcmp(lang, "zh") == 0;
    struct quiz_item *items = xcalloc(s->nquiz + 1, sizeof *items);
    size_t n, from = 0;
    char esc[4096];
    int score = 0, asked = 0, total = 0;
    char *line = NULL;
    size_t cap = 0;

    n = quiz_prepare(s, trace, items);
    for (size_t k = 0; k < n; k++)
        total += items[k].known;
    if (total == 0) {
        fprintf(stderr,
                zh ? "%s 没有测验题。\n" : "%s has no quiz questions.\n", path);
        free(items);
        return 2;
    }
    fprintf(out, "%s\n\n", text(&s->title, lang, esc, sizeof esc));
    for (size_t k = 0; k < n; k++) {
        const struct quiz_item *it = &items[k];
        struct quiz_value choices[QUIZ_MAX_CHOICES], given;
        char buf[1024];
        int nc;

        if (!it->known)
            continue;
        quiz_context(trace, from, it->at, out);
        from = it->at + 1;
        fprintf(out, "\n");
        fprintf(
            out, zh ? "第 %d 题（共 %d 题）：%s\n" : "Question %d of %d: %s\n",
            asked + 1, total, text(&it->q->question, lang, esc, sizeof esc));
        nc = quiz_choices(it, choices, QUIZ_MAX_CHOICES);
        for (int i = 0; i < nc; i++)
            fprintf(out, "  %d) %s\n", i + 1,
                    trace_escape(
                        quiz_value_text(it, &choices[i], lang, buf, sizeof buf),
                        esc, sizeof esc));
        for (;;) {
            if (nc)
                fprintf(out,
                        zh ? "请输入 1 到 %d 的编号，或直接写出答案。\n"
                           : "Answer with a number from 1 to %d, or the answer "
                             "itself.\n",
                        nc);
            else
                fprintf(out, zh ? "请输入一个数字。\n" : "Type a number.\n");
            fprintf(out, "> ");
            fflush(out);
            if (getline(&line, &cap, in) < 0)
                goto done;
            if (quiz_parse(it, line, choices, nc, &given))
                break;
            fprintf(out, zh ? "这不是可选的答案，请再试一次。\n"
                            : "Sorry, that is not one of the answers. Try "
                              "again.\n");
        }
        asked++;
        /* A choice by its number: its sentence is printed above. */
        if (it->answer.kind == QV_CHOICE)
            quiz_value_str(&it->answer, buf, sizeof buf);
        else
            trace_escape(
                quiz_value_text(it, &it->answer, lang, esc, sizeof esc), buf,
                sizeof buf);
        if (quiz_equal(&given, &it->answer)) {
            score++;
            fprintf(out, zh ? "答对了：%s。\n" : "Right: %s.\n", buf);
        } else {
            fprintf(out,
                    zh ? "不对，正确答案是 %s。\n"
                       : "Not quite: the answer is %s.\n",
                    buf);
        }
        quiz_explain(s, trace, it, lang, esc, sizeof esc);
        if (*esc)
            fprintf(out, "%s\n", esc);
        if (it->untrue < 0)
            fprintf(out, "%s\n", text(&it->q->explain, lang, esc, sizeof esc));
        else
            fprintf(out, "%s\n", quiz_untrue_line(lang, s->changed));
        if (it->q->demo)
            fprintf(
                out, "%s\n",
                trace_escape(quiz_demo_command(it, path, lang, buf, sizeof buf),
                             esc, sizeof esc));
        fprintf(out, "\n");
    }
done:
    fprintf(out, zh ? "\n得分：%d / %d。\n" : "\nScore: %d of %d.\n", score,
            asked);
    free(line);
    free(items);
    return 0;
}
