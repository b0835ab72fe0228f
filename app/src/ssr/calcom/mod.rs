//! Cal.com's webhook deliveries: checking their signature and reading their bodies, in every
//! shape Cal.com sends them.

pub mod parse;
pub mod payloads;
pub mod signature;
