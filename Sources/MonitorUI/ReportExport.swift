import Foundation
import OrderStore
import Terminal
import Wording
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A list as a screen shows it, to be saved to a CSV file (`e` on Violations): the same columns and
/// header words as the command line's `--format csv` of the same list.
struct Report: Equatable {
    var headers: [String]
    var rows: [[String]]
    /// The file name the form offers, in the current directory.
    var suggestedName: String

    var csv: String { CSV.render(headers: headers, rows: rows) }
}

/// The form that asks where to save a report.
enum SaveReportForm {
    static func make(_ report: Report, context: ScreenContext) -> Form {
        Form(title: context.words.count("ui.saveReport.title", report.rows.count), fields: [
            .init(label: context.text("field.file"), kind: .text, value: report.suggestedName),
        ])
    }

    static func submit(_ form: inout Form, report: Report, context: ScreenContext) -> Command? {
        guard let path = form.required(0, context: context) else { return nil }
        return .saveReport(report, path: path.trimmingCharacters(in: .whitespaces), replace: false)
    }
}

extension MonitorApp {
    /// Saves a report where the form says: an existing file is replaced only once the person said so
    /// (the question goes back to the form otherwise). The export is audited before the file is written
    /// (`OrderStore.recordReportExport`: supervisors only); the file is written whole or not at all, mode
    /// 0600. "Saved N rows to PATH", or why not beside the form, which stays open to choose another name.
    func saveReport(_ report: Report, path typed: String, replace: Bool, from form: (Form, FormPurpose)?) {
        let path = PrivateFile.resolve(typed)
        let back = form.map { Modal.form($0.0, $0.1) }
        if !replace && PrivateFile.exists(path) {
            modal = .question(Question(kind: .replaceFile(report, path: typed),
                                       text: text("saveReport.exists", ["path": path]) + "\n" + text("saveReport.existsKeys"),
                                       back: back))
            return
        }
        do {
            try store.recordReportExport(to: (path as NSString).lastPathComponent, now: clock())
            do {
                try PrivateFile.save(Data(report.csv.utf8), to: path, replace: replace)
            } catch {
                store.recordReportExportFailed(now: clock())
                throw error
            }
            modal = nil
            // Where it went in full, or as typed when the full path would not fit on the line.
            let full = words.count("ui.saveReport.saved", report.rows.count, ["path": path])
            flash = (TextWidth.width(of: full) <= lastSize.cols - 2 ? full
                : words.count("ui.saveReport.saved", report.rows.count, ["path": typed]), .ok)
        } catch {
            if case (var shown, let purpose)? = form {
                shown.show(error, words: words)
                modal = .form(shown, purpose)
            } else {
                modal = nil
                flash = (describe(error), .error)
            }
        }
    }
}

/// A file of the account's own, written whole or not at all.
enum PrivateFile {
    /// A path as typed: `~` is the home folder, a relative path is in the current directory.
    static func resolve(_ typed: String) -> String {
        let expanded = (typed as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded)
    }

    /// Whether anything is at `path`, a dangling symbolic link included.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Writes `data` to `path`, mode 0600: into a new file beside it (readable by its owner only), synced
    /// to the disk, then put in place in one step. Without `replace`, an existing file is refused
    /// (`StoreError.alreadyExists`), even one made meanwhile; with it, it is replaced. On any failure
    /// nothing is left behind and `path` is as it was.
    static func save(_ data: Data, to path: String, replace: Bool) throws {
        func failure(_ code: Int32 = errno) -> StoreError {
            code == EEXIST ? .alreadyExists(path: path) : .cannotCreate(path: path, reason: String(cString: strerror(code)))
        }
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/." + name + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw failure() }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var placed = false
        defer {
            if !placed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            guard fchmod(fd, 0o600) == 0 else { throw failure() }
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw failure()
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else { throw failure() }
        }
        if replace {
            guard rename(temporary, path) == 0 else { throw failure() }
        } else {
            // A hard link is made only where nothing is: never over a file made since the question.
            // Where the file system makes no hard links, the check just made stands in for it.
            if link(temporary, path) != 0 {
                guard errno == EPERM || errno == EOPNOTSUPP, !exists(path) else { throw failure() }
                guard rename(temporary, path) == 0 else { throw failure() }
            } else {
                unlink(temporary)
            }
        }
        placed = true
    }
}
