//! Everything the server and the browser share: the page components, the server functions,
//! the types they exchange and the pure domain rules. Server-only code lives behind the `ssr`
//! feature in [`ssr`].
//!
//! Layers, each importing only those below it: `domain` (pure rules) ← `error`, `wire` (what
//! crosses the wire) ← `ssr` (server-only work) ← `api` (server functions) ← `components`,
//! `pages` ← `root`.

pub mod api;
#[cfg(feature = "hydrate")]
mod browser;
mod components;
pub mod domain;
pub mod error;
mod pages;
mod root;

#[cfg(feature = "ssr")]
pub mod ssr;
pub mod wire;

pub use root::{shell, App};
