//! The review page's address: the kind shown, the page (a cursor), the item whose lead is
//! being looked for and the text looked for, and what the last action did. After an action
//! the server sends the browser back to it, with or without JavaScript, so the page can say
//! what happened; the message is made here from the action's name, never taken from the URL.

use crate::domain::review::{ActionName, ItemKind};

pub const REVIEW_PATH: &str = "/review";

/// What `/review?…` asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewQuery {
    pub kind: Option<String>,
    pub cursor: Option<String>,
    /// The item whose lead is being looked for…
    pub find: Option<String>,
    /// …and the text looked for.
    pub q: Option<String>,
    /// The last action (`link`, `bulk_dismiss`…), its item, and for a bulk action how many
    /// of how many items it settled.
    pub done: Option<String>,
    pub item: Option<String>,
    pub n: Option<String>,
    pub of: Option<String>,
}

/// What an action did, for the page it goes back to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    One {
        action: ActionName,
        item: String,
    },
    Bulk {
        action: ActionName,
        done: usize,
        of: usize,
    },
}

impl ReviewQuery {
    /// Reads the query through `get` (a query map's lookup); empty values count as absent.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let field = |key: &str| get(key).filter(|v| !v.trim().is_empty());
        ReviewQuery {
            kind: field("kind"),
            cursor: field("cursor"),
            find: field("find"),
            q: field("q"),
            done: field("done"),
            item: field("item"),
            n: field("n"),
            of: field("of"),
        }
    }

    /// Reads decoded `(key, value)` pairs.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned()))
            .collect();
        Self::from_lookup(|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    /// The kind asked for, if it is one.
    pub fn item_kind(&self) -> Option<ItemKind> {
        self.kind.as_deref().and_then(ItemKind::parse)
    }

    /// This view of the queue (kind and page) and nothing else.
    pub fn view(&self) -> ReviewQuery {
        ReviewQuery {
            kind: self.kind.clone(),
            cursor: self.cursor.clone(),
            ..ReviewQuery::default()
        }
    }

    /// The view to go back to after `outcome`: the same kind (and page, for one item).
    pub fn back(&self, outcome: &Outcome) -> ReviewQuery {
        match outcome {
            Outcome::One { action, item } => ReviewQuery {
                done: Some(action.as_str().to_owned()),
                item: Some(item.clone()),
                ..self.view()
            },
            Outcome::Bulk { action, done, of } => ReviewQuery {
                kind: self.kind.clone(),
                done: Some(format!("bulk_{}", action.as_str())),
                n: Some(done.to_string()),
                of: Some(of.to_string()),
                ..ReviewQuery::default()
            },
        }
    }

    pub fn href(&self) -> String {
        let pairs: Vec<String> = [
            ("kind", &self.kind),
            ("cursor", &self.cursor),
            ("find", &self.find),
            ("q", &self.q),
            ("done", &self.done),
            ("item", &self.item),
            ("n", &self.n),
            ("of", &self.of),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_deref().map(|v| format!("{key}={}", encode(v))))
        .collect();
        if pairs.is_empty() {
            REVIEW_PATH.to_owned()
        } else {
            format!("{REVIEW_PATH}?{}", pairs.join("&"))
        }
    }

    /// What the last action did, in words; `None` when the URL names no known action.
    pub fn message(&self) -> Option<String> {
        let done = self.done.as_deref()?;
        if let Some(bulk) = done.strip_prefix("bulk_") {
            let action = ActionName::parse(bulk)?;
            let n: usize = self.n.as_deref()?.parse().ok()?;
            let of: usize = self.of.as_deref()?.parse().ok()?;
            let mut text = format!("{} {n} of {of} items.", past(action));
            if n < of {
                text.push_str(" The others were settled meanwhile or no longer fit; they are still listed if open.");
            }
            return Some(text);
        }
        let action = ActionName::parse(done)?;
        let item = self.item.as_deref()?;
        let what = match action {
            ActionName::Link => "linked to the lead and applied",
            ActionName::Discard => "discarded",
            ActionName::MarkCompleted => "marked completed",
            ActionName::MarkNoShow => "marked a no-show",
            ActionName::Reproject => {
                "re-projected: the lead's booking was written again from its events"
            }
            ActionName::Dismiss => "dismissed",
            ActionName::Snooze => "snoozed",
            ActionName::TakeCalcom => "brought to Cal.com's state",
        };
        Some(format!("{item}: {what}."))
    }
}

fn past(action: ActionName) -> &'static str {
    match action {
        ActionName::Link => "Linked",
        ActionName::Discard => "Discarded",
        ActionName::MarkCompleted => "Marked completed",
        ActionName::MarkNoShow => "Marked no-show",
        ActionName::Reproject => "Re-projected",
        ActionName::Dismiss => "Dismissed",
        ActionName::Snooze => "Snoozed",
        ActionName::TakeCalcom => "Took Cal.com's state",
    }
}

/// Percent-encodes everything but the unreserved characters (query values and paths in the
/// owner pages' links).
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_goes_back_to_the_same_view_with_its_outcome() {
        let from = ReviewQuery::from_pairs([
            ("kind", "held_event"),
            ("cursor", "123_held:4"),
            ("find", "held:9"),
            ("q", "ana@example.com"),
            ("__err", "x"),
        ]);
        let back = from.back(&Outcome::One {
            action: ActionName::Link,
            item: "held:9".into(),
        });
        assert_eq!(
            back.href(),
            "/review?kind=held_event&cursor=123_held%3A4&done=link&item=held%3A9"
        );
        assert_eq!(
            back.message().as_deref(),
            Some("held:9: linked to the lead and applied.")
        );
        let bulk = from.back(&Outcome::Bulk {
            action: ActionName::Dismiss,
            done: 2,
            of: 3,
        });
        assert_eq!(
            bulk.href(),
            "/review?kind=held_event&done=bulk_dismiss&n=2&of=3"
        );
        assert!(bulk
            .message()
            .is_some_and(|m| m.starts_with("Dismissed 2 of 3 items.")));
    }

    #[test]
    fn only_known_actions_make_a_message() {
        let query = |done: &str| ReviewQuery {
            done: Some(done.into()),
            item: Some("x".into()),
            ..ReviewQuery::default()
        };
        assert_eq!(query("you have been hacked").message(), None);
        assert_eq!(query("bulk_dismiss").message(), None, "no counts");
        assert_eq!(ReviewQuery::default().href(), "/review");
        assert_eq!(
            ReviewQuery::from_pairs([("kind", ""), ("q", " ")]),
            ReviewQuery::default()
        );
    }
}
