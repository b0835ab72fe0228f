//! `calcom-standin serve`'s arguments, and how they become the library's [`ServeOptions`].

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, ValueEnum};

use crate::config::{FailMode, ServeOptions, DEFAULT_API_KEY, DEFAULT_API_RATE_LIMIT};

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, env = "STANDIN_LISTEN", default_value = "127.0.0.1:4010")]
    pub listen: SocketAddr,
    /// Origin used in booker pages and booking URLs [default: http://<listen>].
    #[arg(long, env = "STANDIN_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,
    #[arg(
        long,
        env = "STANDIN_WEBHOOK_URL",
        default_value = "http://127.0.0.1:3000/api/webhooks/cal-com"
    )]
    pub webhook_url: String,
    /// Webhook secret; of a comma-separated list the first is used.
    #[arg(long, env = "CAL_WEBHOOK_SECRETS", hide_env_values = true)]
    pub secret: String,
    /// Known event links, comma-separated.
    #[arg(long, env = "CAL_LINK", default_value = "demo/intro")]
    pub links: String,
    /// The npm `@calcom/embed-core` `dist/embed/embed.js` [default: the one scripts/setup.sh installs].
    #[arg(long, env = "STANDIN_EMBED_JS")]
    pub embed_js: Option<PathBuf>,
    /// Start with a failure mode on (repeatable).
    #[arg(long, value_enum)]
    pub fail: Vec<FailArg>,
    /// Delay every delivery by this much unless it says otherwise.
    #[arg(long, default_value_t = 0)]
    pub webhook_delay_ms: u64,
    /// Record deliveries but never send them.
    #[arg(long)]
    pub drop_webhooks: bool,
    /// The bearer key API v2 (`/v2/bookings`) accepts.
    #[arg(long, env = "STANDIN_API_KEY", default_value = DEFAULT_API_KEY)]
    pub api_key: String,
    /// API v2 requests per minute per key (0 = no limit).
    #[arg(long, default_value_t = DEFAULT_API_RATE_LIMIT)]
    pub api_rate_limit: u32,
    /// Delay every API v2 answer by this much.
    #[arg(long, default_value_t = 0)]
    pub api_delay_ms: u64,
}

/// `--fail`'s values, one for each [`FailMode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailArg {
    /// `GET /embed/embed.js` answers 503.
    EmbedScript,
    /// Every booker page posts `linkFailed`.
    Links,
}

impl From<FailArg> for FailMode {
    fn from(arg: FailArg) -> Self {
        match arg {
            FailArg::EmbedScript => FailMode::EmbedScript,
            FailArg::Links => FailMode::Links,
        }
    }
}

impl From<ServeArgs> for ServeOptions {
    fn from(args: ServeArgs) -> Self {
        Self {
            listen: args.listen,
            public_origin: args.public_origin,
            webhook_url: args.webhook_url,
            secret: args.secret,
            links: args.links,
            embed_js: args.embed_js,
            fail: args.fail.into_iter().map(FailMode::from).collect(),
            webhook_delay_ms: args.webhook_delay_ms,
            drop_webhooks: args.drop_webhooks,
            api_key: args.api_key,
            api_rate_limit: args.api_rate_limit,
            api_delay_ms: args.api_delay_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Serve {
        #[command(flatten)]
        args: ServeArgs,
    }

    #[test]
    fn serve_arguments_become_the_same_options() {
        let serve = Serve::try_parse_from([
            "serve",
            "--secret",
            "s",
            "--fail",
            "links",
            "--fail",
            "embed-script",
            "--drop-webhooks",
        ])
        .expect("parses");
        let options = ServeOptions::from(serve.args);
        assert_eq!(options.fail, [FailMode::Links, FailMode::EmbedScript]);
        assert!(options.drop_webhooks);
        assert_eq!(options.secret, "s");
        assert_eq!(options.api_key, DEFAULT_API_KEY);
        assert_eq!(options.api_rate_limit, 120);
    }

    #[test]
    fn api_options_are_taken() {
        let serve = Serve::try_parse_from([
            "serve",
            "--secret",
            "s",
            "--api-key",
            "cal_k",
            "--api-rate-limit",
            "7",
            "--api-delay-ms",
            "250",
        ])
        .expect("parses");
        let options = ServeOptions::from(serve.args);
        assert_eq!(options.api_key, "cal_k");
        assert_eq!(options.api_rate_limit, 7);
        assert_eq!(options.api_delay_ms, 250);
    }
}
