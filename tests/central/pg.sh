# A throwaway PostgreSQL for the central tests and the benchmark, sourced by
# tests/central/t_*.sh and tests/bench/central_bench.sh.
#
# pg_start DIR makes, under DIR: a test CA and a server certificate for
# 127.0.0.1 and localhost (openssl), a second CA that signed nothing the
# server has (for the "certificate does not verify" check), and a cluster
# (Debian's postgresql 15: initdb and pg_ctl from /usr/lib/postgresql/15/bin)
# that listens on 127.0.0.1 only, on a free port, with TLS; pg_hba accepts
# TLS connections only (hostssl), the superuser `postgres` without a
# password, every other role by SCRAM password. initdb refuses to run as
# root, so when the tests run as root the cluster belongs to the
# unprivileged user `nobody` (runuser), which owns only DIR/pg; as any
# other user it runs as that user. pg_start installs an EXIT trap that
# stops the server (immediately) and removes nothing else: the caller's
# temporary folder is the caller's.
#
# After pg_start: PG_PORT, PG_CA (the CA file clients verify against),
# PG_BADCA (the other CA), PG_SU (conninfo of the superuser, without TLS
# options: pass --ca "$PG_CA"), pg_stop, pg_restart, pg_kill (SIGKILL-like
# immediate stop), pg_up.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_as() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u nobody -- "$@"
    else
        "$@"
    fi
}

pg_free_port() {
    python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_certs() {
    d=$1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$d/ca.key" -out "$d/ca.pem" -days 2 -subj /CN=dauys-test-ca \
        2>/dev/null &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$d/badca.key" -out "$d/badca.pem" -days 2 \
        -subj /CN=dauys-test-ca 2>/dev/null &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$d/server.key" -out "$d/server.csr" -subj /CN=127.0.0.1 \
        2>/dev/null &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$d/san.ext" &&
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
        -CAcreateserial -days 2 -extfile "$d/san.ext" -out "$d/server.pem" \
        2>/dev/null
}

pg_start() {
    PG_DIR=$1/pg
    mkdir -p "$PG_DIR" || return 1
    pg_certs "$PG_DIR" || { echo "pg.sh: openssl failed" >&2; return 1; }
    PG_CA=$PG_DIR/ca.pem
    PG_BADCA=$PG_DIR/badca.pem
    chmod 0600 "$PG_DIR/server.key"
    chmod 0755 "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown -R nobody "$PG_DIR"
    # The folder above must let nobody through.
    chmod o+x "$1"
    pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust \
        -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || {
        cat "$PG_DIR/initdb.log" >&2
        return 1
    }
    PG_PORT=$(pg_free_port)
    cat >>"$PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
ssl = on
ssl_cert_file = '$PG_DIR/server.pem'
ssl_key_file = '$PG_DIR/server.key'
max_connections = 200
shared_buffers = 128MB
fsync = ${PG_FSYNC:-off}
synchronous_commit = on
log_min_messages = warning
CONF
    cat >"$PG_DIR/data/pg_hba.conf" <<HBA
local all postgres trust
hostssl all postgres 127.0.0.1/32 trust
hostssl all all 127.0.0.1/32 scram-sha-256
host all all 0.0.0.0/0 reject
HBA
    trap 'pg_stop' EXIT
    trap 'exit 130' INT TERM
    pg_up || return 1
    PG_SU="host=127.0.0.1 port=$PG_PORT user=postgres dbname=postgres"
}

pg_up() {
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -t 30 start >/dev/null || {
        cat "$PG_DIR/server.log" >&2
        return 1
    }
}

pg_stop() {
    [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ] &&
        pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
            >/dev/null 2>&1
    return 0
}

# Stops the server as a crash would (immediate: no checkpoint), then
# starts it again after $1 seconds (default 0).
pg_restart() {
    pg_stop
    sleep "${1:-0}"
    pg_up
}

# psql as the superuser (over TLS, verified).
pg_sql() {
    PGSSLMODE=verify-full PGSSLROOTCERT=$PG_CA \
        "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$PG_SU" "$@"
}
