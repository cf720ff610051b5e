/* Unit tests for src/settings.c: precedence, profiles, permissions, api_key_command,
 * parse errors and redaction. Each test gets a fresh XDG_CONFIG_HOME. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "helpers.h"
#include <sys/stat.h>
#include "settings.h"

static char cfg_path[512];

static const char *const env_vars[] = {
    "KOMBO_API_KEY", "KOMBO_INTEGRATION_ID", "KOMBO_SERVER", "KOMBO_BASE_URL",
    "KOMBO_PROFILE", "KOMBO_CONFIG",
};

static int setup(void **state)
{
    if (th_setup_tempdir(state) != 0)
        return -1;
    for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; i++)
        unsetenv(env_vars[i]);
    setenv("XDG_CONFIG_HOME", th_dir, 1);
    th_path(cfg_path, sizeof cfg_path, "kombo-attach");
    if (mkdir(cfg_path, 0700) != 0)
        return -1;
    th_path(cfg_path, sizeof cfg_path, "kombo-attach/config");
    return 0;
}

static void write_config(const char *text, mode_t mode)
{
    assert_int_equal(th_write_text(cfg_path, text), 0);
    assert_int_equal(chmod(cfg_path, mode), 0);
}

/* One precedence case: a config file, environment, flags, and what should win. */
struct prec_case {
    const char *file;
    const char *env_integration, *env_server, *env_key;
    const char *flag_integration, *flag_server;
    const char *want_integration; enum setting_source src_integration; const char *origin_integration;
    const char *want_server; enum setting_source src_server;
    const char *want_key; enum setting_source src_key;
    const char *want_url;
};

static void test_precedence(void **state)
{
    (void)state;
    static const struct prec_case cases[] = {
        /* file only */
        { "api_key = file_key_0123456789\nintegration_id = file:int\nserver = us\n",
          NULL, NULL, NULL, NULL, NULL,
          "file:int", SRC_FILE, "line 2", "us", SRC_FILE, "file_key_0123456789", SRC_FILE,
          "https://api.us.kombo.dev/v1" },
        /* environment beats file */
        { "api_key = file_key_0123456789\nintegration_id = file:int\nserver = us\n",
          "env:int", "EU", "env_key_0123456789", NULL, NULL,
          "env:int", SRC_ENV, "KOMBO_INTEGRATION_ID", "eu", SRC_ENV, "env_key_0123456789", SRC_ENV,
          "https://api.kombo.dev/v1" },
        /* flags beat environment */
        { "integration_id = file:int\nserver = eu\n",
          "env:int", "eu", NULL, "flag:int", "us",
          "flag:int", SRC_FLAG, "--integration-id", "us", SRC_FLAG, NULL, SRC_DEFAULT,
          "https://api.us.kombo.dev/v1" },
        /* nothing anywhere: defaults */
        { NULL, NULL, NULL, NULL, NULL, NULL,
          NULL, SRC_DEFAULT, NULL, "eu", SRC_DEFAULT, NULL, SRC_DEFAULT, "https://api.kombo.dev/v1" },
        /* empty environment variables count as unset */
        { "integration_id = file:int\n", "", "", "", NULL, NULL,
          "file:int", SRC_FILE, "line 1", "eu", SRC_DEFAULT, NULL, SRC_DEFAULT, "https://api.kombo.dev/v1" },
    };
    char err[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct prec_case *c = &cases[i];
        unlink(cfg_path);
        if (c->file)
            write_config(c->file, 0600);
        if (c->env_integration) setenv("KOMBO_INTEGRATION_ID", c->env_integration, 1);
        else unsetenv("KOMBO_INTEGRATION_ID");
        if (c->env_server) setenv("KOMBO_SERVER", c->env_server, 1);
        else unsetenv("KOMBO_SERVER");
        if (c->env_key) setenv("KOMBO_API_KEY", c->env_key, 1);
        else unsetenv("KOMBO_API_KEY");

        struct settings s = {0};
        if (c->flag_integration)
            setting_set(&s.integration_id, c->flag_integration, SRC_FLAG, "--integration-id");
        if (c->flag_server)
            setting_set(&s.server, c->flag_server, SRC_FLAG, "--server");
        int rc = settings_load(&s, err, sizeof err);
        if (rc != 0)
            fail_msg("case %zu: rc %d: %s", i, rc, err);
        if (c->want_integration) {
            assert_non_null(s.integration_id.value);
            assert_string_equal(s.integration_id.value, c->want_integration);
            assert_int_equal(s.integration_id.source, c->src_integration);
            if (!strstr(s.integration_id.origin, c->origin_integration))
                fail_msg("case %zu: origin \"%s\" lacks \"%s\"", i, s.integration_id.origin,
                         c->origin_integration);
        } else {
            assert_null(s.integration_id.value);
        }
        assert_string_equal(s.server.value, c->want_server);
        assert_int_equal(s.server.source, c->src_server);
        if (c->want_key) {
            assert_non_null(s.api_key.value);
            assert_string_equal(s.api_key.value, c->want_key);
            assert_int_equal(s.api_key.source, c->src_key);
        } else {
            assert_null(s.api_key.value);
        }
        assert_string_equal(settings_base_url(&s), c->want_url);
        settings_free(&s);
    }
}

