//! The durable inbox: verified webhook deliveries the database could not take, kept on local
//! disk until it can. Each delivery is one file, written under `incoming/`, flushed to disk,
//! then renamed into the spool directory and the directory flushed too, all before the
//! delivery is answered; so a crash at any moment leaves either a whole entry (answered or
//! not; replaying it is idempotent) or a partial file under `incoming/`, which was never
//! answered 2xx and is removed at the next start.
//!
//! File names sort in arrival order: the receive time in nanoseconds, a per-process sequence
//! number and a per-process tag (so two processes never pick the same name).

pub mod entry;

use std::{
    fs, io,
    path::{Path, PathBuf},
    sync::atomic::{AtomicU64, Ordering},
};

use jiff::Timestamp;
use tokio::sync::{Mutex, Notify};

pub use entry::{DamagedEntry, SpooledDelivery};

const SUFFIX: &str = ".delivery";
const INCOMING: &str = "incoming";
/// Free space below which the spool reports it cannot take writes: room for a large webhook
/// body (Cal.com's are a few KiB).
const ROOM_FOR_A_DELIVERY: u64 = 16 * 1024;
/// Entries that cannot be read back or applied; kept for a person, never replayed.
pub const SET_ASIDE: &str = "set-aside";

/// Why a delivery could not be spooled.
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    #[error("the spool holds {used} of its {max} bytes; a {needed}-byte entry does not fit")]
    Full { used: u64, max: u64, needed: u64 },
    #[error("cannot write to the spool: {0}")]
    Io(#[from] io::Error),
}

/// One entry waiting in the spool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpoolEntry {
    pub path: PathBuf,
    pub bytes: u64,
    pub received_at: Option<Timestamp>,
}

/// What the spool holds, for readiness and the dashboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpoolStatus {
    pub entries: u64,
    pub bytes: u64,
    pub max_bytes: u64,
    pub oldest_received_at: Option<Timestamp>,
    /// A delivery could be written now.
    pub writable: bool,
}

/// A spool directory of this process.
#[derive(Debug)]
pub struct Spool {
    dir: PathBuf,
    max_bytes: u64,
    used: AtomicU64,
    sequence: AtomicU64,
    tag: String,
    /// Woken when an entry is added, so the replayer starts trying.
    added: Notify,
    /// One replay at a time in this process (entries are applied in order).
    pub(crate) replaying: Mutex<()>,
}

