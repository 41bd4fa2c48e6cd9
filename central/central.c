/*
 * The central PostgreSQL through libpq (central.h).
 *
 * Schema `dauys`: `applications` (one row per (centre, number), the sealed
 * personal data as base64, its keyed IIN hash once a case worker's run has
 * computed it, a status sequence number for the kiosks to pull),
 * `conflicts` (records whose (centre, number) was taken with another
 * content hash: kept whole, never written over), `terminals` (which login
 * role is which terminal of which centre), `status_changes` (history) and
 * `schema_version`. Migrations are a list of SQL texts applied in order
 * under an advisory lock, one transaction each with its version row.
 *
 * Roles: a terminal's login role is a member of dauys_terminal, whose
 * column grants allow INSERT of the record's columns and SELECT of
 * (centre, number, status, status_changed_at, status_seq) only, and
 * whose row-level policies allow inserting rows of its own centre and
 * terminal and reading rows of its own centre. It cannot read a sealed
 * column, a hash or a conflict at all. Conflicts are found and kept by a
 * SECURITY DEFINER function that looks only at the caller's own centre.
 * dauys_caseworker reads everything and sets statuses and IIN hashes.
 */
#include "central/central.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/xalloc.h"
#include "services/application.h"

struct central {
    PGconn *conn;
};

/* Column order of a record, as bound in an INSERT. */
#define RECORD_COLS                                                            \
    "centre, number, terminal, created_at, service, status, "                  \
    "status_changed_at, iin_flagged, contact, contact_language, "              \
    "ui_language, sealed, content_hash"
#define RECORD_NCOLS 13

static const char *const migrations[CENTRAL_SCHEMA_VERSION] = {
    /* 1: the first schema. */
    "CREATE TABLE dauys.terminals ("
    " role name PRIMARY KEY,"
    " centre text NOT NULL,"
    " terminal text NOT NULL,"
    " created_at timestamptz NOT NULL DEFAULT now(),"
    " UNIQUE (centre, terminal));"
    "CREATE SEQUENCE dauys.status_seq;"
    "CREATE TABLE dauys.applications ("
    " centre text NOT NULL CHECK (centre ~ '^[A-Za-z0-9_.-]{1,32}$'),"
    " number text NOT NULL CHECK (number ~ '^[0-9]{9}$'),"
    " terminal text NOT NULL,"
    " created_at bigint NOT NULL,"
    " service text NOT NULL,"
    " status text NOT NULL CHECK (status IN ('received', 'in-review',"
    "  'forwarded', 'done', 'rejected')),"
    " status_changed_at bigint NOT NULL,"
    " iin_flagged boolean NOT NULL,"
    " contact text NOT NULL,"
    " contact_language text NOT NULL,"
    " ui_language text NOT NULL,"
    " sealed text NOT NULL,"
    " content_hash text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),"
    " received_at timestamptz NOT NULL DEFAULT now(),"
    " received_by name NOT NULL DEFAULT current_user,"
    " status_seq bigint NOT NULL DEFAULT 0,"
    " iin_hash text,"
    " PRIMARY KEY (centre, number));"
    "CREATE INDEX applications_status_seq ON dauys.applications"
    " (status_seq) WHERE status_seq > 0;"
    "CREATE INDEX applications_iin ON dauys.applications (iin_hash, service);"
    "CREATE TABLE dauys.conflicts ("
    " id bigserial PRIMARY KEY,"
    " centre text NOT NULL,"
    " number text NOT NULL,"
    " terminal text NOT NULL,"
    " content_hash text NOT NULL,"
    " record text NOT NULL,"
    " seen_at timestamptz NOT NULL DEFAULT now(),"
    " seen_by name NOT NULL,"
    " UNIQUE (centre, number, content_hash));"
    "CREATE TABLE dauys.status_changes ("
    " id bigserial PRIMARY KEY,"
    " centre text NOT NULL,"
    " number text NOT NULL,"
    " status text NOT NULL,"
    " changed_at bigint NOT NULL,"
    " changed_by name NOT NULL DEFAULT current_user);",
    /* 2: the kiosks' staff audit trails, line by line. */
    "CREATE TABLE dauys.audit ("
    " centre text NOT NULL,"
    " terminal text NOT NULL,"
    " seq bigint NOT NULL CHECK (seq > 0),"
    " line text NOT NULL,"
    " received_at timestamptz NOT NULL DEFAULT now(),"
    " PRIMARY KEY (centre, terminal, seq));",
};

/* The audit trails' grants and policies: a terminal adds to and reads
 * the sequence numbers of its own trail only. */
