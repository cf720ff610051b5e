/* Several FILEs to one target on the command line: the same checks and result lines as one
 * file (cli.c), but the uploads run on the batch engine (bulkrun.h), several at once, with
 * its journal: a run killed half-way is finished by running it again. */
#include "cli_many.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bulkrun.h"
#include "client.h"
#include "clock.h"
#include "cli_batch.h"
#include "cli_report.h"
#include "exitcodes.h"
#include "format.h"
#include "kombo.h"
#include "restrict.h"
#include "sendopts.h"
#include "transfer.h"
#include "xalloc.h"

struct many {
    const struct cli_options *o;
    struct cli_notes *notes;     /* per item */
    struct cli_batch_out out;    /* the progress line */
};

static void many_progress(const struct bulk_stats *s, void *cls)
{
    struct many *m = cls;
    cli_batch_progress(s, &m->out);
}

static void many_done(struct bulk_item *it, const struct transfer *upload, void *cls)
{
    struct many *m = cls;
    struct cli_notes *notes = &m->notes[it->row];
    if (m->out.progress) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    if (upload) {
        struct cli_verify_outcome v = {0};
        cli_report_result(m->o, it->shown, &it->att, notes, transfer_get_result(upload), &v);
    } else if (it->status == BULK_ALREADY) {
        cli_report_duplicate(m->o, it->shown, &it->att, notes, it->done_at);
    } else if (it->status == BULK_FOUND) {
        cli_report_duplicate(m->o, it->shown, &it->att, notes, time(NULL));
    } else {
        cli_report_early(m->o, it->shown, &it->att, notes, it->code, it->message);
    }
}

/* The checks of one file (as cli.c's attach_one): 0 with att filled, else its code with
 * the line printed. */
static int check_file(const struct cli_options *o, const char *file,
                      const struct restrictions *restr, struct cli_notes *notes,
                      struct attachment *att)
{
    const struct send_options *so = o->send;
    char err[600], why[600], refused[800];
    int code = attachment_init(att, file, so->name, so->type, so->content_type, err, sizeof err);
    if (code) {
        cli_report_early(o, file, NULL, notes, code, err);
        return code;
    }
    bool big = false;
    if ((code = att_check_size(att->size, so->max_size, &big, err, sizeof err)) != 0) {
        cli_report_early(o, file, NULL, notes, code, err);
    } else if (restrict_check(restr, att->type, att->size, att->content_type, why, sizeof why) ==
               RESTRICT_REFUSED) {
        snprintf(refused, sizeof refused, "not sent: %s — pick another --type or file (see "
                 "kombo-attach check)", why);
        code = KA_EXIT_USAGE;
        cli_report_early(o, file, att, notes, code, refused);
    } else {
        if (big) {
            char size[32];
            fmt_bytes(att->size, size, sizeof size);
            cli_note(notes, o->quiet, "%s: %s is over the 10 MB Kombo advises; many ATSs refuse "
                     "files this big", file, size);
        }
        if (att->content_type_generic)
            cli_note(notes, false, "%s: content type is %s; Kombo asks for a meaningful type: "
                     "pass --content-type", file, att->content_type);
        return 0;
    }
    attachment_free(att);
    return code;
}

int cli_many_run(const struct cli_options *o, struct client *client,
                 const struct restrictions *restr, char *const files[], int nfiles,
                 volatile sig_atomic_t *interrupted)
{
    const struct send_options *so = o->send;
    struct many m = { .o = o, .notes = xcalloc((size_t)nfiles, sizeof *m.notes) };
    m.out = (struct cli_batch_out){ .co = o, .progress = !o->quiet && isatty(STDERR_FILENO) };
    struct bulk_item *items = xcalloc((size_t)nfiles, sizeof *items);
    size_t n = 0;
    int worst = KA_EXIT_OK;
    for (int i = 0; i < nfiles; i++) {
        struct cli_notes *notes = &m.notes[n];
        if (so->candidate_id && !kombo_id_looks_valid(so->candidate_id) && i == 0)
            cli_note(notes, o->quiet, "candidate \"%s\" does not look like a Kombo ID (24 "
                     "base58 characters) — sending anyway; make sure it is Kombo's ID, not the "
                     "ATS's", so->candidate_id);
        struct attachment att;
        int code = check_file(o, files[i], restr, notes, &att);
        if (code) {
            worst = cli_worse_code(worst, code);
            cli_notes_free(notes);
            memset(notes, 0, sizeof *notes);
            continue;
        }
        /* row = the item's index: many_done finds its notes by it */
        bulk_item_init(&items[n], n, files[i], &att, so->candidate_id, so->application_id,
                       NULL, o->job_name);
        n++;
    }
    struct bulk_options bo = {
        .remote_fields = so->remote_fields,
        .no_history = so->no_history,
        .force = so->force,
        .interrupted = interrupted,
        .progress = many_progress,
        .done = many_done,
        .cls = &m,
    };
    int rc = n ? bulk_run(client, items, n, &bo) : KA_EXIT_OK;
    if (m.out.progress) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    worst = cli_worse_code(worst, rc);
    size_t not_run = 0;
    for (size_t i = 0; i < n; i++)
        not_run += items[i].status == BULK_PENDING;
    if (not_run)
        fprintf(stderr, "kombo-attach: cancelled — %zu file%s not sent\n", not_run,
                not_run == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        bulk_item_free(&items[i]);
        cli_notes_free(&m.notes[i]);
    }
    free(items);
    free(m.notes);
    return worst;
}
