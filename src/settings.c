/* Settings merged from flags, environment and the config file (INI, parsed by inih).
 *
 * The file: top-level keys, and [profile NAME] sections with the same keys that override
 * the top level when that profile is selected (--profile or KOMBO_PROFILE). Precedence for
 * each value: flag > environment > selected profile > top level > default. Reading the file
 * itself is settings_file.c's. */
#include "settings_priv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "attachment.h"
#include "exitcodes.h"
#include "format.h"
#include "kombo.h"
#include "numparse.h"
#include "secret.h"
#include "termsafe.h"
#include "xalloc.h"

/* Validators: NULL when v is fine (normalised in place), else the problem, one line. */
static const char *check_server(char *v)
{
    if (strcasecmp(v, "eu") != 0 && strcasecmp(v, "us") != 0)
        return "server must be eu or us";
    for (char *p = v; *p; p++)
        *p = (char)(*p | 0x20);
    return NULL;
}

static const char *check_base_url(char *v)
{
    if (strncasecmp(v, "https://", 8) != 0 && strncasecmp(v, "http://", 7) != 0)
        return "base_url must start with https:// (or http:// for a local mock)";
    return NULL;
}

static const char *check_type(char *v)
{
    enum att_type t;
    if (att_type_parse(v, &t) != 0)
        return "default_type must be CV, COVER_LETTER or OTHER";
    /* Canonical spelling; the buffer is long enough as "cover-letter" has the same length. */
    strcpy(v, att_type_name(t));
    return NULL;
}

static const char *check_size(char *v)
{
    uint64_t n;
    if (fmt_parse_bytes(v, &n) != 0 || n == 0)
        return "max_size must be a size such as 25M, 100MiB or 1G";
    return NULL;
}

/* index = on | off (also yes/no, true/false, 1/0), kept as "on" or "off". */
static const char *check_index(char *v)
{
    static const char *const on[] = { "on", "yes", "true", "1" }, *const off[] = { "off", "no",
                                                                                  "false", "0" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, on[i]) == 0) {
            strcpy(v, "on");
            return NULL;
        }
        if (strcasecmp(v, off[i]) == 0) {
            strcpy(v, "off");
            return NULL;
        }
    }
    return "index must be on or off";
}

/* The table (settings_priv.h says what it is for). Its size is the header's
 * SETTINGS_N_KEYS: a row more or less does not compile. */
const struct key settings_keys[] = {
    { "profile", "KOMBO_PROFILE", "--profile", offsetof(struct settings, profile), NULL, NULL,
      NULL, KEY_NOT_IN_FILE },
    { "api_key", "KOMBO_API_KEY", "--api-key-file", offsetof(struct settings, api_key), NULL, NULL,
      NULL, KEY_SECRET },
    { "api_key_command", NULL, NULL, offsetof(struct settings, api_key), NULL, NULL, NULL,
      KEY_SECRET | KEY_COMMAND },
    { "integration_id", "KOMBO_INTEGRATION_ID", "--integration-id",
      offsetof(struct settings, integration_id), NULL, NULL, NULL, 0 },
    { "server", "KOMBO_SERVER", "--server", offsetof(struct settings, server), check_server, "eu",
      "use --server eu or --server us", 0 },
    { "base_url", "KOMBO_BASE_URL", "--base-url", offsetof(struct settings, base_url),
      check_base_url, NULL, NULL, 0 },
    { "default_type", NULL, "--type", offsetof(struct settings, default_type), check_type, "CV",
      NULL, 0 },
    { "start_dir", NULL, NULL, offsetof(struct settings, start_dir), NULL, NULL, NULL, 0 },
    { "cacert", NULL, "--cacert", offsetof(struct settings, cacert), NULL, NULL, NULL, 0 },
    { "max_size", NULL, "--max-size", offsetof(struct settings, max_size), check_size, "100MiB",
      NULL, 0 },
    { "index", NULL, "--no-index", offsetof(struct settings, index), check_index, "on", NULL, 0 },
};

static struct setting *setting_at(struct settings *s, const struct key *k)
{
    return (struct setting *)((char *)s + k->offset);
}

static const struct setting *setting_at_const(const struct settings *s, const struct key *k)
{
    return (const struct setting *)((const char *)s + k->offset);
}

/* The first row of the setting at offset (its main spelling). */
static const struct key *key_of(size_t offset)
{
    for (size_t k = 0; k < SETTINGS_N_KEYS; k++)
        if (settings_keys[k].offset == offset)
            return &settings_keys[k];
    return NULL;
}

/* True when row k is the first row of its setting (api_key, not api_key_command). */
static bool first_spelling(size_t k)
{
    return key_of(settings_keys[k].offset) == &settings_keys[k];
}

