// Compile-ready XCTest suite for conversation notifications, mutes and
// quiet hours (issue 17). Written against the generated PushCore.swift
// without a Swift toolchain (the project's build machine is Linux): run it
// on a Mac with `cargo xtask bindings && cd bindings/swift && swift test`.
import Foundation
import XCTest
@testable import PushCore

final class ConversationTests: XCTestCase {
    private func message(_ id: String, sender: String = "bob", nickname: String = "Bob", content: String) -> OutboundMessage {
        OutboundMessage(
            messageType: .text,
            messageId: id,
            chatType: .c2c,
            sender: sender,
            nickname: nickname,
            content: content
        )
    }

    private func delivered(_ m: OutboundMessage) throws -> ClickInput {
        try clickInputFromJson(json: simulateDelivery(message: m, channel: .apns))
    }

    private func newCore(lines: UInt32 = 5) throws -> PushCore {
        var config = try TestSupport.exampleConfig()
        config.notifications = NotificationSettings(conversationLines: lines)
        return try PushCore(config: config, storageDir: TestSupport.tempDir())
    }

    private func lines(_ n: ConversationNotification) -> [String] {
        n.lines.map { "\($0.senderName): \($0.text)" }
    }

    func testThreeMessagesOfOneConversationBecomeOneNotificationWithThreeLines() throws {
        let core = try newCore()
        var last: ReceivedOutcome?
        for (id, text) in [("m1", "one"), ("m2", "two\nlines"), ("m3", "three")] {
            last = try core.handleReceived(input: delivered(message(id, content: text)), source: "apns-nse")
        }
        let outcome = try XCTUnwrap(last)
        guard case let .show(handle, badge) = outcome.decision else {
            return XCTFail("expected show, got \(outcome.decision)")
        }
        XCTAssertEqual(handle.tag, outcome.dedupKey, "the per-message handle is unchanged")
        XCTAssertEqual(badge, 3)
        XCTAssertFalse(outcome.silent)
        let update = try XCTUnwrap(outcome.conversation)
        XCTAssertEqual(update.post.count, 1)
        XCTAssertEqual(update.post[0].conversationId, "c2c_bob")
        XCTAssertEqual(update.post[0].handle.tag, "conv:c2c_bob")
        XCTAssertEqual(lines(update.post[0]), ["Bob: one", "Bob: two lines", "Bob: three"])
        XCTAssertNil(update.summary)
    }

    func testASecondConversationBringsTheSummaryAndARecallTakesItsLineOut() throws {
        let core = try newCore(lines: 2)
        for i in 1...3 {
            _ = try core.handleReceived(input: delivered(message("a\(i)", sender: "ann", nickname: "Ann", content: "n\(i)")), source: "apns-nse")
        }
        let cy = try core.handleReceived(input: delivered(message("c1", sender: "cy", nickname: "Cy", content: "yo")), source: "apns-nse")
        let summary = try XCTUnwrap(cy.conversation?.summary)
        XCTAssertEqual(summary.conversationCount, 2)
        XCTAssertEqual(summary.unreadCount, 4)

        let recalled = try core.onMessageRecalledGrouped(messageId: "a3")
        XCTAssertEqual(recalled.change.badge, 3)
        XCTAssertEqual(lines(recalled.conversations.post[0]), ["Ann: n1", "Ann: n2"])
        let read = try core.onConversationReadGrouped(conversationId: "c2c_cy", readUpToMs: Int64.max)
        XCTAssertEqual(read.conversations.remove.map(\.tag), ["conv:c2c_cy"])
        XCTAssertNil(read.conversations.summary)
        let swiped = try core.onNotificationDismissedGrouped(handle: recalled.conversations.post[0].handle)
        XCTAssertEqual(swiped.change.badge, 0)
    }

    func testAMutedChatIsSuppressedAndQuietHoursShowSilently() throws {
        let core = try newCore()
        try core.setConversationMuted(conversationId: "c2c_bob", untilMs: nil)
        let muted = try core.handleReceived(input: delivered(message("m1", content: "psst")), source: "apns-nse")
        XCTAssertEqual(muted.decision, .suppress(reason: .muted, badge: 0))
        XCTAssertEqual(try core.mutedConversations(), [MutedConversation(conversationId: "c2c_bob", untilMs: nil)])
        try core.setConversationMuted(conversationId: "c2c_bob", untilMs: 1)
        XCTAssertEqual(try core.mutedConversations(), [])

        // A window that holds now, whatever the time: from this minute to the one before.
        let minute = UInt32((Int64(Date().timeIntervalSince1970) / 60) % 1440)
        let hours = QuietHours(startMinute: minute, endMinute: (minute + 1439) % 1440, timezone: "UTC", policy: .showSilently)
        try core.setQuietHours(hours: hours)
        XCTAssertEqual(try core.quietHours(), hours)
        let silent = try core.handleReceived(input: delivered(message("m2", content: "late")), source: "apns-nse")
        XCTAssertTrue(silent.silent)
        try core.setQuietHours(hours: QuietHours(startMinute: minute, endMinute: (minute + 1439) % 1440, timezone: "UTC", policy: .suppress))
        let suppressed = try core.handleReceived(input: delivered(message("m3", content: "late")), source: "apns-nse")
        XCTAssertEqual(suppressed.decision, .suppress(reason: .quietHours, badge: 1))
        try core.clearQuietHours()
        XCTAssertNil(try core.quietHours())
    }

    func testBadMuteAndQuietHoursInputIsATypedError() throws {
        let core = try newCore()
        let bad: [() throws -> Void] = [
            { try core.setConversationMuted(conversationId: "c2c_bob", untilMs: -1) },
            { try core.setQuietHours(hours: QuietHours(startMinute: 60, endMinute: 60, timezone: "UTC", policy: .showSilently)) },
            { try core.setQuietHours(hours: QuietHours(startMinute: 60, endMinute: 120, timezone: "Mars/Olympus_Mons", policy: .showSilently)) },
            { try core.setQuietHours(hours: QuietHours(startMinute: 1440, endMinute: 120, timezone: "UTC", policy: .showSilently)) },
        ]
        for call in bad {
            XCTAssertThrowsError(try call()) { error in
                XCTAssertEqual((error as? PushError)?.code, "invalid_input")
            }
        }
        XCTAssertNil(try core.quietHours(), "nothing stored")
    }
}
