//! iOS taps: `userInfo["ext"]` beside `aps`, whose alert gives title and
//! body (push-facts.md section 3).

use super::{no_push_payload, text, Delivery, TapChannel};
use crate::error::PushError;
use serde_json::{Map, Value};

pub(super) fn read(mut user_info: Map<String, Value>) -> Result<Delivery, PushError> {
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
    Ok(Delivery {
        channel: TapChannel::Apns,
        ext,
        vendor_message_id: None,
        title,
        body,
        unused: user_info,
    })
}
