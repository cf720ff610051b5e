/* Settings merged from flags, then environment, then the config file; each value
 * remembers where it came from (for --show-config). */
#ifndef KA_SETTINGS_H
#define KA_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum setting_source { SRC_DEFAULT, SRC_FILE, SRC_ENV, SRC_FLAG, SRC_SANDBOX };

struct setting {
    char *value;                 /* NULL when unset */
    enum setting_source source;
    char *origin;                /* e.g. "KOMBO_API_KEY", "--api-key", "~/.config/.../config [work]" */
};

struct settings {
    struct setting api_key;
    struct setting integration_id;
    struct setting server;       /* eu | us */
    struct setting base_url;     /* overrides server */
    struct setting default_type; /* CV | COVER_LETTER | OTHER */
    struct setting start_dir;
    struct setting cacert;
    struct setting max_size;     /* largest file to send, e.g. "100MiB" */
    struct setting profile;
    struct setting index;        /* "on" | "off": the local candidate index (index.h) */
    char *config_path;           /* the file read (or that would be read) */
};

/* Fill from environment and config file on top of whatever flags already set.
 * flags: a settings struct with only SRC_FLAG values set (others NULL).
 * Returns 0, or KA_EXIT_CONFIG/KA_EXIT_USAGE with a one-line message. */
int settings_load(struct settings *s, char *err, size_t errlen);
/* Set a value with its source (copies). */
void setting_set(struct setting *st, const char *value, enum setting_source src, const char *origin);
/* The setting a command-line flag sets ("--server": &s->server), or NULL; for flag parsers:
 * setting_set(settings_for_flag(&s, "--server"), optarg, SRC_FLAG, "--server"). */
struct setting *settings_for_flag(struct settings *s, const char *flag);
/* The base URL to use: base_url, else the server's, else eu. */
const char *settings_base_url(const struct settings *s);
/* Whether the local candidate index may be used (index = off or --no-index: no). */
bool settings_index_enabled(const struct settings *s);
/* Print merged settings, one per line with their source; the key redacted. */
void settings_print(const struct settings *s, FILE *out);
void settings_free(struct settings *s);
/* "sk_live_…(redacted, 32 chars)" style redaction; caller frees. */
char *settings_redact(const char *secret);

#endif
