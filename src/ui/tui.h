/* The terminal: the only part of synfin that uses curses. */
#ifndef SYNFIN_UI_TUI_H
#define SYNFIN_UI_TUI_H

#include "ui/catalog.h"
#include "ui/session.h"
#include "ui/ui.h"

/*
 * Run the interactive viewer until the user quits: on the session s if it
 * is open (s->base set), else on the picker of cat. The terminal is restored
 * however it ends. Returns the exit code.
 */
int tui_run(const struct ui_options *opt, struct session *s,
            struct catalog *cat);

#endif
