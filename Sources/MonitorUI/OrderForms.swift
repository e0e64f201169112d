import Foundation
import OrderModel
import OrderStore
import Wording

/// The fields of an order a person types, labelled alike in the add and the correct forms.
extension CorrectableField {
    var labelKey: String {
        switch self {
        case .district: "field.district"
        case .officer: "field.officer"
        case .restrictions: "field.restrictions"
        case .respondentAddress: "field.respondentAddress"
        case .respondentPhone: "field.respondentPhone"
        case .survivorPhone: "field.survivorPhone"
        case .survivorContact: "field.survivorContact"
        case .survivorNotes: "field.survivorNotes"
        }
    }

    /// The detail as the order holds it now.
    func value(of order: Order) -> String {
        switch self {
        case .district: order.district
        case .officer: order.officer
        case .restrictions: order.restrictions
        case .respondentAddress: order.respondent.address
        case .respondentPhone: order.respondent.phone
        case .survivorPhone: order.survivor.phone
        case .survivorContact: order.survivor.contact
        case .survivorNotes: order.survivor.notes
        }
    }

    /// A form field for this detail, holding `value`.
    func formField(_ value: String, context: ScreenContext) -> Form.Field {
        .init(label: context.text(labelKey), kind: .text, value: value, subjects: [subject])
    }
}

extension ScreenContext {
    /// Whether the survivor's phone, contact and notes are asked in a form: only of a role that may read
    /// them back, with survivor data open. The name is every order's, asked of anyone who adds one.
    var asksSurvivorDetails: Bool { may(.viewSurvivor) && survivorUnlocked }
}

/// `a` on Today and Orders: the fields of `qorgau order add`. What the store refuses (a number in use, a
/// term out of the kind's range, a time before issue) comes back beside its field, as on the command line.
enum AddOrderForm {
    static let number = 0, kind = 1, issued = 2, served = 3, termDays = 4, checkIntervalDays = 5, respondent = 6,
               birthDate = 7, respondentAddress = 8, respondentPhone = 9, district = 10, officer = 11, restrictions = 12,
               survivor = 13, survivorPhone = 14, survivorContact = 15, survivorNotes = 16

    static func make(context: ScreenContext) -> Form {
        func text(_ key: String) -> String { context.text(key) }
        let kinds = OrderKind.allCases.map { Form.Choice(value: $0.rawValue, label: text("kind.\($0.rawValue)")) }
        let survivorDetails: [CorrectableField] = [.survivorPhone, .survivorContact, .survivorNotes]
        var fields: [Form.Field] = [
            .init(label: text("field.number"), kind: .text, value: "", subjects: [.orderNumber]),
            .init(label: text("field.kind"), kind: .choice(kinds), value: OrderKind.protectiveOrder.rawValue),
            .init(label: text("field.issued"), kind: .text, value: context.formats.human(context.now), subjects: [.issueTime]),
            .init(label: text("field.served"), kind: .text, value: "", hint: text("form.addOrder.notServed"),
                  subjects: [.serviceTime]),
            .init(label: text("field.termDays"), kind: .text, value: "", hint: text("form.addOrder.kindDefault")),
            .init(label: text("field.checkIntervalDays"), kind: .text, value: "", hint: text("form.addOrder.kindDefault")),
            .init(label: text("field.respondent"), kind: .text, value: "", subjects: [.respondentName]),
            .init(label: text("field.birthDate"), kind: .text, value: ""),
            CorrectableField.respondentAddress.formField("", context: context),
            CorrectableField.respondentPhone.formField("", context: context),
            CorrectableField.district.formField(context.user.district, context: context),
            CorrectableField.officer.formField("", context: context),
            CorrectableField.restrictions.formField("", context: context),
            .init(label: text("field.survivor"), kind: .text, value: "", subjects: [.survivorName]),
        ]
        if !context.asksSurvivorDetails {
            fields[survivor].notes = [.init(text: context.text("form.addOrder.survivorLater",
                                                               ["who": context.words.whoMay(.viewSurvivor)]), style: .dim)]
        }
        fields[termDays].terms = [.termDays]
        fields[checkIntervalDays].terms = [.checkIntervalDays]
        if context.asksSurvivorDetails {
            fields += survivorDetails.map { $0.formField("", context: context) }
        }
        return Form(title: text("form.addOrder.title"), fields: fields)
    }

    static func submit(_ form: inout Form, context: ScreenContext) -> Command? {
        func typed(_ index: Int) -> String? {
            let text = form.value(index).trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
        let issuedAt = form.time(issued, context: context)
        let servedAt = typed(served).flatMap { _ in form.time(served, context: context) }
        let term = form.wholeNumber(termDays, context: context).value
        let interval = form.wholeNumber(checkIntervalDays, context: context).value
        let born = typed(birthDate).flatMap(LocalDay.init(parsing:))
        if typed(birthDate) != nil && born == nil { form.fields[birthDate].error = context.text("error.day") }
        guard let issuedAt, !form.hasErrors, let orderKind = OrderKind(rawValue: form.value(kind)) else { return nil }
        let asked = form.fields.count > survivorNotes
        func value(_ index: Int) -> String { form.value(index) }
        let order = Order(number: value(number), kind: orderKind, issued: issuedAt, served: servedAt, termDays: 0,
                          checkIntervalDays: 0, district: value(district), officer: value(officer),
                          restrictions: value(restrictions),
                          survivor: Survivor(name: value(survivor), phone: asked ? value(survivorPhone) : "",
                                             contact: asked ? value(survivorContact) : "", notes: asked ? value(survivorNotes) : ""),
                          respondent: Respondent(name: value(respondent), birthDate: born, address: value(respondentAddress),
                                                 phone: value(respondentPhone)))
        return .write(.addOrder(order, termDays: term, checkIntervalDays: interval))
    }
}

/// `e` on an order (supervisors): its correctable details as they stand, and the reason. Each detail
/// changed is written as `qorgau order correct` writes it.
enum CorrectForm {
    /// The details offered: the survivor's only to a role that may read them, with survivor data open.
    static func fields(_ context: ScreenContext) -> [CorrectableField] {
        CorrectableField.allCases.filter { !$0.isSurvivorData || context.asksSurvivorDetails }
    }

    static func make(number: String, context: ScreenContext) -> Form {
        let order = (try? context.reader.detail(number: number, asOf: context.asOf))?.history.order
        var list = fields(context).map { $0.formField(order.map($0.value(of:)) ?? "", context: context) }
        list.append(.init(label: context.text("field.reason"), kind: .text, value: "", subjects: [.reason]))
        return Form(title: context.text("form.correct.title", ["number": number]), fields: list)
    }

    static func submit(_ form: inout Form, number: String, context: ScreenContext) -> Command? {
        let offered = fields(context)
        let reason = form.required(offered.count, context: context)
        // Compared with the order as it stands now, so that after a partial save only what is left is written.
        let order: Order
        do {
            order = try context.reader.detail(number: number, asOf: context.asOf).history.order
        } catch {
            form.formError = context.words.message(error)
            return nil
        }
        let changes = offered.enumerated().compactMap { i, field in
            form.value(i) == field.value(of: order) ? nil : DetailChange(field: field, value: form.value(i))
        }
        guard let reason else { return nil }
        guard !changes.isEmpty else {
            form.formError = context.text("error.nothingChanged")
            return nil
        }
        return .write(.correct(number: number, changes: changes, reason: reason))
    }
}
