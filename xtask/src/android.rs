//! The Android sample's framework-level code under Robolectric
//! (android-sample/robolectric): the tap activities, notification posting
//! and platform glue on the real Android 14 framework, against the debug
//! cdylib through JNA.

use std::path::Path;
use std::process::Command;

use crate::{mvn, run};

/// Runs the module's tests. Maven does the fetching (AARs, Robolectric's two
/// framework jars, ~350 MB, cached in the local Maven repository) and the
/// tests run with Robolectric offline, so only the first run on a machine
/// needs the network.
pub fn robolectric_tests(root: &Path, libdir: &Path) -> Result<(), String> {
    // The pom takes each AAR's classes.jar out with `unzip`: say so plainly
    // rather than fail inside an Ant task.
    let unzip = Command::new("unzip").arg("-v").output();
    if !unzip.is_ok_and(|out| out.status.success()) {
        return Err(
            "`unzip` is not installed (android-sample/robolectric extracts AARs with it)".into(),
        );
    }
    run(Command::new(mvn())
        .current_dir(root.join("android-sample/robolectric"))
        .args(["--batch-mode", "--no-transfer-progress", "test"])
        .arg(format!("-Dpushcore.libdir={}", libdir.display())))
}
