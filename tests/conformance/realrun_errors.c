/* See realrun_errors.h. */
#include "realrun_errors.h"

#include <stdio.h>
#include <string.h>

#define MAX_ERRORS 32

static struct {
    unsigned lport, rport;
    int err;
} errors[MAX_ERRORS];
static size_t nerrors;

bool
errors_trace_line(const char *line)
{
    const char *ev = strstr(line, " inet_sk_error_report: "), *p;
    unsigned sport, dport;
    int err;

    if (!ev)
        return false;
    if (!strstr(ev, "family=AF_INET ") || !strstr(ev, "IPPROTO_TCP") ||
        !(p = strstr(ev, " sport=")) || sscanf(p + 7, "%u", &sport) != 1 ||
        !(p = strstr(ev, " dport=")) || sscanf(p + 7, "%u", &dport) != 1 ||
        !(p = strstr(ev, " error=")) || sscanf(p + 7, "%d", &err) != 1)
        return true;
    if (nerrors < MAX_ERRORS) {
        errors[nerrors].lport = sport;
        errors[nerrors].rport = dport;
        errors[nerrors].err = err;
        nerrors++;
    }
    return true;
}

int
errors_take(unsigned lport, unsigned rport)
{
    for (size_t i = 0; i < nerrors; i++) {
        if (errors[i].lport != lport || errors[i].rport != rport)
            continue;
        int err = errors[i].err;
        memmove(&errors[i], &errors[i + 1], (--nerrors - i) * sizeof errors[0]);
        return err;
    }
    return 0;
}
