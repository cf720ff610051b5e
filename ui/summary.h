/* What a UI session sent, for the one line printed to the shell when it ends ("kombo-attach:
 * 2 attached, 1 failed (cv.pdf: rejected by Kombo: ...)") and its exit code, the highest
 * of the files' codes as on the command line. No curses. */
#ifndef KA_UI_SUMMARY_H
#define KA_UI_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

struct batch;

struct summary_file {
    char *path;
    char *candidate;
    bool ok;
    bool maybe;              /* may have been attached (TRANSFER_UNKNOWN) */
    int code;                /* KA_EXIT_* */
    char *why;               /* not attached: in a few words */
};

struct summary {
    struct summary_file *v;
    size_t n;
};

/* One file's outcome. A file that was not attached counts only until it is sent again:
 * its newest outcome replaces it. Attachments all count (to two candidates is two). */
void summary_add(struct summary *s, const char *path, const char *candidate, bool ok, bool maybe,
                 int code, const char *why);
/* Every file of a batch that had its turn (files never tried are left out). */
void summary_add_batch(struct summary *s, const struct batch *b);
void summary_free(struct summary *s);

/* The line, without a newline: names and reasons escaped for the terminal. */
void summary_line(const struct summary *s, char *out, size_t len);
/* 0 when nothing failed, else the highest code of the files not attached. */
int summary_exit_code(const struct summary *s);

#endif
