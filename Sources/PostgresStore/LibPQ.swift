import CLibPQ
import Foundation
import OrderStore

/// libpq, loaded when a PostgreSQL address is first used and never before: a file database's process does not map
/// libpq and the forty-odd libraries it pulls in (gnutls, krb5, ldap, sasl…), which would cost every command's
/// start. `CLibPQ` gives the C types only (its module links nothing); the functions are looked up here by name.
struct LibPQ: @unchecked Sendable {   // C function pointers into a library that is never unloaded
    let connectdb: @convention(c) (UnsafePointer<CChar>?) -> OpaquePointer?
    let status: @convention(c) (OpaquePointer?) -> ConnStatusType
    let finish: @convention(c) (OpaquePointer?) -> Void
    let errorMessage: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?
    let setClientEncoding: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
    let setNoticeProcessor: @convention(c) (OpaquePointer?, PQnoticeProcessor?, UnsafeMutableRawPointer?) -> PQnoticeProcessor?
    let exec: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    let execParams: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?,
                                    UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
                                    UnsafePointer<Int32>?, Int32) -> OpaquePointer?
    let clear: @convention(c) (OpaquePointer?) -> Void
    let resultStatus: @convention(c) (OpaquePointer?) -> ExecStatusType
    let resultErrorField: @convention(c) (OpaquePointer?, Int32) -> UnsafeMutablePointer<CChar>?
    let resultErrorMessage: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?
    let nfields: @convention(c) (OpaquePointer?) -> Int32
    let ntuples: @convention(c) (OpaquePointer?) -> Int32
    let fname: @convention(c) (OpaquePointer?, Int32) -> UnsafeMutablePointer<CChar>?
    let getisnull: @convention(c) (OpaquePointer?, Int32, Int32) -> Int32
    let getvalue: @convention(c) (OpaquePointer?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    let cmdTuples: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?
    let unescapeBytea: @convention(c) (UnsafePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> UnsafeMutablePointer<UInt8>?
    let freemem: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let socket: @convention(c) (OpaquePointer?) -> Int32
    let escapeIdentifier: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int) -> UnsafeMutablePointer<CChar>?
    let consumeInput: @convention(c) (OpaquePointer?) -> Int32
    let notifies: @convention(c) (OpaquePointer?) -> UnsafeMutablePointer<PGnotify>?
    let parameterStatus: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> UnsafePointer<CChar>?

    /// The library's name as the dynamic loader looks for it (its major version is libpq's ABI).
    #if canImport(Darwin)
    static let libraryName = "libpq.5.dylib"
    #else
    static let libraryName = "libpq.so.5"
    #endif

    /// libpq, loaded once on first use; the failure is kept, so every later connection says the same.
    static let shared: Result<LibPQ, StoreError> = load(libraryName)

    /// Loads `name` and looks up every function the connection uses, or says which could not be had.
    static func load(_ name: String) -> Result<LibPQ, StoreError> {
        guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? name
            return .failure(.clientLibraryMissing(library: name, reason: reason))
        }
        var missing: [String] = []
        func symbol<F>(_ symbolName: String, as _: F.Type) -> F? {
            guard let address = dlsym(handle, symbolName) else {
                missing.append(symbolName)
                return nil
            }
            return unsafeBitCast(address, to: F.self)
        }
        guard let connectdb = symbol("PQconnectdb", as: (@convention(c) (UnsafePointer<CChar>?) -> OpaquePointer?).self),
              let status = symbol("PQstatus", as: (@convention(c) (OpaquePointer?) -> ConnStatusType).self),
              let finish = symbol("PQfinish", as: (@convention(c) (OpaquePointer?) -> Void).self),
              let errorMessage = symbol("PQerrorMessage", as: (@convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?).self),
              let setClientEncoding = symbol("PQsetClientEncoding",
                                             as: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32).self),
              let setNoticeProcessor = symbol("PQsetNoticeProcessor",
                                              as: (@convention(c) (OpaquePointer?, PQnoticeProcessor?, UnsafeMutableRawPointer?)
                                                   -> PQnoticeProcessor?).self),
              let exec = symbol("PQexec", as: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?).self),
              let execParams = symbol("PQexecParams",
                                      as: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?,
                                                           UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
                                                           UnsafePointer<Int32>?, Int32) -> OpaquePointer?).self),
              let clear = symbol("PQclear", as: (@convention(c) (OpaquePointer?) -> Void).self),
              let resultStatus = symbol("PQresultStatus", as: (@convention(c) (OpaquePointer?) -> ExecStatusType).self),
              let resultErrorField = symbol("PQresultErrorField",
                                            as: (@convention(c) (OpaquePointer?, Int32) -> UnsafeMutablePointer<CChar>?).self),
              let resultErrorMessage = symbol("PQresultErrorMessage",
                                              as: (@convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?).self),
              let nfields = symbol("PQnfields", as: (@convention(c) (OpaquePointer?) -> Int32).self),
              let ntuples = symbol("PQntuples", as: (@convention(c) (OpaquePointer?) -> Int32).self),
              let fname = symbol("PQfname", as: (@convention(c) (OpaquePointer?, Int32) -> UnsafeMutablePointer<CChar>?).self),
              let getisnull = symbol("PQgetisnull", as: (@convention(c) (OpaquePointer?, Int32, Int32) -> Int32).self),
              let getvalue = symbol("PQgetvalue",
                                    as: (@convention(c) (OpaquePointer?, Int32, Int32) -> UnsafeMutablePointer<CChar>?).self),
              let cmdTuples = symbol("PQcmdTuples", as: (@convention(c) (OpaquePointer?) -> UnsafeMutablePointer<CChar>?).self),
              let unescapeBytea = symbol("PQunescapeBytea",
                                         as: (@convention(c) (UnsafePointer<UInt8>?, UnsafeMutablePointer<Int>?)
                                              -> UnsafeMutablePointer<UInt8>?).self),
              let freemem = symbol("PQfreemem", as: (@convention(c) (UnsafeMutableRawPointer?) -> Void).self),
              let socket = symbol("PQsocket", as: (@convention(c) (OpaquePointer?) -> Int32).self),
              let escapeIdentifier = symbol("PQescapeIdentifier",
                                            as: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int)
                                                 -> UnsafeMutablePointer<CChar>?).self),
              let consumeInput = symbol("PQconsumeInput", as: (@convention(c) (OpaquePointer?) -> Int32).self),
              let notifies = symbol("PQnotifies", as: (@convention(c) (OpaquePointer?) -> UnsafeMutablePointer<PGnotify>?).self),
              let parameterStatus = symbol("PQparameterStatus",
                                           as: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> UnsafePointer<CChar>?).self)
        else {
            dlclose(handle)
            return .failure(.clientLibraryMissing(library: name, reason: missing.joined(separator: ", ")))
        }
        return .success(LibPQ(
            connectdb: connectdb, status: status, finish: finish, errorMessage: errorMessage,
            setClientEncoding: setClientEncoding, setNoticeProcessor: setNoticeProcessor, exec: exec, execParams: execParams,
            clear: clear, resultStatus: resultStatus, resultErrorField: resultErrorField,
            resultErrorMessage: resultErrorMessage, nfields: nfields, ntuples: ntuples, fname: fname, getisnull: getisnull,
            getvalue: getvalue, cmdTuples: cmdTuples, unescapeBytea: unescapeBytea, freemem: freemem, socket: socket,
            escapeIdentifier: escapeIdentifier, consumeInput: consumeInput, notifies: notifies,
            parameterStatus: parameterStatus))
    }
}
