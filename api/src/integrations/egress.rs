//! The webhook's egress guard: the server posts notes only to public addresses, unless
//! `LOSSY_WEBHOOK_ALLOW_PRIVATE` says otherwise. Without it a user could point their webhook
//! at the server's own network (a database's admin port, a cloud's metadata service at
//! 169.254.169.254) and have the server send requests there for them.
//!
//! Three checks, one classifier ([`private_range`]):
//! - At `setWebhook`, a URL whose host is a private IP literal or `localhost` is refused
//!   ([`refused_host`]). Names are not resolved then: what a name resolves to may change.
//! - At delivery, an IP literal is checked again (it was allowed when set, or set while the
//!   guard was off), since the HTTP client does not resolve literals.
//! - At delivery, a name is resolved by [`GuardedResolver`], which refuses it if any of its
//!   addresses is private, and otherwise hands the client exactly the addresses it checked:
//!   the connection goes to one of them, so a name that resolves to a public address for the
//!   check and a private one for the connection (DNS rebinding) gets nowhere.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// The private (or otherwise not publicly routable) range `ip` falls in, named for a
/// message; `None` for a public address.
pub fn private_range(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => v4_range(ip),
        IpAddr::V6(ip) => v6_range(ip),
    }
}

fn v4_range(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, _, _) => "\"this network\" 0.0.0.0/8, which includes the unspecified address",
        (10, _, _) => "private 10.0.0.0/8 (RFC 1918)",
        (127, _, _) => "loopback 127.0.0.0/8",
        (169, 254, _) => "link-local 169.254.0.0/16, where cloud metadata services answer",
        (172, 16..=31, _) => "private 172.16.0.0/12 (RFC 1918)",
        (192, 168, _) => "private 192.168.0.0/16 (RFC 1918)",
        (100, 64..=127, _) => "shared address space 100.64.0.0/10 (carrier-grade NAT)",
        (192, 0, 0) => "IETF protocol assignments 192.0.0.0/24",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation (TEST-NET)",
        (198, 18..=19, _) => "benchmarking 198.18.0.0/15",
        (255, 255, 255) if ip == Ipv4Addr::BROADCAST => "broadcast 255.255.255.255",
        (224..=239, _, _) => "multicast 224.0.0.0/4",
        (240..=255, _, _) => "reserved 240.0.0.0/4",
        _ => return None,
    })
}

fn v6_range(ip: Ipv6Addr) -> Option<&'static str> {
    let segments = ip.segments();
    // The IPv4 address in the last 32 bits, for the forms that carry one.
    let embedded = || {
        let [.., a, b, c, d] = ip.octets();
        Ipv4Addr::new(a, b, c, d)
    };
    if ip.is_unspecified() {
        return Some("unspecified ::");
    }
    if ip.is_loopback() {
        return Some("loopback ::1");
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        // ::ffff:a.b.c.d reaches a.b.c.d.
        return v4_range(v4).map(|_| "an IPv4-mapped form of a private IPv4 address");
    }
    Some(match segments {
        // ::a.b.c.d, deprecated and not routed.
        [0, 0, 0, 0, 0, 0, _, _] => "IPv4-compatible ::/96 (deprecated)",
        // NAT64's well-known prefix reaches the embedded IPv4 address through a gateway.
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => {
            return v4_range(embedded()).map(|_| "a NAT64 form of a private IPv4 address");
        }
        [0x64, 0xff9b, 1, ..] => "local-use NAT64 64:ff9b:1::/48",
        // 6to4 carries an IPv4 address in its second and third groups.
        [0x2002, high, low, ..] => {
            let [a, b] = high.to_be_bytes();
            let [c, d] = low.to_be_bytes();
            return v4_range(Ipv4Addr::new(a, b, c, d))
                .map(|_| "a 6to4 form of a private IPv4 address");
        }
        [0x100, 0, 0, 0, ..] => "discard-only 100::/64",
        [0x2001, 0xdb8, ..] => "documentation 2001:db8::/32",
        [first, ..] if first & 0xfe00 == 0xfc00 => "unique-local fc00::/7",
        [first, ..] if first & 0xffc0 == 0xfe80 => "link-local fe80::/10",
        [first, ..] if first & 0xffc0 == 0xfec0 => "site-local fec0::/10 (deprecated)",
        [first, ..] if first & 0xff00 == 0xff00 => "multicast ff00::/8",
        _ => return None,
    })
}

