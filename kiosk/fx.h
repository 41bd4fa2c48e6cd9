/*
 * Effects: what a screen asks the world to do, as data.
 *
 * Screens never perform I/O. They append effects to a list; the app layer
 * handles navigation effects itself and passes the rest to the event loop,
 * which speaks, stops speech, stores, prints or quits. Unit tests read the
 * same list to see what a key press would have done.
 */
#ifndef DAUYS_KIOSK_FX_H
#define DAUYS_KIOSK_FX_H

#include <stddef.h>

struct report_check;
struct screen;
struct services_call;

enum fx_kind {
    FX_SAY,            /* speak text: spans, each in its language */
    FX_STOP,           /* barge-in: purge speech */
    FX_TONE,           /* a neutral confirmation tone (masked PIN digits) */
    FX_RATE,           /* speech rate changed to value (percent) */
    FX_VOLUME,         /* volume changed to value (a level, 0..10) */
    FX_PUSH,           /* open screen on top (ownership passes) */
    FX_POP,            /* close the current screen */
    FX_REPLACE,        /* replace the current screen by screen */
    FX_HOME,           /* end the visitor's session: wipe, welcome screen */
    FX_SET_LANG,       /* the visitor chose language value */
    FX_SELFTEST,       /* run the self-test and show its report */
    FX_QUIT,           /* staff quit the kiosk */
    FX_LOG,            /* audit/system log line (never personal data) */
    FX_VOTING,         /* staff opened (value 1) or closed (0) voting */
    FX_LOAD_PACKAGE,   /* load the election package in directory text */
    FX_WRITE_STENCILS, /* write every ballot's stencils into directory text
                          (NULL: onto the USB stick, else ask for one) */
    FX_MEDIA_LOAD,     /* list the packages on the USB stick to load one
                          (no stick: ask for a directory) */
    FX_AUDIT,          /* a staff action for the audit log (never voter data) */
    FX_FOCUS,          /* put the focus on the current screen's option value */
    FX_SERVICES,       /* carry out call through the services port and hand it
                     back to the screen's reply() */
    FX_VOTER_SESSION,  /* a voter started voting: counted, nothing else */
    FX_GUARD,          /* the staff-login guard changed: keep it */
    FX_EXPORT_OUTBOX,  /* staff: write the sealed outbox into directory text,
                          an FX_SERVICES EXPORT call for the screen below */
    FX_CONFIGURE,      /* accept the signed terminal configuration on the
                          stick (kiosk/configure.h) */
    FX_RESTART,        /* start the kiosk again with its new configuration */
    FX_REPORT,         /* make report value (enum report_kind): print it and
                          write its PDF into directory text; an opening report
                          carries the check */
    FX_PRINT_TEST,     /* print the printer's test line */
    FX_GUIDE,          /* the staff guide: value 0 prints the short version,
                          1 writes both PDFs into directory text */
};

/* The "language" of an FX_SAY span that is a chime, not words
 * (SPEECH_CHIME for the speech queue). */
#define FX_LANG_CHIME (-2)

/* A span of an FX_SAY's text: LEN bytes from OFF, in LANG. */
struct fx_span {
    size_t off, len;
    int lang; /* enum lang */
};

struct fx {
    enum fx_kind kind;
    int lang;              /* FX_SAY: enum lang of the utterance (its
                              spans may differ) */
    struct fx_span *spans; /* FX_SAY: cover text in order, at least one;
                              owned by the list */
    size_t n_spans, spans_cap;
    int value;                  /* FX_RATE, FX_VOLUME, FX_SET_LANG, FX_FOCUS */
    char *text;                 /* FX_SAY, FX_LOG: owned by the list */
    struct screen *screen;      /* FX_PUSH, FX_REPLACE: owned by the list */
    struct services_call *call; /* FX_SERVICES: owned by the list */
    struct report_check *check; /* FX_REPORT: the readiness check, or NULL;
                                   owned by the list (plain data) */
};

struct fx_list {
    struct fx *v;
    size_t n, cap;
};

/* Appends an effect; TEXT is copied. Returns the new entry. */
struct fx *fx_add(struct fx_list *l, enum fx_kind kind);
/* An FX_SAY of TEXT (copied) in LANG, with what LANG's voice cannot read in
 * the language of its script (fx_say_spans() without marks). Empty text
 * adds nothing. */
void fx_say(struct fx_list *l, int lang, const char *text);

/*
 * An FX_SAY of TEXT (copied) in LANG, where the N marks MARKS (in order,
 * not overlapping, inside TEXT) are in their own languages. The spans
 * cover TEXT: the gaps between marks are in LANG; within each, what its
 * voice cannot read (Kazakh letters for Russian, Cyrillic for English) is
 * in the language of its script (view_foreign()); neighbours in the same
 * language are joined, and a span with no letter or digit (a quote mark, a
 * space) joins the span before it (the first, the one after), so no voice
 * is handed only punctuation. Empty text adds nothing.
 */
void fx_say_spans(struct fx_list *l, int lang, const char *text,
                  const struct fx_span *marks, size_t n);
/* An FX_SAY that is a chime (two notes), queued like speech: what is said
 * after it follows it. */
void fx_chime(struct fx_list *l);
void fx_push(struct fx_list *l, struct screen *s);
void fx_replace(struct fx_list *l, struct screen *s);
void fx_log(struct fx_list *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* An FX_AUDIT line: a staff action (never a voter's data). */
void fx_audit(struct fx_list *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* An FX_FOCUS: the app puts the focus on option ID of the screen on top
 * once the effects are carried out (after a push, on the new screen). */
void fx_focus(struct fx_list *l, int id);

/* An FX_SERVICES: CALL (services_call.h) passes to the list. */
void fx_services(struct fx_list *l, struct services_call *call);

/* Removes entry I and returns it to the caller, who then owns its text,
 * spans and screen. */
struct fx fx_take(struct fx_list *l, size_t i);

/* Frees every entry (texts wiped, screens freed) and empties the list; the
 * list itself stays usable. */
void fx_clear(struct fx_list *l);

/* Frees the list's storage after fx_clear(). */
void fx_list_free(struct fx_list *l);

#endif
