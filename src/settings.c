/* Settings merged from flags, environment and the config file (INI, parsed by inih).
 *
 * The file: top-level keys, and [profile NAME] sections with the same keys that override
 * the top level when that profile is selected (--profile or KOMBO_PROFILE). Precedence for
 * each value: flag > environment > selected profile > top level > default. */
#include "settings.h"

#include "format.h"

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

#define URL_EU "https://api.kombo.dev/v1"
#define URL_US "https://api.us.kombo.dev/v1"

/* More output than this from api_key_command is not a key; the rest is drained unread so
 * the command does not die of SIGPIPE. */
#define KEY_CMD_MAX 8192

enum key_id {
    K_API_KEY, K_API_KEY_COMMAND, K_INTEGRATION_ID, K_SERVER, K_BASE_URL,
    K_DEFAULT_TYPE, K_START_DIR, K_CACERT, K_MAX_SIZE, K_COUNT
};

static const char *const key_names[K_COUNT] = {
    "api_key", "api_key_command", "integration_id", "server", "base_url",
    "default_type", "start_dir", "cacert", "max_size",
};

/* Values one section of the file gave, with the line each came from. */
struct layer {
    char *val[K_COUNT];
    int line[K_COUNT];
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
    setting_free(&s->api_key);
    setting_free(&s->integration_id);
    setting_free(&s->server);
    setting_free(&s->base_url);
    setting_free(&s->default_type);
    setting_free(&s->start_dir);
    setting_free(&s->max_size);
    setting_free(&s->cacert);
    setting_free(&s->profile);
    free(s->config_path);
    s->config_path = NULL;
}

