//! How many live-update streams may be open: each holds a connection for as long as a
//! dashboard is open, so one owner (or a stolen session) cannot hold more than a few, and all
//! owners together no more than the server wants to spend on them.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

#[derive(Debug)]
pub struct StreamSlots {
    per_owner: usize,
    total: usize,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    by_owner: HashMap<String, usize>,
}

/// An open stream's place; given back when dropped.
#[derive(Debug)]
pub struct StreamSlot {
    slots: Arc<StreamSlots>,
    owner: String,
}

impl StreamSlots {
    pub fn new(per_owner: usize, total: usize) -> Self {
        StreamSlots {
            per_owner,
            total,
            open: Mutex::default(),
        }
    }

    /// A place for one more stream of `owner`, if both caps allow it.
    pub fn take(self: &Arc<Self>, owner: &str) -> Option<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = open.by_owner.get(owner).copied().unwrap_or(0);
        if open.total >= self.total || mine >= self.per_owner {
            return None;
        }
        open.total += 1;
        open.by_owner.insert(owner.to_owned(), mine + 1);
        Some(StreamSlot {
            slots: self.clone(),
            owner: owner.to_owned(),
        })
    }

    /// Streams open now.
    pub fn open(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self
            .slots
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        open.total = open.total.saturating_sub(1);
        if let Some(mine) = open.by_owner.get_mut(&self.owner) {
            *mine -= 1;
            if *mine == 0 {
                open.by_owner.remove(&self.owner);
            }
        }
    }
}

impl Default for StreamSlots {
    fn default() -> Self {
        StreamSlots::new(8, 256)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_owner_and_everyone_together_have_a_cap() {
        let slots = Arc::new(StreamSlots::new(2, 3));
        let a1 = slots.take("a").expect("first");
        let _a2 = slots.take("a").expect("second");
        assert!(slots.take("a").is_none(), "a's cap");
        let _b1 = slots.take("b").expect("b's first");
        assert!(slots.take("c").is_none(), "the total cap");
        drop(a1);
        assert_eq!(slots.open(), 2);
        assert!(slots.take("c").is_some(), "a place was given back");
    }
}
