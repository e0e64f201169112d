import Crypto
import Foundation
import _CryptoExtras

/// The lock on survivor data. Survivor fields are sealed to the file's public key, so any
/// role can add an order; only the private key opens them, and it is stored wrapped with
/// AES-GCM under a key derived with scrypt from the passphrase. Changing the passphrase
/// (`OrderStore.rekey`) makes a new key pair and seals every value again to it, in one
/// transaction: an old key record with the old passphrase opens nothing afterwards.
public struct Vault: Sendable {
    /// What the file keeps (in `meta`, as JSON): nothing here opens anything without the passphrase.
    public struct Record: Codable, Equatable, Sendable {
        package var version = 1
        package var salt: Data
        package var rounds: Int
        package var blockSize: Int
        package var parallelism: Int
        package var wrappedPrivateKey: Data
        package var publicKey: Data

        package init(salt: Data, rounds: Int, blockSize: Int, parallelism: Int, wrappedPrivateKey: Data, publicKey: Data) {
            self.salt = salt
            self.rounds = rounds
            self.blockSize = blockSize
            self.parallelism = parallelism
            self.wrappedPrivateKey = wrappedPrivateKey
            self.publicKey = publicKey
        }

        /// What a person who may not open survivor data gets: the public key, to seal new records.
        package init(publicKeyOnly publicKey: Data) {
            self.init(salt: Data(), rounds: 0, blockSize: 0, parallelism: 0, wrappedPrivateKey: Data(), publicKey: publicKey)
        }

        /// The record as JSON text, as stores keep it.
        package var json: String {
            get throws { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }
        }

        package init(json: String) throws {
            self = try JSONDecoder().decode(Record.self, from: Data(json.utf8))
        }
    }

    /// scrypt's cost: N = 2^15, r = 8, p = 1 (32 MiB, about a tenth of a second).
    package static let rounds = 1 << 15, blockSize = 8, parallelism = 1

    package let record: Record
    package let publicKey: Curve25519.KeyAgreement.PublicKey
    /// Present once unlocked with the passphrase.
    package let privateKey: Curve25519.KeyAgreement.PrivateKey?

    package var isUnlocked: Bool { privateKey != nil }

