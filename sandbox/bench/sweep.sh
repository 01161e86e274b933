#!/usr/bin/env bash
# The shape of a sweep: 100 runs of the moving-average template with different params over the main series,
# submitted at once to a worker pool, job reuse off and on side by side, for each pool size given.
# usage: sandbox/bench/sweep.sh [pool sizes, default: 1 2]
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES="${*:-1 2}"
export JAVA_HOME="${JAVA_HOME:-$(bin/jdk25 2>/dev/null || echo /usr/lib/jvm/temurin-25-jdk-amd64)}"
DATA="testdata/derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz"
mvn -B -q -pl sandbox test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/sandbox/target/bench.cp" -Dmdep.includeScope=test
CP="sandbox/target/classes:sandbox/target/test-classes:$(cat sandbox/target/bench.cp)"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" -cp "$CP" dev.candlebox.sandbox.bench.SweepBenchmark strategies/ma_cross.py "$DATA" sandbox/target/jvmci $SIZES
