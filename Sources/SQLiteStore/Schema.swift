import GRDB

/// The file's schema, as named migrations. Append-only: a migration that has shipped is never edited.
enum Schema {
    /// Marks a SQLite file as Qorgau's ('QRGU').
    static let applicationID: Int32 = 0x5152_4755

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-orders-checks-breaches-users-audit") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);

                -- Instants are seconds since 1970 UTC (REAL); days are 'YYYY-MM-DD' in the file's zone.
                CREATE TABLE orders (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL,
                    numberKey TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL CHECK (kind IN ('protective-order', 'special-requirements')),
                    issued REAL NOT NULL,
                    served REAL,
                    termDays INTEGER NOT NULL,
                    checkIntervalDays INTEGER NOT NULL,
                    district TEXT NOT NULL,
                    officer TEXT NOT NULL,
                    restrictions TEXT NOT NULL,
                    -- Sealed to the file's public key (see Vault); the initials stay readable for lists.
                    survivor BLOB NOT NULL,
                    survivorInitials TEXT NOT NULL,
                    respondentName TEXT NOT NULL,
                    respondentBirthDate TEXT,
                    respondentAddress TEXT NOT NULL,
                    respondentPhone TEXT NOT NULL,
                    revoked REAL,
                    revocationReason TEXT,
                    -- Kept current on every write by the scheduler, so that the morning
                    -- queries read the orders in effect, not the whole history.
                    expires REAL,
                    ends REAL,
                    lastCountedCheck REAL,
                    nextDue TEXT,
                    createdAt REAL NOT NULL,
                    createdBy TEXT NOT NULL
                );
                CREATE INDEX orders_ends ON orders(ends) WHERE ends IS NOT NULL;
                CREATE INDEX orders_served ON orders(served) WHERE served IS NOT NULL;
                CREATE INDEX orders_unserved ON orders(issued) WHERE served IS NULL;
                CREATE INDEX orders_nextDue ON orders(nextDue) WHERE nextDue IS NOT NULL;
                CREATE INDEX orders_district ON orders(district);

                CREATE TABLE checks (
                    id INTEGER PRIMARY KEY,
                    orderID INTEGER NOT NULL REFERENCES orders(id),
                    at REAL NOT NULL,
                    officer TEXT NOT NULL,
                    method TEXT NOT NULL CHECK (method IN ('visit', 'phone', 'summons')),
                    outcome TEXT NOT NULL CHECK (outcome IN ('compliant', 'breach', 'not-located')),
                    counted INTEGER NOT NULL CHECK (counted = (outcome <> 'not-located')),
                    note TEXT NOT NULL,
                    recordedAt REAL NOT NULL,
                    recordedBy TEXT NOT NULL
                );
                CREATE INDEX checks_order ON checks(orderID, at);
                CREATE INDEX checks_counted ON checks(orderID, at) WHERE counted = 1;

                CREATE TABLE breaches (
                    id INTEGER PRIMARY KEY,
                    orderID INTEGER NOT NULL REFERENCES orders(id),
                    occurred REAL NOT NULL,
                    reported REAL NOT NULL,
                    reportedBy TEXT NOT NULL,
                    description TEXT NOT NULL,
                    checkID INTEGER REFERENCES checks(id),
                    closed REAL,
                    action TEXT,
                    closedBy TEXT,
                    recordedAt REAL NOT NULL,
                    recordedBy TEXT NOT NULL
                );
                CREATE INDEX breaches_order ON breaches(orderID);
                CREATE INDEX breaches_occurred ON breaches(occurred);
                CREATE INDEX breaches_open ON breaches(orderID) WHERE closed IS NULL;
                CREATE INDEX breaches_closed ON breaches(closed) WHERE closed IS NOT NULL;

