// The shape of GoogleTest's test definitions: TEST and TEST_F declare a
// class whose TestBody() the user's block after the macro defines.
namespace testing {
class Test {
public:
  virtual ~Test();
  virtual void TestBody() = 0;
};
} // namespace testing

#define GTEST_TEST_CLASS_NAME_(suite, name) suite##_##name##_Test
#define GTEST_TEST_(suite, name, parent)                                       \
  class GTEST_TEST_CLASS_NAME_(suite, name) : public parent {                  \
    void TestBody() override;                                                  \
  };                                                                           \
  void GTEST_TEST_CLASS_NAME_(suite, name)::TestBody()
#define GTEST_TEST(suite, name) GTEST_TEST_(suite, name, ::testing::Test)
#define TEST(suite, name) GTEST_TEST(suite, name)
#define TEST_F(fixture, name) GTEST_TEST_(fixture, name, fixture)
