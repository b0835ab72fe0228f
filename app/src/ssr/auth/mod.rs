//! Owner authentication: argon2id password hashes, database-backed sessions behind an
//! HttpOnly SameSite cookie, per-account and per-address limits on sign-in attempts, and the
//! check every owner page, server function and route makes.

pub mod accounts;
pub mod owner;
pub mod password;
pub mod session;
pub mod sign_in;

pub use accounts::{create_first_owner, create_or_update_owner, CreateOwnerError, OwnerSaved};
pub use owner::{owner_of, sign_out, Owner};
pub use sign_in::{sign_in, SignIn};
