//! Route components, one per page.

mod book;
mod dashboard;
mod home;
mod not_found;
mod sign_in;
mod thanks;

pub use book::BookingPage;
pub use dashboard::DashboardPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
pub use sign_in::SignInPage;
pub use thanks::ThanksPage;
