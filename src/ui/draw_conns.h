/*
 * The list of connections (f): for each connection of the run its number,
 * the two ports, each end's state at the moment shown and how it ended, one
 * of them chosen, to follow it alone (session_conns.c).
 */
#ifndef SYNFIN_UI_DRAW_CONNS_H
#define SYNFIN_UI_DRAW_CONNS_H

#include <stdint.h>

#include "ui/canvas.h"
#include "ui/draw.h"

/* chosen: the connection highlighted; typed: digits typed so far. */
void draw_conns(struct canvas *c, int x, int y, int w, int h,
                const struct draw_view *v, uint32_t chosen, const char *typed);

/* While one connection is followed (v->follow): how many of the others
 * are in each state at the moment shown, in a line of text. Returns buf. */
char *draw_conns_others(const struct draw_view *v, char *buf, size_t size);

#endif
