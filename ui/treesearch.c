/* See treesearch.h. The walk keeps one folder open at a time and reads it a few entries
 * per step, so a folder of 100,000 entries is no longer a pause than any other. */
#include "treesearch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

struct pending {
    char *rel;      /* "" for the root */
    int depth;      /* 1 for the root */
};

struct treesearch {
    char *root;
    int rootfd;
    struct ts_limits lim;
    struct pending *q;          /* folders still to read, a FIFO */
    size_t qhead, qlen, qcap;
    DIR *cur;                   /* the folder being read */
    struct pending cur_dir;
    char **names;
    size_t n, cap;
    size_t scanned;
    bool truncated;
    /* folders entered, by device and inode (open addressing) */
    struct { dev_t dev; ino_t ino; bool used; } *seen;
    size_t seen_cap, seen_n;
};

/* Whether (dev, ino) was entered before; records it when not. */
static bool seen_before(struct treesearch *ts, dev_t dev, ino_t ino)
{
    if (ts->seen_n * 2 >= ts->seen_cap) {
        size_t ncap = ts->seen_cap ? ts->seen_cap * 2 : 256;
        __typeof__(ts->seen) ns = xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; i < ts->seen_cap; i++)
            if (ts->seen[i].used) {
                size_t h = ((size_t)ts->seen[i].ino * 2654435761u + (size_t)ts->seen[i].dev) & (ncap - 1);
                while (ns[h].used)
                    h = (h + 1) & (ncap - 1);
                ns[h] = ts->seen[i];
            }
        free(ts->seen);
        ts->seen = ns;
        ts->seen_cap = ncap;
    }
    size_t h = ((size_t)ino * 2654435761u + (size_t)dev) & (ts->seen_cap - 1);
    while (ts->seen[h].used) {
        if (ts->seen[h].dev == dev && ts->seen[h].ino == ino)
            return true;
        h = (h + 1) & (ts->seen_cap - 1);
    }
    ts->seen[h].dev = dev;
    ts->seen[h].ino = ino;
    ts->seen[h].used = true;
    ts->seen_n++;
    return false;
}

static void push(struct treesearch *ts, char *rel, int depth)
{
    if (ts->qhead > 0 && ts->qhead == ts->qlen) {
        ts->qhead = ts->qlen = 0; /* drained: start the array over */
    }
    if (ts->qlen == ts->qcap) {
        ts->qcap = ts->qcap ? ts->qcap * 2 : 32;
        ts->q = xrealloc(ts->q, ts->qcap * sizeof *ts->q);
    }
    ts->q[ts->qlen++] = (struct pending){ rel, depth };
}

static char *join_rel(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *p = xmalloc(dl + nl + 2);
    memcpy(p, dir, dl);
    if (dl)
        p[dl++] = '/';
    memcpy(p + dl, name, nl + 1);
    return p;
}

struct treesearch *ts_start(const char *root, const struct ts_limits *lim, char *err, size_t errlen)
{
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot search %s: %s", root, strerror(errno));
        return NULL;
    }
    struct treesearch *ts = xcalloc(1, sizeof *ts);
    ts->root = xstrdup(root);
    ts->rootfd = fd;
    ts->lim = *lim;
    struct stat st;
    if (fstat(fd, &st) == 0)
        seen_before(ts, st.st_dev, st.st_ino);
    push(ts, xstrdup(""), 1);
    return ts;
}

void ts_free(struct treesearch *ts)
{
    if (!ts)
        return;
    if (ts->cur)
        closedir(ts->cur);
    free(ts->cur_dir.rel);
    for (size_t i = ts->qhead; i < ts->qlen; i++)
        free(ts->q[i].rel);
    free(ts->q);
    for (size_t i = 0; i < ts->n; i++)
        free(ts->names[i]);
    free(ts->names);
    free(ts->seen);
    close(ts->rootfd);
    free(ts->root);
    free(ts);
}

