/* One out-of-memory policy for the whole program, as tmux's xmalloc: an allocation that
 * fails ends the process with one clear line on stderr and exit code KA_EXIT_INTERNAL.
 * Nothing is silently dropped and no caller checks for NULL. The UI registers a hook that
 * gives the terminal back first, so the message is readable. */
#ifndef KA_XALLOC_H
#define KA_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Called once before the fatal message is printed (e.g. to restore the terminal); must be
 * async-signal-safe enough to run anywhere. NULL removes it. */
void xalloc_set_fatal_hook(void (*hook)(void));
/* Print "kombo-attach: out of memory (<what>) — ..." and exit. For the few places that get
 * NULL from a library (cJSON, libcurl) and must fail the same way. */
void xalloc_fatal(const char *what) __attribute__((noreturn));

#endif
