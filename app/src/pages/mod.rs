//! Route components, one per page.

mod audit;
mod book;
mod dashboard;
mod home;
mod lazy_routes;
mod lead;
mod leads;
mod load_problem;
mod not_found;
mod review;
mod sign_in;
mod thanks;

pub use audit::AuditTrailPage;
pub use book::BookingPage;
pub use dashboard::DashboardPage;
pub use home::HomePage;
pub use lazy_routes::{
    AuditRoute, BookingRoute, DashboardRoute, LeadRoute, LeadsRoute, ReviewRoute, SignInRoute,
};
pub use lead::LeadPage;
pub use leads::LeadsPage;
pub use not_found::NotFoundPage;
pub use review::ReviewQueuePage;
pub use sign_in::SignInPage;
pub use thanks::ThanksPage;
