import Foundation
import OrderStore
import Terminal

/// Runs the interface on the real terminal until the person quits. All curses calls stay on
/// this thread; the terminal is restored on every exit (the driver also restores it on signals).
public enum MonitorLoop {
    public static func run(store: OrderStore, clock: @escaping () -> Date, lockAfter: TimeInterval) throws(TerminalError) {
        let screen = try TerminalScreen.open()
        defer { screen.close() }
        let app = MonitorApp(store: store, clock: clock, lockAfter: lockAfter)
        var lastTick = clock()
        while !app.wantsQuit {
            app.draw(on: screen)
            screen.present()
            // A second without a key is when other terminals' writes and the new day are looked for.
            if let key = screen.readKey(timeoutMilliseconds: 1000) {
                app.handle(key)
            }
            if clock().timeIntervalSince(lastTick) >= 1 {
                app.tick()
                lastTick = clock()
            }
        }
    }
}
