/* Settings merged from flags, environment and the config file (INI, parsed by inih).
 *
 * The file: top-level keys, and [profile NAME] sections with the same keys that override
 * the top level when that profile is selected (--profile or KOMBO_PROFILE). Precedence for
 * each value: flag > environment > selected profile > top level > default. */
#include "settings.h"

#include "format.h"
#include "fsutil.h"
#include "kombo.h"
#include "numparse.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attachment.h"
#include "exitcodes.h"
#include "secret.h"
#include "termsafe.h"
#include "xalloc.h"


/* More output than this from api_key_command is not a key; the rest is drained unread so
 * the command does not die of SIGPIPE. */

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

enum {
    KEY_NOT_IN_FILE = 1u << 0, /* no key in the config file (the profile picks the section) */
    KEY_SECRET = 1u << 1,      /* the API key: the file must not be readable by others */
    KEY_COMMAND = 1u << 2,     /* a command whose output is the value: the file must not be
                                  writable by others */
};

/* Every setting, once: loading (flag, then environment, then the file), the file's keys,
 * the environment's variables and --show-config (in this order) all read this table. Rows
 * with the same offset are two spellings of one setting (api_key and api_key_command). */
static const struct key {
    const char *name;            /* key in the config file, and --show-config's label */
    const char *env;             /* environment variable, or NULL */
    const char *flag;            /* command-line flag, or NULL */
    size_t offset;               /* of its struct setting in struct settings */
    const char *(*check)(char *v); /* NULL: any value */
    const char *def;             /* default value, or NULL */
    const char *flag_fix;        /* what to say after a bad flag value; NULL: "fix the flag" */
    unsigned flags;
} keys[] = {
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
#define N_KEYS (sizeof keys / sizeof keys[0])

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
    for (size_t k = 0; k < N_KEYS; k++)
        if (keys[k].offset == offset)
            return &keys[k];
    return NULL;
}

/* True when row k is the first row of its setting (api_key, not api_key_command). */
static bool first_spelling(size_t k)
{
    return key_of(keys[k].offset) == &keys[k];
}

/* Values one section of the file gave, with the line each came from. */
struct layer {
    char *val[N_KEYS];   /* by row of keys[] */
    int line[N_KEYS];
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
    for (size_t k = 0; k < N_KEYS; k++)
        setting_free(setting_at(s, &keys[k]));
    free(s->config_path);
    s->config_path = NULL;
}

struct setting *settings_for_flag(struct settings *s, const char *flag)
{
    for (size_t k = 0; k < N_KEYS; k++)
        if (keys[k].flag && strcmp(keys[k].flag, flag) == 0)
            return setting_at(s, &keys[k]);
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

/* "~/..." for paths under $HOME, to keep origins short. Caller frees. */
static char *display_path(const char *path)
{
    const char *home = getenv("HOME");
    size_t hl = home ? strlen(home) : 0;
    if (hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/')
        return xasprintf("~%s", path + hl);
    return xstrdup(path);
}

static char *default_config_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    /* The XDG spec says relative values are invalid and must be ignored. */
    if (xdg && xdg[0] == '/')
        return xasprintf("%s/kombo-attach/config", xdg);
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : "/";
    }
    return xasprintf("%s/.config/kombo-attach/config", home);
}

/* The row of a config file key, or -1. */
static int find_key(const char *name)
{
    for (size_t k = 0; k < N_KEYS; k++)
        if (!(keys[k].flags & KEY_NOT_IN_FILE) && strcasecmp(name, keys[k].name) == 0)
            return (int)k;
    return -1;
}

/* "api_key, api_key_command, ..." into buf: the keys a file may hold. */
static void key_list(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < N_KEYS && used < len; k++) {
        if (keys[k].flags & KEY_NOT_IN_FILE)
            continue;
        int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", keys[k].name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Remember each profile name once. */
static void profile_note(struct parse_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->n_profiles; i++)
        if (strcmp(c->profiles[i], name) == 0)
            return;
    c->profiles = xrealloc(c->profiles, (c->n_profiles + 1) * sizeof *c->profiles);
    c->profiles[c->n_profiles++] = xstrdup(name);
}

