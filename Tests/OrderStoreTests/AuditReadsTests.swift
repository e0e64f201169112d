import Foundation
import GRDB
import OrderModel
@testable import OrderStore
@testable import SQLiteStore
import Testing
import TestSupport

/// Every column of an entry, as one text: what a reader of the trail could see.
private func columns(_ entry: HistoryEntry) -> String {
    [String(entry.id), String(entry.at.timeIntervalSince1970), entry.account, entry.action, entry.entity,
     entry.entityID.map(String.init) ?? "", entry.detail, entry.prevHash, entry.hash].joined(separator: "|")
}

/// The entries added to the trail since `count` entries.
private func entries(_ secured: Secured, after count: Int) throws -> [HistoryEntry] {
    Array(try secured.boss.auditEntries(now: now).dropFirst(count))
}

private func intact(_ store: OrderStore) throws -> Bool {
    if case .intact = try store.verifyAudit(now: now) { return true }
    return false
}

@Suite("Who opened what: searches by survivor and exports are audited")
struct AuditReadsTests {
    @Test("a search by survivor's name leaves one entry per search, with the account and without the query",
          arguments: Backend.allCases)
    func survivorSearch(_ backend: Backend) throws {
        let secured = try Secured(backend)
        try secured.boss.addOrder(Order(number: "ZP-2", issued: t("2026-11-02 10:00"), served: t("2026-11-02 15:00"), termDays: 30,
                                        checkIntervalDays: 7, district: "Медеуский",
                                        survivor: Survivor(name: "Жанар Сапарова"), respondent: Respondent(name: "Ерлан Сапаров")),
                                  now: now)
        let staff = try secured.open(as: secured.staff).unlocked(passphrase: secured.passphrase)
        let start = try secured.boss.auditEntries(now: now).count

        #expect(try staff.ordersWithSurvivorMatching("жанар", now: now).count == 2)
        #expect(try staff.ordersWithSurvivorMatching("Төлеуова", now: now).count == 1)
        #expect(try staff.ordersWithSurvivorMatching("Гүлнар", now: now).isEmpty)
        let searches = try entries(secured, after: start)
        #expect(searches.map(\.action) == ["survivor.search", "survivor.search", "survivor.search"])
        #expect(searches.allSatisfy { $0.account == secured.staff })
        #expect(searches.map(\.detail) == [#"{"matched":"2"}"#, #"{"matched":"1"}"#, #"{"matched":"0"}"#])
        for entry in try secured.boss.auditEntries(now: now) {
            for query in ["жанар", "Жанар", "Төлеуова", "Гүлнар", "гүлнар", "Сапарова"] {
                #expect(!columns(entry).contains(query), "the query \(query) is in entry \(entry.id): \(columns(entry))")
            }
        }

        // Nothing is opened, and so nothing recorded, for a liaison, a locked session, or a query of nothing.
        let liaison = try secured.open(as: secured.liaison).unlocked(passphrase: secured.passphrase)
        #expect(try liaison.ordersWithSurvivorMatching("жанар", now: now).isEmpty)
        #expect(try secured.open(as: secured.staff).ordersWithSurvivorMatching("жанар", now: now).isEmpty)
        #expect(try staff.ordersWithSurvivorMatching("  ", now: now).isEmpty)
        #expect(try entries(secured, after: start).count == 3)

        // Every name opened at once, for a screen's search as one types: one entry, how many, not which.
        let names = try staff.survivorNames(now: now)
        #expect(Set(names.values) == ["Жанар Төлеуова", "Жанар Сапарова"])
        let opened = try #require(try entries(secured, after: start).last)
        #expect(opened.action == "survivor.names")
        #expect(opened.account == secured.staff)
        #expect(opened.detail == #"{"opened":"2"}"#)
        #expect(!columns(opened).contains("Жанар"))
        #expect(try intact(secured.boss))
    }

    @Test("an export leaves one entry; one to a file too, mode 0600", arguments: [Backend.sqlite])
    func export(_ backend: Backend) throws {
        let secured = try Secured(backend)
        let start = try secured.boss.auditEntries(now: now).count
        let data = try secured.boss.export(now: now)
        #expect(!data.isEmpty)
        var added = try entries(secured, after: start)
        #expect(added.map(\.action) == ["export"])
        #expect(added.first?.account == secured.bossLogin)
        #expect(added.first?.detail == "{}")
        // The export holds its own entry.
        #expect(String(decoding: data, as: UTF8.self).contains(try #require(added.first?.hash)))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-export-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/site.json"
        try secured.boss.export(to: file, now: now)
        added = try entries(secured, after: start)
        #expect(added.map(\.action) == ["export", "export"])
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let written = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(written.count > 100)
        #expect(String(decoding: written, as: UTF8.self).contains(try #require(added.last?.hash)))
        #expect(try intact(secured.boss))
    }

    @Test("a failed export is recorded as failed; a refused one as a refusal", arguments: Backend.allCases)
    func failedExport(_ backend: Backend) throws {
        let secured = try Secured(backend)
        let boss = secured.boss
        let start = try boss.auditEntries(now: now).count
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("qorgau-export-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

        switch backend {
        case .sqlite:
            // Over a file that exists: refused, the file untouched, nothing read.
            let existing = folder + "/existing.json"
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))
            #expect(throws: StoreError.alreadyExists(path: existing)) { try boss.export(to: existing, now: now) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: existing)) == Data("keep me".utf8))
            // Into a folder that is not there: no file made.
            let nowhere = folder + "/missing/site.json"
            #expect(throws: StoreError.self) { try boss.export(to: nowhere, now: now) }
            #expect(!FileManager.default.fileExists(atPath: nowhere))
            let failed = try entries(secured, after: start)
            #expect(failed.map(\.action) == ["export", "export"])
            #expect(failed.map(\.detail) == [#"{"result":"failed"}"#, #"{"result":"failed"}"#])
            #expect(failed.allSatisfy { $0.account == secured.bossLogin })
        case .postgres:
            // A server's copies are pg_dump's: the attempt is on record as a failed export.
            #expect(throws: StoreError.fileOnly(command: "export")) { try boss.export(now: now) }
            #expect(throws: StoreError.fileOnly(command: "export")) { try boss.export(to: folder + "/site.json", now: now) }
            #expect(!FileManager.default.fileExists(atPath: folder + "/site.json"))
            let failed = try entries(secured, after: start)
            #expect(failed.map(\.action) == ["export", "export"])
            #expect(failed.map(\.detail) == [#"{"result":"failed"}"#, #"{"result":"failed"}"#])
            #expect(failed.allSatisfy { $0.account == secured.bossLogin })
        }

        // Staff may not export: one refusal each, no export entry, no file.
        let staff = try secured.open(as: secured.staff).unlocked(passphrase: secured.passphrase)
        let before = try boss.auditEntries(now: now).count
        #expect(throws: StoreError.notAllowed(account: secured.staff, role: .staff, action: .export)) { try staff.export(now: now) }
        #expect(throws: StoreError.notAllowed(account: secured.staff, role: .staff, action: .export)) {
            try staff.export(to: folder + "/staff.json", now: now)
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/staff.json"))
        let refused = try entries(secured, after: before)
        #expect(refused.map(\.action) == ["refused", "refused"])
        #expect(refused.allSatisfy { $0.account == secured.staff && $0.detail.contains(Permission.export.rawValue) })
        #expect(try intact(boss))
    }
}
