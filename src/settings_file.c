/* Reading the config file (settings_priv.h): refused unless only we can write it (and, when
 * it holds the key, read it); INI lines through inih with our own line reader; [profile
 * NAME] sections; every key and value checked against the settings table, the first problem
 * reported with its line. */
#include "settings_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "fsutil.h"
#include "secret.h"
#include "xalloc.h"

char *settings_display_path(const char *path)
{
    const char *home = getenv("HOME");
    size_t hl = home ? strlen(home) : 0;
    if (hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/')
        return xasprintf("~%s", path + hl);
    return xstrdup(path);
}

char *settings_default_config_path(void)
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
    for (size_t k = 0; k < SETTINGS_N_KEYS; k++)
        if (!(settings_keys[k].flags & KEY_NOT_IN_FILE) && strcasecmp(name, settings_keys[k].name) == 0)
            return (int)k;
    return -1;
}

/* "api_key, api_key_command, ..." into buf: the keys a file may hold. */
static void key_list(char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < SETTINGS_N_KEYS && used < len; k++) {
        if (settings_keys[k].flags & KEY_NOT_IN_FILE)
            continue;
        int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", settings_keys[k].name);
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

void settings_profile_list(const struct parse_ctx *c, char *buf, size_t len)
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
        return set_parse_error(c, "%s has no value", settings_keys[k].name);
    }
    const char *problem = settings_check_value(k, v);
    if (problem) {
        secret_free(v);
        return set_parse_error(c, "%s", problem);
    }
    if (settings_keys[k].flags & KEY_SECRET)
        c->holds_key = true;
    if (settings_keys[k].flags & KEY_COMMAND)
        c->holds_command = true;
    if (!dst) {
        secret_free(v);
        return 1;
    }
    /* Two spellings of one setting (api_key and api_key_command): in one section the later
     * line wins, so a profile's command overrides a top-level key and vice versa. */
    for (size_t other = 0; other < SETTINGS_N_KEYS; other++) {
        if (other != k && settings_keys[other].offset == settings_keys[k].offset) {
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
    for (size_t i = 0; i < SETTINGS_N_KEYS; i++)
        secret_free(l->val[i]);
}

int settings_read_config(struct settings *s, bool explicit_path, struct parse_ctx *c,
                         bool *found, char *err, size_t errlen)
{
    char *shown = settings_display_path(s->config_path);
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

void settings_parse_free(struct parse_ctx *c)
{
    layer_free(&c->top);
    layer_free(&c->prof);
    for (size_t i = 0; i < c->n_profiles; i++)
        free(c->profiles[i]);
    free(c->profiles);
    c->profiles = NULL;
    c->n_profiles = 0;
}
