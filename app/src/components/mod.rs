//! Reusable views shared by several pages.

mod field;
mod hydration_marker;
mod intake_form;
mod layout;

pub use hydration_marker::use_hydrated;
pub use intake_form::IntakeForm;
pub use layout::PageFrame;