/// Why a webhook's destination is refused: `host` is private, or resolves to `address`,
/// which is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateDestination {
    pub host: String,
    pub address: Option<IpAddr>,
    pub range: &'static str,
}

impl fmt::Display for PrivateDestination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.address {
            Some(address) if address.to_string() != self.host => write!(
                f,
                "the webhook's host {} resolves to {address}, which is not public ({})",
                self.host, self.range
            )?,
            Some(address) => write!(
                f,
                "the webhook's address {address} is not public ({})",
                self.range
            )?,
            None => write!(
                f,
                "the webhook's host {} is not public ({})",
                self.host, self.range
            )?,
        }
        f.write_str(
            "; notes are posted to public addresses only (LOSSY_WEBHOOK_ALLOW_PRIVATE allows \
             private ones)",
        )
    }
}

impl std::error::Error for PrivateDestination {}

/// Whether `name` is `localhost` or a name under it (RFC 6761: always the machine itself).
fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// The refusal of a URL whose host is, as written, private: an IP literal in a private range
/// or `localhost`. A name is not resolved here; [`GuardedResolver`] checks it at delivery.
pub fn refused_host(url: &Url) -> Option<PrivateDestination> {
    if let Some(Host::Domain(name)) = url.host()
        && is_localhost(name)
    {
        return Some(PrivateDestination {
            host: name.to_owned(),
            address: None,
            range: "localhost, the server itself",
        });
    }
    refused_literal(url)
}

/// The refusal of a URL whose host is an IP literal in a private range. The HTTP client
/// connects to a literal without asking the resolver, so a delivery checks it here.
pub fn refused_literal(url: &Url) -> Option<PrivateDestination> {
    let address = match url.host()? {
        Host::Ipv4(ip) => IpAddr::V4(ip),
        Host::Ipv6(ip) => IpAddr::V6(ip),
        Host::Domain(_) => return None,
    };
    Some(PrivateDestination {
        host: address.to_string(),
        address: Some(address),
        range: private_range(address)?,
    })
}

/// The refusal of `host`'s resolved `addresses` if any one is private: a name that resolves
/// to a public and a private address could be connected to either.
pub fn check_resolved(host: &str, addresses: &[SocketAddr]) -> Result<(), PrivateDestination> {
    for address in addresses {
        if let Some(range) = private_range(address.ip()) {
            return Err(PrivateDestination {
                host: host.to_owned(),
                address: Some(address.ip()),
                range,
            });
        }
    }
    Ok(())
}

/// The webhook client's resolver with the guard on: the system's resolver, then
/// [`check_resolved`]; the client connects only to the addresses answered here.
#[derive(Debug, Clone, Copy, Default)]
pub struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            check_resolved(&host, &addresses)?;
            let addrs: Addrs = Box::new(addresses.into_iter());
            Ok(addrs)
        })
    }
}

