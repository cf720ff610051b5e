/* The form's model (no curses): the files to attach and what was found out about them (each
 * with its own name and type), the field values, the focus order, the checks each field
 * gets as it is typed (the same ones the backend applies, so nothing invalid is sent), the
 * sizes, recent candidate IDs, and each file's SHA-256, worked out in small steps while the
 * form is open, for the history's duplicate check. Every change goes through these
 * functions, which re-check at once: drawing reads the cached results and never stats a
 * file or asks libmagic. form.c lays it out and maps keys to it; the files' part is
 * form_files.c. */
#ifndef KA_UI_FORM_MODEL_H
#define KA_UI_FORM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <wchar.h>

#include "attachment.h"
#include "candidate.h"
#include "lineedit.h"

#define FM_RECENT_MAX 20

struct batch_spec;
struct filehash;
struct listing;
struct restrictions;

enum fm_level {
    FM_FINE,       /* nothing to say */
    FM_HINT,       /* dim: "required" before the user tried to send; a recent candidate's name */
    FM_WARNING,    /* sent anyway */
    FM_ERROR       /* blocks sending */
};

struct fm_check {
    enum fm_level level;
    char msg[256];
};

/* One file to attach, as found when the files were set, and how it is to be sent. */
struct fm_file {
    char *path;
    char *base;          /* base name: the default attachment name */
    uint64_t size;       /* 0 when stat failed (the batch says why at send time) */
    struct att_identity picked; /* the file when it was picked: only that file is sent */
    bool picked_ok;      /* false when stat failed then */
    char mime[128];      /* detected type */
    bool generic;        /* mime is one Kombo asks clients not to send */
    struct lineedit name; /* the name it is sent under (one file: the Name field) */
    enum att_type type;
    struct fm_check check; /* its name's */
    bool odd_name;       /* the name holds invisible or direction-changing characters */
    bool name_error;     /* the name cannot be sent as it is */
    struct filehash *hash; /* while its SHA-256 is being worked out */
    char sha256[65];     /* "" until known */
    bool hash_failed;
    uint64_t hash_size;  /* size and date when hashed: a file changed since is hashed again */
    time_t hash_mtime;
    bool dup;            /* the history has an upload of this content to this candidate */
    time_t dup_time;     /* ... made then */
    char refusal[240];   /* why the integration will not take it (restrict_check); "" */
    const char *same_name_date; /* a file of this name is in the target's listing: its date
                                   ("" when it has none), NULL when there is none */
};

/* The form's lines, top to bottom; the focus moves in this order. FM_FILE is the rows of
 * several files, one stop each (focus_file says which). */
enum fm_field {
    FM_CANDIDATE, FM_APPLICATION, FM_TYPE, FM_NAME, FM_CTYPE, FM_FILE, FM_SEND, FM_COUNT
};

/* Why a send did not start. */
enum fm_block {
    FM_SEND_OK,
    FM_SEND_FIX_FIELDS,  /* a field has an error: the focus went to the first one */
    FM_SEND_NO_FILE,
    FM_SEND_TOO_BIG,     /* one file, over max_size */
    FM_SEND_ODD_NAME,    /* a name holds invisible or bidi characters: said once, the next
                            try sends */
    FM_SEND_UNCONFIRMED  /* the target came from the local index and Kombo has not
                            confirmed it yet (or could not be asked) */
};

/* Whether Kombo confirmed the target (a candidate picked from the local index, which may
 * be stale, is asked about first: ui/confirm.h). */
enum fm_confirm {
    FM_CONFIRMED,        /* Kombo's own copy (a live hit), or nothing to confirm */
    FM_CONFIRMING,
    FM_CONFIRM_FAILED,   /* no answer: confirm_msg; ^S asks again */
    FM_GONE              /* deleted in the ATS: nothing can be sent to them */
};

