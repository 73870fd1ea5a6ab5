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
