/* The files of one send (no curses, no network): each file's state and what came of it,
 * the counts and byte totals the screens show, and which files a retry sends again. Several
 * files are in flight at once (the batch engine, bulkrun.h, runs them): sender.c hands the
 * files over and writes back what the engine decided; progress.c and result.c only read it. */
#ifndef KA_UI_BATCH_H
#define KA_UI_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attachment.h"
#include "upload.h"

/* What to send: the form's values. Strings are copied by batch_init. */
struct batch_spec {
    const char *candidate;
    const char *candidate_name;  /* the candidate's name for the history; NULL: unknown */
    const char *application_id;  /* send to this application of the candidate; NULL: to the
                                    candidate itself */
    const char *job_name;        /* that application's job, for the history and the result */
    enum att_type type;          /* every file's, unless types is given */
    const enum att_type *types;  /* per file, or NULL */
    const char *name;            /* one name for every file (one file); NULL: names, else base names */
    const char *const *names;    /* per file (a NULL entry: the base name), or NULL */
    const char *ctype;           /* NULL: each file's detected type */
    const char *const *sha256;   /* per file, the content's SHA-256 in hex if known, or NULL */
    const struct att_identity *const *picked; /* per file, the file as it was picked (a NULL
                                                 entry: unknown), or NULL */
    const char *const *paths;
    size_t n;
    bool force;                  /* the user chose to send files the history says were
                                    attached already: the engine skips none of them */
};

enum bf_state {
    BF_PENDING,      /* not handed to the engine (yet, or again after a retry) */
    BF_RUNNING,      /* the engine has it: waiting for its turn, checked, or in flight */
    BF_DONE,         /* sent: result says what came of it */
    BF_REFUSED,      /* refused before sending (the UI's checks): refused says why */
    BF_SKIPPED,      /* cancelled before its turn */
    BF_FOUND,        /* not sent: an interrupted earlier run's upload is in the listing */
    BF_ALREADY,      /* not sent: the history says it was attached (since the form checked) */
    BF_UNSENT        /* the engine did not send it (the journal, a failed check of what an
                        earlier run did): refused and refused_code say why */
};

/* How a file stands, for a glyph and a word: the state with the outcome folded in. */
enum bf_verdict { BV_PENDING, BV_RUNNING, BV_SKIPPED, BV_REFUSED, BV_OK, BV_CANCELLED, BV_FAILED,
                  BV_UNKNOWN /* may have been attached */,
                  BV_FOUND /* already there: an interrupted run sent it */,
                  BV_ALREADY /* already attached */ };

struct batch_file {
    char *path;
    char *display_name;          /* the name it is sent under: the one given, else the base name */
    char *name;                  /* the one given, or NULL: the base name */
    enum att_type type;
    char sha256[65];             /* the content's hash when the form worked it out, else "" */
    struct att_identity picked;  /* the file as it was picked: another one is refused */
    bool have_picked;
    struct attachment att;       /* filled by batch_prepare */
    bool att_ok;
    enum bf_state state;
    int refused_code;            /* KA_EXIT_* when refused or not sent */
    char refused[800];           /* why: BF_REFUSED, BF_UNSENT; what the engine said: BF_FOUND,
                                    BF_ALREADY */
    const struct transfer_result *result; /* BF_DONE: owned by the sender's job */
    uint64_t wire;               /* body bytes of the last attempt */
    bool was_unknown;            /* an earlier try may have attached it (TRANSFER_UNKNOWN):
                                    until one succeeds, it may be in the ATS whatever came after */
    double elapsed_s;
};

struct batch {
    struct batch_file *files;
    size_t n;
    char *candidate;
    char *candidate_name;        /* NULL when unknown */
    char *application_id;        /* NULL: the candidate itself */
    char *job_name;              /* NULL when unknown */
    char *ctype;                 /* NULL: each file's detected type */
    int max_attempts;            /* what each file's job was given */
    bool force;                  /* the spec's: kept for a retry */
    bool running;                /* files are being sent */
    bool cancelling;
};