static const char audit_roles_sql[] =
    "GRANT INSERT (centre, terminal, seq, line), SELECT (centre, terminal,"
    " seq) ON dauys.audit TO dauys_terminal;"
    "ALTER TABLE dauys.audit ENABLE ROW LEVEL SECURITY;"
    "DROP POLICY IF EXISTS terminal_own ON dauys.audit;"
    "CREATE POLICY terminal_own ON dauys.audit TO dauys_terminal"
    " USING (EXISTS (SELECT 1 FROM dauys.terminals t WHERE t.role ="
    " current_user AND t.centre = audit.centre AND t.terminal ="
    " audit.terminal)) WITH CHECK (EXISTS (SELECT 1 FROM dauys.terminals t"
    " WHERE t.role = current_user AND t.centre = audit.centre"
    " AND t.terminal = audit.terminal));"
    "DROP POLICY IF EXISTS caseworker_all ON dauys.audit;"
    "CREATE POLICY caseworker_all ON dauys.audit TO dauys_caseworker"
    " USING (true) WITH CHECK (true);";

/* Roles, grants and policies: applied (again) by every init. */
static const char roles_sql[] =
    "DO $$ BEGIN"
    " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dauys_terminal')"
    " THEN CREATE ROLE dauys_terminal NOLOGIN; END IF;"
    " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dauys_caseworker')"
    " THEN CREATE ROLE dauys_caseworker NOLOGIN; END IF;"
    " END $$;"
    "REVOKE ALL ON SCHEMA dauys FROM PUBLIC;"
    "REVOKE ALL ON ALL TABLES IN SCHEMA dauys FROM PUBLIC, dauys_terminal,"
    " dauys_caseworker;"
    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA dauys FROM PUBLIC, dauys_terminal,"
    " dauys_caseworker;"
    "GRANT USAGE ON SCHEMA dauys TO dauys_terminal, dauys_caseworker;"
    "GRANT INSERT (" RECORD_COLS ") ON dauys.applications TO dauys_terminal;"
    "GRANT SELECT (centre, number, status, status_changed_at, status_seq)"
    " ON dauys.applications TO dauys_terminal;"
    "GRANT SELECT ON dauys.terminals TO dauys_terminal;"
    "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA dauys TO dauys_caseworker;"
    "GRANT UPDATE (status, status_changed_at, status_seq, iin_hash)"
    " ON dauys.applications TO dauys_caseworker;"
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA dauys TO dauys_caseworker;"
    "ALTER TABLE dauys.applications ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE dauys.terminals ENABLE ROW LEVEL SECURITY;"
    "DROP POLICY IF EXISTS terminal_insert ON dauys.applications;"
    "CREATE POLICY terminal_insert ON dauys.applications FOR INSERT"
    " TO dauys_terminal WITH CHECK (EXISTS (SELECT 1 FROM dauys.terminals t"
    " WHERE t.role = current_user AND t.centre = applications.centre"
    " AND t.terminal = applications.terminal));"
    "DROP POLICY IF EXISTS terminal_select ON dauys.applications;"
    "CREATE POLICY terminal_select ON dauys.applications FOR SELECT"
    " TO dauys_terminal USING (centre IN (SELECT t.centre"
    " FROM dauys.terminals t WHERE t.role = current_user));"
    "DROP POLICY IF EXISTS caseworker_all ON dauys.applications;"
    "CREATE POLICY caseworker_all ON dauys.applications TO dauys_caseworker"
    " USING (true) WITH CHECK (true);"
    "DROP POLICY IF EXISTS terminal_self ON dauys.terminals;"
    "CREATE POLICY terminal_self ON dauys.terminals FOR SELECT"
    " TO dauys_terminal USING (role = current_user);"
    "DROP POLICY IF EXISTS caseworker_all ON dauys.terminals;"
    "CREATE POLICY caseworker_all ON dauys.terminals TO dauys_caseworker"
    " USING (true) WITH CHECK (true);"
    /* Records of a push that were not inserted: those whose hash differs
     * from the row held are kept in `conflicts` and returned. A terminal
     * sees only its own centre's. */
    "CREATE OR REPLACE FUNCTION dauys.push_conflicts(p_centre text[],"
    " p_number text[], p_terminal text[], p_hash text[], p_record text[])"
    " RETURNS SETOF text LANGUAGE plpgsql SECURITY DEFINER"
    " SET search_path = pg_catalog, pg_temp AS $f$"
    " DECLARE own text;"
    " BEGIN"
    "  SELECT t.centre INTO own FROM dauys.terminals t"
    "   WHERE t.role = session_user;"
    "  RETURN QUERY WITH r AS (SELECT * FROM unnest(p_centre, p_number,"
    "   p_terminal, p_hash, p_record) AS u(centre, number, terminal, hash,"
    "   record)),"
    "  bad AS (SELECT r.* FROM r JOIN dauys.applications a"
    "   ON a.centre = r.centre AND a.number = r.number"
    "   WHERE a.content_hash <> r.hash AND (own IS NULL OR r.centre = own)),"
    "  kept AS (INSERT INTO dauys.conflicts (centre, number, terminal,"
    "   content_hash, record, seen_by) SELECT bad.centre, bad.number,"
    "   bad.terminal, bad.hash, bad.record, session_user FROM bad"
    "   ON CONFLICT (centre, number, content_hash) DO NOTHING)"
    "  SELECT bad.number FROM bad;"
    " END $f$;"
    "REVOKE ALL ON FUNCTION dauys.push_conflicts(text[], text[], text[],"
    " text[], text[]) FROM PUBLIC;"
    "GRANT EXECUTE ON FUNCTION dauys.push_conflicts(text[], text[], text[],"
    " text[], text[]) TO dauys_terminal, dauys_caseworker;";

