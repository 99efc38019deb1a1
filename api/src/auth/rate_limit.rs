//! Rate limits on joins and logins, per device and per client address.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use uuid::Uuid;

use crate::config::Config;

pub struct RateLimits {
    joins_per_device: DefaultKeyedRateLimiter<Uuid>,
    joins_per_address: DefaultKeyedRateLimiter<IpAddr>,
    logins_per_address: DefaultKeyedRateLimiter<IpAddr>,
}

fn per_minute(count: u32) -> Quota {
    // A configured 0 would forbid everything forever; treat it as one per minute.
    Quota::per_minute(NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN))
}

impl RateLimits {
    pub fn new(config: &Config) -> Self {
        RateLimits {
            joins_per_device: RateLimiter::keyed(per_minute(config.join_rate_per_device)),
            joins_per_address: RateLimiter::keyed(per_minute(config.join_rate_per_address)),
            logins_per_address: RateLimiter::keyed(per_minute(config.login_rate_per_address)),
        }
    }

    pub fn allow_join_from_address(&self, ip: IpAddr) -> bool {
        self.joins_per_address.check_key(&ip).is_ok()
    }

    pub fn allow_join_of_device(&self, device_id: Uuid) -> bool {
        self.joins_per_device.check_key(&device_id).is_ok()
    }

    pub fn allow_login_from_address(&self, ip: IpAddr) -> bool {
        self.logins_per_address.check_key(&ip).is_ok()
    }

    /// Forgets keys whose quota has fully refilled, so the maps do not grow without bound.
    pub fn forget_idle_keys(&self) {
        self.joins_per_device.retain_recent();
        self.joins_per_address.retain_recent();
        self.logins_per_address.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_limit_is_per_device() {
        let mut config = Config::local(".".into());
        config.join_rate_per_device = 2;
        let limits = RateLimits::new(&config);
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert!(limits.allow_join_of_device(a));
        assert!(limits.allow_join_of_device(a));
        assert!(!limits.allow_join_of_device(a));
        assert!(limits.allow_join_of_device(b));
    }
}
