import Foundation
import OrderModel
import OrderStore

/// Installing the records into an empty PostgreSQL database, and moving a site's file in.
extension PostgresBackend {
    /// The server-side schema, in its three parts (see the head of schema.sql).
    struct SchemaParts {
        /// The schema this version installs.
        static let current = 3

        let roles: String
        /// Every table and function of `version` (the part from `-- @@ schema` to `-- @@ grants`, or to the mark
        /// of the next schema for an older one).
        let schema: String
        /// What schema 2 adds and all after it (from `-- @@ v2` to `-- @@ grants`): the list's index, the refresh's
        /// function; an upgrade from schema 1 runs it.
        let v2: String
        /// What schema 3 adds (from `-- @@ v3` to `-- @@ grants`): the function that names the orders written since
        /// a change mark; an upgrade from schema 2 runs it.
        let v3: String
        let grants: String

        /// The parts; an older `version` leaves out what the later schemas add (a database as it made it, for tests).
        static func load(version: Int = current) throws -> SchemaParts {
            let text = String(decoding: PackageResources.schema_sql, as: UTF8.self)
            guard let schemaMark = text.range(of: "\n-- @@ schema\n"), let v2Mark = text.range(of: "\n-- @@ v2\n"),
                  let v3Mark = text.range(of: "\n-- @@ v3\n"), let grantsMark = text.range(of: "\n-- @@ grants\n"),
                  schemaMark.upperBound <= v2Mark.lowerBound, v2Mark.upperBound <= v3Mark.lowerBound,
                  v3Mark.upperBound <= grantsMark.lowerBound else {
                throw StoreError.damaged(path: "schema.sql", reason: .schemaUnmarked)
            }
            let end = version >= 3 ? grantsMark.lowerBound : version == 2 ? v3Mark.lowerBound : v2Mark.lowerBound
            return SchemaParts(roles: String(text[..<schemaMark.lowerBound]),
                               schema: String(text[schemaMark.upperBound..<end]),
                               v2: String(text[v2Mark.upperBound..<grantsMark.lowerBound]),
                               v3: String(text[v3Mark.upperBound..<grantsMark.lowerBound]),
                               grants: String(text[grantsMark.upperBound...]))
        }
    }

    /// Installs the schema into the empty database `conninfo` names, in one transaction: the connecting
    /// role (CREATEROLE, not a superuser) becomes the first supervisor. `fill` writes the first rows as
    /// the schema's owner (the settings and the first user, or an import's rows). Nothing is left half-made.
    static func install(into connection: PGConnection, location: String, version: Int = SchemaParts.current, fill: (PGConnection) throws -> Void) throws {
        let parts = try SchemaParts.load(version: version)
        try call {
            let row = try connection.execute("""
                SELECT to_regnamespace('qorgau') IS NOT NULL AS installed,
                       (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) AS superuser,
                       (SELECT rolcreaterole FROM pg_roles WHERE rolname = session_user) AS createrole
                """).rows.first
            if row?.bool("installed") == true { throw StoreError.databaseNotEmpty(location: location) }
            if row?.bool("superuser") == true {
                throw StoreError.serverRole(.installAsSuperuser)
            }
            if row?.bool("createrole") != true {
                throw StoreError.serverRole(.installWithoutCreateRole)
            }
        }
        do {
            try connection.transaction {
                try connection.run(script: parts.roles)
                try connection.run(script: "SET ROLE qorgau_owner;\n" + parts.schema)
                try fill(connection)
                try connection.run(script: parts.grants)
            }
        } catch let error as PGError {
            throw translate(error)
        }
    }

    /// A new set of records on the server: time zone, rule set, a key pair wrapped under `passphrase`.
    /// Returns the installing person's session (the first supervisor), unlocked.
    public static func install(conninfo: String, timeZone: TimeZone, rules: RuleSet, passphrase: String, now: Date) throws -> OrderStore {
        try install(conninfo: conninfo, timeZone: timeZone, rules: rules, passphrase: passphrase, now: now, version: SchemaParts.current)
    }

