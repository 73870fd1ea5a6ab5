// Compile-ready XCTest suite for the sending side (build_push, the delivery
// simulator). Written against the generated PushCore.swift; it cannot run on
// the project's Linux build machine (no Swift toolchain): run it on a Mac with
// `cargo xtask bindings && cd bindings/swift && swift test`.
import Foundation
import XCTest
@testable import PushCore

final class OutboundTests: XCTestCase {
    private let messageId = "144115212345678901-1732600000-12345"

    private func message(
        _ options: OfflinePushOptions = OfflinePushOptions(title: "Alice", desc: "Hello", oppoChannelId: "im")
    ) -> OutboundMessage {
        OutboundMessage(
            messageType: .text,
            messageId: messageId,
            chatType: .c2c,
            sender: "alice",
            nickname: "Alice",
            content: "Hello",
            options: options
        )
    }

    private func codes(_ result: BuildPushResult) -> [String] {
        result.findings.map { finding in
            let channel = finding.channel.map { pushChannelName(channel: $0) } ?? "all"
            return "\(channel):\(finding.code)"
        }.sorted()
    }

    private func jsonObject(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(value as? [String: Any])
    }

    func testWellFormedMessageBuildsRestJsonWithExactKeys() throws {
        let result = try buildPush(message: message(OfflinePushOptions(
            title: "Alice", desc: "Hello", ignoreIosBadge: true, iosSound: "default",
            oppoChannelId: "im", huaweiCategory: "IM", huaweiImportance: .normal
        )))
        XCTAssertEqual(result.findings, [])
        let info = try jsonObject(result.offlinePushInfoJson)
        XCTAssertEqual(info["PushFlag"] as? Int, 0)
        XCTAssertEqual(info["Title"] as? String, "Alice")
        XCTAssertEqual(info["Desc"] as? String, "Hello")
        let android = try XCTUnwrap(info["AndroidInfo"] as? [String: Any])
        XCTAssertEqual(android["OPPOChannelID"] as? String, "im")
        XCTAssertEqual(android["HuaWeiImportance"] as? String, "NORMAL")
        let apns = try XCTUnwrap(info["ApnsInfo"] as? [String: Any])
        XCTAssertEqual(apns["BadgeMode"] as? Int, 1)
        XCTAssertEqual(apns["Sound"] as? String, "default")
        let ext = try jsonObject(try XCTUnwrap(info["Ext"] as? String))
        let entity = try XCTUnwrap(ext["entity"] as? [String: Any])
        XCTAssertEqual(entity["msgID"] as? String, messageId)
        XCTAssertEqual(entity["chatType"] as? Int, 1)
        XCTAssertEqual(result.ext, info["Ext"] as? String)
    }

    func testLostPushMistakesComeBackAsFindings() throws {
        var custom = message(OfflinePushOptions(title: "2024!", iosImage: "https://x/i.png", androidSound: "ring.mp3"))
        custom.messageType = .custom
        XCTAssertEqual(try codes(buildPush(message: custom)), [
            "all:custom_without_desc",
            "apns:ios_image_without_mutable_content",
            "fcm:android_sound_has_extension",
            "huawei:android_sound_has_extension",
            "oppo:oppo_channel_id_missing",
            "vivo:vivo_title_not_text",
            "xiaomi:android_sound_has_extension",
        ])
    }

    func testOptInTruncationKeepsWholeGraphemes() throws {
        var long = message(OfflinePushOptions(
            title: String(repeating: "👍🏽", count: 30), desc: "Hi", oppoChannelId: "im"
        ))
        let reported = try buildPush(message: long)
        XCTAssertEqual(reported.options.title, long.options.title)
        XCTAssertTrue(codes(reported).contains("oppo:title_too_long"))

        long.truncate = true
        let title = try XCTUnwrap(buildPush(message: long).options.title)
        XCTAssertTrue(title.hasSuffix("…"))
        // Swift counts graphemes: every kept thumbs-up keeps its skin tone.
        XCTAssertTrue(title.dropLast().allSatisfy { $0 == "👍🏽" })
        XCTAssertLessThanOrEqual(title.utf16.count, 32)
    }