                -- Corrections of an order's details: new entries with a reason, applied on reading.
                -- The order as first written stays as it was.
                CREATE TABLE corrections (
                    id INTEGER PRIMARY KEY,
                    orderID INTEGER NOT NULL REFERENCES orders(id),
                    field TEXT NOT NULL,
                    value BLOB NOT NULL,
                    reason TEXT NOT NULL,
                    at REAL NOT NULL,
                    account TEXT NOT NULL
                );
                CREATE INDEX corrections_order ON corrections(orderID, id);
                CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
                    BEGIN SELECT RAISE(ABORT, 'corrections are never rewritten'); END;
                CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
                    BEGIN SELECT RAISE(ABORT, 'corrections are never deleted'); END;

                -- People: operating-system accounts and their roles. Disabled, never deleted.
                CREATE TABLE users (
                    login TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('staff', 'liaison', 'supervisor')),
                    district TEXT NOT NULL,
                    disabled INTEGER NOT NULL DEFAULT 0,
                    createdAt REAL NOT NULL,
                    createdBy TEXT NOT NULL
                );
                CREATE TRIGGER users_no_delete BEFORE DELETE ON users
                    BEGIN SELECT RAISE(ABORT, 'users are disabled, never deleted'); END;

                -- Who did what, when (the operating-system account), append-only and chained:
                -- each entry's hash covers the previous entry's hash and its own content.
                CREATE TABLE history (
                    id INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    account TEXT NOT NULL,
                    action TEXT NOT NULL,
                    entity TEXT NOT NULL,
                    entityID INTEGER,
                    detail TEXT NOT NULL,
                    prevHash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE INDEX history_entity ON history(entity, entityID);
                CREATE INDEX history_account ON history(account, at);

                -- Nothing is ever deleted, and a record is never rewritten: the database
                -- itself refuses, whatever program holds the file.
                CREATE TRIGGER history_no_update BEFORE UPDATE ON history
                    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
                CREATE TRIGGER history_no_delete BEFORE DELETE ON history
                    BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
                CREATE TRIGGER orders_no_delete BEFORE DELETE ON orders
                    BEGIN SELECT RAISE(ABORT, 'orders are never deleted'); END;
                CREATE TRIGGER checks_no_delete BEFORE DELETE ON checks
                    BEGIN SELECT RAISE(ABORT, 'checks are never deleted'); END;
                CREATE TRIGGER checks_no_update BEFORE UPDATE ON checks
                    BEGIN SELECT RAISE(ABORT, 'checks are never rewritten'); END;
                CREATE TRIGGER breaches_no_delete BEFORE DELETE ON breaches
                    BEGIN SELECT RAISE(ABORT, 'breaches are never deleted'); END;
                CREATE TRIGGER orders_fixed BEFORE UPDATE OF number, numberKey, kind, issued, termDays,
                        checkIntervalDays, survivor, survivorInitials, respondentName, createdAt, createdBy ON orders
                    BEGIN SELECT RAISE(ABORT, 'an order''s terms and parties are never rewritten'); END;
                CREATE TRIGGER orders_served_once BEFORE UPDATE OF served ON orders
                    WHEN OLD.served IS NOT NULL AND NEW.served IS NOT OLD.served
                    BEGIN SELECT RAISE(ABORT, 'an order is served once'); END;
                CREATE TRIGGER orders_revoked_once BEFORE UPDATE OF revoked ON orders
                    WHEN OLD.revoked IS NOT NULL AND NEW.revoked IS NOT OLD.revoked
                    BEGIN SELECT RAISE(ABORT, 'an order is revoked once'); END;
                CREATE TRIGGER breaches_closed_once BEFORE UPDATE ON breaches
                    WHEN OLD.closed IS NOT NULL
                      OR NEW.occurred IS NOT OLD.occurred OR NEW.description IS NOT OLD.description
                      OR NEW.orderID IS NOT OLD.orderID
                    BEGIN SELECT RAISE(ABORT, 'a breach is closed once and never rewritten'); END;
                """)
        }
        migrator.registerMigration("v2-list-search-sort-and-name-index") { db in
            try db.execute(sql: ListIndex.migration)
            try ListIndex.refresh(db, orderID: nil)
        }
        return migrator
    }
}
