/* Where the mock stores what it receives: <inbox>/<integration>/<candidate>/<name>.
 * Every part comes from a request, so each is made into one harmless path component
 * and files are placed without ever replacing an existing one. */
#ifndef KA_INBOX_H
#define KA_INBOX_H

#include <stddef.h>

/* Longest component produced, in bytes (leaves room for " (NNN)" under NAME_MAX). */
#define INBOX_COMPONENT_MAX 200

/* Turn in[0..len) (any bytes, NUL included) into one safe component in out
 * (outlen >= INBOX_COMPONENT_MAX + 1): '/', '\\', control characters and invalid UTF-8
 * become '_', a leading '.' becomes '_' (so "." and ".." cannot happen), the result is
 * cut to INBOX_COMPONENT_MAX bytes on a character boundary keeping a short extension,
 * and an empty result is "_". Returns the length written. */
size_t inbox_safe_component(const char *in, size_t len, char *out, size_t outlen);

/* Create <inbox>/<a>/<b> (a and b already safe), like mkdir -p below the inbox, never
 * following a symlink below the inbox (ELOOP). Writes the folder path to dir. Returns an
 * open descriptor of the folder (caller closes), or -1 with errno set. */
int inbox_make_dir(const char *inbox, const char *a, const char *b, char *dir, size_t dirlen);

/* How many files of one name a folder takes: "name", "name (2)" ... "name (1000)". */
#define INBOX_COPIES_MAX 1000

/* Give the finished file at tmp_path its final name in the folder dirfd (path dir, for the
 * message): name, else "stem (2).ext", "stem (3).ext", ... never replacing a file. Writes
 * the final path. Returns 0, or -1 with errno set (EEXIST: all INBOX_COPIES_MAX are taken). */
int inbox_place(const char *tmp_path, int dirfd, const char *dir, const char *name,
                char *final_path, size_t final_len);

#endif