    func testSimulatorRendersEachChannelsTapShape() throws {
        let m = message()
        let huawei = try jsonObject(simulateDelivery(message: m, channel: .huawei))
        XCTAssertEqual(huawei["channel_hint"] as? String, "huawei")
        XCTAssertTrue((huawei["data_uri"] as? String ?? "").contains(";S.ext=%7B%22entity%22"))
        let apns = try jsonObject(simulateDelivery(message: m, channel: .apns))
        XCTAssertEqual(apns["platform"] as? String, "ios")
        let userInfo = try XCTUnwrap(apns["user_info"] as? [String: Any])
        XCTAssertNotNil(userInfo["aps"] as? [String: Any])
        XCTAssertNotNil(userInfo["ext"] as? String)
        let channels: [PushChannel] = [.xiaomi, .huawei, .honor, .oppo, .vivo, .meizu, .fcm, .apns]
        for channel in channels {
            XCTAssertTrue(try simulateDelivery(message: m, channel: channel).contains(messageId), "\(channel)")
        }
    }

    func testSimulatedTapsParseBackOnEveryChannel() throws {
        var tricky = message()
        tricky.chatType = .group
        tricky.sender = "@TGS#群;a=b"
        tricky.content = "你好 👨‍👩‍👧 \"q\" \\ ; %41"
        tricky.messageId = "id;\"1\""
        let channels: [PushChannel] = [.xiaomi, .huawei, .honor, .oppo, .vivo, .meizu, .fcm, .apns]
        for m in [message(), tricky] {
            for channel in channels {
                let tap = try simulateDelivery(message: m, channel: channel)
                let n = try parseClickInput(input: clickInputFromJson(json: tap))
                XCTAssertEqual(n.channel, channel)
                XCTAssertEqual(n.chatType, m.chatType == .group ? ChatType.group : ChatType.c2c)
                XCTAssertEqual(n.sender, m.sender, "\(channel)")
                XCTAssertEqual(n.content, m.content, "\(channel)")
                XCTAssertEqual(n.messageId, m.messageId, "\(channel)")
            }
        }
    }

    private func field(_ grouping: PushGrouping, _ channel: PushChannel, _ name: String) -> String? {
        grouping.channels.first { $0.channel == channel }?.fields.first { $0.name == name }?.value
    }

    private func effect(_ grouping: PushGrouping, _ channel: PushChannel) -> GroupingEffect? {
        grouping.channels.first { $0.channel == channel }?.effect
    }

    func testEachChannelGetsTheFieldThatGroupsOrReplacesAConversation() throws {
        var fromBob = message()
        fromBob.sender = "bob"
        let result = try buildPush(message: fromBob)
        let grouping = result.grouping
        XCTAssertEqual(grouping.policy, .perConversation)
        XCTAssertEqual(grouping.conversationId, "c2c_bob")
        // Pinned by the ledger: the app's own handle of c2c_bob has the same id.
        let notifyIdChannels: [PushChannel] = [.xiaomi, .honor, .oppo, .vivo]
        for channel in notifyIdChannels {
            XCTAssertEqual(field(grouping, channel, "notify_id"), "438054827", "\(channel)")
            XCTAssertEqual(effect(grouping, channel), .replacesConversation)
        }
        XCTAssertEqual(field(grouping, .huawei, "android.notification.notify_id"), "438054827")
        XCTAssertEqual(field(grouping, .fcm, "android.notification.tag"), "conv:c2c_bob")
        XCTAssertEqual(field(grouping, .apns, "aps.thread-id"), "conv:c2c_bob")
        XCTAssertEqual(field(grouping, .apns, "apns-collapse-id"), "im:\(messageId)")
        XCTAssertEqual(effect(grouping, .apns), .threadedByConversation)
        let meizu = try XCTUnwrap(grouping.channels.first { $0.channel == .meizu })
        XCTAssertEqual(meizu.fields, [])
        XCTAssertTrue(meizu.note.contains("no replace or group field"))
        // The IM backend's OfflinePushInfo has no key for any of them.
        for word in ["notify", "thread", "collapse", "conv:"] {
            XCTAssertFalse(result.offlinePushInfoJson.contains(word), word)
        }
    }

