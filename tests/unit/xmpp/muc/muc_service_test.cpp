// Group chat (XEP-0045) through the router: entering, talking, leaving, invitations, disco
// and what is kept in the store.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../im/router_fixture.h"
#include "core/clock.h"
#include "xmpp/im/data_form.h"
#include "xmpp/im/namespaces.h"
#include "xmpp/im/vcard_source.h"
#include "xmpp/muc/admin_request.h"
#include "xmpp/muc/muc_service.h"
#include "xmpp/muc/muc_stanzas.h"
#include "xmpp/muc/occupant_id.h"
#include "xmpp/muc/room_config.h"
#include "xmpp/xml/serializer.h"

namespace starling::xmpp::muc {
namespace {

using im::FakeSession;
using im::jid;

constexpr std::string_view kRoom = "lobby@conference.pbx.example";

class FakeRoomStore final : public RoomStore {
public:
  void save(const RoomRecord& room) override { saved.push_back(room); }
  void remove(std::string_view name) override { removed.emplace_back(name); }
  std::vector<RoomRecord> saved;
  std::vector<std::string> removed;
};

// Bob's vCard has his name and a photo; nobody else has one.
class FakeVcards final : public im::VcardSource {
public:
  [[nodiscard]] xml::Element vcard(std::string_view user) const override {
    xml::Element vcard(im::kVcardNamespace, "vCard");
    if (user == "bob") {
      vcard.append(xml::Element(im::kVcardNamespace, "FN")).append_text("Bob Baker");
      vcard.append(xml::Element(im::kVcardNamespace, "PHOTO"))
          .append(xml::Element(im::kVcardNamespace, "TYPE"))
          .append_text("image/png");
    }
    return vcard;
  }
};

// The status codes in a room presence's <x xmlns='…muc#user'/>.
std::vector<std::string> status_codes(const xml::Element& presence) {
  std::vector<std::string> codes;
  if (const auto* x = presence.child(kMucUserNamespace, "x")) {
    for (const auto& status : x->children(kMucUserNamespace, "status")) {
      codes.emplace_back(status.attribute("code").value_or(""));
    }
  }
  return codes;
}

std::string attribute(const xml::Element& stanza, std::string_view name) {
  return std::string(stanza.attribute(name).value_or(""));
}

std::string child_text(const xml::Element& stanza, std::string_view name) {
  const auto* child = stanza.child(xml::kClientNamespace, name);
  return child == nullptr ? "<none>" : child->text();
}

// XEP-0421: the id in the stanza's <occupant-id/>s, one per element.
std::vector<std::string> occupant_ids(const xml::Element& stanza) {
  std::vector<std::string> ids;
  for (const auto& id : stanza.children(kOccupantIdNamespace, "occupant-id")) {
    ids.emplace_back(id.attribute("id").value_or(""));
  }
  return ids;
}

std::string error_of(const xml::Element& reply) {
  return im::error_condition(xml::serialize(reply));
}

class MucServiceTest : public im::RouterFixture {
protected:
  MucServiceTest() { router_.add_component(muc_); }

  // Alice, Bob or Carol online, in the room under `nick`, with nothing left to read.
  FakeSession& in_room(std::string_view full, std::string_view nick) {
    auto& session = online(full);
    enter(session, nick);
    for (auto& [name, other] : sessions_) {
      other->delivered.clear();
    }
    return session;
  }
  void enter(FakeSession& session, std::string_view nick, std::string_view history = "") {
    send(session, "<presence to='" + std::string(kRoom) + "/" + std::string(nick) +
                      "'><x xmlns='http://jabber.org/protocol/muc'>" + std::string(history) +
                      "</x></presence>");
  }
  void say(FakeSession& session, std::string_view body) {
    send(session, "<message to='" + std::string(kRoom) + "' type='groupchat' id='m1'><body>" +
                      std::string(body) + "</body></message>");
  }

  FakeRoomStore rooms_;
  FakeVcards vcards_;
  core::ManualClock clock_;
  static constexpr std::array<std::uint8_t, 32> kServerSecret{1, 2, 3};
  MucService muc_{muc_domain(im::kDomain),
                  router_.sessions(),
                  router_.user_delivery(),
                  rooms_,
                  archive_,
                  vcards_,
                  clock_,
                  kServerSecret};
};

TEST_F(MucServiceTest, TheFirstToEnterCreatesAPersistentRoomAndIsToldSo) {
  auto& alice = online("alice@pbx.example/laptop");
  enter(alice, "Alice");

  ASSERT_EQ(alice.delivered.size(), 2U); // self-presence, then the (empty) subject
  const auto& self = alice.delivered[0];
  EXPECT_EQ(attribute(self, "from"), "lobby@conference.pbx.example/Alice");
  EXPECT_EQ(attribute(self, "to"), "alice@pbx.example/laptop");
  EXPECT_EQ(status_codes(self), (std::vector<std::string>{"100", "110", "201"}));
  const auto* item = self.child(kMucUserNamespace, "x")->child(kMucUserNamespace, "item");
  EXPECT_EQ(attribute(*item, "affiliation"), "owner");
  EXPECT_EQ(attribute(*item, "role"), "moderator");
  EXPECT_EQ(attribute(*item, "jid"), "alice@pbx.example/laptop");
  EXPECT_EQ(attribute(alice.delivered[1], "type"), "groupchat");
  EXPECT_EQ(child_text(alice.delivered[1], "subject"), "");

  ASSERT_EQ(rooms_.saved.size(), 1U);
  EXPECT_EQ(rooms_.saved[0].name, "lobby");
  EXPECT_EQ(rooms_.saved[0].created_by, "alice@pbx.example");
  EXPECT_EQ(rooms_.saved[0].created_at, clock_.system_now());
}

TEST_F(MucServiceTest, ANewcomerSeesWhoIsThereThenItselfAndOthersSeeTheNewcomer) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = online("bob@pbx.example/phone");
  enter(bob, "Bob");

  ASSERT_EQ(bob.delivered.size(), 3U);
  EXPECT_EQ(attribute(bob.delivered[0], "from"), "lobby@conference.pbx.example/Alice");
  EXPECT_EQ(attribute(bob.delivered[1], "from"), "lobby@conference.pbx.example/Bob");
  EXPECT_EQ(status_codes(bob.delivered[1]), (std::vector<std::string>{"100", "110"}));
  EXPECT_NE(bob.delivered[2].child(xml::kClientNamespace, "subject"), nullptr);

  ASSERT_EQ(alice.delivered.size(), 1U);
  EXPECT_EQ(attribute(alice.delivered[0], "from"), "lobby@conference.pbx.example/Bob");
  const auto* item =
      alice.delivered[0].child(kMucUserNamespace, "x")->child(kMucUserNamespace, "item");
  EXPECT_EQ(attribute(*item, "jid"), "bob@pbx.example/phone"); // non-anonymous
  EXPECT_EQ(attribute(*item, "role"), "participant");
}

TEST_F(MucServiceTest, ANickInUseIsAConflict) {
  in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = online("bob@pbx.example/phone");
  enter(bob, "Alice");

  const auto replies = bob.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(im::error_condition(replies[0]), "conflict");
}

TEST_F(MucServiceTest, ANickChangeIsUnavailableWith303ThenTheNewNick) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  enter(bob, "Robert");