static char *
pg_why(const char *what, const PGconn *conn, const PGresult *r)
{
    const char *m = r != NULL ? PQresultErrorMessage(r) : "";
    if (m == NULL || *m == '\0')
        m = PQerrorMessage(conn);
    char *s = xasprintf("%s: %s", what, m);
    s[strcspn(s, "\n")] = '\0';
    return s;
}

/* Runs SQL (no parameters, any number of statements); 0 or -1 (*why). */
static int
exec_sql(struct central *c, const char *sql, const char *what, char **why)
{
    PGresult *r = PQexec(c->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        *why = pg_why(what, c->conn, r);
        rc = -1;
    }
    PQclear(r);
    return rc;
}

static void
rollback(struct central *c)
{
    if (PQstatus(c->conn) == CONNECTION_OK &&
        PQtransactionStatus(c->conn) != PQTRANS_IDLE)
        PQclear(PQexec(c->conn, "ROLLBACK"));
}

/* COMMIT; 0 only when the server answered that it committed. */
static int
commit(struct central *c, const char *what, char **why)
{
    PGresult *r = PQexec(c->conn, "COMMIT");
    int rc = 0;
    if (PQresultStatus(r) != PGRES_COMMAND_OK ||
        strcmp(PQcmdStatus(r), "COMMIT") != 0) {
        *why = PQresultStatus(r) == PGRES_COMMAND_OK
                   ? xasprintf("%s: the server rolled the transaction back",
                               what)
                   : pg_why(what, c->conn, r);
        rc = -1;
    }
    PQclear(r);
    return rc;
}

int
central_connect(const char *conninfo, const char *ca_file,
                const char *application, struct central **out, char **why)
{
    const char *keys[12], *vals[12];
    int n = 0;
    keys[n] = "connect_timeout", vals[n++] = "10";
    keys[n] = "keepalives_idle", vals[n++] = "10";
    keys[n] = "keepalives_interval", vals[n++] = "5";
    keys[n] = "keepalives_count", vals[n++] = "3";
    keys[n] = "application_name", vals[n++] = application;
    keys[n] = "dbname", vals[n++] = conninfo;
    if (ca_file != NULL && *ca_file != '\0') {
        keys[n] = "sslmode", vals[n++] = "verify-full";
        keys[n] = "sslrootcert", vals[n++] = ca_file;
    }
    keys[n] = NULL, vals[n] = NULL;
    PGconn *conn = PQconnectdbParams(keys, vals, 1);
    if (conn == NULL)
        abort(); /* libpq could not allocate */
    if (PQstatus(conn) != CONNECTION_OK) {
        *why = xasprintf("cannot connect to the central database: %s",
                         PQerrorMessage(conn));
        (*why)[strcspn(*why, "\n")] = '\0';
        PQfinish(conn);
        return -1;
    }
    PGresult *r = PQexec(conn, "SET search_path = dauys, pg_catalog;"
                               "SET statement_timeout = '60s';"
                               "SET client_min_messages = warning");
    bool set = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!set) {
        *why = pg_why("cannot set up the session", conn, NULL);
        PQfinish(conn);
        return -1;
    }
    struct central *c = xmalloc(sizeof *c);
    c->conn = conn;
    *out = c;
    return 0;
}

void
central_close(struct central *c)
{
    if (c == NULL)
        return;
    PQfinish(c->conn);
    free(c);
}

bool
central_ok(const struct central *c)
{
    return c != NULL && PQstatus(c->conn) == CONNECTION_OK;
}

