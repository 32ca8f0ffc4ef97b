#include <string>

#include <gtest/gtest.h>

#include "sip/registrar/compact_binding.h"

namespace starling::sip {
namespace {

TEST(CompactBinding, GivesBackTheRecordItWasMadeFrom) {
  const store::Binding full{.aor = "alice",
                            .contact = "sip:alice@192.0.2.10:40123;transport=tcp;ob",
                            .call_id = "a84b4c76e66710@pc33.example.com",
                            .transport = "tcp",
                            .source_address = "2001:db8::10",
                            .local_address = "2001:db8::1",
                            .path = "<sip:edge.example;lr>,<sip:p2.example;lr>",
                            .instance_id = "<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>",
                            .user_agent = std::string(300, 'u'),
                            .expires_at = 1'900'000'000,
                            .cseq = 4'000'000'000,
                            .q = 500,
                            .source_port = 40123,
                            .local_port = 5061};
  const CompactBinding compact(full);
  EXPECT_TRUE(compact.record("alice") == full);
  EXPECT_EQ(compact.contact(), full.contact);
  EXPECT_EQ(compact.call_id(), full.call_id);
  EXPECT_EQ(compact.expires_at(), full.expires_at);
  EXPECT_EQ(compact.cseq(), full.cseq);
}

// Empty texts at the start, in the middle and at the end must not shift their neighbours.
TEST(CompactBinding, KeepsEmptyTextsApart) {
  store::Binding sparse;
  sparse.aor = "bob";
  sparse.call_id = "c";
  sparse.source_address = "192.0.2.1";
  const CompactBinding compact(sparse);
  EXPECT_TRUE(compact.record("bob") == sparse);
  EXPECT_EQ(compact.contact(), "");
  EXPECT_EQ(compact.call_id(), "c");
}

} // namespace
} // namespace starling::sip
