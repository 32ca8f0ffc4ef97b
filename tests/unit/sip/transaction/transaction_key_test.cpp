// Tests of the transaction matching keys (RFC 3261 §17.1.3, §17.2.3, §8.2.2.2).
#include <gtest/gtest.h>

#include "sip/transaction/transaction_key.h"
#include "transaction_test_support.h"

namespace starling::sip {
namespace {

using testing::parse;
using testing::request_text;

std::string key_of(const std::string& text, std::string_view method = {}) {
  const Message message = parse(text);
  const auto request = validate_request(message);
  EXPECT_TRUE(request);
  std::string key;
  server_key(*request, method.empty() ? matching_method(*request) : method, request->to.tag(), key);
  return key;
}

TEST(ServerKey, AckMatchesTheInviteWithTheSameBranch) {
  EXPECT_EQ(key_of(request_text("INVITE", "z9hG4bK1")),
            key_of(request_text("ACK", "z9hG4bK1", "ft1", 1, "tt1")));
}

TEST(ServerKey, CancelIsItsOwnTransactionButFindsTheInviteAsInvite) {
  EXPECT_NE(key_of(request_text("INVITE", "z9hG4bK1")), key_of(request_text("CANCEL", "z9hG4bK1")));
  EXPECT_EQ(key_of(request_text("INVITE", "z9hG4bK1")),
            key_of(request_text("CANCEL", "z9hG4bK1"), "INVITE"));
}

TEST(ServerKey, Rfc3261KeyIgnoresTagsButNotSentBy) {
  const std::string a = request_text("OPTIONS", "z9hG4bK1");
  std::string other_host = a;
  other_host.replace(other_host.find("127.0.0.1:5070"), 14, "127.0.0.2:5070");
  EXPECT_NE(key_of(a), key_of(other_host));
  EXPECT_EQ(key_of(a), key_of(request_text("OPTIONS", "z9hG4bK1", "other-tag", 7)));
}

TEST(ServerKey, SentByHostComparesCaseInsensitively) {
  std::string upper = request_text("OPTIONS", "z9hG4bK1");
  std::string lower = upper;
  upper.replace(upper.find("127.0.0.1:5070"), 14, "PC.Example.COM");
  lower.replace(lower.find("127.0.0.1:5070"), 14, "pc.example.com");
  EXPECT_EQ(key_of(upper), key_of(lower));
}

TEST(ServerKey, Rfc2543KeyUsesCallIdentifiers) {
  EXPECT_EQ(key_of(request_text("INVITE", "")), key_of(request_text("INVITE", "")));
  EXPECT_NE(key_of(request_text("INVITE", "")), key_of(request_text("INVITE", "", "ft2")));
  EXPECT_NE(key_of(request_text("INVITE", "")), key_of(request_text("INVITE", "", "ft1", 2)));
  // A bare magic cookie is not an RFC 3261 branch (RFC 4475 badbranch).
  EXPECT_NE(key_of(request_text("INVITE", "z9hG4bK")), key_of(request_text("INVITE", "z9hG4bK1")));
}

TEST(ClientKey, SeparatesInviteFromCancelWithTheSameBranch) {
  std::string invite;
  std::string cancel;
  client_key("z9hG4bK1", "INVITE", invite);
  client_key("z9hG4bK1", "CANCEL", cancel);
  EXPECT_NE(invite, cancel);
}

TEST(MergeKey, IsTheSameForTheSameRequestOnAnotherBranch) {
  const Message a = parse(request_text("INVITE", "z9hG4bK1"));
  const Message b = parse(request_text("INVITE", "z9hG4bK2"));
  const Message c = parse(request_text("INVITE", "z9hG4bK2", "ft1", 2));
  std::string ka;
  std::string kb;
  std::string kc;
  merge_key(*validate_request(a), ka);
  merge_key(*validate_request(b), kb);
  merge_key(*validate_request(c), kc);
  EXPECT_EQ(ka, kb);
  EXPECT_NE(ka, kc);
}

} // namespace
} // namespace starling::sip
