//! Limits that keep one person or one script from hurting everyone else, enforced at the edge:
//! who may create sessions and how fast each client address may, and how fast one connection
//! may send commands. Each is a setting; the defaults leave a real workshop far from them.

use super::auth::hashes_match;
use super::error::ApiError;
use crate::config::Config;
use crate::store::TokenHash;
use axum::http::{HeaderMap, HeaderName, StatusCode};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota};
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

/// A token bucket for one WebSocket connection's commands.
pub type CommandLimiter = DefaultDirectRateLimiter;

/// The edge's limits, built once from the configuration.
pub struct Guards {
    create_key: Option<TokenHash>,
    creations: DefaultKeyedRateLimiter<IpAddr>,
    commands: Option<Quota>,
    client_ip_header: Option<HeaderName>,
}

fn quota(per_period: Quota, burst: u32) -> Quota {
    per_period.allow_burst(NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN))
}

/// The refusal of a request over a rate, with when to try again.
pub fn rate_limited(what: &str, wait: Duration) -> ApiError {
    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
    ApiError {
        retry_after_ms: Some(wait_ms),
        ..ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many {what} at once; try again in {wait_ms} ms"),
        )
    }
}

impl Guards {
    /// The guards `config` asks for.
    pub fn new(config: &Config) -> Guards {
        let per_minute =
            NonZeroU32::new(config.create_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        let commands = NonZeroU32::new(config.commands_per_second)
            .map(|rate| quota(Quota::per_second(rate), config.command_burst));
        Guards {
            create_key: config
                .create_key
                .as_deref()
                .filter(|k| !k.is_empty())
                .map(|k| Sha256::digest(k.as_bytes()).into()),
            creations: governor::RateLimiter::keyed(quota(
                Quota::per_minute(per_minute),
                config.create_burst,
            )),
            commands,
            client_ip_header: config
                .client_ip_header
                .as_deref()
                .and_then(|h| HeaderName::try_from(h).ok()),
        }
    }

    /// Whether creating a session needs a key.
    pub fn create_key_required(&self) -> bool {
        self.create_key.is_some()
    }

    /// The address a request counts as coming from: the proxy's header when one is configured
    /// (X-Forwarded-For's last address, which the nearest proxy wrote), else the connection's.
    pub fn client_ip(&self, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
        self.client_ip_header
            .as_ref()
            .and_then(|name| headers.get(name))
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(peer.ip())
    }

    /// May this client create a session now, with this key? The key is checked first, so that
    /// wrong keys cannot use up someone's allowance.
    pub fn check_create(&self, client: IpAddr, key: Option<&str>) -> Result<(), ApiError> {
        self.check_create_key(key)?;
        self.take_creation(client)
    }

    /// Refuses a wrong or missing key, when the server asks for one.
    pub fn check_create_key(&self, key: Option<&str>) -> Result<(), ApiError> {
        if let Some(expected) = &self.create_key {
            let given: TokenHash = Sha256::digest(key.unwrap_or("").as_bytes()).into();
            if !hashes_match(expected, &given) {
                return Err(ApiError {
                    field: Some("create_key"),
                    ..ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "create_key_required",
                        "this server asks for its key to create a session",
                    )
                });
            }
        }
        Ok(())
    }

    /// Takes one creation from the client's allowance, or says how long to wait.
    pub fn take_creation(&self, client: IpAddr) -> Result<(), ApiError> {
        self.creations.check_key(&client).map_err(|not_until| {
            rate_limited(
                "sessions",
                not_until.wait_time_from(DefaultClock::default().now()),
            )
        })
    }

    /// A fresh token bucket for one connection's commands; none when the limit is off.
    pub fn command_limiter(&self) -> Option<CommandLimiter> {
        self.commands.map(governor::RateLimiter::direct)
    }

    /// Forgets the client addresses whose allowance is whole again, so that the table does
    /// not grow with every address ever seen.
    pub fn forget_idle(&self) {
        self.creations.retain_recent();
    }
}

/// Takes one command from a connection's bucket, or says how long to wait.
pub fn take_command(limiter: &CommandLimiter) -> Result<(), ApiError> {
    limiter.check().map_err(|not_until| {
        rate_limited(
            "commands",
            not_until.wait_time_from(DefaultClock::default().now()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(adjust: impl FnOnce(&mut Config)) -> Config {
        let mut c = Config::for_database("sqlite://unused.db");
        adjust(&mut c);
        c
    }

    #[test]
    fn a_client_gets_its_burst_then_waits_and_others_are_not_touched() {
        let guards = Guards::new(&config(|c| {
            c.create_burst = 3;
            c.create_per_minute = 1;
        }));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            guards.check_create(a, None).unwrap();
        }
        let refused = guards.check_create(a, None).unwrap_err();
        assert_eq!(refused.code, "rate_limited");
        assert!(refused.retry_after_ms.unwrap() > 1000);
        guards.check_create(b, None).unwrap();
    }

    #[test]
    fn a_create_key_is_required_when_set_and_compared_whole() {
        let guards = Guards::new(&config(|c| c.create_key = Some("s3cret".into())));
        let ip: IpAddr = "192.0.2.9".parse().unwrap();
        assert_eq!(
            guards.check_create(ip, None).unwrap_err().code,
            "create_key_required"
        );
        assert_eq!(
            guards.check_create(ip, Some("s3cre")).unwrap_err().code,
            "create_key_required"
        );
        guards.check_create(ip, Some("s3cret")).unwrap();
        assert!(!Guards::new(&config(|_| {})).create_key_required());
    }

    #[test]
    fn the_client_address_comes_from_the_proxy_header_only_when_configured() {
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.7, 198.51.100.2".parse().unwrap(),
        );
        let direct = Guards::new(&config(|_| {}));
        assert_eq!(direct.client_ip(&headers, peer), peer.ip());
        let proxied = Guards::new(&config(|c| {
            c.client_ip_header = Some("X-Forwarded-For".into())
        }));
        assert_eq!(
            proxied.client_ip(&headers, peer),
            "198.51.100.2".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn commands_come_out_of_a_bucket_of_the_configured_size() {
        let guards = Guards::new(&config(|c| {
            c.commands_per_second = 1;
            c.command_burst = 5;
        }));
        let bucket = guards.command_limiter().unwrap();
        for _ in 0..5 {
            take_command(&bucket).unwrap();
        }
        assert_eq!(take_command(&bucket).unwrap_err().code, "rate_limited");
        assert!(
            Guards::new(&config(|c| c.commands_per_second = 0))
                .command_limiter()
                .is_none()
        );
    }
}