  for (auto* session : {&alice, &bob}) {
    ASSERT_EQ(session->delivered.size(), 2U);
    const auto& gone = session->delivered[0];
    EXPECT_EQ(attribute(gone, "from"), "lobby@conference.pbx.example/Bob");
    EXPECT_EQ(attribute(gone, "type"), "unavailable");
    const auto* item = gone.child(kMucUserNamespace, "x")->child(kMucUserNamespace, "item");
    EXPECT_EQ(attribute(*item, "nick"), "Robert");
    EXPECT_EQ(attribute(session->delivered[1], "from"), "lobby@conference.pbx.example/Robert");
    EXPECT_EQ(attribute(session->delivered[1], "type"), "");
  }
  EXPECT_EQ(status_codes(alice.delivered[0]), std::vector<std::string>{"303"});
  EXPECT_EQ(status_codes(bob.delivered[0]), (std::vector<std::string>{"303", "110"}));
  EXPECT_EQ(status_codes(bob.delivered[1]), std::vector<std::string>{"110"});

  alice.delivered.clear();
  say(bob, "new name, same Bob");
  ASSERT_EQ(alice.delivered.size(), 1U);
  EXPECT_EQ(attribute(alice.delivered[0], "from"), "lobby@conference.pbx.example/Robert");
}

TEST_F(MucServiceTest, ChangingToANickInUseIsAConflictAndKeepsTheOldOne) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  enter(bob, "Alice");

  const auto replies = bob.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(im::error_condition(replies[0]), "conflict");
  EXPECT_TRUE(alice.take().empty());
  say(bob, "still Bob");
  EXPECT_EQ(attribute(alice.delivered.at(0), "from"), "lobby@conference.pbx.example/Bob");
}

TEST_F(MucServiceTest, AGroupchatMessageReachesEveryOccupantFromTheSendersNick) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  alice.delivered.clear();
  say(alice, "hello all");

  for (auto* session : {&alice, &bob}) {
    ASSERT_EQ(session->delivered.size(), 1U);
    const auto& message = session->delivered[0];
    EXPECT_EQ(attribute(message, "from"), "lobby@conference.pbx.example/Alice");
    EXPECT_EQ(attribute(message, "to"), session->jid.to_string());
    EXPECT_EQ(attribute(message, "type"), "groupchat");
    EXPECT_EQ(attribute(message, "id"), "m1"); // the sender recognises its echo
    EXPECT_EQ(child_text(message, "body"), "hello all");
  }
}

// XEP-0421 §4: every presence and message from an occupant carries the id of its user, the
// same whatever the nick or client, and one the client made up is gone.
TEST_F(MucServiceTest, EverythingFromAnOccupantCarriesItsUsersOccupantId) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  auto& bobs_desk = online("bob@pbx.example/desk"); // clears what everyone had
  const std::string forged = "<occupant-id xmlns='urn:xmpp:occupant-id:0' id='alice-id-stolen'/>";
  send(bob, "<message to='lobby@conference.pbx.example' type='groupchat'><body>hi</body>" + forged +
                "</message>");
  send(bob, "<message to='lobby@conference.pbx.example/Alice' type='chat'><body>psst</body>" +
                forged + "</message>");
  send(bob, "<presence to='lobby@conference.pbx.example/Robert'>" + forged + "</presence>");
  enter(bobs_desk, "Bob at his desk");
  send(bob, "<presence to='lobby@conference.pbx.example/Robert' type='unavailable'/>");

  // The message, the private message, Bob's nick change (unavailable, then available), Bob's
  // desk entering, Bob leaving.
  ASSERT_EQ(alice.delivered.size(), 6U);
  const auto bobs_id = occupant_ids(alice.delivered[0]);
  ASSERT_EQ(bobs_id.size(), 1U);
  EXPECT_NE(bobs_id[0], "alice-id-stolen");
  EXPECT_FALSE(bobs_id[0].empty());
  for (const auto& stanza : alice.delivered) {
    EXPECT_EQ(occupant_ids(stanza), bobs_id) << xml::serialize(stanza);
  }
  // Alice's own presence, as Bob's desk saw it on entering, has Alice's id.
  const auto& alice_seen = bobs_desk.delivered.at(0);
  EXPECT_EQ(attribute(alice_seen, "from"), "lobby@conference.pbx.example/Alice");
  ASSERT_EQ(occupant_ids(alice_seen).size(), 1U);
  EXPECT_NE(occupant_ids(alice_seen), bobs_id);
}

TEST(OccupantIds, DependOnTheRoomTheBareJidAndTheSecretOnly) {
  const std::array<std::uint8_t, 32> secret{7};
  const std::array<std::uint8_t, 32> other_secret{8};
  const OccupantIds ids(secret);
  const auto lobby = *Jid::parse("lobby@conference.pbx.example");
  const auto bob = *Jid::parse("bob@pbx.example/phone");
  const auto id = ids.of(lobby, bob);

  EXPECT_EQ(OccupantIds(secret).of(lobby, *Jid::parse("bob@pbx.example/desk")), id);
  EXPECT_NE(ids.of(*Jid::parse("sales@conference.pbx.example"), bob), id);
  EXPECT_NE(ids.of(lobby, *Jid::parse("alice@pbx.example/phone")), id);
  EXPECT_NE(OccupantIds(other_secret).of(lobby, bob), id);
  EXPECT_EQ(id.find("bob"), std::string::npos);
}

TEST_F(MucServiceTest, AGroupchatMessageFromSomeoneNotInTheRoomIsNotAcceptable) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = online("bob@pbx.example/phone");
  say(bob, "let me in");

  const auto replies = bob.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(im::error_condition(replies[0]), "not-acceptable");
  EXPECT_TRUE(alice.delivered.empty());
}

TEST_F(MucServiceTest, ALateComerGetsTheHistoryWithDelaysBeforeTheSubject) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  say(alice, "first");
  say(alice, "second");
  auto& carol = online("carol@pbx.example/desk");
  enter(carol, "Carol");

  ASSERT_EQ(carol.delivered.size(), 5U); // Alice, self, two history messages, the subject
  for (const std::size_t index : {2U, 3U}) {
    const auto& message = carol.delivered[index];
    EXPECT_EQ(attribute(message, "from"), "lobby@conference.pbx.example/Alice");
    const auto* delay = message.child(kDelayNamespace, "delay");
    ASSERT_NE(delay, nullptr);
    EXPECT_EQ(attribute(*delay, "from"), "lobby@conference.pbx.example");
    EXPECT_EQ(attribute(*delay, "stamp"), "2026-01-01T00:00:00Z");
  }
  EXPECT_EQ(child_text(carol.delivered[2], "body"), "first");
  EXPECT_EQ(child_text(carol.delivered[3], "body"), "second");
  EXPECT_NE(carol.delivered[4].child(xml::kClientNamespace, "subject"), nullptr);
}

TEST_F(MucServiceTest, HistoryKeepsTheLastTwentyAndHonoursMaxstanzas) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  for (int i = 1; i <= 25; ++i) {
    say(alice, std::to_string(i));
  }
  auto bodies = [](const FakeSession& session) {
    std::vector<std::string> found;
    for (const auto& stanza : session.delivered) {
      if (stanza.child(kDelayNamespace, "delay") != nullptr) {
        found.push_back(child_text(stanza, "body"));
      }
    }
    return found;
  };
  auto& bob = online("bob@pbx.example/phone");
  enter(bob, "Bob");
  const auto bob_history = bodies(bob);
  ASSERT_EQ(bob_history.size(), kMaxHistoryMessages);
  EXPECT_EQ(bob_history.front(), "6");
  EXPECT_EQ(bob_history.back(), "25");

  auto& carol = online("carol@pbx.example/desk");
  enter(carol, "Carol", "<history maxstanzas='2'/>");
  EXPECT_EQ(bodies(carol), (std::vector<std::string>{"24", "25"}));
}

