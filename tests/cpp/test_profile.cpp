// The op profile: disabled it records nothing; enabled, nested scopes are
// counted exclusively (a parent's time excludes its children's), so the
// entries add up to the wall time of the outermost scope.
#include <gtest/gtest.h>

#include <chrono>

#include "core/profile.h"

namespace gt {
namespace {

void spin_ms(double ms) {
  const auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() < ms) {
  }
}

TEST(Profile, DisabledRecordsNothing) {
  profile::reset();
  profile::enable(false);
  {
    GT_PROFILE("outer");
    spin_ms(1);
  }
  EXPECT_TRUE(profile::entries().empty());
}

TEST(Profile, NestedScopesAreExclusiveAndAddUp) {
  profile::reset();
  profile::enable(true);
  const auto t0 = std::chrono::steady_clock::now();
  {
    GT_PROFILE("outer");
    spin_ms(4);
    for (int i = 0; i < 3; ++i) {
      GT_PROFILE("inner");
      spin_ms(2);
    }
  }
  const double wall = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  profile::enable(false);
  const auto e = profile::entries();
  ASSERT_EQ(e.size(), 2u);
  double sum = 0;
  for (const auto& x : e) {
    sum += x.exclusive_ms;
    if (x.name == "inner") {
      EXPECT_EQ(x.calls, 3);
      EXPECT_GE(x.exclusive_ms, 6.0);
    } else {
      EXPECT_EQ(x.name, "outer");
      EXPECT_EQ(x.calls, 1);
      EXPECT_GE(x.exclusive_ms, 4.0);
      EXPECT_LT(x.exclusive_ms, wall - 6.0 + 0.5);  // the inner 6 ms are not in it
    }
  }
  EXPECT_LE(sum, wall);
  EXPECT_NEAR(sum, wall, 5.0);  // only the moments around the outer scope are missing
  profile::reset();
}

}  // namespace
}  // namespace gt
