//! A second door into the hot calls, for the JVM: plain C functions that
//! take one caller-owned buffer instead of UniFFI's per-call structures.
//!
//! Why it exists: UniFFI's Kotlin bindings allocate a JNA `Structure` (its
//! own native memory, tracked by JNA's cleaner) for the call status of every
//! crossing and for every `RustBuffer` passed or returned by value. On
//! HotSpot that made a call that does nothing cost 23-39 µs, ten times the
//! parse behind it (docs/performance.md). These functions take only
//! primitives (among them the address of a direct `ByteBuffer` the Kotlin
//! side keeps per thread), so a call allocates no native memory on the JVM.
//! The Android-tap calls take the extras as an [`extras_tree`] rather than
//! JSON text, which spares escaping the payload in Kotlin and unescaping it
//! here.
//!
//! What is not new: arguments and answers are serialized exactly as UniFFI
//! serializes them (its `Lift`/`Lower` traits here, its generated
//! `FfiConverter`s in Kotlin), and the work is the exported methods' own, so
//! the two doors cannot disagree. Swift does not need this door: it calls C
//! directly and UniFFI's Swift crossings allocate nothing comparable.
//!
//! The protocol, shared with `bindings/kotlin/.../FastCalls.kt`:
//! - pointers and handles cross as `u64` (a Java `long`), whatever the
//!   platform's pointer width, so the signature is the same on 32-bit ABIs;
//! - the caller writes the arguments at the start of `buf` (`in_len`
//!   bytes, UniFFI's serialization in parameter order, except the extras
//!   tree); `cap` is the
//!   buffer's size and at least [`HEADER_LEN`];
//! - the function reads every argument before it writes anything, then
//!   writes a header: the answer's length (big-endian `u32` at 0) and, if
//!   the answer did not fit after the header, a pointer to a Rust-owned copy
//!   (big-endian `u64` at 8, else 0) that the caller frees with
//!   [`pushcore_fast_free`]; an answer that fits follows the header;
//! - the return value says what the answer is ([`STATUS_OK`] and friends).
//!
//! Counts and lengths in the arguments are checked against the bytes left
//! before anything is reserved (`counts`, [`extras_tree`]): a malformed
//! buffer answers [`STATUS_BAD_CALL`] at a cost bounded by its size, never
//! an allocation failure (which aborts, uncatchably).
//!
//! No panic crosses: each function catches it and answers [`STATUS_PANIC`].
//!
//! The constants below are the protocol's one definition; `FastWire` and
//! `FastLib` in FastCalls.kt mirror them, and a test here reads that file
//! and fails when a value differs or one is missing. Every [`ABI_VERSION`]
//! bump goes in CHANGELOG.md.
//!
//! When this door can go: once UniFFI's Kotlin bindings stop allocating per
//! call, through the JNI-based Kotlin bindgen or the buffer-based FFI that
//! upstream UniFFI has merged but not yet released. Then compare the
//! generated calls with these in the JMH benchmarks (docs/performance.md);
//! if they cost the same, point `FastCalls`' callers at the `PushCore`
//! methods of the same names and delete this module and FastCalls.kt.

mod counts;
pub mod extras_tree;

use super::PushCore;
use crate::channel::PushChannel;
use crate::error::PushError;
use crate::limits;
use crate::payload::{self, ClickInput, NormalizedNotification};
use crate::store::dedup::DedupKind;
use crate::UniFfiTag;
use extras_tree::TreeError;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use uniffi::{Lift, Lower};

// The contract every buffer call states in its `# Safety` section.
macro_rules! safety_of_buffer {
    () => {
        "`buf` must be 0 or the address of `cap` bytes, readable and writable \
         and used by nothing else during the call."
    };
}
macro_rules! safety_with_core {
    () => {
        concat!(
            safety_of_buffer!(),
            " `core` must be 0 or a handle from [`pushcore_fast_core_attach`] \
             not yet released."
        )
    };
}

/// Bumped whenever a signature or the buffer layout changes; the Kotlin side
/// refuses a library whose version differs from the one it was written for.
/// 4: `ReceivedOutcome.decision` replaced `dedup` and `TapOutcome` gained
/// `badge`, so the answers of the received and tap calls changed layout.
/// 5: `ReceivedOutcome` gained `conversation` and `silent`, and
/// `SuppressReason` gained `Muted` and `QuietHours` (issue 17).
pub const ABI_VERSION: u32 = 5;

