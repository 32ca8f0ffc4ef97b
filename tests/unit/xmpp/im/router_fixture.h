// A Router over fake sessions, an in-memory offline store and archive, shared by the IM core's
// tests.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "xmpp/im/directory_roster.h"
#include "xmpp/im/memory_user_data.h"
#include "xmpp/im/message_archive.h"
#include "xmpp/im/offline_store.h"
#include "xmpp/im/roster.h"
#include "xmpp/im/router.h"
#include "xmpp/im/session.h"
#include "xmpp/xml/namespaces.h"
#include "xmpp/xml/serializer.h"
#include "xmpp/xml/stream_parser.h"

namespace starling::xmpp::im {

inline constexpr std::string_view kDomain = "pbx.example";

// A stanza as a client would write it.
inline xml::Element stanza(std::string_view text) {
  xml::StreamParser parser;
  parser.feed("<stream:stream to='pbx.example' version='1.0' xmlns='jabber:client' "
              "xmlns:stream='http://etherx.jabber.org/streams'>");
  parser.feed(text);
  (void)parser.next(); // the header
  auto event = parser.next();
  EXPECT_TRUE(event && std::holds_alternative<xml::Element>(*event)) << text;
  return std::get<xml::Element>(*event);
}

inline Jid jid(std::string_view text) {
  return *Jid::parse(text);
}

class FakeSession final : public Session {
public:
  explicit FakeSession(Jid full) : jid(std::move(full)) {}
  void deliver(const xml::Element& stanza) override { delivered.push_back(stanza); }
  // False plays a stream-management session waiting to be resumed (XEP-0198).
  [[nodiscard]] bool connected() const override { return is_connected; }

  // What arrived since the last call, serialised as the stream would write it.
  std::vector<std::string> take() {
    std::vector<std::string> out;
    for (const auto& element : delivered) {
      out.push_back(xml::serialize(element));
    }
    delivered.clear();
    return out;
  }
  // What arrived since the last call, as elements.
  std::vector<xml::Element> take_elements() { return std::exchange(delivered, {}); }

  Jid jid;
  std::vector<xml::Element> delivered;
  bool is_connected = true;
};

class FakeOfflineStore final : public OfflineStore {
public:
  void store(const Jid& to, xml::Element message) override {
    messages[to].push_back(std::move(message));
  }
  std::vector<xml::Element> take(const Jid& user) override {
    return std::exchange(messages[user], {});
  }

  std::map<Jid, std::vector<xml::Element>> messages;
};

// An archive in memory. Its queries wait until the test answers them, as the store's answer
// later.
class FakeArchive final : public MessageArchive {
public:
  struct Entry {
    Jid owner;
    Jid with;
    xml::Element message;
    std::string id;
  };
  struct Query {
    Jid owner;
    ArchiveFilter filter;
    std::function<void(const ArchiveAnswer&)> answer;
  };

  std::string add(const Jid& owner, const Jid& with, const xml::Element& message) override {
    auto id = "archive-" + std::to_string(entries.size() + 1);
    entries.push_back({owner, with, message, id});
    return id;
  }
  void query(const Jid& owner, const ArchiveFilter& filter,
             std::function<void(const ArchiveAnswer&)> answer) override {
    queries.push_back({owner, filter, std::move(answer)});
  }

  std::vector<Entry> entries;
  std::vector<Query> queries;
};

// The condition of an error reply, or empty when it is none.
inline std::string error_condition(const std::string& serialized) {
  auto element = stanza(serialized);
  const auto* error = element.child(xml::kClientNamespace, "error");
  if (element.attribute("type") != "error" || error == nullptr) {
    return {};
  }
  for (const auto& condition : error->elements()) {
    if (condition.ns() == xml::kStanzaErrorNamespace) {
      return condition.name();
    }
  }
  return {};
}

// A router over `source` and no stored contacts, with Alice and Bob bound and their
// initial presence sent (Bob first); what that delivered is left to read.
struct AliceAndBobOnline {
  explicit AliceAndBobOnline(const RosterSource& source) : roster(source, data) {
    router.on_session_bound(alice, alice.jid);
    router.on_session_bound(bob, bob.jid);
    router.on_stanza(bob, bob.jid, stanza("<presence/>"));
    router.on_stanza(alice, alice.jid, stanza("<presence/>"));
  }

  MemoryUserData data;
  Roster roster;
  FakeOfflineStore offline;
  FakeArchive archive;
  Router router{std::string(kDomain), roster, offline, archive};
  FakeSession alice{jid("alice@pbx.example/phone")};
  FakeSession bob{jid("bob@pbx.example/desk")};
};

// Alice, Bob and Carol, colleagues in the directory, connecting to one router.
class RouterFixture : public ::testing::Test {
protected:
  FakeSession& connect(std::string_view full) {
    auto session = std::make_unique<FakeSession>(jid(full));
    auto& ref = *session;
    sessions_[std::string(full)] = std::move(session);
    router_.on_session_bound(ref, ref.jid);
    return ref;
  }
  void send(FakeSession& session, std::string_view text) {
    router_.on_stanza(session, session.jid, stanza(text));
  }
  // Connected with initial presence sent, and nothing left to read.
  FakeSession& online(std::string_view full, int priority = 0) {
    auto& session = connect(full);
    send(session, "<presence><priority>" + std::to_string(priority) + "</priority></presence>");
    for (auto& [name, other] : sessions_) {
      other->take();
    }
    return session;
  }
  void close(FakeSession& session) { router_.on_session_closed(session, session.jid); }

  DirectoryRoster directory_{kDomain, {{"alice", "Alice Liddell"}, {"bob", "Bob"}, {"carol", ""}}};
  MemoryUserData user_data_;
  Roster roster_{directory_, user_data_};
  FakeOfflineStore offline_;
  FakeArchive archive_;
  Router router_{std::string(kDomain), roster_, offline_, archive_};
  std::map<std::string, std::unique_ptr<FakeSession>> sessions_;
};

} // namespace starling::xmpp::im
