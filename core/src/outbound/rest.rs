//! The IM REST API's `OfflinePushInfo` object, with exactly the key names of
//! push-facts.md section 5. Unset options are left out so the backend's
//! defaults apply; options the REST form has no key for (images, iOS
//! interruption level, vendor params...) are only in the SDK-side record.

use super::options::OfflinePushOptions;
use serde_json::{json, Map, Value};

/// `OfflinePushInfo` for the given (already truncated) options and ext.
pub fn offline_push_info(options: &OfflinePushOptions, ext: &str) -> Value {
    let mut info = Map::new();
    info.insert("PushFlag".into(), json!(u8::from(options.disable_push)));
    put_str(&mut info, "Title", options.title.as_deref());
    put_str(&mut info, "Desc", options.desc.as_deref());
    info.insert("Ext".into(), json!(ext));

    let mut android = Map::new();
    put_str(&mut android, "Sound", options.android_sound.as_deref());
    put_str(
        &mut android,
        "HuaWeiChannelID",
        options.huawei_channel_id.as_deref(),
    );
    put_str(
        &mut android,
        "XiaoMiChannelID",
        options.xiaomi_channel_id.as_deref(),
    );
    put_str(
        &mut android,
        "OPPOChannelID",
        options.oppo_channel_id.as_deref(),
    );
    put_str(
        &mut android,
        "GoogleChannelID",
        options.fcm_channel_id.as_deref(),
    );
    put_num(
        &mut android,
        "VIVOClassification",
        options.vivo_classification,
    );
    put_str(
        &mut android,
        "HuaWeiImportance",
        options.huawei_importance.map(|i| i.rest_value()),
    );
    if options.ext_as_huawei_intent_param {
        android.insert("ExtAsHuaweiIntentParam".into(), json!(1));
    }
    put_str(
        &mut android,
        "HuaWeiCategory",
        options.huawei_category.as_deref(),
    );
    put_str(
        &mut android,
        "OPPOCategory",
        options.oppo_category.as_deref(),
    );
    put_str(
        &mut android,
        "VIVOCategory",
        options.vivo_category.as_deref(),
    );
    put_str(
        &mut android,
        "HonorImportance",
        options.honor_importance.map(|i| i.rest_value()),
    );
    put_num(
        &mut android,
        "MeiZuNoticeMsgType",
        options.meizu_notify_type,
    );
    if !android.is_empty() {
        info.insert("AndroidInfo".into(), Value::Object(android));
    }

    let mut apns = Map::new();
    put_str(&mut apns, "Sound", options.ios_sound.as_deref());
    if options.ignore_ios_badge {
        apns.insert("BadgeMode".into(), json!(1));
    }
    put_str(&mut apns, "Title", options.title.as_deref());
    put_str(&mut apns, "SubTitle", options.ios_subtitle.as_deref());
    put_str(&mut apns, "Image", options.ios_image.as_deref());
    if options.ios_mutable_content {
        apns.insert("MutableContent".into(), json!(1));
    }
    if !apns.is_empty() {
        info.insert("ApnsInfo".into(), Value::Object(apns));
    }
    Value::Object(info)
}

fn put_str(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        map.insert(key.into(), json!(value));
    }
}

fn put_num(map: &mut Map<String, Value>, key: &str, value: Option<u32>) {
    if let Some(value) = value {
        map.insert(key.into(), json!(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbound::options::VendorImportance;

    fn keys(value: &Value) -> Vec<&str> {
        let mut keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn every_option_lands_under_its_exact_rest_key() {
        let options = OfflinePushOptions {
            title: Some("T".into()),
            desc: Some("D".into()),
            disable_push: true,
            ignore_ios_badge: true,
            ios_sound: Some("default".into()),
            ios_subtitle: Some("S".into()),
            ios_image: Some("https://i".into()),
            ios_mutable_content: true,
            android_sound: Some("ring".into()),
            oppo_channel_id: Some("im".into()),
            oppo_category: Some("IM".into()),
            vivo_classification: Some(1),
            vivo_category: Some("IM".into()),
            huawei_channel_id: Some("hw".into()),
            huawei_category: Some("VOIP".into()),
            huawei_importance: Some(VendorImportance::Normal),
            ext_as_huawei_intent_param: true,
            honor_importance: Some(VendorImportance::Low),
            xiaomi_channel_id: Some("mi".into()),
            fcm_channel_id: Some("fcm".into()),
            meizu_notify_type: Some(1),
            ..Default::default()
        };
        let info = offline_push_info(&options, r#"{"entity":{}}"#);
        assert_eq!(
            keys(&info),
            [
                "AndroidInfo",
                "ApnsInfo",
                "Desc",
                "Ext",
                "PushFlag",
                "Title"
            ]
        );
        assert_eq!(info["PushFlag"], 1);
        assert_eq!(info["Ext"], r#"{"entity":{}}"#);
        assert_eq!(
            info["AndroidInfo"],
            json!({"Sound":"ring","HuaWeiChannelID":"hw","XiaoMiChannelID":"mi",
                "OPPOChannelID":"im","GoogleChannelID":"fcm","VIVOClassification":1,
                "HuaWeiImportance":"NORMAL","ExtAsHuaweiIntentParam":1,"HuaWeiCategory":"VOIP",
                "OPPOCategory":"IM","VIVOCategory":"IM","HonorImportance":"LOW",
                "MeiZuNoticeMsgType":1})
        );
        assert_eq!(
            info["ApnsInfo"],
            json!({"Sound":"default","BadgeMode":1,"Title":"T","SubTitle":"S",
                "Image":"https://i","MutableContent":1})
        );
    }

    #[test]
    fn unset_options_are_left_out() {
        let info = offline_push_info(&OfflinePushOptions::default(), "{}");
        assert_eq!(info, json!({"PushFlag":0,"Ext":"{}"}));
    }
}
