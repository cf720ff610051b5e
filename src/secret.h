/* Secrets (the API key) in memory: read once from a file or a command's output, trimmed,
 * wiped when freed. */
#ifndef KA_SECRET_H
#define KA_SECRET_H

#include <stddef.h>

/* The first line of the first len bytes of buf, without the line break and surrounding
 * blanks (space, tab, CR), as a new string; NULL when that line is empty. */
char *secret_first_line(const char *buf, size_t len);
/* The first line of the file at path ("-" = standard input), as secret_first_line; reads at
 * most max bytes. NULL with errno set when the file cannot be read (errno 0: empty line). */
char *secret_read_first_line(const char *path, size_t max);
/* Replace every occurrence of key in the heap string *s by "<redacted>", and also any run of
 * its first 8 or more characters (what is left of a key someone cut short): a server that
 * echoes the key back (or a proxy's error page quoting the request) must not make it, or
 * a prefix of it, appear on screen or in a log. Keys under 8 characters count only whole
 * (4 or more). Call it before cutting text, never after. */
void secret_redact(char **s, const char *key);
/* The same for n bytes that may hold NULs (a raw answer); *n becomes the new length and the
 * result is NUL-terminated. */
void secret_redact_n(char **s, size_t *n, const char *key);
/* Run cmd through /bin/sh (api_key_command); its first output line, trimmed, is the key.
 * where names the command's origin for messages. A command still running after timeout_s
 * is ended (with whatever it started). 0, or KA_EXIT_CONFIG with a one-line message that
 * never quotes the output. */
#define SECRET_COMMAND_TIMEOUT_S 30
int secret_from_command(const char *cmd, const char *where, unsigned timeout_s, char **key,
                        char *err, size_t errlen);
/* Wipe s and free it. */
void secret_free(char *s);

/* For a process that will hold a key: not dumpable (no ptrace by other processes of the
 * user, no /proc/PID/mem) and no core file, so a crash cannot leave the key on disk. */
void secret_guard_process(void);

#endif
