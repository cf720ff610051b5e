/* The picker's model. Names live in one arena (one allocation for the whole folder), entries
 * in one array, and the filter is an array of 32-bit indexes into it, so a folder of 100,000
 * names costs about 36 bytes per entry plus the name, and a filter keystroke is one pass of
 * fuzzy.c's quick test with no allocation per entry, the scoring table only for the names
 * that pass. The order itself is filelist_sort.c. */
#include "filelist.h"
#include "ranked.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "fuzzy.h"
#include "filelist_sort.h"
#include "selection.h"
#include "xalloc.h"

struct filelist {
    char *dir;               /* absolute, normalised */
    int dfd;                 /* the folder, for fstatat relative to it */
    struct fl_entry *ents;   /* all entries, sorted */
    size_t n;
    char *arena;             /* every name, NUL-terminated, one after the other */
    uint32_t *vis;           /* indexes of entries that pass the filter, in list order */
    size_t nvis;
    enum fl_sort sort;
    bool show_hidden;
    struct fz_pattern *pat;  /* the filter, compiled */
    char *filter_raw;        /* as typed, for fl_get_filter */
    bool from_names;         /* made by fl_open_names: no folder to read again */
    size_t stat_next;        /* where fl_stat_step goes on */
    size_t marked;           /* entries of this folder marked */
    struct selection *sel;   /* where marks live */
    bool own_sel;            /* sel is this list's (no fl_use_selection) */
};

/* ---- stat ---- */

/* What a stat tells about an entry; a regular file is also asked whether this user may read
 * it (the kernel's answer: ACLs and root included), so the picker can say so before the
 * form, not after Ctrl-S. */
static void fill_from_stat(const struct filelist *fl, struct fl_entry *e, const struct stat *st)
{
    e->size = (uint64_t)st->st_size;
    e->mtime = st->st_mtime;
    e->is_regular = S_ISREG(st->st_mode);
    e->foreign = st->st_uid != getuid();
    e->unreadable = e->is_regular && faccessat(fl->dfd, e->name, R_OK, 0) != 0;
    e->stat_done = true;
}

static void stat_entry(const struct filelist *fl, struct fl_entry *e)
{
    struct stat st;
    /* Follow links (their target's size is what would be uploaded); a dangling link still
     * has a date of its own. */
    if (fstatat(fl->dfd, e->name, &st, 0) == 0) {
        fill_from_stat(fl, e, &st);
    } else if (e->is_link && fstatat(fl->dfd, e->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        e->size = (uint64_t)st.st_size;
        e->mtime = st.st_mtime;
        e->dangling = true;
    } else {
        e->stat_failed = true;
    }
    e->stat_done = true;
}

static void stat_all(struct filelist *fl)
{
    for (size_t i = 0; i < fl->n; i++)
        if (!fl->ents[i].stat_done)
            stat_entry(fl, &fl->ents[i]);
}

/* ---- filter ---- */

/* Keep the entries of from[0..n) (indexes into ents) that match, best first; no filter:
 * all of them in list order. */
static void filter_among(struct filelist *fl, const uint32_t *from, size_t n)
{
    if (fz_len(fl->pat) == 0) {
        for (size_t i = 0; i < n; i++)
            fl->vis[i] = from ? from[i] : (uint32_t)i;
        fl->nvis = n;
        return;
    }
    struct ranked *r = xmalloc((n ? n : 1) * sizeof *r);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t idx = from ? from[i] : (uint32_t)i;
        int score;
        if (fz_match(fl->pat, fl->ents[idx].name, &score, NULL))
            r[k++] = (struct ranked){ score, (uint32_t)strlen(fl->ents[idx].name), idx };
    }
    ranked_sort(r, k);
    for (size_t i = 0; i < k; i++)
        fl->vis[i] = r[i].idx;
    fl->nvis = k;
    free(r);
}

static void filter_from_scratch(struct filelist *fl)
{
    filter_among(fl, NULL, fl->n);
}

static void sort_entries(struct filelist *fl)
{
    if (fl->sort != FL_SORT_NAME)
        stat_all(fl); /* sizes and dates decide the order */
    fl_sort_entries(&fl->ents, fl->n, fl->sort);
    /* Entries moved: the stat cursor restarts (stat_done entries are skipped quickly) and
     * the visible indexes are rebuilt in the new order. */
    fl->stat_next = 0;
    filter_from_scratch(fl);
}

/* ---- reading ---- */

/* Absolute path with ".", ".." and repeated slashes removed by hand, like a shell's cd
 * (realpath would resolve symlinks and surprise the user when going back up). */
