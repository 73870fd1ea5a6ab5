// swift-tools-version:5.9
//
// The manifest apps consume. scripts/build-xcframework.sh copies it, as
// Package.swift, into target/ios/PushCore/ next to PushCoreFFI.xcframework and
// the Swift sources (generated PushCore.swift plus the hand-written helpers),
// which makes that directory a complete Swift package: add it to an Xcode
// project as a local package, or publish it as its own repository.
//
// It is not this directory's manifest (Package.swift here is the development
// layout that links the host build for `swift test`); SwiftPM only ever reads
// a file named Package.swift.
//
// The package builds in the Swift 5 language mode. Swift 6 mode found
// exactly two errors in the generated bindings (Swift 6.3, commit d9c81ef),
// both in UniFFI's async trait helpers, which `cargo xtask bindings` now
// rewrites (xtask/src/swift6_async.rs; not yet compiled by a toolchain).
// The mode becomes .v6 once a toolchain run confirms the sources and the
// tests are Swift 6 clean. Apps using the package may be in Swift 6 mode
// (the iOS sample is).
import PackageDescription

let package = Package(
    name: "PushCore",
    platforms: [.iOS(.v15)],
    products: [
        .library(name: "PushCore", targets: ["PushCore"]),
    ],
    targets: [
        // libpushcore.a for devices and simulators, with the C header and
        // module map of the FFI (module PushCoreFFI).
        .binaryTarget(name: "PushCoreFFI", path: "PushCoreFFI.xcframework"),
        // To consume a published build instead, replace the line above with
        // the URL and checksum that `build-xcframework.sh --zip` prints:
        // .binaryTarget(name: "PushCoreFFI", url: "https://.../PushCoreFFI.xcframework.zip", checksum: "..."),
        .target(
            name: "PushCore",
            dependencies: ["PushCoreFFI"],
            path: "Sources/PushCore"
        ),
    ]
)