TEST_F(MucServiceTest, HistoryHonoursSecondsSinceAndMaxchars) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  say(alice, "old");
  clock_.advance(std::chrono::minutes(10));
  say(alice, "new");
  auto said = [](const FakeSession& session) {
    return static_cast<std::size_t>(
        std::ranges::count_if(session.delivered, [](const xml::Element& stanza) {
          return stanza.child(kDelayNamespace, "delay") != nullptr;
        }));
  };
  auto& bob = online("bob@pbx.example/phone");
  enter(bob, "Bob", "<history seconds='60'/>");
  EXPECT_EQ(said(bob), 1U);
  auto& carol = online("carol@pbx.example/desk");
  enter(carol, "Carol", "<history since='2026-01-01T00:05:00Z'/>");
  EXPECT_EQ(said(carol), 1U);
  auto& dave = online("dave@pbx.example/pc");
  enter(dave, "Dave", "<history maxchars='0'/>"); // how clients ask for none
  EXPECT_EQ(said(dave), 0U);
  auto& erin = online("erin@pbx.example/pc");
  enter(erin, "Erin", "<history maxchars='100000' seconds='86400'/>");
  EXPECT_EQ(said(erin), 2U);
}

TEST_F(MucServiceTest, APrivateMessageReachesTheOccupantFromTheSendersNick) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  alice.delivered.clear();
  send(alice, "<message to='lobby@conference.pbx.example/Bob' type='chat'><body>psst</body>"
              "</message>");

  EXPECT_TRUE(alice.delivered.empty());
  ASSERT_EQ(bob.delivered.size(), 1U);
  EXPECT_EQ(attribute(bob.delivered[0], "from"), "lobby@conference.pbx.example/Alice");
  EXPECT_EQ(attribute(bob.delivered[0], "to"), "bob@pbx.example/phone");
  EXPECT_EQ(child_text(bob.delivered[0], "body"), "psst");
}

TEST_F(MucServiceTest, APrivateMessageToAnUnknownNickIsItemNotFound) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, "<message to='lobby@conference.pbx.example/Nobody' type='chat'><body>?</body>"
              "</message>");
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(im::error_condition(replies[0]), "item-not-found");
}

TEST_F(MucServiceTest, LeavingTellsTheOthersAndTheLeaverWithStatus110) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  alice.delivered.clear();
  send(bob, "<presence to='lobby@conference.pbx.example/Bob' type='unavailable'/>");

  ASSERT_EQ(alice.delivered.size(), 1U);
  EXPECT_EQ(attribute(alice.delivered[0], "type"), "unavailable");
  EXPECT_EQ(attribute(alice.delivered[0], "from"), "lobby@conference.pbx.example/Bob");
  EXPECT_TRUE(status_codes(alice.delivered[0]).empty());
  ASSERT_EQ(bob.delivered.size(), 1U);
  EXPECT_EQ(status_codes(bob.delivered[0]), std::vector<std::string>{"110"});

  bob.delivered.clear();
  say(alice, "still here");
  EXPECT_TRUE(bob.take().empty());
}

TEST_F(MucServiceTest, AClosedStreamLeavesEveryRoom) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  alice.delivered.clear();
  close(bob);

  // Alice also sees Bob go offline as a colleague, from his own JID.
  const auto from_room = std::ranges::find_if(alice.delivered, [](const xml::Element& stanza) {
    return stanza.attribute("from") == "lobby@conference.pbx.example/Bob";
  });
  ASSERT_NE(from_room, alice.delivered.end());
  EXPECT_EQ(attribute(*from_room, "type"), "unavailable");
  EXPECT_TRUE(bob.delivered.empty());
  alice.delivered.clear();
  say(alice, "Bob is gone");
  EXPECT_EQ(alice.delivered.size(), 1U); // only her own echo
}

TEST_F(MucServiceTest, AnyOccupantMayChangeTheSubjectWhichIsSaved) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  alice.delivered.clear();
  send(bob, "<message to='lobby@conference.pbx.example' type='groupchat'><subject>Lunch"
            "</subject></message>");

  ASSERT_EQ(alice.delivered.size(), 1U);
  EXPECT_EQ(child_text(alice.delivered[0], "subject"), "Lunch");
  EXPECT_EQ(rooms_.saved.back().subject, "Lunch");

  auto& carol = online("carol@pbx.example/desk");
  enter(carol, "Carol");
  EXPECT_EQ(child_text(carol.delivered.back(), "subject"), "Lunch");
}

TEST_F(MucServiceTest, AMediatedInvitationReachesTheInviteeFromTheRoom) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = online("bob@pbx.example/phone");
  send(alice, "<message to='lobby@conference.pbx.example'>"
              "<x xmlns='http://jabber.org/protocol/muc#user'><invite to='bob@pbx.example'>"
              "<reason>Join us</reason></invite></x></message>");

  ASSERT_EQ(bob.delivered.size(), 1U);
  const auto& message = bob.delivered[0];
  EXPECT_EQ(attribute(message, "from"), "lobby@conference.pbx.example");
  EXPECT_EQ(attribute(message, "to"), "bob@pbx.example");
  const auto* invite = message.child(kMucUserNamespace, "x")->child(kMucUserNamespace, "invite");
  ASSERT_NE(invite, nullptr);
  EXPECT_EQ(attribute(*invite, "from"), "alice@pbx.example/laptop");
  EXPECT_EQ(invite->child(kMucUserNamespace, "reason")->text(), "Join us");
}

TEST_F(MucServiceTest, AnInvitationForAnOfflineUserWaitsForTheNextLogin) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, "<message to='lobby@conference.pbx.example'>"
              "<x xmlns='http://jabber.org/protocol/muc#user'><invite to='bob@pbx.example'/>"
              "</x></message>");

  EXPECT_TRUE(alice.take().empty());
  const auto& waiting = offline_.messages[im::jid("bob@pbx.example")];
  ASSERT_EQ(waiting.size(), 1U);
  EXPECT_EQ(attribute(waiting[0], "from"), "lobby@conference.pbx.example");
  const auto* invite = waiting[0].child(kMucUserNamespace, "x")->child(kMucUserNamespace, "invite");
  ASSERT_NE(invite, nullptr);
  EXPECT_EQ(attribute(*invite, "from"), "alice@pbx.example/laptop");
}

TEST_F(MucServiceTest, AnInvitationForSomeoneWithNoAccountHereIsRefused) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, "<message to='lobby@conference.pbx.example' id='i1'>"
              "<x xmlns='http://jabber.org/protocol/muc#user'><invite to='mallory@pbx.example'/>"
              "<invite to='dave@elsewhere.example'/></x></message>");

  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_EQ(im::error_condition(replies[0]), "service-unavailable");
  EXPECT_EQ(im::error_condition(replies[1]), "service-unavailable");
  EXPECT_TRUE(std::ranges::all_of(offline_.messages,
                                  [](const auto& waiting) { return waiting.second.empty(); }));
  EXPECT_EQ(rooms_.saved.back().affiliations.count("mallory@pbx.example"), 0U);
}

TEST_F(MucServiceTest, TheServerListsTheServiceWhichListsItsRooms) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, "<iq type='get' id='d1' to='pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  send(alice, "<iq type='get' id='d2' to='conference.pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  send(alice, "<iq type='get' id='d3' to='conference.pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  send(alice, "<iq type='get' id='d4' to='lobby@conference.pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");

  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 4U);
  EXPECT_NE(replies[0].find("<item jid='conference.pbx.example'/>"), std::string::npos)
      << replies[0];
  EXPECT_NE(replies[1].find("category='conference' type='text'"), std::string::npos) << replies[1];
  EXPECT_NE(replies[1].find("var='http://jabber.org/protocol/muc'"), std::string::npos);
  EXPECT_NE(replies[2].find("<item jid='lobby@conference.pbx.example' name='lobby'/>"),
            std::string::npos)
      << replies[2];
  EXPECT_NE(replies[3].find("var='muc_persistent'"), std::string::npos) << replies[3];
  EXPECT_NE(replies[3].find("var='muc_nonanonymous'"), std::string::npos);
  EXPECT_NE(replies[3].find("var='urn:xmpp:occupant-id:0'"), std::string::npos);
}

