/* The picker's model: a folder's entries, sort, filter, marks, lazy stat (no curses here).
 * Opening reads names only (fast even for 100,000 entries); sizes and dates come from
 * fl_stat_range (visible rows, at once) and fl_stat_step (the rest, in small time slices). */
#ifndef KA_FILELIST_H
#define KA_FILELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum fl_sort { FL_SORT_NAME, FL_SORT_SIZE, FL_SORT_DATE };

struct fl_entry {
    char *name;          /* raw bytes from readdir (may be invalid UTF-8) */
    uint64_t size;
    time_t mtime;
    /* one byte of flags: 100,000 entries stay 32 bytes each */
    bool is_dir : 1;     /* folders (and links to folders) sort first */
    bool is_link : 1;
    bool stat_done : 1;
    bool stat_failed : 1;
    bool marked : 1;
    /* known once stat_done, and what decides whether the file can be sent (sendable.h): */
    bool is_regular : 1; /* a regular file (a link: its target) */
    bool dangling : 1;   /* a link to nothing */
    bool unreadable : 1; /* a regular file this user may not read */
    bool foreign : 1;    /* owned by another user (what to advise when unreadable) */
};

struct filelist;

/* Read a folder. NULL with a message when it cannot be read (the caller keeps the old list). */
struct filelist *fl_open(const char *dir, bool show_hidden, enum fl_sort sort, char *err, size_t errlen);
/* A list of given names relative to dir (a tree search's results: "a/b/cv.pdf"), all
 * files, stat'ed lazily like a folder's, in the order given unless sorted by size or date.
 * fl_set_hidden does nothing on it. */
struct filelist *fl_open_names(const char *dir, char *const *names, size_t n, enum fl_sort sort,
                               const char *filter, char *err, size_t errlen);
void fl_free(struct filelist *fl);
const char *fl_dir(const struct filelist *fl);          /* absolute, normalised */
size_t fl_count(const struct filelist *fl);             /* visible entries (after filter) */
size_t fl_total(const struct filelist *fl);             /* all entries read */
struct fl_entry *fl_get(struct filelist *fl, size_t i); /* i-th visible entry, NULL past the end;
                                                         * valid until fl_set_sort, fl_set_hidden or fl_free */
char *fl_path(const struct filelist *fl, size_t i);     /* full path of visible entry; caller frees */

void fl_set_sort(struct filelist *fl, enum fl_sort s);  /* stats everything first when needed */
enum fl_sort fl_get_sort(const struct filelist *fl);
void fl_set_hidden(struct filelist *fl, bool show);     /* re-reads */
/* Fuzzy filter on the name (fuzzy.h: the letters in order, case and accents ignored), the
 * best matches first (shorter names, then the list's order breaking ties); "" clears and
 * the list's order is back. */
void fl_set_filter(struct filelist *fl, const char *filter);
const char *fl_get_filter(const struct filelist *fl);
/* Where the filter's letters are in name (byte ranges of the raw name), or false. */
struct fz_hits;
bool fl_hits(struct filelist *fl, const char *name, struct fz_hits *hits);
/* Visible index of the entry called name, or (size_t)-1. */
size_t fl_find(const struct filelist *fl, const char *name);

void fl_stat_range(struct filelist *fl, size_t first, size_t n);
/* Stat more entries for at most budget_ms; returns true while some are left. */
bool fl_stat_step(struct filelist *fl, int budget_ms);

/* Marks live in a selection of full paths (selection.h), which outlives the list: give the
 * picker's to every folder it opens and marks survive changing folders. Without one the
 * list has its own. Entries of this folder in sel are marked at once. */
struct selection;
void fl_use_selection(struct filelist *fl, struct selection *sel);
/* Mark or unmark (folders cannot be marked); fl_set_mark says which. */
void fl_toggle_mark(struct filelist *fl, size_t i);
void fl_set_mark(struct filelist *fl, size_t i, bool on);
size_t fl_marked_count(const struct filelist *fl);   /* in every folder */
size_t fl_marked_here(const struct filelist *fl);    /* in this folder */
/* Full paths of the marked files in the order they were marked, also those the filter
 * hides and those of other folders; caller frees each and the array. NULL with *n = 0 when
 * nothing is marked. */
char **fl_marked_paths(const struct filelist *fl, size_t *n);
void fl_clear_marks(struct filelist *fl);             /* in every folder */

#endif
