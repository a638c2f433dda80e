/* synfin --quiz: the scenario's questions asked in plain text, no curses. */
#ifndef SYNFIN_QUIZ_TEXT_H
#define SYNFIN_QUIZ_TEXT_H

#include <stdio.h>

#include "synfin/scenario.h"
#include "synfin/trace.h"

/*
 * Walk the trace of a run of s; at each question show what led up to it,
 * read an answer from in and check it against the run. End of input ends
 * the quiz early, with the score so far. Text from the scenario is written
 * with its control characters escaped. path names the scenario in
 * messages; lang is "en" or "zh". Returns the exit code: 0, or 2 (with a
 * message on stderr) when s has no questions.
 */
int quiz_text_run(const struct scenario *s, const struct trace *trace,
                  const char *path, const char *lang, FILE *in, FILE *out);

#endif
