import Foundation
import PushCore
#if canImport(UserNotifications)
import UserNotifications
#endif

/// Applies the core's ledger answers to the device: removes delivered
/// notifications by their request identifier (the handle's `tag`) and sets
/// the app icon badge. The core decides; this only acts.
enum NotificationLedger {
    /// A recall, a conversation read elsewhere, a swipe-away.
    static func apply(_ change: LedgerChange) async {
        await remove(change.remove.map(\.tag))
        await setBadge(change.badge)
    }

    /// A decision's or a tap's badge; `nil` (the ledger was unavailable)
    /// leaves the badge as it is.
    static func setBadge(_ badge: UInt32?) async {
        #if canImport(UserNotifications)
        guard let badge else { return }
        // iOS 16+: setBadgeCount replaces the deprecated applicationIconBadgeNumber.
        try? await UNUserNotificationCenter.current().setBadgeCount(Int(badge))
        #endif
    }

    private static func remove(_ identifiers: [String]) async {
        #if canImport(UserNotifications)
        guard !identifiers.isEmpty else { return }
        let center = UNUserNotificationCenter.current()
        center.removeDeliveredNotifications(withIdentifiers: identifiers)
        // Removal is asynchronous and has no completion; asking for the
        // delivered list afterwards lets it land before a short-lived
        // process (a Notification Service Extension) exits.
        _ = await center.deliveredNotifications()
        #endif
    }
}
