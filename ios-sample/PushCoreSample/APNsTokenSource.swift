import Foundation
import PushCore

/// Bridges UIKit's token callbacks (on the main thread) to the core's async
/// `requestToken`. The last token is remembered, so a callback that lands
/// before anyone waits is not lost; a token that arrives while nobody waits
/// is also passed to the refresh handler (the core reports a changed token
/// once and ignores an unchanged one).
///
/// `@unchecked Sendable`: all mutable state is guarded by `lock`, and each
/// continuation is resumed outside it, exactly once.
final class APNsTokenSource: @unchecked Sendable {
    private let lock = NSLock()
    private var waiter: CheckedContinuation<String, Error>?
    private var latest: String?
    private var onRefresh: (@Sendable (String) -> Void)?

    func setRefreshHandler(_ handler: @escaping @Sendable (String) -> Void) {
        lock.withLock { onRefresh = handler }
    }

    /// The known token, or the next one UIKit delivers. The core cancels the
    /// call when its deadline passes; the waiter is then failed so the
    /// continuation never leaks. A newer caller supersedes an older one.
    func next() async throws -> String {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                let (known, previous) = lock.withLock { () -> (String?, CheckedContinuation<String, Error>?) in
                    let previous = waiter
                    waiter = latest == nil ? continuation : nil
                    return (latest, previous)
                }
                previous?.resume(throwing: PushError.Platform(reason: "superseded by a newer token request"))
                if let known {
                    continuation.resume(returning: known)
                }
            }
        } onCancel: {
            self.fail("token request cancelled")
        }
    }

    func deliver(_ token: String) {
        let (waiting, refresh) = lock.withLock { () -> (CheckedContinuation<String, Error>?, (@Sendable (String) -> Void)?) in
            let waiting = waiter
            waiter = nil
            latest = token
            return (waiting, waiting == nil ? onRefresh : nil)
        }
        waiting?.resume(returning: token)
        refresh?(token)
    }

    func fail(_ reason: String) {
        let waiting = lock.withLock { () -> CheckedContinuation<String, Error>? in
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(throwing: PushError.Platform(reason: reason))
    }

    /// After unregistering, the old token must not be handed out again.
    func reset() {
        lock.withLock { latest = nil }
    }
}
