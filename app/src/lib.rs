//! Everything the server and the browser share: the page components, the server functions
//! and the pure domain rules. Server-only code lives behind the `ssr` feature in [`ssr`].

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

pub use root::{shell, App};
