//! Cal.com: its webhook deliveries (checking their signature and reading their bodies, in
//! every shape Cal.com sends them) and its bookings API, read to reconcile.

pub mod api;
pub mod parse;
pub mod payloads;
pub mod signature;
