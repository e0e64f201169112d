import Foundation
import OrderModel
import OrderStore

extension Words {
    /// What went wrong and what to do about it, for any error a command or a screen meets.
    /// Survivor data is never quoted: a refusal names the field, not its content.
    public func message(_ error: any Error) -> String {
        switch error {
        case let refusal as Refusal: return message(refusal)
        case let problem as StoreError: return message(problem)
        case let language as UnknownLanguage:
            return text("error.unknownLanguage", ["text": language.text, "source": language.source])
        case let error as UserFacingError: return error.message
        default: return text("error.unexpected")
        }
    }

    /// The name of a field or of the time of an event: "survivor's name", "check time".
    public func field(_ field: Field) -> String { text("field.\(field.rawValue)") }

    /// A role in words: "liaison", "руководитель".
    public func role(_ role: Role) -> String { text("role.\(role.rawValue)") }

    /// What a permission lets a person do: "record checks".
    public func permission(_ permission: Permission) -> String { text("permission.\(permission)") }

    /// A kind of order: "protective order".
    public func kind(_ kind: OrderKind) -> String { text("kind.\(kind.rawValue)") }

    public func message(_ refusal: Refusal) -> String {
        switch refusal {
        case .duplicateNumber(let n): text("refusal.duplicateNumber", ["number": n])
        case .unknownOrder(let n): text("refusal.unknownOrder", ["number": n])
        case .unknownBreach(let id): text("refusal.unknownBreach", ["id": String(id)])
        case .servedBeforeIssued: text("refusal.servedBeforeIssued")
        case let .termOutOfRange(kind, value, min, max):
            text("refusal.termOutOfRange", ["kind": self.kind(kind), "value": String(value), "min": String(min),
                                             "max": days(max)])
        case let .intervalOutOfRange(kind, value, min, max):
            text("refusal.intervalOutOfRange", ["kind": self.kind(kind), "value": String(value), "min": String(min),
                                                 "max": days(max)])
        case .unknownKind(let k): text("refusal.unknownKind", ["kind": k])
        case .inFuture(let what): text("refusal.inFuture", ["what": field(what)])
        case .beforeService(let what): text("refusal.beforeService", ["what": field(what)])
        case .beforeIssue(let what): text("refusal.beforeIssue", ["what": field(what)])
        case .afterEnd(let what): text("refusal.afterEnd", ["what": field(what)])
        case .notServed(let n): text("refusal.notServed", ["number": n])
        case .emptyText(let f): text("refusal.emptyText", ["field": field(f)])
        case let .tooLong(f, max): count("refusal.tooLong", max, ["field": field(f)])
        case .controlCharacters(let f): text("refusal.controlCharacters", ["field": field(f)])
        case .invisibleCharacters(let f): text("refusal.invisibleCharacters", ["field": field(f)])
        case .alreadyRevoked(let n): text("refusal.alreadyRevoked", ["number": n])
        case .alreadyServed(let n): text("refusal.alreadyServed", ["number": n])
        case .revoked(let n): text("refusal.revoked", ["number": n])
        case .breachAlreadyClosed(let id): text("refusal.breachAlreadyClosed", ["id": String(id)])
        case .actionBeforeBreach(let id): text("refusal.actionBeforeBreach", ["id": String(id)])
        case let .nonexistentLocalTime(t, zone): text("refusal.nonexistentLocalTime", ["text": t, "zone": zone])
        case .invalidDate(let t): text("refusal.invalidDate", ["text": t])
        }
    }

    /// Why the screen lock's PIN file is refused, and what to do.
    private func pinFileRefused(_ path: String, _ problem: OwnFile.Problem) -> String {
        switch problem {
        case .missing, .unreadable: text("store.pinFileUnreadable", ["path": path])
        case .symlink: text("store.pinFileSymlink", ["path": path])
        case .notAFile: text("store.pinFileNotAFile", ["path": path])
        case let .ownedByOther(owner, account): text("store.pinFileOwnedByOther", ["path": path, "owner": owner, "account": account])
        case .readableByAll(let mode): text("store.pinFileReadableByAll", ["path": path, "mode": mode])
        case .readableByGroup(let mode): text("store.pinFileReadableByGroup", ["path": path, "mode": mode])
        case .unsafe: text("store.pinFileUnsafe", ["path": path])
        }
    }

