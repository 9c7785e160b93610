// The shape of GoogleTest's fatal assertions: a failure returns from the
// test function.
#define GTEST_FATAL_FAILURE_ return
#define ASSERT_TRUE(c)                                                         \
  if (!(c))                                                                    \
  GTEST_FATAL_FAILURE_