/* The profile names joined with ", " into buf. */
static void profile_list(const struct parse_ctx *c, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->n_profiles && used < len; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "", c->profiles[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int set_parse_error(struct parse_ctx *c, const char *fmt, const char *arg)
{
    if (!c->err_line) {
        c->err_line = c->line;
        snprintf(c->err, sizeof c->err, fmt, arg);
    }
    return 0;
}

/* Validate and normalise a value of row k; NULL when fine, else a static problem. */
static const char *check_value(size_t k, char *v)
{
    return keys[k].check ? keys[k].check(v) : NULL;
}

static int on_ini_line(void *user, const char *section, const char *name, const char *value)
{
    struct parse_ctx *c = user;
    struct layer *dst = &c->top;

    if (section[0]) {
        if (strncasecmp(section, "profile ", 8) != 0 || !section[8])
            return set_parse_error(c, "unknown section [%s] — only [profile NAME] sections are allowed",
                                   section);
        const char *pname = section + 8;
        while (*pname == ' ')
            pname++;
        if (!*pname)
            return set_parse_error(c, "%s", "a [profile NAME] section needs a name");
        profile_note(c, pname);
        if (c->want_profile && strcmp(pname, c->want_profile) == 0) {
            c->profile_seen = true;
            dst = &c->prof;
        } else {
            dst = NULL; /* another profile: checked, not kept */
        }
    }

    int found = find_key(name);
    if (found < 0) {
        char known[200], fmt[240];
        key_list(known, sizeof known);
        snprintf(fmt, sizeof fmt, "unknown key \"%%s\" (known: %s)", known);
        return set_parse_error(c, fmt, name);
    }
    size_t k = (size_t)found;

    /* Accept values written in quotes, as people do. */
    char *v = xstrdup(value);
    size_t n = strlen(v);
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
        memmove(v, v + 1, n - 2);
        v[n - 2] = '\0';
    }
    if (!*v) {
        free(v);
        return set_parse_error(c, "%s has no value", keys[k].name);
    }
    const char *problem = check_value(k, v);
    if (problem) {
        secret_free(v);
        return set_parse_error(c, "%s", problem);
    }
    if (keys[k].flags & KEY_SECRET)
        c->holds_key = true;
    if (keys[k].flags & KEY_COMMAND)
        c->holds_command = true;
    if (!dst) {
        secret_free(v);
        return 1;
    }
    /* Two spellings of one setting (api_key and api_key_command): in one section the later
     * line wins, so a profile's command overrides a top-level key and vice versa. */
    for (size_t other = 0; other < N_KEYS; other++) {
        if (other != k && keys[other].offset == keys[k].offset) {
            secret_free(dst->val[other]);
            dst->val[other] = NULL;
        }
    }
    secret_free(dst->val[k]);
    dst->val[k] = v;
    dst->line[k] = c->line;
    return 1;
}

/* inih's line reader, wrapped: counts lines for messages and origins, strips leading
 * blanks (inih would take an indented line for the continuation of the previous value,
 * silently swallowing an indented key), and refuses lines longer than inih's buffer
 * instead of letting them be split in two. */
static char *read_ini_line(char *str, int num, void *stream)
{
    struct parse_ctx *c = stream;
    if (c->err_line)
        return NULL;
    if (!fgets(str, num, c->f))
        return NULL;
    c->line++;
    size_t n = strlen(str);
    if (n == (size_t)num - 1 && str[n - 1] != '\n') {
        /* A full buffer without a newline is a long line, unless the file ends right here. */
        int next = getc(c->f);
        if (next != EOF) {
            set_parse_error(c, "the line is longer than %s characters — shorten it", "198");
            return NULL;
        }
    }
    size_t skip = strspn(str, " \t");
    if (skip)
        memmove(str, str + skip, n - skip + 1);
    return str;
}

static void layer_free(struct layer *l)
{
    for (size_t i = 0; i < N_KEYS; i++)
        secret_free(l->val[i]);
}

/* api_key_command's time limit: 30 s, or KOMBO_KEY_COMMAND_TIMEOUT seconds (1 to 3600). */
static unsigned command_timeout(void)
{
    long v;
    const char *e = getenv("KOMBO_KEY_COMMAND_TIMEOUT");
    return e && num_parse_long(e, 1, 3600, &v) == 0 ? (unsigned)v : SECRET_COMMAND_TIMEOUT_S;
}

/* Read and check the file. Returns 0 (also when it does not exist), or an exit code. */
static int read_config(struct settings *s, bool explicit_path, struct parse_ctx *c, bool *found,
                       char *err, size_t errlen)
{
    char *shown = display_path(s->config_path);
    int rc = 0;
    *found = false;
    int fd = open(s->config_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT && !explicit_path)
            goto out;
        if (errno == ENOENT)
            snprintf(err, errlen, "KOMBO_CONFIG names %s, which does not exist — fix or unset KOMBO_CONFIG",
                     shown);
        else
            snprintf(err, errlen, "cannot read %s: %s", shown, strerror(errno));
        rc = KA_EXIT_CONFIG;
        goto out;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        snprintf(err, errlen, "%s is not a regular file — point KOMBO_CONFIG at a file", shown);
        rc = KA_EXIT_CONFIG;
        goto out;
    }
    /* Whatever it holds: a base_url or cacert someone else put there would send our key to
     * their server. */
    char why[600];
    if (fs_check_private_path(s->config_path, why, sizeof why) != 0) {
        close(fd);
        snprintf(err, errlen, "refusing the config file: %s", why);
        rc = KA_EXIT_CONFIG;
        goto out;
    }
    c->f = fdopen(fd, "r");
    if (!c->f) {
        close(fd);
        snprintf(err, errlen, "cannot read %s: %s", shown, strerror(errno));
        rc = KA_EXIT_CONFIG;
        goto out;
    }
    *found = true;
    int prc = ini_parse_stream(read_ini_line, c, on_ini_line, c);
    int read_failed = ferror(c->f);
    fclose(c->f);
    c->f = NULL;
    if (c->err_line) {
        snprintf(err, errlen, "%s line %d: %s", shown, c->err_line, c->err);
        rc = KA_EXIT_CONFIG;
    } else if (prc > 0) {
        snprintf(err, errlen, "%s line %d: not a \"key = value\" line or a [section] — fix the line",
                 shown, prc);
        rc = KA_EXIT_CONFIG;
    } else if (prc < 0 || read_failed) {
        snprintf(err, errlen, "cannot read %s", shown);
        rc = KA_EXIT_CONFIG;
    } else if (c->holds_key && (st.st_mode & (S_IRGRP | S_IROTH))) {
        snprintf(err, errlen, "%s holds an API key and is readable by others; run: chmod 600 %s",
                 shown, shown);
        rc = KA_EXIT_CONFIG;
    } else if (c->holds_command && (st.st_mode & (S_IWGRP | S_IWOTH))) {
        /* Whoever can write the file can make api_key_command run anything as us. */
        snprintf(err, errlen, "%s runs api_key_command and is writable by others; run: chmod 600 %s",
                 shown, shown);
        rc = KA_EXIT_CONFIG;
    }
out:
    free(shown);
    return rc;
}

