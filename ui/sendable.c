/* See sendable.h. */
#include "sendable.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filelist.h"
#include "format.h"

enum sendable sendable_judge(const struct sendable_facts *f, uint64_t max_size)
{
    if (f->gone)
        return SENDABLE_GONE;
    if (f->dangling)
        return SENDABLE_DANGLING;
    if (!f->is_regular)
        return SENDABLE_NOT_FILE;
    if (f->unreadable)
        return SENDABLE_UNREADABLE;
    if (f->size == 0)
        return SENDABLE_EMPTY;
    if (max_size && f->size > max_size)
        return SENDABLE_TOO_BIG;
    return SENDABLE_OK;
}

void sendable_facts_of(const struct fl_entry *e, struct sendable_facts *f)
{
    *f = (struct sendable_facts){
        .gone = e->stat_failed, .dangling = e->dangling, .is_regular = e->is_regular,
        .unreadable = e->unreadable, .foreign = e->foreign, .size = e->size,
    };
}

const char *sendable_tag(enum sendable v)
{
    switch (v) {
    case SENDABLE_OK: return "";
    case SENDABLE_GONE: return "gone";
    case SENDABLE_DANGLING: return "broken link";
    case SENDABLE_NOT_FILE: return "not a file";
    case SENDABLE_UNREADABLE: return "unreadable";
    case SENDABLE_EMPTY: return "empty";
    case SENDABLE_TOO_BIG: return "too big";
    }
    return "";
}

static const char *kind_of(mode_t m)
{
    if (S_ISFIFO(m))
        return "a named pipe (FIFO)";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

void sendable_reason(enum sendable v, const struct sendable_facts *f, const char *owner,
                     uint64_t max_size, char *out, size_t len)
{
    char a[32], b[32];
    /* short: the whole of it must fit the picker's status line */
    switch (v) {
    case SENDABLE_OK:
        snprintf(out, len, "can be sent");
        return;
    case SENDABLE_GONE:
        snprintf(out, len, "not there any more: press . to read the folder again");
        return;
    case SENDABLE_DANGLING:
        snprintf(out, len, "a link to a file that is not there");
        return;
    case SENDABLE_NOT_FILE:
        snprintf(out, len, "%s, not a file: save the data to a file first",
                 f->mode ? kind_of(f->mode) : "not a regular file");
        return;
    case SENDABLE_UNREADABLE:
        /* someone else's file: a chmod would fail; only its owner (or a copy) can help */
        if (f->foreign)
            snprintf(out, len, "%s's file, unreadable: ask its owner or copy it somewhere you can read",
                     owner ? owner : "another user");
        else
            snprintf(out, len, "unreadable (permission denied): chmod u+r it, then pick it");
        return;
    case SENDABLE_EMPTY:
        snprintf(out, len, "empty (0 bytes): nothing to attach");
        return;
    case SENDABLE_TOO_BIG:
        fmt_bytes(f->size, a, sizeof a);
        fmt_bytes(max_size, b, sizeof b);
        snprintf(out, len, "%s: over the limit of %s (--max-size)", a, b);
        return;
    }
    out[0] = '\0';
}

enum sendable sendable_check(const char *path, uint64_t max_size, char *out, size_t len)
{
    struct sendable_facts f = { 0 };
    struct stat st, lst;
    if (stat(path, &st) != 0) {
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
            f.dangling = true;
        else
            f.gone = true;
    } else {
        f.is_regular = S_ISREG(st.st_mode);
        f.mode = st.st_mode;
        f.size = (uint64_t)st.st_size;
        f.foreign = st.st_uid != getuid();
        f.unreadable = f.is_regular && access(path, R_OK) != 0 && (errno == EACCES || errno == EPERM);
    }
    enum sendable v = sendable_judge(&f, max_size);
    if (v != SENDABLE_OK) {
        struct passwd *pw = f.foreign ? getpwuid(st.st_uid) : NULL;
        sendable_reason(v, &f, pw ? pw->pw_name : NULL, max_size, out, len);
    } else if (len) {
        out[0] = '\0';
    }
    return v;
}
