/*
 * The election model: what a verified `dauys-election/1` package says, in
 * memory. Produced by package.c (parsing, validation, signature), consumed
 * by the voter flow and by stencil.c. No ncurses, no global state.
 *
 * Text objects keep one string per language; `say` texts are for speech
 * only (pronunciation spelled for the synthesiser) and may be NULL.
 */
#ifndef DAUYS_BALLOT_ELECTION_H
#define DAUYS_BALLOT_ELECTION_H

#include <stdbool.h>
#include <stddef.h>

enum election_lang {
    ELECTION_KK = 0,
    ELECTION_RU,
    ELECTION_EN,
    ELECTION_LANGS
};

/* A text in each language; NULL where the package gives none. */
struct election_text {
    char *s[ELECTION_LANGS];
};

enum ballot_kind { BALLOT_CANDIDATES, BALLOT_PARTIES, BALLOT_REFERENDUM };

enum corner_cut { CORNER_NONE, CORNER_TOP_LEFT, CORNER_TOP_RIGHT };

struct election_box {
    double x_mm, y_mm, w_mm, h_mm;
};

struct election_option {
    char id[65];
    int position; /* 1..N, the stencil window counted from the top */
    struct election_text label;
    struct election_text details; /* all NULL when absent */
    struct election_text say;     /* per language, may be NULL */
    bool against_all;
    struct election_box box;
};

struct election_ballot {
    char id[65];
    enum ballot_kind kind;
    struct election_text title;
    struct election_text instructions; /* all NULL when absent */
    int max_marks;
    double paper_w_mm, paper_h_mm;
    enum corner_cut corner_cut;
    size_t n_options;
    struct election_option *options;
};

struct election {
    char id[65];
    bool test;
    char date[11]; /* YYYY-MM-DD */
    struct election_text title;
    size_t n_ballots;
    struct election_ballot *ballots;
    char hash[65]; /* SHA-256 of election.json, lowercase hex */
};

/* Frees an election and all it owns. NULL is a no-op. */
void election_free(struct election *e);

/* Frees the texts of option O (label, details, say) and leaves them NULL;
 * the option itself stays with its owner. The package parser uses it for
 * the options it validates but does not keep. */
void election_option_clear(struct election_option *o);

/* Returns the ballot whose id is ID, or NULL. */
const struct election_ballot *election_find_ballot(const struct election *e,
                                                   const char *id);

#endif
