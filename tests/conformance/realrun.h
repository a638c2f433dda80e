/*
 * realrun's parts: realrun.c (the scenario, the machine's setup, the
 * scripts on real sockets, the run), realrun_observe.c (the state
 * tracepoint and the sampled socket table) and realrun_errors.c (the
 * errors connections end with). What they share is declared here.
 */
#ifndef REALRUN_H
#define REALRUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* realrun.c */
extern FILE *out;           /* OUTDIR/real.jsonl */
extern uint64_t t0_mono_ns; /* the scripts' time zero, CLOCK_MONOTONIC */
extern const char *const side_name[2];
extern volatile sig_atomic_t stop; /* SIGINT or SIGTERM: wind up */
void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Microseconds since the scripts' time zero. */
int64_t now_us(void);
/* SIDE_CLIENT or SIDE_SERVER for one of our addresses, else -1. */
int addr_side(uint32_t a);
int write_file(const char *path, const char *val);

/* realrun_observe.c */
extern int trace_fd; /* the tracepoint's trace_pipe, -1 when none */
extern int diag_fd;  /* NETLINK_SOCK_DIAG, opened by the run */
bool trace_start(void);
void trace_drain(void);
void trace_stop(void);
void trace_abandon(void);
void sampler_start(const char *dir, int64_t until);
void sampler_stop(const char *dir);

#endif
