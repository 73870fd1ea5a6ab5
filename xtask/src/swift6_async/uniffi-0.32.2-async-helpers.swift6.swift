// Callback handlers for an async calls.  These are invoked by Rust when the future is ready.  They
// lift the return value or error and resume the suspended function.
fileprivate func uniffiFutureContinuationCallback(handle: UInt64, pollResult: Int8) {
    if let continuation = try? uniffiContinuationHandleMap.remove(handle: handle) {
        continuation.resume(returning: pollResult)
    } else {
        print("uniffiFutureContinuationCallback invalid handle")
    }
}
// Added by `cargo xtask bindings` (xtask/src/swift6_async.rs) until UniFFI
// ships uniffi-rs PR #2943: the task below is the only user of these closures,
// so they cross into it in one box instead of as non-Sendable captures.
private struct UniffiTraitInterfaceCallAsyncClosures<T>: @unchecked Sendable {
    let makeCall: () async throws -> T
    let handleSuccess: (T) -> ()
    let handleError: (Int8, RustBuffer) -> ()
}

private func uniffiTraitInterfaceCallAsync<T>(
    makeCall: @escaping () async throws -> T,
    handleSuccess: @escaping (T) -> (),
    handleError: @escaping (Int8, RustBuffer) -> (),
    droppedCallback: UnsafeMutablePointer<UniffiForeignFutureDroppedCallbackStruct>
) {
    let closures = UniffiTraitInterfaceCallAsyncClosures(
        makeCall: makeCall,
        handleSuccess: handleSuccess,
        handleError: handleError
    )
    let task = Task {
        let makeCall = closures.makeCall
        let handleSuccess = closures.handleSuccess
        let handleError = closures.handleError
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

// Added by `cargo xtask bindings`, see UniffiTraitInterfaceCallAsyncClosures.
private struct UniffiTraitInterfaceCallAsyncWithErrorClosures<T, E>: @unchecked Sendable {
    let makeCall: () async throws -> T
    let handleSuccess: (T) -> ()
    let handleError: (Int8, RustBuffer) -> ()
    let lowerError: (E) -> RustBuffer
}

private func uniffiTraitInterfaceCallAsyncWithError<T, E>(
    makeCall: @escaping () async throws -> T,
    handleSuccess: @escaping (T) -> (),
    handleError: @escaping (Int8, RustBuffer) -> (),
    lowerError: @escaping (E) -> RustBuffer,
    droppedCallback: UnsafeMutablePointer<UniffiForeignFutureDroppedCallbackStruct>
) {
    let closures = UniffiTraitInterfaceCallAsyncWithErrorClosures(
        makeCall: makeCall,
        handleSuccess: handleSuccess,
        handleError: handleError,
        lowerError: lowerError
    )
    let task = Task {
        let makeCall = closures.makeCall
        let handleSuccess = closures.handleSuccess
        let handleError = closures.handleError
        let lowerError = closures.lowerError
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

// Borrow the callback handle map implementation to store foreign future handles
// TODO: consolidate the handle-map code (https://github.com/mozilla/uniffi-rs/pull/1823)
fileprivate let UNIFFI_FOREIGN_FUTURE_HANDLE_MAP = UniffiHandleMap<UniffiForeignFutureTask>()
