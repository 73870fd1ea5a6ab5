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

    func clear() async throws {
        do {
            try await im.clearAPNsToken()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw PushError.Platform(reason: "IM SDK could not clear the token: \(error)")
        }
    }
}
