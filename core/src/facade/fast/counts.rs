//! Counts checked against the bytes left, before UniFFI's readers trust them.
//!
//! UniFFI reads a `Vec` or a `HashMap` by reserving the capacity its count
//! claims, then reading the items. On the fast door the count comes from
//! the caller's buffer: a count of `0x7fffffff` reserved ~100 GB, the
//! allocation failed and the process aborted (no `catch_unwind` catches
//! that). So an argument whose type holds a sequence or a map is first
//! walked here, without allocating, along a description of its serialized
//! [`Shape`]: every count must fit in the bytes left (each item takes at
//! least its smallest serialized size), every length must be present. Only
//! then does UniFFI read it, and what it reserves is bounded by the
//! argument's own size.
//!
//! Strings need no walk (UniFFI checks their length before copying), so
//! only argument types holding a `Vec` or a map have a shape here; today
//! that is [`NormalizedNotification`](crate::payload::NormalizedNotification)
//! (`custom_data`, `extras`, `findings` and the call's `invited`). The shapes are checked against the real
//! types by a test that serializes a value with every field filled.

/// How a value is laid out in UniFFI's serialization.
pub enum Shape {
    /// A fixed number of bytes: integers, `bool`, a field-less enum's tag.
    Fixed(usize),
    /// `i32` byte length, then the bytes.
    Str,
    /// `i8` 0 or 1, then the value when 1.
    Optional(&'static Shape),
    /// `i32` count, then the items.
    Seq(&'static Shape),
    /// `i32` count, then key and value per entry.
    Map(&'static Shape, &'static Shape),
    /// The fields in order.
    Record(&'static [Shape]),
    /// `i32` variant number from 1, then that variant's fields.
    Enum(&'static [&'static [Shape]]),
}

impl Shape {
    /// The fewest bytes a value of this shape takes: what bounds a count.
    const fn min_size(&self) -> usize {
        match self {
            Shape::Fixed(n) => *n,
            Shape::Str | Shape::Seq(_) | Shape::Map(..) | Shape::Enum(_) => 4,
            Shape::Optional(_) => 1,
            Shape::Record(fields) => {
                let mut total = 0;
                let mut i = 0;
                while i < fields.len() {
                    total += fields[i].min_size();
                    i += 1;
                }
                total
            }
        }
    }
}

/// `CallInfo`, field by field.
const CALL_INFO: Shape = Shape::Record(&[
    Shape::Str,                   // caller
    Shape::Optional(&Shape::Str), // group_id
    Shape::Optional(&Shape::Str), // call_id
    Shape::Fixed(4),              // media
    Shape::Seq(&Shape::Str),      // invited
]);

/// `PayloadFinding`, field by field.
const PAYLOAD_FINDING: Shape = Shape::Record(&[
    Shape::Str, // field
    Shape::Str, // problem
]);

/// `NormalizedNotification`, field by field.
pub const NORMALIZED_NOTIFICATION: Shape = Shape::Record(&[
    Shape::Optional(&Shape::Fixed(4)), // channel
    Shape::Optional(&Shape::Fixed(4)), // chat_type
    Shape::Optional(&Shape::Str),      // sender
    Shape::Optional(&Shape::Str),      // conversation_id
    // action: Chat, Call, Other { code: u32 }
    Shape::Enum(&[&[], &[], &[Shape::Fixed(4)]]),
    Shape::Optional(&CALL_INFO),                    // call
    Shape::Optional(&Shape::Str),                   // nickname
    Shape::Optional(&Shape::Str),                   // face_url
    Shape::Optional(&Shape::Str),                   // content
    Shape::Fixed(8),                                // send_time
    Shape::Fixed(4),                                // version
    Shape::Fixed(1),                                // newer_version
    Shape::Optional(&Shape::Str),                   // message_id
    Shape::Optional(&Shape::Str),                   // vendor_message_id
    Shape::Optional(&Shape::Str),                   // vendor_notification_id
    Shape::Optional(&Shape::Str),                   // title
    Shape::Optional(&Shape::Str),                   // body
    Shape::Optional(&Shape::Seq(&Shape::Fixed(1))), // custom_data
    Shape::Map(&Shape::Str, &Shape::Str),           // extras
    Shape::Seq(&PAYLOAD_FINDING),                   // findings
]);

/// Walks one value of `shape` at the start of `buf`, without allocating
/// (except for the reason of a refusal).
pub fn check(shape: &Shape, buf: &mut &[u8]) -> Result<(), String> {
    match shape {
        Shape::Fixed(n) => skip(buf, *n),
        Shape::Str => {
            let len = read_count(buf)?;
            skip(buf, len)
        }
        Shape::Optional(inner) => match take(buf, 1)?[0] {
            0 => Ok(()),
            1 => check(inner, buf),
            flag => Err(format!("an option flag is {flag}, not 0 or 1")),
        },
        Shape::Seq(item) => {
            let count = read_bounded_count(buf, item.min_size())?;
            (0..count).try_for_each(|_| check(item, buf))
        }
        Shape::Map(key, value) => {
            let count = read_bounded_count(buf, key.min_size() + value.min_size())?;
            (0..count).try_for_each(|_| check(key, buf).and_then(|()| check(value, buf)))
        }
        Shape::Record(fields) => fields.iter().try_for_each(|f| check(f, buf)),
        Shape::Enum(variants) => {
            let number = read_count(buf)?;
            let fields = number
                .checked_sub(1)
                .and_then(|i| variants.get(i))
                .ok_or_else(|| format!("variant {number} does not exist"))?;
            fields.iter().try_for_each(|f| check(f, buf))
        }
    }
}

/// A count whose items, at `min_item` bytes each, fit in what is left.
fn read_bounded_count(buf: &mut &[u8], min_item: usize) -> Result<usize, String> {
    let count = read_count(buf)?;
    if count.saturating_mul(min_item.max(1)) > buf.len() {
        return Err(format!(
            "a count of {count} items does not fit in the {} bytes left",
            buf.len()
        ));
    }
    Ok(count)
}

fn read_count(buf: &mut &[u8]) -> Result<usize, String> {
    let bytes = take(buf, 4)?;
    let count = i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    usize::try_from(count).map_err(|_| format!("negative count or length {count}"))
}

fn skip(buf: &mut &[u8], n: usize) -> Result<(), String> {
    take(buf, n).map(|_| ())
}

fn take<'a>(buf: &mut &'a [u8], n: usize) -> Result<&'a [u8], String> {
    if buf.len() < n {
        return Err(format!(
            "the buffer ends early ({n} bytes wanted, {} left)",
            buf.len()
        ));
    }
    let (head, rest) = buf.split_at(n);
    *buf = rest;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::PushChannel;
    use crate::entity::{CallInfo, CallMedia, ChatType, NotificationAction};
    use crate::payload::{NormalizedNotification, PayloadFinding};
    use crate::UniFfiTag;
    use uniffi::Lower;

