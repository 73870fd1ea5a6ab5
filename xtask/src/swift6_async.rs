//! Makes the generated Swift compile in the Swift 6 language mode.
//!
//! UniFFI 0.32.2's `Async.swift` template starts each foreign async trait
//! call in `let task = Task { ... }` inside `uniffiTraitInterfaceCallAsync`
//! and `uniffiTraitInterfaceCallAsyncWithError`. `Task` takes a `sending`
//! closure, and that closure captures the helpers' non-Sendable closure
//! parameters, so Swift 6 rejects both helpers with
//! `#SendingClosureRisksDataRace` (the only two errors a Swift 6.3 compile of
//! the package reported). The task is the closures' only user once it starts
//! (the generated vtable builds them for this one call and never touches them
//! again), so the rewrite hands them over in one `@unchecked Sendable` value:
//! packed before `Task {`, unpacked as the task's first statements, and the
//! original body follows unchanged, so each helper still calls `handleSuccess`
//! or `handleError` exactly once.
//!
//! Delete this module, its fixtures and its call in `generate_bindings` when
//! the project moves to a UniFFI release with uniffi-rs PR #2943 (which marks
//! these closures `@Sendable` upstream). Such an upgrade changes the helpers'
//! text, so the rewrite then fails the xtask instead of skipping silently.

use std::path::Path;

/// One generated helper as UniFFI 0.32.2 writes it, and its box type.
struct Helper {
    name: &'static str,
    generated: &'static str,
    box_declaration: &'static str,
    pack: &'static str,
    unpack: &'static str,
}

/// Where the box is packed (before) and unpacked (after), in both helpers.
const TASK_START: &str = "    let task = Task {\n";

const HELPERS: [Helper; 2] = [
    Helper {
        name: "uniffiTraitInterfaceCallAsync",
        generated: r#"private func uniffiTraitInterfaceCallAsync<T>(
    makeCall: @escaping () async throws -> T,
    handleSuccess: @escaping (T) -> (),
    handleError: @escaping (Int8, RustBuffer) -> (),
    droppedCallback: UnsafeMutablePointer<UniffiForeignFutureDroppedCallbackStruct>
) {
    let task = Task {
        // Note: it's important we call either `handleSuccess` or `handleError` exactly once.  Each
        // call consumes an Arc reference, which means there should be no possibility of a double
        // call.  The following code is structured so that will will never call both `handleSuccess`
        // and `handleError`, even in the face of weird errors.
        //
        // On platforms that need extra machinery to make C-ABI calls, like JNA or ctypes, it's
        // possible that we fail to make either call.  However, it doesn't seem like this is
        // possible on Swift since swift can just make the C call directly.
        var callResult: T
        do {
            callResult = try await makeCall()
        } catch {
            handleError(CALL_UNEXPECTED_ERROR, FfiConverterString.lower(String(describing: error)))
            return
        }
        handleSuccess(callResult)
    }
    let handle = UNIFFI_FOREIGN_FUTURE_HANDLE_MAP.insert(obj: task)
    droppedCallback.pointee = UniffiForeignFutureDroppedCallbackStruct(
        handle: handle,
        free: uniffiForeignFutureDroppedCallback
    )
}
"#,
        box_declaration: r#"// Added by `cargo xtask bindings` (xtask/src/swift6_async.rs) until UniFFI
// ships uniffi-rs PR #2943: the task below is the only user of these closures,
// so they cross into it in one box instead of as non-Sendable captures.
private struct UniffiTraitInterfaceCallAsyncClosures<T>: @unchecked Sendable {
    let makeCall: () async throws -> T
    let handleSuccess: (T) -> ()
    let handleError: (Int8, RustBuffer) -> ()
}

"#,
        pack: r#"    let closures = UniffiTraitInterfaceCallAsyncClosures(
        makeCall: makeCall,
        handleSuccess: handleSuccess,
        handleError: handleError
    )
"#,
        unpack: r#"        let makeCall = closures.makeCall
        let handleSuccess = closures.handleSuccess
        let handleError = closures.handleError
"#,
    },
    Helper {
        name: "uniffiTraitInterfaceCallAsyncWithError",
        generated: r#"private func uniffiTraitInterfaceCallAsyncWithError<T, E>(
    makeCall: @escaping () async throws -> T,
    handleSuccess: @escaping (T) -> (),
    handleError: @escaping (Int8, RustBuffer) -> (),
    lowerError: @escaping (E) -> RustBuffer,
    droppedCallback: UnsafeMutablePointer<UniffiForeignFutureDroppedCallbackStruct>
) {
    let task = Task {
        // See the note in uniffiTraitInterfaceCallAsync for details on `handleSuccess` and
        // `handleError`.
        var callResult: T
        do {
            callResult = try await makeCall()
        } catch let error as E {
            handleError(CALL_ERROR, lowerError(error))
            return
        } catch {
            handleError(CALL_UNEXPECTED_ERROR, FfiConverterString.lower(String(describing: error)))
            return
        }
        handleSuccess(callResult)
    }
    let handle = UNIFFI_FOREIGN_FUTURE_HANDLE_MAP.insert(obj: task)
    droppedCallback.pointee = UniffiForeignFutureDroppedCallbackStruct(
        handle: handle,
        free: uniffiForeignFutureDroppedCallback
    )
}
"#,
        box_declaration: r#"// Added by `cargo xtask bindings`, see UniffiTraitInterfaceCallAsyncClosures.
