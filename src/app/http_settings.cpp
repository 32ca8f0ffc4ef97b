// Turns the [http], [network] and [tls] configuration into the settings of the HTTP server.
#include "app/http_settings.h"

#include <boost/asio/ip/host_name.hpp>

namespace starling::app {

http::HttpServerSettings http_settings(const core::Config& config) {
  http::HttpServerSettings settings;
  // The loader has checked that the address parses.
  settings.address = boost::asio::ip::make_address(config.listen_address(config.http.address));
  settings.http_port = config.listen_port(config.http.http_port);
  settings.https_port = config.listen_port(config.http.https_port);
  // The certificate SIP uses: one certificate for the whole PBX.
  settings.tls.certificate_chain_file = config.tls.certificate;
  settings.tls.private_key_file = config.tls.private_key;
  settings.tls.self_signed_directory = config.data_dir / "tls";
  settings.tls.hostname = boost::asio::ip::host_name();
  return settings;
}

} // namespace starling::app
