/* libFuzzer harness for settings_load (the INI config file) and settings_print.
 *
 * The input is written, mode 600, as $XDG_CONFIG_HOME/kombo-attach/config in a private
 * temporary directory (HOME points there too), then loaded, printed to /dev/null and freed.
 * Leading comment lines "#p:NAME", "#s:", "#b:", "#t:", "#i:" also set --profile,
 * --server, --base-url, --type and --integration-id as flags would, so the profile and flag
 * paths are reached; they are ordinary comments to the INI parser.
 *
 * Inputs that mention api_key_command (in any case) are skipped: settings_load would run
 * the value through /bin/sh, and a fuzzer must not run arbitrary commands. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_tmp.h"
#include "settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char cfg_path[320];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = fuzz_workdir("fuzz-settings");
    char xdg[280], cfg_dir[300];
    snprintf(xdg, sizeof xdg, "%s/.config", dir);
    snprintf(cfg_dir, sizeof cfg_dir, "%s/kombo-attach", xdg);
    snprintf(cfg_path, sizeof cfg_path, "%s/config", cfg_dir);
    if (mkdir(xdg, 0700) != 0 || mkdir(cfg_dir, 0700) != 0) {
        perror("fuzz_settings: mkdir");
        exit(1);
    }
    setenv("HOME", dir, 1);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    static const char *const clear[] = {
        "KOMBO_CONFIG", "KOMBO_PROFILE", "KOMBO_API_KEY", "KOMBO_INTEGRATION_ID",
        "KOMBO_SERVER", "KOMBO_BASE_URL",
    };
    for (size_t i = 0; i < sizeof clear / sizeof clear[0]; i++)
        unsetenv(clear[i]);
    devnull = fopen("/dev/null", "w");
    if (!devnull) {
        perror("fuzz_settings: /dev/null");
        exit(1);
    }
    return 0;
}

static int mentions_key_command(const uint8_t *data, size_t size)
{
    static const char word[] = "api_key_command";
    size_t m = sizeof word - 1;
    for (size_t i = 0; i + m <= size; i++)
        if (strncasecmp((const char *)data + i, word, m) == 0)
            return 1;
    return 0;
}

static int write_config(const uint8_t *data, size_t size)
{
    int fd = open(cfg_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    int rc = fchmod(fd, 0600);
    size_t off = 0;
    while (rc == 0 && off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0)
            rc = -1;
        else
            off += (size_t)w;
    }
    close(fd);
    return rc;
}

/* "#X:value" lines at the top set flag values. */
static void apply_flags(const uint8_t *data, size_t size, struct settings *s)
{
    size_t i = 0;
    while (i + 3 <= size && data[i] == '#' && data[i + 2] == ':') {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        size_t end = nl ? (size_t)(nl - data) : size;
        if (end < i + 3) /* "#\n:" is no flag line */
            break;
        char *v = fuzz_copy_n(data + i + 3, end - i - 3);
        const char *flag = NULL;
        switch (data[i + 1]) {
        case 'p': flag = "--profile"; break;
        case 's': flag = "--server"; break;
        case 'b': flag = "--base-url"; break;
        case 't': flag = "--type"; break;
        case 'i': flag = "--integration-id"; break;
        default: break;
        }
        struct setting *st = flag ? settings_for_flag(s, flag) : NULL;
        if (flag && !st) {
            fprintf(stderr, "fuzz_settings: settings_for_flag does not know %s\n", flag);
            abort();
        }
        if (st)
            setting_set(st, v, SRC_FLAG, flag);
        free(v);
        if (!nl)
            break;
        i = end + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (mentions_key_command(data, size))
        return 0;
    if (write_config(data, size) != 0) {
        perror("fuzz_settings: writing the config file");
        abort();
    }
    struct settings s;
    memset(&s, 0, sizeof s);
    apply_flags(data, size, &s);

    char err[512];
    memset(err, 'X', sizeof err);
    int rc = settings_load(&s, err, sizeof err);
    if (memchr(err, '\0', sizeof err) == NULL) {
        fprintf(stderr, "fuzz_settings: err is not NUL-terminated\n");
        abort();
    }
    if (rc == 0 && err[0]) {
        fprintf(stderr, "fuzz_settings: success with a message: %s\n", err);
        abort();
    }
    if (rc != 0 && !err[0]) {
        fprintf(stderr, "fuzz_settings: failure %d without a message\n", rc);
        abort();
    }
    if (strchr(err, '\n')) {
        fprintf(stderr, "fuzz_settings: the message is not one line: %s\n", err);
        abort();
    }
    if (rc == 0 && (!s.server.value || !s.default_type.value || !s.config_path)) {
        fprintf(stderr, "fuzz_settings: success without server/default_type/config_path\n");
        abort();
    }
    const char *url = settings_base_url(&s);
    if (!url || !*url) {
        fprintf(stderr, "fuzz_settings: empty base URL\n");
        abort();
    }
    char *red = settings_redact(s.api_key.value);
    if (!red) {
        fprintf(stderr, "fuzz_settings: settings_redact returned NULL\n");
        abort();
    }
    free(red);
    settings_print(&s, devnull);
    fflush(devnull);
    settings_free(&s);
    return 0;
}
