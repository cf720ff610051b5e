/* The form screen: who gets the files and how Kombo should label them (the values and
 * their checks are form_model.c, the drawing form_draw.c). Private to ui/. */
#ifndef KA_UI_FORM_H
#define KA_UI_FORM_H

#include "batch.h"
#include "confirm.h"
#include "form_model.h"
#include "layout.h"
#include "screen.h"
#include "search.h"
#include "ui.h"

struct app;
struct client;
struct index;

struct form {
    struct form_model m;
    int scroll;                  /* first virtual line shown */
    char notice[256];            /* why the last ^S did not send */
    bool checking;               /* ^S waits for the files' hashes (the duplicate check) */
    bool confirm;                /* asking: some files were attached to this candidate before */
    struct batch_spec spec;      /* what the last SEND intent pointed at */
    struct search search;        /* the candidate field's live search */
    int sel;                     /* the highlighted row of the list under the candidate
                                    field (search hits or recent candidates); -1 = none */
    unsigned seen_generation;    /* the search's generation sel belongs to */
    struct confirm cand_check;   /* Kombo asked about a target picked from the local index */
    bool send_confirmed;         /* ^S came while Kombo was asked: send once it confirms */
    unsigned index_generation;   /* the index's (indexer.h) the search's hits are of */
};

/* Candidate ID, type and size limit from the options; recent IDs from the history. */
void form_init(struct form *f, const struct ui_options *o);
void form_free(struct form *f);
/* The search runs on the app's client (after client_new); form_stop frees it before.
 * ix: the local index to search too, or NULL. */
void form_start(struct form *f, struct client *c, struct index *ix);
void form_stop(struct form *f);
/* After each wait, whatever screen is current: the search's news, the target it found,
 * its listing and the restrictions for it into the model. True when the form changed. */
bool form_background(struct app *a);
/* The account's reads changed (restrictions known). */
void form_account_changed(struct app *a);
/* Milliseconds until the search is due to start (the loop waits no longer), or -1. */
int form_wait_ms(const struct app *a, double now);
/* Rows of the list under the candidate field: search hits, or recent candidates before
 * anything is typed (form_draw.c and the keys agree on this). */
size_t form_list_rows(const struct app *a);
/* The list under the candidate field, drawn into the form's canvas (search_draw.c). */
struct form_canvas;
struct form_geom;
void search_draw(struct form_canvas *cv, const struct form_geom *g, const struct app *a);
void target_draw(struct form_canvas *cv, const struct form_geom *g, const struct app *a);
/* The body of the screen (form_draw.c). */
void form_draw(struct app *a);

extern const struct screen_ops form_ops;
/* Every binding table of the screen, titled, ending in a { NULL } row (help_doc). */
extern const struct help_section form_doc[];

#endif
