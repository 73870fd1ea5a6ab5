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
        let cases: [(ClickInput, PushChannel?)] = [
            (try ClickInput.fromAndroid(extras: ["key_message": ["messageId": "sdm1", "extra": ["ext": ext(chatType: 1, sender: "a")]]]), .xiaomi),
            (try ClickInput.fromAndroid(extras: ["entity": "{\"chatType\":1,\"sender\":\"b\"}"]), .oppo),
            (try ClickInput.fromAndroid(extras: ["ext": ext(chatType: 1, sender: "c"), "google.message_id": "0:1"], channelHint: .xiaomi), .fcm),
            (try ClickInput.fromAndroid(extras: ["ext": ext(chatType: 1, sender: "d")], channelHint: .vivo), .vivo),
            (try ClickInput.fromAndroid(extras: ["ext": ext(chatType: 1, sender: "e")]), nil),
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
        XCTAssertEqual(
            routeNotification(notification: call, urlAllowList: []),
            .call(chatType: .c2c, sender: "u2", groupId: nil, callId: nil, media: .unknown, invited: [])
        )
        // Its content is not call signalling: the call still rings, and the finding says why it has no details.
        XCTAssertEqual(call.findings.map(\.field), ["entity.content"])
    }

    // Issues 19 and 22: what Tencent's own senders write.

    func testGsonSignedCustomDataAndEscapesRouteToTheChat() throws {
        // The Android UIKit (Gson): byte[] as signed numbers, `=` `'` `&` escaped, unset features as -1.
        let gson = "{\"entity\":{\"version\":1,\"chatType\":1,\"action\":1,\"sender\":\"user_7\","
            + "\"nickname\":\"Li \\u0027Lee\\u0027\",\"content\":\"a\\u003db \\u0026 c\",\"sendTime\":1732600000,"
            + "\"customData\":[104,105,32,-28,-67,-96,-27,-91,-67]},"
            + "\"timPushFeatures\":{\"fcmPushType\":-1,\"fcmNotificationType\":-1}}"
        let n = try parseClickInput(input: try ClickInput.fromIOS(userInfo: ["ext": gson]))
        XCTAssertEqual(n.conversationId, "c2c_user_7")
        XCTAssertEqual(n.customData, Data("hi 你好".utf8))
        XCTAssertEqual(n.nickname, "Li 'Lee'")
        XCTAssertEqual(n.content, "a=b & c")
        XCTAssertEqual(n.findings, [])
    }

    func testPrettyPrintedNSJSONSerializationExtRoutesToTheGroup() throws {
        let entity: [String: Any] = [
            "version": 1, "chatType": 2, "action": 1, "sender": "@TGS#ios", "nickname": "Team",
            "faceUrl": "https://cdn.example.com/g.png", "content": "hi", "sendTime": 1_732_600_000,
            "customData": Data("hi 你好".utf8).base64EncodedString(),
        ]
        let data = try JSONSerialization.data(withJSONObject: ["entity": entity], options: [.prettyPrinted])
        let ext = try XCTUnwrap(String(data: data, encoding: .utf8))
        let n = try parseClickInput(input: try ClickInput.fromIOS(userInfo: ["aps": ["alert": "hi"], "ext": ext]))
        XCTAssertEqual(n.conversationId, "group_@TGS#ios")
        XCTAssertEqual(n.faceUrl, "https://cdn.example.com/g.png")
        XCTAssertEqual(n.customData, Data("hi 你好".utf8))
        XCTAssertEqual(routeNotification(notification: n, urlAllowList: []), .groupChat(groupId: "@TGS#ios"))
    }

    func testAGroupCallOpensItsGroupsCallScreen() throws {
        let signalling = "{\"call_id\":\"call-77\",\"call_type\":2,\"invited_list\":[\"bob\"],\"group_id\":\"@TGS#team\"}"
        let ext: [String: Any] = ["entity": ["chatType": 2, "action": 2, "sender": "carol", "content": signalling]]
        let n = try parseClickInput(input: try ClickInput.fromIOS(userInfo: ["ext": ext, "gcm.message_id": "1732600000123456"]))
        XCTAssertEqual(n.channel, .fcm)
        XCTAssertEqual(n.vendorMessageId, "1732600000123456")
        XCTAssertEqual(n.conversationId, "group_@TGS#team")
        XCTAssertNil(n.content)
        XCTAssertEqual(n.call, CallInfo(caller: "carol", groupId: "@TGS#team", callId: "call-77", media: .video, invited: ["bob"]))
        XCTAssertEqual(
            routeNotification(notification: n, urlAllowList: []),
            .call(chatType: .group, sender: "carol", groupId: "@TGS#team", callId: "call-77", media: .video, invited: ["bob"])
        )
    }

    func testConversationIDAppKeysAndMalformedFieldsStillRoute() throws {
        let flutter = try parseClickInput(input: try ClickInput.fromIOS(userInfo: ["ext": "{\"conversationID\":\"c2c_alice\"}"]))
        XCTAssertEqual(flutter.conversationId, "c2c_alice")
        let keys = try parseClickInput(input: try ClickInput.fromIOS(userInfo: ["ext": ["entity": ["key1": "value1"]]]))
        XCTAssertNil(keys.conversationId)
        XCTAssertEqual(keys.extras["key1"], "value1")
        XCTAssertEqual(routeNotification(notification: keys, urlAllowList: []), .home)
        let malformed: [String: Any] = ["entity": ["chatType": 1, "sender": "u9", "nickname": ["a": 1], "customData": [1, 999]]]
        let n = try parseClickInput(input: try ClickInput.fromIOS(userInfo: ["ext": malformed]))
        XCTAssertEqual(n.conversationId, "c2c_u9")
        XCTAssertEqual(Set(n.findings.map(\.field)), ["entity.nickname", "entity.customData"])
        XCTAssertThrowsError(try parseClickInput(input: try ClickInput.fromIOS(userInfo: ["ext": "{\"conversationID\":\"topic_x\"}"]))) { error in
            guard case PushError.InvalidExt = error else { return XCTFail("expected InvalidExt, got \(error)") }
        }
    }
}

private extension String {
    /// `{"ext": <self as a JSON string>}`.
    var wrappedAsUserInfo: String {
        let data = try! JSONSerialization.data(withJSONObject: ["ext": self], options: [])
        return String(data: data, encoding: .utf8)!
    }
}
