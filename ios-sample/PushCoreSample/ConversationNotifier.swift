import Foundation
import PushCore
#if canImport(UserNotifications)
import UserNotifications
#endif

/// Posts a message the app received itself (the IM connection while in the
/// background) as the core decided: nothing for a suppressed one (a
/// duplicate, a recall, another account, a muted chat, quiet hours with the
/// suppress policy), quietly during show-silently quiet hours, and in its
/// conversation's thread.
///
/// iOS cannot replace a notification with one holding the conversation's
/// last lines as Android's MessagingStyle does: each message stays its own
/// request (so a recall removes exactly it), and `threadIdentifier` stacks
/// a conversation's requests together. `summaryArgument` is ignored since
/// iOS 15, which writes its own summary (see below).
enum ConversationNotifier {
    static func post(_ outcome: ReceivedOutcome) async {
        #if canImport(UserNotifications)
        let handle: NotificationHandle
        let badge: UInt32?
        switch outcome.decision {
        case let .show(shown, shownBadge), let .replace(shown, shownBadge):
            handle = shown
            badge = shownBadge
        case let .suppress(_, suppressedBadge):
            await NotificationLedger.setBadge(suppressedBadge)
            return
        }
        let notification = outcome.notification
        let content = UNMutableNotificationContent()
        content.title = notification.nickname ?? notification.sender ?? ""
        // The cleaned, bounded line the core keeps for this message, when it
        // names a conversation; else the payload's own text.
        let line = outcome.conversation?.post.first?.lines.last
        content.body = line?.text ?? notification.content ?? notification.body ?? ""
        content.userInfo = ["pushcoreDedupKey": outcome.dedupKey]
        if let conversation = outcome.conversation?.post.first {
            // The conversation handle's tag is also the `aps.thread-id` the
            // sending side puts on APNs alerts (docs/outbound.md), so alerts
            // iOS shows itself and notifications posted here share a thread.
            content.threadIdentifier = conversation.handle.tag
            // `summaryArgument` (the sender, for "n more notifications from
            // Bob") and `summaryArgumentCount` are ignored since iOS 15 and
            // deprecated there; this app targets iOS 17, so it leaves them
            // unset. An app supporting iOS 14 would set `summaryArgument`
            // to `line?.senderName` below `if #unavailable(iOS 15)`.
        }
        if outcome.silent {
            // Quiet hours: in Notification Center, no sound, no banner, no wake.
            content.sound = nil
            content.interruptionLevel = .passive
        } else {
            content.sound = .default
        }
        // The request identifier is the handle's tag, so a recall or a read
        // removes it by the same identifier (`NotificationLedger.apply`).
        let request = UNNotificationRequest(identifier: handle.tag, content: content, trigger: nil)
        try? await UNUserNotificationCenter.current().add(request)
        await NotificationLedger.setBadge(badge)
        #endif
    }
}
