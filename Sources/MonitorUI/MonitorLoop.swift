import Wording
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OrderStore
import Terminal

/// Runs the interface on the real terminal until the person quits. All curses calls stay on
/// this thread; the terminal is restored on every exit (the driver also restores it on signals).
public enum MonitorLoop {
    /// `words` is the language the person chose (`--lang`, `QORGAU_LANG`, the locale); `lockedBecause`, why
    /// survivor data could not be opened as the screens started (said under the first screen); `pinFile`, the PIN
    /// that opens the idle lock of a role without a passphrase; `pageSize`, how many orders the Orders screen reads at a
    /// time (nil: its own). Returns why the program ended of itself (the lock
    /// answered wrongly too often), to be said once the terminal is restored.
    @discardableResult
    public static func run(store: OrderStore, clock: @escaping () -> Date, words: Words = .english,
                           lockAfter: TimeInterval, lockedBecause: String? = nil, pinFile: PinFile? = nil,
                           pageSize: Int? = nil) throws(TerminalError) -> String? {
        let screen = try TerminalScreen.open()
        defer { screen.close() }
        let app = MonitorApp(store: store, clock: clock, words: words, lockAfter: lockAfter, pinFile: pinFile, pageSize: pageSize)
        if let lockedBecause { app.say(words.text("ui.lockedBecause", ["reason": lockedBecause]), style: .warning) }
        // On a server, another site's write arrives as a notification: wait on it and on the keyboard at once.
        let feed = try? store.backend.changeFeed()
        var lastTick = clock()
        while !app.wantsQuit {
            app.draw(on: screen)
            screen.present()
            if let feed {
                if waitForKeyOrFeed(feed, milliseconds: 1000), feed.drain() {
                    app.tick()
                    lastTick = clock()
                }
                // Every key that arrived (a paste brings many at once), then draw again.
                while !app.wantsQuit, let key = screen.readKey(timeoutMilliseconds: 0) {
                    app.handle(key, size: screen.size)
                }
            } else if let key = screen.readKey(timeoutMilliseconds: 1000) {
                // A second without a key is when other terminals' writes and the new day are looked for.
                app.handle(key, size: screen.size)
            }
            if clock().timeIntervalSince(lastTick) >= 1 {
                app.tick()
                lastTick = clock()
            }
        }
        return app.endedBecause
    }

    /// Waits until the keyboard or the feed has something, at most `milliseconds`; true when the feed does.
    private static func waitForKeyOrFeed(_ feed: any ChangeFeed, milliseconds: Int32) -> Bool {
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: feed.fileDescriptor, events: Int16(POLLIN), revents: 0)]
        guard poll(&fds, nfds_t(fds.count), milliseconds) > 0 else { return false }
        return fds[1].revents != 0
    }
}
