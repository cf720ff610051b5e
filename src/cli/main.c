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
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attachment.h"
#include "base64.h"
#include "cli.h"
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
#include "secret.h"
#include "sendopts.h"
#include "settings.h"
#include "xalloc.h"
#include "ui.h"

#ifndef KA_VERSION
#define KA_VERSION "dev"
#endif

#define KEY_FILE_MAX 4096

static const char usage_text[] =
"Usage: kombo-attach [options] --candidate ID FILE...\n"
"       kombo-attach [options] [FOLDER]      (in a terminal: pick files in the UI)\n"
"       kombo-attach mock [--port N] [--inbox DIR] ...\n"
"       kombo-attach history [-n N] [--json]\n"
"       kombo-attach index sync|status|clear [--json] [--full]   (local search index)\n"
"\n"
"Attach files to a candidate in the customer's ATS through Kombo's API\n"
"(POST /ats/candidates/{id}/attachments).\n"
"\n"
"Attachment:\n"
"  -c, --candidate ID        Kombo ID of the candidate (24 characters)\n"
"  -t, --type TYPE           CV, COVER_LETTER (or cover-letter) or OTHER (default: CV,\n"
"                            or default_type from the config file)\n"
"  -n, --name NAME           name the ATS shows (default: the file's name; one FILE only)\n"
"      --content-type MIME   bare type/subtype, e.g. application/pdf (default: detected)\n"
"      --max-size SIZE       refuse files larger than SIZE, e.g. 25M (default 100MiB, or\n"
"                            max_size from the config file); above 10 MB a warning\n"
"      --remote-fields JSON  remote_fields object passed through to the ATS, e.g.\n"
"                            '{\"greenhouse\":{\"post_headers\":{\"on_behalf_of\":\"123\"}}}'\n"
"\n"
"Connection:\n"
"      --integration-id ID   Kombo integration ID (e.g. workday:HWUTwvyx2wLoSUHphiWVrp28)\n"
"      --server eu|us        Kombo region (default: eu)\n"
"      --base-url URL        API base URL, overrides --server (e.g. a proxy or the mock)\n"
"      --api-key-file FILE   read the API key from the first line of FILE ('-' = stdin).\n"
"                            There is deliberately no --api-key flag: keys on command lines\n"
"                            leak into shell history and into `ps` for every local user.\n"
"      --cacert FILE         extra CA certificates (PEM) to trust\n"
"      --allow-plain-http    let an http:// base URL that is not on this machine have the\n"
"                            key (it crosses the network unencrypted); refused otherwise\n"
"      --retries N           extra attempts after a 429, 5xx or network failure (default 3)\n"
"      --timeout SECONDS     limit for each attempt, 0 = none (default 300)\n"
"      --connect-timeout SECONDS  limit for connecting (default: libcurl's)\n"
"      --profile NAME        use the [profile NAME] section of the config file\n"
"      --sandbox             send to a built-in local mock server instead of Kombo\n"
"\n"
"Output:\n"
"      --json                one JSON object per file on stdout: file, name, candidate,\n"
"                            type, content_type, size, outcome, http_status, attempts,\n"
"                            warnings[], error{code,title,message,log_url}\n"
"      --dry-run             print each request (key redacted, data summarised); send nothing\n"
"  -q, --quiet               no progress line, no notices (warnings still shown)\n"
"  -v, --verbose             show the HTTP exchange on stderr: headers, the start of each\n"
"                            answer (the key redacted; never the file)\n"
"      --show-config         print the settings in use, where each came from, and exit\n"
"      --no-history          don't record uploads in the history file (and so don't\n"
"                            check it for duplicates)\n"
"      --force               send even a file whose content the history says already\n"
"                            reached this candidate (default: skipped as a duplicate)\n"
"      --no-index            don't keep or use the local candidate index (index = off)\n"
"      --full                index sync: read every candidate again, not only changes\n"
"  -h, --help                this help\n"
"  -V, --version             version of kombo-attach and libcurl\n"
"\n"
"Without FILE, in a terminal, kombo-attach opens a file picker (in FOLDER if given).\n"
"With --sandbox (and in the UI when there is no API key: its header says SANDBOX) uploads\n"
"go to a local mock server and the files land in $XDG_DATA_HOME/kombo-attach/sandbox\n"
"(~/.local/share/kombo-attach/sandbox). On the command line a missing key is an error.\n"
"\n"
"Environment:\n"
"  KOMBO_API_KEY          API key (from the Secrets page of the Kombo dashboard)\n"
"  KOMBO_INTEGRATION_ID   integration ID\n"
"  KOMBO_SERVER           eu or us\n"
"  KOMBO_BASE_URL         API base URL\n"
"  KOMBO_PROFILE          profile of the config file to use\n"
"  KOMBO_CONFIG           config file to read instead of the default\n"
"  KOMBO_KEY_COMMAND_TIMEOUT  seconds api_key_command may take (default 30)\n"
"  Flags beat the environment, which beats the config file.\n"
"\n"
"Config file: $XDG_CONFIG_HOME/kombo-attach/config (~/.config/kombo-attach/config), INI:\n"
"  api_key = ...                  or  api_key_command = pass show kombo/api-key\n"
"  integration_id = workday:...   server = eu|us   base_url = URL\n"
"  default_type = CV              start_dir = ~/CVs   cacert = FILE\n"
"  index = on|off                 the local candidate index (README: what it keeps)\n"
"  [profile staging]              same keys, used with --profile staging\n"
"  A file holding api_key or api_key_command must not be readable by others (chmod 600).\n"
"  api_key_command runs with /bin/sh -c; the first line it prints is the key.\n"
"  Lines starting with # or ; are comments; \" ;\" starts a comment at the end of a line.\n"
"\n"
"Exit codes:\n"
"  0 every file attached      2 usage (bad flag, candidate ID, name)   3 file problem\n"
"  4 rejected by Kombo        5 server or network failure after retries\n"
"  6 config problem           7 internal error     130 cancelled (Ctrl-C)\n"
"  8 may have been attached: the whole file was sent, then no readable answer came;\n"
"    check the candidate in the ATS before sending it again\n"
"  With several files, the highest code among them.\n";

