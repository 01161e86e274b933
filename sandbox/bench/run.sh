#!/usr/bin/env bash
# Sandbox benchmark: Candlebox (GraalPy in a worker process) vs CPython on the very same prelude and
# moving-average strategy, over the main BTCUSDT 1h series and over 1M klines. Prints the machine.
# usage: sandbox/bench/run.sh [warm repeats, default 5]
# BENCH_WORKER_ARGS="-Dcandlebox.engine.mode=default" adds flags to the worker JVM (to compare settings).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS="${1:-5}"
export JAVA_HOME="${JAVA_HOME:-$(bin/jdk25 2>/dev/null || echo /usr/lib/jvm/temurin-25-jdk-amd64)}"
DATA="testdata/derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz"
mvn -B -q -pl sandbox test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/sandbox/target/bench.cp" -Dmdep.includeScope=test
CP="sandbox/target/classes:sandbox/target/test-classes:$(cat sandbox/target/bench.cp)"
echo "== Candlebox"
"$JAVA_HOME/bin/java" -cp "$CP" dev.candlebox.sandbox.bench.SandboxBenchmark strategies/ma_cross.py "$DATA" sandbox/target/jvmci "$REPS"
echo "== CPython ($(python3 --version))"
python3 sandbox/bench/cpython_bench.py strategies/ma_cross.py "$DATA" 48478 "$REPS"
python3 sandbox/bench/cpython_bench.py strategies/ma_cross.py "$DATA" 1000000 2