int
central_init(struct central *c, int *version_before, char **why)
{
    *version_before = 0;
    if (exec_sql(c,
                 "BEGIN; SELECT pg_advisory_xact_lock(7361);"
                 "CREATE SCHEMA IF NOT EXISTS dauys;"
                 "CREATE TABLE IF NOT EXISTS dauys.schema_version ("
                 " version integer PRIMARY KEY,"
                 " applied_at timestamptz NOT NULL DEFAULT now())",
                 "cannot create the schema", why) < 0)
        goto fail;
    PGresult *r = PQexec(c->conn, "SELECT coalesce(max(version), 0) "
                                  "FROM dauys.schema_version");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *why = pg_why("cannot read the schema version", c->conn, r);
        PQclear(r);
        goto fail;
    }
    int have = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    *version_before = have;
    if (have > CENTRAL_SCHEMA_VERSION) {
        *why = xasprintf("the central database has schema version %d, newer "
                         "than this dauys knows (%d): update dauys",
                         have, CENTRAL_SCHEMA_VERSION);
        goto fail;
    }
    for (int v = have + 1; v <= CENTRAL_SCHEMA_VERSION; v++) {
        char *what = xasprintf("migration to schema version %d failed", v);
        char *ins = xasprintf(
            "INSERT INTO dauys.schema_version (version) VALUES (%d)", v);
        int rc = exec_sql(c, migrations[v - 1], what, why);
        if (rc == 0)
            rc = exec_sql(c, ins, what, why);
        free(what);
        free(ins);
        if (rc < 0)
            goto fail;
    }
    if (exec_sql(c, roles_sql, "cannot set up the roles and policies", why) <
            0 ||
        exec_sql(c, audit_roles_sql, "cannot set up the roles and policies",
                 why) < 0)
        goto fail;
    return commit(c, "cannot commit the schema", why);
fail:
    rollback(c);
    return -1;
}

int
central_add_role(struct central *c, const char *name, const char *centre,
                 const char *terminal, const char *password, char **why)
{
    char *id = PQescapeIdentifier(c->conn, name, strlen(name));
    /* The server gets the SCRAM verifier, never the password itself, so
     * that no statement log can hold it. */
    char *scram = password != NULL
                      ? PQencryptPasswordConn(c->conn, password, name,
                                              "scram-sha-256")
                      : NULL;
    char *pw = scram != NULL ? PQescapeLiteral(c->conn, scram, strlen(scram))
                             : NULL;
    PQfreemem(scram);
    if (id == NULL || (password != NULL && pw == NULL)) {
        *why = pg_why("cannot quote the role", c->conn, NULL);
        PQfreemem(id);
        PQfreemem(pw);
        return -1;
    }
    char *sql = xasprintf("BEGIN; CREATE ROLE %s LOGIN %s%s IN ROLE %s", id,
                          pw != NULL ? "PASSWORD " : "", pw != NULL ? pw : "",
                          centre != NULL ? "dauys_terminal"
                                         : "dauys_caseworker");
    if (pw != NULL) {
        sodium_memzero(pw, strlen(pw));
        PQfreemem(pw);
    }
    PQfreemem(id);
    int rc = exec_sql(c, sql, "cannot create the role", why);
    sodium_memzero(sql, strlen(sql));
    free(sql);
    if (rc == 0 && centre != NULL) {
        const char *p[3] = {name, centre, terminal};
        PGresult *r = PQexecParams(c->conn,
                                   "INSERT INTO dauys.terminals (role, centre, "
                                   "terminal) VALUES ($1, $2, $3)",
                                   3, NULL, p, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            *why = pg_why("cannot record the terminal", c->conn, r);
            rc = -1;
        }
        PQclear(r);
    }
    if (rc == 0)
        return commit(c, "cannot commit the new role", why);
    rollback(c);
    return -1;
}

/* Appends S to the array literal in B as a quoted element. */
static void
array_add(char **b, size_t *len, size_t *cap, const char *s, bool first)
{
    size_t need = *len + 2 * strlen(s) + 5;
    if (need > *cap) {
        *cap = need * 2;
        char *nb = realloc(*b, *cap);
        if (nb == NULL)
            abort();
        *b = nb;
    }
    char *p = *b + *len;
    if (!first)
        *p++ = ',';
    *p++ = '"';
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            *p++ = '\\';
        *p++ = *s;
    }
    *p++ = '"';
    *p = '\0';
    *len = (size_t)(p - *b);
}

/* Finds which of the records not inserted conflict; 0 or -1. */
static int
push_conflicts(struct central *c, const struct central_record *recs, size_t n,
               const bool *inserted, size_t *conflicts, char **why)
{
    char *arr[5] = {NULL};
    size_t len[5] = {0}, cap[5] = {0};
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (inserted[i])
            continue;
        const char *v[5] = {recs[i].centre, recs[i].number, recs[i].terminal,
                            recs[i].content_hash, recs[i].text};
        for (int k = 0; k < 5; k++) {
            if (arr[k] == NULL) {
                cap[k] = 256;
                arr[k] = xmalloc(cap[k]);
                memcpy(arr[k], "{", 2);
                len[k] = 1;
            }
            array_add(&arr[k], &len[k], &cap[k], v[k], first);
        }
        first = false;
    }
    if (first)
        return 0;
    for (int k = 0; k < 5; k++) {
        char *nb = xasprintf("%s}", arr[k]);
        free(arr[k]);
        arr[k] = nb;
    }
    const char *p[5] = {arr[0], arr[1], arr[2], arr[3], arr[4]};
    PGresult *r = PQexecParams(c->conn,
                               "SELECT dauys.push_conflicts($1::text[], "
                               "$2::text[], $3::text[], $4::text[], "
                               "$5::text[])",
                               5, NULL, p, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *why = pg_why("cannot check the records already held", c->conn, r);
        rc = -1;
    } else {
        *conflicts = (size_t)PQntuples(r);
    }
    PQclear(r);
    for (int k = 0; k < 5; k++)
        free(arr[k]);
    return rc;
}

