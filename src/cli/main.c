/* kombo-attach: argument parsing and the choice of mode (terminal UI, command line, mock
 * server). Every bad input ends here as one line on stderr,
 *   kombo-attach: <problem> — <what to do>
 * and the exit code from exitcodes.h. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attachment.h"
#include "base64.h"
#include "cli.h"
#include "cli_usage.h"
#include "cli_args.h"
#include "cli_check.h"
#include "cli_batch.h"
#include "cli_find.h"
#include "client.h"
#include "exitcodes.h"
#include "format.h"
#include "fsutil.h"
#include "hex.h"
#include "index.h"
#include "cli_index.h"
#include "kombo.h"
#include "mime.h"
#include "numparse.h"
#include "mock.h"
#include "region.h"
#include "secret.h"
#include "sendopts.h"
#include "settings.h"
#include "xalloc.h"
#include "ui.h"

#ifndef KA_VERSION
#define KA_VERSION "dev"
#endif

#define KEY_FILE_MAX 4096

static int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(int code, const char *fmt, ...)
{
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Messages quote user input: keep terminal control characters out of them. */
    char *safe = cli_sanitize(msg);
    fprintf(stderr, "kombo-attach: %s\n", safe ? safe : msg);
    free(safe);
    return code;
}

/* The subcommands that take the connection flags (history and mock have their own). */
enum sub { SUB_NONE, SUB_FIND, SUB_CHECK, SUB_ATTACHMENTS, SUB_INDEX, SUB_BATCH };

/* Everything one run holds, so the steps below share one clean-up path. */
struct run {
    enum sub sub;
    struct cli_args a;
    char **files;
    int nfiles;
    enum att_type type;
    struct settings s;
    bool ui;
    const char *start_dir;
    char inbox[PATH_MAX];
    struct mock *mock;
    char *candidate;             /* trimmed --candidate */
    char *application;           /* trimmed --application */
    char *query;                 /* find's words, joined */
    const char *other_region, *other_region_url;  /* the region probe's (cli.h) */
    char *remote_fields;         /* checked --remote-fields */
    char *sandbox_key;           /* the sandbox mock's key for this run */
    char sandbox_key_path[PATH_MAX + 16]; /* where it is written for the user's scripts */
    struct send_options so;
};