    /// `install`, of an older schema (`version` 1 or 2) for the tests of an upgrade.
    static func install(conninfo: String, timeZone: TimeZone, rules: RuleSet, passphrase: String, now: Date, version: Int) throws
    -> OrderStore {
        let connection = try connect(conninfo)
        let vault = try Vault.create(passphrase: passphrase)
        let rulesJSON = String(decoding: try JSONEncoder().encode(rules), as: UTF8.self)
        try install(into: connection, location: StoreLocation.withoutPassword(conninfo), version: version) { c in
            try c.execute("""
                INSERT INTO qorgau.meta (key, value) VALUES ('timeZone', $1), ('rules', $2), ('vault', $3), ('publicKey', $4),
                    ('created', $5)
                """, [.text(timeZone.identifier), .text(rulesJSON), .text(try vault.record.json),
                      .text(vault.record.publicKey.base64EncodedString()), .text(InstantFormat(timeZone: timeZone).iso(now))])
            try c.execute("""
                INSERT INTO qorgau.users (login, role, district, disabled, created_at, created_by)
                VALUES (session_user, 'supervisor', '', false, extract(epoch from now())::float8, session_user)
                """)
            try c.execute("""
                SELECT qorgau.audit('init', 'database', NULL, jsonb_build_object('timeZone', $1::text, 'rules', $2::text,
                                                                                 'supervisor', session_user::text))
                """, [.text(timeZone.identifier), .text(rules.id + " " + rules.revision)])
        }
        return try OrderStore(backend: PostgresBackend(connection: connection, conninfo: conninfo)).unlocked(passphrase: passphrase)
    }

    /// Moves a site's export (every row of every table of a Qorgau file, audit trail included) into the
    /// empty database `conninfo` names, and appends an "import" entry to the trail. The connecting role
    /// must be one of the export's supervisors; the export's chain must verify, before and after.
    ///
    /// The export at `source` is read as a stream, twice: once through to check it (every table and column
    /// exactly the schema's, every value of its column's type) before anything is installed, then table by
    /// table into the install's one transaction, many rows a statement: whatever fails, nothing is left.
    public static func importExport(_ source: String, conninfo: String, now: Date) throws -> OrderStore {
        let connection = try connect(conninfo)
        let account = try call { try connection.execute("SELECT session_user AS login").rows.first?["login"] ?? "" }
        let export = try ExportFile(path: source, account: account)
        guard export.accountIsSupervisor else {
            throw StoreError.notSupervisorOfCopy(account: account, isExport: true)
        }
        try install(into: connection, location: StoreLocation.withoutPassword(conninfo)) { c in
            try ExportLoader(connection: c, export: export).load()
            try ListColumns.fill(c)
        }
        // People of the export who already have a login on this server get their group role.
        try call {
            try connection.execute("""
                SELECT qorgau.grant_login(login, role) FROM qorgau.users u
                WHERE NOT disabled AND login <> session_user AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = u.login)
                """)
        }
        let store = try OrderStore(backend: PostgresBackend(connection: connection, conninfo: conninfo))
        guard case .intact = try store.verifyAudit(now: now) else {
            throw StoreError.damaged(path: "the export", reason: .auditTrailBroken)
        }
        return store
    }
}

extension PostgresBackend {
    /// Brings the records in `conninfo`'s database to the current schema, in one transaction: on a database of
    /// schema 1, adds the list's index (schema.sql's `-- @@ v2` part, which holds schema 3's too) and fills it
    /// from every order (the survivors' keyed tokens apart: they need the passphrase, and the first search by a
    /// session with it indexes each order); on one of schema 2, adds the function that names the orders written
    /// since a change mark (the `-- @@ v3` part; without it the screens read everything again on each write).
    /// Returns false when there was nothing to do.
    ///
    /// Nobody who uses the records may change the schema (the installer gave up the owner's role): the
    /// connecting role must be able to act as qorgau_owner, as the server's superuser can (`sudo -u postgres`,
    /// connecting to the database by its socket), and the upgrade does so only for its transaction.
    @discardableResult
    public static func upgrade(conninfo: String) throws -> Bool {
        let connection = try connect(conninfo)
        let location = StoreLocation.withoutPassword(conninfo)
        let parts = try SchemaParts.load()
        return try call {
            let row = try connection.execute("""
                SELECT to_regclass('qorgau.meta') IS NOT NULL AS installed, to_regclass('qorgau.survivor_index') IS NOT NULL AS v2,
                       to_regprocedure('qorgau.changed_orders(bigint, integer)') IS NOT NULL AS v3,
                       pg_has_role(current_user, 'qorgau_owner', 'USAGE') AS owner
                """).rows.first
            guard row?.bool("installed") == true else { throw StoreError.notInstalled(location: location) }
            let hasV2 = row?.bool("v2") == true
            if hasV2 && row?.bool("v3") == true { return false }
            guard row?.bool("owner") == true else {
                throw StoreError.serverRole(.upgradeNotOwner)
            }
            try connection.transaction {
                try connection.run(script: "SET LOCAL ROLE qorgau_owner;\n" + (hasV2 ? parts.v3 : parts.v2))
                if !hasV2 { try ListColumns.fill(connection) }
            }
            return true
        }
    }
}

