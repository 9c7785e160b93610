// The shape of Boost.Test's test cases: BOOST_AUTO_TEST_CASE and
// BOOST_FIXTURE_TEST_CASE declare a struct whose test_method() the user's
// block after the macro defines.
namespace boost::unit_test {
struct nil_t {};
} // namespace boost::unit_test

#define BOOST_AUTO_TEST_CASE_FIXTURE ::boost::unit_test::nil_t
#define BOOST_FIXTURE_TEST_CASE_WITH_DECOR(name, fixture, decorators)          \
  struct name : public fixture {                                               \
    void test_method();                                                        \
  };                                                                           \
  void name::test_method()
#define BOOST_FIXTURE_TEST_CASE(name, fixture)                                 \
  BOOST_FIXTURE_TEST_CASE_WITH_DECOR(name, fixture, 0)
#define BOOST_AUTO_TEST_CASE(name)                                             \
  BOOST_FIXTURE_TEST_CASE(name, BOOST_AUTO_TEST_CASE_FIXTURE)
