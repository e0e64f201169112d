#!/usr/bin/env bash
# Whole commands side by side, in one run, on the same data (see Benchmarks/RESULTS.md):
#   1. `qorgau alerts --format json` against `sqlite3` running the one indexed query that lists the
#      same overdue orders (the floor of what the file can answer), and `qorgau violations` for a month;
#   2. `qorgau alerts` against Taskwarrior 2.6 `task overdue`, the same orders imported as tasks due
#      on each order's next check date;
#   3. the first screen of the TUI in tmux, from launch to the alerts on the pane, and its peak memory.
# Prints times and ratios, and writes them to $OUT (default Benchmarks/results).
#
#   Benchmarks/compare.sh [SIZE...]            default sizes: 10000 100000 1000000
#   RUNS=10 TASK_SIZES="10000 100000" TUI_RUNS=7 OUT=Benchmarks/results Benchmarks/compare.sh
#
# Needs (Debian): hyperfine sqlite3 tmux taskwarrior jq time; installs the missing ones when root.
# Files are made by qorgau-bench (kept in $TMPDIR/qorgau-bench, reused the same day).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ -d /opt/swift/usr/bin ] && ! command -v swift >/dev/null 2>&1; then export PATH="/opt/swift/usr/bin:$PATH"; fi

SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000 1000000)
RUNS=${RUNS:-10}
TUI_RUNS=${TUI_RUNS:-7}
TASK_SIZES=${TASK_SIZES:-"10000 100000"}
OUT=${OUT:-$ROOT/Benchmarks/results}
mkdir -p "$OUT"
ZONE=Asia/Almaty

missing=()
for pkg in hyperfine sqlite3 tmux taskwarrior jq time; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "compare.sh needs: ${missing[*]} (apt-get install -y ${missing[*]})" >&2; exit 2
    fi
fi

echo "== building (release, scratch .build-bench)" >&2
swift build --scratch-path .build-bench -c release --product qorgau-bench >&2
swift build --scratch-path .build-bench -c release --product qorgau >&2
BIN=$ROOT/.build-bench/release
# QORGAU_BIN: another build of qorgau to measure (e.g. a scratch copy with a proposed change), and
# DB_COPY_DIR: where to copy each file first when that build migrates it.
QORGAU=${QORGAU_BIN:-$BIN/qorgau}

