// Tests of the permission rule: who may dial which class of call.
#include <gtest/gtest.h>

#include "pbx/call_class.h"

namespace starling::pbx {
namespace {

TEST(CallPermission, AllowsEveryClassUpToTheUsersOwn) {
  EXPECT_TRUE(is_call_allowed(CallClass::internal, PermissionClass::national));
  EXPECT_TRUE(is_call_allowed(CallClass::local, PermissionClass::national));
  EXPECT_TRUE(is_call_allowed(CallClass::national, PermissionClass::national));
  EXPECT_FALSE(is_call_allowed(CallClass::international, PermissionClass::national));
}

TEST(CallPermission, InternalUsersCanOnlyCallExtensions) {
  EXPECT_TRUE(is_call_allowed(CallClass::internal, PermissionClass::internal));
  EXPECT_FALSE(is_call_allowed(CallClass::local, PermissionClass::internal));
}

TEST(CallPermission, InternationalUsersMayCallAnywhere) {
  EXPECT_TRUE(is_call_allowed(CallClass::international, PermissionClass::international));
  EXPECT_TRUE(is_call_allowed(CallClass::local, PermissionClass::international));
}

TEST(CallPermission, AlwaysAllowsEmergencyCallsWhateverTheClass) {
  for (const auto permission : {PermissionClass::internal, PermissionClass::local,
                                PermissionClass::national, PermissionClass::international}) {
    EXPECT_TRUE(is_call_allowed(CallClass::emergency, permission)) << to_string(permission);
  }
}

TEST(CallClass, NamesAreTheWordsOperatorsSee) {
  EXPECT_EQ(to_string(CallClass::international), "international");
  EXPECT_EQ(to_string(CallClass::emergency), "emergency");
  EXPECT_EQ(to_string(PermissionClass::local), "local");
}

TEST(CallClass, ReadsPermissionClassesBackFromTheirNames) {
  EXPECT_EQ(permission_class_from_string("national"), PermissionClass::national);
  EXPECT_EQ(permission_class_from_string("international"), PermissionClass::international);
  EXPECT_EQ(permission_class_from_string("emergency"), std::nullopt);
  EXPECT_EQ(permission_class_from_string("National"), std::nullopt);
  EXPECT_EQ(permission_class_from_string(""), std::nullopt);
}

} // namespace
} // namespace starling::pbx
