//! Shared by the core's integration tests.

use pushcore::{PushConfig, PushCore};
use std::path::Path;
use std::sync::Arc;

/// A core with the documented example configuration, on a fresh temporary
/// directory (kept alive by the returned guard).
pub fn example_core() -> (tempfile::TempDir, Arc<PushCore>) {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/example-config.json");
    let dir = tempfile::tempdir().unwrap();
    let core = PushCore::new(
        PushConfig::from_file(&config).unwrap(),
        dir.path().display().to_string(),
    )
    .unwrap();
    (dir, core)
}
