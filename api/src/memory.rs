//! How the process gives memory back. glibc serves a large block from its heap once a block
//! of that size has been freed (its mmap threshold rises to the largest block freed, up to
//! 32 MiB), and then keeps it: every thread that ever hashed a password (19 MiB of Argon2
//! working memory) would hold its own copy for good. A fixed threshold makes such blocks
//! their own mappings, returned to the system as soon as they are freed.

/// Blocks from this size up are mapped and unmapped on their own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 1024 * 1024;

/// Call once, early in `main`.
pub fn return_large_blocks_when_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; it takes no pointers.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}
