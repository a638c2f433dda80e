/*
 * What the files of realrun share: realrun.c makes the namespace, watches
 * it and writes the record; realrun_apps.c plays the scenario's scripts on
 * real sockets.
 */
#ifndef REALRUN_H
#define REALRUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "synfin/scenario.h"

/* From <netinet/tcp.h>, whose enum of states would clash with synfin's. */
#define SOL_TCP_CORK 3
#define SOL_TCP_INFO 11

#define MAX_SOCKS 16
#define MAX_RUNS  256

/* ---- realrun.c ---- */

extern FILE *out;        /* the record, real.jsonl */
extern uint32_t addr[2]; /* host order: [SIDE_CLIENT], [SIDE_SERVER] */
extern const struct scenario *scn; /* the scenario being played */
extern volatile sig_atomic_t stop; /* SIGINT or SIGTERM: wind up */

__attribute__((noreturn, format(printf, 2, 3))) void die(int code,
                                                         const char *fmt, ...);
/* Microseconds since the scripts' time zero. */
int64_t now_us(void);
void rec_call(int side, enum sock_call c, int err, long n, const char *detail);
void rec_app(int side, enum app_event ev, int err, long bytes);
/* Set net.ipv4.NAME, and record it; a required one that fails is fatal. */
void sysctl(const char *name, uint64_t value, bool required);
/* Let held packets go before a call (see "holding packets back"). */
void gate_close(void);

/* ---- realrun_apps.c: the scripts, on real sockets ---- */

struct rsock {
    int fd;
    uint8_t side;
    const struct endpoint_cfg *cfg; /* whose script and options */
    bool used, listening, connecting, connected, app_closed, eof, gone;
    bool hup; /* hung up both ways: poll() would report it for ever */
    bool reuseaddr, keepalive, cork;
    int linger;
    uint64_t fired;
    uint64_t unsent; /* bytes send() could not take yet */
    uint64_t pending_runs;
    uint32_t timed[64]; /* its script's timed steps, in time order */
    size_t ntimed, next_timed;
};

extern struct rsock socks[MAX_SOCKS];

/* Refuse what the scripts cannot play (exit 2), before anything starts. */
void apps_check(const struct scenario *s);
/* The server's listening socket and the client sockets, none opened yet. */
void apps_start(void);
/* When the next step is due (us), or -1 for none. */
int64_t apps_next_due(void);
/* Run every step due by now. */
void apps_run_due(void);
/* poll() said re about s. */
void apps_on_ready(struct rsock *s, short re);
/* Tell s's application if its connection is gone. */
void apps_check_gone(struct rsock *s);

#endif
