/* See preview.h. The stages of one file: stat (by path, no open), open and check, read a
 * block per step, ask libmagic about the bytes read (magic_buffer: libmagic never reads
 * the file itself, so it cannot block on it either), split the lines. */
#include "preview.h"

#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

enum { ST_STAT, ST_OPEN, ST_READ, ST_MAGIC_LOAD, ST_MAGIC, ST_LINES, ST_DONE };

void pv_init(struct preview *pv)
{
    memset(pv, 0, sizeof *pv);
    pv->cur = -1;
    for (int i = 0; i < PV_CACHE; i++)
        pv->items[i].fd = -1;
}

static void item_clear(struct pv_item *it)
{
    if (it->fd >= 0)
        close(it->fd);
    free(it->path);
    free(it->buf);
    for (size_t i = 0; i < it->nlines; i++)
        free(it->lines[i]);
    free(it->lines);
    memset(it, 0, sizeof *it);
    it->fd = -1;
}

void pv_free(struct preview *pv)
{
    for (int i = 0; i < PV_CACHE; i++)
        item_clear(&pv->items[i]);
    if (pv->magic)
        magic_close(pv->magic);
    pv->magic = NULL;
    pv->cur = -1;
}

void pv_show(struct preview *pv, const char *path)
{
    if (pv->cur >= 0) {
        struct pv_item *old = &pv->items[pv->cur];
        if (path && old->path && strcmp(old->path, path) == 0)
            return;
        if (old->stage != ST_DONE)
            item_clear(old); /* cancelled: half a preview is not worth keeping */
    }
    pv->cur = -1;
    if (!path)
        return;
    int free_slot = -1, oldest = 0;
    for (int i = 0; i < PV_CACHE; i++) {
        struct pv_item *it = &pv->items[i];
        if (it->path && strcmp(it->path, path) == 0) {
            it->used = ++pv->tick;
            pv->cur = i;
            return;
        }
        if (!it->path && free_slot < 0)
            free_slot = i;
        if (it->used < pv->items[oldest].used)
            oldest = i;
    }
    int k = free_slot >= 0 ? free_slot : oldest;
    item_clear(&pv->items[k]);
    pv->items[k].path = xstrdup(path);
    pv->items[k].used = ++pv->tick;
    pv->cur = k;
}

const struct pv_item *pv_current(const struct preview *pv)
{
    return pv->cur >= 0 ? &pv->items[pv->cur] : NULL;
}

bool pv_busy(const struct preview *pv)
{
    return pv->cur >= 0 && pv->items[pv->cur].stage != ST_DONE;
}

static void finish(struct pv_item *it, enum pv_kind kind, const char *desc)
{
    it->kind = kind;
    if (desc)
        snprintf(it->desc, sizeof it->desc, "%s", desc);
    if (it->fd >= 0)
        close(it->fd);
    it->fd = -1;
    it->stage = ST_DONE;
}

static const char *special_kind(mode_t m)
{
    if (S_ISDIR(m))
        return "folder";
    if (S_ISFIFO(m))
        return "named pipe (FIFO): not read";
    if (S_ISCHR(m))
        return "character device: not read";
    if (S_ISBLK(m))
        return "block device: not read";
    if (S_ISSOCK(m))
        return "socket: not read";
    return "not a regular file: not read";
}

static void take_stat(struct pv_item *it, const struct stat *st)
{
    it->have_stat = true;
    it->size = (uint64_t)st->st_size;
    it->mtime = st->st_mtime;
    it->ctime = st->st_ctime;
}

/* The bytes read as lines: up to PV_LINES_MAX, tabs as spaces to the next multiple of 8,
 * carriage returns dropped; a line longer than PV_LINE_MAX is cut (the pane is narrower). */
