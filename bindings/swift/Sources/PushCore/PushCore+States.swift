// Hand-written: the registration state as an `AsyncStream`, over the
// generated `addListener`. Each stream is its own core subscription, ended
// when the consuming task is cancelled or the stream is dropped.

import Foundation

extension PushCore {
    /// The current registration state first, then every change in order.
    /// Cancelling the consuming task (or dropping the stream) unsubscribes.
    ///
    /// A consumer that falls far behind holds up only itself: the stream
    /// and the core each keep its newest 64 states and drop older ones, so
    /// the last state it sees is always the current one. Before
    /// `startRegistration` the stream yields the logged-out state and
    /// finishes; after `shutdown` it yields `.shutDown` and nothing more.
    public func registrationStates() -> AsyncStream<RegistrationState> {
        AsyncStream(bufferingPolicy: .bufferingNewest(64)) { continuation in
            let forwarder = RegistrationStateForwarder(continuation: continuation)
            do {
                let handle = try addListener(listener: forwarder)
                continuation.onTermination = { _ in handle.unsubscribe() }
            } catch {
                continuation.yield(registrationState())
                continuation.finish()
            }
        }
    }
}

/// Called by the core on its delivery threads, never on its own: yielding
/// into the continuation is all it does.
final class RegistrationStateForwarder: PushListener, Sendable {
    private let continuation: AsyncStream<RegistrationState>.Continuation

    init(continuation: AsyncStream<RegistrationState>.Continuation) {
        self.continuation = continuation
    }

    func onStateChanged(state: RegistrationState) {
        continuation.yield(state)
    }

    func onError(error: RegistrationError) {}
}