static void test_base_url_and_defaults(void **state)
{
    (void)state;
    char err[512];
    write_config("base_url = http://127.0.0.1:8080/v1\ndefault_type = cover-letter\n"
                 "start_dir = \"/home/ada/CVs\"\ncacert = /etc/ca.pem\n", 0600);
    struct settings s = {0};
    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    assert_string_equal(settings_base_url(&s), "http://127.0.0.1:8080/v1");
    assert_string_equal(s.default_type.value, "COVER_LETTER"); /* canonical spelling */
    assert_string_equal(s.start_dir.value, "/home/ada/CVs");  /* quotes removed */
    assert_string_equal(s.cacert.value, "/etc/ca.pem");
    assert_string_equal(s.config_path, cfg_path);
    settings_free(&s);

    /* KOMBO_BASE_URL beats the file. */
    setenv("KOMBO_BASE_URL", "https://proxy.example/v1", 1);
    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    assert_string_equal(settings_base_url(&s), "https://proxy.example/v1");
    assert_int_equal(s.base_url.source, SRC_ENV);
    settings_free(&s);
    unsetenv("KOMBO_BASE_URL");

    /* No file: default type CV. */
    unlink(cfg_path);
    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    assert_string_equal(s.default_type.value, "CV");
    assert_int_equal(s.default_type.source, SRC_DEFAULT);
    settings_free(&s);
}

static const char profiles_file[] =
    "api_key = top_key_0123456789\n"
    "integration_id = top:int\n"
    "\n"
    "[profile work]\n"
    "  integration_id = work:int\n"   /* indented keys are keys, not continuations */
    "  server = us\n"
    "\n"
    "[profile staging]\n"
    "api_key = staging_key_0123456789\n"
    "base_url = https://staging.example/v1\n";

static void test_profiles(void **state)
{
    (void)state;
    char err[512];
    write_config(profiles_file, 0600);

    struct settings s = {0};
    setting_set(&s.profile, "work", SRC_FLAG, "--profile");
    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    assert_string_equal(s.integration_id.value, "work:int");
    assert_non_null(strstr(s.integration_id.origin, "[profile work] line 5"));
    assert_string_equal(s.server.value, "us");
    assert_string_equal(s.api_key.value, "top_key_0123456789"); /* not overridden: from the top */
    assert_non_null(strstr(s.api_key.origin, "line 1"));
    settings_free(&s);

    /* KOMBO_PROFILE selects too; a flag beats it. */
    setenv("KOMBO_PROFILE", "staging", 1);
    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    assert_string_equal(s.profile.value, "staging");
    assert_int_equal(s.profile.source, SRC_ENV);
    assert_string_equal(s.api_key.value, "staging_key_0123456789");
    assert_string_equal(s.integration_id.value, "top:int");
    assert_string_equal(settings_base_url(&s), "https://staging.example/v1");
    settings_free(&s);

    setting_set(&s.profile, "work", SRC_FLAG, "--profile");
    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    assert_string_equal(s.integration_id.value, "work:int");
    settings_free(&s);
    unsetenv("KOMBO_PROFILE");

    /* No profile selected: top-level values only. */
    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    assert_string_equal(s.integration_id.value, "top:int");
    assert_string_equal(s.server.value, "eu");
    settings_free(&s);
}

