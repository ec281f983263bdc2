# Start (and, on exit, stop) a throwaway PostgreSQL server for the test suite.
#
# Sourced by .ci/run. PostgreSQL refuses to run as root, so the cluster belongs to an
# unprivileged user; it listens on a Unix socket in its own folder only (no TCP), with
# trust authentication for that user. STEPGATE_PG_URL tells the tests where it is.
# Usage: source .ci/postgres.sh && start_postgres
set -euo pipefail

start_postgres() {
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "no PostgreSQL server binaries (Debian's postgresql package)" >&2
        return 1
    fi
    local user=stepgate-pg
    if [ "$(id -u)" = 0 ]; then
        id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    else
        user="$(id -un)"
    fi
    PG_HOME="$(mktemp -d /tmp/stepgate-pg.XXXXXX)"
    chmod 755 "$PG_HOME"
    mkdir -p "$PG_HOME/data" "$PG_HOME/socket"
    [ "$(id -u)" = 0 ] && chown -R "$user" "$PG_HOME"
    # from / : the server's user may not enter the folder .ci/run was started in
    run_as() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u "$user" -- "$@"); else "$@"; fi; }
    run_as "$bin/initdb" -D "$PG_HOME/data" -U stepgate --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$PG_HOME/initdb.log"
    run_as "$bin/pg_ctl" -D "$PG_HOME/data" -l "$PG_HOME/server.log" -w \
        -o "-c listen_addresses='' -k $PG_HOME/socket -p 5432 -c fsync=on -c max_connections=200" start >/dev/null
    run_as "$bin/createdb" -h "$PG_HOME/socket" -U stepgate stepgate
    export STEPGATE_PG_URL="postgresql://stepgate@/stepgate?host=$PG_HOME/socket"
    export PG_HOME PG_BIN="$bin" PG_USER="$user"
    trap stop_postgres EXIT
}

stop_postgres() {
    if [ -n "${PG_HOME:-}" ] && [ -d "$PG_HOME/data" ]; then
        if [ "$(id -u)" = 0 ]; then
            (cd / && runuser -u "$PG_USER" -- "$PG_BIN/pg_ctl" -D "$PG_HOME/data" -m fast -w stop >/dev/null) || true
        else
            "$PG_BIN/pg_ctl" -D "$PG_HOME/data" -m fast -w stop >/dev/null || true
        fi
        rm -rf "$PG_HOME"
    fi
}