impl Spool {
    /// Opens (creating it if need be) the spool at `dir`, removing partial files a crash left.
    pub fn open(dir: &Path, max_bytes: u64) -> io::Result<Spool> {
        let incoming = dir.join(INCOMING);
        fs::create_dir_all(&incoming)?;
        for file in fs::read_dir(&incoming)? {
            let path = file?.path();
            tracing::warn!(path = %path.display(), "removing a spool file a crash left unfinished");
            fs::remove_file(&path)?;
        }
        let spool = Spool {
            dir: dir.to_owned(),
            max_bytes,
            used: AtomicU64::new(0),
            sequence: AtomicU64::new(0),
            tag: uuid::Uuid::new_v4().simple().to_string()[..8].to_owned(),
            added: Notify::new(),
            replaying: Mutex::new(()),
        };
        let used = list_entries(dir)?.iter().map(|e| e.bytes).sum();
        spool.used.store(used, Ordering::SeqCst);
        Ok(spool)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `delivery` durably; returns once it is on disk.
    pub async fn append(&self, delivery: &SpooledDelivery) -> Result<(), SpoolError> {
        let bytes = entry::encode(delivery);
        let needed = bytes.len() as u64;
        let used = self.used.fetch_add(needed, Ordering::SeqCst);
        if used + needed > self.max_bytes {
            self.used.fetch_sub(needed, Ordering::SeqCst);
            return Err(SpoolError::Full {
                used,
                max: self.max_bytes,
                needed,
            });
        }
        let name = format!(
            "{:020}-{:010}-{}{SUFFIX}",
            delivery.received_at.as_nanosecond().max(0),
            self.sequence.fetch_add(1, Ordering::SeqCst),
            self.tag,
        );
        let dir = self.dir.clone();
        let written = tokio::task::spawn_blocking(move || write_durably(&dir, &name, &bytes))
            .await
            .map_err(io::Error::other)
            .and_then(|written| written);
        if let Err(error) = written {
            self.used.fetch_sub(needed, Ordering::SeqCst);
            return Err(error.into());
        }
        self.added.notify_one();
        Ok(())
    }

    /// The entries waiting, oldest first.
    pub async fn entries(&self) -> io::Result<Vec<SpoolEntry>> {
        let dir = self.dir.clone();
        blocking(move || list_entries(&dir)).await
    }

    /// Reads an entry back; `Ok(None)` when another replayer took it meanwhile.
    pub async fn read(
        &self,
        entry: &SpoolEntry,
    ) -> io::Result<Option<Result<SpooledDelivery, DamagedEntry>>> {
        match tokio::fs::read(&entry.path).await {
            Ok(bytes) => Ok(Some(entry::decode(&bytes))),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Removes an entry whose delivery is committed.
    pub async fn remove(&self, entry: &SpoolEntry) -> io::Result<()> {
        let (dir, path) = (self.dir.clone(), entry.path.clone());
        let removed = blocking(move || match fs::remove_file(&path) {
            Ok(()) => sync_dir(&dir).map(|()| true),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(error) => Err(error),
        })
        .await?;
        if removed {
            self.forget(entry.bytes);
        }
        Ok(())
    }

    /// Moves an entry that cannot be applied out of the way, for a person to look at.
    pub async fn set_aside(&self, entry: &SpoolEntry) -> io::Result<()> {
        let (dir, path) = (self.dir.clone(), entry.path.clone());
        let moved = blocking(move || {
            let aside = dir.join(SET_ASIDE);
            fs::create_dir_all(&aside)?;
            let name = path.file_name().unwrap_or_default();
            match fs::rename(&path, aside.join(name)) {
                Ok(()) => sync_dir(&dir).map(|()| true),
                Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(false),
                Err(error) => Err(error),
            }
        })
        .await?;
        if moved {
            self.forget(entry.bytes);
        }
        Ok(())
    }

    fn forget(&self, bytes: u64) {
        // Saturating: entries another process added are not in this process's count.
        let _ = self
            .used
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |used| {
                Some(used.saturating_sub(bytes))
            });
    }

    /// What the spool holds now, and whether it could take a delivery.
    pub async fn status(&self) -> SpoolStatus {
        let dir = self.dir.clone();
        let listed = blocking(move || {
            let entries = list_entries(&dir)?;
            let probe = dir.join(INCOMING).join(".probe");
            fs::write(&probe, b"")?;
            fs::remove_file(&probe)?;
            Ok(entries)
        })
        .await;
        let used = self.used.load(Ordering::SeqCst);
        match listed {
            Ok(entries) => SpoolStatus {
                entries: entries.len() as u64,
                bytes: entries.iter().map(|e| e.bytes).sum(),
                max_bytes: self.max_bytes,
                oldest_received_at: entries.first().and_then(|e| e.received_at),
                writable: self.max_bytes.saturating_sub(used) >= ROOM_FOR_A_DELIVERY,
            },
            Err(error) => {
                tracing::warn!(%error, dir = %self.dir.display(), "the spool cannot be read or written");
                SpoolStatus {
                    entries: 0,
                    bytes: used,
                    max_bytes: self.max_bytes,
                    oldest_received_at: None,
                    writable: false,
                }
            }
        }
    }

    /// How many entries wait and since when (cheaper than [`Spool::status`]: no write probe).
    pub async fn waiting(&self) -> io::Result<(u64, Option<Timestamp>)> {
        let entries = self.entries().await?;
        Ok((
            entries.len() as u64,
            entries.first().and_then(|e| e.received_at),
        ))
    }

    /// Waits until an entry is added (or returns at once if one was added since the last wait).
    pub async fn added(&self) {
        self.added.notified().await;
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(io::Error::other)?
}

fn write_durably(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    use io::Write;
    let partial = dir.join(INCOMING).join(name);
    let mut file = fs::File::create(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&partial, dir.join(name))?;
    sync_dir(dir)
}

/// Flushes a directory, so a rename or removal in it survives a power cut.
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

fn list_entries(dir: &Path) -> io::Result<Vec<SpoolEntry>> {
    let mut entries = Vec::new();
    for file in fs::read_dir(dir)? {
        let file = file?;
        let name = file.file_name();
        let Some(name) = name.to_str().filter(|n| n.ends_with(SUFFIX)) else {
            continue;
        };
        let received_at = name
            .split('-')
            .next()
            .and_then(|nanos| nanos.parse::<i128>().ok())
            .and_then(|nanos| Timestamp::from_nanosecond(nanos).ok());
        let bytes = match file.metadata() {
            Ok(metadata) => metadata.len(),
            // Taken by another replayer meanwhile.
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        entries.push(SpoolEntry {
            path: file.path(),
            bytes,
            received_at,
        });
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

#[cfg(test)]
mod tests;