static void test_unknown_profile(void **state)
{
    (void)state;
    char err[512];
    write_config(profiles_file, 0600);
    struct settings s = {0};
    setting_set(&s.profile, "prod", SRC_FLAG, "--profile");
    assert_int_equal(settings_load(&s, err, sizeof err), KA_EXIT_USAGE);
    assert_non_null(strstr(err, "\"prod\""));
    assert_non_null(strstr(err, "work, staging"));
    settings_free(&s);

    /* No file at all. */
    unlink(cfg_path);
    setting_set(&s.profile, "prod", SRC_FLAG, "--profile");
    assert_int_equal(settings_load(&s, err, sizeof err), KA_EXIT_USAGE);
    assert_non_null(strstr(err, "no config file"));
    settings_free(&s);
}

struct perm_case {
    const char *file;
    mode_t mode;
    int rc;
};

static void test_permissions(void **state)
{
    (void)state;
    static const struct perm_case cases[] = {
        { "api_key = k_0123456789abcdef\n", 0600, 0 },
        { "api_key = k_0123456789abcdef\n", 0400, 0 },
        { "api_key = k_0123456789abcdef\n", 0644, KA_EXIT_CONFIG },
        { "api_key = k_0123456789abcdef\n", 0640, KA_EXIT_CONFIG },
        { "api_key = k_0123456789abcdef\n", 0604, KA_EXIT_CONFIG },
        { "api_key_command = echo k_0123456789abcdef\n", 0644, KA_EXIT_CONFIG },
        { "api_key_command = echo k_0123456789abcdef\n", 0602, KA_EXIT_CONFIG }, /* others could edit the command */
        { "[profile x]\napi_key = k_0123456789abcdef\n", 0644, KA_EXIT_CONFIG }, /* even unselected */
        { "integration_id = a:b\nserver = us\n", 0644, 0 },                  /* no key: nothing to hide */
        /* Whatever it holds, a file others can write could send the key anywhere. */
        { "base_url = http://127.0.0.1:18061/v1\n", 0622, KA_EXIT_CONFIG },
        { "cacert = /tmp/evil.pem\n", 0666, KA_EXIT_CONFIG },
        { "integration_id = a:b\n", 0620, KA_EXIT_CONFIG },
    };
    char err[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_config(cases[i].file, cases[i].mode);
        struct settings s = {0};
        int rc = settings_load(&s, err, sizeof err);
        if (rc != cases[i].rc)
            fail_msg("case %zu (mode %o): rc %d, want %d: %s", i, (unsigned)cases[i].mode, rc,
                     cases[i].rc, err);
        if (rc) {
            assert_non_null(strstr(err, "chmod 600"));
            assert_null(strstr(err, "k_0123456789abcdef"));
        }
        settings_free(&s);
    }
    write_config("api_key = k_0123456789abcdef\n", 0644);
    struct settings s = {0};
    assert_int_equal(settings_load(&s, err, sizeof err), KA_EXIT_CONFIG);
    assert_non_null(strstr(err, "holds an API key and is readable by others; run: chmod 600"));
    settings_free(&s);
}

struct cmd_case {
    const char *command;
    int rc;
    const char *want_key;   /* when rc == 0 */
    const char *msg_part;   /* when rc != 0 */
};