/* Flags without a short form. */
enum {
    OPT_CONTENT_TYPE = 256, OPT_REMOTE_FIELDS, OPT_INTEGRATION_ID, OPT_SERVER, OPT_BASE_URL,
    OPT_API_KEY_FILE, OPT_API_KEY, OPT_CACERT, OPT_RETRIES, OPT_TIMEOUT, OPT_CONNECT_TIMEOUT,
    OPT_JSON, OPT_DRY_RUN, OPT_PROFILE, OPT_SHOW_CONFIG, OPT_SANDBOX, OPT_NO_HISTORY, OPT_MAX_SIZE,
    OPT_FORCE, OPT_ALLOW_PLAIN_HTTP, OPT_NO_INDEX, OPT_FULL,
};

static const struct option long_options[] = {
    { "candidate", required_argument, NULL, 'c' },
    { "type", required_argument, NULL, 't' },
    { "name", required_argument, NULL, 'n' },
    { "content-type", required_argument, NULL, OPT_CONTENT_TYPE },
    { "remote-fields", required_argument, NULL, OPT_REMOTE_FIELDS },
    { "integration-id", required_argument, NULL, OPT_INTEGRATION_ID },
    { "server", required_argument, NULL, OPT_SERVER },
    { "base-url", required_argument, NULL, OPT_BASE_URL },
    { "api-key-file", required_argument, NULL, OPT_API_KEY_FILE },
    /* Listed only to refuse it: without this exact entry getopt would take "--api-key X"
     * as an abbreviation of --api-key-file and then name the key as a file in an error. */
    { "api-key", optional_argument, NULL, OPT_API_KEY },
    { "cacert", required_argument, NULL, OPT_CACERT },
    { "retries", required_argument, NULL, OPT_RETRIES },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
    { "json", no_argument, NULL, OPT_JSON },
    { "dry-run", no_argument, NULL, OPT_DRY_RUN },
    { "quiet", no_argument, NULL, 'q' },
    { "verbose", no_argument, NULL, 'v' },
    { "profile", required_argument, NULL, OPT_PROFILE },
    { "show-config", no_argument, NULL, OPT_SHOW_CONFIG },
    { "sandbox", no_argument, NULL, OPT_SANDBOX },
    { "no-history", no_argument, NULL, OPT_NO_HISTORY },
    { "max-size", required_argument, NULL, OPT_MAX_SIZE },
    { "force", no_argument, NULL, OPT_FORCE },
    { "allow-plain-http", no_argument, NULL, OPT_ALLOW_PLAIN_HTTP },
    { "no-index", no_argument, NULL, OPT_NO_INDEX },
    { "full", no_argument, NULL, OPT_FULL },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

struct args {
    const char *candidate, *type, *name, *content_type, *remote_fields;
    const char *integration_id, *server, *base_url, *api_key_file, *cacert, *profile, *max_size;
    long retries, timeout_s, connect_timeout_s;
    bool json, dry_run, quiet, verbose, show_config, sandbox, help, version, no_history, force;
    bool allow_plain_http;
    bool no_index, full;
};

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

/* Parse argv into *a; files are left in argv[optind..]. Returns 0 or an exit code. */
static int parse_args(int argc, char **argv, struct args *a)
{
    a->retries = CLIENT_DEFAULT_ATTEMPTS - 1;
    a->timeout_s = CLIENT_DEFAULT_TIMEOUT_S;
    a->connect_timeout_s = 0;
    opterr = 0; /* our own messages: getopt's would echo "--api-key=SECRET" */
    int c;
    while ((c = getopt_long(argc, argv, ":c:t:n:qvhV", long_options, NULL)) != -1) {
        switch (c) {
        case 'c': a->candidate = optarg; break;
        case 't': a->type = optarg; break;
        case 'n': a->name = optarg; break;
        case OPT_CONTENT_TYPE: a->content_type = optarg; break;
        case OPT_REMOTE_FIELDS: a->remote_fields = optarg; break;
        case OPT_INTEGRATION_ID: a->integration_id = optarg; break;
        case OPT_SERVER: a->server = optarg; break;
        case OPT_BASE_URL: a->base_url = optarg; break;
        case OPT_API_KEY_FILE: a->api_key_file = optarg; break;
        case OPT_API_KEY:
            return fail(KA_EXIT_USAGE, "there is no --api-key flag: keys on command lines leak into "
                        "shell history and ps — use KOMBO_API_KEY, --api-key-file FILE or the config file");
        case OPT_CACERT: a->cacert = optarg; break;
        case OPT_RETRIES:
            if (num_parse_long(optarg, 0, 20, &a->retries) != 0)
                return fail(KA_EXIT_USAGE, "--retries \"%s\" is not a number from 0 to 20 — "
                            "e.g. --retries 3", optarg);
            break;
        case OPT_TIMEOUT:
            if (num_parse_long(optarg, 0, 86400, &a->timeout_s) != 0)
                return fail(KA_EXIT_USAGE, "--timeout \"%s\" is not a number of seconds (0 to 86400) — "
                            "e.g. --timeout 300", optarg);
            break;
        case OPT_CONNECT_TIMEOUT:
            if (num_parse_long(optarg, 0, 3600, &a->connect_timeout_s) != 0)
                return fail(KA_EXIT_USAGE, "--connect-timeout \"%s\" is not a number of seconds "
                            "(0 to 3600) — e.g. --connect-timeout 10", optarg);
            break;
        case OPT_JSON: a->json = true; break;
        case OPT_DRY_RUN: a->dry_run = true; break;
        case 'q': a->quiet = true; break;
        case 'v': a->verbose = true; break;
        case OPT_PROFILE: a->profile = optarg; break;
        case OPT_SHOW_CONFIG: a->show_config = true; break;
        case OPT_SANDBOX: a->sandbox = true; break;
        case OPT_NO_HISTORY: a->no_history = true; break;
        case OPT_FORCE: a->force = true; break;
        case OPT_ALLOW_PLAIN_HTTP: a->allow_plain_http = true; break;
        case OPT_NO_INDEX: a->no_index = true; break;
        case OPT_FULL: a->full = true; break;
        case OPT_MAX_SIZE: {
            uint64_t n;
            if (fmt_parse_bytes(optarg, &n) != 0 || n == 0)
                return fail(KA_EXIT_USAGE, "--max-size \"%s\" is not a size — e.g. --max-size 25M",
                            optarg);
            a->max_size = optarg;
            break;
        }
        case 'h': a->help = true; break;
        case 'V': a->version = true; break;
        case ':': {
            const char *opt = argv[optind - 1];
            return fail(KA_EXIT_USAGE, "option %s needs a value — see kombo-attach --help", opt);
        }
        default: {
            /* Show the option without any "=value": it could be a secret. */
            const char *opt = argv[optind - 1];
            if (optopt && optopt < 256)
                return fail(KA_EXIT_USAGE, "unknown option -%c — see kombo-attach --help", optopt);
            return fail(KA_EXIT_USAGE, "unknown or ambiguous option %.*s — see kombo-attach --help",
                        (int)strcspn(opt, "="), opt);
        }
        }
    }
    return 0;
}

/* Everything one run holds, so the steps below share one clean-up path. */
struct run {
    struct args a;
    char **files;
    int nfiles;
    enum att_type type;
    struct settings s;
    bool ui;
    const char *start_dir;
    char inbox[PATH_MAX];
    struct mock *mock;
    char *candidate;             /* trimmed --candidate */
    char *remote_fields;         /* checked --remote-fields */
    char *sandbox_key;           /* the sandbox mock's key for this run */
    char sandbox_key_path[PATH_MAX + 16]; /* where it is written for the user's scripts */
    struct send_options so;
    bool index_cmd;              /* kombo-attach index ... (cli_index.c) */
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

/* Step 1: checks that need no settings come first, so a typo is reported before a key
 * command runs. Every attachment value is checked here, once. */
static int check_flags(struct run *r)
{
    const struct args *a = &r->a;
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
    return 0;
}

/* Step 2: flags, then the environment, then the config file. */
static int load_settings(struct run *r)
{
    const struct args *a = &r->a;
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
    const struct args *a = &r->a;
    bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    r->start_dir = r->s.start_dir.value;
    if (r->index_cmd) {
        /* index sync|status|clear: the command line, whatever the terminal */
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
    if (!r->ui && !r->candidate && !r->index_cmd)
        return fail(KA_EXIT_USAGE, "no candidate — pass Kombo's candidate ID with --candidate ID");
    if (r->s.cacert.value && access(r->s.cacert.value, R_OK) != 0)
        return fail(KA_EXIT_USAGE, "cannot read the CA file %s (%s): %s — check --cacert",
                    r->s.cacert.value, r->s.cacert.origin, strerror(errno));
    return 0;
}

/* Step 4: the send options both front ends get, with the sandbox's mock started when there
 * is no key (or --sandbox). */
static int build_send_options(struct run *r)
{
    const struct args *a = &r->a;
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
        .base_url = settings_base_url(s),
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
    if (!r->ui && !r->index_cmd && !a->quiet && !a->dry_run)
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

static int run(int argc, char **argv, bool index_cmd)
{
    struct run r = { .index_cmd = index_cmd };
    int rc = parse_args(argc, argv, &r.a);
    if (rc)
        goto out;
    if (r.a.help) {
        fputs(usage_text, stdout);
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
    if (r.index_cmd) {
        struct cli_index_options io = { .send = &r.so, .json = r.a.json, .quiet = r.a.quiet,
                                        .enabled = settings_index_enabled(&r.s), .full = r.a.full };
        rc = cli_index_run(&io, r.files, r.nfiles);
    } else if (r.ui) {
        struct ui_options uo = { .send = &r.so, .start_dir = r.start_dir };
        rc = ui_run(&uo);
    } else {
        struct cli_options co = { .send = &r.so, .json = r.a.json, .dry_run = r.a.dry_run,
                                  .quiet = r.a.quiet };
        rc = cli_run(&co, r.files, r.nfiles);
    }
out:
    if (r.mock)
        mock_stop(r.mock);
    settings_free(&r.s);
    free(r.candidate);
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
    bool index_cmd = argc >= 2 && strcmp(argv[1], "index") == 0;
    int rc = index_cmd ? run(argc - 1, argv + 1, true) : run(argc, argv, false);
    mime_cleanup();
    curl_global_cleanup();
    return rc;
}