/// Bytes before an answer that fits in the caller's buffer.
pub const HEADER_LEN: usize = 16;

/// The answer is the call's value, serialized as UniFFI would return it.
pub const STATUS_OK: i32 = 0;
/// The answer is a serialized [`PushError`].
pub const STATUS_ERROR: i32 = 1;
/// The answer is a UTF-8 panic message: a bug in the core.
pub const STATUS_PANIC: i32 = 2;
/// The call itself was malformed (a bug in the caller's bindings): a
/// UTF-8 reason. Nothing was done.
pub const STATUS_BAD_CALL: i32 = 3;
/// `buf` was null or smaller than [`HEADER_LEN`]: no header was written.
pub const STATUS_NO_BUFFER: i32 = 4;

/// What a call produced, before it is written back.
enum Answer {
    Value(Vec<u8>),
    Error(Vec<u8>),
}

fn serialize<T: Lower<UniFfiTag>>(value: T) -> Vec<u8> {
    // Enough for a typical answer (a parsed tap is 300-600 bytes), so the
    // writer does not grow the vector several times.
    let mut bytes = Vec::with_capacity(1024);
    T::write(value, &mut bytes);
    bytes
}

fn answer<T: Lower<UniFfiTag>, E: Into<PushError>>(result: Result<T, E>) -> Answer {
    let result = super::errors::handled("fast door call", result);
    match result {
        Ok(value) => Answer::Value(serialize(value)),
        Err(error) => Answer::Error(serialize(error)),
    }
}

/// Reads the arguments of one call, in order, and insists on reading all of
/// them: leftover bytes mean the two sides disagree on the signature.
struct Arguments<'a> {
    rest: &'a [u8],
}

impl Arguments<'_> {
    fn next<T: Lift<UniFfiTag>>(&mut self, name: &str) -> Result<T, String> {
        T::try_read(&mut self.rest).map_err(|e| format!("argument `{name}`: {e}"))
    }

    /// [`next`](Self::next) for a type holding sequences or maps, whose
    /// counts are first checked against the bytes left (see [`counts`]).
    fn next_counted<T: Lift<UniFfiTag>>(
        &mut self,
        name: &str,
        shape: &counts::Shape,
    ) -> Result<T, String> {
        counts::check(shape, &mut &*self.rest).map_err(|e| format!("argument `{name}`: {e}"))?;
        self.next(name)
    }

    fn finish(self) -> Result<(), String> {
        match self.rest.len() {
            0 => Ok(()),
            n => Err(format!("{n} bytes left after the last argument")),
        }
    }
}

/// The core a fast handle stands for. A fast handle is a leaked
/// `Box<Arc<PushCore>>` from [`pushcore_fast_core_attach`]: its own
/// reference, independent of the UniFFI object's, so the core stays alive
/// until the handle is released whatever the app does with the object.
///
/// # Safety
/// `handle` must come from `pushcore_fast_core_attach` and not have been
/// released; the Kotlin side guards that with a call counter.
unsafe fn core_of<'a>(handle: u64) -> Result<&'a PushCore, String> {
    let ptr = handle as usize as *const Arc<PushCore>;
    if ptr.is_null() {
        return Err("no core handle".into());
    }
    // SAFETY: per this function's contract the box is alive for the call.
    Ok(unsafe { &**ptr })
}

