import PushCore
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
    // is not Sendable: turn the payload into the core's ClickInput (a
    // Sendable value) where it arrives, and cross to the main actor with that.

    nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter,
        didReceive response: UNNotificationResponse
    ) async {
        // `nil` when userInfo cannot be represented as JSON: the app opens home.
        let input = try? ClickInput.fromIOS(userInfo: response.notification.request.content.userInfo)
        await handleTap(input)
    }

    nonisolated func userNotificationCenter(
        _ center: UNUserNotificationCenter,
        willPresent notification: UNNotification
    ) async -> UNNotificationPresentationOptions {
        let identifier = notification.request.identifier
        guard let input = try? ClickInput.fromIOS(userInfo: notification.request.content.userInfo) else {
            return [.banner, .list, .sound]
        }
        switch await presentation(input, identifier: identifier) {
        case .normal: return [.banner, .list, .sound]
        case .silent: return [.list]
        case .hidden: return []
        }
    }

    private func presentation(_ input: ClickInput, identifier: String) -> PushServices.Presentation {
        services.presentation(input, identifier: identifier)
    }

    private func handleTap(_ input: ClickInput?) {
        services.handleTap(input)
    }
}