/* The key from --api-key-file: its first line, trimmed. */
static int read_key_file(const char *path, char **key)
{
    bool is_stdin = strcmp(path, "-") == 0;
    if (!is_stdin) {
        struct stat st;
        if (stat(path, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
            fprintf(stderr, "kombo-attach: warning: %s holds an API key and is readable by others; "
                    "run: chmod 600 %s\n", path, path);
    }
    errno = 0;
    *key = secret_read_first_line(path, KEY_FILE_MAX);
    if (*key)
        return 0;
    if (errno)
        return fail(KA_EXIT_CONFIG, "cannot read the API key file %s: %s — check --api-key-file",
                    path, strerror(errno));
    return fail(KA_EXIT_CONFIG, "the API key file %s is empty — put the key on its first line",
                is_stdin ? "(stdin)" : path);
}

static void sandbox_inbox(char *out, size_t len)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(out, len, "%s/kombo-attach/sandbox", xdg);
    else
        snprintf(out, len, "%s/.local/share/kombo-attach/sandbox", home && *home ? home : ".");
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* "text/plain" for "text/plain; charset=utf-8", to suggest the fix. */
static void bare_type(const char *ct, char *out, size_t len)
{
    size_t n = strcspn(ct, ";");
    while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    snprintf(out, len, "%.*s", (int)n, ct);
}

/* Which flags go together: one way to name the target, --job only for a found candidate,
 * and each subcommand's own needs. */
static int cli_opts_check_target(struct run *r)
{
    const struct cli_args *a = &r->a;
    int ways = (a->email != NULL) + (a->find != NULL) + (a->candidate || a->application);
    if (ways > 1)
        return fail(KA_EXIT_USAGE, "--email, --find and --candidate/--application each name the "
                    "target — pass only one of them");
    if (a->job && !a->email && !a->find)
        return fail(KA_EXIT_USAGE, "--job picks among a found candidate's applications — use it "
                    "with --email ADDR or --find QUERY (or pass --application ID)");
    if (a->verify && a->dry_run)
        return fail(KA_EXIT_USAGE, "--verify checks what was sent, and --dry-run sends nothing — "
                    "drop one of them");
    switch (r->sub) {
    case SUB_FIND:
        if (r->nfiles == 0)
            return fail(KA_EXIT_USAGE, "find needs something to search for — e.g. kombo-attach "
                        "find frank@example.com, or a name, a Kombo ID, an ATS ID or URL");
        break;
    case SUB_CHECK:
        if (r->nfiles)
            return fail(KA_EXIT_USAGE, "check takes no arguments (got \"%s\") — run kombo-attach "
                        "check", r->files[0]);
        break;
    case SUB_ATTACHMENTS:
        if (r->nfiles)
            return fail(KA_EXIT_USAGE, "attachments takes no FILE (got \"%s\") — pass "
                        "--candidate ID or --application ID", r->files[0]);
        if ((a->candidate != NULL) == (a->application != NULL))
            return fail(KA_EXIT_USAGE, "attachments lists one target — pass --candidate ID or "
                        "--application ID");
        break;
    case SUB_BATCH:
        if (r->nfiles != 1)
            return fail(KA_EXIT_USAGE, "batch takes one MANIFEST (a CSV or JSON lines file) — e.g. "
                        "kombo-attach batch uploads.csv");
        if (ways || a->job || a->verify || a->name || a->type || a->content_type)
            return fail(KA_EXIT_USAGE, "batch takes the targets, types and names from the "
                        "manifest's columns — drop --candidate, --application, --email, --find, "
                        "--job, --type, --name, --content-type and --verify");
        break;
    case SUB_INDEX:   /* cli_index.c checks its own words */
    case SUB_NONE:
        break;
    }
    if ((a->concurrency || a->report) && r->sub != SUB_BATCH)
        return fail(KA_EXIT_USAGE, "--concurrency and --report go with kombo-attach batch — e.g. "
                    "kombo-attach batch --concurrency 8 uploads.csv");
    if (a->full && r->sub != SUB_INDEX)
        return fail(KA_EXIT_USAGE, "--full goes with kombo-attach index sync — e.g. kombo-attach "
                    "index sync --full");
    return 0;
}

/* Step 1: checks that need no settings come first, so a typo is reported before a key
 * command runs. Every attachment value is checked here, once. */
static int check_flags(struct run *r)
{
    const struct cli_args *a = &r->a;
    r->type = ATT_CV;
    if (a->type && att_type_parse(a->type, &r->type) != 0)
        return fail(KA_EXIT_USAGE, "unknown type \"%s\" — use --type CV, COVER_LETTER or OTHER", a->type);
    if (a->name && r->nfiles > 1)
        return fail(KA_EXIT_USAGE, "--name works with one FILE only (got %d) — attach the files one "
                    "by one to name each", r->nfiles);
    const char *problem;
    if (a->name && (problem = att_check_name(a->name)))
        return fail(KA_EXIT_USAGE, "bad --name: %s — pass a readable file name like Resume.pdf", problem);
    if (a->content_type && (problem = att_check_content_type(a->content_type))) {
        if (strchr(a->content_type, ';')) {
            char bare[256];
            bare_type(a->content_type, bare, sizeof bare);
            return fail(KA_EXIT_USAGE, "--content-type must not have parameters — pass the bare type: "
                        "--content-type %s", bare);
        }
        return fail(KA_EXIT_USAGE, "bad --content-type: %s — e.g. --content-type application/pdf",
                    problem);
    }
    if (a->remote_fields) {
        char why[300];
        if (!(r->remote_fields = sendopts_check_remote_fields(a->remote_fields, why, sizeof why)))
            return fail(KA_EXIT_USAGE, "bad --remote-fields: %s — e.g. --remote-fields "
                        "'{\"workable\":{\"on_behalf_of_user_remote_id\":\"42\"}}'", why);
    }
    if (a->candidate) {
        r->candidate = sendopts_trim_id(a->candidate);
        if ((problem = kombo_check_path_id("candidate", r->candidate)))
            return fail(KA_EXIT_USAGE, "bad candidate ID: %s — pass Kombo's candidate ID with "
                        "--candidate", problem);
    }
    if (a->application) {
        r->application = sendopts_trim_id(a->application);
        if ((problem = kombo_check_path_id("application", r->application)))
            return fail(KA_EXIT_USAGE, "bad application ID: %s — pass Kombo's application ID "
                        "with --application", problem);
    }
    return cli_opts_check_target(r);
}

/* Step 2: flags, then the environment, then the config file. */
static int load_settings(struct run *r)
{
    const struct cli_args *a = &r->a;
    struct settings *s = &r->s;
    if (a->integration_id) setting_set(&s->integration_id, a->integration_id, SRC_FLAG, "--integration-id");
    if (a->server) setting_set(&s->server, a->server, SRC_FLAG, "--server");
    if (a->base_url) setting_set(&s->base_url, a->base_url, SRC_FLAG, "--base-url");
    if (a->cacert) setting_set(&s->cacert, a->cacert, SRC_FLAG, "--cacert");
    if (a->profile) setting_set(&s->profile, a->profile, SRC_FLAG, "--profile");
    if (a->max_size) setting_set(&s->max_size, a->max_size, SRC_FLAG, "--max-size");
    if (a->no_index) setting_set(&s->index, "off", SRC_FLAG, "--no-index");
    if (a->api_key_file) {
        char *key = NULL;
        int rc = read_key_file(a->api_key_file, &key);
        if (rc)
            return rc;
        char origin[600];
        snprintf(origin, sizeof origin, "--api-key-file %s", a->api_key_file);
        setting_set(&s->api_key, key, SRC_FLAG, origin);
        secret_free(key);
    }
    char err[1200];
    int rc = settings_load(s, err, sizeof err);
    if (rc)
        return fail(rc, "%s", err);
    if (!a->type && s->default_type.value)
        att_type_parse(s->default_type.value, &r->type);
    return 0;
}

/* Step 3: the UI needs a terminal on both ends; scripts get the command line. */
static int choose_mode(struct run *r)
{
    const struct cli_args *a = &r->a;
    bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    r->start_dir = r->s.start_dir.value;
    if (r->sub != SUB_NONE) {
        /* find, check, attachments: the command line, whatever the terminal */
    } else if (r->nfiles == 0) {
        if (!tty || a->json || a->dry_run)
            return fail(KA_EXIT_USAGE, "no FILE given — pass the files to attach (the file picker "
                        "needs a terminal, and --json/--dry-run need files)");
        r->ui = true;
    } else if (r->nfiles == 1 && tty && !a->json && !a->dry_run && is_dir(r->files[0])) {
        /* A folder cannot be attached; in a terminal the user surely means "pick from here". */
        r->ui = true;
        r->start_dir = r->files[0];
    }
    bool target = r->candidate || r->application || a->email || a->find;
    /* "kombo-attach --sandbox find frank": the command was taken for a file to send */
    static const char *const commands[] = { "find", "check", "attachments", "index", "history",
                                            "mock", "batch" };
    for (size_t i = 0; r->sub == SUB_NONE && r->nfiles > 0 && i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(r->files[0], commands[i]) && access(r->files[0], F_OK) != 0)
            return fail(KA_EXIT_USAGE, "\"%s\" is a command: put it first, before the options "
                        "— e.g. kombo-attach %s --help", commands[i], commands[i]);
    if (r->sub == SUB_NONE && !r->ui && !target)
        return fail(KA_EXIT_USAGE, "no candidate — pass Kombo's candidate ID with --candidate ID, "
                    "or --application ID, --email ADDR or --find QUERY");
    if (r->ui && (r->application || a->email || a->find || a->verify))
        return fail(KA_EXIT_USAGE, "--application, --email, --find and --verify work on the "
                    "command line — pass the FILEs to attach");
    if (r->s.cacert.value && access(r->s.cacert.value, R_OK) != 0)
        return fail(KA_EXIT_USAGE, "cannot read the CA file %s (%s): %s — check --cacert",
                    r->s.cacert.value, r->s.cacert.origin, strerror(errno));
    return 0;
}

/* The base URL in use; with a region (no base URL), the other region for the probe. */
static const char *region_base_url(struct run *r)
{
    const struct settings *s = &r->s;
    if (s->base_url.value && *s->base_url.value)
        return s->base_url.value;
    const char *region = s->server.value && strcasecmp(s->server.value, "us") == 0 ? "us" : "eu";
    r->other_region = strcmp(region, "us") == 0 ? "eu" : "us";
    r->other_region_url = region_url(r->other_region);
    return region_url(region);
}

/* Step 4: the send options both front ends get, with the sandbox's mock started when there
 * is no key (or --sandbox). */
static int build_send_options(struct run *r)
{
    const struct cli_args *a = &r->a;
    const struct settings *s = &r->s;
    struct send_options *so = &r->so;
    bool have_key = s->api_key.value && *s->api_key.value;
    /* The UI says SANDBOX in its header; a script would only see "ok" and believe it. */
    if (!have_key && !a->sandbox && !r->ui)
        return fail(KA_EXIT_CONFIG, "no API key — set KOMBO_API_KEY, pass --api-key-file FILE or "
                    "put api_key in the config file; or pass --sandbox to try the local mock");
    so->sandbox = a->sandbox || !have_key;
    if (!so->sandbox && !s->integration_id.value)
        return fail(KA_EXIT_USAGE, "no integration ID — set KOMBO_INTEGRATION_ID, pass "
                    "--integration-id ID or add integration_id to the config file");
    so->client = (struct client_options){
        .base_url = region_base_url(r),
        .api_key = s->api_key.value,
        .integration_id = s->integration_id.value,
        .cacert = s->cacert.value,
        .max_attempts = (int)a->retries + 1,
        .timeout_s = a->timeout_s,
        .connect_timeout_s = a->connect_timeout_s,
        .verbose = a->verbose,
        .allow_plain_http = a->allow_plain_http,
    };
    so->server_label = s->base_url.value ? s->base_url.value : s->server.value ? s->server.value : "eu";
    so->client.label = so->server_label;
    so->profile = s->profile.value;
    so->candidate_id = r->candidate;
    so->application_id = r->application;
    so->type = r->type;
    so->name = a->name;
    so->content_type = a->content_type;
    so->remote_fields = r->remote_fields;
    so->no_history = a->no_history;
    so->force = a->force;
    fmt_parse_bytes(s->max_size.value, &so->max_size); /* checked by the flag parser and settings */
    if (!so->sandbox)
        return 0;

    sandbox_inbox(r->inbox, sizeof r->inbox);
    if (fs_mkdir_p(r->inbox, 0700) != 0)
        return fail(KA_EXIT_CONFIG, "cannot create the sandbox folder %s: %s — set XDG_DATA_HOME "
                    "to a writable folder", r->inbox, strerror(errno));
    char err[600];
    /* A key of this run's own, never the user's (the mock is not Kombo): without it any
     * local user could post into this inbox or read what was sent. */
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        return fail(KA_EXIT_INTERNAL, "cannot make a key for the sandbox: %s", strerror(errno));
    char hexkey[8 + 2 * sizeof rnd + 1] = "sandbox_";
    hex_encode(rnd, sizeof rnd, hexkey + 8);
    r->sandbox_key = xstrdup(hexkey);
    struct mock_config mc = { .port = 0, .inbox = r->inbox, .quiet = true, .api_key = r->sandbox_key };
    if (!(r->mock = mock_start(&mc, err, sizeof err)))
        return fail(KA_EXIT_INTERNAL, "cannot start the sandbox server: %s", err);
    so->client.base_url = mock_base_url(r->mock);
    so->client.api_key = r->sandbox_key;
    /* For the user's own scripts (screenshots, checks): the key in the private inbox. */
    snprintf(r->sandbox_key_path, sizeof r->sandbox_key_path, "%s/.mock-key", r->inbox);
    int kfd = open(r->sandbox_key_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (kfd >= 0) {
        ssize_t w = write(kfd, r->sandbox_key, strlen(r->sandbox_key));
        (void)w;
        close(kfd);
    }
    so->client.cacert = NULL;
    if (!so->client.integration_id)
        so->client.integration_id = "sandbox:demo";
    so->server_label = "SANDBOX";
    so->client.label = "sandbox";
    so->client.sandbox = true;
    so->sandbox_inbox = r->inbox;
    r->other_region = r->other_region_url = NULL;   /* the mock has no other region */
    if (!r->ui && r->sub == SUB_NONE && !a->quiet && !a->dry_run)
        fprintf(stderr, "sandbox: %s — sending to the local mock; files land in %s\n",
                a->sandbox ? "--sandbox given" : "no API key configured", r->inbox);
    return 0;
}

static int show_config(struct run *r)
{
    settings_print(&r->s, stdout);
    if (!r->s.api_key.value)
        printf("(no API key: uploads would go to the local sandbox)\n");
    return KA_EXIT_OK;
}

/* find's words as one query: `find Frank Doe` needs no quotes. */
static char *join_words(char **w, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(w[i]) + 1;
    char *q = xmalloc(len);
    q[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(q, " ");
        strcat(q, w[i]);
    }
    return q;
}

static int run(int argc, char **argv, enum sub sub)
{
    struct run r = { .sub = sub };
    int rc = cli_args_parse(argc, argv, &r.a);
    if (rc)
        goto out;
    if (r.a.help) {
        fputs(cli_usage_text, stdout);
        goto out;
    }
    if (r.a.version) {
        printf("kombo-attach %s (base64 encoder: %s)\n%s\n", KA_VERSION, b64_kernel_name(), curl_version());
        goto out;
    }
    r.files = argv + optind;
    r.nfiles = argc - optind;
    if ((rc = check_flags(&r)) || (rc = load_settings(&r)))
        goto out;
    index_expire(INDEX_EXPIRE_DAYS);   /* an index not used for 30 days goes, whatever the mode */
    if (r.a.show_config) {
        rc = show_config(&r);
        goto out;
    }
    if ((rc = choose_mode(&r)) || (rc = build_send_options(&r)))
        goto out;
    if (r.sub == SUB_INDEX) {
        struct cli_index_options io = { .send = &r.so, .json = r.a.json, .quiet = r.a.quiet,
                                        .enabled = settings_index_enabled(&r.s), .full = r.a.full };
        rc = cli_index_run(&io, r.files, r.nfiles);
    } else if (r.ui) {
        struct ui_options uo = { .send = &r.so, .start_dir = r.start_dir,
                                 .use_index = settings_index_enabled(&r.s) };
        rc = ui_run(&uo);
    } else {
        struct cli_options co = { .send = &r.so, .json = r.a.json, .dry_run = r.a.dry_run,
                                  .quiet = r.a.quiet, .email = r.a.email, .find = r.a.find,
                                  .job = r.a.job, .verify = r.a.verify,
                                  .use_index = settings_index_enabled(&r.s),
                                  .other_region = r.other_region,
                                  .other_region_url = r.other_region_url };
        switch (r.sub) {
        case SUB_FIND:
            r.query = join_words(r.files, r.nfiles);
            rc = cli_find_run(&co, r.query);
            break;
        case SUB_CHECK:
            rc = cli_check_run(&co);
            break;
        case SUB_ATTACHMENTS:
            rc = cli_attachments_run(&co);
            break;
        case SUB_BATCH: {
            struct cli_batch_options bo = { .co = &co, .concurrency = (int)r.a.concurrency,
                                            .report = r.a.report };
            rc = cli_batch_run(&bo, r.files[0]);
            break;
        }
        case SUB_INDEX:   /* handled above */
        case SUB_NONE:
            rc = cli_run(&co, r.files, r.nfiles);
            break;
        }
    }
out:
    if (r.mock)
        mock_stop(r.mock);
    settings_free(&r.s);
    free(r.candidate);
    free(r.application);
    free(r.query);
    free(r.remote_fields);
    secret_free(r.sandbox_key);
    if (r.sandbox_key_path[0])
        unlink(r.sandbox_key_path);
    return rc;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    secret_guard_process(); /* before any key is read */
    if (argc >= 2 && strcmp(argv[1], "mock") == 0)
        return mock_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "history") == 0)
        return cli_history(argc - 1, argv + 1);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "kombo-attach: could not initialise libcurl\n");
        return KA_EXIT_INTERNAL;
    }
    enum sub sub = SUB_NONE;
    if (argc >= 2)
        sub = !strcmp(argv[1], "find") ? SUB_FIND : !strcmp(argv[1], "check") ? SUB_CHECK
              : !strcmp(argv[1], "attachments") ? SUB_ATTACHMENTS
              : !strcmp(argv[1], "index") ? SUB_INDEX
              : !strcmp(argv[1], "batch") ? SUB_BATCH : SUB_NONE;
    /* A subcommand's own name stands where the program's would: getopt starts after it. */
    int rc = sub == SUB_NONE ? run(argc, argv, sub) : run(argc - 1, argv + 1, sub);
    mime_cleanup();
    curl_global_cleanup();
    return rc;
}
