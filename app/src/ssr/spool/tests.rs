use super::*;

fn delivery(at: &str, body: &str) -> SpooledDelivery {
    SpooledDelivery {
        received_at: at.parse().expect("a time"),
        body: body.as_bytes().to_vec(),
    }
}

#[tokio::test]
async fn entries_come_back_in_arrival_order_and_go_once_removed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let spool = Spool::open(dir.path(), 1 << 20).expect("opens");
    let later = delivery("2026-05-01T10:00:00.000000002Z", "second");
    let earlier = delivery("2026-05-01T10:00:00.000000001Z", "first");
    spool.append(&later).await.expect("spooled");
    spool.append(&earlier).await.expect("spooled");
    let same_time = delivery("2026-05-01T10:00:00.000000002Z", "third");
    spool.append(&same_time).await.expect("spooled");

    let entries = spool.entries().await.expect("listed");
    let mut bodies = Vec::new();
    for entry in &entries {
        let read = spool.read(entry).await.expect("read").expect("present");
        bodies.push(String::from_utf8(read.expect("whole").body).expect("utf-8"));
    }
    assert_eq!(bodies, ["first", "second", "third"]);
    assert_eq!(entries[0].received_at, Some(earlier.received_at));

    let status = spool.status().await;
    assert_eq!((status.entries, status.writable), (3, true));
    assert_eq!(status.oldest_received_at, Some(earlier.received_at));
    for entry in &entries {
        spool.remove(entry).await.expect("removed");
        // A second removal (another replayer got there first) is not an error.
        spool.remove(entry).await.expect("already gone");
    }
    let status = spool.status().await;
    assert_eq!((status.entries, status.bytes), (0, 0));
}

#[tokio::test]
async fn a_full_spool_refuses_and_frees_room_as_entries_go() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let one = entry::encode(&delivery("2026-05-01T10:00:00Z", "x")).len() as u64;
    let spool = Spool::open(dir.path(), one * 2).expect("opens");
    for _ in 0..2 {
        spool
            .append(&delivery("2026-05-01T10:00:00Z", "x"))
            .await
            .expect("fits");
    }
    let refused = spool.append(&delivery("2026-05-01T10:00:00Z", "x")).await;
    assert!(
        matches!(refused, Err(SpoolError::Full { .. })),
        "{refused:?}"
    );
    assert!(!spool.status().await.writable);

    let entries = spool.entries().await.expect("listed");
    spool.remove(&entries[0]).await.expect("removed");
    spool
        .append(&delivery("2026-05-01T10:00:00Z", "x"))
        .await
        .expect("fits again");
}

#[tokio::test]
async fn reopening_counts_what_is_there_and_drops_unfinished_files() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    {
        let spool = Spool::open(dir.path(), 1 << 20).expect("opens");
        spool
            .append(&delivery("2026-05-01T10:00:00Z", "kept"))
            .await
            .expect("spooled");
    }
    // A write a crash cut short: never renamed into place, never answered.
    fs::write(
        dir.path().join(INCOMING).join("1-2-x.delivery"),
        b"handoff-spool 1\nrec",
    )
    .expect("written");
    let spool = Spool::open(dir.path(), 1 << 20).expect("reopens");
    let entries = spool.entries().await.expect("listed");
    assert_eq!(entries.len(), 1);
    assert_eq!(spool.used.load(Ordering::SeqCst), entries[0].bytes);
    assert_eq!(
        fs::read_dir(dir.path().join(INCOMING))
            .expect("listed")
            .count(),
        0
    );
}

#[tokio::test]
async fn a_set_aside_entry_leaves_the_queue_but_not_the_disk() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let spool = Spool::open(dir.path(), 1 << 20).expect("opens");
    spool
        .append(&delivery("2026-05-01T10:00:00Z", "odd"))
        .await
        .expect("spooled");
    let entries = spool.entries().await.expect("listed");
    spool.set_aside(&entries[0]).await.expect("moved");
    assert!(spool.entries().await.expect("listed").is_empty());
    assert_eq!(
        fs::read_dir(dir.path().join(SET_ASIDE))
            .expect("listed")
            .count(),
        1
    );
}
