import UIKit
import UserNotifications

/// Registers for remote notifications, forwards the APNs token to the core,
/// and hands every notification tap's `userInfo` to the core.
@MainActor
final class AppDelegate: NSObject, UIApplicationDelegate, UNUserNotificationCenterDelegate {
    let router: AppRouter
    let services: PushServices

    override init() {
        router = AppRouter()
        services = PushServices(router: router)
        super.init()
    }

    func application(
        _ application: UIApplication,
        didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]? = nil
    ) -> Bool {
        // Set before launch finishes, or the tap that launched the app is lost.
        UNUserNotificationCenter.current().delegate = self
        services.start()
        return true
    }

    func application(_ application: UIApplication, didRegisterForRemoteNotificationsWithDeviceToken deviceToken: Data) {
        services.apnsTokenArrived(deviceToken.map { String(format: "%02x", $0) }.joined())
    }

    func application(_ application: UIApplication, didFailToRegisterForRemoteNotificationsWithError error: Error) {
        services.apnsRegistrationFailed(error.localizedDescription)
    }

    // MARK: UNUserNotificationCenterDelegate
    //
    // These requirements are not main-actor isolated, and UNNotificationResponse
    // is not Sendable: read the payload where it arrives, as JSON text, and
    // cross to the main actor with only that String.

    nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter,
        didReceive response: UNNotificationResponse
    ) async {
        let userInfoJson = Self.json(response.notification.request.content.userInfo)
        await handleTap(userInfoJson: userInfoJson)
    }

    nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter,
        willPresent notification: UNNotification
    ) async -> UNNotificationPresentationOptions {
        [.banner, .list, .sound]
    }

    private func handleTap(userInfoJson: String) {
        services.handleTap(userInfoJson: userInfoJson)
    }

    /// APNs payloads are JSON, so `userInfo` always serializes; anything else
    /// becomes `{}`, which the core rejects as carrying no push payload (and
    /// the app then simply opens at home).
    nonisolated static func json(_ userInfo: [AnyHashable: Any]) -> String {
        guard JSONSerialization.isValidJSONObject(userInfo),
              let data = try? JSONSerialization.data(withJSONObject: userInfo),
              let text = String(data: data, encoding: .utf8)
        else { return "{}" }
        return text
    }
}
