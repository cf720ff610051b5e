/* Private to settings.c and settings_file.c: the table of settings and the config file's
 * reading, which both walk. */
#ifndef KA_SETTINGS_PRIV_H
#define KA_SETTINGS_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "settings.h"

enum {
    KEY_NOT_IN_FILE = 1u << 0, /* no key in the config file (the profile picks the section) */
    KEY_SECRET = 1u << 1,      /* the API key: the file must not be readable by others */
    KEY_COMMAND = 1u << 2,     /* a command whose output is the value: the file must not be
                                  writable by others */
};

/* One row of the table (settings.c): a setting's spellings and checks. */
struct key {
    const char *name;            /* key in the config file, and --show-config's label */
    const char *env;             /* environment variable, or NULL */
    const char *flag;            /* command-line flag, or NULL */
    size_t offset;               /* of its struct setting in struct settings */
    const char *(*check)(char *v); /* NULL: any value */
    const char *def;             /* default value, or NULL */
    const char *flag_fix;        /* what to say after a bad flag value; NULL: "fix the flag" */
    unsigned flags;
};

#define SETTINGS_N_KEYS 11
/* Every setting, once: loading (flag, then environment, then the file), the file's keys,
 * the environment's variables and --show-config (in this order) all read this table. Rows
 * with the same offset are two spellings of one setting (api_key and api_key_command). */
extern const struct key settings_keys[SETTINGS_N_KEYS];

/* Validate and normalise a value of row k; NULL when fine, else a static problem. */
const char *settings_check_value(size_t k, char *v);

/* Values one section of the file gave, with the line each came from. */
struct layer {
    char *val[SETTINGS_N_KEYS];   /* by row of keys[] */
    int line[SETTINGS_N_KEYS];
};

struct parse_ctx {
    const char *want_profile;   /* NULL: no profile selected */
    struct layer top, prof;
    bool profile_seen;
    char **profiles;            /* names seen, for the unknown-profile error */
    size_t n_profiles;
    bool holds_key;             /* api_key or api_key_command anywhere in the file */
    bool holds_command;
    int line;                   /* line being parsed, counted by our reader */
    int err_line;               /* first error's line, 0 = none */
    char err[256];
    FILE *f;
};

/* settings_file.c */
/* "~/..." for paths under $HOME, to keep origins short. Caller frees. */
char *settings_display_path(const char *path);
/* $XDG_CONFIG_HOME/kombo-attach/config, else ~/.config/kombo-attach/config. Caller frees. */
char *settings_default_config_path(void);
/* Read and check s->config_path into c. Returns 0 (also when it does not exist), or an exit
 * code with the message. */
int settings_read_config(struct settings *s, bool explicit_path, struct parse_ctx *c,
                         bool *found, char *err, size_t errlen);
/* The profile names c saw, joined with ", " into buf. */
void settings_profile_list(const struct parse_ctx *c, char *buf, size_t len);
/* Free what reading left in c. */
void settings_parse_free(struct parse_ctx *c);

#endif
