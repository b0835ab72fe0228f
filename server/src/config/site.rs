//! The site: where it listens, where the built files are, DEV or PROD, and the origin the
//! open internet reaches it at.

use std::net::SocketAddr;

use app::ssr::settings::SiteSettings;
use leptos::config::{Env, LeptosOptions};

use super::{
    cal::parse_origin,
    error::ConfigError,
    source::Source,
    var::{Choice, DefaultsTo, Number, Optional, Parse, Text, Var},
};

pub const PUBLIC_URL: Var<PublicUrl, Optional> = Var {
    name: "PUBLIC_URL",
    meaning: "the site's public origin, e.g. https://book.acme.example; https makes the session cookie Secure and adds Strict-Transport-Security",
    unset: Optional("none"),
    parser: PublicUrl,
};

pub const LEPTOS_SITE_ADDR: Var<ListenAddress, DefaultsTo> = Var {
    name: "LEPTOS_SITE_ADDR",
    meaning: "listen address",
    unset: DefaultsTo("127.0.0.1:3000"),
    parser: ListenAddress,
};

pub const LEPTOS_SITE_ROOT: Var<Text, DefaultsTo> = Var {
    name: "LEPTOS_SITE_ROOT",
    meaning: "folder of the built site",
    unset: DefaultsTo("target/site"),
    parser: Text,
};

pub const LEPTOS_SITE_PKG_DIR: Var<Text, DefaultsTo> = Var {
    name: "LEPTOS_SITE_PKG_DIR",
    meaning: "folder of the wasm, js and css under the site root",
    unset: DefaultsTo("pkg"),
    parser: Text,
};

pub const LEPTOS_OUTPUT_NAME: Var<Text, DefaultsTo> = Var {
    name: "LEPTOS_OUTPUT_NAME",
    meaning: "base name of the built wasm, js and css",
    unset: DefaultsTo("handoff"),
    parser: Text,
};

pub const LEPTOS_ENV: Var<Choice<Env>, DefaultsTo> = Var {
    name: "LEPTOS_ENV",
    meaning: "DEV or PROD",
    unset: DefaultsTo("PROD"),
    parser: Choice {
        words: &[
            ("prod", Env::PROD),
            ("production", Env::PROD),
            ("dev", Env::DEV),
            ("development", Env::DEV),
        ],
        otherwise: "is neither DEV nor PROD",
    },
};

pub const LEPTOS_RELOAD_PORT: Var<Number<u32>, DefaultsTo> = Var {
    name: "LEPTOS_RELOAD_PORT",
    meaning: "live-reload port used by cargo leptos watch",
    unset: DefaultsTo("3001"),
    parser: Number { range: 1..=65535 },
};

/// An address and port to listen on, like `127.0.0.1:3000`.
pub struct ListenAddress;

impl Parse for ListenAddress {
    type Output = SocketAddr;

    fn parse(&self, text: &str) -> Result<SocketAddr, String> {
        text.parse()
            .map_err(|_| format!("{text:?} is not an address like 127.0.0.1:3000"))
    }
}

/// An origin: `https://host[:port]`, one trailing slash allowed.
pub struct PublicUrl;

impl Parse for PublicUrl {
    type Output = String;

    fn parse(&self, text: &str) -> Result<String, String> {
        parse_origin(text.strip_suffix('/').unwrap_or(text))
    }
}

pub(super) fn settings(source: &Source) -> Result<SiteSettings, ConfigError> {
    Ok(SiteSettings {
        public_origin: PUBLIC_URL.read(source)?,
    })
}

pub(super) fn leptos_options(source: &Source) -> Result<LeptosOptions, ConfigError> {
    let site_addr = LEPTOS_SITE_ADDR.read(source)?;
    let env = LEPTOS_ENV.read(source)?;
    Ok(LeptosOptions::builder()
        .output_name(LEPTOS_OUTPUT_NAME.read(source)?)
        .site_root(LEPTOS_SITE_ROOT.read(source)?)
        .site_pkg_dir(LEPTOS_SITE_PKG_DIR.read(source)?)
        .site_addr(site_addr)
        .env(env)
        .reload_port(LEPTOS_RELOAD_PORT.read(source)?)
        .build())
}
