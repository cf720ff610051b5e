/* One attachment to send: where the bytes come from and how Kombo should label them. */
#ifndef KA_ATTACHMENT_H
#define KA_ATTACHMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum att_type { ATT_CV, ATT_COVER_LETTER, ATT_OTHER };

struct attachment {
    char *path;          /* file to read */
    char *name;          /* name shown in the ATS (UTF-8, validated) */
    enum att_type type;
    char *content_type;  /* bare type/subtype */
    bool content_type_generic; /* e.g. application/octet-stream: warn the user */
    bool content_type_guessed; /* came from libmagic / extension, not from the user */
    uint64_t size;       /* bytes, from stat at init time */
    struct att_identity {    /* the file as it was chosen: what is sent must be this file */
        uint64_t dev, ino, size;
        int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
    } id;
};

/* Fill *a from a path. name and content_type may be NULL (defaults: base name, detected
 * MIME type). Checks: the path is a readable regular file, the name is non-empty valid
 * UTF-8 without control characters, the content type is a bare type/subtype.
 * Returns 0, or a KA_EXIT_* code with a one-line message in err. */
int attachment_init(struct attachment *a, const char *path, const char *name,
                    enum att_type type, const char *content_type, char *err, size_t errlen);
void attachment_free(struct attachment *a);

/* Size check shared by the front ends: KA_EXIT_FILE with a message when the file is larger
 * than max (0 = no limit), else 0. *warn is set above Kombo's advice of about 10 MB. */
#define ATT_ADVISED_MAX 10000000u
int att_check_size(uint64_t size, uint64_t max, bool *warn, char *err, size_t errlen);

/* Whether st is still the file chosen (same device, inode, size, mtime and ctime: an
 * in-place rewrite that puts the mtime back still changes the ctime). NULL when it is, else
 * what changed ("replaced by another file", "modified", "resized"). */
struct stat;
const char *att_identity_differs(const struct attachment *a, const struct stat *st);
/* The same for two identities: the file as picked (was) and as opened now. */
const char *att_identity_changed(const struct att_identity *was, const struct att_identity *now);
/* The identity of a file from its stat (for a front end that records the pick). */
void att_identity_of(const struct stat *st, struct att_identity *id);
/* Record a->path's identity now as the file chosen (attachment_init does it from the file
 * it opened; this is for attachments put together by hand). 0, or -1 with errno. */
int att_record_identity(struct attachment *a);

const char *att_type_name(enum att_type t);            /* "CV", "COVER_LETTER", "OTHER" */
int att_type_parse(const char *s, enum att_type *out); /* case-insensitive; 0 or -1 */

/* Validation helpers shared by the CLI, the UI form and the mock. Each returns NULL when
 * fine, else a static message naming the problem. */
const char *att_check_name(const char *name);
const char *att_check_content_type(const char *ct);

#endif
