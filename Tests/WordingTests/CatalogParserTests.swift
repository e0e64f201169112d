import Foundation
import QorgauResources
import Testing
@testable import Wording

/// `CatalogParser` reads what `JSONDecoder` reads from every shipped catalog, and refuses what is not a catalog.
@Suite struct CatalogParserTests {
    static let parts: [(String, [UInt8])] = Language.allCases.flatMap { language in
        zip(["facts", "screens", "cli"], ShippedResources.stringBytes(language.rawValue)).map { ("\(language.rawValue).\($0)", $1) }
    }

    @Test("every shipped catalog part parses to exactly what JSONDecoder decodes")
    func shippedPartsEqualJSONDecoder() throws {
        #expect(Self.parts.count == 9)
        for (name, bytes) in Self.parts {
            let decoded = try JSONDecoder().decode([String: String].self, from: Data(bytes))
            let parsed = try CatalogParser.parse(bytes)
            #expect(!parsed.isEmpty, "\(name)")
            #expect(parsed == decoded, "\(name)")
        }
    }

    @Test("a merged shipped catalog has every key of its parts")
    func mergedCatalogHoldsEveryPart() throws {
        for language in Language.allCases {
            var keys: Set<String> = []
            for bytes in ShippedResources.stringBytes(language.rawValue) {
                keys.formUnion(try JSONDecoder().decode([String: String].self, from: Data(bytes)).keys)
            }
            #expect(Set(Catalog.shipped(language).entries.keys) == keys, "\(language)")
        }
    }

    static let wellFormed: [String] = [
        #"{}"#,
        " \n\t{ } \r\n",
        #"{"a":"b"}"#,
        #"{ "a" : "x\"y\\z\/w" , "b": "\b\f\n\r\t" }"#,
        #"{"k": "\u0041\u00e9\u0416\u04d9\uD83D\uDE00 \u00A0"}"#,
        #"{"k": "қорғау нұсқамасы — «защитное»"}"#,
        #"{"": ""}"#,
    ]

    @Test("escapes, empty strings and non-ASCII text read as JSONDecoder reads them", arguments: wellFormed)
    func wellFormedEqualsJSONDecoder(text: String) throws {
        let bytes = Array(text.utf8)
        #expect(try CatalogParser.parse(bytes) == JSONDecoder().decode([String: String].self, from: Data(bytes)))
    }

    static let malformed: [(String, CatalogParser.Malformed.Reason)] = [
        ("", .endOfInput),
        ("   ", .endOfInput),
        (#"["a"]"#, .expected("{")),
        (#"{"a": "b""#, .endOfInput),
        (#"{"a": "b",}"#, .expectedString),
        (#"{"a" "b"}"#, .expected(":")),
        (#"{"a": 1}"#, .expectedString),
        (#"{"a": null}"#, .expectedString),
        (#"{"a": {"b": "c"}}"#, .expectedString),
        (#"{a: "b"}"#, .expectedString),
        (#"{"a": "b"} x"#, .trailingBytes),
        (#"{"a": "b"}{}"#, .trailingBytes),
        (#"{"a": "b" "c": "d"}"#, .expected("}")),
        (#"{"a": "b", "a": "c"}"#, .repeatedKey("a")),
        ("{\"a\": \"line\nbreak\"}", .controlCharacter),
        ("{\"a\": \"tab\there\"}", .controlCharacter),
        (#"{"a": "\x41"}"#, .badEscape),
        (#"{"a": "\u12G4"}"#, .badEscape),
        (#"{"a": "\u12"}"#, .badEscape),
        (#"{"a": "\uD83D"}"#, .loneSurrogate),
        (#"{"a": "\uD83Dx"}"#, .loneSurrogate),
        (#"{"a": "\uD83D\u0041"}"#, .loneSurrogate),
        (#"{"a": "\uDE00"}"#, .loneSurrogate),
        (#"{"a": "unterminated}"#, .endOfInput),
        (#"{"a": "esc\"#, .endOfInput),
    ]

    @Test("what is not a catalog is refused, with the reason", arguments: malformed)
    func malformedIsRefused(text: String, reason: CatalogParser.Malformed.Reason) {
        #expect(throws: CatalogParser.Malformed.self) { try CatalogParser.parse(Array(text.utf8)) }
        do {
            _ = try CatalogParser.parse(Array(text.utf8))
        } catch {
            #expect(error.reason == reason, "\(text)")
        }
        // JSONDecoder refuses all of these too, except two it lets through: a repeated key, and a comma before `}`.
        if reason != .repeatedKey("a") && text != #"{"a": "b",}"# {
            #expect(throws: (any Error).self) { try JSONDecoder().decode([String: String].self, from: Data(text.utf8)) }
        }
    }

    @Test("bytes that are not UTF-8 are refused, in a plain and in an escaped string")
    func notUTF8IsRefused() {
        for bytes: [UInt8] in [
            Array(#"{"a": ""#.utf8) + [0xFF] + Array(#""}"#.utf8),
            Array(#"{"a": "\n"#.utf8) + [0xC3] + Array(#""}"#.utf8),
            Array(#"{""#.utf8) + [0xED, 0xA0, 0x80] + Array(#"": "b"}"#.utf8),
        ] {
            do {
                _ = try CatalogParser.parse(bytes)
                Issue.record("parsed \(bytes)")
            } catch {
                #expect(error.reason == .notUTF8)
            }
        }
    }
}
