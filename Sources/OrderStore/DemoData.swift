import Foundation
import OrderModel
import Scheduler

/// A realistic demonstration set relative to today: a few hundred orders in districts of
/// Almaty, Astana and Shymkent, names in Kazakh and Russian Cyrillic and in Latin, with
/// every kind of alert and violation present. Everything passes the same rules as typed input.
extension OrderStore {
    static let demoDistricts = [
        "Алмалинский (Алматы)", "Ауэзовский (Алматы)", "Бостандыкский (Алматы)", "Медеуский (Алматы)",
        "Есиль (Астана)", "Сарыарка (Астана)", "Алматы ауданы (Астана)",
        "Абайский (Шымкент)", "Әл-Фараби (Шымкент)", "Қаратау (Шымкент)",
    ]
    static let demoOfficers = [
        "Ахметов Д.", "Сейткали А.", "Иванова Е.", "Нұрланов Б.", "Petrov S.", "Қасымова Г.", "Омаров Р.", "Tulegenova A.",
    ]
    static let demoSurvivors = [
        "Айгерим Нұрланқызы", "Гүлнар Сәрсенбаева", "Мария Иванова", "Dana Abenova", "Әсел Қайратқызы",
        "Ольга Ким", "Жанар Төлеуова", "Aigerim Bekova", "Светлана Петренко", "Динара Ержанова",
    ]
    static let demoRespondents = [
        "Нұрсұлтан Әбілқайыров", "Ерлан Сапаров", "Сергей Иванов", "Timur Abenov", "Қайрат Жұмабаев",
        "Виктор Ким", "Бауыржан Төлеуов", "Arman Bekov", "Олег Петренко", "Ғалым Ержанов", "Дмитрий Соколов",
    ]

    /// Fills the file with the demonstration set, in one transaction.
    public func fillDemo(now: Date, orders count: Int = 300, seed: UInt64 = 2026) throws {
        var rng = SeededGenerator(seed: seed)
        let today = LocalDay(now, in: timeZone)
        func at(_ day: LocalDay, hour: Int, minute: Int = 0) -> Date {
            day.start(in: timeZone).addingTimeInterval(Double(hour * 3600 + minute * 60))
        }
        func pick<T>(_ list: [T]) -> T { list[Int.random(in: 0..<list.count, using: &rng)] }
        // The set uses every kind of write, revocation included: a supervisor's.
        try write(.revoke, now: now) { tx in
            for i in 0..<count {
                let special = i % 12 == 11
                let kind: OrderKind = special ? .specialRequirements : .protectiveOrder
                let ageDays = special ? Int.random(in: 0...120, using: &rng) : Int.random(in: 0...45, using: &rng)
                let issued = min(at(today - ageDays, hour: Int.random(in: 8...20, using: &rng),
                                    minute: 5 * Int.random(in: 0...11, using: &rng)), now.addingTimeInterval(-7200))
                let unserved = i % 25 == 3
                let served = unserved ? nil : min(issued.addingTimeInterval(Double(Int.random(in: 1...20, using: &rng)) * 3600),
                                                  now.addingTimeInterval(-3600))
                let interval = special ? 30 : (i % 9 == 4 ? 3 : 7)
                let city = i % 3
                let district = Self.demoDistricts[[0, 4, 7][city] + Int.random(in: 0..<(city == 0 ? 4 : 3), using: &rng)]
                let officer = pick(Self.demoOfficers)
                let number = (special ? "ОТ-" : "ЗП-") + String(format: "%02d-%05d", 25 + city, 1000 + i * 7)
                let order = try addOrder(Order(
                    number: number, kind: kind, issued: issued, served: served, termDays: special ? 180 : 30,
                    checkIntervalDays: interval, district: district, officer: officer,
                    restrictions: special ? "no contact; no alcohol; report to police twice a month"
                        : "no contact, in person or by phone; no visits",
                    survivor: Survivor(name: pick(Self.demoSurvivors), phone: "+7 70\(Int.random(in: 0...9, using: &rng)) "
                                       + String(Int.random(in: 100...999, using: &rng)) + " " + String(Int.random(in: 1000...9999, using: &rng)),
                                       contact: i % 4 == 0 ? "crisis centre shelter" : "home address on file"),
                    respondent: Respondent(name: pick(Self.demoRespondents),
                                           birthDate: LocalDay(year: 1970 + Int.random(in: 0...35, using: &rng), month: 1 + i % 12, day: 1 + i % 28),
                                           address: "ул. Абая \(i + 1), кв. \(i % 40 + 1)")),
                    in: tx, now: now)
                guard let served else { continue }
                let expires = scheduler.expires(served: served, termDays: order.termDays)
                let revokedAt: Date? = i % 31 == 7 ? min(served.addingTimeInterval(86_400 * 10), now.addingTimeInterval(-600)) : nil
                let ends = min(expires, revokedAt ?? expires, now.addingTimeInterval(-60))
                // Checks: mostly on time, some late, some skipped, a few not-located and breaches.
                var anchor = LocalDay(served, in: timeZone)
                while true {
                    let roll = Int.random(in: 0..<100, using: &rng)
                    let offset = roll < 70 ? Int.random(in: 1...interval, using: &rng)
                        : roll < 88 ? interval + Int.random(in: 1...4, using: &rng) : interval + 9
                    let day = anchor + offset
                    let instant = at(day, hour: Int.random(in: 9...18, using: &rng), minute: 5 * Int.random(in: 0...11, using: &rng))
                    guard instant <= ends, instant > served else { break }
                    let outcomeRoll = Int.random(in: 0..<100, using: &rng)
                    let outcome: CheckOutcome = outcomeRoll < 8 ? .notLocated : outcomeRoll < 11 ? .breach : .compliant
                    let (_, breach) = try addCheck(Check(orderID: order.id ?? 0, at: instant, officer: pick(Self.demoOfficers),
                                                  method: pick(CheckMethod.allCases), outcome: outcome,
                                                  note: outcome == .breach ? "respondent seen near the survivor's home" : ""),
                                        on: order, in: tx, now: now)
                    // Most breaches found at a check were answered within a day or two.
                    if let id = breach?.id, instant < now.addingTimeInterval(-4 * 86_400), Int.random(in: 0..<4, using: &rng) > 0 {
                        _ = try closeBreach(id, action: "protocol under art. 461 drawn up; respondent warned",
                                            at: instant.addingTimeInterval(86_400), in: tx, now: now)
                    }
                    if outcome != .notLocated { anchor = day }
                }
                if i % 10 == 6 {
                    let occurred = served.addingTimeInterval(Double(Int.random(in: 1...96, using: &rng)) * 3600)
                    if occurred < ends {
                        let breach = try addBreach(Breach(orderID: order.id ?? 0, occurred: occurred, reported: occurred.addingTimeInterval(1800),
                                                                 reportedBy: "survivor, by phone to the crisis centre",
                                                                 description: "respondent phoned and threatened her"),
                                                      on: order, in: tx, now: now)
                        if i % 20 == 6, let id = breach.id {
                            _ = try closeBreach(id, action: "protocol under art. 461 drawn up", at: min(occurred.addingTimeInterval(86_400), now),
                                                in: tx, now: now)
                        }
                    }
                }
                if let revokedAt, revokedAt < expires {
                    try revoke(number, at: revokedAt, reason: "the court set special requirements instead", in: tx, now: now)
                }
            }
        }
    }
}