int
central_push(struct central *c, const struct central_record *recs, size_t n,
             struct central_push_result *res, char **why)
{
    memset(res, 0, sizeof *res);
    if (n == 0)
        return 0;
    if (n > CENTRAL_BATCH_MAX) {
        *why = xasprintf("a batch of %zu records is more than %d", n,
                         CENTRAL_BATCH_MAX);
        return -1;
    }
    /* The statement: one VALUES tuple of 13 parameters per record. */
    size_t cap = 256 + n * (RECORD_NCOLS * 8 + 4), len = 0;
    char *sql = xmalloc(cap);
    len += (size_t)snprintf(sql, cap,
                            "INSERT INTO dauys.applications (" RECORD_COLS
                            ") VALUES ");
    const char **p = xmalloc(n * RECORD_NCOLS * sizeof *p);
    char(*times)[2][24] = xmalloc(n * sizeof *times);
    for (size_t i = 0; i < n; i++) {
        const struct central_record *r = &recs[i];
        size_t b = i * RECORD_NCOLS;
        len += (size_t)snprintf(sql + len, cap - len, "%s(", i ? "," : "");
        for (int k = 0; k < RECORD_NCOLS; k++)
            len += (size_t)snprintf(sql + len, cap - len, "%s$%zu",
                                    k ? "," : "", b + (size_t)k + 1);
        len += (size_t)snprintf(sql + len, cap - len, ")");
        snprintf(times[i][0], sizeof times[i][0], "%" PRId64, r->created_at);
        snprintf(times[i][1], sizeof times[i][1], "%" PRId64,
                 r->status_changed_at);
        const char *v[RECORD_NCOLS] = {
            r->centre,       r->number,
            r->terminal,     times[i][0],
            r->service,      r->status,
            times[i][1],     r->iin_flagged ? "true" : "false",
            r->contact,      r->contact_language,
            r->ui_language,  r->sealed,
            r->content_hash,
        };
        memcpy(&p[b], v, sizeof v);
    }
    snprintf(
        sql + len, cap - len,
        " ON CONFLICT (centre, number) DO NOTHING RETURNING centre, number");
    bool *inserted = calloc(n, sizeof *inserted);
    if (inserted == NULL)
        abort();
    int rc = -1;
    if (exec_sql(c, "BEGIN", "cannot start the push", why) < 0)
        goto out;
    PGresult *r = PQexecParams(c->conn, sql, (int)(n * RECORD_NCOLS), NULL, p,
                               NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *why = pg_why("the central database refused the applications", c->conn,
                      r);
        PQclear(r);
        goto out;
    }
    for (int t = 0; t < PQntuples(r); t++) {
        const char *centre = PQgetvalue(r, t, 0), *num = PQgetvalue(r, t, 1);
        for (size_t i = 0; i < n; i++) {
            if (!inserted[i] && strcmp(recs[i].number, num) == 0 &&
                strcmp(recs[i].centre, centre) == 0) {
                inserted[i] = true;
                res->inserted++;
                break;
            }
        }
    }
    PQclear(r);
    if (push_conflicts(c, recs, n, inserted, &res->conflicts, why) < 0)
        goto out;
    res->duplicates = n - res->inserted - res->conflicts;
    rc = commit(c, "the central database did not commit the applications", why);
out:
    if (rc < 0)
        rollback(c);
    free(inserted);
    free(times);
    free(p);
    free(sql);
    return rc;
}

int
central_pull_status(struct central *c, int64_t after, unsigned limit,
                    central_status_fn fn, void *ctx, char **why)
{
    char a[24], l[16];
    snprintf(a, sizeof a, "%" PRId64, after);
    snprintf(l, sizeof l, "%u", limit ? limit : 10000);
    const char *p[2] = {a, l};
    PGresult *r = PQexecParams(c->conn,
                               "SELECT status_seq, number, status, "
                               "status_changed_at FROM dauys.applications "
                               "WHERE status_seq > $1 ORDER BY status_seq "
                               "LIMIT $2",
                               2, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *why = pg_why("cannot read the status changes", c->conn, r);
        PQclear(r);
        return -1;
    }
    int n = PQntuples(r);
    for (int i = 0; i < n; i++) {
        if (fn(ctx, strtoll(PQgetvalue(r, i, 0), NULL, 10), PQgetvalue(r, i, 1),
               PQgetvalue(r, i, 2), strtoll(PQgetvalue(r, i, 3), NULL, 10)))
            break;
    }
    PQclear(r);
    return n;
}

