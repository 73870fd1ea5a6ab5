import Foundation
import os

/// The few IM SDK calls the sample needs, behind a protocol so the sample
/// builds without a real IM SDK. A real app implements it over its IM
/// vendor's SDK, for instance (Tencent Cloud Chat): `setAPNS(config)` with a
/// `V2TIMAPNSConfig(businessID:token:)` for `setAPNsToken`, `setAPNS(nil)`
/// for `clearAPNsToken`, `login` / `logout`, and `V2TIMSDKListener`'s
/// `onKickedOffline` / `onUserSigExpired` for the session listener (which the
/// reference iOS component never handled).
protocol ImSdk: Sendable {
    func login(userId: String, userSig: String) async throws
    func logout() async throws
    func setAPNsToken(businessId: UInt64, token: String) async throws
    func clearAPNsToken() async throws
    /// Who the SDK is logged in as (`TIMManager.getLoginUser()`), if anyone.
    func currentUserId() async -> String?
    func setSessionListener(_ listener: @escaping @Sendable (ImSessionEvent) -> Void)
}

enum ImSessionEvent: Sendable {
    case kickedOffline
    case userSigExpired
}

/// Logs what a real IM SDK would send; enough to watch the flow in Console.
actor FakeImSdk: ImSdk {
    private let log = Logger(subsystem: "dev.pushcore.sample", category: "FakeImSdk")
    private var listener: (@Sendable (ImSessionEvent) -> Void)?
    private var user: String?

    func login(userId: String, userSig: String) async throws {
        log.info("login \(userId.count)-char user")
        user = userId
    }

    func logout() async throws {
        log.info("logout")
        user = nil
    }

    func currentUserId() async -> String? {
        user
    }

    func setAPNsToken(businessId: UInt64, token: String) async throws {
        // Never log the token: it is a long-lived credential.
        log.info("setAPNS(businessID: \(businessId), token: \(String(token.prefix(4)))…)")
    }

    func clearAPNsToken() async throws {
        log.info("setAPNS(nil)")
    }

    nonisolated func setSessionListener(_ listener: @escaping @Sendable (ImSessionEvent) -> Void) {
        Task { await self.store(listener) }
    }

    private func store(_ listener: @escaping @Sendable (ImSessionEvent) -> Void) {
        self.listener = listener
    }

    /// For trying the kick-out path from the sample's UI.
    func simulateKickOut() {
        listener?(.kickedOffline)
    }
}
