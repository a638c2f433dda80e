/*
 * realrun's record of the errors connections end with, from the
 * sock:inet_sk_error_report tracepoint (sk_error_report, called by
 * tcp_done_with_error after it sets sk_err). Learning a reset this way
 * leaves the error pending in the socket, as it is for an application
 * that has not yet made a call: its next send() or recv() reports it, as
 * in synfin's linux profile. getsockopt(SO_ERROR) would take it.
 */
#ifndef REALRUN_ERRORS_H
#define REALRUN_ERRORS_H

#include <stdbool.h>

/* The tracepoint's enable file, under a tracefs instance. */
#define ERRORS_EVENT "events/sock/inet_sk_error_report/enable"

/* A line of the trace: if it is an error report of a TCP socket, keep
 * it and return true. */
bool errors_trace_line(const char *line);

/* The error reported for the socket lport -> rport, forgotten once taken;
 * 0 if none came. */
int errors_take(unsigned lport, unsigned rport);

#endif