const char *settings_base_url(const struct settings *s)
{
    if (s->base_url.value && *s->base_url.value)
        return s->base_url.value;
    if (s->server.value && strcasecmp(s->server.value, "us") == 0)
        return URL_US;
    return URL_EU;
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

static int find_key(const char *name)
{
    for (int i = 0; i < K_COUNT; i++)
        if (strcasecmp(name, key_names[i]) == 0)
            return i;
    return -1;
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

/* Validate and normalise a value; NULL when fine, else a static problem. */
static const char *check_value(int k, char *v)
{
    switch (k) {
    case K_SERVER:
        if (strcasecmp(v, "eu") != 0 && strcasecmp(v, "us") != 0)
            return "server must be eu or us";
        for (char *p = v; *p; p++)
            *p = (char)(*p | 0x20);
        return NULL;
    case K_BASE_URL:
        if (strncasecmp(v, "https://", 8) != 0 && strncasecmp(v, "http://", 7) != 0)
            return "base_url must start with https:// (or http:// for a local mock)";
        return NULL;
    case K_MAX_SIZE: {
        uint64_t n;
        if (fmt_parse_bytes(v, &n) != 0 || n == 0)
            return "max_size must be a size such as 25M, 100MiB or 1G";
        return NULL;
    }
    case K_DEFAULT_TYPE: {
        enum att_type t;
        if (att_type_parse(v, &t) != 0)
            return "default_type must be CV, COVER_LETTER or OTHER";
        /* Canonical spelling; the buffer is long enough as "cover-letter" has the same length. */
        strcpy(v, att_type_name(t));
        return NULL;
    }
    default:
        return NULL;
    }
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

    int k = find_key(name);
    if (k < 0)
        return set_parse_error(c, "unknown key \"%s\" (known: api_key, api_key_command, integration_id, "
                               "server, base_url, default_type, start_dir, cacert, max_size)", name);

    /* Accept values written in quotes, as people do. */
    char *v = xstrdup(value);
    size_t n = strlen(v);
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
        memmove(v, v + 1, n - 2);
        v[n - 2] = '\0';
    }
    if (!*v) {
        free(v);
        return set_parse_error(c, "%s has no value", key_names[k]);
    }
    const char *problem = check_value(k, v);
    if (problem) {
        secret_free(v);
        return set_parse_error(c, "%s", problem);
    }
    if (k == K_API_KEY || k == K_API_KEY_COMMAND)
        c->holds_key = true;
    if (k == K_API_KEY_COMMAND)
        c->holds_command = true;
    if (!dst) {
        secret_free(v);
        return 1;
    }
    /* api_key and api_key_command are two spellings of one value: in one section the
     * later line wins, so a profile's command overrides a top-level key and vice versa. */
    if (k == K_API_KEY || k == K_API_KEY_COMMAND) {
        int other = k == K_API_KEY ? K_API_KEY_COMMAND : K_API_KEY;
        secret_free(dst->val[other]);
        dst->val[other] = NULL;
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
    for (int i = 0; i < K_COUNT; i++)
        secret_free(l->val[i]);
}

/* Run api_key_command through the shell; its first output line, trimmed, is the key.
 * The output is never shown: on failure it could be the key, or part of it. */
static int run_key_command(const char *cmd, const char *where, char **key, char *err, size_t errlen)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "cannot run api_key_command (%s): %s", where, strerror(errno));
        return KA_EXIT_CONFIG;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        snprintf(err, errlen, "cannot run api_key_command (%s): %s", where, strerror(errno));
        return KA_EXIT_CONFIG;
    }
    if (pid == 0) {
        if (dup2(fds[1], STDOUT_FILENO) < 0)
            _exit(127);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char *buf = xmalloc(KEY_CMD_MAX);
    size_t len = 0;
    char sink[4096];
    for (;;) {
        ssize_t r = len < KEY_CMD_MAX ? read(fds[0], buf + len, KEY_CMD_MAX - len)
                                      : read(fds[0], sink, sizeof sink);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (len < KEY_CMD_MAX)
            len += (size_t)r;
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;

    int rc = 0;
    if (WIFSIGNALED(status)) {
        snprintf(err, errlen, "api_key_command (%s) was killed by signal %d — run it yourself to see why",
                 where, WTERMSIG(status));
        rc = KA_EXIT_CONFIG;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen, "api_key_command (%s) failed with exit status %d — run it yourself to see why",
                 where, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        rc = KA_EXIT_CONFIG;
    } else if (!(*key = secret_first_line(buf, len)) || !**key) { /* "" : a NUL byte first */
        secret_free(*key);
        *key = NULL;
        snprintf(err, errlen, "api_key_command (%s) printed no key — make it print the key on its "
                 "first line", where);
        rc = KA_EXIT_CONFIG;
    }
    explicit_bzero(buf, KEY_CMD_MAX);
    free(buf);
    return rc;
}

static struct setting *setting_for(struct settings *s, int k)
{
    switch (k) {
    case K_API_KEY: return &s->api_key;
    case K_INTEGRATION_ID: return &s->integration_id;
    case K_SERVER: return &s->server;
    case K_BASE_URL: return &s->base_url;
    case K_DEFAULT_TYPE: return &s->default_type;
    case K_START_DIR: return &s->start_dir;
    case K_CACERT: return &s->cacert;
    case K_MAX_SIZE: return &s->max_size;
    default: return NULL;
    }
}

/* Environment variables, by key; NULL where the environment has no say. */
static const char *env_name(int k)
{
    switch (k) {
    case K_API_KEY: return "KOMBO_API_KEY";
    case K_INTEGRATION_ID: return "KOMBO_INTEGRATION_ID";
    case K_SERVER: return "KOMBO_SERVER";
    case K_BASE_URL: return "KOMBO_BASE_URL";
    default: return NULL;
    }
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

int settings_load(struct settings *s, char *err, size_t errlen)
{
    struct parse_ctx c = {0};
    int rc = 0;
    char origin[4200];
    if (errlen)
        err[0] = '\0';

    const char *env_cfg = getenv("KOMBO_CONFIG");
    bool explicit_path = env_cfg && *env_cfg;
    free(s->config_path);
    s->config_path = explicit_path ? xstrdup(env_cfg) : default_config_path();

    if (!s->profile.value) {
        const char *p = getenv("KOMBO_PROFILE");
        if (p && *p)
            setting_set(&s->profile, p, SRC_ENV, "KOMBO_PROFILE");
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

    for (int k = 0; k < K_COUNT && !rc; k++) {
        struct setting *st = setting_for(s, k);
        if (!st)
            continue;
        if (st->value && st->source == SRC_FLAG) {
            const char *problem = k == K_API_KEY ? NULL : check_value(k, st->value);
            if (problem) {
                snprintf(err, errlen, "%s (%s) — %s", problem, st->origin ? st->origin : "flag",
                         k == K_SERVER ? "use --server eu or --server us" : "fix the flag");
                rc = KA_EXIT_USAGE;
            }
            continue;
        }
        const char *env = env_name(k) ? getenv(env_name(k)) : NULL;
        if (env && *env) {
            char *v = xstrdup(env);
            const char *problem = check_value(k, v);
            if (problem) {
                snprintf(err, errlen, "%s (from %s) — fix or unset %s", problem, env_name(k), env_name(k));
                rc = KA_EXIT_USAGE;
            } else {
                setting_set(st, v, SRC_ENV, env_name(k));
            }
            secret_free(v);
            continue;
        }
        /* File: the selected profile first, then the top level. */
        struct layer *layers[2] = { &c.prof, &c.top };
        for (int i = 0; i < 2; i++) {
            struct layer *l = layers[i];
            const char *sect = i == 0 ? " [profile " : "";
            const char *sect_end = i == 0 ? "]" : "";
            const char *prof = i == 0 ? c.want_profile : "";
            if (k == K_API_KEY && l->val[K_API_KEY_COMMAND]) {
                snprintf(origin, sizeof origin, "api_key_command in %s%s%s%s line %d", shown, sect, prof,
                         sect_end, l->line[K_API_KEY_COMMAND]);
                char *key = NULL;
                rc = run_key_command(l->val[K_API_KEY_COMMAND], origin, &key, err, errlen);
                if (!rc)
                    setting_set(st, key, SRC_FILE, origin);
                secret_free(key);
                break;
            }
            if (l->val[k]) {
                snprintf(origin, sizeof origin, "%s%s%s%s line %d", shown, sect, prof, sect_end, l->line[k]);
                setting_set(st, l->val[k], SRC_FILE, origin);
                break;
            }
        }
    }
    free(shown);
    if (rc)
        goto out;

    if (!s->server.value)
        setting_set(&s->server, "eu", SRC_DEFAULT, "default");
    if (!s->default_type.value)
        setting_set(&s->default_type, "CV", SRC_DEFAULT, "default");
    if (!s->max_size.value)
        setting_set(&s->max_size, "100MiB", SRC_DEFAULT, "default");
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
    print_line(out, "profile", &s->profile, false);
    print_line(out, "api_key", &s->api_key, true);
    print_line(out, "integration_id", &s->integration_id, false);
    print_line(out, "server", &s->server, false);
    if (s->base_url.value) {
        print_line(out, "base_url", &s->base_url, false);
    } else {
        fprintf(out, "%-15s %s  (from server %s)\n", "base_url", settings_base_url(s),
                s->server.value ? s->server.value : "eu");
    }
    print_line(out, "default_type", &s->default_type, false);
    print_line(out, "start_dir", &s->start_dir, false);
    print_line(out, "max_size", &s->max_size, false);
    print_line(out, "cacert", &s->cacert, false);
}
