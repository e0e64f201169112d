import OrderModel

/// Problems with the store itself, as facts; `Wording` says each with what to do about it.
/// Texts carried here (a server's message, the system's reason) are not ours to translate.
public enum StoreError: Error, Equatable, Sendable {
    case missing(path: String)
    case alreadyExists(path: String)
    case notQorgau(path: String)
    case newerVersion(path: String)
    case unknownTimeZone(String)
    case cannotCreate(path: String, reason: String)
    case folderCannotBeMade(path: String)
    case cannotOpen(path: String, reason: String)
    case damaged(path: String, reason: Damage)
    case wrongPassphrase
    case keyUnusable
    case sealedValueDamaged
    /// Another session changed the passphrase (a new key pair) after this one was unlocked.
    case keyChanged
    /// A rekey stopped, changing nothing: this order's sealed survivor data does not open with the current key.
    case rekeyRefused(order: String)
    case keyFileUnsafe(path: String)
    case keyFileUnreadable(path: String)
    /// A key file that is a symbolic link (seen by `lstat`, or by `O_NOFOLLOW` when it became one since): refused
    /// whatever it points at, since whoever may change the link chooses the passphrase read.
    case keyFileSymlink(path: String)
    /// A key file that is not a regular file (a folder, a device, a pipe).
    case keyFileNotAFile(path: String)
    /// A key file its group may read; `mode` as `chmod` takes it ("0640").
    case keyFileReadableByGroup(path: String, mode: String)
    /// A key file every account may read; `mode` as `chmod` takes it ("0604").
    case keyFileReadableByAll(path: String, mode: String)
    /// A key file owned by another account than the one running the program (`owner` its name, or `uid N`).
    case keyFileOwnedByOther(path: String, owner: String, account: String)
    /// The file of the screen lock's PIN (`PinFile`) is not the account's own, as a key file must not be.
    case pinFileRefused(path: String, problem: OwnFile.Problem)
    /// The file of the screen lock's PIN holds no PIN hash Qorgau wrote (or one of an absurd cost).
    case pinFileDamaged(path: String)
    /// The PIN could not be written (`reason`: the system's).
    case pinFileUnwritable(path: String, reason: String)
    case notAUser(account: String)
    case disabledUser(account: String)
    case notAllowed(account: String, role: Role, action: Permission)
    /// `restore` or `import` by someone who is not a supervisor of the copy they bring.
    case notSupervisorOfCopy(account: String, isExport: Bool)
    case unknownUser(String)
    case userExists(String)
    case locked
    case lastSupervisor
    case unknownGroup(String)
    case wouldOverwrite(path: String)
    case notAnExport
    /// An export whose tables (`column` nil) or a table's columns are not exactly the schema's (unknown, repeated or
    /// missing): refused before anything is written. Names are shown as `ExportFile.shown` makes them safe.
    case exportNames(table: String, column: String?)
    /// A value of an export that its column cannot hold (another type, a number too large, NULL where the schema
    /// wants a value), in the `row`-th row (from 1) of `table`: refused before anything is written.
    case exportValue(table: String, column: String, row: Int)
    /// The export file changed while it was being imported: nothing was written.
    case exportChanged(path: String)
    case unknownScheme(String)
    case cannotConnect(location: String, reason: String)
    /// The PostgreSQL client library (libpq), loaded only when a server address is used, cannot be loaded.
    case clientLibraryMissing(library: String, reason: String)
    case refusedByServer(String)
    /// The server refused this person (role, district, or not an enabled user): audited like `notAllowed`.
    case forbiddenByServer(String)
    case serverError(String)
    case databaseNotEmpty(location: String)
    case notInstalled(location: String)
    case serverTool(command: String)
    case fileOnly(command: String)
    /// `command` changes a server's schema: a file is brought to the current schema whenever it is opened.
    case serverOnly(command: String)
    /// The server's role may not do what was asked (install, upgrade): said before anything is written.
    case serverRole(ServerRoleProblem)
    /// The database engine could not do it (disk full, read-only, busy…): nothing was written.
    case storage(StorageProblem)
    /// An order whose stored record holds a value no Qorgau wrote (see `RowCheck`): it is left out, never computed with.
    case damagedRecord(DamagedRecord)
    /// The key record asks for a key derivation outside safe bounds (`parameter` names which: "N", "r", "p", "salt",
    /// "key"): refused before anything is derived, since an absurd cost would hang or exhaust memory.
    case keyRecordOutOfBounds(parameter: String)
}

/// Why a role may not install or upgrade the records on a server.
public enum ServerRoleProblem: String, Sendable, Equatable, CaseIterable {
    /// A superuser passes every rule of row security: the first supervisor must not be one.
    case installAsSuperuser
    /// The installing role must be able to create the other users' roles (CREATEROLE).
    case installWithoutCreateRole
    /// Only a role that may act as qorgau_owner (the server's superuser) may change the schema.
    case upgradeNotOwner
}

/// Why a store is damaged.
public enum Damage: Equatable, Sendable {
    case failsIntegrityCheck, copyFailsIntegrityCheck, auditTrailBroken, malformed
    case noTimeZone, noRuleSet, noKeyRecord, noIdentity, schemaUnmarked
    /// The engine's own words.
    case reported(String)
}

/// What the database engine reported, by kind.
public enum StorageProblem: Equatable, Sendable {
    case diskFull, diskFailed, readOnly, busy, corrupt
    case constraint(String)
    case other(code: Int)
}
