#!/usr/bin/env bash
# Builds PushCore's Android library (AAR):
#   1. the Kotlin bindings, generated from the host debug build
#      (`cargo xtask bindings`, the same command the JVM tests use);
#   2. libpushcore.so for arm64-v8a, armeabi-v7a and x86_64 with cargo-ndk,
#      release profile, into target/android/jniLibs/<abi>/;
#   3. `gradle assembleRelease` in this directory, which packages both with
#      JNA (as an AAR dependency) and the consumer R8 rules.
#
# Usage: bindings/kotlin/android/build-aar.sh [--check] [--no-gradle]
#   --check      only check the prerequisites and say what is missing
#   --no-gradle  stop after steps 1 and 2 (for Android Studio, which then
#                builds the module itself)
#
# Prerequisites (all checked before anything is built):
#   - Rust with the Android targets:
#       rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
#   - cargo-ndk:   cargo install cargo-ndk
#   - an Android NDK (r26 or newer): ANDROID_NDK_HOME, or an SDK in
#     ANDROID_HOME / ANDROID_SDK_ROOT with ndk/<version> inside
#   - Gradle 8.11.1 or newer (a `gradlew` here, or `gradle` on PATH) and JDK 17
#   - the Android SDK platform 35 (Gradle finds the SDK through ANDROID_HOME
#     or local.properties)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
abis=(arm64-v8a armeabi-v7a x86_64)
rust_targets=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android)
min_sdk=21
jni_libs="$repo/target/android/jniLibs"

check_only=false
run_gradle=true
for arg in "$@"; do
    case "$arg" in
        --check) check_only=true ;;
        --no-gradle) run_gradle=false ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "build-aar.sh: unknown option $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

missing=()

if ! command -v cargo >/dev/null 2>&1; then
    missing+=("cargo: install Rust with rustup (https://rustup.rs)")
fi
if command -v rustup >/dev/null 2>&1; then
    installed_targets="$(rustup target list --installed 2>/dev/null || true)"
    for t in "${rust_targets[@]}"; do
        if ! grep -qx "$t" <<<"$installed_targets"; then
            missing+=("Rust target $t: rustup target add $t")
        fi
    done
else
    missing+=("rustup (needed to add the Android targets ${rust_targets[*]})")
fi
if ! command -v cargo-ndk >/dev/null 2>&1; then
    missing+=("cargo-ndk: cargo install cargo-ndk")
fi

ndk=""
for candidate in "${ANDROID_NDK_HOME:-}" "${ANDROID_NDK_ROOT:-}"; do
    if [[ -n "$candidate" && -d "$candidate" ]]; then
        ndk="$candidate"
        break
    fi
done
if [[ -z "$ndk" ]]; then
    for sdk in "${ANDROID_HOME:-}" "${ANDROID_SDK_ROOT:-}"; do
        if [[ -n "$sdk" && -d "$sdk/ndk" ]]; then
            newest="$(find "$sdk/ndk" -mindepth 1 -maxdepth 1 -type d | sort -V | tail -n 1)"
            if [[ -n "$newest" ]]; then
                ndk="$newest"
                break
            fi
        fi
    done
fi
if [[ -z "$ndk" ]]; then
    missing+=("Android NDK: install it with the SDK manager (sdkmanager 'ndk;27.2.12479018') and set ANDROID_NDK_HOME, or set ANDROID_HOME to an SDK that has ndk/<version>")
fi

gradle_cmd=()
if $run_gradle; then
    if [[ -x "$here/gradlew" ]]; then
        gradle_cmd=("$here/gradlew")
    elif command -v gradle >/dev/null 2>&1; then
        gradle_cmd=(gradle)
    else
        missing+=("Gradle 8.11.1+: install it, or run \`gradle wrapper\` here once, or open this directory in Android Studio; or pass --no-gradle")
    fi
    if [[ -z "${ANDROID_HOME:-}${ANDROID_SDK_ROOT:-}" && ! -f "$here/local.properties" ]]; then
        missing+=("Android SDK for Gradle: set ANDROID_HOME, or write sdk.dir=<path> into $here/local.properties")
    fi
    if ! command -v java >/dev/null 2>&1; then
        missing+=("JDK 17 (java on PATH or JAVA_HOME) for Gradle")
    fi
fi

if ((${#missing[@]} > 0)); then
    echo "build-aar.sh: missing prerequisites:" >&2
    printf '  - %s\n' "${missing[@]}" >&2
    exit 1
fi
echo "build-aar.sh: prerequisites found (NDK: $ndk)"
if $check_only; then
    exit 0
fi
export ANDROID_NDK_HOME="$ndk"

echo "==> Kotlin bindings (cargo xtask bindings)"
(cd "$repo" && cargo xtask bindings)

echo "==> libpushcore.so for ${abis[*]} (cargo ndk, release)"
# Android 15+ devices may use 16 KB memory pages; align the library's
# segments for them (harmless on 4 KB devices).
for t in "${rust_targets[@]}"; do
    var="CARGO_TARGET_$(tr '[:lower:]-' '[:upper:]_' <<<"$t")_RUSTFLAGS"
    export "$var=${!var:-} -C link-arg=-Wl,-z,max-page-size=16384"
done
ndk_targets=()
for abi in "${abis[@]}"; do
    ndk_targets+=(-t "$abi")
done
rm -rf "$jni_libs"
(cd "$repo" && cargo ndk "${ndk_targets[@]}" --platform "$min_sdk" -o "$jni_libs" \
    build --release --package pushcore --lib)
for abi in "${abis[@]}"; do
    if [[ ! -f "$jni_libs/$abi/libpushcore.so" ]]; then
        echo "build-aar.sh: cargo ndk did not produce $jni_libs/$abi/libpushcore.so" >&2
        exit 1
    fi
done

if ! $run_gradle; then
    echo "build-aar.sh: natives in $jni_libs; bindings in bindings/kotlin/src/main/generated"
    exit 0
fi

echo "==> AAR (gradle assembleRelease)"
(cd "$here" && "${gradle_cmd[@]}" --no-daemon "-Ppushcore.jniLibsDir=$jni_libs" assembleRelease)
aar="$here/build/outputs/aar/pushcore-android-release.aar"
if [[ ! -f "$aar" ]]; then
    echo "build-aar.sh: Gradle finished but $aar is missing" >&2
    exit 1
fi
echo "build-aar.sh: built $aar"
