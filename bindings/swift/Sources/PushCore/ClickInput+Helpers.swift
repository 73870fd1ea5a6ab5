// Hand-written conveniences over the generated ClickInput: build one from
// the dictionaries iOS and Android hand the app on a notification tap.
// The core takes each map as one JSON text (arbitrary JSON values cannot
// cross the FFI), so these helpers do the conversion with JSONSerialization.

import Foundation

extension ClickInput {
    /// An iOS tap, from the notification's `userInfo`
    /// (`response.notification.request.content.userInfo`).
    /// (Already JSON text? Use the generated `.ios(userInfoJson:)` case.)
    public static func fromIOS(userInfo: [AnyHashable: Any]) throws -> ClickInput {
        .ios(userInfoJson: try ClickInputJSON.encode(userInfo))
    }

    /// An Android-shaped tap (for tooling and tests on Apple platforms).
    public static func fromAndroid(
        extras: [String: Any],
        dataUri: String? = nil,
        channelHint: PushChannel? = nil
    ) throws -> ClickInput {
        .android(extrasJson: try ClickInputJSON.encode(extras), dataUri: dataUri, channelHint: channelHint)
    }
}

enum ClickInputJSON {
    /// JSONSerialization accepts only string keys and plist-like values;
    /// `userInfo` may hold other key types, `Data` or `Date`, so values are
    /// brought into JSON's model first.
    static func encode(_ dictionary: [AnyHashable: Any]) throws -> String {
        let object = sanitize(dictionary)
        guard JSONSerialization.isValidJSONObject(object) else {
            throw PushError.InvalidInput(reason: "userInfo cannot be represented as JSON")
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [])
        guard let text = String(data: data, encoding: .utf8) else {
            throw PushError.InvalidInput(reason: "userInfo JSON is not UTF-8")
        }
        return text
    }

    static func encode(_ dictionary: [String: Any]) throws -> String {
        try encode(Dictionary(uniqueKeysWithValues: dictionary.map { (AnyHashable($0.key), $0.value) }))
    }

    static func sanitize(_ value: Any) -> Any {
        switch value {
        case let dict as [AnyHashable: Any]:
            var out = [String: Any](minimumCapacity: dict.count)
            for (key, item) in dict {
                out[String(describing: key.base)] = sanitize(item)
            }
            return out
        case let array as [Any]:
            return array.map(sanitize)
        case let string as String:
            return string
        case let number as NSNumber:
            let double = number.doubleValue
            return double.isFinite ? number : NSNull()
        case is NSNull:
            return NSNull()
        case let data as Data:
            return data.base64EncodedString()
        case let date as Date:
            return date.timeIntervalSince1970
        case let url as URL:
            return url.absoluteString
        default:
            if let optional = value as? OptionalProtocol, optional.isNone {
                return NSNull()
            }
            return String(describing: value)
        }
    }
}

private protocol OptionalProtocol {
    var isNone: Bool { get }
}

extension Optional: OptionalProtocol {
    var isNone: Bool { self == nil }
}
