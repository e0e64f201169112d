import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file that holds one account's secret (a key file, the screen lock's PIN): a regular file, not a symbolic
/// link, owned by the account running the program and readable by it alone. The path is looked at with
/// `lstat`, opened with `O_NOFOLLOW`, and the file opened is checked again with `fstat`: what is read is what
/// was checked, even if the path is changed in between.
public enum OwnFile {
    /// Why such a file is refused (or cannot be read).
    public enum Problem: Error, Equatable, Sendable {
        /// Nothing at the path.
        case missing
        case unreadable
        /// A symbolic link (seen by `lstat`, or by `O_NOFOLLOW` when it became one since), whatever it points at:
        /// whoever may change the link chooses what is read.
        case symlink
        /// A folder, a device, a pipe.
        case notAFile
        /// Owned by another account (`owner` its name, or `uid N`) than the one running the program.
        case ownedByOther(owner: String, account: String)
        /// `mode` as `chmod` takes it ("0604").
        case readableByAll(mode: String)
        case readableByGroup(mode: String)
        /// Writable or executable by others than its owner.
        case unsafe
    }

    /// The bytes of the file at `path`, after the checks; more than `limit` bytes is `unreadable`.
    public static func read(_ path: String, limit: Int) throws(Problem) -> [UInt8] {
        var seen = stat()
        guard lstat(path, &seen) == 0 else { throw errno == ENOENT ? .missing : .unreadable }
        if seen.st_mode & S_IFMT == S_IFLNK { throw .symlink }
        let fd = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw errno == ELOOP ? .symlink : errno == ENOENT ? .missing : .unreadable }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable }
        try check(info)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= limit {
            let n = Glibc.read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .unreadable }
            if n == 0 { break }
            bytes += chunk[0..<n]
        }
        guard bytes.count <= limit else { throw .unreadable }
        return bytes
    }

    /// Why the opened file described by `info` may not be used, if it may not: not a regular file, another
    /// account's, readable by every account, by its group, or writable (or executable) by others.
    public static func check(_ info: stat) throws(Problem) {
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notAFile }
        if info.st_uid != geteuid() { throw .ownedByOther(owner: accountName(info.st_uid), account: currentAccount()) }
        let mode = String(format: "%04o", info.st_mode & 0o7777)
        if info.st_mode & S_IROTH != 0 { throw .readableByAll(mode: mode) }
        if info.st_mode & S_IRGRP != 0 { throw .readableByGroup(mode: mode) }
        guard info.st_mode & 0o077 == 0 else { throw .unsafe }
    }

    /// The operating-system account running the program.
    public static func currentAccount() -> String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid-\(geteuid())"
    }

    /// The name of the account `uid`, else `uid N`.
    public static func accountName(_ uid: uid_t) -> String {
        if let pw = getpwuid(uid), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(uid)"
    }
}
