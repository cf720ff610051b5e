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
#include <sys/stat.h>
#include <unistd.h>

#include "attachment.h"
#include "base64.h"
#include "body.h"
#include "cli.h"
#include "exitcodes.h"
#include "format.h"
#include "mime.h"
#include "mock.h"
#include "settings.h"
#include "ui.h"
#include "upload.h"

#ifndef KA_VERSION
#define KA_VERSION "dev"
#endif

#define DEFAULT_RETRIES 3
#define DEFAULT_TIMEOUT_S 300
#define KEY_FILE_MAX 4096

static const char usage_text[] =
"Usage: kombo-attach [options] --candidate ID FILE...\n"
"       kombo-attach [options] [FOLDER]      (in a terminal: pick files in the UI)\n"
"       kombo-attach mock [--port N] [--inbox DIR] ...\n"
"       kombo-attach history [-n N] [--json]\n"
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
"  -v, --verbose             show the HTTP exchange on stderr (the key is redacted)\n"
"      --show-config         print the settings in use, where each came from, and exit\n"
"      --no-history          don't record uploads in the history file\n"
"  -h, --help                this help\n"
"  -V, --version             version of kombo-attach and libcurl\n"
"\n"
"Without FILE, in a terminal, kombo-attach opens a file picker (in FOLDER if given).\n"
"Without an API key (or with --sandbox) uploads go to a local mock server and the files\n"
"land in $XDG_DATA_HOME/kombo-attach/sandbox (~/.local/share/kombo-attach/sandbox).\n"
"\n"
"Environment:\n"
"  KOMBO_API_KEY          API key (from the Secrets page of the Kombo dashboard)\n"
"  KOMBO_INTEGRATION_ID   integration ID\n"
"  KOMBO_SERVER           eu or us\n"
"  KOMBO_BASE_URL         API base URL\n"
"  KOMBO_PROFILE          profile of the config file to use\n"
"  KOMBO_CONFIG           config file to read instead of the default\n"
"  Flags beat the environment, which beats the config file.\n"
"\n"
"Config file: $XDG_CONFIG_HOME/kombo-attach/config (~/.config/kombo-attach/config), INI:\n"
"  api_key = ...                  or  api_key_command = pass show kombo/api-key\n"
"  integration_id = workday:...   server = eu|us   base_url = URL\n"
"  default_type = CV              start_dir = ~/CVs   cacert = FILE\n"
"  [profile staging]              same keys, used with --profile staging\n"
"  A file holding api_key or api_key_command must not be readable by others (chmod 600).\n"
"  api_key_command runs with /bin/sh -c; the first line it prints is the key.\n"
"  Lines starting with # or ; are comments; \" ;\" starts a comment at the end of a line.\n"
"\n"
"Exit codes:\n"
"  0 every file attached      2 usage (bad flag, candidate ID, name)   3 file problem\n"
"  4 rejected by Kombo        5 server or network failure after retries\n"
"  6 config problem           7 internal error     130 cancelled (Ctrl-C)\n"
"  With several files, the highest code among them.\n";

