#!/usr/bin/env bash
# Qorgau on a PostgreSQL server, whole processes, in one run on the same data (issue 9, item 9; see
# Benchmarks/RESULTS.md, "PostgreSQL server"):
#   1. `qorgau alerts --format json --as-of NOW --db URI` against `psql` running the one query that
#      lists the same overdue orders from qorgau.orders/checks (the floor of what the server can answer),
#      interleaved, the median of the per-round ratios; with `qorgau --help` (the process floor),
#      `psql -c 'SELECT 1'` (process + connection floor) and `qorgau alerts` on the SQLite file beside;
#   2. a durable check-in: `qorgau check add ... --db URI` (whole process) and, in process
#      (`qorgau-bench --server URI`), one `store.addCheck` per committed transaction;
#   3. EXPLAIN (ANALYZE, BUFFERS) of the server's alert queries and the floor, and the statements of a
#      check-in one by one (psql \timing), to see where the time goes.
#
#   Benchmarks/compare-postgres.sh [ORDERS]        default 100000
#   RUNS=15 CHECKINS=15 OUT=Benchmarks/results BIN=.build/release Benchmarks/compare-postgres.sh 100000
#
# It starts its own throw-away cluster (initdb, socket only, fsync = on, synchronous_commit = on: a
# check-in is durable when COMMIT returns), as the `postgres` OS account when run as root; makes a
# LOGIN CREATEROLE NOSUPERUSER role named after this OS account (peer authentication), a database, and
# loads the same deterministic file qorgau-bench makes (`qorgau export` of it, `qorgau import` into the
# database: every row, audit trail included), then VACUUM ANALYZE. The cluster is stopped and removed at
# exit. Everything printed is also written to $OUT/postgres-ORDERS.txt.
#
# Needs: PostgreSQL server binaries (Debian: postgresql), jq; bash 5 (EPOCHREALTIME).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ -d /opt/swift/usr/bin ] && ! command -v swift >/dev/null 2>&1; then export PATH="/opt/swift/usr/bin:$PATH"; fi

N=${1:-100000}
RUNS=${RUNS:-15}
CHECKINS=${CHECKINS:-15}
OUT=${OUT:-$ROOT/Benchmarks/results}
mkdir -p "$OUT"
RAW=$OUT/postgres-$N.txt
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$PGBIN/initdb" ] || { echo "no PostgreSQL server binaries (set PGBIN; Debian: apt-get install postgresql)" >&2; exit 2; }
command -v jq >/dev/null || { echo "compare-postgres.sh needs jq" >&2; exit 2; }
[ -n "${EPOCHREALTIME:-}" ] || { echo "compare-postgres.sh needs bash 5 (EPOCHREALTIME)" >&2; exit 2; }

if [ -z "${BIN:-}" ]; then
    echo "== building (release)" >&2
    swift build -c release --product qorgau-bench >&2
    swift build -c release --product qorgau >&2
    BIN=$(swift build -c release --show-bin-path)
fi
QORGAU=$BIN/qorgau
BENCH=$BIN/qorgau-bench

exec > >(tee "$RAW") 2>&1

# ---- the cluster ------------------------------------------------------------------------------
ME=$(id -un)
WORK=$(mktemp -d /tmp/qorgau-pg.XXXXXX)
chmod 755 "$WORK"
DATA=$WORK/data
SOCK=$WORK/sock
PORT=${PORT:-5432}
mkdir -p "$SOCK"
if [ "$(id -u)" = 0 ]; then
    SERVER_ACCOUNT=postgres
    chown postgres: "$WORK" "$SOCK"
    as_server() { (cd "$WORK" && runuser -u postgres -- "$@"); }
else
    SERVER_ACCOUNT=$ME
    as_server() { "$@"; }