static void test_api_key_command(void **state)
{
    (void)state;
    static const struct cmd_case cases[] = {
        { "printf '  sk_cmd_0123456789abcd  \\nsecond line\\n'", 0, "sk_cmd_0123456789abcd", NULL },
        { "printf 'sk_no_newline_0123456789'", 0, "sk_no_newline_0123456789", NULL },
        { "echo SECRET-OUTPUT-0123456789; exit 3", KA_EXIT_CONFIG, NULL, "exit status 3" },
        { "true", KA_EXIT_CONFIG, NULL, "printed no key" },
        { "printf '   \\n'", KA_EXIT_CONFIG, NULL, "printed no key" },
        { "kill -9 $$", KA_EXIT_CONFIG, NULL, "signal 9" },
        { "/nonexistent/ka-no-such-command 2>/dev/null", KA_EXIT_CONFIG, NULL, "exit status 127" },
        /* KOMBO_KEY_COMMAND_TIMEOUT=1 below: a command that hangs is ended, and says so */
        { "sleep 20; echo sk_too_late_0123456789", KA_EXIT_CONFIG, NULL, "did not finish within 1 s" },
    };
    setenv("KOMBO_KEY_COMMAND_TIMEOUT", "1", 1);
    double t0 = clock_now();
    char file[512], err[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(file, sizeof file, "api_key_command = %s\n", cases[i].command);
        write_config(file, 0600);
        struct settings s = {0};
        int rc = settings_load(&s, err, sizeof err);
        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d, want %d: %s", i, rc, cases[i].rc, err);
        if (rc == 0) {
            assert_string_equal(s.api_key.value, cases[i].want_key);
            assert_int_equal(s.api_key.source, SRC_FILE);
            assert_non_null(strstr(s.api_key.origin, "api_key_command"));
        } else {
            if (!strstr(err, cases[i].msg_part))
                fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].msg_part);
            assert_null(strstr(err, "SECRET-OUTPUT")); /* the output is never shown */
            assert_null(s.api_key.value);
        }
        settings_free(&s);
    }
    unsetenv("KOMBO_KEY_COMMAND_TIMEOUT");
    if (clock_now() - t0 > 10)
        fail_msg("the hanging command was not ended after 1 s");
}

/* The command does not run when a flag or the environment already gives the key. */
static void test_api_key_command_skipped(void **state)
{
    (void)state;
    char file[1024], marker[600], err[512];
    th_path(marker, sizeof marker, "ran");
    snprintf(file, sizeof file, "api_key_command = touch %s; echo k_0123456789abcdef\n", marker);
    write_config(file, 0600);
    setenv("KOMBO_API_KEY", "env_key_0123456789", 1);
    struct settings s = {0};
    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    assert_string_equal(s.api_key.value, "env_key_0123456789");
    assert_int_equal(access(marker, F_OK), -1);
    settings_free(&s);
    unsetenv("KOMBO_API_KEY");

    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    assert_string_equal(s.api_key.value, "k_0123456789abcdef");
    assert_int_equal(access(marker, F_OK), 0);
    settings_free(&s);
}

struct err_case {
    const char *file;
    const char *msg_part;
};

static void test_file_errors(void **state)
{
    (void)state;
    static const struct err_case cases[] = {
        { "server = eu\n\napi_token = abc\n", "line 3: unknown key \"api_token\" (known: api_key, "
          "api_key_command, integration_id, server, base_url, default_type, start_dir, cacert, "
          "max_size, index)" },
        { "profile = work\n", "line 1: unknown key \"profile\"" },  /* [profile NAME] picks it */
        { "[profile a]\nserver = eu\n[profile b]\ncolour = red\n", "line 4: unknown key \"colour\"" },
        { "server = mars\n", "line 1: server must be eu or us" },
        { "# comment\nbase_url = ftp://x\n", "line 2: base_url must start with https://" },
        { "default_type = resume\n", "line 1: default_type must be CV, COVER_LETTER or OTHER" },
        { "[misc]\nserver = eu\n", "line 2: unknown section [misc]" },
        { "server = eu\njust some words\n", "line 2: not a \"key = value\" line" },
        { "integration_id =\n", "line 1: integration_id has no value" },
        { "server = eu\napi_key_command = echo xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nserver = us\n",
          "line 2: the line is longer than 198 characters" },
    };
    char err[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_config(cases[i].file, 0600);
        struct settings s = {0};
        int rc = settings_load(&s, err, sizeof err);
        if (rc != KA_EXIT_CONFIG)
            fail_msg("case %zu: rc %d, want %d", i, rc, KA_EXIT_CONFIG);
        if (!strstr(err, cases[i].msg_part))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].msg_part);
        settings_free(&s);
    }
}