struct form_model {
    struct fm_file *files;
    size_t n_files;
    struct lineedit cand, ctype;
    char cand_id[260];           /* cand without the white space around it: what is sent */
    enum att_type type;          /* one file: its type; several: the one the Type field set */
    enum fm_field focus;
    size_t focus_file;           /* FM_FILE: which row */
    uint64_t max_size;           /* --max-size; 0 = no limit */
    char **recent;               /* recent candidate IDs, newest first */
    char **recent_names;         /* the candidates' names when the history knows them, else NULL */
    size_t n_recent;
    int recent_pos;              /* -1 = what the user typed; else index into recent */
    char *typed;                 /* what the user typed before cycling recent IDs */
    bool tried_send;             /* "required" turns from a hint into an error */
    bool odd_names_said;         /* FM_SEND_ODD_NAME was answered for these files */
    bool sent_once;              /* a send started: the next files open on the candidate ID */
    char *preset_name;           /* --name: the name for one file instead of its own */
    char *preset_ctype;          /* --content-type: instead of the detected one */
    char *preset_rf;             /* --remote-fields (checked): part of the body's size */
    /* Who gets the files, once known (picked from the search, or the typed ID confirmed
     * by it): the candidate and which application (form_target.c). */
    struct candidate target;
    bool have_target;
    char *target_name;           /* candidate_display_name of it */
    int app;                     /* -1: the candidate itself; else an index in target.apps */
    enum fm_confirm confirm;     /* of the target */
    char confirm_msg[300];       /* FM_CONFIRM_FAILED: why, raw */
    const struct restrictions *restr;  /* what the integration accepts (not owned); NULL */
    const struct listing *existing;    /* the target's attachments (not owned); NULL */
    /* What the last fm_try_send pointed a batch_spec at (valid until the files change): */
    const char **spec_paths, **spec_names, **spec_sha;
    const struct att_identity **spec_picked;
    enum att_type *spec_types;
    char *spec_cand;
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
/* Recent candidate IDs of earlier runs with this integration, and their names when known,
 * from the history file. */
void fm_load_history(struct form_model *m, const char *integration_id);

/* The files to attach (stat and type detection happen here, once; the hashing starts with
 * fm_hash_step). Candidate ID and type stay: attaching several documents to one person is
 * the usual case. Each file gets its own name (the preset for one file) and the type; a
 * name that is not valid text (bytes shown as U+FFFD) is an error to fix, and the focus
 * goes to it. */
void fm_set_files(struct form_model *m, char *const *paths, size_t n);
/* Keep only these of the files (the ones not attached, for another try), with the names,
 * types and hashes they had; a path not among the files is added as fm_set_files would. */
void fm_keep_files(struct form_model *m, char *const *paths, size_t n);
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
/* CV -> COVER_LETTER -> OTHER -> CV for dir > 0, the other way for dir < 0. On the Type field
 * it sets every file's type; on a file's row that file's alone. */
void fm_cycle_type(struct form_model *m, int dir);
/* The files do not all have the same type. */
bool fm_types_mixed(const struct form_model *m);

/* The candidate ID as it will be sent: what the field holds, white space around it (a
 * pasted newline, spaces) trimmed. Points into the model until the next change. */
const char *fm_candidate(const struct form_model *m);
/* The history's name of the candidate ID in the field, or NULL. */
const char *fm_candidate_name(const struct form_model *m);

/* Feed a recent candidate ID (the last call ends up first); a known one moves up. name is
 * the candidate's when known (NULL otherwise). */
void fm_remember_id(struct form_model *m, const char *id);
void fm_remember_named(struct form_model *m, const char *id, const char *name);
/* Walk the recent IDs in the candidate field: dir > 0 older, < 0 newer (back to what was
 * typed). False when there is nowhere to go that way. */
bool fm_cycle_recent(struct form_model *m, int dir);

/* The user asked to send: FM_SEND_OK, or why not (the focus moves to the first field with
 * an error). On OK the candidate ID is remembered and *spec points into the model (valid
 * until the model changes); skip_dups leaves the files the history says were attached to
 * this candidate out (fm_find_duplicates marked them). */
enum fm_block fm_try_send(struct form_model *m, struct batch_spec *spec);
void fm_spec(struct form_model *m, bool skip_dups, struct batch_spec *spec);

/* ---- the target: candidate, application, what it has, what it takes (form_target.c) ---- */

/* The candidate the files go to (copied); the application chosen is the default one
 * (fm_default_app). The candidate field is set to its Kombo ID. NULL: none known. */
void fm_set_target(struct form_model *m, const struct candidate *c);
/* The application a candidate's files go to when the user chooses nothing: the one open
 * (PENDING) application when there is exactly one, else -1 (the candidate itself). */
int fm_default_app(const struct candidate *c);
/* How far Kombo confirmed the target (fm_set_target starts at FM_CONFIRMED). msg: the
 * failure's, or NULL. */
void fm_set_confirm(struct form_model *m, enum fm_confirm c, const char *msg);
/* Kombo's copy of the target replaces the index's (the applications of now); the chosen
 * application stays chosen when Kombo still lists it. Confirmed. */
void fm_replace_target(struct form_model *m, const struct candidate *live);
/* Application choice: -1 .. n_apps-1, dir > 0 down the list, < 0 up; wraps. */
void fm_cycle_app(struct form_model *m, int dir);
/* The chosen application, or NULL (the candidate itself). */
const struct cand_application *fm_application(const struct form_model *m);
/* What the integration accepts, and the target's attachments (both not owned; NULL =
 * unknown): every file is checked against them at once. */
void fm_set_restrictions(struct form_model *m, const struct restrictions *r);
void fm_set_existing(struct form_model *m, const struct listing *l);

/* ---- the files' hashes and the duplicate check (form_files.c) ---- */

/* Hash at most budget bytes more of the files (in order). True while some are left. */
bool fm_hash_step(struct form_model *m, size_t budget);
/* Files changed since they were hashed (size or date) are hashed again: the hash goes into
 * the history with the upload. */
void fm_hash_recheck(struct form_model *m);
/* Bytes hashed of all, and of how many (for "checking ... 40%"). */
void fm_hash_progress(const struct form_model *m, uint64_t *done, uint64_t *of);
/* Look every hashed file up in the history: same content, same candidate, same integration
 * on the same server, attached before. Marks them (dup, dup_time); returns how many. */
size_t fm_find_duplicates(struct form_model *m, const char *server_label, const char *integration_id);

#endif
