//! Route components, one per page.

mod book;
mod home;
mod not_found;
mod thanks;

pub use book::BookingPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use thanks::ThanksPage;
