import Foundation
import OrderModel
import OrderStore
import Terminal
import Wording

/// A form over a screen and what it is for: each purpose builds its fields and turns them, once they
/// read right, into a command for the app (a write, most often). A new form is a case here, its
/// fields in `makeForm`, and its reading in `submit`.
enum FormPurpose: Equatable {
    case breach(number: String)
    case serve(number: String)
    case revoke(number: String)
    case closeBreach(id: Int64, number: String)
    /// The violations of a period; the form starts from the period shown.
    case period(from: LocalDay, to: LocalDay)
    /// The passphrase that opens survivor details.
    case unlock
    /// A new order: the fields of `qorgau order add`.
    case addOrder
    /// An order's correctable details, as they stand, and the reason for changing them.
    case correct(number: String)
    /// Where to save a list as CSV (`SaveReportForm`).
    case saveReport(Report)

    /// What the person must be allowed to do for the form to be offered: the app refuses to open it
    /// otherwise, saying who may, so that nothing is typed to be refused.
    var permission: Permission? {
        switch self {
        case .breach: .recordBreach
        case .serve: .serve
        case .revoke: .revoke
        case .closeBreach: .closeBreach
        case .addOrder: .addOrder
        case .correct: .correct
        case .saveReport: .export
        case .period, .unlock: nil
        }
    }

    func makeForm(context: ScreenContext) -> Form {
        func text(_ key: String, _ values: [String: String] = [:]) -> String { context.text(key, values) }
        func time(_ subject: OrderModel.Field) -> Form.Field {
            .init(label: text("field.time"), kind: .text, value: context.formats.human(context.now), subjects: [subject])
        }
        switch self {
        case .breach(let number):
            return Form(title: text("form.breach.title", ["number": number]), fields: [
                time(.breachTime),
                .init(label: text("field.description"), kind: .text, value: "", subjects: [.breachDescription]),
                .init(label: text("field.reportedBy"), kind: .text, value: context.user.login, subjects: [.reporter]),
            ])
        case .serve(let number):
            return Form(title: text("form.serve.title", ["number": number]), fields: [time(.serviceTime)])
        case .revoke(let number):
            return Form(title: text("form.revoke.title", ["number": number]), fields: [
                time(.revocationTime),
                .init(label: text("field.reason"), kind: .text, value: "", subjects: [.revocationReason, .reason]),
            ])
        case .closeBreach(let id, let number):
            return Form(title: text("form.close.title", ["id": String(id), "number": number]), fields: [
                .init(label: text("field.action"), kind: .text, value: "", subjects: [.action]),
                time(.actionTime),
            ])
        case .unlock:
            return Form(title: text("form.unlock.title"), fields: [
                .init(label: text("field.passphrase"), kind: .secret, value: ""),
            ])
        case .period(let from, let to):
            return Form(title: text("form.period.title"), fields: [
                .init(label: text("field.from"), kind: .text, value: from.dotted),
                .init(label: text("field.to"), kind: .text, value: to.dotted),
            ])
        case .addOrder:
            return AddOrderForm.make(context: context)
        case .correct(let number):
            return CorrectForm.make(number: number, context: context)
        case .saveReport(let report):
            return SaveReportForm.make(report, context: context)
        }
    }

    /// What the filled form asks for; nil, with the errors beside their fields, while it does not read right.
    func submit(_ form: inout Form, context: ScreenContext) -> Command? {
        switch self {
        case .breach(let number):
            guard let at = form.time(0, context: context) else { return nil }
            return .write(.breach(number: number, at: at, description: form.value(1), reportedBy: form.value(2)))
        case .serve(let number):
            guard let at = form.time(0, context: context) else { return nil }
            return .write(.serve(number: number, at: at))
        case .revoke(let number):
            // What cannot be undone is asked about only once it reads right.
            let reason = form.required(1, context: context)
            guard let at = form.time(0, context: context), let reason else { return nil }
            return .write(.revoke(number: number, at: at, reason: reason))
        case .closeBreach(let id, let number):
            let action = form.required(0, context: context)
            guard let at = form.time(1, context: context), let action else { return nil }
            return .write(.closeBreach(id: id, number: number, action: action, at: at))
        case .unlock:
            return .unlock(passphrase: form.value(0))
        case .addOrder:
            return AddOrderForm.submit(&form, context: context)
        case .correct(let number):
            return CorrectForm.submit(&form, number: number, context: context)
        case .saveReport(let report):
            return SaveReportForm.submit(&form, report: report, context: context)
        case .period:
            guard let from = LocalDay(parsing: form.value(0)) else {
                form.fields[0].error = context.text("error.day")
                return nil
            }
            guard let to = LocalDay(parsing: form.value(1)) else {
                form.fields[1].error = context.text("error.day")
                return nil
            }
            guard from <= to else {
                form.fields[1].error = context.text("error.period")
                return nil
            }
            return .answer(.period(from: from, to: to))
        }
    }
}

