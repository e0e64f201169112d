#!/usr/bin/env bash
# Whole commands side by side, in one run, on the same data, interleaved (see Benchmarks/RESULTS.md):
#   1. `qorgau alerts --format json` against `sqlite3` running the one indexed query that lists the
#      same overdue orders (the floor of what the file can answer), and `qorgau violations` for last month;
#   2. `qorgau alerts` against Taskwarrior 2.6 `task overdue`, the same orders imported as tasks due
#      on each order's next check date;
#   3. (TUI=1) the first screen of the TUI in tmux, from launch to the alerts on the pane, and its peak memory.
# Every measurement is RUNS rounds after one untimed round; each round runs every command of its group once,
# one after the other (hyperfine -N --runs 1), so that the load of a shared machine falls on all of them
# alike. Reported: the median of each command, and the median of the per-round ratios.
#
#   Benchmarks/compare.sh [SIZE...]            default sizes: 100000 1000000
#   RUNS=15 TASK_SIZES=100000 TUI=0 OUT=Benchmarks/results Benchmarks/compare.sh
#
#   BIN=DIR        qorgau and qorgau-bench already built there (default: build them, release, .build-bench)
#   BASE_BIN=DIR   also measure the qorgau in DIR (an earlier commit: "before"), interleaved with BIN's;
#                  BASE_LABEL names it (default: before)
#   DB_DIR=DIR     the files (default: qorgau-bench's, $TMPDIR/qorgau-bench/orders-N.sqlite); made when missing
#   DB_COPY_DIR=DIR  BIN's qorgau reads a copy made there (for a build whose migrations change the file;
#                  BASE_BIN and sqlite3 read the original)
#
# Needs (Debian): hyperfine sqlite3 taskwarrior jq (tmux time for TUI=1); installs the missing ones when root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ -d /opt/swift/usr/bin ] && ! command -v swift >/dev/null 2>&1; then export PATH="/opt/swift/usr/bin:$PATH"; fi

SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
RUNS=${RUNS:-15}
TASK_RUNS=${TASK_RUNS:-$RUNS}
TUI=${TUI:-0}
TUI_RUNS=${TUI_RUNS:-7}
TASK_SIZES=${TASK_SIZES:-"100000"}
OUT=${OUT:-$ROOT/Benchmarks/results}
BASE_LABEL=${BASE_LABEL:-before}
mkdir -p "$OUT"
ZONE=Asia/Almaty
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

missing=()
for pkg in hyperfine sqlite3 taskwarrior jq tmux time; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "compare.sh needs: ${missing[*]} (apt-get install -y ${missing[*]})" >&2; exit 2
    fi
fi

if [ -z "${BIN:-}" ]; then
    echo "== building (release, scratch .build-bench)" >&2
    swift build --scratch-path .build-bench -c release --product qorgau-bench >&2
    swift build --scratch-path .build-bench -c release --product qorgau >&2
    BIN=$ROOT/.build-bench/release
fi
QORGAU=$BIN/qorgau
BASE=${BASE_BIN:+$BASE_BIN/qorgau}

# rounds NAME COMMAND...: RUNS timed rounds (after one untimed), each running every command once, in turn.
# Writes $OUT/NAME.json: {"commands": [...], "seconds": [[round 1: one time per command], ...]}.
rounds() {
    local name=$1; shift
    local runs=$RUNS
    [[ $name == task-* ]] && runs=$TASK_RUNS
    for i in $(seq 0 "$runs"); do
        hyperfine -N --runs 1 --warmup 0 --style none --export-json "$SCRATCH/$name-$i.json" "$@" > /dev/null 2>&1
    done
    rm -f "$SCRATCH/$name-0.json"
    jq -s '{commands: [.[0].results[].command], seconds: [.[] | [.results[].times[0]]]}' "$SCRATCH/$name-"*.json > "$OUT/$name.json"
}
# Median (ms) of command $2 of $1, and the median of the per-round ratios of command $2 to command $3.
JQ_MEDIAN='def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;'
median_ms() { jq -r --argjson c "$2" "$JQ_MEDIAN [.seconds[] | .[\$c]] | median * 1000 | . * 10 | round / 10" "$1"; }
ratio() { jq -r --argjson a "$2" --argjson b "$3" "$JQ_MEDIAN [.seconds[] | .[\$a] / .[\$b]] | median | . * 10 | round / 10" "$1"; }
ms_now() { date +%s%N | cut -c1-13; }

