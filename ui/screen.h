/* What the screens share with the loop in app.c: the app state, the handler protocol, key
 * bindings and drawing helpers. Private to ui/. */
#ifndef KA_UI_SCREEN_H
#define KA_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attachment.h"
#include "draw.h"
#include "filelist.h"
#include "keys.h"
#include "layout.h"
#include "lineedit.h"
#include "text.h"
#include "theme.h"
#include "ui.h"

struct upload;
struct upload_result;

/* What a key or idle handler changed. Handlers never draw: the loop does, once. */
enum {
    UI_NONE = 0,
    UI_REDRAW = 1 << 0,
    UI_QUIT = 1 << 1,
};

enum screen_id { SCR_PICKER, SCR_FORM, SCR_PROGRESS, SCR_RESULT };


/* --- picker --------------------------------------------------------------------------- */
struct picker {
    struct filelist *fl;
    size_t cursor, top;
    bool show_hidden;
    enum fl_sort sort;
    bool filtering;              /* typing a filter */
    struct lineedit filter;
    char status[512];            /* a message for the status line, until the next key */
    enum role status_role;
    char *info_name;             /* entry whose MIME type/size is cached below */
    char info_mime[128];
    bool info_regular;
    struct rect path, list, stat;
};

/* --- form ------------------------------------------------------------------------------ */
struct form_file {
    char *path;
    char *base;                  /* base name: the default attachment name */
    uint64_t size;
    char mime[128];              /* detected */
    bool generic;
};

enum form_field {
    FF_CANDIDATE, FF_FIND_SOON, FF_APPLICATION_SOON, FF_TYPE, FF_NAME, FF_CTYPE, FF_SEND,
    FF_COUNT
};

struct form {
    struct form_file *files;
    size_t n_files;
    struct lineedit cand, name, ctype;
    enum att_type type;
    int focus;                   /* enum form_field */
    int scroll;                  /* first virtual line shown */
    char **recent;               /* recent candidate IDs, newest first */
    size_t n_recent;
    int recent_pos;              /* -1 = what the user typed; else index into recent */
    char *typed;                 /* what the user typed before cycling recent IDs */
    bool tried_send;             /* show "required" only once the user tried to send */
    char notice[256];
    struct rect area;
};
/* Feed a recent candidate ID (newest last call = first in the list); duplicates move up. */
void form_remember_id(struct form *f, const char *id);

/* --- the batch being sent, and the progress screen ------------------------------------- */
enum job_state { JOB_PENDING, JOB_RUNNING, JOB_DONE, JOB_REFUSED, JOB_SKIPPED };

struct job_file {
    char *path;
    char *display_name;          /* the attachment name (or base name when not prepared) */
    struct attachment att;
    bool att_ok;
    struct upload *up;           /* kept until the batch is freed: it owns the result */
    enum job_state state;
    int refused_code;            /* KA_EXIT_* when refused before sending */
    char refused[512];
    uint64_t wire;               /* body bytes of the last attempt */
    double elapsed_s;
};

struct batch {
    struct job_file *files;
    size_t n;
    size_t cur;                  /* the file being sent */
    char *candidate;
    enum att_type type;
    char *name;                  /* NULL: each file's base name */
    char *ctype;                 /* NULL: each file's detected type */
    bool running;
    bool cancelling;
    double last_draw;            /* monotonic seconds of the last progress draw */
    double started;
};

/* --- result ---------------------------------------------------------------------------- */
struct result {
    size_t sel;                  /* selected file (several files) */
    int scroll;                  /* first line of the details */
    int max_scroll;
};

struct app {
    const struct ui_options *o;
    int rows, cols;
    bool too_small;
    struct rect body;            /* between header and footer */
    enum screen_id screen;
    struct picker picker;
    struct form form;
    struct batch batch;
    struct result result;
    bool quit_requested;         /* by a signal: cancel the upload cleanly, then leave */
};

/* Screen changes, called by handlers (they only set state). */
void app_goto(struct app *a, enum screen_id s);

/* --- screens: init / layout / draw / key / idle, and the binding table for the footer -- */
int picker_init(struct app *a, const char *dir, char *err, size_t errlen);
void picker_free(struct app *a);
void picker_draw(struct app *a);
unsigned picker_key(struct app *a, int key);
unsigned picker_idle(struct app *a);
const struct binding *picker_bindings(const struct app *a, size_t *n);

void form_init(struct app *a);
/* Load the files to attach (keeps candidate ID and type from before). */
void form_set_files(struct app *a, char **paths, size_t n);
void form_free(struct app *a);
void form_layout(struct app *a);
void form_draw(struct app *a);
unsigned form_key(struct app *a, int key);
const struct binding *form_bindings(const struct app *a, size_t *n);

/* Start sending what the form holds. */
void progress_start(struct app *a);
/* Retry the files that were not attached, with the same values. */
void progress_retry(struct app *a);
void progress_free(struct app *a);
void progress_draw(struct app *a);
unsigned progress_key(struct app *a, int key);
/* Drive the network for up to timeout_ms, also waking for the keyboard. */
unsigned progress_pump(struct app *a, int timeout_ms);
void progress_cancel(struct app *a);
const struct binding *progress_bindings(const struct app *a, size_t *n);

void result_init(struct app *a);
void result_draw(struct app *a);
unsigned result_key(struct app *a, int key);
const struct binding *result_bindings(const struct app *a, size_t *n);
/* True when some file of the batch was not attached. */
bool result_has_failures(const struct app *a);

#endif