TEST_F(MucServiceTest, RestoredRoomsAreListedAndStillOwnedByTheirOwner) {
  std::vector<RoomRecord> kept = {Room::founded("lobby", *Jid::parse("bob@pbx.example"), {})};
  kept[0].subject = "Welcome";
  muc_.restore(kept);
  auto& bob = online("bob@pbx.example/phone");
  enter(bob, "Bob");

  ASSERT_EQ(bob.delivered.size(), 2U);
  EXPECT_EQ(status_codes(bob.delivered[0]), (std::vector<std::string>{"100", "110"}));
  const auto* item =
      bob.delivered[0].child(kMucUserNamespace, "x")->child(kMucUserNamespace, "item");
  EXPECT_EQ(attribute(*item, "affiliation"), "owner");
  EXPECT_EQ(child_text(bob.delivered[1], "subject"), "Welcome");
  EXPECT_TRUE(rooms_.saved.empty());
}

// XEP-0313 §5 and XEP-0359: what is said goes into the room's archive, and everyone sees it
// under the room's stanza-id; a stanza-id the sender made up is gone.
TEST_F(MucServiceTest, AGroupchatMessageIsArchivedByTheRoomUnderItsStanzaId) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  alice.delivered.clear();
  send(alice, "<message to='lobby@conference.pbx.example' type='groupchat' id='m1'><body>hi</body>"
              "<stanza-id xmlns='urn:xmpp:sid:0' by='lobby@conference.pbx.example' id='forged'/>"
              "</message>");

  ASSERT_EQ(archive_.entries.size(), 1U);
  EXPECT_EQ(archive_.entries[0].owner.to_string(), "lobby@conference.pbx.example");
  EXPECT_EQ(archive_.entries[0].with.to_string(), "lobby@conference.pbx.example/Alice");
  EXPECT_EQ(attribute(archive_.entries[0].message, "from"), "lobby@conference.pbx.example/Alice");
  ASSERT_EQ(bob.delivered.size(), 1U);
  auto ids = bob.delivered[0].children(im::kStanzaIdNamespace, "stanza-id");
  ASSERT_EQ(std::ranges::distance(ids), 1);
  EXPECT_EQ(attribute(*ids.begin(), "id"), archive_.entries[0].id);
  EXPECT_EQ(attribute(*ids.begin(), "by"), "lobby@conference.pbx.example");
}

TEST_F(MucServiceTest, SubjectChangesAndNoStoreMessagesAreNotArchived) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, "<message to='lobby@conference.pbx.example' type='groupchat'>"
              "<subject>Plans</subject></message>");
  send(alice, "<message to='lobby@conference.pbx.example' type='groupchat'><body>off the record"
              "</body><no-store xmlns='urn:xmpp:hints'/></message>");
  EXPECT_TRUE(archive_.entries.empty());
}

TEST_F(MucServiceTest, AnArchiveQueryToTheRoomIsAnsweredFromTheRoom) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  say(alice, "kept");
  auto& bob = online("bob@pbx.example/phone");
  send(bob, "<iq to='lobby@conference.pbx.example' type='set' id='q1'>"
            "<query xmlns='urn:xmpp:mam:2' queryid='f27'/></iq>");
  ASSERT_EQ(archive_.queries.size(), 1U);
  EXPECT_EQ(archive_.queries[0].owner.to_string(), "lobby@conference.pbx.example");
  EXPECT_TRUE(bob.delivered.empty()) << "the answer waits for the archive";

  archive_.queries[0].answer(im::ArchivePage{.messages = {{.id = archive_.entries[0].id,
                                                           .stored_at = clock_.system_now(),
                                                           .message = archive_.entries[0].message}},
                                             .complete = true,
                                             .count = 1});
  ASSERT_EQ(bob.delivered.size(), 2U);
  const auto& message = bob.delivered[0];
  EXPECT_EQ(attribute(message, "from"), "lobby@conference.pbx.example");
  const auto* result = message.child(im::kMamNamespace, "result");
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(attribute(*result, "queryid"), "f27");
  const auto& fin = bob.delivered[1];
  EXPECT_EQ(attribute(fin, "type"), "result");
  EXPECT_EQ(attribute(fin, "from"), "lobby@conference.pbx.example");
  EXPECT_NE(fin.child(im::kMamNamespace, "fin"), nullptr);
}

TEST_F(MucServiceTest, AnArchiveQueryToARoomThatDoesNotExistIsNotFound) {
  auto& bob = online("bob@pbx.example/phone");
  send(bob, "<iq to='nowhere@conference.pbx.example' type='set' id='q1'>"
            "<query xmlns='urn:xmpp:mam:2'/></iq>");
  const auto replies = bob.take();
  ASSERT_EQ(replies.size(), 1U);
  EXPECT_EQ(im::error_condition(replies[0]), "item-not-found");
  EXPECT_TRUE(archive_.queries.empty());
}

TEST_F(MucServiceTest, ARoomSaysItKeepsAnArchive) {
  in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = online("bob@pbx.example/phone");
  send(bob, "<iq to='lobby@conference.pbx.example' type='get' id='d1'>"
            "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  ASSERT_EQ(bob.delivered.size(), 1U);
  const auto* query = bob.delivered[0].child(im::kDiscoInfoNamespace, "query");
  ASSERT_NE(query, nullptr);
  auto features = query->children(im::kDiscoInfoNamespace, "feature");
  EXPECT_TRUE(std::ranges::any_of(features, [](const xml::Element& feature) {
    return feature.attribute("var") == im::kMamNamespace;
  }));
}

// --- configuration by the owner (§10.2) ---

std::string owner_query(std::string_view type, std::string_view body) {
  return "<iq to='lobby@conference.pbx.example' type='" + std::string(type) +
         "' id='c1'><query xmlns='http://jabber.org/protocol/muc#owner'>" + std::string(body) +
         "</query></iq>";
}

std::string submitted(std::string_view fields) {
  return "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>"
         "http://jabber.org/protocol/muc#roomconfig</value></field>" +
         std::string(fields) + "</x>";
}

std::string field(std::string_view var, std::string_view value) {
  return "<field var='" + std::string(var) + "'><value>" + std::string(value) + "</value></field>";
}

TEST_F(MucServiceTest, TheOwnerGetsTheConfigurationFormWithWhatTheRoomIs) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, owner_query("get", ""));
  ASSERT_EQ(alice.delivered.size(), 1U);
  const auto* form =
      alice.delivered[0].child(kMucOwnerNamespace, "query")->child(im::kDataFormsNamespace, "x");
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(im::field_value(*form, "muc#roomconfig_roomname"), "");
  EXPECT_EQ(im::field_value(*form, "muc#roomconfig_persistentroom"), "1");
  EXPECT_EQ(im::field_value(*form, "muc#roomconfig_membersonly"), "0");
  EXPECT_EQ(im::field_value(*form, "muc#roomconfig_whois"), "anyone");
}

