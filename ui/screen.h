/* The protocol between the screens and the loop in app.c (after tmux's window_mode): each
 * screen is a table of operations, and its handlers return an intent, which only the loop
 * performs. Screens draw only when the loop calls their draw, and never switch screens or
 * start or stop a send themselves: they say what they want. Private to ui/. */
#ifndef KA_UI_SCREEN_H
#define KA_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

struct app;
struct batch_spec;

enum screen_id { SCR_PICKER, SCR_FORM, SCR_PROGRESS, SCR_RESULT, SCR_COUNT };

enum ui_intent_kind {
    UI_INTENT_NONE,          /* nothing changed */
    UI_INTENT_REDRAW,        /* the screen's state changed: draw again */
    UI_INTENT_GOTO,          /* make `to` the current screen */
    UI_INTENT_SEND,          /* start sending `spec`, then show the progress */
    UI_INTENT_RETRY_FAILED,  /* send the files that were not attached again */
    UI_INTENT_CANCEL,        /* stop the send (the current file at its next poll) */
    UI_INTENT_QUIT
};

struct ui_intent {
    enum ui_intent_kind kind;
    enum screen_id to;              /* GOTO */
    bool fresh;                     /* GOTO the picker: start afresh, marks cleared */
    char **paths;                   /* GOTO the form: the files picked (the loop frees them) */
    size_t n_paths;
    const struct batch_spec *spec;  /* SEND: valid while the intent is performed */
};

static inline struct ui_intent ui_intent(enum ui_intent_kind kind)
{
    return (struct ui_intent){ .kind = kind };
}

static inline struct ui_intent ui_goto(enum screen_id to)
{
    return (struct ui_intent){ .kind = UI_INTENT_GOTO, .to = to };
}

/* A part of the help screen: a title and the rows of a binding table. */
struct help_section {
    const char *title;
    const struct binding *t;
    size_t n;
};
#define HELP_SECTIONS_MAX 4

/* One screen. Operations marked optional may be NULL. */
struct screen_ops {
    /* Optional. The screen becomes current; why is the GOTO that led here. May return a
     * GOTO of its own to pass straight on (progress does when nothing is left to send). */
    struct ui_intent (*enter)(struct app *a, const struct ui_intent *why);
    /* Optional. Another screen takes over. */
    void (*leave)(struct app *a);
    /* Optional. After entering and after every resize, a->layout is current. */
    void (*layout)(struct app *a);
    /* Optional. Right before each frame: work out the facts that cost I/O (a file's type,
     * the sizes of the rows in view) for what changed since the last frame, once however
     * many keys came in between, so that draw only reads. */
    void (*update)(struct app *a);
    /* The body between header and footer; reads state, changes none that others see. */
    void (*draw)(struct app *a);
    struct ui_intent (*key)(struct app *a, int key);
    /* Optional. The loop has time: no key came during a wait, or the backend moved
     * (sent = SENDER_* flags from the wait, 0 when it did not run). */
    struct ui_intent (*idle)(struct app *a, unsigned sent);
    /* The binding table the footer shows for the screen's current state; a row with the
     * action KEYS_HELP opens the help screen (the loop sees to that). */
    const struct binding *(*bindings)(const struct app *a, size_t *n);
    /* Optional. The help screen's sections (at most max); NULL: the bindings alone. */
    size_t (*help)(const struct app *a, struct help_section *out, size_t max);
};

#endif
