# Sourced by the benchmarks in bench/: the JDK, the server jar, and a fresh PostgreSQL database holding the main
# series (48,478 1h klines of BTCUSDT) loaded by candlebox's own importer. Sets JAVA_HOME, JAVA, JAR, DB, PGURL, DATA.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DB=candlebox_bench
PGURL="postgresql://postgres@127.0.0.1:5432/$DB"
DATA=testdata/derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz
JAVA_HOME=$(bin/jdk25); export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
JAR=server/target/candlebox.jar
[ -f "$JAR" ] || mvn -B -q package -DskipTests

machine() { # one line about the machine and what else runs on it
    echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA" -version 2>&1 | head -1)"
}

fresh_main_series_db() { # drops and recreates $DB, then imports the main series into it
    psql -h 127.0.0.1 -U postgres -d test -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null 2>&1
    DATABASE_URL=$PGURL "$JAVA" -jar "$JAR" import file "$DATA" --symbol BTCUSDT --interval 1h "$@" >/dev/null
}