/// The guard's refusal somewhere in `err`'s chain of causes (the resolver's error reaches the
/// caller wrapped by the HTTP client's own).
pub fn refusal_in<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a PrivateDestination> {
    let mut cause = Some(err);
    while let Some(error) = cause {
        if let Some(refusal) = error.downcast_ref::<PrivateDestination>() {
            return Some(refusal);
        }
        cause = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private(ip: &str) -> bool {
        private_range(ip.parse().expect("an address")).is_some()
    }

    #[test]
    fn private_ipv4_ranges_are_refused_at_both_ends() {
        for ip in [
            // this network, the unspecified address
            "0.0.0.0",
            "0.255.255.255",
            // RFC 1918
            "10.0.0.0",
            "10.255.255.255",
            "172.16.0.0",
            "172.31.255.255",
            "192.168.0.0",
            "192.168.255.255",
            // loopback
            "127.0.0.1",
            "127.255.255.254",
            // link-local, cloud metadata
            "169.254.0.0",
            "169.254.169.254",
            "169.254.255.255",
            // CGNAT
            "100.64.0.0",
            "100.127.255.255",
            // IETF, documentation, benchmarking
            "192.0.0.8",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "198.19.255.255",
            // multicast, reserved, broadcast
            "224.0.0.1",
            "239.255.255.255",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(private(ip), "{ip} was taken for public");
        }
    }

    #[test]
    fn public_ipv4_addresses_next_to_the_private_ranges_pass() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "9.255.255.255",
            "11.0.0.0",
            "126.255.255.255",
            "128.0.0.0",
            "169.253.255.255",
            "169.255.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.167.255.255",
            "192.169.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "192.0.1.1",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
        ] {
            assert!(!private(ip), "{ip} was taken for private");
        }
    }

    #[test]
    fn private_ipv6_ranges_and_forms_of_private_ipv4_are_refused() {
        for ip in [
            "::",
            "::1",
            // unique-local
            "fc00::1",
            "fd12:3456:789a::1",
            "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            // link-local and deprecated site-local
            "fe80::1",
            "febf::1",
            "fec0::1",
            // multicast
            "ff02::1",
            "ff0e::1",
            // IPv4-mapped forms of private IPv4
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "::ffff:192.168.1.1",
            "::ffff:100.64.0.1",
            "::ffff:0.0.0.0",
            "::ffff:255.255.255.255",
            // IPv4-compatible (deprecated), NAT64 and 6to4 forms
            "::127.0.0.1",
            "::8.8.8.8",
            "64:ff9b::10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
            // discard-only, documentation
            "100::1",
            "2001:db8::1",
        ] {
            assert!(private(ip), "{ip} was taken for public");
        }
    }

    #[test]
    fn public_ipv6_addresses_pass() {
        for ip in [
            "2606:4700:4700::1111",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "fbff::1",
            "fe00::1",
            "2001:db9::1",
        ] {
            assert!(!private(ip), "{ip} was taken for private");
        }
    }

    fn refused(url: &str) -> Option<PrivateDestination> {
        refused_host(&Url::parse(url).expect("a URL"))
    }

    #[test]
    fn urls_with_private_literals_or_localhost_are_refused_as_written() {
        for url in [
            "http://127.0.0.1:9000/hook",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.5/hook",
            "https://[::1]/hook",
            "https://[::ffff:127.0.0.1]/hook",
            "https://[fd00::5]:8443/hook",
            "http://0.0.0.0/hook",
            // Spelled otherwise, the URL parser reads them as the same addresses.
            "http://2130706433/hook",
            "http://0x7f.1/hook",
            "http://127.1/hook",
            "http://localhost:3000/hook",
            "http://LOCALHOST./hook",
            "http://api.localhost/hook",
        ] {
            assert!(refused(url).is_some(), "{url} was accepted");
        }
        for url in [
            "https://hooks.slack.com/services/T/B/x",
            "https://8.8.8.8/hook",
            "https://[2606:4700:4700::1111]/hook",
            "https://localhost.example.com/hook",
            // A name: resolved and checked at delivery, not here.
            "https://internal.example.test/hook",
        ] {
            assert_eq!(refused(url), None, "{url} was refused");
        }
        // At delivery only literals are checked before connecting; names go to the resolver.
        let literal = |url: &str| refused_literal(&Url::parse(url).expect("a URL"));
        assert!(literal("http://[::ffff:10.0.0.1]/hook").is_some());
        assert!(literal("http://localhost/hook").is_none());
        assert!(literal("https://8.8.8.8/hook").is_none());
    }

    #[test]
    fn a_refusal_names_the_address_and_its_range() {
        let literal = refused("http://169.254.169.254/").expect("refused");
        let text = literal.to_string();
        assert!(text.contains("169.254.169.254"), "{text}");
        assert!(text.contains("link-local"), "{text}");
        assert!(text.contains("LOSSY_WEBHOOK_ALLOW_PRIVATE"), "{text}");

        let addresses: Vec<SocketAddr> = vec![
            "93.184.216.34:0".parse().unwrap(),
            "10.0.0.7:0".parse().unwrap(),
        ];
        let resolved = check_resolved("hooks.example.test", &addresses).expect_err("refused");
        let text = resolved.to_string();
        assert!(
            text.contains("hooks.example.test resolves to 10.0.0.7"),
            "{text}"
        );
        assert!(check_resolved("hooks.example.test", &addresses[..1]).is_ok());
    }

    #[tokio::test]
    async fn the_resolver_refuses_a_name_that_resolves_to_loopback() {
        let name: Name = "localhost".parse().expect("a name");
        let err = match GuardedResolver.resolve(name).await {
            Ok(addrs) => panic!("resolved to {:?}", addrs.collect::<Vec<_>>()),
            Err(err) => err,
        };
        let refusal = refusal_in(err.as_ref()).expect("the guard's refusal");
        assert!(
            refusal.address.is_some_and(|ip| ip.is_loopback()),
            "{refusal}"
        );
    }
}
