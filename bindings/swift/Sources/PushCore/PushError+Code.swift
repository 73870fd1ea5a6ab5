// Hand-written convenience beside the generated bindings.

extension PushError {
    /// The core's stable error code (`invalid_input`, `too_large`,
    /// `storage`...), the same the CLI prints. Asked from the core, so Swift
    /// keeps no copy of the mapping.
    public var code: String { pushErrorCode(error: self) }
}
