//! Reusable views shared by several pages.

mod cal_embed;
pub mod dashboard;
mod field;
mod hydration_marker;
mod intake_form;
mod layout;
mod page_title;

pub use cal_embed::CalEmbed;
pub use intake_form::IntakeForm;
pub use layout::{OwnerFrame, PageFrame};
pub use page_title::TypedTitle;