TEST_F(MucServiceTest, TheOwnerNamesTheRoomWhichIsSavedShownAndAnnounced) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  alice.delivered.clear();
  send(alice, owner_query("set", submitted(field("muc#roomconfig_roomname", "Release team") +
                                           field("muc#roomconfig_roomdesc", "Shipping 2.0") +
                                           field("muc#roomconfig_persistentroom", "true") +
                                           field("muc#roomconfig_whois", "anyone"))));

  ASSERT_EQ(alice.delivered.size(), 2U); // the 104 message, then the result
  EXPECT_EQ(status_codes(alice.delivered[0]), std::vector<std::string>{"104"});
  EXPECT_EQ(attribute(alice.delivered[1], "type"), "result");
  ASSERT_EQ(bob.delivered.size(), 1U);
  EXPECT_EQ(status_codes(bob.delivered[0]), std::vector<std::string>{"104"});
  ASSERT_FALSE(rooms_.saved.empty());
  EXPECT_EQ(rooms_.saved.back().title, "Release team");
  EXPECT_EQ(rooms_.saved.back().description, "Shipping 2.0");

  bob.delivered.clear();
  send(bob, "<iq to='lobby@conference.pbx.example' type='get' id='i1'>"
            "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  const auto info = bob.take();
  ASSERT_EQ(info.size(), 1U);
  EXPECT_NE(info[0].find("name='Release team'"), std::string::npos) << info[0];
  EXPECT_NE(info[0].find("Shipping 2.0"), std::string::npos) << info[0];
}

TEST_F(MucServiceTest, OnlyTheOwnerMayConfigure) {
  in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  send(bob, owner_query("get", ""));
  send(bob, owner_query("set", submitted(field("muc#roomconfig_roomname", "Bob's"))));
  const auto replies = bob.take();
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_EQ(im::error_condition(replies[0]), "forbidden");
  EXPECT_EQ(im::error_condition(replies[1]), "forbidden");
  EXPECT_EQ(rooms_.saved.size(), 1U) << "only the creation";
}

TEST_F(MucServiceTest, ARoomCannotBeMadeFullyAnonymousOrProtectedWithoutAPassword) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, owner_query("set", submitted(field("muc#roomconfig_roomname", "Secret") +
                                           field("muc#roomconfig_whois", "none"))));
  send(alice, owner_query("set", submitted(field("muc#roomconfig_passwordprotectedroom", "1"))));
  send(alice, owner_query("set", submitted(field("muc#roomconfig_passwordprotectedroom", "1") +
                                           field("muc#roomconfig_roomsecret", ""))));
  send(alice, owner_query("set", submitted(field("muc#roomconfig_membersonly", "maybe"))));
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 4U);
  for (const auto& reply : replies) {
    EXPECT_EQ(im::error_condition(reply), "not-acceptable");
  }
  EXPECT_EQ(rooms_.saved.size(), 1U) << "nothing changed";
}

// §7.2.6, §10.2: the owner sets a password; entering then takes it, from everyone; the
// owner's form shows it, disco tells it, and invitations pass it on (§7.8.2).
TEST_F(MucServiceTest, APasswordProtectedRoomLetsInOnlyThoseWhoGiveThePassword) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = online("bob@pbx.example/phone");
  send(alice, owner_query("set", submitted(field("muc#roomconfig_passwordprotectedroom", "1") +
                                           field("muc#roomconfig_roomsecret", "open sesame"))));
  ASSERT_EQ(rooms_.saved.back().password, "open sesame");
  alice.delivered.clear();

  enter(bob, "Bob");
  enter(bob, "Bob", "<password>open sesam</password>");
  const auto refused = bob.take();
  ASSERT_EQ(refused.size(), 2U);
  for (const auto& reply : refused) {
    EXPECT_EQ(im::error_condition(reply), "not-authorized") << reply;
  }
  EXPECT_TRUE(alice.delivered.empty()) << "nobody entered";

  enter(bob, "Bob", "<password>open sesame</password>");
  EXPECT_EQ(status_codes(bob.delivered.at(bob.delivered.size() - 2)),
            (std::vector<std::string>{"100", "110"}));

  send(alice, owner_query("get", ""));
  send(alice, "<iq type='get' id='d1' to='lobby@conference.pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  send(alice, "<message to='lobby@conference.pbx.example'>"
              "<x xmlns='http://jabber.org/protocol/muc#user'><invite to='carol@pbx.example'/>"
              "</x></message>");
  const auto& answers = alice.delivered;
  const auto form_reply = std::ranges::find_if(
      answers, [](const auto& stanza) { return stanza.child(kMucOwnerNamespace, "query"); });
  ASSERT_NE(form_reply, answers.end());
  const auto* form =
      form_reply->child(kMucOwnerNamespace, "query")->child(im::kDataFormsNamespace, "x");
  EXPECT_EQ(im::field_value(*form, "muc#roomconfig_passwordprotectedroom"), "1");
  EXPECT_EQ(im::field_value(*form, "muc#roomconfig_roomsecret"), "open sesame");
  const auto disco = alice.take();
  EXPECT_TRUE(std::ranges::any_of(disco, [](const std::string& stanza) {
    return stanza.find("var='muc_passwordprotected'") != std::string::npos;
  }));
  const auto& invitation = offline_.messages[im::jid("carol@pbx.example")];
  ASSERT_EQ(invitation.size(), 1U);
  const auto* password =
      invitation[0].child(kMucUserNamespace, "x")->child(kMucUserNamespace, "password");
  ASSERT_NE(password, nullptr);
  EXPECT_EQ(password->text(), "open sesame");
}

// What Conversations sends for a new "public channel".
std::string public_channel_form() {
  return submitted(
      field("muc#roomconfig_persistentroom", "1") + field("muc#roomconfig_membersonly", "0") +
      field("muc#roomconfig_publicroom", "1") + field("muc#roomconfig_whois", "moderators") +
      field("muc#roomconfig_changesubject", "0") + field("muc#roomconfig_enablearchiving", "1"));
}

// The 'jid' of the muc#user item in an occupant's presence; "<none>" without one.
std::string item_jid(const xml::Element& presence) {
  const auto* item = presence.child(kMucUserNamespace, "x")->child(kMucUserNamespace, "item");
  return std::string(item->attribute("jid").value_or("<none>"));
}

TEST_F(MucServiceTest, InASemiAnonymousRoomOnlyModeratorsSeeRealJids) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  send(alice, owner_query("set", public_channel_form()));
  ASSERT_EQ(alice.delivered.size(), 2U);
  EXPECT_EQ(status_codes(alice.delivered[0]), std::vector<std::string>{"173"});
  EXPECT_EQ(attribute(alice.delivered[1], "type"), "result");
  EXPECT_EQ(status_codes(bob.take_elements().at(0)), std::vector<std::string>{"173"});
  EXPECT_TRUE(rooms_.saved.back().semi_anonymous);
  alice.delivered.clear();

  auto& carol = online("carol@pbx.example/desk");
  enter(carol, "Carol");
  // Carol, a participant, sees nobody's address but her own, and no status 100.
  ASSERT_EQ(carol.delivered.size(), 4U);
  EXPECT_EQ(item_jid(carol.delivered[0]), "<none>");
  EXPECT_EQ(item_jid(carol.delivered[1]), "<none>");
  EXPECT_EQ(item_jid(carol.delivered[2]), "carol@pbx.example/desk");
  EXPECT_EQ(status_codes(carol.delivered[2]), std::vector<std::string>{"110"});
  // Alice, the owner, a moderator, sees Carol's; Bob does not.
  EXPECT_EQ(item_jid(alice.delivered.at(0)), "carol@pbx.example/desk");
  EXPECT_EQ(item_jid(bob.delivered.at(0)), "<none>");

  // Leaving, too, shows the address to moderators only.
  alice.delivered.clear();
  bob.delivered.clear();
  send(carol, "<presence type='unavailable' to='lobby@conference.pbx.example/Carol'/>");
  EXPECT_EQ(item_jid(alice.delivered.at(0)), "carol@pbx.example/desk");
  EXPECT_EQ(item_jid(bob.delivered.at(0)), "<none>");

  send(bob, "<iq to='lobby@conference.pbx.example' type='get' id='d1'>"
            "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  const auto info = bob.take();
  EXPECT_NE(info.back().find("var='muc_semianonymous'"), std::string::npos) << info.back();
  EXPECT_EQ(info.back().find("var='muc_nonanonymous'"), std::string::npos) << info.back();
}

