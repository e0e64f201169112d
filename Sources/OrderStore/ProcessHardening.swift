import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the process does to itself before survivor data is opened in its memory.
public enum ProcessHardening {
    /// No core file for the rest of this process: the core-file limit (the soft one, which is what the kernel
    /// applies) is set to 0, and the process is marked not dumpable, which makes the kernel refuse a core
    /// file whatever the limit (and keeps `/proc/PID/mem` and ptrace from other processes of the account that
    /// are not its parent). The hard limit is left as it was: nothing here raises the soft one again, and
    /// lowering the hard one too would bind every program this process starts, which the kernel then lets
    /// no unprivileged account undo. Done once, the first time a session is unlocked; harmless when repeated.
    public static func forbidCoreDumps() {
        once.run()
    }

    /// What `forbidCoreDumps` leaves, as the kernel reports it: the core-file limit (soft, hard) and the dumpable flag.
    public static func state() -> (softLimit: UInt64, hardLimit: UInt64, dumpable: Int32) {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max), prctl(getDumpable, 0))
    }

    private static let once = Once {
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_CORE.rawValue), &limit) != 0 { limit.rlim_max = 0 }
        limit.rlim_cur = 0
        _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
        _ = prctl(setDumpable, 0)
    }

    /// `PR_GET_DUMPABLE` and `PR_SET_DUMPABLE` of `<linux/prctl.h>`.
    private static let getDumpable: Int32 = 3, setDumpable: Int32 = 4

    /// `prctl(option, argument, 0, 0, 0)`. Swift does not import C's variadic `prctl`, so glibc's is looked
    /// up and called with its five arguments spelled out (on Linux's calling conventions a variadic
    /// function takes whole-number arguments exactly as a fixed one does); -1 when it is not there.
    private static func prctl(_ option: Int32, _ argument: UInt) -> Int32 {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return -1 }
        return unsafeBitCast(symbol, to: Prctl.self)(option, argument, 0, 0, 0)
    }
}

/// Runs its work the first time `run` is called, from any thread.
private final class Once: Sendable {
    private let work: @Sendable () -> Void
    private let lock = NSLock()
    nonisolated(unsafe) private var done = false

    init(_ work: @escaping @Sendable () -> Void) { self.work = work }

    func run() {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        work()
    }
}
