/*
 * What the files of realrun share: realrun.c makes the namespace and
 * writes the record; realrun_apps.c plays the scenario's scripts on real
 * sockets; realrun_observe.c watches the kernel (the state tracepoint and
 * the sampled socket table); realrun_errors.c hears the errors connections
 * end with; realrun_ports.c sets the client's ephemeral ports;
 * realrun_capture.c runs tcpdump and reads its capture; realrun_inject.c
 * sends the scenario's crafted segments.
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
extern uint64_t t0_mono_ns;        /* the scripts' time zero, CLOCK_MONOTONIC */
extern uint64_t t0_real_ns;  /* the same, CLOCK_REALTIME (the capture's) */
extern char addr_str[2][16]; /* addr[] as text */
extern const char *const side_name[2];

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
/* SIDE_CLIENT or SIDE_SERVER for one of our addresses, else -1. */
int addr_side(uint32_t a);
int write_file(const char *path, const char *val);

/* ---- realrun_observe.c ---- */

extern int trace_fd; /* the tracepoint's trace_pipe, -1 when none */
extern int diag_fd;  /* NETLINK_SOCK_DIAG, opened by the run */
bool trace_start(void);
void trace_drain(void);
void trace_stop(void);
void sampler_start(const char *dir, int64_t until);
void sampler_stop(const char *dir);
/* Remove the tracefs instance now: die() on the way out. */
void trace_abandon(void);

/* ---- realrun_capture.c ---- */

/* tcpdump on lo, into DIR/capture.pcap, once it is capturing. */
void tcpdump_start(const char *dir);
void tcpdump_stop(void);
/* Kill it now: die() on the way out. */
void tcpdump_abandon(void);
/* The capture as the record's "seg" and "icmp" lines. */
void pcap_read(const char *dir);

/* ---- realrun_inject.c: the scenario's crafted segments ---- */

/* Refuse an injection the kernel run cannot aim (exit 2, FILE:LINE:COL of
 * path, the scenario's file). */
void craft_check(const struct scenario *s, const char *path);
/* Start watching handshakes for their ISNs (nothing without injections). */
void craft_start(void);
/* When the next injection is due (us), or -1 for none. */
int64_t craft_next_due(void);
/* Send every injection due by now. */
void craft_run_due(void);
/* A segment captured at t_us that we sent (each one is answered true
 * once). */
bool craft_was(int64_t t_us, int from, unsigned sport, unsigned dport,
               uint32_t seq, uint32_t ack, uint8_t flags, uint32_t len);
void craft_stop(void);

/* ---- realrun_ports.c ---- */

/* The client's port_range as net.ipv4.ip_local_port_range (exit 2 if the
 * client sockets give different ones). */
void ports_apply(const struct scenario *s);
/* Before bind(address, 0) of a socket that is to connect(): leave the
 * port to connect(), as for a socket that was never bound. 0 or errno. */
int ports_leave_to_connect(int fd);

/* ---- realrun_apps.c: the scripts, on real sockets ---- */

struct rsock {
    int fd;
    uint8_t side;
    const struct endpoint_cfg *cfg; /* whose script and options */
    bool used, listening, connecting, connected, app_closed, eof, gone;
    bool hup; /* hung up both ways: poll() would report it for ever */
    bool reuseaddr, keepalive, cork;
    int linger;
    unsigned lport, rport; /* once connected, for the error reports */
    long inq; /* not autoread: bytes it was told of and has not read */
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
/* Tell an application that does not read as data arrives of data and
 * of the peer's FIN (re: what poll() said, or 0). */
void apps_notice_input(struct rsock *s, short re);
/* Tell s's application if its connection is gone. */
void apps_check_gone(struct rsock *s);

#endif