/// Writes an export's rows, as they were, into the freshly made tables (run as the schema's owner
/// inside the install transaction), reading them from the file one at a time.
struct ExportLoader {
    let connection: PGConnection
    let export: ExportFile

    static func value(_ cell: Cell?) -> PGValue {
        switch cell {
        case nil, .null?: .null
        case .int(let i)?: .int(i)
        case .real(let d)?: .double(d)
        case .text(let s)?: .text(s)
        case .blob(let b)?: .bytea(b)
        }
    }

    static func text(_ cell: Cell?) -> PGValue {
        switch cell {
        case .blob(let b)?: .text(String(decoding: b, as: UTF8.self))
        case .int(let i)?: .text(String(i))
        default: value(cell)
        }
    }

    /// Inserts the rows of the export's table `source` into a table of the schema, each row made into one value a
    /// column by `values`, many rows a statement (flushed every 30,000 values: about 1,400 orders or 3,300 audit
    /// entries), every value bound as a parameter; the table's and columns' names come from this code, never from
    /// the export.
    func insert(_ table: String, _ columns: [String], casts: [Int: String] = [:], from source: String,
                _ values: (ExportRow) -> [PGValue]) throws {
        let width = columns.count
        let perStatement = max(1, 30_000 / width)
        func statement(rows: Int) -> String {
            var tuples: [String] = []
            tuples.reserveCapacity(rows)
            for r in 0..<rows {
                tuples.append("(" + (0..<width).map { "$\(r * width + $0 + 1)" + (casts[$0] ?? "") }.joined(separator: ", ") + ")")
            }
            return "INSERT INTO qorgau.\(table) (\(columns.joined(separator: ", "))) VALUES " + tuples.joined(separator: ", ")
        }
        var full: String?
        var batch: [PGValue] = []
        batch.reserveCapacity(perStatement * width)
        var rows = 0
        func flush() throws {
            guard rows > 0 else { return }
            let sql: String
            if rows == perStatement {
                sql = full ?? statement(rows: rows)
                full = sql
            } else {
                sql = statement(rows: rows)
            }
            try connection.execute(sql, batch)
            batch.removeAll(keepingCapacity: true)
            rows = 0
        }
        try export.rows(of: source) { row in
            let made = values(row)
            precondition(made.count == width, "\(table): \(made.count) values for \(width) columns")
            batch.append(contentsOf: made)
            rows += 1
            if rows == perStatement { try flush() }
        }
        try flush()
    }

    static func flag(_ cell: Cell?) -> PGValue {
        if case .int(let i)? = cell { return .bool(i != 0) }
        return .bool(false)
    }

