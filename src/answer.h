/* Kombo's answers parsed into a result (pure: no I/O). */
#ifndef KA_ANSWER_H
#define KA_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

struct kombo_error {
    char *code;     /* e.g. PLATFORM.INPUT_INVALID; NULL when null or absent */
    char *title;
    char *message;
    char *log_url;
};

struct answer {
    bool ok;                 /* status 2xx and {"status":"success"} */
    long http_status;
    char **warnings;         /* warning messages, n_warnings of them */
    size_t n_warnings;
    struct kombo_error err;  /* when !ok */
    char *problem;           /* when the body was not Kombo's shape: a one-line description,
                                e.g. "HTTP 502 with an HTML body: <title>Bad Gateway</title>" */
};

/* Parse an answer. body need not be NUL-terminated. content_type may be NULL. */
void answer_parse(long http_status, const char *content_type, const char *body, size_t len,
                  struct answer *out);
void answer_free(struct answer *a);

/* One line for humans: "PLATFORM.INPUT_INVALID (Input invalid): message [log: url]". Caller frees. */
char *answer_summary(const struct answer *a);

/* Text from the network made safe to print, as termsafe.h's ts_escape (one line): control
 * characters, bidi, zero-width and line-separator code points escaped as \n, \t, \x1b or
 * \u202e, invalid UTF-8 bytes as \xff. s need not be NUL-terminated. Caller frees; never
 * NULL. */
char *answer_escape(const char *s, size_t n);

#endif
