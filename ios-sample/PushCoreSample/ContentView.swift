import SwiftUI

/// Log in and out, simulate a kick-out, watch registration, and land on the
/// chat a notification tap opened.
struct ContentView: View {
    let services: PushServices
    @Bindable var router: AppRouter
    @State private var userId = ""
    @Environment(\.scenePhase) private var scenePhase
    @Environment(\.openURL) private var openURL

    var body: some View {
        NavigationStack(path: $router.path) {
            Form {
                Section("IM session") {
                    if let user = services.loggedInUser {
                        LabeledContent("Logged in", value: user)
                        Button("Log out") { Task { await services.logout() } }
                        Button("Simulate kick-out") { Task { await services.simulateKickOut() } }
                    } else {
                        TextField("IM user id", text: $userId)
                            .textInputAutocapitalization(.never)
                            .autocorrectionDisabled()
                        Button("Log in") {
                            let id = userId.trimmingCharacters(in: .whitespaces)
                            guard !id.isEmpty else { return }
                            Task { await services.login(userId: id) }
                        }
                    }
                }
                Section("Push registration") {
                    Text(services.registration)
                }
            }
            .navigationTitle("PushCore sample")
            .navigationDestination(for: Destination.self) { destination in
                switch destination {
                case let .chat(conversationId, title):
                    ChatView(conversationId: conversationId, title: title)
                case let .call(callerId, groupId):
                    Text(groupId.map { "Group call in \($0) from \(callerId)" } ?? "Incoming call from \(callerId)")
                        .navigationTitle("Call")
                }
            }
        }
        .onChange(of: scenePhase) { _, phase in
            if phase == .active { services.appBecameActive() }
        }
        .onChange(of: router.webPage) { _, page in
            guard let page else { return }
            openURL(page)
            router.webPage = nil
        }
    }
}

struct ChatView: View {
    let conversationId: String
    let title: String

    var body: some View {
        Text("Conversation \(conversationId)")
            .navigationTitle(title)
    }
}
