// swift-tools-version:5.9
//
// PushCore for Swift. The Swift sources and C header in Sources/ are generated
// by `cargo xtask bindings` from the Rust library and are not committed.
//
// This manifest is the development layout: it links the host build of the
// native library (target/debug/libpushcore.{dylib,a}) so `swift test` runs on
// a Mac after `cargo xtask bindings`. Apps consume the XCFramework package
// built by scripts/build-xcframework.sh instead (see README.md).
import PackageDescription

let package = Package(
    name: "PushCore",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "PushCore", targets: ["PushCore"]),
    ],
    targets: [
        // The C declarations of the FFI (generated header + module map).
        .target(
            name: "PushCoreFFI",
            path: "Sources/PushCoreFFI",
            linkerSettings: [
                .linkedLibrary("pushcore"),
                .unsafeFlags(["-L../../target/debug"]),
            ]
        ),
        // The generated Swift API plus hand-written conveniences beside it.
        .target(
            name: "PushCore",
            dependencies: ["PushCoreFFI"],
            path: "Sources/PushCore"
        ),
        .testTarget(
            name: "PushCoreTests",
            dependencies: ["PushCore"],
            path: "Tests/PushCoreTests"
        ),
    ]
)