static void test_bad_env_and_flag(void **state)
{
    (void)state;
    char err[512];
    struct settings s = {0};
    setenv("KOMBO_SERVER", "mars", 1);
    assert_int_equal(settings_load(&s, err, sizeof err), KA_EXIT_USAGE);
    assert_non_null(strstr(err, "KOMBO_SERVER"));
    settings_free(&s);
    unsetenv("KOMBO_SERVER");

    setting_set(&s.server, "asia", SRC_FLAG, "--server");
    assert_int_equal(settings_load(&s, err, sizeof err), KA_EXIT_USAGE);
    assert_non_null(strstr(err, "--server"));
    settings_free(&s);
}

/* A config file in a folder other users can write can be swapped: refused, with the folder
 * and the chmod named; a sticky folder (like /tmp) is fine. */
static void test_config_folder_permissions(void **state)
{
    (void)state;
    char dir[600], file[700], err[700];
    th_path(dir, sizeof dir, "shared");
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(file, sizeof file, "%s/config", dir);
    assert_int_equal(th_write_text(file, "integration_id = a:b\n"), 0);
    assert_int_equal(chmod(file, 0600), 0);
    setenv("KOMBO_CONFIG", file, 1);
    static const struct { mode_t mode; int rc; } rows[] = {
        { 0700, 0 }, { 0770, KA_EXIT_CONFIG }, { 0777, KA_EXIT_CONFIG }, { 0757, KA_EXIT_CONFIG },
        { 01777, 0 }, { 0755, 0 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_int_equal(chmod(dir, rows[i].mode), 0);
        struct settings s = {0};
        int rc = settings_load(&s, err, sizeof err);
        if (rc != rows[i].rc)
            fail_msg("folder mode %o: rc %d, want %d: %s", (unsigned)rows[i].mode, rc, rows[i].rc, err);
        if (rc && (!strstr(err, dir) || !strstr(err, "chmod go-w")))
            fail_msg("folder mode %o: %s", (unsigned)rows[i].mode, err);
        settings_free(&s);
    }
    chmod(dir, 0700);
    unsetenv("KOMBO_CONFIG");
}

static void test_kombo_config_override(void **state)
{
    (void)state;
    char other[600], err[512];
    th_path(other, sizeof other, "elsewhere.ini");
    assert_int_equal(th_write_text(other, "integration_id = other:int\n"), 0);
    write_config("integration_id = default:int\n", 0600);

    setenv("KOMBO_CONFIG", other, 1);
    struct settings s = {0};
    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    assert_string_equal(s.integration_id.value, "other:int");
    assert_string_equal(s.config_path, other);
    settings_free(&s);

    /* Naming a file that is not there is a mistake worth reporting. */
    th_path(other, sizeof other, "missing.ini");
    setenv("KOMBO_CONFIG", other, 1);
    assert_int_equal(settings_load(&s, err, sizeof err), KA_EXIT_CONFIG);
    assert_non_null(strstr(err, "KOMBO_CONFIG"));
    settings_free(&s);
    unsetenv("KOMBO_CONFIG");
}

struct redact_case {
    const char *secret;
    const char *want;
};

static void test_redact(void **state)
{
    (void)state;
    static const struct redact_case cases[] = {
        { "sk_live_0123456789abcdef1a2b", "****…1a2b (28 chars)" },
        { "abcdefghijkl", "****…ijkl (12 chars)" },
        { "abcdefghijk", "**** (11 chars)" },    /* short: no tail */
        { "short", "**** (5 chars)" },
        { "abcdefghijk\x1b[2J", "**** (15 chars)" }, /* unprintable tail hidden */
        { "", "(unset)" },
        { NULL, "(unset)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *r = settings_redact(cases[i].secret);
        if (strcmp(r, cases[i].want) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, r, cases[i].want);
        free(r);
    }
}

/* What settings_print prints (--show-config). Caller frees. */
static char *printed(const struct settings *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    settings_print(s, f);
    fclose(f);
    return buf;
}

/* --show-config output: every setting with its origin, never the key. */
static void test_print_never_shows_key(void **state)
{
    (void)state;
    const char *key = "sk_live_SUPERSECRET_0123456789wxyz";
    char err[512];
    write_config("integration_id = workday:abc\n", 0600);
    setenv("KOMBO_API_KEY", key, 1);
    struct settings s = {0};
    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    char *buf = printed(&s);
    assert_null(strstr(buf, "SUPERSECRET"));
    assert_null(strstr(buf, "0123456789"));
    assert_non_null(strstr(buf, "****…wxyz"));
    assert_non_null(strstr(buf, "KOMBO_API_KEY"));
    assert_non_null(strstr(buf, "workday:abc"));
    assert_non_null(strstr(buf, "line 1"));
    assert_non_null(strstr(buf, "https://api.kombo.dev/v1"));
    free(buf);
    settings_free(&s);
    unsetenv("KOMBO_API_KEY");
}

/* The one table: every flag finds its setting, --show-config lists every setting in the
 * table's order, and a bad flag value names its flag. */
static void test_one_table(void **state)
{
    (void)state;
    struct settings s = {0};
    static const struct { const char *flag; size_t offset; } rows[] = {
        { "--profile", offsetof(struct settings, profile) },
        { "--api-key-file", offsetof(struct settings, api_key) },
        { "--integration-id", offsetof(struct settings, integration_id) },
        { "--server", offsetof(struct settings, server) },
        { "--base-url", offsetof(struct settings, base_url) },
        { "--type", offsetof(struct settings, default_type) },
        { "--cacert", offsetof(struct settings, cacert) },
        { "--max-size", offsetof(struct settings, max_size) },
        { "--no-index", offsetof(struct settings, index) },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        assert_ptr_equal(settings_for_flag(&s, rows[i].flag), (char *)&s + rows[i].offset);
    assert_null(settings_for_flag(&s, "--api-key"));
    assert_null(settings_for_flag(&s, "--nope"));

    char err[512];
    setting_set(settings_for_flag(&s, "--max-size"), "lots", SRC_FLAG, NULL);
    assert_int_equal(settings_load(&s, err, sizeof err), KA_EXIT_USAGE);
    assert_string_equal(err, "max_size must be a size such as 25M, 100MiB or 1G (--max-size) — fix the flag");
    settings_free(&s);

    assert_int_equal(settings_load(&s, err, sizeof err), 0);
    char *buf = printed(&s);
    static const char *const labels[] = { "config file", "profile", "api_key", "integration_id",
                                          "server", "base_url", "default_type", "start_dir",
                                          "cacert", "max_size", "index" };
    const char *line = buf;
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        if (strncmp(line, labels[i], strlen(labels[i])) != 0 || line[strlen(labels[i])] != ' ')
            fail_msg("line %zu is not \"%s\": %s", i, labels[i], line);
        line = strchr(line, '\n');
        assert_non_null(line);
        line++;
    }
    assert_string_equal(line, "");
    assert_non_null(strstr(buf, "server          eu  (default)\n"));
    assert_non_null(strstr(buf, "max_size        100MiB  (default)\n"));
    assert_non_null(strstr(buf, "base_url        https://api.kombo.dev/v1  (from server eu)\n"));
    free(buf);
    settings_free(&s);
}

/* Each test in a fresh XDG_CONFIG_HOME. */
#define WITH_DIR(f) cmocka_unit_test_setup_teardown(f, setup, th_teardown_tempdir)

int main(void)
{
    const struct CMUnitTest tests[] = {
        WITH_DIR(test_precedence),
        WITH_DIR(test_base_url_and_defaults),
        WITH_DIR(test_profiles),
        WITH_DIR(test_unknown_profile),
        WITH_DIR(test_permissions),
        WITH_DIR(test_api_key_command),
        WITH_DIR(test_api_key_command_skipped),
        WITH_DIR(test_file_errors),
        WITH_DIR(test_bad_env_and_flag),
        WITH_DIR(test_kombo_config_override),
        WITH_DIR(test_config_folder_permissions),
        WITH_DIR(test_redact),
        WITH_DIR(test_print_never_shows_key),
        WITH_DIR(test_one_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
