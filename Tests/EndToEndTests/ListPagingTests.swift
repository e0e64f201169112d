import Foundation
import Testing
import TestSupport

/// `order list` writes its output page by page (a page of the store at a time): the output must be the
/// same, byte for byte, whatever the page size, for every status, sort, search and format, on both backends.
@Suite("order list streams by pages")
struct ListPagingTests {
    @Test("one order a page writes what one page of all writes", arguments: Backend.allCases)
    func sameOutput(_ backend: Backend) throws {
        let cli = try SearchTests.filled(backend)
        defer { cli.remove() }
        #expect(try cli.run("order", "add", "--number", "zp-11", "--issued", "2026-11-03 10:00", "--survivor", "Dana",
                            "--respondent", "Ёлкин Игорь", "--district", "Алмалинский", "--officer", "Qasymov").status == 0)
        #expect(try cli.run("order", "revoke", "ZP-4", "--at", "2026-11-04 10:00", "--reason", "withdrawn").status == 0)
        for status in ["active", "all"] {
            for sort in ["number", "respondent", "district", "officer"] {
                for search in [nil, "kairat", "e"] as [String?] {
                    for format in ["table", "json", "csv"] {
                        let args = ["order", "list", "--status", status, "--sort", sort, "--format", format, "--as-of", "2026-11-05 12:00"]
                            + (search.map { ["--search", $0] } ?? [])
                        let one = try cli.run(args, environment: ["QORGAU_PAGE_SIZE": "1"])
                        let all = try cli.run(args, environment: ["QORGAU_PAGE_SIZE": "100000"])
                        #expect(one.status == 0 && all.status == 0, "\(args): \(one.err) \(all.err)")
                        #expect(one.out == all.out, "\(backend) \(args)")
                    }
                }
            }
        }
    }
}
