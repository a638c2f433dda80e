/*
 * Saving a run as a scenario file (issue 13): the viewer's S and the
 * command line's --save. The file is the scenario as loaded, with its --set
 * overrides, the run's seed and every what-if edit (scenario_save_text), so
 * that running it gives the run's trace; what the run does not bear out is
 * left out: the notes it marks as untrue, and the notes and questions it
 * never reaches. Only the notes it leaves out change the trace: their
 * TRACE_NOTE events (each marked "holds": false) are not in the saved run's.
 */
#ifndef SYNFIN_SAVE_H
#define SYNFIN_SAVE_H

#include "synfin/err.h"
#include "synfin/scenario.h"
#include "synfin/trace.h"

/* run (loaded with edits) and t, its trace, as scenario text (malloc'd),
 * or NULL with err. */
char *save_run_text(const struct scenario *loaded, const struct scenario *run,
                    const struct trace *t, struct synfin_err *err);

/*
 * Write text as a new file in the teacher's folder
 * ($XDG_DATA_HOME/synfin/scenarios, made if need be), named after the
 * scenario name: NAME-2.json, NAME-3.json... the first that is no file
 * there and no other scenario's name, so that `synfin NAME-2` opens it. A
 * file is never replaced, nor left half written. Returns 0 with *where the
 * new file's path, or -1 with errno and *where the path that failed (both
 * malloc'd, or *where NULL when there is no folder: no HOME).
 */
int save_new(const char *name, const char *text, char **where);

#endif