int
central_set_status(struct central *c, const char *centre, const char *number,
                   const char *status, char **why)
{
    if (application_status_from_id(status) < 0) {
        *why = xasprintf("'%s' is not a status (received, in-review, "
                         "forwarded, done, rejected)",
                         status);
        return -1;
    }
    if (exec_sql(c, "BEGIN", "cannot start the change", why) < 0)
        return -1;
    const char *p[3] = {number, centre, status};
    PGresult *r = PQexecParams(c->conn,
                               "UPDATE dauys.applications SET status = $3, "
                               "status_changed_at = "
                               "extract(epoch FROM now())::bigint, "
                               "status_seq = nextval('dauys.status_seq') "
                               "WHERE number = $1 AND ($2::text IS NULL OR "
                               "centre = $2) RETURNING centre, "
                               "status_changed_at",
                               3, NULL, p, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *why = pg_why("cannot set the status", c->conn, r);
        rc = -1;
    } else if (PQntuples(r) == 0) {
        rc = 1;
    } else if (PQntuples(r) > 1) {
        rc = 2;
    } else {
        const char *h[4] = {PQgetvalue(r, 0, 0), number, status,
                            PQgetvalue(r, 0, 1)};
        PGresult *hr = PQexecParams(c->conn,
                                    "INSERT INTO dauys.status_changes "
                                    "(centre, number, status, changed_at) "
                                    "VALUES ($1, $2, $3, $4)",
                                    4, NULL, h, NULL, NULL, 0);
        if (PQresultStatus(hr) != PGRES_COMMAND_OK) {
            *why = pg_why("cannot record the status change", c->conn, hr);
            rc = -1;
        }
        PQclear(hr);
    }
    PQclear(r);
    if (rc == 0)
        return commit(c, "cannot commit the status", why);
    rollback(c);
    return rc;
}

int
central_index(struct central *c, const unsigned char pk[CENTRAL_KEY_BYTES],
              const unsigned char sk[CENTRAL_KEY_BYTES], long *indexed,
              long *foreign, char **why)
{
    *indexed = *foreign = 0;
    /* Batches of rows without a hash; rows that do not open with this key
     * stay without one, so the cursor moves past them by key. */
    char last_c[40] = "", last_n[16] = "";
    for (;;) {
        const char *p[2] = {last_c, last_n};
        PGresult *r = PQexecParams(
            c->conn,
            "SELECT centre, number, sealed FROM dauys.applications "
            "WHERE iin_hash IS NULL AND (centre, number) > ($1, $2) "
            "ORDER BY centre, number LIMIT 1000",
            2, NULL, p, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            *why = pg_why("cannot read the applications to index", c->conn, r);
            PQclear(r);
            return -1;
        }
        int n = PQntuples(r);
        if (n == 0) {
            PQclear(r);
            return 0;
        }
        if (exec_sql(c, "BEGIN", "cannot start indexing", why) < 0) {
            PQclear(r);
            return -1;
        }
        for (int i = 0; i < n; i++) {
            struct central_person person;
            char hash[CENTRAL_HASH_HEX + 1], *w = NULL;
            if (central_person_open(PQgetvalue(r, i, 2), pk, sk, &person, &w) <
                0) {
                free(w);
                (*foreign)++;
                continue;
            }
            central_iin_hash(person.iin, sk, hash);
            central_person_wipe(&person);
            const char *u[3] = {hash, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1)};
            PGresult *ur = PQexecParams(c->conn,
                                        "UPDATE dauys.applications SET "
                                        "iin_hash = $1 WHERE centre = $2 AND "
                                        "number = $3",
                                        3, NULL, u, NULL, NULL, 0);
            int ok = PQresultStatus(ur) == PGRES_COMMAND_OK;
            if (!ok)
                *why = pg_why("cannot store the IIN hash", c->conn, ur);
            PQclear(ur);
            if (!ok) {
                PQclear(r);
                rollback(c);
                return -1;
            }
            (*indexed)++;
        }
        snprintf(last_c, sizeof last_c, "%s", PQgetvalue(r, n - 1, 0));
        snprintf(last_n, sizeof last_n, "%s", PQgetvalue(r, n - 1, 1));
        PQclear(r);
        if (commit(c, "cannot commit the IIN hashes", why) < 0)
            return -1;
    }
}