SUMMARY=$OUT/compare.md
{
    echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), $(swift --version 2>/dev/null | head -1 | sed 's/ (.*//'), SQLite $(sqlite3 -version | cut -d' ' -f1); load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC'); RUNS=$RUNS"
    echo
    echo "| orders | in effect | overdue | alerts | command | median | \`sqlite3\` floor | ratio (median of rounds) |"
    echo "|---:|---:|---:|---:|---|---:|---:|---:|"
} > "$SUMMARY"
TASKS=$OUT/compare-task.md
{
    echo "| orders | tasks | \`task overdue\` | \`qorgau alerts\` (table) | task / qorgau | \`qorgau alerts --format json\` | task / qorgau |"
    echo "|---:|---|---:|---:|---:|---:|---:|"
} > "$TASKS"

for N in "${SIZES[@]}"; do
    echo "== $N orders" >&2
    # The file as the earliest build measured makes it (a later build's migrations go to DB_COPY_DIR).
    MAKER=${BASE_BIN:-$BIN}/qorgau-bench
    if [ -n "${DB_DIR:-}" ]; then
        DB=$("$MAKER" --orders "$N" --build-only --db "$DB_DIR/orders-$N.sqlite")
    else
        DB=$("$MAKER" --orders "$N" --build-only)
    fi
    DBQ=$DB
    if [ -n "${DB_COPY_DIR:-}" ]; then
        mkdir -p "$DB_COPY_DIR"
        DBQ=$DB_COPY_DIR/$(basename "$DB")
        if [ ! -s "$DBQ" ] || [ "$DB" -nt "$DBQ" ]; then cp "$DB" "$DB.key" "$DB_COPY_DIR/"; fi
        "$QORGAU" alerts --db "$DBQ" > /dev/null   # migrates the copy, untimed
    fi
    cat "$DB" "$DBQ" > /dev/null  # warm file cache
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
    "$QORGAU" alerts --format json --db "$DBQ" > "$SCRATCH/alerts.json"
    OVERDUE_Q=$(jq '[.alerts[] | select(.kind == "check-overdue")] | length' "$SCRATCH/alerts.json")
    ALERTS=$(jq '.alerts | length' "$SCRATCH/alerts.json")
    [ "$OVERDUE_SQL" = "$OVERDUE_Q" ] || echo "WARNING: sqlite3 lists $OVERDUE_SQL overdue orders, qorgau $OVERDUE_Q" >&2
    cmds=("$QORGAU alerts --format json --db $DBQ" "sqlite3 -readonly $DB \"$FLOOR\""
          "$QORGAU violations --from $LAST_FROM --to $LAST_TO --format json --db $DBQ")
    labels=("\`qorgau alerts --format json\`" "" "\`qorgau violations\` $LAST_FROM..$LAST_TO (json)")
    if [ -n "$BASE" ]; then
        # Both builds must print the same: compared at one instant, as bytes and as parsed JSON.
        AS_OF=$(TZ=$ZONE date -d "@$NOW" '+%Y-%m-%dT%H:%M')
        for what in "alerts" "violations --from $LAST_FROM --to $LAST_TO"; do
            # shellcheck disable=SC2086
            "$QORGAU" $what --as-of "$AS_OF" --format json --db "$DBQ" > "$SCRATCH/new.json"
            # shellcheck disable=SC2086
            "$BASE" $what --as-of "$AS_OF" --format json --db "$DB" > "$SCRATCH/old.json"
            if cmp -s "$SCRATCH/new.json" "$SCRATCH/old.json"; then
                echo "   $what --as-of $AS_OF: byte for byte what $BASE_LABEL prints" >&2
            elif cmp -s <(jq -S . "$SCRATCH/new.json") <(jq -S . "$SCRATCH/old.json"); then
                echo "   $what --as-of $AS_OF: the same JSON as $BASE_LABEL's, laid out differently" >&2
            else
                echo "WARNING: $what --as-of $AS_OF differs from $BASE_LABEL's" >&2
            fi
        done
        cmds+=("$BASE alerts --format json --db $DB" "$BASE violations --from $LAST_FROM --to $LAST_TO --format json --db $DB")
        labels+=("\`qorgau alerts --format json\` ($BASE_LABEL)" "\`qorgau violations\` $LAST_FROM..$LAST_TO (json, $BASE_LABEL)")
    fi
    rounds "alerts-$N" "${cmds[@]}"
    for c in "${!cmds[@]}"; do
        [ "$c" = 1 ] && continue
        ms=$(median_ms "$OUT/alerts-$N.json" "$c")
        r=$(ratio "$OUT/alerts-$N.json" "$c" 1)
        echo "   ${labels[$c]}: $ms ms, ${r}x the sqlite3 floor ($(median_ms "$OUT/alerts-$N.json" 1) ms)" >&2
        echo "| $N | $INEFFECT | $OVERDUE_SQL | $ALERTS | ${labels[$c]} | $ms ms | $(median_ms "$OUT/alerts-$N.json" 1) ms | ${r}× |" >> "$SUMMARY"
    done

    # 2. Taskwarrior, the same orders as tasks (uuid from the order's id), due at the end of each
    # order's next check date, so that `task overdue` means what Qorgau's check-overdue means.
    #   closed: the orders in effect are pending, the others done (a team that closes its tasks:
    #           `task overdue` lists exactly Qorgau's overdue orders, checked below);
    #   all:    every order is a pending task (a team that never closes them; its list is longer).
    if [[ " $TASK_SIZES " == *" $N "* ]]; then
        for mode in closed all; do
            TW=$SCRATCH/task-$N-$mode
            mkdir -p "$TW/data"
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
            rounds "task-$N-$mode" "task overdue" "$QORGAU alerts --db $DBQ" "$QORGAU alerts --format json --db $DBQ"
            F=$OUT/task-$N-$mode.json
            echo "| $N | $mode ($OVERDUE_T overdue) | $(median_ms "$F" 0) ms | $(median_ms "$F" 1) ms | $(ratio "$F" 0 1)× | $(median_ms "$F" 2) ms | $(ratio "$F" 0 2)× |" >> "$TASKS"
            echo "   task overdue ($mode) $(median_ms "$F" 0) ms; qorgau alerts $(median_ms "$F" 1) ms ($(ratio "$F" 0 1)x), json $(median_ms "$F" 2) ms ($(ratio "$F" 0 2)x)" >&2
            unset TASKRC TASKDATA
        done
    fi

    # 3. The TUI in tmux: launch to the alerts on the pane, against tmux showing a printed line.
    if [ "$TUI" = 1 ]; then
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
        tui_peak() {
            local db=$1 keys=$2 sock="qorgau-mem-$$" rss=$SCRATCH/rss
            rm -f "$rss"
            tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 \
                "env TERM=xterm-256color LANG=C.UTF-8 /usr/bin/time -f %M -o $rss $QORGAU --db $db; sleep 600"
            until tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q -- "OVERDUE"; do sleep 0.05; done
            for k in $keys; do tmux -L "$sock" send-keys "$k"; sleep 0.5; done
            sleep 1
            tmux -L "$sock" send-keys q
            for _ in $(seq 600); do [ -s "$rss" ] && break; sleep 0.1; done
            tmux -L "$sock" kill-server 2>/dev/null || true
            awk '{ printf "%.0f", $1 / 1024 }' "$rss"
        }
        TUI_MS=$(tui_launch "qorgau" "env TERM=xterm-256color LANG=C.UTF-8 $QORGAU --db $DBQ" "OVERDUE")
        TMUX_FLOOR=$(tui_launch "printf" "printf 'OVERDUE\\n'; sleep 30" "OVERDUE")
        PEAK=$(tui_peak "$DBQ" "F2 F3 F4 F1")
        echo "| $N | TUI first screen (tmux) $TUI_MS ms, tmux floor $TMUX_FLOOR ms, peak RSS (every tab) $PEAK MiB |" >> "$OUT/compare-tui.md"
    fi
done

echo
cat "$SUMMARY"
echo
cat "$TASKS"
echo
echo "(medians; every round's times in $OUT/alerts-N.json and task-N-MODE.json, the floor's plan in floor-plan-N.txt)"
