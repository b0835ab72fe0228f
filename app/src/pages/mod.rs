//! Route components, one per page.

mod book;
mod dashboard;
mod home;
mod lead;
mod leads;
mod not_found;
mod sign_in;
mod thanks;

pub use book::BookingPage;
pub use dashboard::DashboardPage;
pub use home::HomePage;
pub use lead::LeadPage;
pub use leads::LeadsPage;
pub use not_found::NotFoundPage;
pub use sign_in::SignInPage;
pub use thanks::ThanksPage;
