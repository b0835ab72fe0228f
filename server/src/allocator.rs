//! How the C allocator (glibc's malloc, which SQLite and the rest of the process use) keeps
//! memory it was given back.
//!
//! By default glibc makes an arena per allocating thread, up to eight per core, keeps what is
//! freed in each one for reuse, and raises its mmap threshold (up to 32 MiB) whenever a large
//! block is freed, so later large blocks come from the arenas and stay there. Every SQLite
//! connection runs on a thread of its own, and a dashboard computation uses several at once:
//! at 1,000,000 leads the live heap peaked at 23 MB (valgrind's massif) while the process's
//! resident memory reached 91–117 MiB. One arena per core, and the thresholds held at glibc's
//! starting value of 128 KiB, brought that to 57–61 MiB (`bench --bin dashboard --backend
//! sqlite`). A `MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_` or `MALLOC_TRIM_THRESHOLD_`
//! in the environment (glibc's own tunables) is left as set.

/// Applies the limits; call first thing in `main`, before any thread starts.
pub fn hold_memory_to_what_is_used() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    glibc::apply();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    /// glibc's initial (and smallest dynamic) mmap and trim threshold.
    const THRESHOLD_BYTES: i32 = 128 * 1024;

    pub fn apply() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = i32::try_from(cores).unwrap_or(i32::MAX);
        set("MALLOC_ARENA_MAX", libc::M_ARENA_MAX, arenas);
        set(
            "MALLOC_MMAP_THRESHOLD_",
            libc::M_MMAP_THRESHOLD,
            THRESHOLD_BYTES,
        );
        set(
            "MALLOC_TRIM_THRESHOLD_",
            libc::M_TRIM_THRESHOLD,
            THRESHOLD_BYTES,
        );
    }

    fn set(tunable: &str, param: libc::c_int, value: i32) {
        if std::env::var_os(tunable).is_some() {
            return;
        }
        // SAFETY: `mallopt` only changes the allocator's parameters; it is called before the
        // process starts any thread.
        #[allow(unsafe_code)]
        let done = unsafe { libc::mallopt(param, value) };
        if done != 1 {
            eprintln!("malloc parameter {tunable} could not be set to {value}");
        }
    }
}