TEST_F(MucServiceTest, ANewModeratorOfASemiAnonymousRoomLearnsWhoIsThere) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, owner_query("set", public_channel_form()));
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  in_room("carol@pbx.example/desk", "Carol");
  // The member list is the admins' business here.
  send(bob,
       "<iq to='lobby@conference.pbx.example' type='get' id='m1'><query "
       "xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='member'/></query></iq>");
  EXPECT_EQ(im::error_condition(bob.take().at(0)), "forbidden");

  send(alice, "<iq to='lobby@conference.pbx.example' type='set' id='a1'><query "
              "xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='admin' "
              "jid='bob@pbx.example'/></query></iq>");
  std::vector<std::string> seen;
  for (const auto& stanza : bob.take_elements()) {
    if (stanza.name() == "presence") {
      seen.push_back(attribute(stanza, "from") + " " + item_jid(stanza));
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "lobby@conference.pbx.example/Bob bob@pbx.example/phone",
                      "lobby@conference.pbx.example/Alice alice@pbx.example/laptop",
                      "lobby@conference.pbx.example/Carol carol@pbx.example/desk"}));
}

// --- moderated rooms (§7.13, §8.3, §8.4, §8.6) ---

// The role in an occupant presence's muc#user item.
std::string item_role(const xml::Element& presence) {
  const auto* item = presence.child(kMucUserNamespace, "x")->child(kMucUserNamespace, "item");
  return std::string(item->attribute("role").value_or("<none>"));
}

std::string set_role(std::string_view nick, std::string_view role) {
  return "<iq to='lobby@conference.pbx.example' type='set' id='r1'><query "
         "xmlns='http://jabber.org/protocol/muc#admin'><item nick='" +
         std::string(nick) + "' role='" + std::string(role) + "'/></query></iq>";
}

TEST_F(MucServiceTest, InAModeratedRoomAVisitorSpeaksOnceAModeratorGivesVoice) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, owner_query("set", submitted(field("muc#roomconfig_moderatedroom", "1"))));
  EXPECT_TRUE(rooms_.saved.back().moderated);
  auto& bob = online("bob@pbx.example/phone");
  enter(bob, "Bob");
  ASSERT_FALSE(bob.delivered.empty());
  EXPECT_EQ(item_role(bob.delivered.at(1)), "visitor"); // his own presence, after Alice's
  bob.delivered.clear();
  alice.delivered.clear();

  say(bob, "Hello?");
  EXPECT_EQ(error_of(bob.delivered.at(0)), "forbidden");
  EXPECT_TRUE(alice.delivered.empty()) << "a visitor's message is not passed on";
  bob.delivered.clear();

  send(alice, set_role("Bob", "participant"));
  EXPECT_EQ(item_role(bob.delivered.at(0)), "participant");
  EXPECT_EQ(status_codes(bob.delivered.at(0)), std::vector<std::string>{"110"});
  EXPECT_EQ(item_role(alice.delivered.at(0)), "participant");
  EXPECT_EQ(attribute(alice.delivered.at(1), "type"), "result");
  bob.delivered.clear();
  say(bob, "Thanks");
  EXPECT_EQ(child_text(bob.delivered.at(0), "body"), "Thanks");

  send(alice, set_role("Bob", "visitor"));
  EXPECT_EQ(item_role(bob.take_elements().at(1)), "visitor");
  // Voice is for moderators to give: Bob may not, and admins and owners keep theirs.
  send(bob, set_role("Bob", "participant"));
  EXPECT_EQ(error_of(bob.take_elements().at(0)), "forbidden");
  send(alice, set_role("Alice", "visitor"));
  EXPECT_EQ(error_of(alice.take_elements().back()), "not-allowed");

  // No longer moderated: the visitor gets voice.
  send(alice, owner_query("set", submitted(field("muc#roomconfig_moderatedroom", "0"))));
  const auto told = bob.take_elements();
  ASSERT_EQ(told.size(), 2U); // the 104 message, then his presence as a participant
  EXPECT_EQ(item_role(told[1]), "participant");
}

TEST_F(MucServiceTest, AVisitorAsksForVoiceAndAModeratorApproves) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, owner_query("set", submitted(field("muc#roomconfig_moderatedroom", "1"))));
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  alice.delivered.clear();
  send(bob, "<message to='lobby@conference.pbx.example'><x xmlns='jabber:x:data' "
            "type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/"
            "muc#request</value></field><field var='muc#role'><value>participant</value>"
            "</field></x></message>");
  ASSERT_EQ(alice.delivered.size(), 1U);
  const auto* form = alice.delivered[0].child(im::kDataFormsNamespace, "x");
  ASSERT_NE(form, nullptr);
  EXPECT_EQ(attribute(alice.delivered[0], "from"), "lobby@conference.pbx.example");
  EXPECT_EQ(im::field_value(*form, "muc#roomnick"), "Bob");
  EXPECT_EQ(im::field_value(*form, "muc#jid"), "bob@pbx.example/phone");
  EXPECT_EQ(im::field_value(*form, "muc#request_allow"), "false");
  alice.delivered.clear();

  const std::string approval =
      "<message to='lobby@conference.pbx.example'><x xmlns='jabber:x:data' type='submit'>"
      "<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#request</value></field>"
      "<field var='muc#roomnick'><value>Bob</value></field>"
      "<field var='muc#request_allow'><value>true</value></field></x></message>";
  send(bob, approval); // not his to approve
  EXPECT_EQ(error_of(bob.take_elements().at(0)), "forbidden");
  send(alice, approval);
  EXPECT_EQ(item_role(bob.take_elements().at(0)), "participant");
}

TEST_F(MucServiceTest, AVisitorAsksForVoiceAtMostOnceAMinute) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, owner_query("set", submitted(field("muc#roomconfig_moderatedroom", "1"))));
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  alice.delivered.clear();
  const std::string request =
      "<message to='lobby@conference.pbx.example'><x xmlns='jabber:x:data' type='submit'>"
      "<field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#request</value></field>"
      "<field var='muc#role'><value>participant</value></field></x></message>";
  send(bob, request);
  send(bob, request);
  EXPECT_EQ(alice.take().size(), 1U) << "the moderator is asked once";
  EXPECT_EQ(error_of(bob.take_elements().at(0)), "resource-constraint");

  clock_.advance(kVoiceRequestInterval);
  send(bob, request);
  EXPECT_EQ(alice.take().size(), 1U);
  EXPECT_TRUE(bob.take().empty());
}

TEST_F(MucServiceTest, AnInstantRoomAndACancelledFormAreAccepted) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, owner_query("set", "<x xmlns='jabber:x:data' type='submit'/>"));
  send(alice, owner_query("set", "<x xmlns='jabber:x:data' type='cancel'/>"));
  const auto replies = alice.take();
  ASSERT_EQ(replies.size(), 3U); // 104 for the submitted form, two results
  EXPECT_NE(replies[0].find("code='104'"), std::string::npos);
  EXPECT_NE(replies[1].find("type='result'"), std::string::npos);
  EXPECT_NE(replies[2].find("type='result'"), std::string::npos);
}

// --- members-only rooms, moderation and destruction (§7.2.7, §8–§10) ---