/* Open the next folder of the queue; false when none is left. */
static bool open_next(struct treesearch *ts)
{
    while (ts->qhead < ts->qlen) {
        struct pending p = ts->q[ts->qhead++];
        /* O_NOFOLLOW: the entry was a folder when seen; if a link took its place since, it is
         * not followed */
        int fd = p.rel[0] ? openat(ts->rootfd, p.rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                          : dup(ts->rootfd);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d) {
            if (fd >= 0)
                close(fd);
            free(p.rel); /* unreadable: skipped, as find does, without stopping */
            continue;
        }
        if (!p.rel[0])
            rewinddir(d); /* the dup shares the root's offset */
        ts->cur = d;
        ts->cur_dir = p;
        return true;
    }
    return false;
}

static void add_file(struct treesearch *ts, char *rel)
{
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 256;
        ts->names = xrealloc(ts->names, ts->cap * sizeof *ts->names);
    }
    ts->names[ts->n++] = rel;
}

/* One entry of the current folder. */
static void look_at(struct treesearch *ts, const struct dirent *de)
{
    const char *name = de->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
        return;
    if (name[0] == '.' && !ts->lim.show_hidden)
        return;
    ts->scanned++;
    int dfd = dirfd(ts->cur);
    unsigned char t = de->d_type;
    struct stat st;
    bool have_st = false;
    if (t == DT_UNKNOWN || t == DT_DIR) {
        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            return;
        have_st = true;
        t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISLNK(st.st_mode) ? DT_LNK : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    char *rel = join_rel(ts->cur_dir.rel, name);
    if (t == DT_DIR) {
        if (ts->cur_dir.depth >= ts->lim.max_depth) {
            ts->truncated = true;
            free(rel);
        } else if (have_st && seen_before(ts, st.st_dev, st.st_ino)) {
            free(rel); /* entered already: a loop */
        } else {
            push(ts, rel, ts->cur_dir.depth + 1);
        }
        return;
    }
    if (t == DT_LNK) {
        /* a link to a file is a file; a link to a folder is not followed */
        if (fstatat(dfd, name, &st, 0) == 0 && S_ISDIR(st.st_mode)) {
            free(rel);
            return;
        }
    }
    add_file(ts, rel);
}

bool ts_step(struct treesearch *ts, size_t entries)
{
    size_t budget = entries ? entries : 1;
    while (budget > 0) {
        if (ts->scanned >= ts->lim.max_entries) {
            if (ts->cur || ts->qhead < ts->qlen)
                ts->truncated = true;
            break;
        }
        if (!ts->cur && !open_next(ts))
            break;
        errno = 0;
        struct dirent *de = readdir(ts->cur);
        if (!de) {
            closedir(ts->cur);
            ts->cur = NULL;
            free(ts->cur_dir.rel);
            ts->cur_dir.rel = NULL;
            continue;
        }
        look_at(ts, de);
        budget--;
    }
    if (ts->scanned >= ts->lim.max_entries && (ts->cur || ts->qhead < ts->qlen)) {
        /* the bound: what is left is not looked at */
        if (ts->cur) {
            closedir(ts->cur);
            ts->cur = NULL;
            free(ts->cur_dir.rel);
            ts->cur_dir.rel = NULL;
        }
        for (size_t i = ts->qhead; i < ts->qlen; i++)
            free(ts->q[i].rel);
        ts->qhead = ts->qlen = 0;
        ts->truncated = true;
    }
    return !ts_done(ts);
}

bool ts_done(const struct treesearch *ts)
{
    return !ts->cur && ts->qhead >= ts->qlen;
}

bool ts_truncated(const struct treesearch *ts)
{
    return ts->truncated;
}

size_t ts_scanned(const struct treesearch *ts)
{
    return ts->scanned;
}

size_t ts_count(const struct treesearch *ts)
{
    return ts->n;
}

char *const *ts_names(const struct treesearch *ts)
{
    return ts->names;
}

const char *ts_root(const struct treesearch *ts)
{
    return ts->root;
}
