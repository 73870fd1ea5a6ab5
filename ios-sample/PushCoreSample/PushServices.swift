import Foundation
import Observation
import os
import PushCore
import UserNotifications

/// Owns the process's one `PushCore` and wires it to APNs (platform), the IM
/// SDK (reporter), the UI (state stream) and the router (taps).
@MainActor
@Observable
final class PushServices {
    private(set) var registration = "not started"
    private(set) var loggedInUser: String?

    @ObservationIgnored let tokens = APNsTokenSource()
    @ObservationIgnored private let core: PushCore?
    @ObservationIgnored private let im: any ImSdk = FakeImSdk()
    @ObservationIgnored private let router: AppRouter
    @ObservationIgnored private let log = Logger(subsystem: "dev.pushcore.sample", category: "push")

    private static let savedUserKey = "pushcore.sample.user"

    init(router: AppRouter) {
        self.router = router
        do {
            guard let url = Bundle.main.url(forResource: "example-config", withExtension: "json") else {
                throw PushError.InvalidInput(reason: "example-config.json is not in the app bundle")
            }
            let config = try pushConfigFromJson(json: String(contentsOf: url, encoding: .utf8))
            let storage = URL.applicationSupportDirectory.appending(path: "pushcore").path(percentEncoded: false)
            core = try PushCore(config: config, storageDir: storage)
        } catch {
            core = nil
            registration = "PushCore unavailable: \(error)"
        }
        loggedInUser = UserDefaults.standard.string(forKey: Self.savedUserKey)
    }