void setting_set(struct setting *st, const char *value, enum setting_source src, const char *origin)
{
    /* Copy first: value may point into st's own strings. */
    char *v = value ? xstrdup(value) : NULL;
    char *o = origin ? xstrdup(origin) : NULL;
    secret_free(st->value);
    free(st->origin);
    st->value = v;
    st->origin = o;
    st->source = src;
}

static void setting_free(struct setting *st)
{
    secret_free(st->value);
    free(st->origin);
    memset(st, 0, sizeof *st);
}

void settings_free(struct settings *s)
{
    for (size_t k = 0; k < SETTINGS_N_KEYS; k++)
        setting_free(setting_at(s, &settings_keys[k]));
    free(s->config_path);
    s->config_path = NULL;
}

struct setting *settings_for_flag(struct settings *s, const char *flag)
{
    for (size_t k = 0; k < SETTINGS_N_KEYS; k++)
        if (settings_keys[k].flag && strcmp(settings_keys[k].flag, flag) == 0)
            return setting_at(s, &settings_keys[k]);
    return NULL;
}

bool settings_index_enabled(const struct settings *s)
{
    return !s->index.value || strcmp(s->index.value, "off") != 0;
}

const char *settings_base_url(const struct settings *s)
{
    if (s->base_url.value && *s->base_url.value)
        return s->base_url.value;
    if (s->server.value && strcasecmp(s->server.value, "us") == 0)
        return KOMBO_URL_US;
    return KOMBO_URL_EU;
}

char *settings_redact(const char *secret)
{
    size_t n = secret ? strlen(secret) : 0;
    if (n == 0)
        return xstrdup("(unset)");
    /* The last 4 characters help tell two keys apart; for short keys they would be too
     * large a share of the secret, so nothing is shown. Non-printable tails are hidden too. */
    bool tail_ok = n >= 12;
    for (size_t i = n >= 4 ? n - 4 : 0; tail_ok && i < n; i++)
        if ((unsigned char)secret[i] < 0x21 || (unsigned char)secret[i] > 0x7e)
            tail_ok = false;
    if (tail_ok)
        return xasprintf("****…%s (%zu chars)", secret + n - 4, n);
    return xasprintf("**** (%zu chars)", n);
}

const char *settings_check_value(size_t k, char *v)
{
    return settings_keys[k].check ? settings_keys[k].check(v) : NULL;
}

/* api_key_command's time limit: 30 s, or KOMBO_KEY_COMMAND_TIMEOUT seconds (1 to 3600). */
static unsigned command_timeout(void)
{
    long v;
    const char *e = getenv("KOMBO_KEY_COMMAND_TIMEOUT");
    return e && num_parse_long(e, 1, 3600, &v) == 0 ? (unsigned)v : SECRET_COMMAND_TIMEOUT_S;
}

/* One setting (row k): a flag's value is only checked; else the environment's; else the
 * file's, the selected profile before the top level, under any of the setting's
 * spellings. Returns 0 or an exit code with a message. */
static int load_one(struct settings *s, size_t k, const struct parse_ctx *c, const char *shown,
                    char *err, size_t errlen)
{
    const struct key *key = &settings_keys[k];
    struct setting *st = setting_at(s, key);
    if (st->value && st->source == SRC_FLAG) {
        const char *problem = settings_check_value(k, st->value);
        if (!problem)
            return 0;
        snprintf(err, errlen, "%s (%s) — %s", problem,
                 st->origin ? st->origin : key->flag ? key->flag : "flag",
                 key->flag_fix ? key->flag_fix : "fix the flag");
        return KA_EXIT_USAGE;
    }
    const char *env = key->env ? getenv(key->env) : NULL;
    if (env && *env) {
        char *v = xstrdup(env);
        const char *problem = settings_check_value(k, v);
        int rc = 0;
        if (problem) {
            snprintf(err, errlen, "%s (from %s) — fix or unset %s", problem, key->env, key->env);
            rc = KA_EXIT_USAGE;
        } else {
            setting_set(st, v, SRC_ENV, key->env);
        }
        secret_free(v);
        return rc;
    }
    const struct layer *layers[2] = { &c->prof, &c->top };
    char origin[4200];
    for (int i = 0; i < 2; i++) {
        const struct layer *l = layers[i];
        const char *sect = i == 0 ? " [profile " : "";
        const char *sect_end = i == 0 ? "]" : "";
        const char *prof = i == 0 ? c->want_profile : "";
        for (size_t q = 0; q < SETTINGS_N_KEYS; q++) {
            if (settings_keys[q].offset != key->offset || !l->val[q])
                continue;
            if (!(settings_keys[q].flags & KEY_COMMAND)) {
                snprintf(origin, sizeof origin, "%s%s%s%s line %d", shown, sect, prof, sect_end,
                         l->line[q]);
                setting_set(st, l->val[q], SRC_FILE, origin);
                return 0;
            }
            snprintf(origin, sizeof origin, "%s in %s%s%s%s line %d", settings_keys[q].name, shown, sect,
                     prof, sect_end, l->line[q]);
            char *value = NULL;
            int rc = secret_from_command(l->val[q], origin, command_timeout(), &value, err, errlen);
            if (!rc)
                setting_set(st, value, SRC_FILE, origin);
            secret_free(value);
            return rc;
        }
    }
    return 0;
}

