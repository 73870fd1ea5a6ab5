// Hand-written conveniences over the generated waits: take a Swift
// `Duration` (iOS 16 / macOS 13 and later) or a `TimeInterval` instead of
// milliseconds. Never await a wait from inside a `PushListener` callback
// (it runs on the core's thread): it fails at once with
// `PushError.InvalidState` instead of waiting for itself.

import Foundation

extension PushCore {
    /// Every registration call made before it is applied and settled (no
    /// report or clear of an ended session still running).
    public func waitUntilSettled(timeout: TimeInterval) async throws -> RegistrationState {
        try await waitUntilSettled(timeoutMs: PushCoreTimeout.milliseconds(timeout))
    }

    /// Settled, and nothing at all is left to do (no call into the app
    /// running or queued, no clear waiting for a retry).
    public func waitUntilIdle(timeout: TimeInterval) async throws -> RegistrationState {
        try await waitUntilIdle(timeoutMs: PushCoreTimeout.milliseconds(timeout))
    }

    @available(iOS 16.0, macOS 13.0, *)
    public func waitUntilSettled(timeout: Duration) async throws -> RegistrationState {
        try await waitUntilSettled(timeoutMs: PushCoreTimeout.milliseconds(timeout))
    }

    @available(iOS 16.0, macOS 13.0, *)
    public func waitUntilIdle(timeout: Duration) async throws -> RegistrationState {
        try await waitUntilIdle(timeoutMs: PushCoreTimeout.milliseconds(timeout))
    }
}

enum PushCoreTimeout {
    static func milliseconds(_ seconds: TimeInterval) -> UInt64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return UInt64(min(seconds * 1_000, Double(UInt64.max / 2)))
    }

    @available(iOS 16.0, macOS 13.0, *)
    static func milliseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) &* 1_000 &+ UInt64(attoseconds / 1_000_000_000_000_000)
    }
}
