import Foundation

extension OrderStore {
    /// A report the screens write to a file (the Violations list as CSV) is audited as an export is, and
    /// only supervisors may make one: a refusal is recorded as a refusal; otherwise an `export` entry
    /// naming the file (its name only, not the folder) is made before the file is written.
    public func recordReportExport(to name: String, now: Date) throws {
        try require(.export, now: now)
        try backend.recordEvent(.exported(to: name), now: now)
    }

    /// A report export recorded but not written whole: recorded as a failed export.
    public func recordReportExportFailed(now: Date) {
        try? backend.recordEvent(.exportFailed, now: now)
    }
}
