/* Process exit codes shared by every front end; documented in README and --help. */
#ifndef KA_EXITCODES_H
#define KA_EXITCODES_H

enum ka_exit {
    KA_EXIT_OK = 0,        /* every file attached */
    KA_EXIT_USAGE = 2,     /* bad flags, bad candidate ID, bad name, bad settings */
    KA_EXIT_FILE = 3,      /* file missing, unreadable, not a regular file, changed while sending */
    KA_EXIT_API = 4,       /* Kombo rejected the request (4xx other than 429) */
    KA_EXIT_SERVER = 5,    /* server error, rate limit or network failure after all retries */
    KA_EXIT_CONFIG = 6,    /* config file unreadable, unsafe permissions, key command failed */
    KA_EXIT_INTERNAL = 7,  /* out of memory, library failure */
    KA_EXIT_UNKNOWN = 8,   /* the server may have attached the file: check before sending again */
    KA_EXIT_UNVERIFIED = 9, /* sent, but --verify did not find it listed or its download differs */
    KA_EXIT_CANCELLED = 130 /* interrupted by the user (Ctrl-C) */
};

#endif
