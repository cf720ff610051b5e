/* The form's model (no curses): the files to attach and what was found out about them, the
 * field values, the focus order, the checks each field gets as it is typed (the same ones
 * the backend applies, so nothing invalid is sent), the sizes, and recent candidate IDs.
 * Every change goes through these functions, which re-check at once: drawing reads the
 * cached results and never stats a file or asks libmagic. form.c lays it out and maps
 * keys to it. */
#ifndef KA_UI_FORM_MODEL_H
#define KA_UI_FORM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "attachment.h"
#include "lineedit.h"

#define FM_RECENT_MAX 20

struct batch_spec;

/* One file to attach, as found when the files were set. */
struct fm_file {
    char *path;
    char *base;          /* base name: the default attachment name */
    uint64_t size;       /* 0 when stat failed (attachment_init says why at send time) */
    char mime[128];      /* detected type */
    bool generic;        /* mime is one Kombo asks clients not to send */
};

/* The form's lines, top to bottom; the focus moves in this order. */
enum fm_field {
    FM_CANDIDATE, FM_FIND_SOON, FM_APPLICATION_SOON, FM_TYPE, FM_NAME, FM_CTYPE, FM_SEND,
    FM_COUNT
};

enum fm_level {
    FM_FINE,       /* nothing to say */
    FM_HINT,       /* dim: "required" before the user tried to send */
    FM_WARNING,    /* sent anyway */
    FM_ERROR       /* blocks sending */
};

struct fm_check {
    enum fm_level level;
    char msg[256];
};

/* Why a send did not start. */
enum fm_block {
    FM_SEND_OK,
    FM_SEND_FIX_FIELDS,  /* a field has an error: the focus went to the first one */
    FM_SEND_NO_FILE,
    FM_SEND_TOO_BIG      /* one file, over max_size */
};

struct form_model {
    struct fm_file *files;
    size_t n_files;
    const char **paths;          /* files[i].path, for a batch_spec */
    struct lineedit cand, name, ctype;
    enum att_type type;
    enum fm_field focus;
    uint64_t max_size;           /* --max-size; 0 = no limit */
    char **recent;               /* recent candidate IDs, newest first */
    size_t n_recent;
    int recent_pos;              /* -1 = what the user typed; else index into recent */
    char *typed;                 /* what the user typed before cycling recent IDs */
    bool tried_send;             /* "required" turns from a hint into an error */
    bool sent_once;              /* a send started: the next files open on the candidate ID */
    char *preset_name;           /* --name: the name for one file instead of its own */
    char *preset_ctype;          /* --content-type: instead of the detected one */
    char *preset_rf;             /* --remote-fields (checked): part of the body's size */
    /* Worked out after every change: */
    struct fm_check checks[FM_COUNT];
    uint64_t total;              /* the files' bytes */
    uint64_t wire;               /* about what goes on the wire (base64 and JSON around it) */
    size_t too_big;              /* files over max_size */
};

void fm_init(struct form_model *m, const char *candidate, enum att_type type, uint64_t max_size);
void fm_free(struct form_model *m);
/* What the command line chose (--name, --content-type, --remote-fields; NULL = none):
 * fm_set_files fills the fields with them instead of the file's own name and detected
 * type, and the size on the wire counts the remote fields. */
void fm_set_presets(struct form_model *m, const char *name, const char *content_type,
                    const char *remote_fields);
/* Recent candidate IDs of earlier runs with this integration, from the history file. */
void fm_load_history(struct form_model *m, const char *integration_id);

/* The files to attach (stat and type detection happen here, once). Candidate ID and type
 * stay: attaching several documents to one person is the usual case. One file fills name
 * and content type with its own (or the presets); several leave the name empty and the
 * content type empty or the preset (each file keeps its own otherwise). */
void fm_set_files(struct form_model *m, char *const *paths, size_t n);
bool fm_multi(const struct form_model *m);

bool fm_focusable(const struct form_model *m, enum fm_field f);
/* dir > 0 down, < 0 up; stops at the ends (arrows, Enter). */
void fm_move_focus(struct form_model *m, int dir);
/* The same, but past an end it goes on at the other (Tab, Shift-Tab). */
void fm_tab_focus(struct form_model *m, int dir);
/* The focused text field, or NULL. */
const struct lineedit *fm_focused_edit(const struct form_model *m);
/* Edit the focused text field; false when there is none or nothing changed. */
bool fm_edit(struct form_model *m, enum le_action act);
bool fm_insert(struct form_model *m, wchar_t wc);
/* A key for the focused text field (editkeys.h: editing keys, Alt chords, characters);
 * false when there is no text field or the key is none of its. */
bool fm_edit_key(struct form_model *m, int key);
/* CV -> COVER_LETTER -> OTHER -> CV for dir > 0, the other way for dir < 0. */
void fm_cycle_type(struct form_model *m, int dir);

/* Feed a recent candidate ID (the last call ends up first); a known one moves up. */
void fm_remember_id(struct form_model *m, const char *id);
/* Walk the recent IDs in the candidate field: dir > 0 older, < 0 newer (back to what was
 * typed). False when there is nowhere to go that way. */
bool fm_cycle_recent(struct form_model *m, int dir);

/* The user asked to send: FM_SEND_OK, or why not (the focus moves to the first field with
 * an error). On OK the candidate ID is remembered and *spec points into the model (valid
 * until the model changes). */
enum fm_block fm_try_send(struct form_model *m, struct batch_spec *spec);

#endif
