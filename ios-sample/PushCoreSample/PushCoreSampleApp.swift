import SwiftUI

@main
struct PushCoreSampleApp: App {
    // UIKit still owns remote-notification registration and the
    // notification-center delegate; the adaptor gives SwiftUI one.
    @UIApplicationDelegateAdaptor(AppDelegate.self) private var appDelegate

    var body: some Scene {
        WindowGroup {
            ContentView(services: appDelegate.services, router: appDelegate.router)
        }
    }
}
