/* The generated data set: the four fixed candidates the README and the tests name, then
 * people drawn from a seed (splitmix64, so the same seed gives the same data on every
 * machine and run): names of many languages and scripts, e-mails spelled in ASCII as mail
 * systems want them, applications to a pool of real-sounding jobs, some deleted. Pool
 * strings are put in the arena once and shared by every candidate that uses them. */
#include "mock_data.h"

#include "kombo.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

struct rng { uint64_t s; };

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static unsigned rng_below(struct rng *r, unsigned n)
{
    return (unsigned)((rng_next(r) >> 32) * n >> 32);
}

static uint32_t gen_id(struct md_set *s, struct rng *r)
{
    static const char b58[] = KOMBO_BASE58;
    char id[KOMBO_ID_LEN + 1];
    for (int i = 0; i < KOMBO_ID_LEN; i++)
        id[i] = b58[rng_below(r, sizeof b58 - 1)];
    id[KOMBO_ID_LEN] = '\0';
    return mock_data_str(s, id);
}

/* ---------------------------------------------------------------- the pools */

struct name { const char *name, *ascii; };

struct language {
    struct name first[5], last[5];
    const char *city, *country, *phone_prefix;
};

/* None of the fixed candidates' names (Frank, Jane, Ada, Doe, Smith, Lovelace) is here,
 * so a filter on them finds exactly the fixed ones however many are generated. */
