/* The command-line front end: attach files one after the other as uploads on one client,
 * a progress line on stderr when it is a terminal, one result line (or JSON object) per
 * file on stdout. */
#ifndef KA_CLI_H
#define KA_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "answer.h"
#include "attachment.h"
#include "upload.h"

struct send_options;

struct cli_options {
    const struct send_options *send; /* what to send and where (the UI gets the same) */
    bool json;                   /* one JSON object per file on stdout */
    bool dry_run;                /* print the requests, send nothing */
    bool quiet;                  /* no progress line */
    /* Uploads: finding the target before sending (cli_target.h). */
    const char *email;           /* --email ADDR: resolve the candidate by e-mail */
    const char *find;            /* --find QUERY: resolve the candidate as `find` does */
    const char *job;             /* --job TEXT: the application whose job name contains it */
    bool verify;                 /* --verify: confirm each upload arrived (cli_verify.h) */
    bool use_index;              /* find may read the local index (index = on, no --no-index) */
    /* The region probe after PLATFORM.AUTHENTICATION_INVALID (cli_conn.h): the other
     * region's name ("us", "eu") and base URL; NULL with a base URL or the sandbox. */
    const char *other_region;
    const char *other_region_url;
    /* Filled by cli_run once the target is known, for the result lines. */
    const char *job_name;        /* the application's job, or NULL */
};

/* Attach every file in turn. Returns KA_EXIT_OK, or the highest exit code among the
 * files (KA_EXIT_CANCELLED after Ctrl-C, which also stops the remaining files). */
int cli_run(const struct cli_options *o, char *const files[], int nfiles);

/* `kombo-attach history [-n N] [--json]`: list recent uploads from the history file. */
int cli_history(int argc, char **argv);

/* What one file came to, for the JSON line. */
struct cli_file_result {
    const char *file;                  /* path as given */
    const struct attachment *att;      /* NULL when the file could not be used */
    const char *candidate;
    const char *outcome;               /* "ok", "rejected", "server", "network", "file", ... */
    long http_status;                  /* 0 = no answer */
    int attempts;
    char *const *notes;                /* the tool's own warnings for this file, first */
    size_t n_notes;
    char *const *warnings;             /* then Kombo's */
    size_t n_warnings;
    const struct kombo_error *error;   /* Kombo's error fields, or NULL */
    const char *message;               /* one line for humans; NULL when ok */
    bool sandbox;                      /* sent to the local sandbox, not to Kombo */
    time_t duplicate_of;               /* outcome "duplicate": when the same content arrived */
    const char *application;           /* the application it went to, or NULL */
    const char *job;                   /* that application's job name, or NULL */
    bool verify_asked;                 /* --verify given: "verified" is in the JSON */
    bool verified;
};

/* One JSON object (no newline) for a file's result. Caller frees. */
char *cli_result_json(const struct cli_file_result *r);

/* The progress line for a terminal `width` columns wide, without \r or newline. file_size
 * scales the body's bytes (base64 is 4/3 bigger) back to the file's, so the numbers match
 * the file the user knows. */
void cli_format_progress(const char *name, const struct transfer_progress *p, uint64_t file_size,
                         int width, char *out, size_t outlen);

/* The width of the terminal stderr is on (where progress lines go), else $COLUMNS, else 80. */
int cli_terminal_width(void);

/* s made safe to print on a terminal, on one line (termsafe.h: controls, bidi and
 * invisible characters, invalid UTF-8 escaped). Caller frees. */
char *cli_sanitize(const char *s);

/* Which of two exit codes to report when files failed differently: the higher one
 * (cancelled > internal > config > server > rejected > file > usage > ok). */
int cli_worse_code(int a, int b);

#endif
