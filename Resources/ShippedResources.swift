import Foundation

/// The files of `Resources/`, embedded in the binary at build time.
public enum ShippedResources {
    /// The rule set of Kazakhstan (`rules/kz.json`).
    public static var kazakhstanRules: Data { Data(PackageResources.kz_json) }
    /// The English string catalog (`strings/en.json`).
    public static var englishStrings: Data { Data(PackageResources.en_json) }
}
