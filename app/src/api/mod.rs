//! Server functions, one file per resource. Thin: read the request, call the domain and the
//! store through `ssr`, answer a wire type or an [`AppError`](crate::error::AppError).

pub mod audit;
pub mod booking;
pub mod dashboard;
pub mod intake;
pub mod leads;
pub mod owner;
pub mod review;