fi
cleanup() {
    status=$?
    if [ -f "$DATA/postmaster.pid" ]; then as_server "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT INT TERM

echo "== $(date -u +%FT%TZ): Qorgau on PostgreSQL, $N orders"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
     "$(. /etc/os-release && echo "$PRETTY_NAME"); $(swift --version 2>/dev/null | head -1)"
echo "binaries: $QORGAU ($(stat -c %y "$QORGAU" | cut -d. -f1)), $BENCH"
echo "cluster: $WORK (server account $SERVER_ACCOUNT, role $ME)"

as_server "$PGBIN/initdb" -D "$DATA" -A peer -U postgres -E UTF8 --no-locale >/dev/null
# Socket only; peer authentication, the OS account mapped to its own role (and to postgres when not root).
{
    echo "local all all peer map=bench"
} > "$DATA/pg_hba.conf"
{
    echo "bench postgres postgres"
    echo "bench $ME $ME"
    [ "$SERVER_ACCOUNT" = postgres ] || echo "bench $ME postgres"
} > "$DATA/pg_ident.conf"
cat >> "$DATA/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$SOCK'
port = $PORT
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
as_server "$PGBIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -w start >/dev/null
su_psql() { as_server "$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres "$@"; }
DBNAME=qorgau_bench
su_psql -d postgres -c "CREATE ROLE \"$ME\" LOGIN CREATEROLE NOSUPERUSER" \
    -c "CREATE DATABASE $DBNAME OWNER \"$ME\" TEMPLATE template0 ENCODING 'UTF8'"
enc() { jq -rn --arg s "$1" '$s | @uri'; }
URI="postgresql:///$DBNAME?host=$(enc "$SOCK")&port=$PORT&user=$(enc "$ME")"
PSQL=("$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U "$ME" -d "$DBNAME")
echo "server: $(su_psql -d postgres -c 'SELECT version()')"
echo "settings: $(su_psql -d postgres -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings
    WHERE name IN ('fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes', 'shared_buffers', 'work_mem', 'jit')")"
echo "data directory on: $(df -h "$DATA" | awk 'NR == 2 {print $1 " (" $2 ")"}')"

# ---- the records ----------------------------------------------------------------------------------
ms_since() { local s=${1//[.,]/} e=${EPOCHREALTIME//[.,]/}; echo $(( (e - s) / 1000 )); }
DB=$("$BENCH" --orders "$N" --build-only)
echo "file: $DB ($(du -m "$DB" | cut -f1) MiB)"
t0=$EPOCHREALTIME
"$QORGAU" export --db "$DB" --output "$WORK/export.json"
echo "export: $(ms_since "$t0") ms, $(du -m "$WORK/export.json" | cut -f1) MiB"
t0=$EPOCHREALTIME
"$QORGAU" import "$WORK/export.json" --db "$URI"
echo "import into the server: $(ms_since "$t0") ms"
rm -f "$WORK/export.json"
t0=$EPOCHREALTIME
su_psql -d "$DBNAME" -c "VACUUM (ANALYZE)"
echo "VACUUM (ANALYZE): $(ms_since "$t0") ms"
echo "rows: $("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM qorgau.orders) || ' orders, ' || (SELECT count(*) FROM qorgau.checks) || ' checks, '
    || (SELECT count(*) FROM qorgau.breaches) || ' breaches, ' || (SELECT count(*) FROM qorgau.history) || ' audit entries; database '
    || pg_size_pretty(pg_database_size(current_database()))")"

# The instant everything is measured at: now, whole seconds; the day in the records' zone.
ZONE=$("${PSQL[@]}" -c "SELECT value FROM qorgau.meta WHERE key = 'timeZone'")
NOW=$(date +%s)
AS_OF=$(date -u -d "@$NOW" +%Y-%m-%dT%H:%M:%SZ)
TODAY=$(TZ=$ZONE date -d "@$NOW" +%F)
echo "as of: $AS_OF ($TODAY in $ZONE)"
INEFFECT=$("${PSQL[@]}" -c "SELECT count(*) FROM qorgau.orders WHERE served <= $NOW AND ends > $NOW")

# The floor: the overdue orders, from the orders in effect (orders_ends) and each one's last counted
# check (checks_counted): its next check date is the later of the service day and the last counted
# check's day, plus the interval, in the records' zone (RULES.md 4; the SQLite file stores it as nextDue).
FLOOR="SELECT o.number, d.next_due FROM qorgau.orders o
  CROSS JOIN LATERAL (SELECT max(c.at) AS last FROM qorgau.checks c WHERE c.order_id = o.id AND c.counted AND c.at <= $NOW) l
  CROSS JOIN LATERAL (SELECT greatest((to_timestamp(o.served) AT TIME ZONE '$ZONE')::date,
                                      (to_timestamp(l.last) AT TIME ZONE '$ZONE')::date) + o.check_interval_days AS next_due) d
  WHERE o.ends > $NOW AND o.served <= $NOW AND d.next_due < DATE '$TODAY' ORDER BY d.next_due, o.number_key"
OVERDUE_SQL=$("${PSQL[@]}" -c "$FLOOR" | wc -l)
ALERTS_JSON=$("$QORGAU" alerts --format json --as-of "$AS_OF" --db "$URI")
OVERDUE_Q=$(jq '[.alerts[] | select(.kind == "check-overdue")] | length' <<<"$ALERTS_JSON")
ALERTS_Q=$(jq '.alerts | length' <<<"$ALERTS_JSON")
ALERTS_FILE=$("$QORGAU" alerts --format json --as-of "$AS_OF" --db "$DB" | jq '.alerts | length')
echo "in effect: $INEFFECT; overdue: psql $OVERDUE_SQL, qorgau $OVERDUE_Q; alerts: server $ALERTS_Q, file $ALERTS_FILE"
[ "$OVERDUE_SQL" = "$OVERDUE_Q" ] || echo "WARNING: psql lists $OVERDUE_SQL overdue orders, qorgau $OVERDUE_Q"
[ "$ALERTS_Q" = "$ALERTS_FILE" ] || echo "WARNING: the server gives $ALERTS_Q alerts, the file $ALERTS_FILE"

# ---- 1. alerts against the floor, interleaved -------------------------------------------------------
# One round runs each command once (the order rotates each round); a time is wall-clock from fork to
# exit, read from bash's EPOCHREALTIME (no process for the clock). Output goes to /dev/null.
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
run_us() { local s=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || echo "FAILED: $*" >&2; local e=$EPOCHREALTIME; echo $(( ${e//[.,]/} - ${s//[.,]/} )); }
LABELS=("qorgau alerts --format json (server)" "psql floor (overdue orders)" "qorgau --help (process floor)"
        "psql -c 'SELECT 1' (connection floor)" "qorgau alerts --format json (SQLite file)")
cmd() {
    case $1 in
    0) run_us "$QORGAU" alerts --format json --as-of "$AS_OF" --db "$URI" ;;
    1) run_us "${PSQL[@]}" -c "$FLOOR" ;;
    2) run_us "$QORGAU" --help ;;
    3) run_us "${PSQL[@]}" -c "SELECT 1" ;;
    4) run_us "$QORGAU" alerts --format json --as-of "$AS_OF" --db "$DB" ;;
    esac
}
K=${#LABELS[@]}
for _ in 1 2 3; do for c in $(seq 0 $((K - 1))); do cmd "$c" >/dev/null; done; done   # warm-up
declare -A T
for i in $(seq "$RUNS"); do
    for j in $(seq 0 $((K - 1))); do
        c=$(( (i + j) % K ))
        T[$c,$i]=$(cmd "$c")
    done
done
echo
echo "== 1. whole processes, $RUNS interleaved rounds (ms; per-round samples in order)"
for c in $(seq 0 $((K - 1))); do
    samples=$(for i in $(seq "$RUNS"); do echo "${T[$c,$i]}"; done | awk '{ printf "%.1f ", $1 / 1000 }')
    med=$(for i in $(seq "$RUNS"); do echo "${T[$c,$i]}"; done | median | awk '{ printf "%.1f", $1 / 1000 }')
    printf '%-44s median %7s ms   [%s]\n' "${LABELS[$c]}" "$med" "$samples"
    MED[$c]=$med
done
RATIOS=$(for i in $(seq "$RUNS"); do awk -v a="${T[0,$i]}" -v b="${T[1,$i]}" 'BEGIN { printf "%.2f\n", a / b }'; done)
RATIO=$(echo "$RATIOS" | median)
echo "ratio qorgau alerts / psql floor, per round: $(echo "$RATIOS" | tr '\n' ' ')"
echo "median of the ratios: ${RATIO}x (target <= 3x: $(awk -v r="$RATIO" 'BEGIN { print (r <= 3 ? "met" : "MISSED") }'))"

# ---- where the alerts' time goes on the server --------------------------------------------------------
echo
echo "== EXPLAIN (ANALYZE, BUFFERS) as $ME (row security applies), t = $NOW"
explain() { echo "-- $1"; "${PSQL[@]}" -c "EXPLAIN (ANALYZE, BUFFERS) $2"; echo; }
explain "the floor" "$FLOOR"
explain "alertCandidates 1: open breaches" "SELECT * FROM qorgau.breaches WHERE occurred <= $NOW AND (closed IS NULL OR closed > $NOW)"
explain "alertCandidates 2: every correction" "SELECT c.id, c.order_id, o.number_key, c.field, c.value, c.sealed, c.reason, c.at, c.account
    FROM qorgau.corrections c JOIN qorgau.orders o ON o.id = c.order_id WHERE NULL::bigint IS NULL OR c.order_id = NULL ORDER BY c.id"
OCOLS="o.id, o.number, o.number_key, o.kind, o.issued, o.served, o.term_days, o.check_interval_days, o.district, o.officer,
    o.restrictions, o.survivor_initials, o.respondent_name, o.respondent_birth_date, o.respondent_address, o.respondent_phone,
    o.revoked, o.revocation_reason, o.survivor"
explain "alertCandidates 3: the candidate orders with their last counted check" "SELECT $OCOLS,
       (SELECT max(c.at) FROM qorgau.checks c WHERE c.order_id = o.id AND c.counted AND c.at <= $NOW) AS last_counted
    FROM qorgau.orders o WHERE o.id IN (
        SELECT id FROM qorgau.orders WHERE ends > $NOW AND served <= $NOW
        UNION SELECT id FROM qorgau.orders WHERE served IS NULL AND issued <= $NOW AND (revoked IS NULL OR revoked > $NOW)
        UNION SELECT id FROM qorgau.orders WHERE served > $NOW AND issued <= $NOW
        UNION SELECT order_id FROM qorgau.breaches WHERE occurred <= $NOW AND (closed IS NULL OR closed > $NOW))"
echo "-- the session's set-up queries and the alert queries, each timed by psql (\\timing, ms, round trip included), twice in one session"
ALERT_SQL=$(cat <<EOF
SELECT to_regclass('qorgau.meta') IS NOT NULL AS installed \\g /dev/null
SELECT login, role, district, disabled FROM qorgau.me() \\g /dev/null
SELECT key, value FROM qorgau.meta \\g /dev/null
SELECT * FROM qorgau.breaches WHERE occurred <= $NOW AND (closed IS NULL OR closed > $NOW) \\g /dev/null
SELECT c.id, c.order_id, o.number_key, c.field, c.value, c.sealed, c.reason, c.at, c.account FROM qorgau.corrections c JOIN qorgau.orders o ON o.id = c.order_id ORDER BY c.id \\g /dev/null
SELECT $OCOLS, (SELECT max(c.at) FROM qorgau.checks c WHERE c.order_id = o.id AND c.counted AND c.at <= $NOW) AS last_counted FROM qorgau.orders o WHERE o.id IN (SELECT id FROM qorgau.orders WHERE ends > $NOW AND served <= $NOW UNION SELECT id FROM qorgau.orders WHERE served IS NULL AND issued <= $NOW AND (revoked IS NULL OR revoked > $NOW) UNION SELECT id FROM qorgau.orders WHERE served > $NOW AND issued <= $NOW UNION SELECT order_id FROM qorgau.breaches WHERE occurred <= $NOW AND (closed IS NULL OR closed > $NOW)) \\g /dev/null
SELECT count(*) FROM (SELECT $OCOLS, (SELECT max(c.at) FROM qorgau.checks c WHERE c.order_id = o.id AND c.counted AND c.at <= $NOW) AS last_counted FROM qorgau.orders o WHERE o.id IN (SELECT id FROM qorgau.orders WHERE ends > $NOW AND served <= $NOW UNION SELECT id FROM qorgau.orders WHERE served IS NULL AND issued <= $NOW AND (revoked IS NULL OR revoked > $NOW) UNION SELECT id FROM qorgau.orders WHERE served > $NOW AND issued <= $NOW UNION SELECT order_id FROM qorgau.breaches WHERE occurred <= $NOW AND (closed IS NULL OR closed > $NOW))) x \\g /dev/null
SELECT $(echo "$OCOLS" | sed 's/, o.survivor$//'), (SELECT max(c.at) FROM qorgau.checks c WHERE c.order_id = o.id AND c.counted AND c.at <= $NOW) AS last_counted FROM qorgau.orders o WHERE o.id IN (SELECT id FROM qorgau.orders WHERE ends > $NOW AND served <= $NOW UNION SELECT id FROM qorgau.orders WHERE served IS NULL AND issued <= $NOW AND (revoked IS NULL OR revoked > $NOW) UNION SELECT id FROM qorgau.orders WHERE served > $NOW AND issued <= $NOW UNION SELECT order_id FROM qorgau.breaches WHERE occurred <= $NOW AND (closed IS NULL OR closed > $NOW)) \\g /dev/null
EOF
)
printf '\\timing on\n%s\n%s\n' "$ALERT_SQL" "$ALERT_SQL" | "${PSQL[@]}" | grep -E '^Time:' | awk '{ printf "%9s", $2 } NR % 8 == 0 { print "" }'
echo "   (ms: installed?, me(), meta, open breaches, corrections, candidates, candidates counted on the server only, candidates without the sealed column)"
echo "candidate rows: $("${PSQL[@]}" -c "SELECT count(*) FROM qorgau.orders o WHERE o.id IN (
        SELECT id FROM qorgau.orders WHERE ends > $NOW AND served <= $NOW
        UNION SELECT id FROM qorgau.orders WHERE served IS NULL AND issued <= $NOW AND (revoked IS NULL OR revoked > $NOW)
        UNION SELECT id FROM qorgau.orders WHERE served > $NOW AND issued <= $NOW
        UNION SELECT order_id FROM qorgau.breaches WHERE occurred <= $NOW AND (closed IS NULL OR closed > $NOW))");" \
     "bytes of the sealed survivor column among them: $("${PSQL[@]}" -c "SELECT pg_size_pretty(sum(length(survivor))) FROM qorgau.orders WHERE ends > $NOW AND served <= $NOW")"

# ---- 2. in process: connection, alerts apart, and the durable check-in ------------------------------------
echo
echo "== 2. in process (qorgau-bench --server), as of $AS_OF"
"$BENCH" --server "$URI" --now "$NOW" --only open,alerts,list,checkin --repetitions "$RUNS" --json "$WORK/inprocess.json"
echo "-- qorgau-bench --server JSON:"
cat "$WORK/inprocess.json"
echo

# ---- 3. durable check-in, whole process ---------------------------------------------------------------------
# Each on another order in effect (served over an hour ago), two minutes before the instant measured at.
CHECK_AT=$(date -u -d "@$((NOW - 120))" +%Y-%m-%dT%H:%M:%SZ)
mapfile -t NUMBERS < <("${PSQL[@]}" -c "SELECT number FROM qorgau.orders WHERE served <= $((NOW - 3600)) AND ends > $NOW
    ORDER BY md5(number) LIMIT $((CHECKINS + 1))")
"$QORGAU" check add "${NUMBERS[$CHECKINS]}" --at "$CHECK_AT" --officer "Бенч Б." --outcome compliant --db "$URI" >/dev/null  # warm-up
CK=()
for i in $(seq 0 $((CHECKINS - 1))); do
    CK+=("$(run_us "$QORGAU" check add "${NUMBERS[$i]}" --at "$CHECK_AT" --officer "Бенч Б." --outcome compliant --db "$URI")")
done
CK_MED=$(printf '%s\n' "${CK[@]}" | median | awk '{ printf "%.1f", $1 / 1000 }')
echo "== 3. qorgau check add --db URI (whole process, durable), $CHECKINS runs: median $CK_MED ms" \
     "[$(printf '%s\n' "${CK[@]}" | awk '{ printf "%.1f ", $1 / 1000 }')]"
ADDED=$("${PSQL[@]}" -c "SELECT count(*) FROM qorgau.checks WHERE officer = 'Бенч Б.'")
echo "check-ins recorded by this run (in process + whole process + warm-up): $ADDED"

echo "-- one check-in's statements as the program sends them, psql \\timing (ms, round trip included):"
checkin_sql() {
    local id key
    id=$("${PSQL[@]}" -c "SELECT id FROM qorgau.orders WHERE number = '$1'")
    key=$("${PSQL[@]}" -c "SELECT number_key FROM qorgau.orders WHERE id = $id")
    local ID=$id KEY=$key
    cat <<EOF
BEGIN;
SELECT $OCOLS FROM qorgau.orders o WHERE o.number_key = '$KEY' ORDER BY o.number_key \\g /dev/null
SELECT * FROM qorgau.checks WHERE order_id = ANY('{$ID}'::bigint[]) ORDER BY at, id \\g /dev/null
SELECT * FROM qorgau.breaches WHERE order_id = ANY('{$ID}'::bigint[]) ORDER BY occurred, id \\g /dev/null
SELECT c.id FROM qorgau.corrections c JOIN qorgau.orders o ON o.id = c.order_id WHERE c.order_id = $ID ORDER BY c.id \\g /dev/null
SELECT check_id, breach_id FROM qorgau.add_check($ID, $((NOW - 90))::float8, 'Бенч Б.', 'visit', 'compliant', '', 'x') \\g /dev/null
COMMIT;
EOF
}
{ echo '\timing on'; checkin_sql "${NUMBERS[0]}"; checkin_sql "${NUMBERS[1]}"; checkin_sql "${NUMBERS[2]}"; } | "${PSQL[@]}" \
    | grep -E '^Time:' | awk '{ printf "%9s", $2 } NR % 7 == 0 { print "" }'
echo "   (ms: BEGIN, order, its checks, its breaches, its corrections, add_check, COMMIT; three check-ins in one session)"

# ---- summary -----------------------------------------------------------------------------------------------------
J=$WORK/inprocess.json
IN_CHECK=$(jq -r '.results[] | select(.name | startswith("check-in")) | .medianMs' "$J")
IN_ALERTS=$(jq -r '.results[] | select(.name | startswith("today")) | .medianMs' "$J")
IN_CAND=$(jq -r '.results[] | select(.name | contains("alert candidates")) | .medianMs' "$J")
IN_SCHED=$(jq -r '.results[] | select(.name | contains("the scheduler")) | .medianMs' "$J")
IN_OPEN=$(jq -r '.results[] | select(.name | startswith("connect")) | .medianMs' "$J")
echo
echo "== summary ($N orders, $INEFFECT in effect, $OVERDUE_SQL overdue, $ALERTS_Q alerts; medians)"
echo "| \`qorgau alerts --format json\` (server) | psql floor | ratio (median of rounds) | target ≤ 3× | \`qorgau --help\` | psql SELECT 1 | alerts on the SQLite file | in process: connect + session / alerts (query / scheduler) | durable check-in in process | \`qorgau check add\` whole | target ≤ 10 ms |"
echo "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|"
echo "| ${MED[0]} ms | ${MED[1]} ms | ${RATIO}× | $(awk -v r="$RATIO" 'BEGIN { print (r <= 3 ? "met" : "**missed**") }') | ${MED[2]} ms | ${MED[3]} ms | ${MED[4]} ms |" \
     "$IN_OPEN / $IN_ALERTS ($IN_CAND / $IN_SCHED) ms | $IN_CHECK ms | $CK_MED ms |" \
     "$(awk -v a="$IN_CHECK" 'BEGIN { print (a <= 10 ? "met" : "**missed**") }') (in process) |"
echo "(raw: $RAW)"