/// A time as a person types it in a form: any form the command line takes ("22.11.2026 16:00",
/// "2026-11-22 16:00"), or a time of day alone, "16:00", meaning today.
enum TypedTime {
    static func instant(_ text: String, timeZone: TimeZone, today: LocalDay) throws -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        var typed = trimmed
        if (2...3).contains(parts.count), !trimmed.contains(" "), !trimmed.contains("T"), !trimmed.contains("."),
           !trimmed.contains("-"), (1...2).contains(parts[0].count), parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            typed = today.dotted + " " + (parts[0].count == 1 ? "0" : "") + trimmed
        }
        guard let local = LocalDateTime(parsing: typed) else { return nil }
        return try local.instant(in: timeZone)
    }
}

extension Form {
    /// The instant typed into field `index`, in the file's zone; nil, with the error beside the field,
    /// when it is not a time.
    mutating func time(_ index: Int, context: ScreenContext) -> Date? {
        do {
            guard let at = try TypedTime.instant(value(index), timeZone: context.timeZone, today: context.today) else {
                fields[index].error = context.text("error.time")
                return nil
            }
            return at
        } catch {
            fields[index].error = context.words.message(error)
            return nil
        }
    }

    /// The text of field `index`; nil, with "required" beside it, when nothing but blanks was typed.
    mutating func required(_ index: Int, context: ScreenContext) -> String? {
        guard !value(index).trimmingCharacters(in: .whitespaces).isEmpty else {
            fields[index].error = context.text("error.required")
            return nil
        }
        return value(index)
    }

    /// Shows why a write was refused: beside the field the refusal is about, else under the form.
    mutating func show(_ error: Error, words: Words) {
        if let refusal = error as? Refusal,
           let index = fields.firstIndex(where: { field in
               refusal.subject.map(field.subjects.contains) ?? refusal.term.map(field.terms.contains) ?? false
           }) {
            fields[index].error = words.message(refusal)
        } else {
            formError = words.message(error)
        }
    }

    /// The whole number typed into field `index`; nil when it is blank (`blank` is then true) or, with
    /// the error beside the field, when it is not a whole number.
    mutating func wholeNumber(_ index: Int, context: ScreenContext) -> (value: Int?, blank: Bool) {
        let typed = value(index).trimmingCharacters(in: .whitespaces)
        if typed.isEmpty { return (nil, true) }
        guard let number = Int(typed) else {
            fields[index].error = context.text("error.wholeNumber")
            return (nil, false)
        }
        return (number, false)
    }
}

extension Refusal {
    /// The field or the time a refusal is about, when it names one.
    var subject: OrderModel.Field? {
        switch self {
        case .inFuture(let what), .beforeService(let what), .beforeIssue(let what), .afterEnd(let what): what
        case .emptyText(let field), .tooLong(let field, _), .controlCharacters(let field), .invisibleCharacters(let field): field
        case .servedBeforeIssued: .serviceTime
        case .actionBeforeBreach: .actionTime
        case .duplicateNumber: .orderNumber
        default: nil
        }
    }

    /// The term a refusal is about, for a refusal about no field.
    var term: Form.Term? {
        switch self {
        case .termOutOfRange: .termDays
        case .intervalOutOfRange: .checkIntervalDays
        default: nil
        }
    }
}
