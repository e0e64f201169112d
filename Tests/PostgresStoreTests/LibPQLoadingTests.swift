import Foundation
import OrderStore
@testable import PostgresStore
import Testing

/// libpq is looked up when a server address is first used, never linked: a missing library is a worded refusal.
@Suite struct LibPQLoadingTests {
    @Test("the shipped library name loads, with every function the connection uses")
    func sharedLibraryLoads() throws {
        _ = try LibPQ.shared.get()
    }

    @Test("a library that is not there is a clientLibraryMissing refusal naming it")
    func missingLibraryIsRefused() {
        let name = "libqorgau-no-such-libpq.so.5"
        switch LibPQ.load(name) {
        case .success: Issue.record("loaded \(name)")
        case .failure(.clientLibraryMissing(let library, let reason)):
            #expect(library == name)
            #expect(reason.contains(name))
        case .failure(let other): Issue.record("\(other)")
        }
    }

    @Test("a library without libpq's functions is refused, naming the first one missing")
    func libraryWithoutTheFunctionsIsRefused() {
        #if canImport(Darwin)
        let other = "libz.dylib"
        #else
        let other = "libz.so.1"
        #endif
        switch LibPQ.load(other) {
        case .success: Issue.record("loaded \(other) as libpq")
        case .failure(.clientLibraryMissing(let library, let reason)):
            #expect(library == other)
            #expect(reason == "PQconnectdb")
        case .failure(let error): Issue.record("\(error)")
        }
    }
}
