import Wording
import Terminal

/// `?`: the keys of the current screen, then the keys that work everywhere.
enum HelpScreen {
    static func draw(on canvas: Canvas, in body: Rect, screen: ScreenID, app: MonitorApp) {
        let name: String = switch screen {
        case .today: "today"
        case .orders: "orders"
        case .checkIn: "checkIn"
        case .violations: "violations"
        case .order: "order"
        }
        var y = body.top + 1
        canvas.put(app.text("help.title.\(name)"), row: y, col: 2, style: .header, width: body.cols - 4)
        y += 2
        for key in ["help.\(name)", "help.global"] {
            for line in app.text(key).split(separator: "\n", omittingEmptySubsequences: false) where y < body.top + body.rows {
                canvas.put(String(line), row: y, col: 4, style: .normal, width: body.cols - 6)
                y += 1
            }
            y += 1
        }
        canvas.put(app.text("help.close"), row: min(y, body.top + body.rows - 1), col: 2, style: .dim, width: body.cols - 4)
    }
}
