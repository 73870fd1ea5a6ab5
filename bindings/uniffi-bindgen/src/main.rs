//! UniFFI's bindgen built from the same uniffi version as the core, so the
//! generated bindings always match the scaffolding compiled into the library.

fn main() {
    uniffi::uniffi_bindgen_main()
}
