//! Route components, one per page; every page but the intake form is reached through its
//! lazily loaded route (`lazy_routes`).

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

pub use home::HomePage;
pub use lazy_routes::{
    AuditRoute, BookingRoute, DashboardRoute, LeadRoute, LeadsRoute, ReviewRoute, SignInRoute,
};
pub use not_found::NotFoundPage;
pub use thanks::ThanksPage;
