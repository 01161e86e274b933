#!/usr/bin/env bash
# What Truffle compiles, inlines and deoptimizes while the moving-average template runs over the main
# series, run after run, as a worker runs it (fresh context per run, one engine), but in a harness without
# the sandbox policy (which refuses the trace options). Prints a summary per run; the whole log goes to
# sandbox/target/compilation-trace.log.
# usage: sandbox/bench/compilation-trace.sh [runs, default 6] [strategy, default strategies/ma_cross.py]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${1:-6}"
STRATEGY="${2:-strategies/ma_cross.py}"
export JAVA_HOME="${JAVA_HOME:-$(bin/jdk25)}"
DATA="testdata/derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz"
mvn -B -q -pl sandbox test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/sandbox/target/bench.cp" -Dmdep.includeScope=test
CP="sandbox/target/classes:sandbox/target/test-classes:$(cat sandbox/target/bench.cp)"
JVMCI=$(ls sandbox/target/jvmci/*.jar | tr '\n' ':')
LOG=sandbox/target/compilation-trace.log
"$JAVA_HOME/bin/java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path="${JVMCI%:}" \
  -Xss64m -Xmx2g -cp "$CP" dev.candlebox.sandbox.bench.CompilationTrace "$STRATEGY" "$DATA" "$RUNS" 2>"$LOG" | grep -v "^WARNING"
python3 - "$LOG" <<'PY'
import re, sys
run, per = 0, {}
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"=== RUN (\d+) ended", line)
    if m:
        run = int(m.group(1)) + 1
        continue
    d = per.setdefault(run, {"done": [], "deopt": 0, "transfer": 0, "inval": 0})
    if "opt done" in line:
        name = re.search(r"id=\s*(\d+)\s+<(?:bytecode|builtin function) (\S+)", line)
        tier = re.search(r"\|Tier (\d)", line)
        inl = re.search(r"\|Inlined\s+(\d+)Y\s+(\d+)N", line)
        d["done"].append("%s#%s(T%s%s)" % (name.group(2) if name else "?", name.group(1) if name else "?", tier.group(1) if tier else "?",
                                         ",in %sY/%sN" % inl.groups() if inl else ""))
    elif "opt deopt" in line:
        d["deopt"] += 1
    elif "transferToInterpreter" in line or "[engine] transferToInterpreter" in line:
        d["transfer"] += 1
    elif "opt inv." in line or "invalidated" in line:
        d["inval"] += 1
for r in sorted(per):
    d = per[r]
    hot = [x for x in d["done"] if re.search(r"step_|run|_drive|Strategy|Kline|append|calculate_sma|get_closes", x)]
    print("while run %d went: %d compilations done, %d deopts, %d transfers to the interpreter, %d invalidations"
          % (r, len(d["done"]), d["deopt"], d["transfer"], d["inval"]))
    for x in hot[:20]:
        print("    " + x)
PY
echo "full log: $LOG"
