//! Test harness: fresh databases, the app served on port 0, and a macro that runs one test
//! body against both backends.

pub mod app;
mod db;
pub mod owner;
pub mod process;

pub use app::{spawn_app, spawn_app_sharing, spawn_app_with, TestApp};
pub use db::{Backend, TestDb};

/// For each named `async fn name(backend: Backend)`, generates `name::sqlite` and
/// `name::postgres` tests.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::support::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::support::Backend::Postgres).await
                }
            }
        )*
    };
}
