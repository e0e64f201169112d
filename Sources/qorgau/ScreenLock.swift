import Foundation
import OrderStore

extension Context {
    /// The PIN that opens the idle lock of the screens for a role without a passphrase (a liaison): this account's
    /// `$XDG_CONFIG_HOME/qorgau/pin`, else `~/.config/qorgau/pin` (none yet: the screens ask for one first). A file
    /// that is not the account's own is refused before the screens open. Nil for a role that may open survivor
    /// data: its lock asks for the passphrase.
    func lockPinFile() throws -> PinFile? {
        guard !store.user.role.may(.viewSurvivor) else { return nil }
        let path = PinFile.path(xdgConfigHome: ProcessInfo.processInfo.environment["XDG_CONFIG_HOME"], home: Context.homeDirectory())
        return try PinFile(path: path)
    }
}
