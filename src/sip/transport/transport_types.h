// What the SIP transport layer hands out and takes in: errors, callbacks, TLS contexts.
#pragma once

#include <functional>
#include <string>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include "sip/message.h"
#include "sip/transport/flow.h"

namespace starling::sip {

// A start or send failure, worded for the operator or the log: what, where, why.
struct TransportError {
  std::string message;
};

// Receives every message that parsed, with the flow it came on. Validation
// (validate_request) and transaction matching are the receiver's.
using MessageHandler = std::function<void(Message message, const Flow& flow)>;

// Asked before any parsing, for each datagram, accepted connection and stream message; true
// drops it (and closes a connection) without a reply. The brute-force ban list plugs in here.
using DropPredicate = std::function<bool(const boost::asio::ip::address& remote)>;

// Called once per send() that returned a flow: with no error when the bytes were handed to
// the kernel, with the error when the connection failed or closed before. Never called from
// inside send() itself.
using SendCompletion = std::function<void(const boost::system::error_code& error)>;

// The caller owns both contexts (see net/tls_context.h); they must outlive the TransportLayer.
struct TlsContexts {
  boost::asio::ssl::context* server = nullptr; // required for tls_port
  boost::asio::ssl::context* client = nullptr; // for new outbound TLS connections; none: refused
};

} // namespace starling::sip