/* Flags without a short form. */
enum {
    OPT_CONTENT_TYPE = 256, OPT_REMOTE_FIELDS, OPT_INTEGRATION_ID, OPT_SERVER, OPT_BASE_URL,
    OPT_API_KEY_FILE, OPT_API_KEY, OPT_CACERT, OPT_RETRIES, OPT_TIMEOUT, OPT_CONNECT_TIMEOUT,
    OPT_JSON, OPT_DRY_RUN, OPT_PROFILE, OPT_SHOW_CONFIG, OPT_SANDBOX, OPT_NO_HISTORY, OPT_MAX_SIZE,
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
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

struct args {
    const char *candidate, *type, *name, *content_type, *remote_fields;
    const char *integration_id, *server, *base_url, *api_key_file, *cacert, *profile, *max_size;
    long retries, timeout_s, connect_timeout_s;
    bool json, dry_run, quiet, verbose, show_config, sandbox, help, version, no_history;
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

/* A whole number in [min, max] or -1. */
static long parse_number(const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    return v;
}

/* Parse argv into *a; files are left in argv[optind..]. Returns 0 or an exit code. */
static int parse_args(int argc, char **argv, struct args *a)
{
    a->retries = DEFAULT_RETRIES;
    a->timeout_s = DEFAULT_TIMEOUT_S;
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
            if ((a->retries = parse_number(optarg, 0, 20)) < 0)
                return fail(KA_EXIT_USAGE, "--retries \"%s\" is not a number from 0 to 20 — "
                            "e.g. --retries 3", optarg);
            break;
        case OPT_TIMEOUT:
            if ((a->timeout_s = parse_number(optarg, 0, 86400)) < 0)
                return fail(KA_EXIT_USAGE, "--timeout \"%s\" is not a number of seconds (0 to 86400) — "
                            "e.g. --timeout 300", optarg);
            break;
        case OPT_CONNECT_TIMEOUT:
            if ((a->connect_timeout_s = parse_number(optarg, 0, 3600)) < 0)
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

/* The key from --api-key-file: its first line, trimmed. */
static int read_key_file(const char *path, char **key)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
    if (!f)
        return fail(KA_EXIT_CONFIG, "cannot read the API key file %s: %s — check --api-key-file",
                    path, strerror(errno));
    if (f != stdin) {
        struct stat st;
        if (fstat(fileno(f), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
            fprintf(stderr, "kombo-attach: warning: %s holds an API key and is readable by others; "
                    "run: chmod 600 %s\n", path, path);
    }
    char *buf = calloc(1, KEY_FILE_MAX);
    if (!buf)
        abort();
    bool got = fgets(buf, KEY_FILE_MAX, f) != NULL;
    if (f != stdin)
        fclose(f);
    char *s = buf;
    s[strcspn(s, "\r\n")] = '\0';
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    int rc = 0;
    if (!got || !n)
        rc = fail(KA_EXIT_CONFIG, "the API key file %s is empty — put the key on its first line",
                  strcmp(path, "-") == 0 ? "(stdin)" : path);
    else
        *key = strdup(s);
    explicit_bzero(buf, KEY_FILE_MAX);
    free(buf);
    return rc;
}

/* mkdir -p, private: the sandbox inbox holds the user's documents. */
static int make_dirs(const char *path)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
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

static int run(int argc, char **argv)
{
    struct args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc;
    if (a.help) {
        fputs(usage_text, stdout);
        return KA_EXIT_OK;
    }
    if (a.version) {
        printf("kombo-attach %s (base64 encoder: %s)\n%s\n", KA_VERSION, b64_kernel_name(), curl_version());
        return KA_EXIT_OK;
    }
    char **files = argv + optind;
    int nfiles = argc - optind;

    /* Checks that need no settings come first, so a typo is reported before a key
     * command runs. */
    enum att_type type = ATT_CV;
    if (a.type && att_type_parse(a.type, &type) != 0)
        return fail(KA_EXIT_USAGE, "unknown type \"%s\" — use --type CV, COVER_LETTER or OTHER", a.type);
    if (a.name && nfiles > 1)
        return fail(KA_EXIT_USAGE, "--name works with one FILE only (got %d) — attach the files one "
                    "by one to name each", nfiles);
    const char *problem;
    if (a.name && (problem = att_check_name(a.name)))
        return fail(KA_EXIT_USAGE, "bad --name: %s — pass a readable file name like Resume.pdf", problem);
    if (a.content_type && (problem = att_check_content_type(a.content_type))) {
        if (strchr(a.content_type, ';')) {
            char bare[256];
            bare_type(a.content_type, bare, sizeof bare);
            return fail(KA_EXIT_USAGE, "--content-type must not have parameters — pass the bare type: "
                        "--content-type %s", bare);
        }
        return fail(KA_EXIT_USAGE, "bad --content-type: %s — e.g. --content-type application/pdf",
                    problem);
    }
    if (a.remote_fields) {
        char why[300];
        if (body_check_remote_fields(a.remote_fields, why, sizeof why) != 0)
            return fail(KA_EXIT_USAGE, "bad --remote-fields: %s — e.g. --remote-fields "
                        "'{\"workable\":{\"on_behalf_of_user_remote_id\":\"42\"}}'", why);
    }
    if (a.candidate && (problem = upload_check_candidate_id(a.candidate)))
        return fail(KA_EXIT_USAGE, "bad candidate ID: %s — pass Kombo's candidate ID with --candidate",
                    problem);

    struct settings s = {0};
    if (a.integration_id) setting_set(&s.integration_id, a.integration_id, SRC_FLAG, "--integration-id");
    if (a.server) setting_set(&s.server, a.server, SRC_FLAG, "--server");
    if (a.base_url) setting_set(&s.base_url, a.base_url, SRC_FLAG, "--base-url");
    if (a.cacert) setting_set(&s.cacert, a.cacert, SRC_FLAG, "--cacert");
    if (a.profile) setting_set(&s.profile, a.profile, SRC_FLAG, "--profile");
    if (a.max_size) setting_set(&s.max_size, a.max_size, SRC_FLAG, "--max-size");
    if (a.api_key_file) {
        char *key = NULL;
        if ((rc = read_key_file(a.api_key_file, &key)) != 0) {
            settings_free(&s);
            return rc;
        }
        char origin[600];
        snprintf(origin, sizeof origin, "--api-key-file %s", a.api_key_file);
        setting_set(&s.api_key, key, SRC_FLAG, origin);
        explicit_bzero(key, strlen(key));
        free(key);
    }
    char err[1200];
    if ((rc = settings_load(&s, err, sizeof err)) != 0) {
        fail(rc, "%s", err);
        settings_free(&s);
        return rc;
    }
    if (a.show_config) {
        settings_print(&s, stdout);
        if (!s.api_key.value)
            printf("(no API key: uploads would go to the local sandbox)\n");
        settings_free(&s);
        return KA_EXIT_OK;
    }
    if (!a.type && s.default_type.value)
        att_type_parse(s.default_type.value, &type);

    /* Which mode: the UI needs a terminal on both ends; scripts get the command line. */
    bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    bool ui = false;
    const char *start_dir = s.start_dir.value;
    if (nfiles == 0) {
        if (!tty || a.json || a.dry_run) {
            settings_free(&s);
            return fail(KA_EXIT_USAGE, "no FILE given — pass the files to attach (the file picker "
                        "needs a terminal, and --json/--dry-run need files)");
        }
        ui = true;
    } else if (nfiles == 1 && tty && !a.json && !a.dry_run && is_dir(files[0])) {
        /* A folder cannot be attached; in a terminal the user surely means "pick from here". */
        ui = true;
        start_dir = files[0];
    }
    if (!ui && !a.candidate) {
        settings_free(&s);
        return fail(KA_EXIT_USAGE, "no candidate — pass Kombo's candidate ID with --candidate ID");
    }
    if (s.cacert.value && access(s.cacert.value, R_OK) != 0) {
        rc = fail(KA_EXIT_USAGE, "cannot read the CA file %s (%s): %s — check --cacert", s.cacert.value,
                  s.cacert.origin, strerror(errno));
        settings_free(&s);
        return rc;
    }

    bool sandbox = a.sandbox || !s.api_key.value;
    if (!sandbox && !s.integration_id.value) {
        settings_free(&s);
        return fail(KA_EXIT_USAGE, "no integration ID — set KOMBO_INTEGRATION_ID, pass "
                    "--integration-id ID or add integration_id to the config file");
    }

    char inbox[PATH_MAX];
    struct mock *mock = NULL;
    const char *base_url = settings_base_url(&s);
    const char *api_key = s.api_key.value;
    const char *integration_id = s.integration_id.value;
    if (sandbox) {
        sandbox_inbox(inbox, sizeof inbox);
        if (make_dirs(inbox) != 0) {
            rc = fail(KA_EXIT_CONFIG, "cannot create the sandbox folder %s: %s — set XDG_DATA_HOME "
                      "to a writable folder", inbox, strerror(errno));
            settings_free(&s);
            return rc;
        }
        struct mock_config mc = { .port = 0, .inbox = inbox, .quiet = true };
        mock = mock_start(&mc, err, sizeof err);
        if (!mock) {
            rc = fail(KA_EXIT_INTERNAL, "cannot start the sandbox server: %s", err);
            settings_free(&s);
            return rc;
        }
        base_url = mock_base_url(mock);
        /* Never hand a real key to the mock: it is not Kombo. */
        api_key = "sandbox";
        if (!integration_id)
            integration_id = "sandbox:demo";
        if (!ui && !a.quiet && !a.dry_run)
            fprintf(stderr, "sandbox: %s — sending to the local mock; files land in %s\n",
                    a.sandbox ? "--sandbox given" : "no API key configured", inbox);
    }

    int max_attempts = (int)a.retries + 1;
    uint64_t max_size = 0;
    fmt_parse_bytes(s.max_size.value, &max_size); /* checked by the flag parser and settings */
    if (ui) {
        struct ui_options uo = {
            .start_dir = start_dir,
            .base_url = base_url,
            .server_label = sandbox ? "SANDBOX" : s.base_url.value ? s.base_url.value
                          : s.server.value ? s.server.value : "eu",
            .api_key = api_key,
            .integration_id = integration_id,
            .profile = s.profile.value,
            .sandbox = sandbox,
            .sandbox_inbox = sandbox ? inbox : NULL,
            .default_type = type,
            .candidate_id = a.candidate,
            .max_attempts = max_attempts,
            .timeout_s = a.timeout_s,
            .cacert = s.cacert.value,
            .no_history = a.no_history,
            .max_size = max_size,
        };
        rc = ui_run(&uo);
    } else {
        struct cli_options co = {
            .candidate_id = a.candidate,
            .type = type,
            .name = a.name,
            .content_type = a.content_type,
            .remote_fields = a.remote_fields,
            .base_url = base_url,
            .api_key = api_key,
            .integration_id = integration_id,
            .cacert = s.cacert.value,
            .max_attempts = max_attempts,
            .timeout_s = a.timeout_s,
            .connect_timeout_s = a.connect_timeout_s,
            .json = a.json,
            .dry_run = a.dry_run,
            .quiet = a.quiet,
            .verbose = a.verbose,
            .no_history = a.no_history,
            .max_size = max_size,
        };
        rc = cli_run(&co, files, nfiles);
    }
    if (mock)
        mock_stop(mock);
    settings_free(&s);
    return rc;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    if (argc >= 2 && strcmp(argv[1], "mock") == 0)
        return mock_main(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "history") == 0)
        return cli_history(argc - 1, argv + 1);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "kombo-attach: could not initialise libcurl\n");
        return KA_EXIT_INTERNAL;
    }
    int rc = run(argc, argv);
    mime_cleanup();
    curl_global_cleanup();
    return rc;
}
