//! Rebuilds the crate when a migration is added or changed: `sqlx::migrate!` embeds them at
//! compile time, and Cargo would not otherwise notice a new file.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
