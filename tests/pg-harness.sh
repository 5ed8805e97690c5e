#!/bin/bash
# tests/pg-harness.sh COMMAND...: run COMMAND against a private PostgreSQL 15
# server that lives only for that run.
#
# The server is created with initdb in a fresh temporary folder (under /tmp:
# the Unix socket path must stay short), listens on a Unix socket in that
# folder only (no TCP port, so parallel runs and a system server never clash),
# trusts local connections, and runs with fsync off (a test server: speed over
# durability). COMMAND runs with
#
#   AIMS_TEST_DB_URL_BASE=postgresql://aims@%2Ftmp%2Faims-pg.XXXXXX/
#
# to which a test appends a database name (tests/cli/test-lib.sh and
# tests/unit/helpers.h create one database per store and drop it afterwards).
# The server is stopped and the folder removed when COMMAND ends, fails or is
# interrupted; the exit status is COMMAND's.
#
# PostgreSQL refuses to run as root. Run as root (as in CI), the harness runs
# initdb and the server as the unprivileged user `postgres` (created by
# Debian's postgresql-15 package; AIMS_PG_USER names another) and hands it the
# folder; the tests, still root, reach the socket through the folder (root
# passes its 0700 mode) and connect as the database role `aims`, which is the
# cluster's superuser. Run as anyone else, everything runs as that user.
#
# AIMS_PG_BIN: where initdb and pg_ctl are (default /usr/lib/postgresql/15/bin).
# AIMS_PG_DURABLE=1: sync commits to disk as a production server does (the
# benchmarks use it); by default fsync is off, tests do not need durability.
# AIMS_PG_KEEP: keep the folder (with the server log) after the run.
set -u

PG_BIN=${AIMS_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ $# -eq 0 ]; then
	echo "usage: tests/pg-harness.sh COMMAND..." >&2
	exit 2
fi
for tool in initdb pg_ctl; do
	if [ ! -x "$PG_BIN/$tool" ]; then
		echo "pg-harness: $PG_BIN/$tool not found: install postgresql-15 (scripts/deps.sh) or set AIMS_PG_BIN" >&2
		exit 2
	fi
done

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	pg_user=${AIMS_PG_USER:-postgres}
	if ! id -u "$pg_user" >/dev/null 2>&1; then
		echo "pg-harness: running as root needs the unprivileged user '$pg_user' (postgresql-15 creates 'postgres')" >&2
		exit 2
	fi
	as_pg=(runuser -u "$pg_user" --)
fi

dir=$(mktemp -d /tmp/aims-pg.XXXXXX) || { echo "pg-harness: cannot create a folder in /tmp" >&2; exit 2; }
[ ${#as_pg[@]} -eq 0 ] || chown "$pg_user" "$dir"
chmod 0700 "$dir"

stop() {
	if [ -f "$dir/data/postmaster.pid" ]; then
		"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
	fi
	if [ -n "${AIMS_PG_KEEP:-}" ]; then
		echo "pg-harness: kept $dir" >&2
	else
		rm -rf "$dir"
	fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! "${as_pg[@]}" "$PG_BIN/initdb" -D "$dir/data" -U aims --auth=trust -E UTF8 --locale=C --no-sync \
	>"$dir/initdb.log" 2>&1; then
	echo "pg-harness: initdb failed:" >&2
	cat "$dir/initdb.log" >&2
	exit 2
fi
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ -z "${AIMS_PG_DURABLE:-}" ] || durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
if ! "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
	-o "-c listen_addresses='' -c unix_socket_directories='$dir' $durability \
	    -c max_connections=300 -c shared_buffers=32MB -c deadlock_timeout=200ms" \
	start >"$dir/pg_ctl.log" 2>&1; then
	echo "pg-harness: the server did not start:" >&2
	cat "$dir/pg_ctl.log" "$dir/server.log" >&2
	exit 2
fi

AIMS_TEST_DB_URL_BASE="postgresql://aims@$(printf '%s' "$dir" | sed 's|/|%2F|g')/"
AIMS_TEST_PG_DIR=$dir
export AIMS_TEST_DB_URL_BASE AIMS_TEST_PG_DIR
echo "pg-harness: PostgreSQL $("$PG_BIN/pg_ctl" --version | awk '{print $3}') at $dir" >&2

"$@"
exit $?
