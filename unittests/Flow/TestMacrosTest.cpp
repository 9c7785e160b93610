//===--- TestMacrosTest.cpp - path conventions of test and example code ---===//
#include "pitfall/Core/TestMacros.h"

#include "gtest/gtest.h"

namespace pitfall {
namespace test {
namespace {

TEST(PathPatternsTest, DefaultTestPathsMatchTheCommonConventions) {
  PathPatterns P(DefaultTestPaths);
  EXPECT_TRUE(
      P.matches("/src/oatpp/test/oatpp/async/ConditionVariableTest.cpp"));
  EXPECT_TRUE(P.matches("/src/sdbus-cpp/tests/integrationtests/TestFixture.h"));
  EXPECT_TRUE(P.matches("/src/leveldb/db/db_test.cc"));
  EXPECT_TRUE(P.matches("/src/proj/util/test_parser.cpp"));
  EXPECT_TRUE(P.matches("/src/proj/unittests/main.cpp"));
  EXPECT_FALSE(P.matches("/src/proj/src/contest/testing.cpp"));
  EXPECT_FALSE(P.matches("/src/proj/include/latest.h"));
}

TEST(PathPatternsTest, DefaultExamplePathsMatchTheCommonConventions) {
  PathPatterns P(DefaultExamplePaths);
  EXPECT_TRUE(P.matches("/src/rest_rpc/examples/server/main.cpp"));
  EXPECT_TRUE(P.matches("/src/BehaviorTree.CPP/sample_nodes/dummy_nodes.h"));
  EXPECT_TRUE(P.matches("/src/rest_rpc/bench/bench.cpp"));
  EXPECT_TRUE(P.matches("/src/proj/tutorials/t01.cpp"));
  EXPECT_FALSE(P.matches("/src/proj/src/sampler.cpp"));
  EXPECT_FALSE(P.matches("/src/proj/include/demotion.h"));
}

TEST(PathPatternsTest, PatternsWithASlashMatchTheWholePath) {
  PathPatterns P("*/proj/qa/*");
  EXPECT_TRUE(P.matches("/home/me/proj/qa/t.cpp"));
  EXPECT_FALSE(P.matches("/home/me/qa/proj/t.cpp"));
  EXPECT_TRUE(PathPatterns("").empty());
  EXPECT_FALSE(PathPatterns("").matches("/a/test/b.cpp"));
}

} // namespace
} // namespace test
} // namespace pitfall
