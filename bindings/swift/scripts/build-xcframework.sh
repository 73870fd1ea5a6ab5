#!/usr/bin/env bash
# Builds PushCore for iOS apps, on a Mac with Xcode:
#   1. the Swift bindings, C header and module map (`cargo xtask bindings`);
#   2. libpushcore.a (release) for aarch64-apple-ios (devices) and for
#      aarch64-apple-ios-sim + x86_64-apple-ios (simulators, merged with lipo);
#   3. PushCoreFFI.xcframework from both, each with the header and module map;
#   4. a self-contained Swift package in target/ios/PushCore/: the manifest
#      Package.release.swift (as Package.swift), the XCFramework as a
#      binaryTarget and the generated + hand-written Swift as a source target;
#   5. optionally (--zip) PushCoreFFI.xcframework.zip and its SwiftPM checksum,
#      for publishing the binary with `.binaryTarget(name:url:checksum:)`.
#
# Usage: bindings/swift/scripts/build-xcframework.sh [--check] [--zip]
#   --check  only check the prerequisites and say what is missing
#
# Prerequisites (checked first): macOS with Xcode (xcodebuild, lipo),
# Rust with rustup and the targets
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="$repo/target/ios"
device_target=aarch64-apple-ios
sim_targets=(aarch64-apple-ios-sim x86_64-apple-ios)
# Must match `platforms` in Package.release.swift.
export IPHONEOS_DEPLOYMENT_TARGET="${IPHONEOS_DEPLOYMENT_TARGET:-15.0}"

check_only=false
make_zip=false
for arg in "$@"; do
    case "$arg" in
        --check) check_only=true ;;
        --zip) make_zip=true ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "build-xcframework.sh: unknown option $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

missing=()
if [[ "$(uname -s)" != "Darwin" ]]; then
    missing+=("macOS: XCFrameworks are assembled by xcodebuild, which only runs on a Mac")
fi
for tool in xcodebuild lipo; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        missing+=("$tool: install Xcode and run \`xcode-select --install\`")
    fi
done
if ! command -v cargo >/dev/null 2>&1; then
    missing+=("cargo: install Rust with rustup (https://rustup.rs)")
fi
if command -v rustup >/dev/null 2>&1; then
    installed_targets="$(rustup target list --installed 2>/dev/null || true)"
    for t in "$device_target" "${sim_targets[@]}"; do
        if ! grep -qx "$t" <<<"$installed_targets"; then
            missing+=("Rust target $t: rustup target add $t")
        fi
    done
else
    missing+=("rustup (needed to add the iOS targets)")
fi
if $make_zip && ! command -v swift >/dev/null 2>&1; then
    missing+=("swift (for \`swift package compute-checksum\` with --zip)")
fi
if ((${#missing[@]} > 0)); then
    echo "build-xcframework.sh: missing prerequisites:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
fi
echo "build-xcframework.sh: prerequisites found"
if $check_only; then
    exit 0
fi

echo "==> Swift bindings, header and module map (cargo xtask bindings)"
(cd "$repo" && cargo xtask bindings)
header="$here/Sources/PushCoreFFI/include/PushCoreFFI.h"
modulemap="$here/Sources/PushCoreFFI/include/module.modulemap"
for f in "$header" "$modulemap" "$here/Sources/PushCore/PushCore.swift"; do
    if [[ ! -f "$f" ]]; then
        echo "build-xcframework.sh: $f was not generated" >&2
        exit 1
    fi
done

echo "==> libpushcore.a (release) for $device_target ${sim_targets[*]}"
for t in "$device_target" "${sim_targets[@]}"; do
    (cd "$repo" && cargo build --release --package pushcore --lib --target "$t")
done
lib_of() { echo "$repo/target/$1/release/libpushcore.a"; }

rm -rf "$out"
mkdir -p "$out/device" "$out/simulator"
cp "$(lib_of "$device_target")" "$out/device/libpushcore.a"
sim_libs=()
for t in "${sim_targets[@]}"; do
    sim_libs+=("$(lib_of "$t")")
done
lipo -create "${sim_libs[@]}" -output "$out/simulator/libpushcore.a"

# Headers go in a subdirectory named after the module: Xcode copies every
# static XCFramework's headers into one include directory, where two
# top-level module.modulemap files from different libraries would collide.
headers="$out/headers"
mkdir -p "$headers/PushCoreFFI"
cp "$header" "$headers/PushCoreFFI/PushCoreFFI.h"
cp "$modulemap" "$headers/PushCoreFFI/module.modulemap"

echo "==> PushCoreFFI.xcframework"
xcframework="$out/PushCoreFFI.xcframework"
xcodebuild -create-xcframework \
    -library "$out/device/libpushcore.a" -headers "$headers" \
    -library "$out/simulator/libpushcore.a" -headers "$headers" \
    -output "$xcframework"

echo "==> Swift package in $out/PushCore"
package="$out/PushCore"
mkdir -p "$package/Sources/PushCore"
cp "$here/Package.release.swift" "$package/Package.swift"
cp "$here"/Sources/PushCore/*.swift "$package/Sources/PushCore/"
cp -R "$xcframework" "$package/PushCoreFFI.xcframework"

if $make_zip; then
    echo "==> PushCoreFFI.xcframework.zip"
    (cd "$out" && rm -f PushCoreFFI.xcframework.zip &&
        ditto -c -k --sequesterRsrc --keepParent PushCoreFFI.xcframework PushCoreFFI.xcframework.zip)
    checksum="$(cd "$package" && swift package compute-checksum "$out/PushCoreFFI.xcframework.zip")"
    echo "build-xcframework.sh: checksum $checksum"
    echo "  use it with .binaryTarget(name: \"PushCoreFFI\", url: \"<where the zip is hosted>\", checksum: \"$checksum\")"
fi
echo "build-xcframework.sh: package ready at $package (add it to Xcode as a local package)"