std::string admin_query(std::string_view type, std::string_view items) {
  return "<iq to='lobby@conference.pbx.example' type='" + std::string(type) +
         "' id='a1'><query xmlns='http://jabber.org/protocol/muc#admin'>" + std::string(items) +
         "</query></iq>";
}

const xml::Element& muc_item(const xml::Element& stanza) {
  return *stanza.child(kMucUserNamespace, "x")->child(kMucUserNamespace, "item");
}

std::vector<std::string> listed_jids(const xml::Element& result) {
  std::vector<std::string> jids;
  for (const auto& item :
       result.child(kMucAdminNamespace, "query")->children(kMucAdminNamespace, "item")) {
    jids.emplace_back(item.attribute("jid").value_or(""));
  }
  return jids;
}

TEST_F(MucServiceTest, AMembersOnlyRoomSendsOutNonMembersAndAdmitsTheInvited) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  send(alice, owner_query("set", submitted(field("muc#roomconfig_membersonly", "1") +
                                           field("muc#roomconfig_publicroom", "0"))));
  // §10.2: Bob is no member, so he leaves with 322.
  ASSERT_EQ(bob.delivered.size(), 2U);
  EXPECT_EQ(status_codes(bob.delivered[1]), (std::vector<std::string>{"322", "110"}));
  EXPECT_EQ(attribute(bob.delivered[1], "type"), "unavailable");
  EXPECT_TRUE(rooms_.saved.back().members_only);
  EXPECT_FALSE(rooms_.saved.back().is_public);

  bob.delivered.clear();
  enter(bob, "Bob");
  ASSERT_EQ(bob.delivered.size(), 1U);
  EXPECT_EQ(error_of(bob.delivered[0]), "registration-required"); // §7.2.7

  // §7.8.2: the owner's invitation makes Bob a member, and he may enter.
  send(alice, "<message to='lobby@conference.pbx.example'><x xmlns='"
              "http://jabber.org/protocol/muc#user'><invite to='bob@pbx.example'/></x></message>");
  EXPECT_EQ(rooms_.saved.back().affiliations.at("bob@pbx.example"), Affiliation::member);
  bob.delivered.clear();
  enter(bob, "Bob");
  EXPECT_EQ(attribute(muc_item(bob.delivered.at(1)), "affiliation"), "member");

  // A hidden room is not listed, and its archive is its members'.
  auto& carol = online("carol@pbx.example/desk");
  send(carol, "<iq type='get' id='d1' to='conference.pbx.example'>"
              "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
  send(carol, "<iq to='lobby@conference.pbx.example' type='set' id='q1'>"
              "<query xmlns='urn:xmpp:mam:2'/></iq>");
  const auto replies = carol.take();
  ASSERT_EQ(replies.size(), 2U);
  EXPECT_EQ(replies[0].find("lobby"), std::string::npos) << replies[0];
  EXPECT_NE(replies[1].find("<forbidden"), std::string::npos) << replies[1];
}

TEST_F(MucServiceTest, OnlyAdminsInviteIntoAMembersOnlyRoomWhenOccupantsMayNot) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  send(alice, owner_query("set", submitted(field("muc#roomconfig_membersonly", "1") +
                                           field("muc#roomconfig_allowinvites", "0"))));
  send(alice, admin_query("set", "<item affiliation='member' jid='bob@pbx.example'/>"));
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  send(bob, "<message to='lobby@conference.pbx.example' id='i1'><x xmlns='"
            "http://jabber.org/protocol/muc#user'><invite to='carol@pbx.example'/></x></message>");
  ASSERT_EQ(bob.delivered.size(), 1U);
  EXPECT_EQ(error_of(bob.delivered[0]), "forbidden");
  EXPECT_FALSE(rooms_.saved.back().affiliations.contains("carol@pbx.example"));
}

TEST_F(MucServiceTest, ABannedUserLeavesWith301AndCannotComeBack) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  send(alice, admin_query("set", "<item affiliation='outcast' jid='bob@pbx.example'>"
                                 "<reason>Spam</reason></item>"));

  ASSERT_EQ(bob.delivered.size(), 1U);
  EXPECT_EQ(status_codes(bob.delivered[0]), (std::vector<std::string>{"301", "110"}));
  EXPECT_EQ(attribute(muc_item(bob.delivered[0]), "affiliation"), "outcast");
  EXPECT_EQ(muc_item(bob.delivered[0]).child(kMucUserNamespace, "reason")->text(), "Spam");
  ASSERT_EQ(alice.delivered.size(), 2U); // Bob's departure, then the result
  EXPECT_EQ(status_codes(alice.delivered[0]), std::vector<std::string>{"301"});
  EXPECT_EQ(attribute(alice.delivered[1], "type"), "result");

  bob.delivered.clear();
  enter(bob, "Bob");
  ASSERT_EQ(bob.delivered.size(), 1U);
  EXPECT_EQ(error_of(bob.delivered[0]), "forbidden"); // §7.2.8

  alice.delivered.clear();
  send(alice, admin_query("get", "<item affiliation='outcast'/>"));
  EXPECT_EQ(listed_jids(alice.delivered.at(0)), std::vector<std::string>{"bob@pbx.example"});
  EXPECT_EQ(rooms_.saved.back().affiliations.at("bob@pbx.example"), Affiliation::outcast);
}

TEST_F(MucServiceTest, AModeratorKicksAParticipantButNeitherAnAdminNorAsAParticipant) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  auto& carol = in_room("carol@pbx.example/desk", "Carol");
  send(alice, admin_query("set", "<item affiliation='admin' nick='Bob'/>"));
  // §9.6: everyone sees Bob's new standing.
  ASSERT_EQ(carol.delivered.size(), 1U);
  EXPECT_EQ(attribute(muc_item(carol.delivered[0]), "affiliation"), "admin");
  EXPECT_EQ(attribute(muc_item(carol.delivered[0]), "role"), "moderator");

  send(carol, admin_query("set", "<item nick='Bob' role='none'/>"));
  EXPECT_EQ(error_of(carol.delivered.back()), "forbidden");
  send(bob, admin_query("set", "<item nick='Alice' role='none'/>"));
  EXPECT_EQ(error_of(bob.delivered.back()), "not-allowed");

  alice.delivered.clear();
  send(bob, admin_query("set", "<item nick='Carol' role='none'><reason>Off topic</reason>"
                               "</item>"));
  EXPECT_EQ(status_codes(carol.delivered.back()), (std::vector<std::string>{"307", "110"}));
  ASSERT_EQ(alice.delivered.size(), 1U);
  EXPECT_EQ(status_codes(alice.delivered[0]), std::vector<std::string>{"307"});
  EXPECT_EQ(attribute(bob.delivered.back(), "type"), "result");
  enter(carol, "Carol");                                      // a kick is no ban
  EXPECT_EQ(status_codes(carol.delivered.back()).size(), 0U); // the subject: she is in
}

