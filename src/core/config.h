// Starling's effective configuration: built-in defaults, overlaid by starling.toml.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace starling::core {

enum class LogFormat { plain, json };

struct LogConfig {
  std::string level = "info";
  LogFormat format = LogFormat::plain;
};

struct StoreConfig {
  // Empty selects the embedded SQLite database at <data_dir>/starling.db.
  std::string url;
};

struct NetworkConfig {
  // "::" listens on every IPv6 and IPv4 address (dual stack).
  std::string address = "::";
  // Added to every listening port, so tests and side-by-side instances run unprivileged.
  std::uint16_t port_offset = 0;
  // The address peers outside local_networks reach this PBX at (the router's public address
  // when 5060 and the media ports are forwarded to it). Empty: learned via stun_server, or
  // the local address when there is no STUN server either.
  std::string public_address;
  // Peers inside these networks get the local address in SDP, Contact and Via; all others
  // get public_address (docs/nat.md).
  std::vector<std::string> local_networks = {"127.0.0.0/8",   "::1/128",        "10.0.0.0/8",
                                             "172.16.0.0/12", "192.168.0.0/16", "fc00::/7",
                                             "fe80::/10",     "100.64.0.0/10"};
  // "host" or "host:port" of a STUN server (RFC 8489) that tells the public address.
  std::string stun_server;
  // "host" or "host:port" (default 123) of NTP servers the doctor and `serve` compare the
  // clock with. Empty: the clock is not checked, and no time server is contacted.
  std::vector<std::string> ntp_servers;
  // "address" or "address:port" of the DNS server the doctor resolves through. Empty: the
  // system's resolver (/etc/resolv.conf).
  std::string dns_server;
};

struct SipConfig {
  bool enabled = true;
  std::string address; // empty: network.address
  std::uint16_t udp_port = 5060;
  std::uint16_t tcp_port = 5060;
  std::uint16_t tls_port = 5061;
  // Digest realm. Device credentials are stored as HA1 hashes over it, so changing it
  // means setting every device password again.
  std::string realm = "starling";

  // Registrar (RFC 3261 §10.3): REGISTER asking for less than min gets 423.
  std::uint32_t min_expires = 60;
  std::uint32_t max_expires = 7200;
  std::uint32_t default_expires = 3600;
  // Digest algorithms offered in challenges, in order: "MD5" and/or "SHA-256". MD5 alone by
  // default: baresip 1.0 fails as soon as any SHA-256 challenge is offered, and SIPp 3.6
  // reads only the first (docs/sip.md has what was measured).
  std::vector<std::string> digest_algorithms = {"MD5"};
  // How long a digest nonce is good for; after that phones get stale=true and retry.
  std::uint32_t nonce_lifetime = 300;

  // Brute-force protection: ban_failures failed authentications within ban_window
  // seconds make Starling ignore that source for ban_time seconds.
  std::uint32_t ban_failures = 10;
  std::uint32_t ban_window = 60;
  std::uint32_t ban_time = 600;

  // Transaction timers (RFC 3261 §17), milliseconds.
  std::uint32_t t1_ms = 500;
  std::uint32_t t2_ms = 4000;
  std::uint32_t t4_ms = 5000;

  // Connections (TCP, TLS) without traffic for this long are closed.
  std::uint32_t idle_timeout = 600;

  // Under load the UDP socket is read once per window, not per datagram; windows grow to
  // this many microseconds while the load lasts. 0 reads every datagram as it arrives.
  std::uint32_t udp_receive_window_us = 8000;
};

struct TlsConfig {
  // PEM files. Empty: a self-signed certificate made at first start in <data_dir>/tls.
  std::string certificate;
  std::string private_key;
  // PEM bundle of the CAs outbound TLS connections (trunks) trust. Empty: the system's store.
  std::string ca_file;
};

struct MediaConfig {
  std::string address;
  std::uint16_t rtp_port_min = 10000;
  std::uint16_t rtp_port_max = 20000;
  // Relay threads, each with its own sockets; signalling never handles media.
  std::uint16_t threads = 1;
  // A call whose phones send no RTP or RTCP for this long is ended (a phone lost power or
  // network); held calls are exempt.
  std::uint32_t timeout = 60;
  // Simultaneous calls the RTP range should carry; the doctor warns when the range is too
  // small for them (a relayed call takes 4 ports: RTP and RTCP on each leg).
  std::uint32_t expected_calls = 100;
};