/// Runs one call: reads its arguments from the buffer at address `buf`,
/// runs it with panics caught, writes the answer back.
///
/// # Safety
/// `buf` must be 0 or valid for reads and writes of `cap` bytes for the
/// duration of the call, with nothing else accessing it meanwhile.
unsafe fn serve(
    buf: u64,
    in_len: i32,
    cap: i32,
    call: impl FnOnce(Arguments<'_>) -> Result<Answer, String>,
) -> i32 {
    let buf = buf as usize as *mut u8;
    let (Ok(in_len), Ok(cap)) = (usize::try_from(in_len), usize::try_from(cap)) else {
        return STATUS_NO_BUFFER;
    };
    if buf.is_null() || cap < HEADER_LEN {
        return STATUS_NO_BUFFER;
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if in_len > cap {
            return Err(format!("{in_len} argument bytes in a {cap}-byte buffer"));
        }
        // SAFETY: in bounds per the checks above and the caller's contract.
        // The slice ends with this closure, before the answer is written.
        let input = unsafe { std::slice::from_raw_parts(buf, in_len) };
        call(Arguments { rest: input })
    }));
    let (status, payload) = match outcome {
        Ok(Ok(Answer::Value(bytes))) => (STATUS_OK, bytes),
        Ok(Ok(Answer::Error(bytes))) => (STATUS_ERROR, bytes),
        Ok(Err(reason)) => (STATUS_BAD_CALL, reason.into_bytes()),
        Err(panic) => (STATUS_PANIC, panic_message(panic.as_ref()).into_bytes()),
    };
    // SAFETY: `buf` is valid for `cap` bytes and no longer borrowed.
    unsafe { write_answer(buf, cap, payload) };
    status
}

