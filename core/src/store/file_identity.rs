//! Which file a path names right now: device and inode on Unix. Two
//! readings differ when the file was moved aside or replaced in between,
//! which is how a process notices that another one swapped the database
//! under its open connection.
//!
//! Costs one `stat(2)` per store operation, a system call without disk
//! access (the inode is cached), next to the tens of microseconds of a
//! committed write; not benchmarked separately. Elsewhere (Windows) a file
//! cannot be renamed while another process has it open, so there is
//! nothing to detect and every reading is `None`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    device: u64,
    inode: u64,
}

/// `None` when the path names no file (moved aside and not yet recreated)
/// or the platform has no such identity.
#[cfg(unix)]
pub fn of_path(path: &std::path::Path) -> Option<FileIdentity> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    Some(FileIdentity {
        device: meta.dev(),
        inode: meta.ino(),
    })
}

#[cfg(not(unix))]
pub fn of_path(_path: &std::path::Path) -> Option<FileIdentity> {
    None
}
