//! Who is on the other end: the client address of a request.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, request::Parts},
};

use crate::accounts::login::ClientAddr;

/// The client address of a request: the peer of the connection, or, when
/// that peer is a trusted proxy, the nearest address in `X-Forwarded-For`
/// that is not one (a client cannot choose its address by sending the
/// header itself).
pub(crate) fn client_address(
    peer: IpAddr,
    headers: &HeaderMap,
    trusted_proxies: &[IpAddr],
) -> ClientAddr {
    if !trusted_proxies.contains(&peer) {
        return ClientAddr(peer);
    }
    let forwarded: Option<Vec<IpAddr>> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|value| value.to_str().ok())
        .collect::<Option<Vec<&str>>>()
        .and_then(|values| {
            values
                .iter()
                .flat_map(|v| v.split(','))
                .map(|a| a.trim().parse().ok())
                .collect()
        });
    let Some(chain) = forwarded else {
        return ClientAddr(peer);
    };
    let nearest = chain
        .iter()
        .rev()
        .find(|a| !trusted_proxies.contains(a))
        .or(chain.first())
        .copied();
    ClientAddr(nearest.unwrap_or(peer))
}

/// Extracts the [`ClientAddr`] of a request (the peer comes from the
/// accept loop, see [`super::serve`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Client(pub ClientAddr);

impl FromRequestParts<std::sync::Arc<super::Door>> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        door: &std::sync::Arc<super::Door>,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        Ok(Client(client_address(
            peer,
            &parts.headers,
            &door.limits().trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", xff.parse().unwrap());
        headers
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.9".parse().unwrap();
        let stranger: IpAddr = "198.51.100.4".parse().unwrap();
        assert_eq!(
            client_address(stranger, &headers("203.0.113.9"), &[proxy]),
            ClientAddr(stranger)
        );
        assert_eq!(
            client_address(proxy, &headers("1.2.3.4, 203.0.113.9"), &[proxy]),
            ClientAddr(client)
        );
        assert_eq!(
            client_address(proxy, &headers("not an address"), &[proxy]),
            ClientAddr(proxy)
        );
        assert_eq!(
            client_address(proxy, &HeaderMap::new(), &[proxy]),
            ClientAddr(proxy)
        );
    }
}
