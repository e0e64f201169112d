#!/usr/bin/env bash
# Makes the fixture of the current schema: a small file that holds a row in every table.
# Run it once per released schema and keep the file: Tests/OrderStoreTests/UpgradeTests.swift
# opens every fixture here with the current code. Usage: make-fixtures.sh NAME (e.g. schema-v1)
set -euo pipefail
cd "$(dirname "$0")"
q="${QORGAU:-../../.build/debug/qorgau}"
db="$1.sqlite"
rm -f "$db" "$db-wal" "$db-shm" "$db.key"
printf 'fixture-passphrase\n' > "$db.key"; chmod 600 "$db.key"
"$q" init --db "$db" --time-zone Asia/Almaty --key-file "$db.key"
"$q" user add fixture-liaison --role liaison --district "Медеуский" --db "$db"
"$q" order add --db "$db" --number ZP-1 --issued "2026-11-01 10:00" --served "2026-11-01 15:00" \
    --survivor "Айгерим Нұрланқызы" --survivor-phone "+7 701 000 0001" --survivor-contact "Shelter" \
    --respondent "Нұрсұлтан Әбілқайыров" --district "Медеуский" --officer "Ахметов Д."
"$q" order add --db "$db" --number ZP-2 --issued "2026-11-10 09:00" --survivor "Dana" --respondent "Timur"
"$q" check add ZP-1 --db "$db" --at "2026-11-06 11:00" --officer "Ахметов Д." --outcome compliant
"$q" check add ZP-1 --db "$db" --at "2026-11-16 12:00" --officer "Ахметов Д." --outcome breach --note "seen at her door"
"$q" breach add ZP-1 --db "$db" --at "2026-11-17 20:00" --description "phoned her" --reported-by survivor
"$q" breach close 1 --db "$db" --action "protocol drawn up" --at "2026-11-17 09:00"
"$q" order correct ZP-1 --db "$db" --field district --value "Алмалинский" --reason "typed the wrong district"
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
rm -f "$db.key" "$db-wal" "$db-shm"
echo "made $db (passphrase: fixture-passphrase)"
