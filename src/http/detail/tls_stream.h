// The stream types of the two ports: TLS over TCP for HTTPS, TCP alone for the redirect.
#pragma once

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace starling::http::detail {

// beast::tcp_stream carries the per-operation timeouts (slowloris, idle keep-alive).
using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::asio::ssl::stream<boost::beast::tcp_stream>;

} // namespace starling::http::detail
