#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests.
#
# If TEST_DATABASE_URL is already set, that server is used and nothing is started. Otherwise a new
# cluster is created in a temporary directory, started on a free port on 127.0.0.1 with trust auth
# and durability switched off (its data is thrown away), and stopped and deleted when the caller
# exits, including on failure and Ctrl-C. The URL is always the superuser's:
#   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres
# Tests create their own databases through it, so a server given via TEST_DATABASE_URL needs a role
# allowed to CREATE DATABASE.
#
# Three ways to use it:
#   source scripts/pg-test-server.sh; pg_test_start    # exports TEST_DATABASE_URL; stops at shell exit
#   bash scripts/pg-test-server.sh -- CMD ARGS...       # runs CMD with TEST_DATABASE_URL, then stops
#   bash scripts/pg-test-server.sh                      # prints TEST_DATABASE_URL=... on stdout, then
#                                                       # holds the server until stdin closes or a
#                                                       # signal arrives (how vitest's globalSetup uses it)
#
# As root (CI), the server runs as the `postgres` user because PostgreSQL refuses to run as root, and
# Debian's postgresql package is installed if missing. As another user it runs as that user.

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

PG_TEST_DIR=""
PG_TEST_BIN=""

# Newest Debian version first; PATH as a fallback for non-Debian systems.
_pg_find_bin() {
	local d
	if [[ -n "${PG_BINDIR:-}" ]]; then
		[[ -x "$PG_BINDIR/initdb" ]] || die "PG_BINDIR=$PG_BINDIR has no initdb"
		PG_TEST_BIN="$PG_BINDIR"
		return 0
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
			PG_TEST_BIN="$d"
			return 0
		fi
	done
	if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
		PG_TEST_BIN="$(dirname "$(command -v initdb)")"
		return 0
	fi
	return 1
}