# Median of a hyperfine export, in ms, for command number $2 (0-based).
median_ms() { jq -r ".results[$2].median * 1000 | . * 10 | round / 10" "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
ms_now() { date +%s%N | cut -c1-13; }
show() { if [ "$1" = "-" ]; then echo "—"; else echo "$1 ms"; fi; }
times_x() { local r; r=$(ratio "$1" "$2"); if [ "$1" = "-" ] || [ "$2" = "-" ]; then echo "—"; else echo "${r}x"; fi; }

SUMMARY=$OUT/compare.md
{
    echo "| orders | in effect | overdue | \`qorgau alerts --format json\` | \`sqlite3\` floor | ratio | \`qorgau violations\` (last month) | \`qorgau alerts\` | \`task overdue\` (done tasks closed) | ratio | \`task overdue\` (all pending) | ratio | TUI first screen (tmux) | tmux floor | TUI peak RSS |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$SUMMARY"

# The first screen in tmux: ms from launch to `$3` on the pane, for command $2; median of TUI_RUNS.
tui_launch() {
    local label=$1 command=$2 marker=$3 times=() sock="qorgau-bench-$$"
    tmux -L "$sock" -f /dev/null new-session -d -s base -x 100 -y 30 "sleep 600"
    for i in $(seq "$TUI_RUNS"); do
        local start end
        start=$(ms_now)
        tmux -L "$sock" new-window -d -t base -n "run$i" "$command"
        until tmux -L "$sock" capture-pane -p -t "base:run$i" 2>/dev/null | grep -q -- "$marker"; do
            if [ $(( $(ms_now) - start )) -gt 60000 ]; then echo "timeout waiting for $label" >&2; break; fi
        done
        end=$(ms_now)
        times+=($((end - start)))
        tmux -L "$sock" send-keys -t "base:run$i" q 2>/dev/null || true
        sleep 0.3
        tmux -L "$sock" kill-window -t "base:run$i" 2>/dev/null || true
    done
    tmux -L "$sock" kill-server 2>/dev/null || true
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}

# Peak resident memory (MiB) of the TUI: first screen, then keys `$2` (tmux key names: every tab), then quit.
tui_peak() {
    local db=$1 keys=$2 sock="qorgau-mem-$$" rss=$OUT/rss.$$
    rm -f "$rss"
    tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 \
        "env TERM=xterm-256color LANG=C.UTF-8 /usr/bin/time -f %M -o $rss $QORGAU --db $db; sleep 600"
    until tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q -- "OVERDUE"; do sleep 0.05; done
    for k in $keys; do
        tmux -L "$sock" send-keys "$k"
        sleep 0.5
    done
    sleep 1
    tmux -L "$sock" send-keys q
    for _ in $(seq 600); do [ -s "$rss" ] && break; sleep 0.1; done
    tmux -L "$sock" kill-server 2>/dev/null || true
    awk '{ printf "%.0f", $1 / 1024 }' "$rss"
    rm -f "$rss"
}

for N in "${SIZES[@]}"; do
    echo "== $N orders" >&2
    DB=$("$BIN/qorgau-bench" --orders "$N" --build-only)
    if [ -n "${DB_COPY_DIR:-}" ]; then
        mkdir -p "$DB_COPY_DIR"
        cp "$DB" "$DB.key" "$DB_COPY_DIR/"
        DB=$DB_COPY_DIR/$(basename "$DB")
        "$QORGAU" alerts --db "$DB" > /dev/null
    fi
    cat "$DB" > /dev/null  # warm file cache
    NOW=$(date +%s)
    TODAY=$(TZ=$ZONE date +%F)
    FIRST=$(TZ=$ZONE date +%Y-%m-01)
    LAST_FROM=$(TZ=$ZONE date -d "$FIRST -1 month" +%F)
    LAST_TO=$(TZ=$ZONE date -d "$FIRST -1 day" +%F)
    INEFFECT=$(sqlite3 -readonly "$DB" "SELECT count(*) FROM orders WHERE served <= $NOW AND ends > $NOW")

    # 1. The floor: the overdue orders, read from the orders in effect (the partial index on ends).
    # Without statistics SQLite would rather take the index on nextDue, which also holds every
    # ended order whose last check was missed (117,000 of 1,000,000): INDEXED BY keeps to the floor.
    FLOOR="SELECT number, nextDue FROM orders INDEXED BY orders_ends WHERE ends > $NOW AND served <= $NOW AND nextDue < '$TODAY' ORDER BY nextDue, number"
    sqlite3 -readonly "$DB" "EXPLAIN QUERY PLAN $FLOOR" > "$OUT/floor-plan-$N.txt"
    OVERDUE_SQL=$(sqlite3 -readonly "$DB" "$FLOOR" | wc -l)
    OVERDUE_Q=$("$QORGAU" alerts --format json --db "$DB" | jq '[.alerts[] | select(.kind == "check-overdue")] | length')
    [ "$OVERDUE_SQL" = "$OVERDUE_Q" ] || echo "WARNING: sqlite3 lists $OVERDUE_SQL overdue orders, qorgau $OVERDUE_Q" >&2
    hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$OUT/alerts-$N.json" \
        "$QORGAU alerts --format json --db $DB" \
        "sqlite3 -readonly $DB \"$FLOOR\"" \
        "$QORGAU violations --from $LAST_FROM --to $LAST_TO --format json --db $DB" >&2
    A_JSON=$(median_ms "$OUT/alerts-$N.json" 0)
    A_SQL=$(median_ms "$OUT/alerts-$N.json" 1)
    V_JSON=$(median_ms "$OUT/alerts-$N.json" 2)

    # 2. Taskwarrior, the same orders as tasks (uuid from the order's id), due at the end of each
    # order's next check date, so that `task overdue` means what Qorgau's check-overdue means.
    #   closed: the orders in effect are pending, the others done (a team that closes its tasks:
    #           `task overdue` lists exactly Qorgau's overdue orders, checked below);
    #   all:    every order is a pending task (a team that never closes them; its list is longer).
    T_CLOSED="-" T_ALL="-" T_Q="-"
    if [[ " $TASK_SIZES " == *" $N "* ]]; then
        for mode in closed all; do
            TW=${TMPDIR:-/tmp}/qorgau-bench/task-$N-$mode
            rm -rf "$TW" && mkdir -p "$TW/data"
            printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nhooks=off\nrecurrence=off\n' "$TW/data" > "$TW/taskrc"
            export TASKRC=$TW/taskrc TASKDATA=$TW/data
            if [ $mode = closed ]; then PENDING="served <= $NOW AND ends > $NOW"; else PENDING="1"; fi
            sqlite3 -readonly "$DB" "
                SELECT json_object(
                    'uuid', printf('00000000-0000-4000-8000-%012d', id),
                    'description', number || ' ' || respondentName || ' (' || district || ')',
                    'entry', strftime('%Y%m%dT%H%M%SZ', issued, 'unixepoch'),
                    'status', CASE WHEN $PENDING THEN 'pending' ELSE 'completed' END,
                    'end', CASE WHEN $PENDING THEN NULL
                                ELSE strftime('%Y%m%dT%H%M%SZ', coalesce(ends, revoked, issued), 'unixepoch') END,
                    'due', CASE WHEN nextDue IS NULL THEN NULL
                                ELSE strftime('%Y%m%dT%H%M%SZ', nextDue || ' 23:59:59', '-5 hours') END)
                FROM orders" | jq -c 'with_entries(select(.value != null))' > "$TW/orders.json"
            start=$(ms_now)
            task import "$TW/orders.json" > "$TW/import.log" 2>&1
            task gc > /dev/null 2>&1 || true
            OVERDUE_T=$(task +OVERDUE count 2>/dev/null || echo "?")
            echo "   task ($mode): imported $N orders in $(( $(ms_now) - start )) ms; $OVERDUE_T overdue" >&2
            if [ $mode = closed ] && [ "$OVERDUE_T" != "$OVERDUE_SQL" ]; then
                echo "WARNING: task lists $OVERDUE_T overdue, sqlite3 $OVERDUE_SQL" >&2
            fi
            hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/task-$N-$mode.json" \
                "task overdue" "$QORGAU alerts --db $DB" >&2
            if [ $mode = closed ]; then T_CLOSED=$(median_ms "$OUT/task-$N-$mode.json" 0); else T_ALL=$(median_ms "$OUT/task-$N-$mode.json" 0); fi
            T_Q=$(median_ms "$OUT/task-$N-$mode.json" 1)
            unset TASKRC TASKDATA
        done
    fi

    # 3. The TUI in tmux: launch to the alerts on the pane, against tmux showing a printed line.
    TUI=$(tui_launch "qorgau" "env TERM=xterm-256color LANG=C.UTF-8 $QORGAU --db $DB" "OVERDUE")
    TMUX_FLOOR=$(tui_launch "printf" "printf 'OVERDUE\\n'; sleep 30" "OVERDUE")
    PEAK=$(tui_peak "$DB" "F2 F3 F4 F1")

    echo "   alerts ${A_JSON} ms vs sqlite3 ${A_SQL} ms ($(ratio "$A_JSON" "$A_SQL")x); violations ${V_JSON} ms;" \
         "alerts ${T_Q} ms vs task overdue ${T_CLOSED} ms (closed) / ${T_ALL} ms (all pending); TUI ${TUI} ms (tmux floor ${TMUX_FLOOR} ms); peak ${PEAK} MiB" >&2
    echo "| $N | $INEFFECT | $OVERDUE_SQL | $A_JSON ms | $A_SQL ms | $(times_x "$A_JSON" "$A_SQL") | $V_JSON ms | $(show "$T_Q") | $(show "$T_CLOSED") | $(times_x "$T_CLOSED" "$T_Q") | $(show "$T_ALL") | $(times_x "$T_ALL" "$T_Q") | $TUI ms | $TMUX_FLOOR ms | $PEAK MiB |" >> "$SUMMARY"
done

echo
cat "$SUMMARY"
echo
echo "(medians; hyperfine exports and query plans in $OUT)"