    package init(record: Record, privateKey: Curve25519.KeyAgreement.PrivateKey? = nil) throws {
        self.record = record
        publicKey = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: record.publicKey)
        self.privateKey = privateKey
    }

    /// A new key pair, wrapped under `passphrase`.
    package static func create(passphrase: String) throws -> Vault {
        let key = Curve25519.KeyAgreement.PrivateKey()
        return try Vault(record: wrap(key, passphrase: passphrase), privateKey: key)
    }

    package static func wrap(_ key: Curve25519.KeyAgreement.PrivateKey, passphrase: String) throws -> Record {
        var salt = Data(count: 16)
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255) }
        let kek = try deriveKey(passphrase, salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism)
        let wrapped = try AES.GCM.seal(key.rawRepresentation, using: kek, authenticating: Data("qorgau key v1".utf8))
        guard let combined = wrapped.combined else { throw StoreError.keyUnusable }
        return Record(salt: salt, rounds: rounds, blockSize: blockSize, parallelism: parallelism,
                      wrappedPrivateKey: combined, publicKey: key.publicKey.rawRepresentation)
    }

    /// scrypt of `passphrase` (or a PIN, `LockPin`), 32 bytes.
    package static func deriveKey(_ passphrase: String, salt: Data, rounds: Int, blockSize: Int, parallelism: Int) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(from: Data(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: rounds,
                                 blockSize: blockSize, parallelism: parallelism)
    }

    /// The bounds a key record's derivation must keep before anything is derived: N a power of two from
    /// 2^14 to 2^20, r from 1 to 32, p from 1 to 16, scrypt's memory (128·N·r bytes) at most 256 MiB and its
    /// work (N·r·p) at most 64 times the default's; a salt of 16 to 64 bytes; a wrapped key of exactly
    /// nonce, key and tag (60 bytes) and a public key of 32. Anything else was not written by Qorgau, and
    /// an absurd cost would hang or exhaust memory: refused, naming the parameter.
    package static func checkBounds(_ record: Record) throws(StoreError) {
        try checkCost(n: record.rounds, r: record.blockSize, p: record.parallelism)
        guard (16...64).contains(record.salt.count) else { throw .keyRecordOutOfBounds(parameter: "salt") }
        guard record.wrappedPrivateKey.count == 60, record.publicKey.count == 32 else {
            throw .keyRecordOutOfBounds(parameter: "key")
        }
    }

    /// The cost part of `checkBounds`: N, r and p of a derivation written down (a key record, a PIN file).
    package static func checkCost(n: Int, r: Int, p: Int) throws(StoreError) {
        guard n >= 1 << 14, n <= 1 << 20, n & (n - 1) == 0 else { throw .keyRecordOutOfBounds(parameter: "N") }
        guard (1...32).contains(r), 128 * n * r <= 256 << 20 else { throw .keyRecordOutOfBounds(parameter: "r") }
        guard (1...16).contains(p), n * r * p <= 64 * rounds * blockSize * parallelism else {
            throw .keyRecordOutOfBounds(parameter: "p")
        }
    }

    /// The same vault, unlocked; a wrong passphrase is refused, and so, before any key is derived, is a key
    /// record outside `checkBounds`. Once the key is open, this process never dumps core (`ProcessHardening`).
    package func unlocked(passphrase: String) throws -> Vault {
        try Vault.checkBounds(record)
        ProcessHardening.forbidCoreDumps()
        do {
            let kek = try Vault.deriveKey(passphrase, salt: record.salt, rounds: record.rounds, blockSize: record.blockSize,
                                          parallelism: record.parallelism)
            let box = try AES.GCM.SealedBox(combined: record.wrappedPrivateKey)
            let raw = try AES.GCM.open(box, using: kek, authenticating: Data("qorgau key v1".utf8))
            let key = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)
            guard key.publicKey.rawRepresentation == record.publicKey else { throw StoreError.wrongPassphrase }
            return try Vault(record: record, privateKey: key)
        } catch {
            throw StoreError.wrongPassphrase
        }
    }

    /// `plaintext` sealed to the public key (an ephemeral X25519 agreement, HKDF-SHA256, AES-GCM),
    /// bound to `context` so a sealed value cannot be moved to another record.
    package func seal(_ plaintext: Data, context: String) throws -> Data {
        try Vault.seal(plaintext, context: context, to: record.publicKey)
    }

    /// `plaintext` sealed to `recipient`, a raw X25519 public key: the key a store holds at the
    /// moment of writing, which a rekey in another session may have changed since this one opened.
    package static func seal(_ plaintext: Data, context: String, to recipient: Data) throws -> Data {
        let publicKey: Curve25519.KeyAgreement.PublicKey
        do {
            publicKey = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipient)
        } catch {
            throw StoreError.keyUnusable
        }
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let key = try Vault.symmetricKey(ephemeral.sharedSecretFromKeyAgreement(with: publicKey),
                                         ephemeral: ephemeral.publicKey.rawRepresentation, recipient: recipient)
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw StoreError.keyUnusable }
        return Data([1]) + ephemeral.publicKey.rawRepresentation + combined
    }

    /// Opens what `seal` made; nil while locked.
    package func open(_ sealed: Data, context: String) throws -> Data? {
        guard let privateKey else { return nil }
        guard sealed.count > 33, sealed.first == 1 else { throw StoreError.sealedValueDamaged }
        let ephemeralRaw = sealed.subdata(in: sealed.startIndex + 1 ..< sealed.startIndex + 33)
        do {
            let ephemeral = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: ephemeralRaw)
            let key = try Vault.symmetricKey(privateKey.sharedSecretFromKeyAgreement(with: ephemeral),
                                             ephemeral: ephemeralRaw, recipient: record.publicKey)
            let box = try AES.GCM.SealedBox(combined: sealed.subdata(in: sealed.startIndex + 33 ..< sealed.endIndex))
            return try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
        } catch {
            throw StoreError.sealedValueDamaged
        }
    }

    private static func symmetricKey(_ secret: SharedSecret, ephemeral: Data, recipient: Data) -> SymmetricKey {
        secret.hkdfDerivedSymmetricKey(using: SHA256.self, salt: ephemeral + recipient,
                                       sharedInfo: Data("qorgau survivor v1".utf8), outputByteCount: 32)
    }
}