struct PbxConfig {
  // Ringing this long without an answer ends in 480 Temporarily Unavailable.
  std::uint32_t no_answer_timeout = 60;
  // Session timers (RFC 4028): the interval asked of phones that support them, and the
  // shortest one accepted (422 below it).
  std::uint32_t session_expires = 1800;
  std::uint32_t min_session_expires = 90;

  // The numbering plan of the site, for outbound routing and caller IDs through trunks
  // (docs/trunks.md): "49" and "30" for Berlin, "1" and "212" for New York.
  std::string country_code;
  std::string area_code;
  std::string international_prefix = "00";
  std::string national_prefix = "0";
  // Always allowed, whatever a user's call class, and routed even when no route matches.
  std::vector<std::string> emergency_numbers = {"112", "911"};
  // Trunks that carry emergency calls no outbound route matches, tried in order.
  std::vector<std::string> emergency_trunks;
};

struct HttpConfig {
  bool enabled = true;
  std::string address;
  std::uint16_t http_port = 80;
  std::uint16_t https_port = 443;
  // A web login lasts at most session_lifetime seconds, and ends sooner after
  // session_idle_timeout seconds without a request.
  std::uint32_t session_lifetime = 43200;
  std::uint32_t session_idle_timeout = 1800;
};

struct XmppConfig {
  bool enabled = true;
  std::string address;
  // The domain users' addresses are in (alice@DOMAIN); empty: the machine's host name.
  std::string domain;
  std::uint16_t starttls_port = 5222;
  std::uint16_t tls_port = 5223;
  // XEP-0313: archived chat messages older than this many days are deleted; 0 keeps them.
  std::uint32_t archive_retention_days = 365;
  // XEP-0363 file upload: the largest file in bytes (0 turns uploads off), what one user's
  // files may take together (0: no cap), and the days they are kept (0: forever).
  std::uint64_t upload_max_size = std::uint64_t{10} * 1024 * 1024;
  std::uint64_t upload_quota = std::uint64_t{200} * 1024 * 1024;
  std::uint32_t upload_retention_days = 30;
  // "https://host[:port]" clients reach the HTTPS server at for uploads; empty:
  // https://DOMAIN with http.https_port.
  std::string upload_url;
  // XEP-0198: seconds a session whose connection was lost waits for its client to resume it.
  std::uint32_t resumption_timeout = 300;
  // Every user has every colleague on their roster, mutually subscribed; off, users add
  // contacts and ask for subscriptions themselves.
  bool colleagues_roster = true;
  // Brute-force protection, as for SIP: ban_failures wrong passwords within ban_window
  // seconds make Starling close that source's connections for ban_time seconds.
  std::uint32_t ban_failures = 10;
  std::uint32_t ban_window = 60;
  std::uint32_t ban_time = 600;
  // XEP-0215: "host" or "host:port" of STUN servers and TURN relays offered to clients for
  // calls; TURN credentials are made with turn_secret (coturn's static-auth-secret) and
  // last turn_credential_lifetime seconds.
  std::vector<std::string> stun;
  std::vector<std::string> turn;
  std::string turn_secret;
  std::uint32_t turn_credential_lifetime = 86400;
};

struct ProvisioningConfig {
  bool enabled = true;
  std::string address;
  std::uint16_t http_port = 50080;
  std::uint16_t https_port = 50081;
  bool multicast_pnp = true;
};

struct FederationConfig {
  // Off by default: a single site needs no interconnect port open.
  bool enabled = false;
  std::string address;
  std::uint16_t port = 3090;
};

struct Config {
  std::filesystem::path data_dir = "var";
  LogConfig log;
  StoreConfig store;
  NetworkConfig network;
  TlsConfig tls;
  SipConfig sip;
  MediaConfig media;
  PbxConfig pbx;
  HttpConfig http;
  XmppConfig xmpp;
  ProvisioningConfig provisioning;
  FederationConfig federation;

  // A configured port moved by network.port_offset.
  [[nodiscard]] std::uint16_t listen_port(std::uint16_t configured) const {
    return static_cast<std::uint16_t>(configured + network.port_offset);
  }
  // A service's own address, or the shared one when the service names none.
  [[nodiscard]] const std::string& listen_address(const std::string& service_address) const {
    return service_address.empty() ? network.address : service_address;
  }
};

} // namespace starling::core
