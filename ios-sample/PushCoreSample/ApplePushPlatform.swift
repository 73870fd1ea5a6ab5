import Foundation
import PushCore
import UIKit
import UserNotifications

/// The core's `PushPlatform` on iOS: device facts (an iPhone always uses
/// APNs; what matters is the APNs environment, which picks the business id)
/// and the APNs token.
///
/// Every stored property is an immutable Sendable value, so the class is
/// Sendable without locks; the core calls it from its own thread.
final class ApplePushPlatform: PushPlatform, Sendable {
    private let tokens: APNsTokenSource
    private let device: DeviceSnapshot

    /// Values read on the main actor at start-up (UIDevice is main-actor
    /// isolated; `deviceInfo()` is called on the core's thread).
    struct DeviceSnapshot: Sendable {
        let model: String
        let systemVersion: String
        let notificationsEnabled: Bool
    }

    init(device: DeviceSnapshot, tokens: APNsTokenSource) {
        self.device = device
        self.tokens = tokens
    }

    @MainActor
    static func snapshot() async -> DeviceSnapshot {
        let enabled = await notificationsAuthorized()
        return DeviceSnapshot(
            model: UIDevice.current.model,
            systemVersion: UIDevice.current.systemVersion,
            notificationsEnabled: enabled
        )
    }

    /// Not main-actor isolated, so the non-Sendable settings object never
    /// crosses to the main actor; only the Bool does.
    static func notificationsAuthorized() async -> Bool {
        let status = await UNUserNotificationCenter.current().notificationSettings().authorizationStatus
        return status == .authorized || status == .provisional || status == .ephemeral
    }

    func deviceInfo() throws -> DeviceInfo {
        DeviceInfo(
            os: .ios,
            brand: "apple",
            manufacturer: "apple",
            model: device.model,
            sdkInt: 0,
            osVersion: device.systemVersion,
            romProperties: [:],
            playServicesAvailable: false,
            hmsAvailable: false,
            vendorSupport: [],
            notificationsEnabled: device.notificationsEnabled,
            apnsEnvironment: Self.apnsEnvironment
        )
    }

    /// Must match the `aps-environment` entitlement the build is signed with:
    /// reporting a sandbox token with the production business id (or the
    /// reverse) makes every push fail silently.
    static var apnsEnvironment: ApnsEnvironment {
        #if DEBUG
        .development
        #else
        .production
        #endif
    }

    func requestToken(channel: PushChannel, credentials: VendorCredentials) async throws -> String {
        guard channel == .apns else {
            throw PushError.Platform(reason: "iOS has no \(channel) push")
        }
        await MainActor.run { UIApplication.shared.registerForRemoteNotifications() }
        return try await tokens.next()
    }

    func unregister(channel: PushChannel) async throws {
        tokens.reset()
        await MainActor.run { UIApplication.shared.unregisterForRemoteNotifications() }
    }
}
