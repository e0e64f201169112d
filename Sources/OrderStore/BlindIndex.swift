import Crypto
import Foundation
import OrderModel

/// The keyed ("blind") index of survivors' names: what lets a search by her name open only the
/// orders whose name may match, instead of every sealed record, without the file holding her name.
///
/// **What is stored.** Per order, a set of 64-bit tokens: for every reading (``SearchFold``) of every
/// word of her name, each run of three letters (a shorter reading whole, marked apart), keyed with
/// HMAC-SHA256 and cut to its first 8 bytes. The key is derived with HKDF-SHA256 from the file's
/// private key (label "qorgau blind index v1"), so only a session unlocked with the passphrase can
/// make a token, for a record or for a query; a rekey makes a new key and every token again
/// (`OrderStore.rekey`). Trigrams, not whole words: a search finds a name by any part of a word, as
/// the list's search always did; a token only narrows the orders to open, and each is opened and
/// checked, so what is found is exactly what opening every record would find.
///
/// **What it leaks** to whoever reads the file without the passphrase (nothing else about names):
/// - equal tokens across orders: that two survivors' names share a run of three letters (in some
///   reading), and so how alike two names are; the same person's orders look alike;
/// - how often each token occurs across the file: against the known frequencies of Kazakh and Russian
///   names, the most common tokens could be guessed to be the most common trigrams (e.g. "ova");
/// - per order, how many distinct tokens: about how long her name is.
/// It does not leak a trigram's letters, their order, which word they came from, or any name, without
/// the key; an order added by a session without the key has no tokens until a session with it searches
/// or rekeys (it is opened meanwhile), and that absence shows who added it locked.
public enum BlindIndex {
    static let label = Data("qorgau blind index v1".utf8)

    /// The index key of an unlocked vault (nil while locked).
    package static func key(_ vault: Vault) -> SymmetricKey? {
        guard let privateKey = vault.privateKey else { return nil }
        return HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: privateKey.rawRepresentation),
                                      salt: vault.record.publicKey, info: label, outputByteCount: 32)
    }

    /// What makes the tokens of a name under an unlocked vault's key (nil while locked).
    package static func tokenizer(_ vault: Vault) -> (@Sendable (String) -> Set<Int64>)? {
        guard let key = key(vault) else { return nil }
        return { name in tokens(name: name, key: key) }
    }

    /// The tokens of a name: every trigram of every reading of every word (shorter readings whole).
    package static func tokens(name: String, key: SymmetricKey) -> Set<Int64> {
        var tokens = Set<Int64>()
        for reading in FoldedText(name).readings {
            for gram in grams(reading) { tokens.insert(token(gram, key: key)) }
        }
        return tokens
    }

    /// Per word of the query, per needle, the tokens a name must all hold for the needle to be found in
    /// it; nil for a word with a needle shorter than three letters (no token stands for it: every order
    /// may match that word).
    package static func queryTokens(_ query: SearchQuery, key: SymmetricKey) -> [[[Int64]]?] {
        query.needles.map { needles in
            guard needles.allSatisfy({ $0.unicodeScalars.count >= 3 }) else { return nil }
            return needles.map { needle in Array(Set(grams(needle).map { token($0, key: key) })) }
        }
    }

    /// The runs of three letters of `text` (by Unicode scalar); a shorter text whole, after a mark
    /// that no trigram begins with, so that "ab" is not taken for a run of a longer word.
    static func grams(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 3 else { return scalars.isEmpty ? [] : ["\u{1}" + text] }
        return (0 ... scalars.count - 3).map { i in
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[i ..< i + 3])
            return String(s)
        }
    }

    static func token(_ gram: String, key: SymmetricKey) -> Int64 {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(gram.utf8), using: key)
        return mac.withUnsafeBytes { raw in
            raw.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
        }
    }
}

extension OrderStore {
    /// The tokens of `name` under this session's key, nil while locked (the order stays unindexed).
    func survivorTokens(_ name: String) -> Set<Int64>? {
        BlindIndex.key(vault).map { BlindIndex.tokens(name: name, key: $0) }
    }
}