void batch_init(struct batch *b, const struct batch_spec *spec, int max_attempts);
/* Frees the files and attachments; the results belong to the sender, which frees its jobs
 * first. Leaves an empty batch. */
void batch_free(struct batch *b);

/* Check file i and fill its attachment (stat, name and type checks, the type detected
 * when none was given; then the size limit, 0 = none; the file must be the one picked).
 * False when it cannot be sent: it is refused then, with the reason. */
bool batch_prepare(struct batch *b, size_t i, uint64_t max_size);
/* File f could not be sent (code KA_EXIT_*, msg says why). */
void batch_refuse(struct batch_file *f, int code, const char *msg);
/* The engine has f now (BF_RUNNING); batch_begin once they are all handed over. */
void batch_hand_over(struct batch_file *f);
void batch_begin(struct batch *b);
/* f was sent and its upload finished with r (kept by pointer: the sender owns it). */
void batch_finish(struct batch_file *f, const struct transfer_result *r, uint64_t wire,
                  double elapsed_s);
/* f was decided without an upload of its own: BF_FOUND, BF_ALREADY (code 0) or BF_UNSENT
 * (code KA_EXIT_*), with the engine's words. */
void batch_decide(struct batch_file *f, enum bf_state s, int code, const char *msg);
/* True when files are being sent and the batch was not cancelled yet: it is now. */
bool batch_cancel(struct batch *b);
/* The engine is done: files it never started (cancelled before their turn) are skipped. */
void batch_end(struct batch *b);
/* Files decided (sent, refused, skipped, found...): "5 of 12 done". */
size_t batch_decided_count(const struct batch *b);

enum bf_verdict batch_verdict(const struct batch_file *f);
/* Attached: sent now, or found there already (BV_OK, BV_FOUND, BV_ALREADY). */
bool batch_file_ok(const struct batch_file *f);
size_t batch_ok_count(const struct batch *b);
bool batch_has_failures(const struct batch *b);
/* The first file not attached (what the result screen opens on), else 0. */
size_t batch_first_problem(const struct batch *b);

/* What came of a file in a few words, for a list row and the line at exit:
 * "attached", "not sent: is empty ...", "rejected by Kombo: PLATFORM.INPUT_INVALID",
 * "already there: an interrupted run sent it", "already attached". */
void batch_file_outcome(const struct batch_file *f, char *out, size_t len);
/* The file's exit code (exitcodes.h), as the command line would give it. */
int batch_file_exit_code(const struct batch_file *f);

/* Whether sending the file again as it is could go better: not for a file attached, nor
 * refused before sending (the file is the problem), nor where Kombo's refusal or the error
 * would repeat (transfer_result.retry_helps). */
bool batch_file_retry_helps(const struct batch_file *f);
/* Files a retry would send, and how many of them may have been attached already (their
 * whole body went out and no answer came). */
size_t batch_retry_count(const struct batch *b, size_t *unknown);

/* Put every file a retry helps back to pending for another try; files attached stay as
 * they are (sending them again would make duplicates), and so do the ones a retry cannot
 * help (they need a change: the form). The results of the files sent again are forgotten:
 * the caller may free what owned them after. Returns how many will be sent again. */
size_t batch_retry(struct batch *b);

/* Progress in the file's own bytes, as the picker and the command line show sizes (the
 * body is base64 of the file, a third bigger, which the user never sees): sent of total
 * body bytes -> *done of *of file bytes, and *scale to turn body rates into file rates. */
void batch_file_bytes(uint64_t file_size, uint64_t sent, uint64_t total, uint64_t *done,
                      uint64_t *of, double *scale);

/* What the progress screen shows of the file being sent, all in the file's own bytes: the
 * bar's fraction, "done of of", the rate. Between attempts the bar is empty (the next one
 * starts from the first byte: a full bar then would say "done" while nothing is); once the
 * last byte is out it is full and only the answer is awaited. */
struct batch_numbers {
    double frac;
    uint64_t done, of;
    double rate;                 /* file bytes a second; 0 when unknown or not sending */
    bool sending;                /* the rate and ETA mean something */
};
void batch_numbers(uint64_t file_size, const struct transfer_progress *pr, struct batch_numbers *out);

#endif
