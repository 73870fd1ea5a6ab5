// SwiftPM needs at least one source file in a C target; the FFI itself is
// declared in include/PushCoreFFI.h (generated) and implemented in Rust.
