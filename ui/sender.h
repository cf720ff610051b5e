/* Sending a batch through the upload job: the one place in ui/ that calls the backend
 * (upload_*, history_record). No curses. Single-threaded like the rest of the UI: the loop
 * calls sender_wait, which lets the network run and also wakes up for the keyboard. */
#ifndef KA_UI_SENDER_H
#define KA_UI_SENDER_H

#include <stdbool.h>

#include "batch.h"
#include "ui.h"
#include "upload.h"

struct sender {
    const struct ui_options *o;
    struct batch b;
    struct upload **jobs;          /* b.n of them, beside b.files; NULL = no job */
    struct upload_progress live;   /* the current file's numbers, as of the last wait */
};

/* What sender_wait saw happen. */
enum {
    SENDER_FILE_DONE = 1 << 0,     /* a file finished (the next one started, if any) */
};

void sender_init(struct sender *s, const struct ui_options *o);
void sender_free(struct sender *s);

/* Start sending spec, first file first. Files that cannot be sent are refused at once (the
 * batch may be over when this returns: see sender_busy). */
void sender_start(struct sender *s, const struct batch_spec *spec);
/* Send the files that were not attached again, with the same values. False when there is
 * none. */
bool sender_retry(struct sender *s);
/* Stop: the current file's job ends at its next poll, the files after it are skipped. */
void sender_cancel(struct sender *s);
/* A file is being sent. */
bool sender_busy(const struct sender *s);
/* The one wait on the backend: run the network for up to timeout_ms, returning early when
 * a key is waiting on stdin. Returns SENDER_* flags. */
unsigned sender_wait(struct sender *s, int timeout_ms);

#endif