static void
csv_field(FILE *f, const char *v, bool last)
{
    if (strpbrk(v, ",\"\r\n") != NULL) {
        fputc('"', f);
        for (const char *s = v; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(v, f);
    }
    fputc(last ? '\n' : ',', f);
}

#define EXPORT_NCOLS 16

/* Writes the application in row 0 of R to OUT, opened with the key pair;
 * false when it does not open with this key (nothing written). */
static bool
export_row(const PGresult *r, const unsigned char pk[CENTRAL_KEY_BYTES],
           const unsigned char sk[CENTRAL_KEY_BYTES], FILE *out, bool json,
           bool comma, const char *const *cols)
{
    struct central_person person;
    char *w = NULL, created[40], changed[40], phone[20];
    if (central_person_open(PQgetvalue(r, 0, 11), pk, sk, &person, &w) < 0) {
        free(w);
        return false;
    }
    application_time(strtoll(PQgetvalue(r, 0, 2), NULL, 10), true, created,
                     sizeof created);
    application_time(strtoll(PQgetvalue(r, 0, 5), NULL, 10), true, changed,
                     sizeof changed);
    snprintf(phone, sizeof phone, "%s%s", person.phone[0] == '+' ? "" : "+7",
             person.phone);
    bool flagged = PQgetvalue(r, 0, 6)[0] == 't';
    const char *v[EXPORT_NCOLS] = {
        PQgetvalue(r, 0, 0),  PQgetvalue(r, 0, 1),     created,
        PQgetvalue(r, 0, 3),  PQgetvalue(r, 0, 4),     changed,
        person.iin,           flagged ? "1" : "0",     phone,
        person.name,          person.disability_group, PQgetvalue(r, 0, 7),
        PQgetvalue(r, 0, 8),  PQgetvalue(r, 0, 9),     PQgetvalue(r, 0, 10),
        PQgetvalue(r, 0, 12),
    };
    if (!json) {
        for (int k = 0; k < EXPORT_NCOLS; k++)
            csv_field(out, v[k], k == EXPORT_NCOLS - 1);
    } else {
        json_t *o = json_object();
        for (int k = 0; k < EXPORT_NCOLS; k++)
            json_object_set_new(o, cols[k],
                                k == 7 ? json_boolean(flagged)
                                       : json_string(v[k]));
        char *text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
        json_decref(o);
        if (text == NULL)
            abort();
        fprintf(out, "%s\n  %s", comma ? "," : "", text);
        sodium_memzero(text, strlen(text));
        free(text);
    }
    sodium_memzero(phone, sizeof phone);
    central_person_wipe(&person);
    return true;
}

int
central_export(struct central *c, const char *centre,
               const unsigned char pk[CENTRAL_KEY_BYTES],
               const unsigned char sk[CENTRAL_KEY_BYTES], FILE *out, bool json,
               long *skipped, char **why)
{
    static const char *const cols[EXPORT_NCOLS] = {
        "number",
        "centre",
        "created_at",
        "service",
        "status",
        "status_changed_at",
        "iin",
        "iin_flagged",
        "phone",
        "name",
        "disability_group",
        "contact",
        "contact_language",
        "ui_language",
        "terminal",
        "duplicates",
    };
    long indexed, foreign;
    *skipped = 0;
    if (central_index(c, pk, sk, &indexed, &foreign, why) < 0)
        return -1;
    const char *p[1] = {centre};
    /* Row by row (single-row mode): a national export does not have to
     * fit in memory. */
    if (!PQsendQueryParams(
            c->conn,
            "SELECT * FROM (SELECT a.number, a.centre, a.created_at, "
            "a.service, a.status, a.status_changed_at, a.iin_flagged, "
            "a.contact, a.contact_language, a.ui_language, a.terminal, "
            "a.sealed, coalesce((SELECT string_agg(d.centre || ':' || "
            " d.number, ' ' ORDER BY d.centre, d.number) "
            " FROM dauys.applications d WHERE d.iin_hash = a.iin_hash AND "
            " d.service = a.service AND (d.centre, d.number) <> "
            " (a.centre, a.number)), '') AS duplicates "
            "FROM dauys.applications a "
            /* Records kept aside because their number was taken: they
             * are applications too, marked so. */
            "UNION ALL SELECT r->>'number', r->>'centre', "
            "(r->>'created_at')::bigint, r->>'service', r->>'status', "
            "(r->>'status_changed_at')::bigint, (r->>'iin_flagged')::boolean, "
            "r->>'contact', r->>'contact_language', r->>'ui_language', "
            "r->>'terminal', r->>'sealed', 'CONFLICT: this number is held "
            "with other content' FROM (SELECT c.record::jsonb AS r "
            "FROM dauys.conflicts c) x) e "
            "WHERE $1::text IS NULL OR e.centre = $1 "
            "ORDER BY e.centre, e.created_at, e.number",
            1, NULL, p, NULL, NULL, 0) ||
        !PQsetSingleRowMode(c->conn)) {
        *why = pg_why("cannot read the applications", c->conn, NULL);
        return -1;
    }
    if (json)
        fputs("[", out);
    else
        for (int k = 0; k < EXPORT_NCOLS; k++)
            csv_field(out, cols[k], k == EXPORT_NCOLS - 1);
    long written = 0;
    char *err = NULL;
    PGresult *r;
    while ((r = PQgetResult(c->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            if (export_row(r, pk, sk, out, json, written > 0, cols))
                written++;
            else
                (*skipped)++;
        } else if (st != PGRES_TUPLES_OK && err == NULL) {
            err = pg_why("cannot read the applications", c->conn, r);
        }
        PQclear(r);
    }
    if (err != NULL) {
        *why = err;
        return -1;
    }
    if (json)
        fputs(written > 0 ? "\n]\n" : "]\n", out);
    if (fflush(out) != 0 || ferror(out)) {
        *why = xasprintf("cannot write the export: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int
central_find_iin(struct central *c, const char *iin,
                 const unsigned char pk[CENTRAL_KEY_BYTES],
                 const unsigned char sk[CENTRAL_KEY_BYTES], FILE *out,
                 char **why)
{
    long indexed, foreign;
    if (central_index(c, pk, sk, &indexed, &foreign, why) < 0)
        return -1;
    char hash[CENTRAL_HASH_HEX + 1];
    central_iin_hash(iin, sk, hash);
    const char *p[1] = {hash};
    PGresult *r = PQexecParams(
        c->conn,
        "SELECT centre, number, service, status, created_at, "
        "count(*) OVER (PARTITION BY service) FROM dauys.applications "
        "WHERE iin_hash = $1 ORDER BY created_at, centre, number",
        1, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *why = pg_why("cannot search the applications", c->conn, r);
        PQclear(r);
        return -1;
    }
    int n = PQntuples(r);
    for (int i = 0; i < n; i++) {
        char when[40];
        application_time(strtoll(PQgetvalue(r, i, 4), NULL, 10), false, when,
                         sizeof when);
        fprintf(out, "%s %s %s %s %s%s\n", PQgetvalue(r, i, 0),
                PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
                when,
                strtol(PQgetvalue(r, i, 5), NULL, 10) > 1
                    ? " DUPLICATE (same service)"
                    : "");
    }
    PQclear(r);
    return n;
}

int
central_audit_head(struct central *c, const char *centre, const char *terminal,
                   int64_t *seq, char **why)
{
    const char *p[2] = {centre, terminal};
    PGresult *r = PQexecParams(c->conn,
                               "SELECT coalesce(max(seq), 0) FROM dauys.audit "
                               "WHERE centre = $1 AND terminal = $2",
                               2, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *why = pg_why("cannot read the audit trail's head", c->conn, r);
        PQclear(r);
        return -1;
    }
    *seq = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return 0;
}

int
central_push_audit(struct central *c, const char *centre, const char *terminal,
                   const char *const *lines, size_t n, char **why)
{
    if (exec_sql(c, "BEGIN", "cannot start the audit push", why) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char seq[24];
        snprintf(seq, sizeof seq, "%lld", strtoll(lines[i], NULL, 10));
        const char *p[4] = {centre, terminal, seq, lines[i]};
        PGresult *r = PQexecParams(c->conn,
                                   "INSERT INTO dauys.audit (centre, terminal, "
                                   "seq, line) VALUES ($1, $2, $3, $4) ON "
                                   "CONFLICT DO NOTHING",
                                   4, NULL, p, NULL, NULL, 0);
        bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok)
            *why = pg_why("the central database refused the audit trail",
                          c->conn, r);
        PQclear(r);
        if (!ok) {
            rollback(c);
            return -1;
        }
    }
    if (commit(c, "the central database did not commit the audit trail", why) <
        0) {
        rollback(c);
        return -1;
    }
    return 0;
}

int
central_duplicates(struct central *c, FILE *out, char **why)
{
    PGresult *r = PQexec(c->conn,
                         "SELECT service, string_agg(centre || ':' || number, "
                         "' ' ORDER BY created_at, centre, number) "
                         "FROM dauys.applications WHERE iin_hash IS NOT NULL "
                         "GROUP BY iin_hash, service HAVING count(*) > 1 "
                         "ORDER BY min(created_at)");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *why = pg_why("cannot look for duplicates", c->conn, r);
        PQclear(r);
        return -1;
    }
    int n = PQntuples(r);
    for (int i = 0; i < n; i++)
        fprintf(out, "duplicate: service %s: %s\n", PQgetvalue(r, i, 0),
                PQgetvalue(r, i, 1));
    PQclear(r);
    return n;
}
