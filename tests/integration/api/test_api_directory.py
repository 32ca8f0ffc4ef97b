"""The directory over the REST API against a running starling: users, extensions, devices
and groups; what an administrator may do, what a user may do with their own, and that they
never see anyone else's; ETags and If-Match."""

import unittest

from api_client import Browser, starling_with_users

USERS = {"boss": ("boss-password-1", "admin"), "alice": ("alice-password-1", "user"),
         "bob": ("bob-password-1", "user")}


class ApiDirectory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.starling = starling_with_users(USERS)
        cls.port = cls.starling.ports["https"]
        cls.boss = Browser(cls.port, "boss", USERS["boss"][0])
        cls.alice = Browser(cls.port, "alice", USERS["alice"][0])
        cls.bob = Browser(cls.port, "bob", USERS["bob"][0])

    @classmethod
    def tearDownClass(cls):
        cls.starling.close()

    def test_administrator_manages_users(self):
        created = self.boss.json("POST", "/users", {"name": "carol", "display_name": "Carol",
                                                    "extension": "203"}, expect=201)
        self.assertEqual(created["extensions"], ["203"])
        self.assertGreaterEqual(len(created["password"]), 8)
        Browser(self.port, "carol", created["password"])
        read = self.boss.json("GET", "/users/carol")
        self.assertNotIn("password", read)
        changed = self.boss.json("PATCH", "/users/carol", {"display_name": "Carol C."})
        self.assertEqual(changed["display_name"], "Carol C.")
        self.boss.json("POST", "/users", {"name": "carol"}, expect=409)
        problem = self.boss.json("POST", "/users", {"name": "no spaces"}, expect=422)
        self.assertEqual(problem["field"], "/name")
        self.boss.json("DELETE", "/users/carol", expect=204)
        self.boss.json("GET", "/users/carol", expect=404)

    def test_users_are_listed_in_pages(self):
        page = self.boss.json("GET", "/users?limit=2&offset=1")
        self.assertEqual((page["total"], page["limit"], page["offset"]), (3, 2, 1))
        self.assertEqual([user["name"] for user in page["items"]], ["bob", "boss"])
        self.boss.json("GET", "/users?limit=0", expect=400)

    def test_user_reads_and_changes_only_themself(self):
        self.alice.json("GET", "/users", expect=403)
        self.assertEqual(self.alice.json("GET", "/users/alice")["name"], "alice")
        self.alice.json("GET", "/users/bob", expect=404)
        self.alice.json("PATCH", "/users/bob", {"display_name": "Bobby"}, expect=404)
        self.alice.json("PATCH", "/users/alice", {"role": "admin"}, expect=403)
        self.alice.json("PATCH", "/users/alice", {"display_name": "Alice L."})
        problem = self.alice.json("PATCH", "/users/alice", {"password": "a-new-password-2"},
                                  expect=422)
        self.assertEqual(problem["field"], "/current_password")

    def test_user_manages_their_own_devices_and_never_sees_others(self):
        created = self.alice.json("POST", "/devices", {"description": "desk phone"}, expect=201)
        name = created["name"]
        self.assertEqual(created["user"], "alice")
        self.assertTrue(created["password"])
        self.alice.json("POST", "/devices", {"user": "bob"}, expect=403)
        bobs = self.boss.json("POST", "/devices", {"user": "bob", "name": "bob-desk"},
                              expect=201)["name"]
        self.assertEqual([d["name"] for d in self.alice.json("GET", "/devices")["items"]], [name])
        self.alice.json("GET", f"/devices/{bobs}", expect=404)
        self.alice.json("PATCH", f"/devices/{bobs}", {"description": "mine now"}, expect=404)
        self.alice.json("DELETE", f"/devices/{bobs}", expect=404)
        self.assertEqual(self.bob.json("GET", f"/devices/{bobs}")["user"], "bob")
        changed = self.alice.json("PATCH", f"/devices/{name}",
                                  {"description": "softphone", "password": "sip-password-22"})
        self.assertEqual(changed["description"], "softphone")
        self.alice.json("DELETE", f"/devices/{name}", expect=204)
        self.assertIn(bobs, self.starling.run("device", "list").stdout)

    def test_if_match_refuses_changes_to_a_stale_version(self):
        self.boss.json("POST", "/groups", {"name": "support"}, expect=201)
        status, _, headers = self.boss.request("GET", "/groups/support")
        self.assertEqual(status, 200)
        etag = headers["etag"]
        self.boss.json("PATCH", "/groups/support", {"display_name": "Support"},
                       headers={"If-Match": etag})
        self.boss.json("PATCH", "/groups/support", {"display_name": "Help"}, expect=412,
                       headers={"If-Match": etag})
        self.boss.json("DELETE", "/groups/support", expect=412, headers={"If-Match": etag})
        _, _, headers = self.boss.request("GET", "/groups/support")
        self.boss.json("DELETE", "/groups/support", expect=204,
                       headers={"If-Match": headers["etag"]})

    def test_administrator_manages_groups_and_extensions(self):
        group = self.boss.json("POST", "/groups", {"name": "sales", "display_name": "Sales",
                                                   "members": ["alice"]}, expect=201)
        self.assertEqual(group["members"], ["alice"])
        self.alice.json("POST", "/groups", {"name": "mine"}, expect=403)
        changed = self.boss.json("PATCH", "/groups/sales", {"members": ["bob", "alice"]})
        self.assertEqual(sorted(changed["members"]), ["alice", "bob"])
        self.assertEqual(self.alice.json("GET", "/groups/sales")["display_name"], "Sales")
        self.boss.json("POST", "/extensions", {"number": "600", "group": "sales"}, expect=201)
        self.boss.json("POST", "/extensions", {"number": "600", "user": "bob"}, expect=409)
        self.assertEqual(self.alice.json("GET", "/extensions/600"), {"number": "600",
                                                                     "group": "sales"})
        self.alice.json("DELETE", "/extensions/600", expect=403)
        self.boss.json("DELETE", "/extensions/600", expect=204)
        self.boss.json("DELETE", "/groups/sales", expect=204)
        self.alice.json("GET", "/groups/sales", expect=404)


if __name__ == "__main__":
    unittest.main()