    func testTheGroupingPolicyChoosesPerMessageIdsOrNone() throws {
        let perMessage = try buildPush(message: message(OfflinePushOptions(desc: "Hi", oppoChannelId: "im", grouping: .perMessage)))
        XCTAssertEqual(perMessage.options.grouping, .perMessage)
        XCTAssertEqual(field(perMessage.grouping, .fcm, "android.notification.tag"), "im:\(messageId)")
        XCTAssertEqual(effect(perMessage.grouping, .xiaomi), .separate)
        let off = try buildPush(message: message(OfflinePushOptions(desc: "Hi", oppoChannelId: "im", grouping: .off)))
        XCTAssertTrue(off.grouping.channels.allSatisfy { $0.fields.isEmpty })
        XCTAssertEqual(effect(off.grouping, .xiaomi), .replacesApp)
        // An id too long for APNs' 64-byte collapse id is bounded with a warning, never refused.
        var long = message()
        long.messageId = String(repeating: "9", count: 100)
        let bounded = try buildPush(message: long)
        XCTAssertLessThanOrEqual(try XCTUnwrap(field(bounded.grouping, .apns, "apns-collapse-id")).utf8.count, 64)
        XCTAssertTrue(codes(bounded).contains("apns:apns_collapse_id_bounded"))
    }

    func testShadeSimulatorShowsAConversationReplacedOnXiaomiAndThreadedOnApns() throws {
        var bob1 = message()
        bob1.sender = "bob"
        bob1.messageId = "b1"
        var carol = message()
        carol.sender = "carol"
        carol.messageId = "c1"
        var bob2 = bob1
        bob2.messageId = "b2"
        let shades = try simulateShade(messages: [bob1, carol, bob2])
        XCTAssertEqual(shades.count, 8)
        let xiaomi = try XCTUnwrap(shades.first { $0.channel == .xiaomi }).notifications
        XCTAssertEqual(xiaomi.map(\.shows), ["c1", "b2"])
        XCTAssertEqual(xiaomi.last?.replaced, ["b1"])
        XCTAssertEqual(try XCTUnwrap(shades.first { $0.channel == .meizu }).notifications.count, 3)
        let apns = try XCTUnwrap(shades.first { $0.channel == .apns }).notifications
        XCTAssertEqual(apns.map(\.thread), ["conv:c2c_bob", "conv:c2c_carol", "conv:c2c_bob"])
        XCTAssertTrue(shades.allSatisfy { !$0.why.isEmpty })
        var blank = bob1
        blank.sender = " "
        XCTAssertThrowsError(try simulateShade(messages: [blank])) { error in
            guard case PushError.InvalidInput = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try simulateShade(messages: Array(repeating: bob1, count: 1001))) { error in
            guard case PushError.TooLarge = error else { return XCTFail("\(error)") }
        }
    }

    func testHandleTapRoutesAndReportsTheSecondTapOfAMessageAsADuplicate() throws {
        let core = try PushCore(config: TestSupport.exampleConfig(), storageDir: TestSupport.tempDir())
        let first = try core.handleTap(input: clickInputFromJson(json: simulateDelivery(message: message(), channel: .honor)))
        XCTAssertEqual(first.route, .c2cChat(userId: "alice"))
        XCTAssertEqual(first.dedup, .fresh)
        XCTAssertEqual(first.notification.channel, .honor)
        let again = try core.handleTap(input: clickInputFromJson(json: simulateDelivery(message: message(), channel: .apns)))
        XCTAssertEqual(again.route, first.route)
        guard case let .duplicate(_, source)? = again.dedup else {
            return XCTFail("expected a duplicate, got \(String(describing: again.dedup))")
        }
        XCTAssertEqual(source, "honor")
    }

    func testUnreadableInputThrowsTypedErrors() {
        XCTAssertThrowsError(try outboundMessageFromJson(json: "{\"message_type\":\"text\"}")) { error in
            guard case PushError.InvalidInput = error else { return XCTFail("\(error)") }
        }
        var blank = message()
        blank.sender = " "
        XCTAssertThrowsError(try buildPush(message: blank)) { error in
            guard case PushError.InvalidInput = error else { return XCTFail("\(error)") }
        }
    }
}
