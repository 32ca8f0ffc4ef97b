// The public face of the SIP transport layer; the work is in detail/.
#include "sip/transport/transport_layer.h"

#include "sip/transport/detail/transport_core.h"

namespace starling::sip {

TransportLayer::TransportLayer(boost::asio::io_context& io, TransportConfig config,
                               core::MetricsRegistry& metrics, const core::Clock& clock,
                               TlsContexts tls)
    : core_(std::make_shared<detail::TransportCore>(io, std::move(config), metrics, clock, tls)) {}

TransportLayer::~TransportLayer() {
  core_->stop();
}

void TransportLayer::set_message_handler(MessageHandler handler) {
  core_->set_message_handler(std::move(handler));
}

void TransportLayer::set_drop_predicate(DropPredicate should_drop) {
  core_->set_drop_predicate(std::move(should_drop));
}

std::expected<void, TransportError> TransportLayer::start() {
  return core_->start();
}

void TransportLayer::stop() {
  core_->stop();
}

std::expected<Flow, TransportError> TransportLayer::send(const Flow& flow, std::string bytes,
                                                         SendCompletion on_sent) {
  return core_->send(flow, std::move(bytes), std::move(on_sent));
}

void TransportLayer::mark_authenticated(ConnectionId connection) {
  core_->mark_authenticated(connection);
}

std::optional<std::uint16_t> TransportLayer::local_port(TransportKind kind) const {
  return core_->local_port(kind);
}

std::size_t TransportLayer::connection_count() const {
  return core_->connection_count();
}

} // namespace starling::sip
