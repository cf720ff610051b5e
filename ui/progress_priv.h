/* Private to the progress screen (progress.c: the screen, its keys and one file's view;
 * progress_many.c: the view of several files at once): what the parts share. */
#ifndef KA_UI_PROGRESS_PRIV_H
#define KA_UI_PROGRESS_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "theme.h"

struct app;
struct batch_file;
struct sender_live;

/* A bar of w columns (percentage included) filled to frac. */
void progress_bar(int y, int x, int w, double frac);
/* The glyph of a file in a list, and its role: in flight, waiting, or its verdict. */
const char *progress_glyph(const struct batch_file *f, bool in_flight, enum role *r);
/* What an engine item does now, in a few words ("sending", "waiting for Kombo's answer",
 * "retrying in 2 s", "checking the candidate's attachments" ...); brief: fewer words for a
 * narrow screen ("answer...", "checking"). */
void progress_item_words(const struct sender_live *l, bool brief, char *buf, size_t len);
/* The view of a batch of several files (progress_many.c). */
void progress_draw_many(struct app *a);

#endif
