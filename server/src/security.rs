//! The per-run token and the Origin check that guard the WebSocket, and the
//! Host check that guards every request against DNS rebinding.

use std::net::SocketAddr;

/// Random lowercase hex of `bytes` bytes from the OS.
pub fn random_hex(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// A fresh per-run token: 128 bits.
pub fn new_token() -> Result<String, getrandom::Error> {
    random_hex(16)
}

/// Compares without an early exit, so timing does not reveal the token.
pub fn token_matches(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Which browser origins may open the WebSocket.
#[derive(Debug, Clone)]
pub struct OriginPolicy {
    allowed: Vec<String>,
}

impl OriginPolicy {
    /// The server's own origins (by every loopback name) plus `extra`.
    pub fn new(bound: SocketAddr, extra: &[String]) -> Self {
        let port = bound.port();
        let mut allowed = vec![
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
            format!("http://[::1]:{port}"),
        ];
        if !bound.ip().is_loopback() && !bound.ip().is_unspecified() {
            allowed.push(format!("http://{bound}"));
        }
        allowed.extend(extra.iter().map(|o| o.trim_end_matches('/').to_owned()));
        Self { allowed }
    }

    /// Browsers always send Origin; a missing one is a non-browser client
    /// (an editor plugin, a test), which the token alone authorises.
    pub fn allows(&self, origin: Option<&str>) -> bool {
        match origin {
            None => true,
            Some(origin) => self.allowed.iter().any(|a| a == origin),
        }
    }

    pub fn allowed(&self) -> &[String] {
        &self.allowed
    }
}

/// Which `Host` headers the server answers: a defence against DNS rebinding,
/// where a foreign site points its own name at 127.0.0.1 and then reads the
/// page (and its token) as same-origin. Vite's fix for CVE-2025-24010 is the
/// model: IP literals (a rebinding attack needs a name), `localhost` and
/// `*.localhost` (which resolve to loopback by definition), and names given
/// with `--allow-host`. The port is not checked: a rebinding page uses ours.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    extra: Vec<String>,
}

impl HostPolicy {
    pub fn new(extra: &[String]) -> Self {
        Self {
            extra: extra
                .iter()
                .map(|h| h.trim().to_ascii_lowercase())
                .collect(),
        }
    }

    /// A request without a Host header comes from no browser (they always
    /// send one), so it cannot be a rebinding attack.
    pub fn allows(&self, host_header: Option<&str>) -> bool {
        let Some(header) = host_header else {
            return true;
        };
        let name = host_name(header).to_ascii_lowercase();
        name == "localhost"
            || name.ends_with(".localhost")
            || name.parse::<std::net::IpAddr>().is_ok()
            || self.extra.iter().any(|h| h == &name)
    }
}

/// The name of `Host: name:port` (`[::1]:7888` gives `::1`).
fn host_name(header: &str) -> &str {
    let header = header.trim();
    if let Some(rest) = header.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match header.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => header,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_compare_exactly() {
        let a = new_token().expect("randomness");
        let b = new_token().expect("randomness");
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(token_matches(&a, &a.clone()));
        assert!(!token_matches(&a, &b));
        assert!(!token_matches(&a, &a[..31]));
    }

    #[test]
    fn origin_policy_allows_own_origins_only() {
        let policy = OriginPolicy::new("127.0.0.1:7888".parse().expect("addr"), &[]);
        assert!(policy.allows(Some("http://localhost:7888")));
        assert!(policy.allows(Some("http://127.0.0.1:7888")));
        assert!(!policy.allows(Some("http://evil.example")));
        assert!(!policy.allows(Some("http://localhost:7889")));
        assert!(policy.allows(None));
    }

    #[test]
    fn host_policy_allows_loopback_names_and_ip_literals_only() {
        let policy = HostPolicy::new(&["dev.example.test".to_owned()]);
        for ok in [
            "localhost:7888",
            "127.0.0.1:7888",
            "[::1]:7888",
            "app.localhost:7888",
            "LOCALHOST",
            "192.168.1.20:7888",
            "dev.example.test:7888",
        ] {
            assert!(policy.allows(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example:7888",
            "localhost.evil.example",
            "127.0.0.1.nip.io:7888",
            "example.test",
        ] {
            assert!(!policy.allows(Some(bad)), "{bad}");
        }
        assert!(policy.allows(None));
    }
}