int settings_load(struct settings *s, char *err, size_t errlen)
{
    struct parse_ctx c = {0};
    int rc = 0;
    if (errlen)
        err[0] = '\0';

    const char *env_cfg = getenv("KOMBO_CONFIG");
    bool explicit_path = env_cfg && *env_cfg;
    free(s->config_path);
    s->config_path = explicit_path ? xstrdup(env_cfg) : settings_default_config_path();

    /* The profile first: it says which section of the file counts. */
    const struct key *pk = key_of(offsetof(struct settings, profile));
    if (!s->profile.value) {
        const char *p = getenv(pk->env);
        if (p && *p)
            setting_set(&s->profile, p, SRC_ENV, pk->env);
    }
    c.want_profile = s->profile.value;

    bool found = false;
    rc = settings_read_config(s, explicit_path, &c, &found, err, errlen);
    if (rc)
        goto out;

    char *shown = settings_display_path(s->config_path);
    if (c.want_profile && !c.profile_seen) {
        if (!found)
            snprintf(err, errlen, "profile \"%s\" (%s) not found: there is no config file at %s — "
                     "create it with a [profile %s] section", c.want_profile, s->profile.origin,
                     shown, c.want_profile);
        else if (c.n_profiles) {
            char names[1024];
            settings_profile_list(&c, names, sizeof names);
            snprintf(err, errlen, "profile \"%s\" (%s) not found in %s — profiles there: %s",
                     c.want_profile, s->profile.origin, shown, names);
        }
        else
            snprintf(err, errlen, "profile \"%s\" (%s) not found: %s has no [profile NAME] sections",
                     c.want_profile, s->profile.origin, shown);
        free(shown);
        rc = KA_EXIT_USAGE;
        goto out;
    }

    for (size_t k = 0; k < SETTINGS_N_KEYS && !rc; k++)
        if (!(settings_keys[k].flags & KEY_NOT_IN_FILE) && first_spelling(k))
            rc = load_one(s, k, &c, shown, err, errlen);
    free(shown);
    if (rc)
        goto out;

    for (size_t k = 0; k < SETTINGS_N_KEYS; k++) {
        struct setting *st = setting_at(s, &settings_keys[k]);
        if (settings_keys[k].def && !st->value)
            setting_set(st, settings_keys[k].def, SRC_DEFAULT, "default");
    }
out:
    settings_parse_free(&c);
    return rc;
}

/* Print a value made safe for the terminal: paths and IDs come from users. */
static void print_safe(FILE *out, const char *s)
{
    char *safe = ts_escape(s, strlen(s), TS_ONE_LINE);
    fputs(safe, out);
    free(safe);
}

static void print_line(FILE *out, const char *label, const struct setting *st, bool secret)
{
    fprintf(out, "%-15s ", label);
    if (!st->value) {
        fputs("(unset)\n", out);
        return;
    }
    if (secret) {
        char *r = settings_redact(st->value);
        fputs(r, out);
        free(r);
    } else {
        print_safe(out, st->value);
    }
    fputs("  (", out);
    print_safe(out, st->origin ? st->origin : "?");
    fputs(")\n", out);
}

void settings_print(const struct settings *s, FILE *out)
{
    if (s->config_path) {
        char *shown = settings_display_path(s->config_path);
        struct stat st;
        fprintf(out, "%-15s ", "config file");
        print_safe(out, shown);
        fputs(stat(s->config_path, &st) == 0 ? "\n" : "  (not found)\n", out);
        free(shown);
    }
    for (size_t k = 0; k < SETTINGS_N_KEYS; k++) {
        if (!first_spelling(k))
            continue;
        const struct setting *st = setting_at_const(s, &settings_keys[k]);
        if (settings_keys[k].offset == offsetof(struct settings, base_url) && !st->value)
            fprintf(out, "%-15s %s  (from server %s)\n", settings_keys[k].name, settings_base_url(s),
                    s->server.value ? s->server.value : "eu");
        else
            print_line(out, settings_keys[k].name, st, settings_keys[k].flags & KEY_SECRET);
    }
}
