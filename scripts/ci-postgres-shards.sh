#!/usr/bin/env bash
# Two more PostgreSQL clusters on this machine, the shards of test/sql/postgres-sharded.test.ts: `shard1` on port
# 5433 and `shard2` on port 5434, each with the role and database clientele_ci (C collation, as the main one), and
# on the coordinator (the main cluster's clientele_ci database) the postgres_fdw servers clientele_shard1 and
# clientele_shard2 with a user mapping for clientele_ci. The test creates its own hash-partitioned tables whose
# partitions are foreign tables on the shards, in a schema of its own on every node.
#
# Idempotent (creates what is missing, drops nothing: another run on this machine may be using it) and tolerant:
# on failure it prints why and exits non-zero, and the sharded test skips. On success it prints the value of
# CLIENTELE_PG_SHARDED ("server=url server=url"), which the caller exports.
#
# Usage (as root, or a user with sudo; the main cluster already set up by .ci/run's setup_postgres):
#   export CLIENTELE_PG_SHARDED="$(scripts/ci-postgres-shards.sh)"
set -euo pipefail

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
fail() {
  echo "ci-postgres-shards: $*" >&2
  exit 1
}
command -v pg_createcluster >/dev/null || fail "pg_createcluster not found (Debian's postgresql-common is not installed)"
version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
[ -f "/usr/lib/postgresql/$version/lib/postgres_fdw.so" ] || fail "postgres_fdw is missing from PostgreSQL $version"

as_postgres() { $sudo runuser -u postgres -- "$@"; }
# psql as the superuser on the cluster at port $1, database $2, one command $3; tuples only
psql_at() { as_postgres psql -X -qtA -v ON_ERROR_STOP=1 -p "$1" -d "$2" -c "$3"; }

main_port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"
[ -n "$main_port" ] || fail "no main cluster of PostgreSQL $version"
[ "$(psql_at "$main_port" postgres "SELECT 1 FROM pg_database WHERE datname = 'clientele_ci'" 2>/dev/null)" = 1 ] ||
  fail "the coordinator database clientele_ci is missing on port $main_port (run .ci/run's setup_postgres first)"

servers=()
for shard in shard1:5433 shard2:5434; do
  name="${shard%%:*}"
  port="${shard##*:}"
  if [ ! -d "/etc/postgresql/$version/$name" ]; then
    $sudo pg_createcluster "$version" "$name" -p "$port" --locale C.UTF-8 -- --no-sync >/dev/null ||
      fail "pg_createcluster $version $name -p $port failed"
  fi
  actual="$(pg_lsclusters -h | awk -v v="$version" -v n="$name" '$1 == v && $2 == n { print $3 }')"
  [ "$actual" = "$port" ] || fail "cluster $version/$name listens on port ${actual:-?}, not $port"
  $sudo pg_ctlcluster "$version" "$name" start >/dev/null 2>&1 || $sudo pg_ctlcluster "$version" "$name" status >/dev/null 2>&1 ||
    fail "cluster $version/$name does not start (see /var/log/postgresql/postgresql-$version-$name.log)"
  [ "$(psql_at "$port" postgres "SELECT 1 FROM pg_roles WHERE rolname = 'clientele_ci'")" = 1 ] ||
    psql_at "$port" postgres "CREATE ROLE clientele_ci LOGIN PASSWORD 'clientele_ci'" >/dev/null ||
    fail "cannot create role clientele_ci on $name"
  [ "$(psql_at "$port" postgres "SELECT 1 FROM pg_database WHERE datname = 'clientele_ci'")" = 1 ] ||
    psql_at "$port" postgres "CREATE DATABASE clientele_ci OWNER clientele_ci TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null ||
    fail "cannot create database clientele_ci on $name"

  # the coordinator's way to the shard: a postgres_fdw server (partitions scanned at once: async_capable; rows
  # fetched and inserted 1000 at a time) and the mapping of clientele_ci to the shard's clientele_ci
  server="clientele_$name"
  psql_at "$main_port" clientele_ci "
    SET client_min_messages = warning;
    CREATE EXTENSION IF NOT EXISTS postgres_fdw;
    CREATE SERVER IF NOT EXISTS $server FOREIGN DATA WRAPPER postgres_fdw
      OPTIONS (host 'localhost', port '$port', dbname 'clientele_ci', async_capable 'true', fetch_size '1000', batch_size '1000');
    GRANT USAGE ON FOREIGN SERVER $server TO clientele_ci;
    CREATE USER MAPPING IF NOT EXISTS FOR clientele_ci SERVER $server OPTIONS (user 'clientele_ci', password 'clientele_ci');
  " >/dev/null || fail "cannot create the postgres_fdw server $server on the coordinator"
  url="postgresql://clientele_ci:clientele_ci@localhost:$port/clientele_ci"
  [ "$(psql "$url" -X -qtA -c 'SELECT 1' 2>/dev/null)" = 1 ] || fail "clientele_ci cannot log in to $name at $url"
  servers+=("$server=$url")
done
echo "${servers[*]}"