static char *normalise(const char *dir)
{
    char *cwd = NULL;
    if (dir[0] != '/') {
        cwd = getcwd(NULL, 0);
        if (!cwd)
            return NULL;
    }
    size_t cap = (cwd ? strlen(cwd) : 0) + strlen(dir) + 3;
    char *in = xmalloc(cap), *out = xmalloc(cap);
    snprintf(in, cap, "%s/%s", cwd ? cwd : "", dir);
    free(cwd);
    size_t o = 0;
    for (char *p = in; *p;) {
        while (*p == '/')
            p++;
        char *q = p;
        while (*q && *q != '/')
            q++;
        size_t l = (size_t)(q - p);
        if (l == 0 || (l == 1 && p[0] == '.')) {
            /* nothing */
        } else if (l == 2 && p[0] == '.' && p[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash before the removed component */
        } else {
            out[o++] = '/';
            memcpy(out + o, p, l);
            o += l;
        }
        p = q;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    free(in);
    return out;
}

static void set_msg(char *err, size_t errlen, const char *dir, const char *why)
{
    if (err && errlen)
        snprintf(err, errlen, "cannot open %s: %s", dir, why);
}

static void set_err(char *err, size_t errlen, const char *dir, int e)
{
    set_msg(err, errlen, dir, strerror(e));
}

/* Fill fl->ents and fl->arena from fl->dir; fl->dfd must be open. */
static int read_entries(struct filelist *fl, char *err, size_t errlen)
{
    int fd2 = dup(fl->dfd);
    DIR *d = fd2 >= 0 ? fdopendir(fd2) : NULL;
    if (!d) {
        int e = errno;
        if (fd2 >= 0)
            close(fd2);
        set_err(err, errlen, fl->dir, e);
        return -1;
    }
    size_t cap = 256, acap = 8192, alen = 0;
    struct fl_entry *ents = xmalloc(cap * sizeof *ents);
    char *arena = xmalloc(acap);
    size_t n = 0;
    int rc = -1;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if (name[0] == '.' && (!fl->show_hidden || name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
            continue;
        size_t l = strlen(name) + 1;
        if (n == cap) {
            cap *= 2;
            ents = xrealloc(ents, cap * sizeof *ents);
        }
        if (alen + l > acap) {
            while (alen + l > acap)
                acap *= 2;
            arena = xrealloc(arena, acap);
        }
        memcpy(arena + alen, name, l);
        struct fl_entry *e = &ents[n];
        memset(e, 0, sizeof *e);
        unsigned char t = de->d_type;
        struct stat st;
        if (t == DT_UNKNOWN) {
            /* some file systems don't say: ask, without following a link yet */
            if (fstatat(fl->dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
                if (S_ISLNK(st.st_mode)) {
                    t = DT_LNK;
                } else {
                    e->is_dir = S_ISDIR(st.st_mode);
                    e->name = arena + alen; /* fill_from_stat asks by name */
                    fill_from_stat(fl, e, &st);
                }
            }
        }
        if (t == DT_DIR)
            e->is_dir = true;
        if (t == DT_LNK) {
            /* a link to a folder is a folder to the picker */
            e->is_link = true;
            if (fstatat(fl->dfd, name, &st, 0) == 0) {
                e->is_dir = S_ISDIR(st.st_mode);
                e->name = arena + alen;
                fill_from_stat(fl, e, &st);
            }
        }
        alen += l;
        n++;
        if (n > UINT32_MAX) {
            set_msg(err, errlen, fl->dir, "too many entries");
            goto out;
        }
        errno = 0;
    }
    if (errno != 0) {
        set_err(err, errlen, fl->dir, errno);
        goto out;
    }
    /* Give back the doubling slack (up to half of each block), then point at the names:
     * the arena does not move any more. */
    arena = xrealloc(arena, alen);
    ents = xrealloc(ents, n * sizeof *ents);
    char *p = arena;
    for (size_t i = 0; i < n; i++) {
        ents[i].name = p;
        p += strlen(p) + 1;
    }
    fl->ents = ents;
    fl->arena = arena;
    fl->n = n;
    fl->vis = xmalloc(n * sizeof *fl->vis);
    ents = NULL;
    arena = NULL;
    rc = 0;
out:
    free(ents);
    free(arena);
    closedir(d);
    return rc;
}

static struct filelist *open_list(const char *dir, bool show_hidden, enum fl_sort sort,
                                  const char *filter, char *err, size_t errlen)
{
    struct filelist *fl = xcalloc(1, sizeof *fl);
    fl->dfd = -1;
    fl->sort = sort;
    fl->show_hidden = show_hidden;
    fl->dir = normalise(dir);
    fl->pat = fz_new(filter ? filter : "");
    fl->filter_raw = xstrdup(filter ? filter : "");
    fl->sel = sel_new();
    fl->own_sel = true;
    if (!fl->dir) {
        set_err(err, errlen, dir, errno);
        fl_free(fl);
        return NULL;
    }
    fl->dfd = open(fl->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fl->dfd < 0) {
        set_err(err, errlen, fl->dir, errno);
        fl_free(fl);
        return NULL;
    }
    if (read_entries(fl, err, errlen) != 0) {
        fl_free(fl);
        return NULL;
    }
    sort_entries(fl);
    return fl;
}

struct filelist *fl_open(const char *dir, bool show_hidden, enum fl_sort sort, char *err, size_t errlen)
{
    return open_list(dir, show_hidden, sort, "", err, errlen);
}

struct filelist *fl_open_names(const char *dir, char *const *names, size_t n, enum fl_sort sort,
                               const char *filter, char *err, size_t errlen)
{
    struct filelist *fl = xcalloc(1, sizeof *fl);
    fl->from_names = true;
    fl->sort = sort;
    fl->dir = normalise(dir);
    fl->pat = fz_new(filter ? filter : "");
    fl->filter_raw = xstrdup(filter ? filter : "");
    fl->sel = sel_new();
    fl->own_sel = true;
    fl->dfd = fl->dir ? open(fl->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fl->dfd < 0) {
        set_err(err, errlen, fl->dir ? fl->dir : dir, errno);
        fl_free(fl);
        return NULL;
    }
    size_t alen = 0;
    for (size_t i = 0; i < n; i++)
        alen += strlen(names[i]) + 1;
    fl->arena = xmalloc(alen ? alen : 1);
    fl->ents = xcalloc(n ? n : 1, sizeof *fl->ents);
    fl->vis = xmalloc((n ? n : 1) * sizeof *fl->vis);
    char *p = fl->arena;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(names[i]) + 1;
        memcpy(p, names[i], l);
        fl->ents[i].name = p; /* files only: sizes, dates and the rest come with the stat */
        p += l;
    }
    fl->n = n;
    /* By name, the given order stands (a search's: the shallow first), and a rebuild of
     * 20,000 results costs a copy and a filter pass, not a sort, while keys wait. */
    if (sort == FL_SORT_NAME)
        filter_from_scratch(fl);
    else
        sort_entries(fl);
    return fl;
}

void fl_free(struct filelist *fl)
{
    if (!fl)
        return;
    if (fl->dfd >= 0)
        close(fl->dfd);
    free(fl->dir);
    free(fl->ents);
    free(fl->arena);
    free(fl->vis);
    fz_free(fl->pat);
    free(fl->filter_raw);
    if (fl->own_sel)
        sel_free(fl->sel);
    free(fl);
}

const char *fl_dir(const struct filelist *fl)
{
    return fl->dir;
}

size_t fl_count(const struct filelist *fl)
{
    return fl->nvis;
}

size_t fl_total(const struct filelist *fl)
{
    return fl->n;
}

struct fl_entry *fl_get(struct filelist *fl, size_t i)
{
    return i < fl->nvis ? &fl->ents[fl->vis[i]] : NULL;
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    bool slash = dl == 0 || dir[dl - 1] != '/';
    char *p = xmalloc(dl + slash + nl + 1);
    memcpy(p, dir, dl);
    if (slash)
        p[dl] = '/';
    memcpy(p + dl + slash, name, nl + 1);
    return p;
}

char *fl_path(const struct filelist *fl, size_t i)
{
    if (i >= fl->nvis)
        return NULL;
    return join(fl->dir, fl->ents[fl->vis[i]].name);
}

void fl_set_sort(struct filelist *fl, enum fl_sort s)
{
    fl->sort = s;
    sort_entries(fl);
}

enum fl_sort fl_get_sort(const struct filelist *fl)
{
    return fl->sort;
}

/* Mark this folder's entries that the selection holds. */
static void apply_selection(struct filelist *fl)
{
    fl->marked = 0;
    if (sel_count(fl->sel) == 0) {
        for (size_t i = 0; i < fl->n; i++)
            fl->ents[i].marked = false;
        return;
    }
    for (size_t i = 0; i < fl->n; i++) {
        struct fl_entry *e = &fl->ents[i];
        char *p = e->is_dir ? NULL : join(fl->dir, e->name);
        e->marked = p && sel_has(fl->sel, p);
        fl->marked += e->marked;
        free(p);
    }
}

void fl_use_selection(struct filelist *fl, struct selection *sel)
{
    if (fl->own_sel) {
        /* marks made before keep: they move over */
        size_t n;
        char **paths = sel_paths(fl->sel, &n);
        for (size_t i = 0; i < n; i++) {
            sel_add(sel, paths[i]);
            free(paths[i]);
        }
        free(paths);
        sel_free(fl->sel);
    }
    fl->sel = sel;
    fl->own_sel = false;
    apply_selection(fl);
}

void fl_set_hidden(struct filelist *fl, bool show)
{
    if (fl->from_names)
        return; /* no folder to read: the names' maker decides what is hidden */
    char err[16];
    struct filelist *nl = open_list(fl->dir, show, fl->sort, fl->filter_raw, err, sizeof err);
    if (!nl)
        return; /* the folder went away or became unreadable: keep what is shown */
    /* the selection goes over to the new contents; a marked hidden file that is hidden now
     * loses its mark: nothing is sent that cannot be seen */
    for (size_t i = 0; i < fl->n && !show; i++) {
        if (fl->ents[i].marked && fl->ents[i].name[0] == '.') {
            char *p = join(fl->dir, fl->ents[i].name);
            sel_remove(fl->sel, p);
            free(p);
        }
    }
    sel_free(nl->sel);
    nl->sel = fl->sel;
    nl->own_sel = fl->own_sel;
    fl->own_sel = false;
    apply_selection(nl);
    /* swap the new contents into the caller's handle */
    struct filelist tmp = *fl;
    *fl = *nl;
    *nl = tmp;
    fl_free(nl);
}

void fl_set_filter(struct filelist *fl, const char *filter)
{
    struct fz_pattern *pat = fz_new(filter ? filter : "");
    bool narrower = fz_len(fl->pat) > 0 && fz_narrows(pat, fl->pat);
    fz_free(fl->pat);
    free(fl->filter_raw);
    fl->pat = pat;
    fl->filter_raw = xstrdup(filter ? filter : "");
    if (!narrower || fz_len(pat) == 0) {
        filter_from_scratch(fl);
        return;
    }
    /* Every name the new filter matches, the old one matched: only the entries visible now
     * can stay visible, which makes typing on a huge folder cheaper with each key. They are
     * ranked again. */
    uint32_t *from = xmalloc((fl->nvis ? fl->nvis : 1) * sizeof *from);
    memcpy(from, fl->vis, fl->nvis * sizeof *from);
    filter_among(fl, from, fl->nvis);
    free(from);
}

bool fl_hits(struct filelist *fl, const char *name, struct fz_hits *hits)
{
    return fz_match(fl->pat, name, NULL, hits);
}

const char *fl_get_filter(const struct filelist *fl)
{
    return fl->filter_raw;
}

size_t fl_find(const struct filelist *fl, const char *name)
{
    for (size_t i = 0; i < fl->nvis; i++)
        if (strcmp(fl->ents[fl->vis[i]].name, name) == 0)
            return i;
    return (size_t)-1;
}

void fl_stat_range(struct filelist *fl, size_t first, size_t n)
{
    for (size_t i = first; i < fl->nvis && i - first < n; i++) {
        struct fl_entry *e = &fl->ents[fl->vis[i]];
        if (!e->stat_done)
            stat_entry(fl, e);
    }
}

bool fl_stat_step(struct filelist *fl, int budget_ms)
{
    double deadline = clock_now() + (budget_ms > 0 ? budget_ms : 0) / 1e3;
    unsigned done = 0;
    while (fl->stat_next < fl->n) {
        struct fl_entry *e = &fl->ents[fl->stat_next++];
        if (e->stat_done)
            continue;
        stat_entry(fl, e);
        /* reading the clock is cheap but not free next to a cached stat: every 16th */
        if ((++done & 15) == 0 && clock_now() >= deadline)
            break;
    }
    return fl->stat_next < fl->n;
}

void fl_set_mark(struct filelist *fl, size_t i, bool on)
{
    struct fl_entry *e = fl_get(fl, i);
    if (!e || e->is_dir || e->marked == on)
        return;
    char *p = join(fl->dir, e->name);
    if (on)
        sel_add(fl->sel, p);
    else
        sel_remove(fl->sel, p);
    free(p);
    e->marked = on;
    if (on)
        fl->marked++;
    else
        fl->marked--;
}

void fl_toggle_mark(struct filelist *fl, size_t i)
{
    struct fl_entry *e = fl_get(fl, i);
    if (e)
        fl_set_mark(fl, i, !e->marked);
}

size_t fl_marked_count(const struct filelist *fl)
{
    return sel_count(fl->sel);
}

size_t fl_marked_here(const struct filelist *fl)
{
    return fl->marked;
}

char **fl_marked_paths(const struct filelist *fl, size_t *n)
{
    return sel_paths(fl->sel, n);
}

void fl_clear_marks(struct filelist *fl)
{
    sel_clear(fl->sel);
    for (size_t i = 0; i < fl->n; i++)
        fl->ents[i].marked = false;
    fl->marked = 0;
}
