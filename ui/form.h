/* The form screen: who gets the files and how Kombo should label them (the values and
 * their checks are form_model.c, the drawing form_draw.c). Private to ui/. */
#ifndef KA_UI_FORM_H
#define KA_UI_FORM_H

#include "batch.h"
#include "form_model.h"
#include "layout.h"
#include "screen.h"
#include "ui.h"

struct app;

struct form {
    struct form_model m;
    int scroll;                  /* first virtual line shown */
    char notice[256];            /* why the last ^S did not send */
    bool checking;               /* ^S waits for the files' hashes (the duplicate check) */
    bool confirm;                /* asking: some files were attached to this candidate before */
    struct batch_spec spec;      /* what the last SEND intent pointed at */
};

/* Candidate ID, type and size limit from the options; recent IDs from the history. */
void form_init(struct form *f, const struct ui_options *o);
void form_free(struct form *f);
/* The body of the screen (form_draw.c). */
void form_draw(struct app *a);

extern const struct screen_ops form_ops;
/* Every binding table of the screen, titled, ending in a { NULL } row (help_doc). */
extern const struct help_section form_doc[];

#endif
