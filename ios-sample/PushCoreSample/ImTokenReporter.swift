import PushCore

/// The core's `TokenReporter` over the IM SDK. The core decides when to call
/// it (never after logout or kick-out, never twice for an unchanged token)
/// and puts a deadline around each call; this type only translates.
final class ImTokenReporter: TokenReporter, Sendable {
    private let im: any ImSdk

    init(im: any ImSdk) {
        self.im = im
    }

    func report(report: TokenReport) async throws {
        do {
            try await im.setAPNsToken(businessId: report.businessId, token: report.token)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw PushError.Platform(reason: "IM SDK refused the token: \(error)")
        }
    }

    /// `clear.userId` is whose token to remove. The core may retry a clear
    /// later (also after a restart); if the IM SDK is logged in as someone
    /// else by then, clearing "the current session" would remove the wrong
    /// user's token, so it is skipped (the backend's own sequence check, see
    /// docs/registration.md, covers the rest).
    func clear(clear: TokenClear) async throws {
        let current = await im.currentUserId()
        guard current == nil || current == clear.userId else { return }
        do {
            try await im.clearAPNsToken()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw PushError.Platform(reason: "IM SDK could not clear the token: \(error)")
        }
    }
}
