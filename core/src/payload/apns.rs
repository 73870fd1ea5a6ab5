//! iOS taps: `userInfo["ext"]` beside `aps`, whose alert gives title and
//! body (push-facts.md section 3). A push the app sent through FCM reaches
//! iOS through APNs with FCM's `gcm.message_id` beside `ext`: such a tap is
//! FCM's, with that id.

use super::error::{no_push_payload, PayloadError};
use super::{id_string, text, Delivery, FCM_RELAYED_MESSAGE_ID};
use crate::channel::PushChannel;
use serde_json::{Map, Value};

pub(super) fn read(mut user_info: Map<String, Value>) -> Result<Delivery, PayloadError> {
    let (title, body) = match user_info.remove("aps") {
        Some(Value::Object(mut aps)) => match aps.remove("alert") {
            Some(Value::String(body)) => (None, Some(body)),
            Some(Value::Object(mut alert)) => {
                (text(alert.remove("title")), text(alert.remove("body")))
            }
            _ => (None, None),
        },
        _ => (None, None),
    };
    let ext = user_info
        .remove("ext")
        .ok_or_else(|| no_push_payload("userInfo has no `ext`"))?;
    // Sent through FCM and relayed to APNs: FCM's message id, FCM's channel.
    let fcm_id = user_info.remove(FCM_RELAYED_MESSAGE_ID).and_then(id_string);
    Ok(Delivery {
        channel: if fcm_id.is_some() {
            Some(PushChannel::Fcm)
        } else {
            Some(PushChannel::Apns)
        },
        ext,
        vendor_message_id: fcm_id,
        vendor_notification_id: None,
        title,
        body,
        unused: user_info,
    })
}