TEST_F(MucServiceTest, AdminsManageMembersWhileOwnersAndAdminsAreTheOwnersToName) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = online("bob@pbx.example/phone");
  send(alice, admin_query("set", "<item affiliation='admin' jid='bob@pbx.example'/>"));
  send(bob, admin_query("set", "<item affiliation='member' jid='carol@pbx.example'/>"));
  send(bob, admin_query("set", "<item affiliation='owner' jid='carol@pbx.example'/>"));
  send(bob, admin_query("set", "<item affiliation='none' jid='alice@pbx.example'/>"));
  auto replies = bob.take();
  ASSERT_EQ(replies.size(), 3U);
  EXPECT_NE(replies[0].find("type='result'"), std::string::npos) << replies[0];
  EXPECT_NE(replies[1].find("<not-allowed"), std::string::npos) << replies[1];
  EXPECT_NE(replies[2].find("<not-allowed"), std::string::npos) << replies[2];

  // §10.7: the last owner may not step down; §9.5: members see who belongs.
  alice.delivered.clear();
  send(alice, admin_query("set", "<item affiliation='member' jid='alice@pbx.example'/>"));
  EXPECT_EQ(error_of(alice.delivered.at(0)), "conflict");
  send(bob, admin_query("get", "<item affiliation='member'/>"));
  EXPECT_EQ(listed_jids(bob.delivered.at(0)), std::vector<std::string>{"carol@pbx.example"});
  auto& dave = online("dave@pbx.example/pc");
  send(dave, admin_query("get", "<item affiliation='owner'/>"));
  EXPECT_EQ(error_of(dave.delivered.at(0)), "forbidden");
}

TEST_F(MucServiceTest, SubjectChangesCanBeLeftToModerators) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  send(alice, owner_query("set", submitted(field("muc#roomconfig_changesubject", "0"))));
  bob.delivered.clear();
  send(bob, "<message to='lobby@conference.pbx.example' type='groupchat'><subject>Mine"
            "</subject></message>");
  ASSERT_EQ(bob.delivered.size(), 1U);
  EXPECT_EQ(error_of(bob.delivered[0]), "forbidden"); // §8.1
  send(alice, "<message to='lobby@conference.pbx.example' type='groupchat'><subject>Ours"
              "</subject></message>");
  EXPECT_EQ(rooms_.saved.back().subject, "Ours");
}

TEST_F(MucServiceTest, AnOccupantsPingToItselfSaysWhetherItIsStillIn) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = online("bob@pbx.example/phone");
  const std::string ping = "<iq type='get' id='p1' to='lobby@conference.pbx.example/Alice'>"
                           "<ping xmlns='urn:xmpp:ping'/></iq>";
  send(alice, ping);
  send(bob, ping); // Bob is not Alice, nor in the room
  EXPECT_EQ(attribute(alice.delivered.at(0), "type"), "result");
  EXPECT_EQ(error_of(bob.delivered.at(0)), "not-acceptable");
}

TEST_F(MucServiceTest, AnIqBetweenOccupantsGoesByTheirNicksBothWays) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  send(alice, "<iq type='get' id='v1' to='lobby@conference.pbx.example/Bob'>"
              "<query xmlns='jabber:iq:version'/></iq>");
  ASSERT_EQ(bob.delivered.size(), 1U);
  const auto& request = bob.delivered[0];
  EXPECT_EQ(attribute(request, "from"), "lobby@conference.pbx.example/Alice");
  EXPECT_EQ(attribute(request, "to"), "bob@pbx.example/phone");
  EXPECT_EQ(attribute(request, "id"), "v1");
  EXPECT_NE(request.child("jabber:iq:version", "query"), nullptr);

  send(bob, "<iq type='result' id='v1' to='lobby@conference.pbx.example/Alice'>"
            "<query xmlns='jabber:iq:version'><name>Phone</name></query></iq>");
  ASSERT_EQ(alice.delivered.size(), 1U);
  EXPECT_EQ(attribute(alice.delivered[0], "from"), "lobby@conference.pbx.example/Bob");
  EXPECT_EQ(attribute(alice.delivered[0], "to"), "alice@pbx.example/laptop");
  EXPECT_EQ(attribute(alice.delivered[0], "type"), "result");

  // Only occupants ask occupants, and only those who are there.
  auto& carol = online("carol@pbx.example/desk");
  send(carol, "<iq type='get' id='v2' to='lobby@conference.pbx.example/Bob'>"
              "<query xmlns='jabber:iq:version'/></iq>");
  send(alice, "<iq type='get' id='v3' to='lobby@conference.pbx.example/Nobody'>"
              "<query xmlns='jabber:iq:version'/></iq>");
  send(carol, "<iq type='result' id='v4' to='lobby@conference.pbx.example/Alice'/>");
  EXPECT_EQ(error_of(carol.delivered.at(0)), "not-acceptable");
  EXPECT_EQ(error_of(alice.delivered.at(0)), "item-not-found");
  EXPECT_EQ(alice.delivered.size(), 1U) << "a stray answer is dropped";
  EXPECT_TRUE(bob.delivered.empty());
}

// XEP-0054 for occupants, as clients ask for avatars (XEP-0153): the room answers from the
// user's vCard; who may not know who the occupant is gets only the photo.
TEST_F(MucServiceTest, AVcardRequestToAnOccupantIsAnsweredFromItsUsersVcard) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  auto& carol = in_room("carol@pbx.example/desk", "Carol");
  const std::string request = "<iq type='get' id='c1' to='lobby@conference.pbx.example/Bob'>"
                              "<vCard xmlns='vcard-temp'/></iq>";
  const auto fields_of = [](const xml::Element& reply) {
    std::vector<std::string> names;
    for (const auto& field : reply.child(im::kVcardNamespace, "vCard")->elements()) {
      names.push_back(field.name());
    }
    return names;
  };
  send(carol, request);
  ASSERT_EQ(carol.delivered.size(), 1U);
  const auto& reply = carol.delivered[0];
  EXPECT_EQ(attribute(reply, "type"), "result");
  EXPECT_EQ(attribute(reply, "from"), "lobby@conference.pbx.example/Bob");
  EXPECT_EQ(attribute(reply, "id"), "c1");
  EXPECT_EQ(fields_of(reply), (std::vector<std::string>{"FN", "PHOTO"}));
  EXPECT_TRUE(bob.delivered.empty()) << "Bob's client is not asked";

  send(alice, owner_query("set", public_channel_form()));
  carol.delivered.clear();
  alice.delivered.clear();
  send(carol, request);
  send(alice, request);
  EXPECT_EQ(fields_of(carol.delivered.at(0)), std::vector<std::string>{"PHOTO"});
  EXPECT_EQ(fields_of(alice.delivered.at(0)), (std::vector<std::string>{"FN", "PHOTO"}));

  auto& outsider = online("carol@pbx.example/laptop");
  send(outsider, request);
  EXPECT_EQ(error_of(outsider.delivered.at(0)), "not-acceptable");
}

TEST_F(MucServiceTest, TheOwnerDestroysTheRoomAndEveryoneIsToldWhereToGo) {
  auto& alice = in_room("alice@pbx.example/laptop", "Alice");
  auto& bob = in_room("bob@pbx.example/phone", "Bob");
  send(bob, owner_query("set", "<destroy/>"));
  EXPECT_EQ(error_of(bob.delivered.back()), "forbidden");
  bob.delivered.clear();

  send(alice, owner_query("set", "<destroy jid='team@conference.pbx.example'>"
                                 "<reason>Moved</reason></destroy>"));
  ASSERT_EQ(bob.delivered.size(), 1U);
  const auto& gone = bob.delivered[0];
  EXPECT_EQ(attribute(gone, "type"), "unavailable");
  const auto* destroy = gone.child(kMucUserNamespace, "x")->child(kMucUserNamespace, "destroy");
  ASSERT_NE(destroy, nullptr);
  EXPECT_EQ(attribute(*destroy, "jid"), "team@conference.pbx.example");
  EXPECT_EQ(destroy->child(kMucUserNamespace, "reason")->text(), "Moved");
  EXPECT_EQ(attribute(alice.delivered.back(), "type"), "result");
  EXPECT_EQ(rooms_.removed, std::vector<std::string>{"lobby"});
  EXPECT_TRUE(muc_.rooms().empty());
}

} // namespace
} // namespace starling::xmpp::muc