    public func message(_ problem: StoreError) -> String {
        switch problem {
        case .missing(let p): text("store.missing", ["path": p])
        case .alreadyExists(let p): text("store.alreadyExists", ["path": p])
        case .notQorgau(let p): text("store.notQorgau", ["path": p])
        case .newerVersion(let p): text("store.newerVersion", ["path": p])
        case .unknownTimeZone(let z): text("store.unknownTimeZone", ["zone": z])
        case let .cannotCreate(p, reason): text("store.cannotCreate", ["path": p, "reason": reason])
        case .folderCannotBeMade(let p): text("store.folderCannotBeMade", ["path": p])
        case let .cannotOpen(p, reason): text("store.cannotOpen", ["path": p, "reason": reason])
        case let .damaged(p, damage): text("store.damaged", ["path": p, "reason": self.damage(damage)])
        case .wrongPassphrase: text("store.wrongPassphrase")
        case .keyUnusable: text("store.keyUnusable")
        case .sealedValueDamaged: text("store.sealedValueDamaged")
        case .keyChanged: text("store.keyChanged")
        case .rekeyRefused(let n): text("store.rekeyRefused", ["number": n])
        case .keyFileUnsafe(let p): text("store.keyFileUnsafe", ["path": p])
        case .keyFileUnreadable(let p): text("store.keyFileUnreadable", ["path": p])
        case .keyFileSymlink(let p): text("store.keyFileSymlink", ["path": p])
        case .keyFileNotAFile(let p): text("store.keyFileNotAFile", ["path": p])
        case let .keyFileReadableByGroup(p, mode): text("store.keyFileReadableByGroup", ["path": p, "mode": mode])
        case let .keyFileReadableByAll(p, mode): text("store.keyFileReadableByAll", ["path": p, "mode": mode])
        case let .keyFileOwnedByOther(p, owner, account):
            text("store.keyFileOwnedByOther", ["path": p, "owner": owner, "account": account])
        case let .pinFileRefused(p, problem): pinFileRefused(p, problem)
        case .pinFileDamaged(let p): text("store.pinFileDamaged", ["path": p])
        case let .pinFileUnwritable(p, reason): text("store.pinFileUnwritable", ["path": p, "reason": reason])
        case .notAUser(let a): text("store.notAUser", ["account": a])
        case .disabledUser(let a): text("store.disabledUser", ["account": a])
        case let .notAllowed(a, role, action):
            text("store.notAllowed", ["account": a, "role": self.role(role), "action": permission(action),
                                      "who": whoMay(action)])
        case let .notSupervisorOfCopy(a, isExport): text(isExport ? "store.notSupervisorOfExport" : "store.notSupervisorOfCopy",
                                                         ["account": a])
        case .unknownUser(let l): text("store.unknownUser", ["login": l])
        case .userExists(let l): text("store.userExists", ["login": l])
        case .wouldOverwrite(let p): text("store.wouldOverwrite", ["path": p])
        case .notAnExport: text("store.notAnExport")
        case let .exportNames(table, nil): text("store.exportTable", ["table": table])
        case let .exportNames(table, column?): text("store.exportColumn", ["table": table, "column": column])
        case let .exportValue(table, column, row): text("store.exportValue", ["table": table, "column": column, "row": String(row)])
        case .exportChanged(let p): text("store.exportChanged", ["path": p])
        case .unknownGroup(let g): text("store.unknownGroup", ["group": g])
        case .lastSupervisor: text("store.lastSupervisor")
        case .unknownScheme(let s): text("store.unknownScheme", ["text": s])
        case let .cannotConnect(l, reason): text("store.cannotConnect", ["location": l, "reason": reason])
        case let .clientLibraryMissing(library, reason):
            text("store.clientLibraryMissing", ["library": library, "reason": reason])
        case .refusedByServer(let m): text("store.refusedByServer", ["message": m])
        case .forbiddenByServer(let m): text("store.forbiddenByServer", ["message": m])
        case .serverError(let m): text("store.serverError", ["message": m])
        case .databaseNotEmpty(let l): text("store.databaseNotEmpty", ["location": l])
        case .notInstalled(let l): text("store.notInstalled", ["location": l])
        case .serverTool(let c): text("store.serverTool", ["command": c])
        case .fileOnly(let c): text("store.fileOnly", ["command": c])
        case .serverOnly(let c): text("store.serverOnly", ["command": c])
        case .serverRole(let problem): text("store.serverRole." + problem.rawValue)
        case .locked: text("store.locked")
        case .storage(let p): storage(p)
        case .damagedRecord(let record): damaged(record)
        case .keyRecordOutOfBounds(let parameter): text("store.keyRecordOutOfBounds", ["parameter": parameter])
        }
    }

    /// "order ZP-3 is damaged: field issued …": one line for each damaged order a read left out.
    public func damaged(_ record: DamagedRecord) -> String {
        text("store.damagedRecord", ["number": record.label, "field": record.field.rawValue])
    }

    /// One line for a screen's warning: how many orders are damaged and left out, and which ("ZP-3 (issued)").
    public func damagedSummary(_ records: [DamagedRecord]) -> String {
        count("store.damagedSummary", records.count,
              ["orders": records.map { "\($0.label) (\($0.field.rawValue))" }.joined(separator: ", ")])
    }

    /// The roles that may do `permission`, in words: "a supervisor", "a liaison or a supervisor".
    public func whoMay(_ permission: Permission) -> String {
        let roles = Role.allCases.filter { $0.may(permission) }
        return roles.map { text("role.a.\($0.rawValue)") }.joined(separator: text("list.or"))
    }

    func damage(_ damage: Damage) -> String {
        switch damage {
        case .reported(let words): words
        default: text("damage.\(damage)")
        }
    }

    func storage(_ problem: StorageProblem) -> String {
        switch problem {
        case .constraint(let m): text("storage.constraint", ["message": m.isEmpty ? text("storage.constraintFailed") : m])
        case .other(let code): text("storage.unknown", ["code": String(code)])
        default: text("storage.\(problem)")
        }
    }

    /// What `audit verify` found, in words.
    public func finding(_ finding: AuditFinding) -> String {
        switch finding {
        case let .intact(n, head): count("audit.intact", n, ["head": head])
        case .changed(let id): text("audit.changed", ["id": String(id)])
        case .removed(let id): text("audit.removed", ["id": String(id)])
        case .inserted(let id): text("audit.inserted", ["id": String(id)])
        case .truncated(let id): text("audit.truncated", ["id": String(id)])
        }
    }
}
