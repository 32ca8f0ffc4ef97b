// Writes our stream header; its prefix and default namespace match the default StreamScope.
#include "xmpp/xml/stream_header.h"

#include "xmpp/xml/namespaces.h"
#include "xmpp/xml/serializer.h"

namespace starling::xmpp::xml {

namespace {

void write_attribute(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) {
    return;
  }
  out += ' ';
  out += name;
  out += "='";
  append_escaped_attribute(out, value);
  out += '\'';
}

} // namespace

std::string open_stream(const StreamHeader& header) {
  const StreamScope scope;
  std::string out = "<?xml version='1.0'?><";
  out += scope.stream_prefix;
  out += ":stream";
  write_attribute(out, "xmlns",
                  header.content_namespace.empty() ? scope.default_namespace
                                                   : std::string_view(header.content_namespace));
  write_attribute(out, std::string("xmlns:").append(scope.stream_prefix), kStreamNamespace);
  write_attribute(out, "from", header.from);
  write_attribute(out, "to", header.to);
  write_attribute(out, "id", header.id);
  write_attribute(out, "version", header.version);
  write_attribute(out, "xml:lang", header.lang);
  out += '>';
  return out;
}

} // namespace starling::xmpp::xml
