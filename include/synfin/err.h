/* Errors for the user: where (file, line, column, or a flag) and what. */
#ifndef SYNFIN_ERR_H
#define SYNFIN_ERR_H

struct synfin_err {
    char where[320]; /* "scenarios/x.json:12:7" or "--set network.loss" */
    char msg[512];   /* "network.loss: expected a number in [0, 1]" */
};

/* Formats err as "where: msg" into buf ("synfin: --set KEY: msg" for a
 * flag, the key path said once). Returns buf. */
char *synfin_err_str(const struct synfin_err *err, char *buf, unsigned size);

#endif
