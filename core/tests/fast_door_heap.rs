//! What a malformed fast-door call costs in heap: measured by a counting
//! global allocator, per thread (the call runs on the calling thread, and
//! tests run side by side).
//!
//! The contract (core/src/facade/fast): a malformed call answers
//! `STATUS_BAD_CALL`, and its counts never make the core reserve memory the
//! buffer does not back. Before the counts were checked, a count of
//! `0x7fffffff` aborted the process, and a 64 KiB extras tree of nested
//! lists grew the heap by 123 MiB.

use pushcore::fast::{self, extras_tree, HEADER_LEN};
mod common;

use pushcore::{NormalizedNotification, PushChannel, PushCore, UniFfiTag};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;
use uniffi::Lower;

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grew(by: usize) {
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + by);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn shrank(by: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(by)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        shrank(layout.size());
        grew(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most the heap grew on this thread while `f` ran, and its answer.
fn peak_growth<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(base));
    let answer = f();
    (PEAK.with(Cell::get) - base, answer)
}

/// Calls `call` with `arguments` in a buffer with room for a short answer.
fn fast_call(arguments: &[u8], call: impl FnOnce(u64, i32, i32) -> i32) -> (usize, i32) {
    let mut buf = arguments.to_vec();
    buf.resize(arguments.len() + HEADER_LEN + 512, 0);
    let (addr, in_len, cap) = (
        buf.as_mut_ptr() as usize as u64,
        arguments.len() as i32,
        buf.len() as i32,
    );
    let (grown, status) = peak_growth(|| call(addr, in_len, cap));
    let len = u32::from_be_bytes(buf[0..4].try_into().unwrap());
    let overflow = u64::from_be_bytes(buf[8..16].try_into().unwrap());
    if overflow != 0 {
        unsafe { fast::pushcore_fast_free(overflow, len) };
    }
    (grown, status)
}

/// The largest tree the size limit lets through: 64 KiB of arguments, two
/// of them after the tree.
const TREE_BYTES: usize = 64 * 1024 - 2;

/// `{"k": <items>}` as a tree, the items filling the rest of 64 KiB.
fn root_with(item: &[u8]) -> Vec<u8> {
    let mut tree = vec![extras_tree::TAG_MAP, 0, 0, 0, 1, 0, 0, 0, 1, b'k'];
    while tree.len() + item.len() <= TREE_BYTES {
        tree.extend_from_slice(item);
    }
    tree.resize(TREE_BYTES, extras_tree::TAG_NULL);
    tree
}

fn list(count: i32) -> Vec<u8> {
    [&[extras_tree::TAG_LIST][..], &count.to_be_bytes()].concat()
}

#[test]
fn a_malformed_extras_tree_grows_the_heap_by_at_most_a_small_multiple_of_its_size() {
    // A list of nulls that claims more items than it holds (more than the
    // two argument bytes after the tree, which read as nulls too).
    let mut one_short = list(((TREE_BYTES - 15) + 3) as i32);
    one_short.resize(TREE_BYTES - 10, extras_tree::TAG_NULL);
    let mut bad_last_string = list(((TREE_BYTES - 15) / 6) as i32);
    for _ in 0..(TREE_BYTES - 15) / 6 {
        bad_last_string.extend_from_slice(&[extras_tree::TAG_STRING, 0, 0, 0, 1, b'x']);
    }
    let last = bad_last_string.len() - 1;
    bad_last_string[last] = 0xff;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "nested lists each claiming i32::MAX",
            root_with(&list(i32::MAX)),
        ),
        (
            "nested lists each claiming 60,000",
            root_with(&list(60_000)),
        ),
        ("a list three items short", root_with(&one_short)),
        (
            "a list whose last string is not UTF-8",
            root_with(&bad_last_string),
        ),
    ];
    for (name, mut arguments) in cases {
        // The remaining arguments: no data URI, no channel hint.
        arguments.extend_from_slice(&[0, 0]);
        let (grown, status) = fast_call(&arguments, |addr, in_len, cap| unsafe {
            fast::pushcore_fast_parse_android_tap(addr, in_len, cap)
        });
        assert!(
            status == fast::STATUS_BAD_CALL || status == fast::STATUS_ERROR,
            "{name}: status {status}"
        );
        assert_eq!(arguments.len(), 64 * 1024, "{name}: under the size limit");
        eprintln!("{name}: the heap grew by {grown} bytes");
        assert!(
            grown <= 2 * arguments.len(),
            "{name}: the heap grew by {grown} bytes for {} bytes of arguments",
            arguments.len()
        );
    }
}

fn notification() -> NormalizedNotification {
    NormalizedNotification {
        channel: Some(PushChannel::Fcm),
        chat_type: Some(pushcore::ChatType::C2c),
        sender: Some("alice".into()),
        conversation_id: Some("c2c_alice".into()),
        action: pushcore::NotificationAction::Chat,
        call: None,
        nickname: None,
        face_url: None,
        content: Some("hi".into()),
        send_time: 0,
        version: 1,
        newer_version: false,
        message_id: Some("m-1".into()),
        vendor_message_id: None,
        vendor_notification_id: None,
        title: None,
        body: None,
        custom_data: None,
        extras: Default::default(),
        findings: Vec::new(),
    }
}

#[test]
fn a_notification_argument_with_a_huge_count_is_a_bad_call_not_an_abort() {
    let (_dir, core) = common::example_core();
    let handle = <Arc<PushCore> as Lower<UniFfiTag>>::lower(core.clone()).as_raw();
    let handle = unsafe { fast::pushcore_fast_core_attach(handle) };

    let mut notification_bytes = Vec::new();
    <NormalizedNotification as Lower<UniFfiTag>>::write(notification(), &mut notification_bytes);
    // The serialization ends with `custom_data` (None: one byte) and the
    // extras' count (0): make them claim what is not there.
    let extras_count_at = notification_bytes.len() - 4;
    let mut huge_extras = notification_bytes.clone();
    huge_extras[extras_count_at..].copy_from_slice(&0x7fff_ffffi32.to_be_bytes());
    let mut huge_custom_data = notification_bytes[..extras_count_at - 1].to_vec();
    huge_custom_data.push(1);
    huge_custom_data.extend_from_slice(&0x7fff_ffffi32.to_be_bytes());
    huge_custom_data.extend_from_slice(&[0; 4]);
    let rest = [&[0, 0, 0, 1][..], &[0, 0, 0, 3], b"fcm"].concat(); // Displayed, "fcm"
    for (name, bytes) in [("extras", huge_extras), ("custom data", huge_custom_data)] {
        let arguments = [bytes, rest.clone()].concat();
        let (grown, status) = fast_call(&arguments, |addr, in_len, cap| unsafe {
            fast::pushcore_fast_check_and_mark_notification(handle, addr, in_len, cap)
        });
        assert_eq!(status, fast::STATUS_BAD_CALL, "{name}");
        assert!(grown <= 64 * 1024, "{name}: the heap grew by {grown} bytes");
    }
    // The same call, well formed, still works.
    let arguments = [notification_bytes, rest].concat();
    let (_, status) = fast_call(&arguments, |addr, in_len, cap| unsafe {
        fast::pushcore_fast_check_and_mark_notification(handle, addr, in_len, cap)
    });
    assert_eq!(status, fast::STATUS_OK);
    unsafe { fast::pushcore_fast_core_release(handle) };
}
