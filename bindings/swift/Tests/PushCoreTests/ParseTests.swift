// Tap parsing through the generated Swift bindings. Written against the
// generated PushCore.swift (cargo xtask bindings); not compiled in this
// repository's CI, which has no Swift toolchain.

import XCTest
@testable import PushCore

final class ParseTests: XCTestCase {
    private func ext(chatType: Int, sender: String, action: Int = 1, extra: String = "") -> String {
        "{\"entity\":{\"version\":1,\"chatType\":\(chatType),\"action\":\(action),\"sender\":\"\(sender)\","
            + "\"nickname\":\"Lin\",\"content\":\"Are you there?\",\"sendTime\":1732600000}\(extra)}"
    }

    func testAPNsUserInfoParsesWithAlertTitleAndBody() throws {
        let userInfo: [AnyHashable: Any] = [
            "aps": ["alert": ["title": "Lin", "body": "Are you there?"], "badge": 1, "sound": "default"],
            "ext": ext(chatType: 1, sender: "ned"),
        ]
        let n = try parseClickInput(input: try ClickInput.fromIOS(userInfo: userInfo))
        XCTAssertEqual(n.channel, .apns)
        XCTAssertEqual(n.chatType, .c2c)
        XCTAssertEqual(n.sender, "ned")
        XCTAssertEqual(n.conversationId, "c2c_ned")
        XCTAssertEqual(n.action, .chat)
        XCTAssertEqual(n.title, "Lin")
        XCTAssertEqual(n.body, "Are you there?")
        XCTAssertEqual(n.sendTime, 1_732_600_000)
        XCTAssertFalse(n.newerVersion)
    }

    func testUserInfoWithNonStringKeysDataAndNestedValuesIsAccepted() throws {
        let userInfo: [AnyHashable: Any] = [
            "ext": ["entity": ["chatType": 2, "sender": "g1", "customData": Data([104, 105]).base64EncodedString()]],
            1: "numeric key",
            "blob": Data([1, 2, 3]),
        ]
        let n = try parseClickInput(input: try ClickInput.fromIOS(userInfo: userInfo))
        XCTAssertEqual(n.conversationId, "group_g1")
        XCTAssertEqual(n.customData, Data("hi".utf8))
        XCTAssertEqual(n.extras["1"], "numeric key")
        XCTAssertEqual(n.extras["blob"], Data([1, 2, 3]).base64EncodedString())
    }

    func testAndroidShapesAreDetectedFromTheirShape() throws {
        let cases: [(ClickInput, TapChannel)] = [
            (try ClickInput.fromAndroid(extras: ["key_message": ["messageId": "sdm1", "extra": ["ext": ext(chatType: 1, sender: "a")]]]), .xiaomi),
            (try ClickInput.fromAndroid(extras: ["entity": "{\"chatType\":1,\"sender\":\"b\"}"]), .oppo),
            (try ClickInput.fromAndroid(extras: ["ext": ext(chatType: 1, sender: "c"), "google.message_id": "0:1"], channelHint: .xiaomi), .fcm),
            (try ClickInput.fromAndroid(extras: ["ext": ext(chatType: 1, sender: "d")], channelHint: .vivo), .vivo),
            (try ClickInput.fromAndroid(extras: ["ext": ext(chatType: 1, sender: "e")]), .unknown),
        ]
        for (input, channel) in cases {
            XCTAssertEqual(try parseClickInput(input: input).channel, channel)
        }
    }

    func testTheCLIJSONFormBuildsTheSameInput() throws {
        let input = try clickInputFromJson(json: "{\"platform\":\"ios\",\"user_info\":{\"ext\":{\"entity\":{\"chatType\":1,\"sender\":\"u\"}}}}")
        XCTAssertEqual(try parseClickInput(input: input).sender, "u")
    }

    func testBadTapsThrowTypedErrors() {
        XCTAssertThrowsError(try parseClickInput(input: .ios(userInfoJson: "{\"ext\":\"{broken\"}"))) { error in
            guard case PushError.InvalidExt = error else { return XCTFail("expected InvalidExt, got \(error)") }
        }
        XCTAssertThrowsError(try parseClickInput(input: .ios(userInfoJson: "{\"aps\":{}}"))) { error in
            guard case PushError.NoPushPayload = error else { return XCTFail("expected NoPushPayload, got \(error)") }
        }
        XCTAssertThrowsError(try parseClickInput(input: .ios(userInfoJson: "not json"))) { error in
            guard case PushError.InvalidInput = error else { return XCTFail("expected InvalidInput, got \(error)") }
        }
    }

    func testRoutingOnlyOpensAllowListedURLs() throws {
        let n = try parseClickInput(input: .ios(userInfoJson: ext(chatType: 1, sender: "sys", action: 5,
                                                                extra: ",\"url\":\"https://im.example.com/n/1\"").wrappedAsUserInfo))
        XCTAssertEqual(n.action, .other(code: 5))
        let allow = [AllowedUrl(scheme: "https", host: "im.example.com")]
        XCTAssertEqual(routeNotification(notification: n, urlAllowList: allow), .url(url: "https://im.example.com/n/1"))
        XCTAssertEqual(routeNotification(notification: n, urlAllowList: []), .home)
        let call = try parseClickInput(input: .ios(userInfoJson: ext(chatType: 1, sender: "u2", action: 2).wrappedAsUserInfo))
        XCTAssertEqual(routeNotification(notification: call, urlAllowList: []), .call(chatType: .c2c, sender: "u2"))
    }
}

private extension String {
    /// `{"ext": <self as a JSON string>}`.
    var wrappedAsUserInfo: String {
        let data = try! JSONSerialization.data(withJSONObject: ["ext": self], options: [])
        return String(data: data, encoding: .utf8)!
    }
}
