import Foundation

/// Field-level checks of what a person typed: trimmed, not empty where required,
/// not over-long, and free of control characters and bidirectional overrides
/// (which could rewrite a terminal or disguise a name).
public enum TextRule {
    /// The trimmed text, or a refusal naming the field (never quoting it).
    public static func clean(_ text: String, field: Field, max: Int, required: Bool = true) throws(Refusal) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if required && trimmed.isEmpty { throw .emptyText(field: field) }
        if trimmed.count > max { throw .tooLong(field: field, max: max) }
        if trimmed.unicodeScalars.contains(where: isForbidden) {
            throw trimmed.unicodeScalars.contains(where: isInvisible) ? .invisibleCharacters(field: field) : .controlCharacters(field: field)
        }
        return trimmed
    }

    /// Control characters (C0, DEL, C1), bidirectional formatting characters and the
    /// invisible ones (see `isInvisible`).
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: true
        default: isInvisible(scalar)
        }
    }

    /// Characters that show nothing yet make two names differ or hide text: zero-width space,
    /// byte-order mark, line and paragraph separators, and the tag characters.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B, 0xFEFF, 0x2028, 0x2029, 0xE0000...0xE007F: true
        default: false
        }
    }
}

extension Order {
    /// The order with its text cleaned, or the first refusal: the fields of RULES.md
    /// ("What is refused") that do not depend on the clock or on other records.
    public func validated(rules: RuleSet) throws(Refusal) -> Order {
        var o = self
        let l = rules.limits
        o.number = try TextRule.clean(number, field: .orderNumber, max: l.numberMaxLength)
        o.survivor.name = try TextRule.clean(survivor.name, field: .survivorName, max: l.nameMaxLength)
        o.survivor.phone = try TextRule.clean(survivor.phone, field: .survivorPhone, max: l.nameMaxLength, required: false)
        o.survivor.contact = try TextRule.clean(survivor.contact, field: .survivorContact, max: l.textMaxLength, required: false)
        o.survivor.notes = try TextRule.clean(survivor.notes, field: .survivorNotes, max: l.textMaxLength, required: false)
        o.respondent.name = try TextRule.clean(respondent.name, field: .respondentName, max: l.nameMaxLength)
        o.respondent.address = try TextRule.clean(respondent.address, field: .respondentAddress, max: l.textMaxLength, required: false)
        o.respondent.phone = try TextRule.clean(respondent.phone, field: .respondentPhone, max: l.nameMaxLength, required: false)
        o.district = try TextRule.clean(district, field: .district, max: l.nameMaxLength, required: false)
        o.officer = try TextRule.clean(officer, field: .officer, max: l.nameMaxLength, required: false)
        o.restrictions = try TextRule.clean(restrictions, field: .restrictions, max: l.textMaxLength, required: false)
        let kindRules = rules.kind(kind)
        guard kindRules.termDays.contains(termDays) else {
            throw .termOutOfRange(kind: kind, value: termDays, min: kindRules.termDays.min, max: kindRules.termDays.max)
        }
        guard kindRules.checkIntervalDays.contains(checkIntervalDays) else {
            throw .intervalOutOfRange(kind: kind, value: checkIntervalDays,
                                      min: kindRules.checkIntervalDays.min, max: kindRules.checkIntervalDays.max)
        }
        if let served, served < issued { throw .servedBeforeIssued }
        if let revoked {
            if revoked < issued { throw .beforeIssue(what: .revocation) }
            if let served, revoked < served { throw .beforeService(what: .revocation) }
            o.revocationReason = try TextRule.clean(revocationReason ?? "", field: .revocationReason, max: l.textMaxLength)
        }
        return o
    }
}