private struct UniffiTraitInterfaceCallAsyncWithErrorClosures<T, E>: @unchecked Sendable {
    let makeCall: () async throws -> T
    let handleSuccess: (T) -> ()
    let handleError: (Int8, RustBuffer) -> ()
    let lowerError: (E) -> RustBuffer
}

"#,
        pack: r#"    let closures = UniffiTraitInterfaceCallAsyncWithErrorClosures(
        makeCall: makeCall,
        handleSuccess: handleSuccess,
        handleError: handleError,
        lowerError: lowerError
    )
"#,
        unpack: r#"        let makeCall = closures.makeCall
        let handleSuccess = closures.handleSuccess
        let handleError = closures.handleError
        let lowerError = closures.lowerError
"#,
    },
];

/// `swift` with both helpers rewritten, or an error naming the helper whose
/// generated text is not there exactly once as UniFFI 0.32.2 writes it.
pub fn make_async_helpers_swift6_clean(swift: &str) -> Result<String, String> {
    let mut rewritten = swift.to_string();
    for helper in &HELPERS {
        let found = rewritten.matches(helper.generated).count();
        if found != 1 {
            return Err(format!(
                "the generated Swift has {found} copies of UniFFI 0.32.2's `{}` where the \
                 Swift 6 rewrite expects exactly 1. If UniFFI now includes uniffi-rs PR #2943 \
                 (@Sendable closures in Async.swift), delete xtask/src/swift6_async.rs, its \
                 fixtures and its call in generate_bindings; otherwise adapt the rewrite to \
                 the new template.",
                helper.name
            ));
        }
        let boxed = helper.generated.replacen(
            TASK_START,
            &format!("{}{TASK_START}{}", helper.pack, helper.unpack),
            1,
        );
        rewritten = rewritten.replacen(
            helper.generated,
            &format!("{}{boxed}", helper.box_declaration),
            1,
        );
    }
    Ok(rewritten)
}

/// Rewrites the generated Swift file in place.
pub fn rewrite_file(path: &Path) -> Result<(), String> {
    let swift = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rewritten =
        make_async_helpers_swift6_clean(&swift).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(path, rewritten).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Async.swift of UniFFI 0.32.2 as rendered for this project, from the
    /// continuation callback before the helpers to the handle map after them.
    const TEMPLATE: &str = include_str!("swift6_async/uniffi-0.32.2-async-helpers.swift");
    const EXPECTED: &str = include_str!("swift6_async/uniffi-0.32.2-async-helpers.swift6.swift");

    #[test]
    fn the_template_helpers_become_exactly_the_boxed_helpers() {
        let rewritten = make_async_helpers_swift6_clean(TEMPLATE).unwrap();
        assert_eq!(rewritten, EXPECTED);
    }

    #[test]
    fn every_closure_a_task_calls_is_unpacked_from_the_box_first() {
        let rewritten = make_async_helpers_swift6_clean(TEMPLATE).unwrap();
        let tasks: Vec<&str> = rewritten.split(TASK_START).skip(1).collect();
        assert_eq!(tasks.len(), 2);
        for task in tasks {
            let (unpacked, body) = task.split_at(task.find("        //").unwrap());
            for closure in ["makeCall", "handleSuccess", "handleError", "lowerError"] {
                let unpacks = format!("        let {closure} = closures.{closure}\n");
                if body.contains(&format!("{closure}(")) {
                    assert!(
                        unpacked.contains(&unpacks),
                        "{closure} not unpacked:\n{task}"
                    );
                }
            }
        }
    }

    #[test]
    fn generated_text_that_no_longer_matches_fails_with_the_way_out() {
        let upstream_fix = TEMPLATE.replace("makeCall: @escaping", "makeCall: @Sendable @escaping");
        let twice = format!("{TEMPLATE}{TEMPLATE}");
        let cases = [
            ("the upstream fix", upstream_fix.as_str(), "0 copies"),
            ("helpers generated twice", twice.as_str(), "2 copies"),
            ("no async traits", "import Foundation\n", "0 copies"),
        ];
        for (case, swift, count) in cases {
            let error = make_async_helpers_swift6_clean(swift)
                .expect_err(case)
                .to_string();
            assert!(error.contains(count), "{case}: {error}");
            assert!(error.contains("uniffi-rs PR #2943"), "{case}: {error}");
            assert!(
                error.contains("uniffiTraitInterfaceCallAsync"),
                "{case}: {error}"
            );
        }
    }

    #[test]
    fn a_mismatch_in_the_second_helper_fails_too() {
        let changed = TEMPLATE.replace(
            "catch let error as E {",
            "catch let error as E where true {",
        );
        let error = make_async_helpers_swift6_clean(&changed).unwrap_err();
        assert!(
            error.contains("`uniffiTraitInterfaceCallAsyncWithError`"),
            "{error}"
        );
    }
}