static void split_lines(struct pv_item *it)
{
    it->lines = xmalloc(PV_LINES_MAX * sizeof *it->lines);
    char line[PV_LINE_MAX + 8];
    size_t ll = 0, col = 0;
    for (size_t i = 0; i <= it->len && it->nlines < PV_LINES_MAX; i++) {
        char c = i < it->len ? it->buf[i] : '\n';
        if (i == it->len && ll == 0 && (it->len == 0 || it->buf[it->len - 1] == '\n'))
            break; /* the file's last line end starts no empty line */
        if (c == '\n') {
            line[ll] = '\0';
            it->lines[it->nlines++] = xstrdup(line);
            ll = col = 0;
            continue;
        }
        if (c == '\r' || ll >= PV_LINE_MAX)
            continue;
        if (c == '\t') {
            do
                line[ll++] = ' ';
            while (++col % 8 && ll < PV_LINE_MAX);
            continue;
        }
        line[ll++] = c;
        if (((unsigned char)c & 0xc0) != 0x80)
            col++;
    }
}

static bool looks_textual(const struct pv_item *it, const char *desc)
{
    if (memchr(it->buf, '\0', it->len))
        return false;
    return it->len == 0 || strstr(desc, "text") != NULL;
}

static bool step_item(struct preview *pv, struct pv_item *it)
{
    struct stat st;
    switch (it->stage) {
    case ST_STAT:
        /* by path first: a FIFO or device is told without opening it (an open may block or
         * have effects, a tape rewinding) */
        if (stat(it->path, &st) != 0) {
            finish(it, PV_ERROR, strerror(errno));
            return true;
        }
        take_stat(it, &st);
        if (!S_ISREG(st.st_mode)) {
            finish(it, PV_SPECIAL, special_kind(st.st_mode));
            return true;
        }
        it->stage = ST_OPEN;
        return false;
    case ST_OPEN:
        it->fd = open(it->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (it->fd < 0) {
            finish(it, PV_ERROR, strerror(errno));
            return true;
        }
        /* it may have been swapped for something else since the stat */
        if (fstat(it->fd, &st) != 0) {
            finish(it, PV_ERROR, strerror(errno));
            return true;
        }
        if (!S_ISREG(st.st_mode)) {
            finish(it, PV_SPECIAL, special_kind(st.st_mode));
            return true;
        }
        take_stat(it, &st);
        it->buf = xmalloc(PV_READ_MAX);
        it->stage = ST_READ;
        return false;
    case ST_READ: {
        size_t want = PV_READ_MAX - it->len < PV_READ_STEP ? PV_READ_MAX - it->len : PV_READ_STEP;
        ssize_t r = want ? read(it->fd, it->buf + it->len, want) : 0;
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            return false;
        if (r < 0) {
            finish(it, PV_ERROR, strerror(errno));
            return true;
        }
        it->len += (size_t)r;
        if (r == 0 || it->len >= PV_READ_MAX) {
            close(it->fd);
            it->fd = -1;
            it->stage = pv->magic || pv->magic_failed ? ST_MAGIC : ST_MAGIC_LOAD;
        }
        return false;
    }
    case ST_MAGIC_LOAD:
        /* loading the database is a libmagic call of its own, once */
        pv->magic = magic_open(MAGIC_NONE);
        if (pv->magic && magic_load(pv->magic, NULL) != 0) {
            magic_close(pv->magic);
            pv->magic = NULL;
        }
        pv->magic_failed = !pv->magic;
        it->stage = ST_MAGIC;
        return false;
    case ST_MAGIC: {
        const char *d = it->len == 0 ? "empty" : pv->magic ? magic_buffer(pv->magic, it->buf, it->len) : NULL;
        snprintf(it->desc, sizeof it->desc, "%s", d ? d : "data");
        it->kind = looks_textual(it, it->desc) ? PV_TEXT : PV_BINARY;
        it->stage = it->kind == PV_TEXT ? ST_LINES : ST_DONE;
        if (it->kind != PV_TEXT) {
            free(it->buf);
            it->buf = NULL;
        }
        return it->kind != PV_TEXT;
    }
    case ST_LINES:
        split_lines(it);
        free(it->buf);
        it->buf = NULL;
        it->stage = ST_DONE;
        return true;
    default:
        return false;
    }
}

bool pv_step(struct preview *pv)
{
    if (pv->cur < 0)
        return false;
    struct pv_item *it = &pv->items[pv->cur];
    if (it->stage == ST_DONE)
        return false;
    return step_item(pv, it);
}
