#!/usr/bin/env bash
# Start or stop the loopback Redis and PostgreSQL servers the integration tests use.
#
#   eval "$(scripts/servers.sh start)"   # starts both (idempotent), prints the env vars
#   scripts/servers.sh stop              # stops both (idempotent)
#   scripts/servers.sh status
#
# Test servers only: loopback addresses, no Redis persistence, PostgreSQL
# "trust" authentication.  Progress goes to stderr so that stdout is only the
# `export` lines, ready for eval.
set -euo pipefail

REDIS_PORT="${HOOKSIG_REDIS_PORT:-6390}"
PG_PORT="${HOOKSIG_PG_PORT:-5440}"
PG_DB="hooksig_test"
REDIS_DIR="/tmp/hooksig-redis"
PG_ROOT="/tmp/hooksig-pg"
PG_DATA="$PG_ROOT/data"
PG_LOG="$PG_ROOT/postgres.log"

log() { echo "servers.sh: $*" >&2; }

# Debian keeps the server binaries out of PATH; the image links some of them
# into /usr/local/bin, but pg_isready and friends may only live here.
add_pg_path() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [[ -d "$dir" ]]; then PATH="$PATH:$dir"; fi
    done
    export PATH
}
add_pg_path

apt_install() {
    # apt_install PACKAGE: install a Debian package as root, refreshing the index once if needed.
    if [[ "$(id -u)" != 0 ]]; then
        log "$1 is missing; install it (apt-get install -y $1)"
        return 1
    fi
    log "installing $1"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >&2 \
        || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" >&2; }
}

# PostgreSQL refuses to run as root, so as root every server command runs as
# the `postgres` OS user; as anyone else it runs as that user.
as_pg() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

wait_for() {
    # wait_for SECONDS COMMAND...: retry COMMAND every 0.1 s, bounded in time.
    local limit=$(( $1 * 10 )); shift
    local i
    for (( i = 0; i < limit; i++ )); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    return 1
}

redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
    if ! command -v redis-server >/dev/null; then
        apt_install redis-server
    fi
    if redis_up; then
        log "redis already running on 127.0.0.1:$REDIS_PORT"
        return 0
    fi
    mkdir -p "$REDIS_DIR"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
        --save "" --appendonly no --dir "$REDIS_DIR" \
        --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
    wait_for 10 redis_up || { log "redis did not start; see $REDIS_DIR/redis.log"; return 1; }
    log "redis running on 127.0.0.1:$REDIS_PORT"
}

pg_up() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }

start_postgres() {
    if ! command -v initdb >/dev/null || ! command -v pg_ctl >/dev/null; then
        apt_install postgresql
        add_pg_path
    fi
    if [[ "$(id -u)" == 0 ]] && ! id -u postgres >/dev/null 2>&1; then
        log "creating the postgres OS user"
        useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
    fi
    if ! pg_up; then
        mkdir -p "$PG_ROOT"
        if [[ "$(id -u)" == 0 ]]; then chown postgres: "$PG_ROOT"; fi
        if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
            log "initdb $PG_DATA"
            as_pg initdb -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-locale >&2
        fi
        # -k: the default socket directory may not exist or be writable here.
        as_pg pg_ctl -D "$PG_DATA" -l "$PG_LOG" -w -t 30 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_ROOT -c max_connections=200" >&2
        wait_for 30 pg_up || { log "postgres did not start; see $PG_LOG"; return 1; }
    else
        log "postgres already running on 127.0.0.1:$PG_PORT"
    fi
    local exists
    exists="$(psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atc \
        "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")"
    if [[ "$exists" != 1 ]]; then
        psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $PG_DB" >&2
    fi
    log "postgres running on 127.0.0.1:$PG_PORT, database $PG_DB"
}

stop_redis() {
    if redis_up; then
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        wait_for 10 bash -c "! redis-cli -h 127.0.0.1 -p $REDIS_PORT ping" || true
    fi
    log "redis stopped"
}

stop_postgres() {
    if [[ -f "$PG_DATA/postmaster.pid" ]]; then
        as_pg pg_ctl -D "$PG_DATA" -m fast -w -t 30 stop >&2 || true
    fi
    log "postgres stopped"
}

print_env() {
    echo "export HOOKSIG_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
    echo "export HOOKSIG_POSTGRES_DSN=postgresql://postgres@127.0.0.1:$PG_PORT/$PG_DB"
}

case "${1:-}" in
    start)
        start_redis
        start_postgres
        print_env
        ;;
    stop)
        stop_redis
        stop_postgres
        ;;
    status)
        if redis_up; then log "redis: up"; else log "redis: down"; fi
        if pg_up; then log "postgres: up"; else log "postgres: down"; fi
        print_env
        ;;
    *)
        echo "usage: $0 start|stop|status" >&2
        exit 2
        ;;
esac