    /// Asks for notification permission, starts registration and resumes the
    /// saved session (an unchanged token is not re-reported).
    func start() {
        guard let core else { return }
        let tokens = tokens
        let im = im
        Task {
            _ = try? await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .badge, .sound])
            let platform = ApplePushPlatform(device: await ApplePushPlatform.snapshot(), tokens: tokens)
            do {
                try core.startRegistration(
                    platform: platform,
                    reporter: ImTokenReporter(im: im),
                    listener: nil
                )
            } catch {
                registration = "registration not started: \(error)"
                return
            }
            observeRegistration(core)
            tokens.setRefreshHandler { token in
                try? core.onNewToken(channel: .apns, token: token)
            }
            im.setSessionListener { event in
                // The session is gone on the server: the core stops without
                // trying to clear the token through it.
                let reason: LogoutReason = event == .kickedOffline ? .kickedOffline : .signatureExpired
                try? core.logout(reason: reason)
            }
            if let user = loggedInUser {
                try? core.login(userId: user)
            }
        }
    }

    /// The status line follows the core's state stream (its own
    /// subscription, on the main actor).
    private func observeRegistration(_ core: PushCore) {
        Task { [weak self] in
            for await state in core.registrationStates() {
                guard let self else { return }
                self.registration = Self.describe(state)
            }
        }
    }

    private static func describe(_ state: RegistrationState) -> String {
        var text = "\(state.phase)" + (state.channel.map { " via \($0)" } ?? "")
        if let error = state.lastError {
            text += "; last error: \(error.phase) (\(error.code)), retry: \(error.willRetry)"
        }
        return text
    }

    func login(userId: String) async {
        guard let core else { return }
        do {
            try await im.login(userId: userId, userSig: "sig-from-your-server")
            try core.login(userId: userId)
            loggedInUser = userId
            UserDefaults.standard.set(userId, forKey: Self.savedUserKey)
        } catch {
            log.error("login failed: \(String(describing: error))")
        }
    }

    /// Proactive logout: the token is cleared through the IM SDK while the
    /// session still exists, then the IM SDK logs out.
    func logout() async {
        guard let core else { return }
        do {
            try core.logout(reason: .proactive)
            _ = try await core.waitUntilSettled(timeout: 10.0)
        } catch {
            log.warning("push clear did not finish: \(String(describing: error))")
        }
        try? await im.logout()
        loggedInUser = nil
        UserDefaults.standard.removeObject(forKey: Self.savedUserKey)
    }

    func appBecameActive() {
        try? core?.onAppForeground()
    }

    func apnsTokenArrived(_ token: String) {
        tokens.deliver(token)
    }

    func apnsRegistrationFailed(_ reason: String) {
        tokens.fail(reason)
    }

    /// A tap, in one call into the core (`handleTap`): it detects the channel
    /// from the payload, parses it, records it as clicked and routes it. An
    /// unusable payload opens the home screen, never crashes. A tap on another
    /// account's notification (or while logged out) routes home.
    ///
    /// As on Android, a tap handled before (the same notification delivered
    /// twice) still opens its screen, which the router only brings forward;
    /// one-time side effects, such as "opened" analytics, belong to a fresh
    /// tap only.
    func handleTap(_ input: ClickInput?) {
        guard let core else { return }
        let outcome: TapOutcome
        do {
            guard let input else { throw PushError.InvalidInput(reason: "userInfo is not JSON") }
            outcome = try core.handleTap(input: input)
        } catch {
            let code = (error as? PushError)?.code ?? "unknown"
            log.warning("tap rejected (\(code)): \(String(describing: error))")
            router.open(.home, title: nil)
            return
        }
        let notification = outcome.notification
        if notification.newerVersion {
            log.info("tap from a newer entity version \(notification.version)")
        }
        // A broken store must not block navigation (dedup is nil): the core
        // logged why, and the tap counts as the first one.
        if case .duplicate? = outcome.dedup {
            log.info("tap handled before: bringing its screen forward")
        }
        router.open(outcome.route, title: notification.nickname)
        let badge = outcome.badge
        Task { await NotificationLedger.setBadge(badge) }
    }

    /// The IM SDK reported a recall (`onRecvMessageRevoked`): the shown
    /// notification goes, and a late APNs copy will be suppressed.
    func messageRecalled(messageId: String) {
        guard let core else { return }
        do {
            let change = try core.onMessageRecalled(messageId: messageId)
            Task { await NotificationLedger.apply(change) }
        } catch {
            log.warning("recall not applied: \(String(describing: error))")
        }
    }

    /// The conversation was read on another device (the IM SDK's read
    /// receipt or conversation-changed callback, with the last read time).
    func conversationRead(conversationId: String, upToMs: Int64) {
        guard let core else { return }
        do {
            let change = try core.onConversationRead(conversationId: conversationId, readUpToMs: upToMs)
            Task { await NotificationLedger.apply(change) }
        } catch {
            log.warning("read not applied: \(String(describing: error))")
        }
    }

    /// An APNs alert about to be presented while the app runs: the core
    /// decides (a duplicate, a recalled message, another account's push,
    /// one after logout, a muted chat or quiet hours with the suppress
    /// policy is not presented), and a shown one is recorded under the
    /// system's identifier so a recall or read can remove it. Quiet hours
    /// with the show-silently policy present it in the list only: no
    /// banner, no sound.
    func presentation(_ input: ClickInput, identifier: String) -> Presentation {
        guard let core else { return .normal }
        do {
            let outcome = try core.handleReceived(input: input, source: "apns-foreground")
            if case let .suppress(reason, badge) = outcome.decision {
                log.info("not presenting: \(String(describing: reason))")
                Task { await NotificationLedger.setBadge(badge) }
                return .hidden
            }
            let change = try core.notificationShown(
                notification: outcome.notification,
                handle: NotificationHandle(tag: identifier, id: 0),
                source: "apns-foreground"
            )
            Task { await NotificationLedger.apply(change) }
            guard change.remove.isEmpty else { return .hidden }
            return outcome.silent ? .silent : .normal
        } catch {
            // Losing a message is worse than showing it twice.
            log.warning("presenting without the core: \(String(describing: error))")
            return .normal
        }
    }

    /// How a received alert is presented (`presentation(_:identifier:)`).
    enum Presentation: Sendable {
        case normal, silent, hidden
    }

    /// A message from the IM connection while the app is in the background:
    /// posted as a local notification in its conversation's thread, as the
    /// core decides (`ConversationNotifier`).
    func imMessageReceived(_ input: ClickInput) {
        guard let core else { return }
        do {
            let outcome = try core.handleReceived(input: input, source: "im-online")
            Task { await ConversationNotifier.post(outcome) }
        } catch {
            log.warning("IM message not posted: \(String(describing: error))")
        }
    }

    /// The chat screen's "mute" switch: `until` nil mutes until unmuted.
    /// Every process sharing the storage directory (a Notification Service
    /// Extension in the App Group) applies it.
    func setMuted(conversationId: String, until: Date?) {
        guard let core else { return }
        let untilMs = until.map { Int64($0.timeIntervalSince1970 * 1000) }
        do {
            try core.setConversationMuted(conversationId: conversationId, untilMs: untilMs)
        } catch {
            log.warning("mute not stored: \(String(describing: error))")
        }
    }

    /// Settings' quiet hours, in the device's current time zone (the core
    /// follows that zone's DST changes). `nil` clears them.
    func setQuietHours(from start: DateComponents?, to end: DateComponents?) {
        guard let core else { return }
        do {
            guard let start, let end else {
                try core.clearQuietHours()
                return
            }
            let minute = { (c: DateComponents) in UInt32((c.hour ?? 0) * 60 + (c.minute ?? 0)) }
            try core.setQuietHours(hours: QuietHours(
                startMinute: minute(start),
                endMinute: minute(end),
                timezone: TimeZone.current.identifier,
                policy: .showSilently
            ))
        } catch {
            log.warning("quiet hours not stored: \(String(describing: error))")
        }
    }

    func simulateKickOut() async {
        await (im as? FakeImSdk)?.simulateKickOut()
    }
}