/// [`serve`] for a method of the core behind the fast handle `core`.
///
/// # Safety
/// As for [`serve`] and [`core_of`].
unsafe fn serve_core(
    core: u64,
    buf: u64,
    in_len: i32,
    cap: i32,
    call: impl FnOnce(&PushCore, Arguments<'_>) -> Result<Answer, String>,
) -> i32 {
    unsafe { serve(buf, in_len, cap, |args| call(core_of(core)?, args)) }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    format!("panic in the core: {detail}")
}

/// # Safety
/// `buf` valid for writes of `cap >= HEADER_LEN` bytes.
unsafe fn write_answer(buf: *mut u8, cap: usize, payload: Vec<u8>) {
    // SAFETY: per this function's contract.
    let out = unsafe { std::slice::from_raw_parts_mut(buf, cap) };
    // An answer over 4 GiB cannot be described by the header; no call
    // here produces anything near that, so clamp rather than fail.
    let len = u32::try_from(payload.len()).unwrap_or(u32::MAX);
    out[0..4].copy_from_slice(&len.to_be_bytes());
    out[4..8].fill(0);
    if payload.len() <= cap - HEADER_LEN {
        out[8..16].fill(0);
        out[HEADER_LEN..HEADER_LEN + payload.len()].copy_from_slice(&payload);
    } else {
        let owned = Box::into_raw(payload.into_boxed_slice()) as *mut u8 as usize as u64;
        out[8..16].copy_from_slice(&owned.to_be_bytes());
    }
}

/// The protocol version this library speaks; see [`ABI_VERSION`].
#[no_mangle]
pub extern "C" fn pushcore_fast_abi_version() -> u32 {
    ABI_VERSION
}

/// Frees an answer that did not fit in the caller's buffer.
///
/// # Safety
/// `ptr` and `len` must be a pointer and length from one answer's header,
/// freed once.
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_free(ptr: u64, len: u32) {
    let ptr = ptr as usize as *mut u8;
    if ptr.is_null() {
        return;
    }
    // SAFETY: per the contract this is the boxed slice `write_answer` leaked.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len as usize)) });
}

/// Turns a UniFFI handle the caller cloned for us into a fast handle; 0 if
/// `uniffi_handle` is 0. The clone is consumed either way.
///
/// # Safety
/// `uniffi_handle` must be 0 or a `PushCore` handle cloned for this call
/// (Kotlin: `PushCore.uniffiCloneHandle()`).
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_core_attach(uniffi_handle: u64) -> u64 {
    if uniffi_handle == 0 {
        return 0;
    }
    let handle = uniffi::ffi::Handle::from_raw_unchecked(uniffi_handle);
    catch_unwind(
        || match <Arc<PushCore> as Lift<UniFfiTag>>::try_lift(handle) {
            Ok(core) => Box::into_raw(Box::new(core)) as usize as u64,
            Err(_) => 0,
        },
    )
    .unwrap_or(0)
}

/// Releases a fast handle (the core itself lives on while the app's object
/// or another handle holds it).
///
/// # Safety
/// `handle` must be 0 or come from [`pushcore_fast_core_attach`], released
/// once, with no call using it in flight.
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_core_release(handle: u64) {
    let ptr = handle as usize as *mut Arc<PushCore>;
    if ptr.is_null() {
        return;
    }
    // SAFETY: per the contract this is the box `attach` leaked. Dropping the
    // last reference closes the store, which does not panic.
    drop(unsafe { Box::from_raw(ptr) });
}

/// [`payload::parse_click_input`]: `ClickInput` → `NormalizedNotification`.
///
/// # Safety
#[doc = safety_of_buffer!()]
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_parse_click_input(buf: u64, in_len: i32, cap: i32) -> i32 {
    unsafe {
        serve(buf, in_len, cap, |mut args| {
            let input: ClickInput = args.next("input")?;
            args.finish()?;
            Ok(answer(payload::parse_click(input)))
        })
    }
}

/// [`PushCore::handle_tap`]: `ClickInput` → `TapOutcome`.
///
/// # Safety
#[doc = safety_with_core!()]
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_handle_tap(
    core: u64,
    buf: u64,
    in_len: i32,
    cap: i32,
) -> i32 {
    unsafe {
        serve_core(core, buf, in_len, cap, |core, mut args| {
            let input: ClickInput = args.next("input")?;
            args.finish()?;
            Ok(answer(core.handle_tap(input)))
        })
    }
}

/// [`PushCore::check_and_mark`]: `(String key, DedupKind, String source)` →
/// `DedupOutcome`.
///
/// # Safety
#[doc = safety_with_core!()]
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_check_and_mark(
    core: u64,
    buf: u64,
    in_len: i32,
    cap: i32,
) -> i32 {
    unsafe {
        serve_core(core, buf, in_len, cap, |core, mut args| {
            let key: String = args.next("key")?;
            let kind: DedupKind = args.next("kind")?;
            let source: String = args.next("source")?;
            args.finish()?;
            Ok(answer(core.check_and_mark(key, kind, source)))
        })
    }
}

/// [`PushCore::check_and_mark_notification`]: `(NormalizedNotification,
/// DedupKind, String source)` → `DedupOutcome`.
///
/// # Safety
#[doc = safety_with_core!()]
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_check_and_mark_notification(
    core: u64,
    buf: u64,
    in_len: i32,
    cap: i32,
) -> i32 {
    unsafe {
        serve_core(core, buf, in_len, cap, |core, mut args| {
            let notification: NormalizedNotification =
                args.next_counted("notification", &counts::NORMALIZED_NOTIFICATION)?;
            let kind: DedupKind = args.next("kind")?;
            let source: String = args.next("source")?;
            args.finish()?;
            Ok(answer(core.check_and_mark_notification(
                notification,
                kind,
                source,
            )))
        })
    }
}

/// An Android tap's arguments in the tree form: what
/// `ClickInput::Android` carries, with the extras as an
/// [`extras_tree`] instead of JSON text.
/// A refusal of the extras (size, depth, a bad number) is answered as the
/// JSON form's would be, without reading the remaining arguments.
fn android_tap(
    mut args: Arguments<'_>,
) -> Result<Result<NormalizedNotification, PushError>, String> {
    // The same size limit as for the JSON form, on the encoded arguments.
    if let Err(e) = limits::check_size(args.rest.len()) {
        return Ok(Err(e));
    }
    let extras = match extras_tree::read_extras(&mut args.rest) {
        Ok(extras) => extras,
        Err(TreeError::Refused(e)) => return Ok(Err(e)),
        Err(TreeError::Malformed(reason)) => return Err(format!("argument `extras`: {reason}")),
    };
    let data_uri: Option<String> = args.next("data_uri")?;
    let channel_hint: Option<PushChannel> = args.next("channel_hint")?;
    args.finish()?;
    Ok(payload::parse_android_extras(extras, data_uri, channel_hint).map_err(PushError::from))
}

/// `parseClickInput(ClickInputs.android(extras, dataUri, channelHint))`
/// with the extras as a tree: `(extras tree, Option<String>,
/// Option<PushChannel>)` → `NormalizedNotification`.
///
/// # Safety
#[doc = safety_of_buffer!()]
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_parse_android_tap(buf: u64, in_len: i32, cap: i32) -> i32 {
    unsafe { serve(buf, in_len, cap, |args| Ok(answer(android_tap(args)?))) }
}

/// [`PushCore::handle_tap`] for an Android tap with the extras as a tree:
/// same arguments as [`pushcore_fast_parse_android_tap`] → `TapOutcome`.
///
/// # Safety
#[doc = safety_with_core!()]
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_handle_android_tap(
    core: u64,
    buf: u64,
    in_len: i32,
    cap: i32,
) -> i32 {
    unsafe {
        serve_core(core, buf, in_len, cap, |core, args| {
            Ok(answer(
                android_tap(args)?.map(|n| core.handle_parsed_tap(n)),
            ))
        })
    }
}

/// [`PushCore::handle_received`]: `(ClickInput, String source)` →
/// `ReceivedOutcome`.
///
/// # Safety
#[doc = safety_with_core!()]
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_handle_received(
    core: u64,
    buf: u64,
    in_len: i32,
    cap: i32,
) -> i32 {
    unsafe {
        serve_core(core, buf, in_len, cap, |core, mut args| {
            let input: ClickInput = args.next("input")?;
            let source: String = args.next("source")?;
            args.finish()?;
            Ok(answer(core.handle_received(input, source)))
        })
    }
}

/// [`PushCore::handle_received`] for an Android message with the extras as
/// a tree: `(String source, extras tree, Option<String>,
/// Option<PushChannel>)` → `ReceivedOutcome`. The source comes first so
/// the Android arguments end the buffer, as in the other tree calls.
///
/// # Safety
#[doc = safety_with_core!()]
#[no_mangle]
pub unsafe extern "C" fn pushcore_fast_handle_received_android(
    core: u64,
    buf: u64,
    in_len: i32,
    cap: i32,
) -> i32 {
    unsafe {
        serve_core(core, buf, in_len, cap, |core, mut args| {
            let source: String = args.next("source")?;
            let parsed = android_tap(args)?;
            Ok(answer(
                parsed.and_then(|n| core.handle_parsed_received(n, &source)),
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::PushChannel;
    use crate::config::example_config;
    use crate::store::dedup::DedupOutcome;

    fn tap(channel: PushChannel) -> ClickInput {
        crate::outbound::simulated_tap(
            r#"{"message_type":"text","message_id":"m-7","chat_type":"c2c","sender":"alice","content":"hi"}"#,
            channel,
        )
    }

    /// A call as the Kotlin side makes it: arguments at the start of a
    /// buffer of `cap` bytes (at least the arguments and the header).
    struct Call {
        buf: Vec<u8>,
        in_len: i32,
    }

    impl Call {
        fn new(arguments: Vec<u8>, cap: usize) -> Call {
            let in_len = arguments.len() as i32;
            let mut buf = arguments;
            buf.resize(cap.max(buf.len()), 0xAA);
            Call { buf, in_len }
        }

        fn addr(&mut self) -> u64 {
            self.buf.as_mut_ptr() as usize as u64
        }

        fn cap(&self) -> i32 {
            self.buf.len() as i32
        }

        /// The answer's bytes, from the buffer or from the overflow copy
        /// (which this frees, as the Kotlin side does).
        fn answer(&self) -> Vec<u8> {
            let len = u32::from_be_bytes(self.buf[0..4].try_into().unwrap()) as usize;
            let ptr = u64::from_be_bytes(self.buf[8..16].try_into().unwrap());
            if ptr == 0 {
                self.buf[HEADER_LEN..HEADER_LEN + len].to_vec()
            } else {
                let copy =
                    unsafe { std::slice::from_raw_parts(ptr as usize as *const u8, len) }.to_vec();
                unsafe { pushcore_fast_free(ptr, len as u32) };
                copy
            }
        }

        fn overflowed(&self) -> bool {
            self.buf[8..16] != [0; 8]
        }
    }

    fn read<T: Lift<UniFfiTag>>(bytes: &[u8]) -> T {
        let mut rest = bytes;
        let value = T::try_read(&mut rest).unwrap();
        assert!(rest.is_empty(), "{} bytes left", rest.len());
        value
    }

    fn parse_through_fast(input: ClickInput, cap: usize) -> (i32, Call) {
        let mut call = Call::new(serialize(input), cap);
        let status =
            unsafe { pushcore_fast_parse_click_input(call.addr(), call.in_len, call.cap()) };
        (status, call)
    }

    #[test]
    fn parse_answers_as_the_exported_function_for_every_channel() {
        for channel in &PushChannel::ALL {
            let expected = payload::parse_click(tap(*channel)).unwrap();
            let (status, call) = parse_through_fast(tap(*channel), 16 * 1024);
            assert_eq!(status, STATUS_OK, "{channel:?}");
            assert!(!call.overflowed());
            assert_eq!(read::<NormalizedNotification>(&call.answer()), expected);
        }
    }

    #[test]
    fn errors_are_the_exported_errors_and_large_answers_overflow() {
        let input = ClickInput::Ios {
            user_info_json: "not json".into(),
        };
        let expected = PushError::from(payload::parse_click(input.clone()).unwrap_err());
        // Room for the arguments only: the error's text does not fit.
        let args = serialize(input.clone()).len();
        let (status, call) = parse_through_fast(input, args + HEADER_LEN);
        assert_eq!(status, STATUS_ERROR);
        assert!(call.overflowed());
        assert_eq!(read::<PushError>(&call.answer()), expected);
    }

    #[test]
    fn malformed_calls_are_refused_without_touching_anything() {
        let mut small = [0u8; 8];
        assert_eq!(
            unsafe { pushcore_fast_parse_click_input(small.as_mut_ptr() as usize as u64, 0, 8) },
            STATUS_NO_BUFFER
        );
        assert_eq!(
            unsafe { pushcore_fast_parse_click_input(0, 0, 64) },
            STATUS_NO_BUFFER
        );
        assert_eq!(
            unsafe { pushcore_fast_parse_click_input(small.as_mut_ptr() as usize as u64, -1, 8) },
            STATUS_NO_BUFFER
        );

        let cases: Vec<(&str, Vec<u8>, i32)> = vec![
            ("length beyond the buffer", vec![], 100),
            ("unknown variant", 7i32.to_be_bytes().to_vec(), 4),
            (
                "truncated string",
                [1i32.to_be_bytes(), 50i32.to_be_bytes()].concat(),
                8,
            ),
        ];
        for (name, bytes, in_len) in cases {
            let mut call = Call::new(bytes, 64);
            let status =
                unsafe { pushcore_fast_parse_click_input(call.addr(), in_len, call.cap()) };
            assert_eq!(status, STATUS_BAD_CALL, "{name}");
            assert!(
                !String::from_utf8(call.answer()).unwrap().is_empty(),
                "{name}"
            );
        }
        // Leftover bytes after the last argument.
        let mut args = serialize(tap(PushChannel::Fcm));
        args.push(0);
        let mut call = Call::new(args, 4096);
        let status =
            unsafe { pushcore_fast_parse_click_input(call.addr(), call.in_len, call.cap()) };
        assert_eq!(status, STATUS_BAD_CALL);
        assert!(String::from_utf8(call.answer())
            .unwrap()
            .contains("left after the last argument"));

        let mut call = Call::new(serialize(tap(PushChannel::Fcm)), 4096);
        let status = unsafe { pushcore_fast_handle_tap(0, call.addr(), call.in_len, call.cap()) };
        assert_eq!(status, STATUS_BAD_CALL);
    }

    #[test]
    fn a_panic_becomes_an_answer() {
        let mut buf = vec![0u8; 64];
        let status = unsafe {
            serve(
                buf.as_mut_ptr() as usize as u64,
                0,
                64,
                |_| -> Result<Answer, String> { panic!("boom") },
            )
        };
        assert_eq!(status, STATUS_PANIC);
        let call = Call { buf, in_len: 0 };
        assert_eq!(
            String::from_utf8(call.answer()).unwrap(),
            "panic in the core: boom"
        );
    }

    #[test]
    fn a_fast_handle_keeps_the_core_and_shares_its_store() {
        let dir = tempfile::tempdir().unwrap();
        let core = PushCore::new(example_config(), dir.path().display().to_string()).unwrap();
        let uniffi_handle = <Arc<PushCore> as Lower<UniFfiTag>>::lower(core.clone()).as_raw();
        let fast = unsafe { pushcore_fast_core_attach(uniffi_handle) };
        assert_ne!(fast, 0);
        assert_eq!(Arc::strong_count(&core), 2);

        let mark = |key: &str| {
            let args = [
                serialize(key.to_string()),
                serialize(DedupKind::Clicked),
                serialize("fcm".to_string()),
            ]
            .concat();
            let mut call = Call::new(args, 1024);
            let status =
                unsafe { pushcore_fast_check_and_mark(fast, call.addr(), call.in_len, call.cap()) };
            assert_eq!(status, STATUS_OK);
            read::<DedupOutcome>(&call.answer())
        };
        assert_eq!(mark("m-1"), DedupOutcome::Fresh);
        assert!(matches!(mark("m-1"), DedupOutcome::Duplicate { .. }));
        assert!(matches!(
            core.check_and_mark("m-1".into(), DedupKind::Clicked, "x".into())
                .unwrap(),
            DedupOutcome::Duplicate { .. }
        ));

        let mut call = Call::new(serialize(tap(PushChannel::Oppo)), 4096);
        let status =
            unsafe { pushcore_fast_handle_tap(fast, call.addr(), call.in_len, call.cap()) };
        assert_eq!(status, STATUS_OK);
        let outcome = read::<super::super::tap::TapOutcome>(&call.answer());
        assert_eq!(outcome.dedup, Some(DedupOutcome::Fresh));

        unsafe { pushcore_fast_core_release(fast) };
        assert_eq!(Arc::strong_count(&core), 1);
        assert_eq!(unsafe { pushcore_fast_core_attach(0) }, 0);
    }

    /// The arguments of the tree-form Android calls, from a `ClickInput`.
    fn android_arguments(input: &ClickInput) -> Vec<u8> {
        let ClickInput::Android {
            extras_json,
            data_uri,
            channel_hint,
        } = input
        else {
            panic!("not an Android tap");
        };
        let extras: serde_json::Value = serde_json::from_str(extras_json).unwrap();
        let mut args = Vec::new();
        extras_tree::write_value(&extras, &mut args);
        args.extend(serialize(data_uri.clone()));
        args.extend(serialize(*channel_hint));
        args
    }

    #[test]
    fn the_tree_form_answers_as_the_json_form_for_every_android_channel() {
        for channel in PushChannel::ALL.iter().filter(|c| **c != PushChannel::Apns) {
            // One core per channel: every channel carries the same message.
            let dir = tempfile::tempdir().unwrap();
            let core = PushCore::new(example_config(), dir.path().display().to_string()).unwrap();
            let fast = unsafe {
                pushcore_fast_core_attach(
                    <Arc<PushCore> as Lower<UniFfiTag>>::lower(core.clone()).as_raw(),
                )
            };
            let input = tap(*channel);
            let expected = payload::parse_click(input.clone()).unwrap();
            let mut call = Call::new(android_arguments(&input), 16 * 1024);
            let status =
                unsafe { pushcore_fast_parse_android_tap(call.addr(), call.in_len, call.cap()) };
            assert_eq!(
                status,
                STATUS_OK,
                "{channel:?}: {:?}",
                String::from_utf8_lossy(&call.answer())
            );
            assert_eq!(
                read::<NormalizedNotification>(&call.answer()),
                expected,
                "{channel:?}"
            );

            let mut call = Call::new(android_arguments(&input), 16 * 1024);
            let status = unsafe {
                pushcore_fast_handle_android_tap(fast, call.addr(), call.in_len, call.cap())
            };
            assert_eq!(status, STATUS_OK);
            let outcome = read::<super::super::tap::TapOutcome>(&call.answer());
            assert_eq!(outcome.notification, expected, "{channel:?}");
            assert_eq!(outcome.route, core.route(expected.clone()));
            assert_eq!(outcome.dedup, Some(DedupOutcome::Fresh));
            // The tap is now recorded in the core's store.
            assert!(matches!(
                core.handle_tap(input.clone()).unwrap().dedup,
                Some(DedupOutcome::Duplicate { .. })
            ));
            // The received path, both forms, on a fresh store each.
            let dir = tempfile::tempdir().unwrap();
            let other = PushCore::new(example_config(), dir.path().display().to_string()).unwrap();
            let other_fast = unsafe {
                pushcore_fast_core_attach(
                    <Arc<PushCore> as Lower<UniFfiTag>>::lower(other.clone()).as_raw(),
                )
            };
            let args = [serialize("fcm-data".to_string()), android_arguments(&input)].concat();
            let mut call = Call::new(args, 16 * 1024);
            let status = unsafe {
                pushcore_fast_handle_received_android(
                    other_fast,
                    call.addr(),
                    call.in_len,
                    call.cap(),
                )
            };
            assert_eq!(status, STATUS_OK, "{channel:?}");
            let received = read::<super::super::received::ReceivedOutcome>(&call.answer());
            assert_eq!(received.notification, expected);
            assert!(
                matches!(
                    received.decision,
                    crate::ReceivedDecision::Show { badge: Some(1), .. }
                ),
                "{:?}",
                received.decision
            );
            let args = [serialize(input.clone()), serialize("im-online".to_string())].concat();
            let mut call = Call::new(args, 16 * 1024);
            let status = unsafe {
                pushcore_fast_handle_received(other_fast, call.addr(), call.in_len, call.cap())
            };
            assert_eq!(status, STATUS_OK);
            let again = read::<super::super::received::ReceivedOutcome>(&call.answer());
            assert_eq!(again.dedup_key, received.dedup_key);
            assert_eq!(
                again.decision,
                crate::ReceivedDecision::Suppress {
                    reason: crate::SuppressReason::Duplicate,
                    badge: Some(1)
                }
            );
            unsafe { pushcore_fast_core_release(other_fast) };
            unsafe { pushcore_fast_core_release(fast) };
        }
    }

    #[test]
    fn the_tree_form_refuses_what_the_json_form_refuses() {
        let mut deep = serde_json::json!({ "ext": "x" });
        for _ in 0..limits::MAX_DEPTH {
            deep = serde_json::json!({ "a": deep });
        }
        let big = serde_json::json!({ "ext": "x".repeat(limits::MAX_INPUT_BYTES) });
        let no_ext = serde_json::json!({ "other": 1 });
        for (name, extras, code) in [
            ("deep", deep, "too_large"),
            ("big", big, "too_large"),
            ("no ext", no_ext, "no_push_payload"),
        ] {
            let mut args = Vec::new();
            extras_tree::write_value(&extras, &mut args);
            args.extend(serialize(None::<String>));
            args.extend(serialize(None::<PushChannel>));
            let json_form = PushError::from(
                payload::parse_click(ClickInput::Android {
                    extras_json: extras.to_string(),
                    data_uri: None,
                    channel_hint: None,
                })
                .unwrap_err(),
            );
            let mut call = Call::new(args, 128 * 1024);
            let status =
                unsafe { pushcore_fast_parse_android_tap(call.addr(), call.in_len, call.cap()) };
            assert_eq!(status, STATUS_ERROR, "{name}");
            let error = read::<PushError>(&call.answer());
            assert_eq!((error.code(), json_form.code()), (code, code), "{name}");
        }
        // A malformed tree is the caller's bug, not the payload's.
        let mut call = Call::new(vec![extras_tree::TAG_LIST, 0, 0, 0, 0], 64);
        let status =
            unsafe { pushcore_fast_parse_android_tap(call.addr(), call.in_len, call.cap()) };
        assert_eq!(status, STATUS_BAD_CALL);
    }

    /// FastCalls.kt keeps a copy of each protocol constant; they must agree.
    #[test]
    fn the_kotlin_side_has_every_protocol_constant_with_the_same_value() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../bindings/kotlin/src/main/kotlin/dev/pushcore/FastCalls.kt"
        );
        let kotlin = std::fs::read_to_string(path).unwrap();
        let value = |name: &str| -> Option<i64> {
            kotlin.lines().find_map(|line| {
                let rest = line.trim().strip_prefix("private ").unwrap_or(line.trim());
                let rest = rest.strip_prefix("const val ")?.strip_prefix(name)?;
                rest.trim().strip_prefix('=')?.trim().parse().ok()
            })
        };
        let constants = [
            ("ABI_VERSION", i64::from(ABI_VERSION)),
            ("HEADER_LEN", HEADER_LEN as i64),
            ("STATUS_OK", i64::from(STATUS_OK)),
            ("STATUS_ERROR", i64::from(STATUS_ERROR)),
            ("STATUS_PANIC", i64::from(STATUS_PANIC)),
            ("STATUS_BAD_CALL", i64::from(STATUS_BAD_CALL)),
            ("STATUS_NO_BUFFER", i64::from(STATUS_NO_BUFFER)),
        ];
        for (name, rust) in constants {
            assert_eq!(value(name), Some(rust), "{name} in FastCalls.kt");
        }
    }
}
