// Compile-ready XCTest suite for the notification ledger (recall, read
// elsewhere, swipe-away, badge, account guard, one decision per received
// message). Written against the generated PushCore.swift without a Swift
// toolchain (the project's build machine is Linux): run it on a Mac with
// `cargo xtask bindings && cd bindings/swift && swift test`.
import Foundation
import XCTest
@testable import PushCore

final class LedgerTests: XCTestCase {
    private func message(
        _ id: String, sender: String = "bob", content: String = "hi", sendTime: UInt64 = 0, receiver: String? = nil
    ) -> OutboundMessage {
        OutboundMessage(
            messageType: .text,
            messageId: id,
            chatType: .c2c,
            sender: sender,
            content: content,
            sendTime: sendTime,
            receiver: receiver
        )
    }

    private func delivered(_ m: OutboundMessage, _ channel: PushChannel = .apns) throws -> ClickInput {
        try clickInputFromJson(json: simulateDelivery(message: m, channel: channel))
    }

    private func newCore() throws -> PushCore {
        try PushCore(config: TestSupport.exampleConfig(), storageDir: TestSupport.tempDir())
    }

    private func show(_ core: PushCore, _ m: OutboundMessage) throws -> NotificationHandle {
        let decision = try core.handleReceived(input: delivered(m), source: "apns-nse").decision
        guard case let .show(handle, _) = decision else {
            XCTFail("expected show, got \(decision)")
            return NotificationHandle(tag: "", id: 0)
        }
        return handle
    }

    func testRecallAnswersTheIdentifierToRemoveAndSuppressesTheLateDelivery() throws {
        let core = try newCore()
        let handle = try show(core, message("m-1"))
        XCTAssertEqual(try core.onMessageRecalled(messageId: "m-1"), LedgerChange(remove: [handle], badge: 0))
        let late = try core.handleReceived(input: delivered(message("m-1"), .fcm), source: "fcm-data")
        XCTAssertEqual(late.decision, .suppress(reason: .recalled, badge: 0))
        XCTAssertEqual(try core.onMessageRecalled(messageId: "unknown").remove, [])
    }

    func testConversationReadElsewhereSwipeAndTapEachAnswerTheBadge() throws {
        let core = try newCore()
        let t: UInt64 = 1_750_000_000
        let b1 = try show(core, message("b1", sendTime: t))
        let b2 = try show(core, message("b2", sendTime: t + 5))
        _ = try show(core, message("c1", sender: "carol"))
        XCTAssertEqual(try core.badgeCount(), 3)
        XCTAssertEqual(
            try core.onConversationRead(conversationId: "c2c_bob", readUpToMs: Int64(t) * 1000),
            LedgerChange(remove: [b1], badge: 2)
        )
        XCTAssertEqual(try core.onNotificationDismissed(handle: b2), LedgerChange(remove: [], badge: 1))
        let tap = try core.handleTap(input: delivered(message("c1", sender: "carol")))
        XCTAssertEqual(tap.badge, 0)
        XCTAssertEqual(tap.route, .c2cChat(userId: "carol"))
    }

    func testAnEditReplacesTheShownNotificationUnderTheSameIdentifier() throws {
        let core = try newCore()
        let handle = try show(core, message("m-1", content: "hi"))
        let edited = try core.handleReceived(input: delivered(message("m-1", content: "hi (edited)")), source: "apns-nse")
        XCTAssertEqual(edited.decision, .replace(handle: handle, badge: 1))
    }

    func testTheNotificationServiceExtensionRecordsTheSystemIdentifier() throws {
        let core = try newCore()
        let n = try parseClickInput(input: delivered(message("m-9")))
        let system = NotificationHandle(tag: "5B1C3B0E-APNS", id: 0)
        XCTAssertEqual(try core.notificationShown(notification: n, handle: system, source: "apns"),
                       LedgerChange(remove: [], badge: 1))
        XCTAssertEqual(try core.onMessageRecalled(messageId: "m-9").remove, [system])
    }

    func testBadInputIsATypedError() throws {
        let core = try newCore()
        XCTAssertThrowsError(try core.onMessageRecalled(messageId: " ")) { error in
            XCTAssertEqual((error as? PushError)?.code, "invalid_input")
        }
        XCTAssertThrowsError(try core.onConversationRead(conversationId: "c2c_bob", readUpToMs: -1)) { error in
            XCTAssertEqual((error as? PushError)?.code, "invalid_input")
        }
    }
}
