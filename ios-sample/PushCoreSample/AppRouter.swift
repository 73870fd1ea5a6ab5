import Foundation
import Observation
import PushCore

/// The screens a notification tap can open: a closed set, so nothing in a
/// payload can name another destination (push-facts.md section 10).
enum Destination: Hashable, Sendable {
    case chat(conversationId: String, title: String)
    /// The call screen; `groupId` is set for a group call.
    case call(callerId: String, groupId: String?)
}

/// Navigation state, driven by taps and by the UI.
@MainActor
@Observable
final class AppRouter {
    var path: [Destination] = []
    /// An allow-listed web page the core let through, shown in Safari.
    var webPage: URL?

    /// Maps the core's route to a screen. Home pops to the root.
    func open(_ route: Route, title: String?) {
        switch route {
        case let .c2cChat(userId):
            show(.chat(conversationId: "c2c_\(userId)", title: title ?? userId))
        case let .groupChat(groupId):
            show(.chat(conversationId: "group_\(groupId)", title: title ?? groupId))
        case let .call(_, sender, groupId, _, _, _):
            show(.call(callerId: sender, groupId: groupId))
        case let .url(url):
            // The core only returns allow-listed https URLs; check the scheme anyway.
            if let page = URL(string: url), page.scheme == "https" { webPage = page }
        case .home:
            path = []
        }
    }

    /// A second tap on the same chat brings it forward instead of stacking it.
    private func show(_ destination: Destination) {
        if path.last != destination {
            path = [destination]
        }
    }
}
