/* Sending a batch as uploads on the client: the one place in ui/ that starts uploads and
 * writes the history. No curses. Single-threaded like the rest of the UI: the loop's one
 * wait (client_poll on the network and the keyboard) moves the uploads, then sender_step
 * looks at what they did. */
#ifndef KA_UI_SENDER_H
#define KA_UI_SENDER_H

#include <stdbool.h>

#include "batch.h"
#include "ui.h"
#include "upload.h"

struct client;

struct sender {
    const struct ui_options *o;
    struct client *client;           /* the app's: every upload runs on it */
    struct batch b;
    struct transfer **jobs;          /* b.n of them, beside b.files; NULL = no job */
    struct transfer_progress live;   /* the current file's numbers, as of the last wait */
    double answer_since;             /* when the current file's last byte went out (monotonic
                                        seconds), while its answer is awaited; else 0 */
};

/* What sender_step saw happen. */
enum {
    SENDER_FILE_DONE = 1 << 0,     /* a file finished (the next one started, if any) */
};

void sender_init(struct sender *s, const struct ui_options *o, struct client *client);
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
/* Seconds the current file has waited for Kombo's answer since its last byte, or 0. */
double sender_answer_wait(const struct sender *s);
/* After the loop's wait (client_poll): note what the current upload did, write the history
 * of a finished one and start the next file. Returns SENDER_* flags. */
unsigned sender_step(struct sender *s);

#endif
