// Rewriting of c=, o=, m= ports and a=rtcp toward the relay; ICE lines removed, the rest kept.
#include "media/sdp_rewrite.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace starling::media {

namespace {

// RFC 8839 §5: what ICE puts into an SDP. With the relay as the only path, candidates would
// only show the phone's addresses and make the other phone try paths around the relay.
bool is_ice_attribute(const SdpAttribute& attribute) {
  static constexpr std::array<std::string_view, 9> kIceAttributes = {
      "candidate",    "ice-ufrag",  "ice-pwd",           "ice-options",      "ice-lite",
      "ice-mismatch", "ice-pacing", "remote-candidates", "end-of-candidates"};
  for (const std::string_view ice : kIceAttributes) {
    if (attribute.is(ice)) {
      return true;
    }
  }
  return false;
}

class RelayRewriter {
public:
  RelayRewriter(const SessionDescription& sdp, std::string_view address,
                std::span<const RelayedStream> streams, const std::optional<RelayOrigin>& origin)
      : sdp_{sdp}, address_{address}, streams_{streams}, origin_{origin} {
    // A bracketed IPv6 reference is a URI's way to write it; SDP wants the bare address.
    if (address_.size() >= 2 && address_.front() == '[' && address_.back() == ']') {
      address_ = address_.substr(1, address_.size() - 2);
    }
    address_type_ = address_.find(':') != std::string_view::npos ? "IN IP6 " : "IN IP4 ";
    out_.reserve(sdp.text.size() + 64);
  }

  std::string run() && {
    SdpLineReader lines{sdp_.text};
    while (const auto line = lines.next()) {
      if (line->size() < 2 || (*line)[1] != '=') {
        if (!line->empty()) {
          emit(*line);
        }
        continue;
      }
      const std::string_view value = line->substr(2);
      switch ((*line)[0]) {
      case 'm':
        finish_media();
        media_line(value);
        break;
      case 'o':
        origin_line(*line, value);
        break;
      case 'c':
        connection_line(*line, value);
        break;
      case 'a':
        attribute_line(*line, value);
        break;
      default:
        emit(*line);
      }
    }
    finish_media();
    return std::move(out_);
  }

private:
  [[nodiscard]] bool in_media() const { return media_count_ > 0; }
  [[nodiscard]] std::size_t media_index() const { return media_count_ - 1; }

  [[nodiscard]] const RelayedStream* stream() const {
    return in_media() && media_index() < streams_.size() ? &streams_[media_index()] : nullptr;
  }

  [[nodiscard]] const SdpMedia* media() const {
    return in_media() && media_index() < sdp_.media.size() ? &sdp_.media[media_index()] : nullptr;
  }

  // RFC 3264 §8.2: a stream once rejected keeps port 0; the relay cannot revive it.
  [[nodiscard]] std::uint16_t relay_port() const {
    const SdpMedia* m = media();
    const RelayedStream* s = stream();
    return m != nullptr && s != nullptr && m->port != 0 ? s->rtp_port : 0;
  }

  void emit(std::string_view line) {
    out_ += line;
    out_ += "\r\n";
  }

  void emit_address() {
    out_ += address_type_;
    out_ += address_;
  }

  // A direction override not written in place of a direction line goes at the section's end.
  void finish_media() {
    const RelayedStream* s = stream();
    if (s != nullptr && s->direction && !direction_written_) {
      out_ += "a=";
      out_ += direction_name(*s->direction);
      out_ += "\r\n";
    }
    direction_written_ = false;
  }

  void media_line(std::string_view value) {
    ++media_count_;
    // m=<media> <port>[/<number of ports>] <proto> <fmt> ...: only the port field changes.
    // Fields are found as the parser finds them, blanks before the first one included.
    constexpr std::string_view kBlanks = " \t";
    constexpr auto kNpos = std::string_view::npos;
    const std::size_t type_end = value.find_first_of(kBlanks, value.find_first_not_of(kBlanks));
    const std::size_t pos = type_end == kNpos ? kNpos : value.find_first_not_of(kBlanks, type_end);
    if (pos == kNpos) {
      out_ += "m=";
      emit(value);
      return;
    }
    const std::size_t end = std::min(value.find_first_of(kBlanks, pos), value.size());
    out_ += "m=";
    out_ += value.substr(0, pos);
    out_ += std::to_string(relay_port());
    out_ += value.substr(end);
    out_ += "\r\n";
  }

  void origin_line(std::string_view line, std::string_view value) {
    const auto origin = parse_origin(value);
    if (!origin) {
      emit(line);
      return;
    }
    out_ += "o=";
    if (origin_) {
      out_ += origin_->username;
      out_ += ' ';
      out_ += std::to_string(origin_->session_id);
      out_ += ' ';
      out_ += std::to_string(origin_->session_version);
      out_ += ' ';
    } else {
      out_ += value.substr(0, static_cast<std::size_t>(origin->nettype.data() - value.data()));
    }
    emit_address();
    out_ += "\r\n";
  }

  void connection_line(std::string_view line, std::string_view value) {
    const auto connection = parse_connection(value);
    if (connection && is_unspecified_address(connection->address)) {
      emit(line); // RFC 3264 §8.4: the old way to put a call on hold; keep its meaning
      return;
    }
    out_ += "c=";
    emit_address();
    out_ += "\r\n";
  }

  void attribute_line(std::string_view line, std::string_view value) {
    const SdpAttribute attribute = split_attribute(value);
    if (is_ice_attribute(attribute)) {
      return;
    }
    if (attribute.is("rtcp")) {
      rtcp_line(attribute.value);
      return;
    }
    const RelayedStream* s = stream();
    if (s != nullptr && s->direction && direction_from_name(attribute.name)) {
      if (!direction_written_) {
        out_ += "a=";
        emit(direction_name(*s->direction));
        direction_written_ = true;
      }
      return;
    }
    emit(line);
  }

  void rtcp_line(std::string_view value) {
    const SdpMedia* m = media();
    const std::uint16_t port = relay_port();
    const auto rtcp = parse_rtcp(value);
    if (m == nullptr || port == 0 || !rtcp) {
      return;
    }
    // RFC 5761 §5.1.3: a=rtcp naming the RTP port itself offers RTCP on the RTP port.
    const std::uint32_t rtcp_port = rtcp->port == m->port ? port : port + 1U;
    if (rtcp_port > 65535) {
      return;
    }
    out_ += "a=rtcp:";
    out_ += std::to_string(rtcp_port);
    if (!rtcp->address.empty()) {
      out_ += ' ';
      emit_address();
    }
    out_ += "\r\n";
  }

  const SessionDescription& sdp_;
  std::string_view address_;
  std::span<const RelayedStream> streams_;
  std::optional<RelayOrigin> origin_;
  std::string_view address_type_;
  std::string out_;
  std::size_t media_count_ = 0;
  bool direction_written_ = false;
};

} // namespace

std::string rewrite_for_relay(const SessionDescription& sdp, std::string_view address,
                              std::span<const RelayedStream> streams,
                              const std::optional<RelayOrigin>& origin) {
  return RelayRewriter{sdp, address, streams, origin}.run();
}

} // namespace starling::media
