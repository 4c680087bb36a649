#!/usr/bin/env bash
# The benchmark: bench/run.sh [--records=1000000] [--db=both|h2|postgres] [--webhook-seconds=60]
#                              [--connections=64] [--probes=300] [--page=1000]
#                              [--postgres-settings="shared_buffers=2GB max_wal_size=8GB min_wal_size=4GB"] (its default;
#                              "" for none)
# Prints the table and writes bench/RESULTS.md. Needs wrk and PostgreSQL's server binaries (installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mvn -B -q -DskipTests package test-compile
mkdir -p bench/work/classes
# the test helpers it shares (ServiceProcess, LocalPostgres) need the test libraries too
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=bench/work/test-classpath.txt
cp="target/classes:target/test-classes:$(cat bench/work/test-classpath.txt)"
javac -d bench/work/classes -cp "$cp" $(find bench/src -name '*.java')
# the service logs and temporary files of the run stay under bench/work, not in /tmp; PostgreSQL writes each commit
# to disk before answering it, as by default (the tests' server does not)
mkdir -p bench/work/tmp
exec java -Xmx2g -Djava.io.tmpdir=bench/work/tmp -Ddce.test.pg.durable=true -cp "bench/work/classes:$cp" com.dce.etl.bench.Benchmark "$@"
