import Foundation

/// The files of `Resources/`, embedded in the binary at build time.
public enum ShippedResources {
    /// The rule set of Kazakhstan (`rules/kz.json`).
    public static var kazakhstanRules: Data { Data(PackageResources.kz_json) }

    /// The parts of one language's catalog (`strings/<language>.<part>.json`): the words of
    /// the rules' facts, of the screens and of the command line.
    public static func strings(_ language: String) -> [Data] {
        stringBytes(language).map { Data($0) }
    }

    /// The same parts as their bytes, as embedded (no copy into `Data`).
    public static func stringBytes(_ language: String) -> [[UInt8]] {
        switch language {
        case "ru": [PackageResources.ru_facts_json, PackageResources.ru_screens_json, PackageResources.ru_cli_json]
        case "kk": [PackageResources.kk_facts_json, PackageResources.kk_screens_json, PackageResources.kk_cli_json]
        default: [PackageResources.en_facts_json, PackageResources.en_screens_json, PackageResources.en_cli_json]
        }
    }
}
