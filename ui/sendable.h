/* Whether a file can be sent at all, and if not why and what to do, from what a stat and an
 * access check found: the picker dims such entries and will not pick or mark them, the form
 * and the batch check again before sending. No curses. */
#ifndef KA_UI_SENDABLE_H
#define KA_UI_SENDABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct fl_entry;

enum sendable {
    SENDABLE_OK,
    SENDABLE_GONE,         /* stat failed: removed since the folder was read */
    SENDABLE_DANGLING,     /* a link to nothing */
    SENDABLE_NOT_FILE,     /* a FIFO, device or socket */
    SENDABLE_UNREADABLE,   /* this user may not read it */
    SENDABLE_EMPTY,        /* 0 bytes: nothing to attach */
    SENDABLE_TOO_BIG       /* over --max-size */
};

/* What was found out about a file. */
struct sendable_facts {
    bool gone, dangling, is_regular, unreadable, foreign;
    mode_t mode;           /* for the kind of a non-regular file; 0 when unknown */
    uint64_t size;
};

enum sendable sendable_judge(const struct sendable_facts *f, uint64_t max_size);
/* The facts of a picker entry (stat_done; not a folder). */
void sendable_facts_of(const struct fl_entry *e, struct sendable_facts *f);
/* A word or two for a list row: "unreadable", "empty", "over the limit". */
const char *sendable_tag(enum sendable v);
/* Why, and what to do, in one line for the status line or a refusal: owner names the file's
 * owner when it is someone else's (NULL: unknown), so the advice is one the user can follow
 * (never a chmod on someone else's file). */
void sendable_reason(enum sendable v, const struct sendable_facts *f, const char *owner,
                     uint64_t max_size, char *out, size_t len);
/* stat, access check and judgement of a path, the reason in out when not OK. */
enum sendable sendable_check(const char *path, uint64_t max_size, char *out, size_t len);

#endif
