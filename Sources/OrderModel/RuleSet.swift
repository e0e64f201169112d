import Foundation
import QorgauResources

/// The numbers of RULES.md as data: a site may tighten them, the code holds none.
public struct RuleSet: Codable, Hashable, Sendable {
    public struct Range: Codable, Hashable, Sendable {
        public var min: Int
        public var max: Int
        public var `default`: Int

        public func contains(_ value: Int) -> Bool { (min...max).contains(value) }
    }

    public struct Kind: Codable, Hashable, Sendable {
        public var id: OrderKind
        public var name: String
        public var nameRu: String?
        public var nameKk: String?
        public var termDays: Range
        public var checkIntervalDays: Range
        public var legalBasis: String
        public var breachOffence: String
    }

    public struct Horizons: Codable, Hashable, Sendable {
        /// `check-due` from this many days before the due date (1: today and tomorrow).
        public var dueSoonDays: Int
        /// `expiring` from this many days before the order expires.
        public var expiringDays: Int
        /// `unserved` once an order has waited this long for service.
        public var unservedGraceHours: Int
        /// How far ahead of the clock a recorded event may be dated.
        public var futureToleranceMinutes: Int
    }

    public struct Limits: Codable, Hashable, Sendable {
        public var numberMaxLength: Int
        public var nameMaxLength: Int
        public var textMaxLength: Int
    }

    public var id: String
    public var name: String
    public var revision: String
    public var kinds: [Kind]
    public var horizons: Horizons
    public var limits: Limits
    /// The zone `init` proposes when the system's is not wanted.
    public var timeZone: String

    /// The longest term, check interval or horizon a rule set may name: ten years.
    public static let longestDays = 3_650

    /// The rules of one kind of order. Every shipped rule set has both kinds.
    public func kind(_ kind: OrderKind) -> Kind {
        kinds.first { $0.id == kind } ?? kinds[0]
    }

    /// Decodes a rule set and checks that it is coherent.
    public static func decode(_ data: Data) throws -> RuleSet {
        let rules = try JSONDecoder().decode(RuleSet.self, from: data)
        try rules.validate()
        return rules
    }

    /// The rule set shipped in `Resources/rules/kz.json`.
    public static func kazakhstan() throws -> RuleSet {
        try decode(ShippedResources.kazakhstanRules)
    }

    public struct Incoherent: UserFacingError {
        public let message: String
    }

    func validate() throws {
        for kind in OrderKind.allCases where !kinds.contains(where: { $0.id == kind }) {
            throw Incoherent(message: "the rule set has no rules for \(kind.rawValue)")
        }
        for kind in kinds {
            for (name, r) in [("term", kind.termDays), ("check interval", kind.checkIntervalDays)]
            where !(r.min >= 1 && r.min <= r.default && r.default <= r.max && r.max <= RuleSet.longestDays) {
                throw Incoherent(message: "the rule set's \(name) range for \(kind.id.rawValue) is not coherent")
            }
        }
        let h = horizons
        guard h.dueSoonDays >= 0, h.expiringDays >= 0, h.unservedGraceHours >= 0, h.futureToleranceMinutes >= 0,
              limits.numberMaxLength > 0, limits.nameMaxLength > 0, limits.textMaxLength > 0 else {
            throw Incoherent(message: "the rule set has a negative horizon or limit")
        }
        // A rule set is read back from the database too: bounds a person could not mean keep day arithmetic finite.
        guard h.dueSoonDays <= RuleSet.longestDays, h.expiringDays <= RuleSet.longestDays,
              h.unservedGraceHours <= RuleSet.longestDays * 24, h.futureToleranceMinutes <= RuleSet.longestDays * 1440,
              limits.numberMaxLength <= 1_000_000, limits.nameMaxLength <= 1_000_000, limits.textMaxLength <= 1_000_000 else {
            throw Incoherent(message: "the rule set has a horizon or limit beyond any order's life")
        }
    }
}