# Run a PostgreSQL binary as the user the cluster belongs to. `cd /` because the postgres user may not
# be allowed into the caller's working directory, which makes every command print a warning.
_pg_as_owner() {
	if is_root; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

_pg_free_port() {
	# Node is always here (the project needs it) and asking the kernel for port 0 is race-free enough:
	# a clash with another process is caught by the retry in pg_test_start.
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

pg_test_stop() {
	[[ -n "$PG_TEST_DIR" ]] || return 0
	local dir="$PG_TEST_DIR" pid=""
	PG_TEST_DIR=""
	if [[ -f "$dir/data/postmaster.pid" ]]; then
		pid="$(head -n1 "$dir/data/postmaster.pid" 2>/dev/null || true)"
		# immediate: the data is about to be deleted, so there is nothing worth a clean shutdown.
		_pg_as_owner "$PG_TEST_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
		if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -rf "$dir"
	log "PostgreSQL test server stopped and removed"
}

_pg_show_log() {
	if [[ -f "$PG_TEST_DIR/postgres.log" ]]; then
		log "last lines of the PostgreSQL log:"
		tail -n 20 "$PG_TEST_DIR/postgres.log" >&2 || true
	fi
}

pg_test_start() {
	if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
		log "using PostgreSQL from TEST_DATABASE_URL"
		export TEST_DATABASE_URL
		return 0
	fi
	[[ -z "$PG_TEST_DIR" ]] || return 0

	if ! _pg_find_bin; then
		if is_root; then
			log "PostgreSQL server binaries not found: installing Debian's postgresql"
			apt_install postgresql
			_pg_find_bin || die "installed postgresql but found no initdb under /usr/lib/postgresql/*/bin"
		else
			die "PostgreSQL server binaries (initdb, pg_ctl) not found. Install them as root (apt-get install -y postgresql), or set TEST_DATABASE_URL=postgres://USER@HOST:PORT/DB for a server where USER may create databases."
		fi
	fi
	if is_root; then
		id postgres >/dev/null 2>&1 \
			|| die "running as root, but there is no 'postgres' user to run the server as (PostgreSQL refuses to run as root); install Debian's postgresql package, which creates it"
	fi

	# Under /tmp rather than $TMPDIR when root: the postgres user must be able to reach the directory,
	# and a root-only TMPDIR (e.g. under /root) would not let it.
	local base="${TEGAMI_PG_TMPDIR:-${TMPDIR:-/tmp}}"
	is_root && base="${TEGAMI_PG_TMPDIR:-/tmp}"
	PG_TEST_DIR="$(mktemp -d "$base/tegami-pg.XXXXXX")" || die "cannot create a temporary directory in $base"
	# Registered before anything can fail, so a half-made cluster is removed too.
	add_exit_hook pg_test_stop
	is_root && chown postgres:postgres "$PG_TEST_DIR"

	log "creating a throwaway PostgreSQL cluster (PostgreSQL $("$PG_TEST_BIN/postgres" --version | sed 's/^[^0-9]*//')) in $PG_TEST_DIR"
	# C.UTF-8: byte-order collation (stable test results) with Unicode character classes, which
	# pg_trgm needs to see Japanese letters as letters. --no-sync: nothing here needs to survive a crash.
	if ! _pg_as_owner "$PG_TEST_BIN/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 --no-sync >"$PG_TEST_DIR/initdb.log" 2>&1; then
		tail -n 20 "$PG_TEST_DIR/initdb.log" >&2
		die "initdb failed"
	fi

	# Only this machine, and only through 127.0.0.1 (or the socket in our private directory).
	cat >"$PG_TEST_DIR/data/pg_hba.conf" <<-HBA
		local all all trust
		host  all all 127.0.0.1/32 trust
	HBA
	cat >>"$PG_TEST_DIR/data/postgresql.conf" <<-CONF

		# --- tegami test server (scripts/pg-test-server.sh) ---
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$PG_TEST_DIR'
		# Speed over durability: the cluster is deleted after the run.
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		wal_level = minimal
		max_wal_senders = 0
		# Each test file, the e2e servers and their pools all connect at once.
		max_connections = 200
		# Same as production advice: a generic plan for a pg_trgm search scanned the whole index
		# (STACK.md); tests should see the plans users will get.
		plan_cache_mode = force_custom_plan
		log_min_messages = warning
		log_line_prefix = '%m [%p] '
	CONF
	is_root && chown postgres:postgres "$PG_TEST_DIR/data/pg_hba.conf" "$PG_TEST_DIR/data/postgresql.conf"

	local attempt port=""
	for attempt in 1 2 3; do
		port="$(_pg_free_port)" || die "could not find a free TCP port"
		: >"$PG_TEST_DIR/postgres.log"
		is_root && chown postgres:postgres "$PG_TEST_DIR/postgres.log"
		if _pg_as_owner "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/postgres.log" \
			-o "-p $port" -w -t 60 start >/dev/null 2>&1; then
			break
		fi
		# Someone may have taken the port between our check and the server's bind: try another.
		if grep -q 'could not bind\|Address already in use' "$PG_TEST_DIR/postgres.log" && ((attempt < 3)); then
			warn "port $port was taken; retrying"
			continue
		fi
		_pg_show_log
		die "PostgreSQL test server did not start"
	done

	# pg_ctl -w already waits for "ready"; this confirms the TCP listener the tests will use.
	local i
	for ((i = 0; i < 60; i++)); do
		"$PG_TEST_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres && break
		sleep 0.5
	done
	if ((i == 60)); then
		_pg_show_log
		die "PostgreSQL test server is not accepting connections on 127.0.0.1:$port"
	fi

	export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
	log "PostgreSQL test server ready: $TEST_DATABASE_URL"
}

# Executed rather than sourced.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	set -euo pipefail
	if [[ "${1:-}" == "--" ]]; then
		shift
		(($# > 0)) || die "usage: $0 -- COMMAND [ARGS...]"
		pg_test_start
		# Not exec: the EXIT hook must outlive the command to stop the server.
		"$@"
	elif (($# == 0)); then
		pg_test_start
		printf 'TEST_DATABASE_URL=%s\n' "$TEST_DATABASE_URL"
		# Hold until stdin closes: if the parent dies however abruptly, its end of the pipe closes,
		# read returns, and the EXIT hook removes the server. Signals end the wait too.
		while IFS= read -r _; do :; done
	else
		die "usage: $0 [-- COMMAND [ARGS...]]  (or source it and call pg_test_start)"
	fi
fi
