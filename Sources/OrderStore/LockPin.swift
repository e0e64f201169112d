import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The PIN that opens the screen lock of a role without a passphrase (a liaison): 4 to 12 digits, kept only as a
/// salted scrypt hash (the vault's derivation, at the vault's cost: about a tenth of a second a try).
public struct LockPin: Equatable, Sendable {
    public static let lengths = 4...12

    let salt: Data
    let rounds: Int, blockSize: Int, parallelism: Int
    let hash: Data

    /// Whether `pin` can be a PIN: 4 to 12 digits 0-9.
    public static func isWellFormed(_ pin: String) -> Bool {
        lengths.contains(pin.count) && pin.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The hash of a new PIN (well formed: `isWellFormed`), under a new salt.
    public init(pin: String) throws {
        var salt = Data(count: 16)
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255) }
        self.salt = salt
        rounds = Vault.rounds
        blockSize = Vault.blockSize
        parallelism = Vault.parallelism
        hash = try Self.derive(pin, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
    }

    /// Whether `typed` is this PIN (compared in constant time).
    public func matches(_ typed: String) -> Bool {
        guard let derived = try? Self.derive(typed, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism),
              derived.count == hash.count else { return false }
        return zip(derived, hash).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ pin: String, salt: Data, rounds: Int, blockSize: Int, parallelism: Int) throws -> Data {
        try Vault.deriveKey(pin, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
            .withUnsafeBytes { Data($0) }
    }

    /// How the file keeps it, one line: `qorgau-pin 1 scrypt N r p <salt> <hash>` (base64).
    var line: String {
        ["qorgau-pin", "1", "scrypt", String(rounds), String(blockSize), String(parallelism),
         salt.base64EncodedString(), hash.base64EncodedString()].joined(separator: " ") + "\n"
    }

    /// A line as `line` writes it, with its cost inside the bounds a key record keeps (`Vault.checkCost`); nil otherwise.
    init?(line: String) {
        let parts = line.split(separator: " ").map(String.init)
        guard parts.count == 8, parts[0] == "qorgau-pin", parts[1] == "1", parts[2] == "scrypt",
              let n = Int(parts[3]), let r = Int(parts[4]), let p = Int(parts[5]),
              (try? Vault.checkCost(n: n, r: r, p: p)) != nil,
              let salt = Data(base64Encoded: parts[6]), (16...64).contains(salt.count),
              let hash = Data(base64Encoded: parts[7]), hash.count == 32 else { return nil }
        self.salt = salt
        rounds = n
        blockSize = r
        parallelism = p
        self.hash = hash
    }
}

/// The file of one account's screen-lock PIN: `$XDG_CONFIG_HOME/qorgau/pin`, else `~/.config/qorgau/pin`. It must be
/// the account's own, as a key file must (`OwnFile`): a symbolic link, a file its group or every account may read,
/// or another account's is refused. Written 0600 in a folder made 0700.
public struct PinFile: Sendable {
    public let path: String
    /// The PIN it holds; nil when there is no file yet.
    public private(set) var pin: LockPin?

    /// Reads the file at `path` (none there: no PIN yet); a file that is not the account's own, or not a PIN, is refused.
    public init(path: String) throws(StoreError) {
        self.path = path
        let bytes: [UInt8]
        do {
            bytes = try OwnFile.read(path, limit: 4096)
        } catch .missing {
            return
        } catch {
            throw .pinFileRefused(path: path, problem: error)
        }
        guard let pin = LockPin(line: String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .pinFileDamaged(path: path)
        }
        self.pin = pin
    }

    /// Where the PIN of an account is kept: `$XDG_CONFIG_HOME/qorgau/pin` (an absolute one), else `<home>/.config/qorgau/pin`.
    public static func path(xdgConfigHome: String?, home: String) -> String {
        if let xdg = xdgConfigHome, xdg.hasPrefix("/") { return xdg + "/qorgau/pin" }
        return home + "/.config/qorgau/pin"
    }

    /// Whether `typed` is the PIN (false while none is set).
    public func matches(_ typed: String) -> Bool { pin?.matches(typed) ?? false }

    /// Keeps `pin` (well formed: `LockPin.isWellFormed`) as the new PIN: its folder is made 0700 when missing, the file
    /// written 0600 beside and renamed over the old one, so that a PIN is never half written.
    public mutating func set(_ newPin: String) throws {
        let hashed = try LockPin(pin: newPin)
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.pinFileUnwritable(path: path, reason: String(describing: error))
        }
        let temporary = path + ".new-\(getpid())"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError.pinFileUnwritable(path: path, reason: String(cString: strerror(errno))) }
        let bytes = Array(hashed.line.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        Glibc.close(fd)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StoreError.pinFileUnwritable(path: path, reason: reason)
        }
        pin = hashed
    }
}
