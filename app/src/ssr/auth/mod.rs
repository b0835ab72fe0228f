//! Owner authentication: argon2id password hashes, database-backed sessions behind an
//! HttpOnly SameSite cookie, limits on failed sign-ins (per account and address, per address,
//! and an account-wide slow-down), a bound on concurrent hashing, and the check every owner
//! page, server function and route makes.

pub mod accounts;
pub mod hash_gate;
pub mod owner;
pub mod password;
pub mod session;
pub mod sign_in;

pub use accounts::{
    create_first_owner, create_or_update_owner, set_owner_password, CreateOwnerError, OwnerSaved,
};
pub use owner::{owner_of, sign_out, Owner};
pub use sign_in::{sign_in, SignIn};