    func load() throws {
        // The settings first: the orders' trigger computes their end in the records' time zone.
        try export.rows(of: "meta") { row in
            guard case .text(let key)? = row["key"], key != "auditHead" else { return }
            try connection.execute("INSERT INTO qorgau.meta (key, value) VALUES ($1, $2)", [.text(key), Self.text(row["value"])])
            if key == "vault", case .text(let json)? = row["value"], let record = try? Vault.Record(json: json) {
                try connection.execute("INSERT INTO qorgau.meta (key, value) VALUES ('publicKey', $1)",
                                       [.text(record.publicKey.base64EncodedString())])
            }
        }
        try insert("users", ["login", "role", "district", "disabled", "created_at", "created_by"], from: "users") { row in
            [Self.value(row["login"]), Self.value(row["role"]), Self.value(row["district"]), Self.flag(row["disabled"]),
             Self.value(row["createdAt"]), Self.value(row["createdBy"])]
        }
        try insert("orders", ["id", "number", "number_key", "kind", "issued", "served", "term_days", "check_interval_days", "district",
                              "officer", "restrictions", "survivor", "survivor_initials", "respondent_name", "respondent_birth_date",
                              "respondent_address", "respondent_phone", "revoked", "revocation_reason", "district_now", "created_at",
                              "created_by"], from: "orders") { row in
            ["id", "number", "numberKey", "kind", "issued", "served", "termDays", "checkIntervalDays", "district", "officer",
             "restrictions", "survivor", "survivorInitials", "respondentName", "respondentBirthDate", "respondentAddress",
             "respondentPhone", "revoked", "revocationReason", "district", "createdAt", "createdBy"].map { Self.value(row[$0]) }
        }
        try insert("checks", ["id", "order_id", "at", "officer", "method", "outcome", "counted", "note", "recorded_at", "recorded_by"],
                   from: "checks") { row in
            [Self.value(row["id"]), Self.value(row["orderID"]), Self.value(row["at"]), Self.value(row["officer"]),
             Self.value(row["method"]), Self.value(row["outcome"]), Self.flag(row["counted"]), Self.value(row["note"]),
             Self.value(row["recordedAt"]), Self.value(row["recordedBy"])]
        }
        try insert("breaches", ["id", "order_id", "occurred", "reported", "reported_by", "description", "check_id", "closed", "action",
                                "closed_by", "recorded_at", "recorded_by"], from: "breaches") { row in
            ["id", "orderID", "occurred", "reported", "reportedBy", "description", "checkID", "closed", "action", "closedBy",
             "recordedAt", "recordedBy"].map { Self.value(row[$0]) }
        }
        try insert("corrections", ["id", "order_id", "field", "value", "sealed", "reason", "at", "account"], from: "corrections") { row in
            let survivor: Bool = if case .text(let field)? = row["field"] { field.hasPrefix("survivor") } else { false }
            return [Self.value(row["id"]), Self.value(row["orderID"]), Self.value(row["field"]),
                    survivor ? .null : Self.text(row["value"]), survivor ? Self.value(row["value"]) : .null,
                    Self.value(row["reason"]), Self.value(row["at"]), Self.value(row["account"])]
        }
        var last: (id: Int64, hash: String)?
        try insert("history", ["id", "at", "account", "action", "entity", "entity_id", "detail", "prev_hash", "hash"],
                   casts: [1: "::numeric"], from: "history") { row in
            if case .int(let id)? = row["id"], case .text(let hash)? = row["hash"] { last = (id, hash) }
            // The instant is hashed as "%.6f" of the stored number: keep exactly that text.
            let at: PGValue = if case .real(let d)? = row["at"] { .text(String(format: "%.6f", d)) } else { Self.text(row["at"]) }
            return [Self.value(row["id"]), at, Self.value(row["account"]), Self.value(row["action"]), Self.value(row["entity"]),
                    Self.value(row["entityID"]), Self.value(row["detail"]), Self.value(row["prevHash"]), Self.value(row["hash"])]
        }
        if let last {
            try connection.execute("INSERT INTO qorgau.audit_head (one, id, hash) VALUES (true, $1, $2)", [.int(last.id), .text(last.hash)])
        }
        // The export's chain, as the server now holds it, before the transaction can commit: a broken one leaves nothing.
        let trail = AuditTrail(entries: try connection.execute("SELECT * FROM qorgau.history ORDER BY id").rows.map(PostgresBackend.entry),
                               head: try connection.execute("SELECT id, hash FROM qorgau.audit_head").rows.first.map {
                                   "\($0["id"] ?? "") \($0["hash"] ?? "")"
                               })
        guard case .intact = AuditChain.verify(trail) else {
            throw StoreError.damaged(path: "the export", reason: .auditTrailBroken)
        }
        try connection.execute("SELECT qorgau.audit('import', 'database', NULL, '{}'::jsonb)")
    }
}