/* One setting (row k): a flag's value is only checked; else the environment's; else the
 * file's, the selected profile before the top level, under any of the setting's
 * spellings. Returns 0 or an exit code with a message. */
static int load_one(struct settings *s, size_t k, const struct parse_ctx *c, const char *shown,
                    char *err, size_t errlen)
{
    const struct key *key = &keys[k];
    struct setting *st = setting_at(s, key);
    if (st->value && st->source == SRC_FLAG) {
        const char *problem = check_value(k, st->value);
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
        const char *problem = check_value(k, v);
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
        for (size_t q = 0; q < N_KEYS; q++) {
            if (keys[q].offset != key->offset || !l->val[q])
                continue;
            if (!(keys[q].flags & KEY_COMMAND)) {
                snprintf(origin, sizeof origin, "%s%s%s%s line %d", shown, sect, prof, sect_end,
                         l->line[q]);
                setting_set(st, l->val[q], SRC_FILE, origin);
                return 0;
            }
            snprintf(origin, sizeof origin, "%s in %s%s%s%s line %d", keys[q].name, shown, sect,
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
    s->config_path = explicit_path ? xstrdup(env_cfg) : default_config_path();

    /* The profile first: it says which section of the file counts. */
    const struct key *pk = key_of(offsetof(struct settings, profile));
    if (!s->profile.value) {
        const char *p = getenv(pk->env);
        if (p && *p)
            setting_set(&s->profile, p, SRC_ENV, pk->env);
    }
    c.want_profile = s->profile.value;

    bool found = false;
    rc = read_config(s, explicit_path, &c, &found, err, errlen);
    if (rc)
        goto out;

    char *shown = display_path(s->config_path);
    if (c.want_profile && !c.profile_seen) {
        if (!found)
            snprintf(err, errlen, "profile \"%s\" (%s) not found: there is no config file at %s — "
                     "create it with a [profile %s] section", c.want_profile, s->profile.origin,
                     shown, c.want_profile);
        else if (c.n_profiles) {
            char names[1024];
            profile_list(&c, names, sizeof names);
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

    for (size_t k = 0; k < N_KEYS && !rc; k++)
        if (!(keys[k].flags & KEY_NOT_IN_FILE) && first_spelling(k))
            rc = load_one(s, k, &c, shown, err, errlen);
    free(shown);
    if (rc)
        goto out;

    for (size_t k = 0; k < N_KEYS; k++) {
        struct setting *st = setting_at(s, &keys[k]);
        if (keys[k].def && !st->value)
            setting_set(st, keys[k].def, SRC_DEFAULT, "default");
    }
out:
    layer_free(&c.top);
    layer_free(&c.prof);
    for (size_t i = 0; i < c.n_profiles; i++)
        free(c.profiles[i]);
    free(c.profiles);
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
        char *shown = display_path(s->config_path);
        struct stat st;
        fprintf(out, "%-15s ", "config file");
        print_safe(out, shown);
        fputs(stat(s->config_path, &st) == 0 ? "\n" : "  (not found)\n", out);
        free(shown);
    }
    for (size_t k = 0; k < N_KEYS; k++) {
        if (!first_spelling(k))
            continue;
        const struct setting *st = setting_at_const(s, &keys[k]);
        if (keys[k].offset == offsetof(struct settings, base_url) && !st->value)
            fprintf(out, "%-15s %s  (from server %s)\n", keys[k].name, settings_base_url(s),
                    s->server.value ? s->server.value : "eu");
        else
            print_line(out, keys[k].name, st, keys[k].flags & KEY_SECRET);
    }
}
