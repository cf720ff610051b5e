/* The picker's preview of the highlighted file (no curses): the first lines of a text file,
 * libmagic's description of any other (a PDF's version and pages, an image's size), its size
 * and dates. Worked out in small steps from the idle time, at most PV_READ_STEP bytes or one
 * libmagic call each, so the list never waits; moving on cancels what is unfinished. Only
 * regular files are opened (O_NONBLOCK, checked again with fstat), so a FIFO or a device
 * never blocks. The last few previews are kept. Private to ui/. */
#ifndef KA_UI_PREVIEW_H
#define KA_UI_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PV_READ_STEP 4096      /* bytes read per step */
#define PV_READ_MAX 16384      /* bytes read in all: the first lines and what libmagic needs */
#define PV_LINES_MAX 200
#define PV_LINE_MAX 512        /* bytes kept of one line */
#define PV_CACHE 8

enum pv_kind {
    PV_LOADING,    /* not worked out yet */
    PV_TEXT,       /* lines are the first lines */
    PV_BINARY,     /* desc is libmagic's description */
    PV_SPECIAL,    /* a FIFO, device, socket or folder: desc says which; not read */
    PV_ERROR       /* desc says why it cannot be read */
};

struct pv_item {
    char *path;
    enum pv_kind kind;
    char desc[256];
    bool have_stat;
    uint64_t size;
    time_t mtime, ctime;
    char **lines;          /* PV_TEXT: raw bytes, tabs expanded, no line end; draw sanitises */
    size_t nlines;
    /* the work in progress */
    int stage;
    int fd;
    char *buf;
    size_t len;
    unsigned used;         /* for choosing which cached preview goes */
};

struct preview {
    struct pv_item items[PV_CACHE];
    int cur;               /* index of the one shown, -1 none */
    unsigned tick;
    void *magic;           /* libmagic's cookie for descriptions (mime.c's gives types) */
    bool magic_failed;
};

void pv_init(struct preview *pv);
void pv_free(struct preview *pv);
/* Show path (NULL: nothing): from the cache, or started afresh; the unfinished work on
 * another file is dropped. */
void pv_show(struct preview *pv, const char *path);
const struct pv_item *pv_current(const struct preview *pv);
/* One small step on the file shown; true when what is shown changed (draw again). */
bool pv_step(struct preview *pv);
/* Work is left on the file shown. */
bool pv_busy(const struct preview *pv);

#endif
