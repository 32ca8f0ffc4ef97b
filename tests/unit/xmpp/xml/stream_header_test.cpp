// Tests of the stream header we send.
#include <gtest/gtest.h>

#include "xmpp/xml/stream_header.h"

namespace starling::xmpp::xml {
namespace {

TEST(OpenStream, WritesTheResponseHeaderOfRfc6120) {
  const StreamHeader header{.to = "juliet@im.example.com",
                            .from = "im.example.com",
                            .id = "++TR84Sm6A3hnt3Q065SnAbbk3Y=",
                            .version = "1.0",
                            .lang = "en",
                            .content_namespace = {}};
  EXPECT_EQ(open_stream(header),
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
            "xmlns:stream='http://etherx.jabber.org/streams' from='im.example.com' "
            "to='juliet@im.example.com' id='++TR84Sm6A3hnt3Q065SnAbbk3Y=' version='1.0' "
            "xml:lang='en'>");
}

TEST(OpenStream, LeavesOutEmptyAttributesAndEscapesValues) {
  EXPECT_EQ(open_stream({.to = {},
                         .from = "a'b",
                         .id = {},
                         .version = "1.0",
                         .lang = {},
                         .content_namespace = "jabber:server"}),
            "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
            "xmlns:stream='http://etherx.jabber.org/streams' from='a&apos;b' version='1.0'>");
}

} // namespace
} // namespace starling::xmpp::xml