    /// Every field filled, written as a struct literal so that a new field
    /// does not compile until its shape is added above.
    fn every_field_filled() -> NormalizedNotification {
        NormalizedNotification {
            channel: Some(PushChannel::Honor),
            chat_type: Some(ChatType::Group),
            sender: Some("team".into()),
            conversation_id: Some("group_team".into()),
            action: NotificationAction::Other { code: 9 },
            call: Some(CallInfo {
                caller: "u1".into(),
                group_id: Some("team".into()),
                call_id: Some("c-1".into()),
                media: CallMedia::Video,
                invited: vec!["u2".into(), "u3".into()],
            }),
            nickname: Some("Team".into()),
            face_url: Some("https://x/f.png".into()),
            content: Some("hi".into()),
            send_time: 1_700_000_000,
            version: 1,
            newer_version: true,
            message_id: Some("m-1".into()),
            vendor_message_id: Some("v-1".into()),
            vendor_notification_id: Some("n-1".into()),
            title: Some("t".into()),
            body: Some("b".into()),
            custom_data: Some(vec![1, 2, 3]),
            extras: [("k".to_string(), "v".to_string())].into(),
            findings: vec![PayloadFinding {
                field: "entity.nickname".into(),
                problem: "not a string".into(),
            }],
        }
    }

    fn serialized(n: NormalizedNotification) -> Vec<u8> {
        let mut bytes = Vec::new();
        <NormalizedNotification as Lower<UniFfiTag>>::write(n, &mut bytes);
        bytes
    }

    #[test]
    fn the_notification_shape_walks_exactly_what_uniffi_writes() {
        let empty = NormalizedNotification {
            action: NotificationAction::Chat,
            chat_type: None,
            call: None,
            nickname: None,
            custom_data: None,
            extras: Default::default(),
            findings: Vec::new(),
            ..every_field_filled()
        };
        for value in [every_field_filled(), empty] {
            let bytes = serialized(value.clone());
            let mut rest = bytes.as_slice();
            assert_eq!(check(&NORMALIZED_NOTIFICATION, &mut rest), Ok(()));
            assert!(rest.is_empty(), "{} bytes left for {value:?}", rest.len());
        }
    }

    #[test]
    fn counts_beyond_the_bytes_left_are_refused_before_reading() {
        let bytes = serialized(every_field_filled());
        // The findings' count is the last i32 before one finding
        // ("entity.nickname", "not a string"); the extras' count comes
        // before one entry ("k", "v").
        let findings_count_at = bytes.len() - (4 + 15 + 4 + 12) - 4;
        let extras_count_at = findings_count_at - (4 + 1 + 4 + 1) - 4;
        let custom_data_count_at = extras_count_at - 3 - 4;
        for (name, at, count) in [
            ("findings i32::MAX", findings_count_at, i32::MAX),
            ("findings one too many", findings_count_at, 2),
            ("extras i32::MAX", extras_count_at, i32::MAX),
            ("extras one too many", extras_count_at, 2),
            ("custom data i32::MAX", custom_data_count_at, i32::MAX),
            ("custom data negative", custom_data_count_at, -1),
        ] {
            let mut bad = bytes.clone();
            bad[at..at + 4].copy_from_slice(&count.to_be_bytes());
            let mut rest = bad.as_slice();
            assert!(
                check(&NORMALIZED_NOTIFICATION, &mut rest).is_err(),
                "{name}"
            );
        }
    }
}