static const struct language languages[] = {
    { { {"Zoë", "zoe"}, {"Jürgen", "juergen"}, {"Lena", "lena"}, {"Björn", "bjoern"}, {"Mia", "mia"} },
      { {"Müller", "mueller"}, {"Schröder", "schroeder"}, {"Weiß", "weiss"}, {"Köhler", "koehler"},
        {"Becker", "becker"} }, "Berlin", "DE", "+49 151 " },
    { { {"Łukasz", "lukasz"}, {"Agnieszka", "agnieszka"}, {"Wojciech", "wojciech"},
        {"Małgorzata", "malgorzata"}, {"Zbigniew", "zbigniew"} },
      { {"Wiśniewski", "wisniewski"}, {"Kowalczyk", "kowalczyk"}, {"Łęcka", "lecka"},
        {"Żak", "zak"}, {"Dąbrowska", "dabrowska"} }, "Kraków", "PL", "+48 512 " },
    { { {"伟", "wei"}, {"芳", "fang"}, {"秀英", "xiuying"}, {"磊", "lei"}, {"静", "jing"} },
      { {"李", "li"}, {"王", "wang"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"} },
      "Shanghai", "CN", "+86 139 " },
    { { {"Mai", "mai"}, {"Minh Anh", "minhanh"}, {"Văn Đức", "vanduc"}, {"Phương", "phuong"},
        {"Quốc Bảo", "quocbao"} },
      { {"Nguyễn", "nguyen"}, {"Trần", "tran"}, {"Lê", "le"}, {"Phạm", "pham"}, {"Hoàng", "hoang"} },
      "Hà Nội", "VN", "+84 91 " },
    { { {"José", "jose"}, {"María", "maria"}, {"Álvaro", "alvaro"}, {"Lucía", "lucia"}, {"Íñigo", "inigo"} },
      { {"García", "garcia"}, {"Martínez", "martinez"}, {"Núñez", "nunez"}, {"Rodríguez", "rodriguez"},
        {"Peña", "pena"} }, "Sevilla", "ES", "+34 612 " },
    { { {"Siobhán", "siobhan"}, {"Seán", "sean"}, {"Aoife", "aoife"}, {"Ciarán", "ciaran"}, {"Niamh", "niamh"} },
      { {"O'Brien", "obrien"}, {"O'Connor", "oconnor"}, {"Murphy", "murphy"},
        {"Ó Súilleabháin", "osuilleabhain"}, {"McCarthy", "mccarthy"} }, "Dublin", "IE", "+353 87 " },
    { { {"Γιώργος", "giorgos"}, {"Ελένη", "eleni"}, {"Δημήτρης", "dimitris"}, {"Σοφία", "sofia"},
        {"Νίκος", "nikos"} },
      { {"Παπαδόπουλος", "papadopoulos"}, {"Οικονόμου", "oikonomou"}, {"Γεωργίου", "georgiou"},
        {"Αλεξίου", "alexiou"}, {"Βλάχος", "vlachos"} }, "Αθήνα", "GR", "+30 694 " },
    { { {"Олексій", "oleksii"}, {"Ольга", "olga"}, {"Дмитро", "dmytro"}, {"Наталія", "nataliia"},
        {"Ірина", "iryna"} },
      { {"Шевченко", "shevchenko"}, {"Коваленко", "kovalenko"}, {"Бондаренко", "bondarenko"},
        {"Ткаченко", "tkachenko"}, {"Мельник", "melnyk"} }, "Київ", "UA", "+380 67 " },
    { { {"Chloé", "chloe"}, {"Élodie", "elodie"}, {"François", "francois"}, {"Amélie", "amelie"},
        {"Noël", "noel"} },
      { {"Lefèvre", "lefevre"}, {"Dubois", "dubois"}, {"Garnier", "garnier"}, {"Bézier", "bezier"},
        {"Leroy", "leroy"} }, "Lyon", "FR", "+33 6 " },
    { { {"Çağla", "cagla"}, {"Emre", "emre"}, {"Şebnem", "sebnem"}, {"Oğuz", "oguz"}, {"İlayda", "ilayda"} },
      { {"Yılmaz", "yilmaz"}, {"Öztürk", "ozturk"}, {"Çelik", "celik"}, {"Şahin", "sahin"},
        {"Aydın", "aydin"} }, "İstanbul", "TR", "+90 532 " },
    { { {"Søren", "soren"}, {"Åsa", "asa"}, {"Ingrid", "ingrid"}, {"Mikael", "mikael"}, {"Freja", "freja"} },
      { {"Jørgensen", "jorgensen"}, {"Ångström", "angstrom"}, {"Lindqvist", "lindqvist"},
        {"Østergaard", "ostergaard"}, {"Berg", "berg"} }, "København", "DK", "+45 20 " },
    { { {"陽菜", "hina"}, {"蓮", "ren"}, {"さくら", "sakura"}, {"大翔", "hiroto"}, {"結衣", "yui"} },
      { {"佐藤", "sato"}, {"鈴木", "suzuki"}, {"高橋", "takahashi"}, {"田中", "tanaka"}, {"伊藤", "ito"} },
      "東京", "JP", "+81 90 " },
    { { {"Olivia", "olivia"}, {"Noah", "noah"}, {"Amara", "amara"}, {"Darnell", "darnell"}, {"Priya", "priya"} },
      { {"Johnson", "johnson"}, {"Okafor", "okafor"}, {"Nakamura", "nakamura"}, {"Williams", "williams"},
        {"Patel", "patel"} }, "Austin", "US", "+1 512 " },
    { { {"ليلى", "layla"}, {"عمر", "omar"}, {"Yasmin", "yasmin"}, {"Karim", "karim"}, {"نور", "nour"} },
      { {"حداد", "haddad"}, {"Al-Farsi", "alfarsi"}, {"منصور", "mansour"}, {"Khalil", "khalil"},
        {"Saleh", "saleh"} }, "Dubai", "AE", "+971 50 " },
};
#define N_LANG (sizeof languages / sizeof languages[0])

static const struct { const char *name, *domain; } companies[] = {
    {"Globex", "globex.example"}, {"Initech", "initech.example"},
    {"Umbrella Labs", "umbrella-labs.example"}, {"Müller & Söhne KG", "mueller-soehne.example"},
    {"Nordwind AB", "nordwind.example"}, {"Café Olé SL", "cafe-ole.example"},
    {"Hooli", "hooli.example"}, {"Vandelay Industries", "vandelay.example"},
    {"Soylent AG", "soylent.example"}, {"Tyrell Corporation", "tyrell.example"},
    {"Zhōngshān Robotics", "zhongshan-robotics.example"}, {"Ōkami Games", "okami-games.example"},
};

static const char *const titles[] = {
    "Backend Engineer", "Product Designer", "Data Scientist", "Engineering Manager",
    "Site Reliability Engineer", "Frontend Developer", "UX Researcher", "Account Executive",
    "Customer Success Manager", "HR Business Partner", "Financial Analyst", "Marketing Lead",
    "QA Engineer", "DevOps Engineer", "Technical Writer", "iOS Developer", "Security Engineer",
};

static const char *const sources[] = {
    "LinkedIn", "Career Site", "Employee Referral", "Indeed", "Agency", "StepStone", NULL,
};

static const char *const personal_domains[] = {
    "example.com", "example.org", "example.net", "mail.example", "posteo.example",
};

/* The fixed candidates' jobs keep their IDs; the others get IDs from the seed. */
static const struct { const char *id, *name; } fixed_jobs[] = {
    {"J1ob2Kc3Ld4Me5Nf6Pg7Qh8R", "Backend Engineer"}, {"J2ob3Kc4Ld5Me6Nf7Pg8Qh9S", "Product Designer"},
    {"J3ob4Kc5Ld6Me7Nf8Pg9Qh1T", "Research Engineer"}, {"J4ob5Kc6Ld7Me8Nf9Pg1Qh2U", "Software Engineer"},
};

static const char *const job_names[] = {
    "Senior Backend Engineer (Go)", "Staff Frontend Engineer", "Data Scientist – Forecasting",
    "Engineering Manager, Platform", "Site Reliability Engineer", "Customer Success Manager DACH",
    "Account Executive, Enterprise", "Working Student Marketing (m/w/d)", "Head of People",
    "Financial Controller", "QA Automation Engineer", "DevOps Engineer", "Technical Writer",
    "iOS Developer", "Security Engineer", "Product Manager, Payments",
};

static const char *const stage_names[] = {
    "Application Review", "Phone Screen", "Technical Interview", "Onsite", "Offer", "Hired",
};
#define N_STAGES (sizeof stage_names / sizeof stage_names[0])

static const char *const rejection_reasons[] = {
    "Not a fit for the role", "Position filled", "Candidate withdrew", "Salary expectations",
    "No response",
};

#define N_OF(a) (sizeof (a) / sizeof (a)[0])
#define N_JOBS (N_OF(fixed_jobs) + N_OF(job_names))

struct pools {
    uint32_t job_id[N_JOBS], job_name[N_JOBS], job_remote[N_JOBS];
    uint32_t stage_id[N_STAGES], stage_name[N_STAGES], stage_remote[N_STAGES];
    uint32_t company[N_OF(companies)], title[N_OF(titles)], source[N_OF(sources)];
    uint32_t reason[N_OF(rejection_reasons)];
    uint32_t first[N_LANG][5], last[N_LANG][5], city[N_LANG], country[N_LANG];
    uint32_t type_personal, type_work, type_other, type_mobile;
};

/* 2022-01-01T00:00:00Z: generated histories start here, whatever the clock says. */
#define EPOCH_MS 1640995200000LL
#define DAY_MS 86400000LL

static uint32_t num_str(struct md_set *s, uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    return mock_data_str(s, b);
}

static void make_pools(struct md_set *s, struct rng *r, struct pools *p)
{
    for (size_t i = 0; i < N_JOBS; i++) {
        bool fixed = i < N_OF(fixed_jobs);
        p->job_id[i] = fixed ? mock_data_str(s, fixed_jobs[i].id) : gen_id(s, r);
        p->job_name[i] = mock_data_str(s, fixed ? fixed_jobs[i].name
                                                : job_names[i - N_OF(fixed_jobs)]);
        p->job_remote[i] = num_str(s, 4000100 + i * 37);
    }
    for (size_t i = 0; i < N_STAGES; i++) {
        p->stage_id[i] = gen_id(s, r);
        p->stage_name[i] = mock_data_str(s, stage_names[i]);
        p->stage_remote[i] = num_str(s, 900 + i);
    }
    for (size_t i = 0; i < N_OF(companies); i++)
        p->company[i] = mock_data_str(s, companies[i].name);
    for (size_t i = 0; i < N_OF(titles); i++)
        p->title[i] = mock_data_str(s, titles[i]);
    for (size_t i = 0; i < N_OF(sources); i++)
        p->source[i] = mock_data_str(s, sources[i]);
    for (size_t i = 0; i < N_OF(rejection_reasons); i++)
        p->reason[i] = mock_data_str(s, rejection_reasons[i]);
    for (size_t l = 0; l < N_LANG; l++) {
        for (int k = 0; k < 5; k++) {
            p->first[l][k] = mock_data_str(s, languages[l].first[k].name);
            p->last[l][k] = mock_data_str(s, languages[l].last[k].name);
        }
        p->city[l] = mock_data_str(s, languages[l].city);
        p->country[l] = mock_data_str(s, languages[l].country);
    }
    p->type_personal = mock_data_str(s, "PERSONAL");
    p->type_work = mock_data_str(s, "WORK");
    p->type_other = mock_data_str(s, "OTHER");
    p->type_mobile = mock_data_str(s, "MOBILE");
}

static uint32_t url_of(struct md_set *s, const char *kind, uint32_t remote_id)
{
    char b[96];
    snprintf(b, sizeof b, "https://app.greenhouse.example/%s/%s", kind, s->str + remote_id);
    return mock_data_str(s, b);
}

/* ------------------------------------------------------------ the fixed four */

static const struct {
    const char *id, *first, *last, *email, *company, *title, *app_id;
    int job;
} seeds[MD_SEEDS] = {
    { "4B7z5qJ8dXcR2mTnWvKpLs9a", "Frank", "Doe", "frank.doe@example.com", "Acme GmbH",
      "Backend Engineer", "A1pp2Bq3Cr4Ds5Et6Fu7Gv8H", 0 },
    { "7Hx3PqR9tYvW2kZmNbCd8EfG", "Jane", "Smith", "jane.smith@example.org", "Globex",
      "Product Designer", "Ap9Kx8Ly7Mz6Nw5Pv4Qu3Rt2", 1 },
    { "9sDf4GhJk2LmN5pQr7StUv3W", "Ada", "Lovelace", "ada@example.net", "Analytical Engines",
      "Mathematician", "Bq2Wc3Xd4Ye5Zf6ag7bh8ci9", 2 },
    /* The README's example candidate: what the docs show works in the sandbox as written. */
    { "4B9bJBkJ6jEGfpdpcCJ7JKJ9", "Frank", "Doe", "frank@example.com", "Kombo Demo Ltd",
      "Software Engineer", "Cr5Xd6Ye7Zf8ag9bh1ci2dj3", 3 },
};

static void add_app(struct md_set *s, struct md_cand *c, const struct pools *p, uint32_t id,
                    size_t job, struct rng *r, uint64_t serial)
{
    struct md_app *a = mock_data_add_app(s, c);
    a->id = id;
    a->remote_id = num_str(s, 7000000 + serial);
    a->remote_url = url_of(s, "applications", a->remote_id);
    a->job_id = p->job_id[job];
    a->job_name = p->job_name[job];
    a->job_remote_id = p->job_remote[job];
    a->created = c->created + (int64_t)rng_below(r, 30) * DAY_MS + rng_below(r, 86400) * 1000LL;
    a->updated = a->created + (int64_t)rng_below(r, 60) * DAY_MS;
    unsigned o = rng_below(r, 20);     /* 60% pending, 25% declined, 5% hired, 10% null */
    unsigned stage = rng_below(r, N_STAGES - 1);
    a->outcome = o < 12 ? MD_OUT_PENDING : o < 17 ? MD_OUT_DECLINED : o < 18 ? MD_OUT_HIRED : MD_OUT_NULL;
    if (a->outcome == MD_OUT_HIRED)
        stage = N_STAGES - 1;
    if (a->outcome == MD_OUT_DECLINED) {
        a->rejection_reason = p->reason[rng_below(r, N_OF(rejection_reasons))];
        a->rejected = a->updated;
    }
    if (a->outcome != MD_OUT_NULL || rng_below(r, 2)) {
        a->stage_id = p->stage_id[stage];
        a->stage_name = p->stage_name[stage];
        a->stage_remote_id = p->stage_remote[stage];
        a->stage_index = (int32_t)stage;
    }
    a->changed = a->updated;
    if (a->changed > c->changed)       /* the candidate changes with its applications */
        c->changed = c->updated = a->changed;
}

static void add_seed(struct md_set *s, const struct pools *p, size_t i, struct rng *r)
{
    struct md_cand *c = mock_data_add_cand(s);
    c->id = mock_data_str(s, seeds[i].id);
    c->remote_id = mock_data_str(s, seeds[i].id + 16);
    c->first = mock_data_str(s, seeds[i].first);
    c->last = mock_data_str(s, seeds[i].last);
    c->company = mock_data_str(s, seeds[i].company);
    c->title = mock_data_str(s, seeds[i].title);
    c->source = p->source[0];
    c->remote_url = url_of(s, "people", c->remote_id);
    c->city = p->city[0];
    c->country = p->country[0];
    c->created = EPOCH_MS + (int64_t)i * DAY_MS;
    c->updated = c->changed = c->created + 7 * DAY_MS;
    struct md_email *e = mock_data_add_email(s, c);
    e->addr = mock_data_str(s, seeds[i].email);
    e->type = p->type_personal;
    add_app(s, c, p, mock_data_str(s, seeds[i].app_id), (size_t)seeds[i].job, r, i);
    s->apps[c->apps].outcome = MD_OUT_PENDING;
}

/* ------------------------------------------------------------ generated people */

static void add_person(struct md_set *s, const struct pools *p, size_t i, struct rng *r)
{
    struct md_cand *c = mock_data_add_cand(s);
    size_t l = rng_below(r, N_LANG);
    unsigned fi = rng_below(r, 5), li = rng_below(r, 5);
    const struct language *lang = &languages[l];
    c->id = gen_id(s, r);
    c->remote_id = num_str(s, 48000000 + i * 7 + rng_below(r, 7));
    c->first = p->first[l][fi];
    c->last = p->last[l][li];
    unsigned co = rng_below(r, N_OF(companies));
    c->company = p->company[co];
    c->title = p->title[rng_below(r, N_OF(titles))];
    c->source = p->source[rng_below(r, N_OF(sources))];
    c->remote_url = url_of(s, "people", c->remote_id);
    c->city = p->city[l];
    c->country = p->country[l];
    char b[160];
    snprintf(b, sizeof b, "%s%07u", lang->phone_prefix, rng_below(r, 10000000));
    c->phone = mock_data_str(s, b);
    c->phone_type = p->type_mobile;
    c->created = EPOCH_MS + (int64_t)rng_below(r, 3 * 365) * DAY_MS + rng_below(r, 86400) * 1000LL;
    c->updated = c->created + (int64_t)rng_below(r, 180) * DAY_MS;
    c->changed = c->updated + rng_below(r, 5 * 86400) * 1000LL;

    const char *fa = lang->first[fi].ascii, *la = lang->last[li].ascii;
    unsigned n_mail = 1 + rng_below(r, 3);
    /* The number keeps addresses apart however many people share a name. */
    snprintf(b, sizeof b, "%s.%s%zu@%s", fa, la, i, personal_domains[rng_below(r, N_OF(personal_domains))]);
    struct md_email *e = mock_data_add_email(s, c);
    e->addr = mock_data_str(s, b);
    e->type = p->type_personal;
    if (n_mail > 1) {
        /* Capitals as ATSs keep them: the e-mail filter must ignore case. */
        snprintf(b, sizeof b, "%c%s.%c%s%zu@%s", fa[0] - 32, fa + 1, la[0] - 32, la + 1, i,
                 companies[co].domain);
        e = mock_data_add_email(s, c);
        e->addr = mock_data_str(s, b);
        e->type = p->type_work;
    }
    if (n_mail > 2) {
        snprintf(b, sizeof b, "%.1s%s+jobs%zu@%s", fa, la, i, personal_domains[i % N_OF(personal_domains)]);
        e = mock_data_add_email(s, c);
        e->addr = mock_data_str(s, b);
        e->type = p->type_other;
    }

    unsigned w = rng_below(r, 20);     /* 0..4 applications: 10, 50, 25, 10, 5 % */
    unsigned n_apps = w < 2 ? 0 : w < 12 ? 1 : w < 17 ? 2 : w < 19 ? 3 : 4;
    size_t used[4];
    for (unsigned k = 0; k < n_apps; k++) {
        size_t job;
        bool dup;
        do {                           /* one application per job */
            job = rng_below(r, N_JOBS);
            dup = false;
            for (unsigned j = 0; j < k; j++)
                dup |= used[j] == job;
        } while (dup);
        used[k] = job;
        add_app(s, c, p, gen_id(s, r), job, r, (uint64_t)i * 4 + k);
    }
    if (rng_below(r, 25) == 0) {       /* 4% gone from the ATS */
        c->deleted = c->changed + (int64_t)(1 + rng_below(r, 10)) * DAY_MS;
        c->changed = c->deleted;
    }
}

void mock_gen_fill(struct md_set *s, unsigned n, uint64_t seed)
{
    struct rng r = { seed ^ 0x6B6F6D626F6D6F63ULL };
    struct pools p;
    make_pools(s, &r, &p);
    for (size_t i = 0; i < n; i++) {
        if (i < MD_SEEDS)
            add_seed(s, &p, i, &r);
        else
            add_person(s, &p, i, &r);
    }
}
