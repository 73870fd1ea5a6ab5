//! The sending side of offline push: per-message options built right and
//! checked against every channel before the message leaves the app.
//!
//! Mistakes here lose pushes silently (a custom message without a desc, an
//! OPPO push without a channel id, a title vivo rejects), so the core says
//! what each channel will do instead of letting the sender find out from
//! users. The simulator renders what each channel hands the app on tap,
//! which makes build -> simulate -> parse a testable round trip.
//!
//! Stateless, so exported as free functions rather than `PushCore` methods.

mod error;
mod ext;
mod grouping;
mod options;
mod rest;
mod shade;
mod simulate;
pub(crate) mod text;
mod validate;

#[cfg(test)]
mod grouping_tests;
#[cfg(test)]
mod round_trip;
#[cfg(test)]
mod shade_tests;
#[cfg(test)]
mod tests;

pub use error::OutboundError;
pub use ext::build_ext;
pub use grouping::{
    conversation_id, ChannelGrouping, GroupingEffect, NotificationGrouping, PushGrouping,
    VendorField, APNS_COLLAPSE_ID_MAX_BYTES,
};
pub use options::{
    IosInterruptionLevel, IosPushType, OfflinePushOptions, OutboundCall, OutboundMessage,
    OutboundMessageType, VendorImportance,
};
pub use shade::{simulate_shade, ChannelShade, ShadeNotification, MAX_SHADE_MESSAGES};
pub use text::{body_limit, title_limit, truncate_to, TextLimit, ELLIPSIS};
pub use validate::{codes, FindingSeverity, PushFinding};

use crate::channel::PushChannel;
#[cfg(test)]
use crate::entity::ChatType;
use serde_json::Value;

/// What the sender needs: the effective options (truncated if asked) and
/// the generated ext, which are exactly what the Kotlin and Swift IM SDK
/// offline push objects take; the REST `OfflinePushInfo` JSON for servers;
/// and what each channel will do with them.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct BuildPushResult {
    pub options: OfflinePushOptions,
    /// The ext JSON string to send (standard entity form plus app keys).
    pub ext: String,
    /// The IM REST API's `OfflinePushInfo` object as JSON.
    pub offline_push_info_json: String,
    pub findings: Vec<PushFinding>,
    /// The vendor fields that group or replace the notification per
    /// channel. Not in `offline_push_info_json`: the IM backend has no key
    /// for them; a server calling the vendor APIs sets them.
    pub grouping: PushGrouping,
}

/// A built message, before it is turned into exported or JSON forms.
pub struct Built {
    pub options: OfflinePushOptions,
    pub ext: String,
    pub offline_push_info: Value,
    pub findings: Vec<PushFinding>,
    pub grouping: grouping::Plan,
}

/// Builds, truncates (if the message asks) and validates.
pub fn build(message: &OutboundMessage) -> Result<Built, OutboundError> {
    if message.sender.trim().is_empty() {
        return Err(error::invalid(
            "sender must not be empty: the receiver opens it on tap",
        ));
    }
    let ext = build_ext(message)?;
    let mut options = message.options.clone();
    let mut truncations = Vec::new();
    if message.truncate {
        truncations.extend(cut(
            &mut options.title,
            title_limit,
            codes::TITLE_TRUNCATED,
            "title",
        ));
        truncations.extend(cut(
            &mut options.desc,
            body_limit,
            codes::BODY_TRUNCATED,
            "desc",
        ));
    }
    let grouping = grouping::Plan::of(message);
    options.grouping = Some(grouping.policy);
    let mut findings = validate::validate(message, &options, &ext, &grouping);
    findings.extend(truncations);
    let offline_push_info = rest::offline_push_info(&options, &ext);
    Ok(Built {
        options,
        ext,
        offline_push_info,
        findings,
        grouping,
    })
}

/// Cuts `text` to fit every channel's limit, with a warning for each
/// channel whose limit it exceeded.
fn cut(
    text: &mut Option<String>,
    limit_of: fn(PushChannel) -> Option<TextLimit>,
    code: &str,
    name: &str,
) -> Vec<PushFinding> {
    let Some(original) = text.as_deref() else {
        return Vec::new();
    };
    let limits: Vec<(PushChannel, TextLimit)> = PushChannel::ALL
        .into_iter()
        .filter_map(|c| limit_of(c).map(|l| (c, l)))
        .collect();
    let all: Vec<TextLimit> = limits.iter().map(|(_, l)| *l).collect();
    let Some(shorter) = truncate_to(original, &all) else {
        return Vec::new();
    };
    let findings = limits
        .iter()
        .filter(|(_, l)| !l.fits(original))
        .map(|(channel, l)| PushFinding {
            channel: Some(*channel),
            severity: FindingSeverity::Warning,
            code: code.to_string(),
            message: format!("{name} cut to fit {channel}'s limit of {}", l.max_units),
        })
        .collect();
    *text = Some(shorter);
    findings
}

/// The tap input `pushcore parse` reads, as `channel` would deliver the
/// message, as a JSON value.
pub fn simulate(message: &OutboundMessage, channel: PushChannel) -> Result<Value, OutboundError> {
    let built = build(message)?;
    Ok(simulate::tap_input(
        message,
        &built.options,
        &built.ext,
        &built.grouping,
        channel,
    ))
}

/// Builds a message's offline push options and ext, the REST
/// `OfflinePushInfo` JSON, and the findings for every channel. Findings do
/// not make it fail; unreadable input (empty sender, `options.ext` not a
/// JSON object) does.
pub fn build_push(message: OutboundMessage) -> Result<BuildPushResult, OutboundError> {
    let built = build(&message)?;
    Ok(BuildPushResult {
        options: built.options,
        ext: built.ext,
        offline_push_info_json: built.offline_push_info.to_string(),
        findings: built.findings,
        grouping: built.grouping.exported(),
    })
}

/// What `channel` hands the app when the user taps this message's
/// notification, as the JSON tap input the parser reads. A test tool.
pub fn simulate_delivery(
    message: OutboundMessage,
    channel: PushChannel,
) -> Result<String, OutboundError> {
    Ok(simulate(&message, channel)?.to_string())
}

/// The tap `channel` hands the app for a message given in its JSON form, as
/// a [`ClickInput`](crate::ClickInput): the fixture of tests that need a
/// real tap per channel.
#[cfg(test)]
pub(crate) fn simulated_tap(message_json: &str, channel: PushChannel) -> crate::ClickInput {
    let tap = outbound_message_from_json(message_json.into())
        .and_then(|message| simulate(&message, channel));
    let input = tap.map(|json| crate::payload::click_input_from_json(&json.to_string()));
    match input {
        Ok(Ok(input)) => input,
        Ok(Err(e)) => panic!("simulated {channel:?} tap of {message_json}: {e}"),
        Err(e) => panic!("simulated {channel:?} tap of {message_json}: {e}"),
    }
}

/// Reads a message in its JSON form (the CLI's input format).
pub fn outbound_message_from_json(json: String) -> Result<OutboundMessage, OutboundError> {
    OutboundMessage::from_json(&json)
}

/// Reads a JSON array of messages (the shade simulator's input).
pub fn outbound_messages_from_json(json: &str) -> Result<Vec<OutboundMessage>, OutboundError> {
    serde_json::from_str(json).map_err(|e| error::invalid(format!("messages JSON array: {e}")))
}
