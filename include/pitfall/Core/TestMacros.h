//===--- TestMacros.h - test frameworks' throw expectations ---------------===//
//
// Test frameworks check that a statement throws with a macro or a function
// named so (EXPECT_THROW, BOOST_CHECK_THROW, REQUIRE_THROWS_AS,
// assert_throws<E>(...)): a call made inside one is made to see it throw,
// not for its result. Recognised by how the name reads, so a project's own
// helper named the same way counts too.
//
// Their assertions (REQUIRE, ASSERT_TRUE) and test cases (TEST,
// BOOST_AUTO_TEST_CASE) are macros too, recognised by glob patterns on the
// names of the macros a location is expanded from (MacroPatterns).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_TESTMACROS_H
#define PITFALL_CORE_TESTMACROS_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/GlobPattern.h"

#include <memory>
#include <string>
#include <vector>

namespace clang {
class CXXRecordDecl;
class FunctionDecl;
class LangOptions;
class SourceManager;
} // namespace clang

namespace pitfall {

/// How a function or macro name reads: as checking that its argument throws
/// (assert_throws, EXPECT_THROW, BOOST_CHECK_THROW, REQUIRE_THROWS_AS), as
/// checking that it does not (EXPECT_NO_THROW, CHECK_NOTHROW,
/// assert_does_not_throw), or neither.
enum class ThrowExpectation { None, Throws, NoThrow };
ThrowExpectation throwExpectation(llvm::StringRef Name);

/// True if \p Loc is spelled in the argument of a macro that checks that the
/// argument throws (EXPECT_THROW(stmt, E)), and of no macro that checks it
/// does not.
bool inExpectThrowMacroArgument(clang::SourceLocation Loc,
                                const clang::SourceManager &SM,
                                const clang::LangOptions &LangOpts);

/// `;`-separated glob patterns on macro names (`REQUIRE*;ASSERT_*`), and
/// which locations come from the expansion of a macro they match.
class MacroPatterns {
public:
  explicit MacroPatterns(llvm::StringRef SemicolonSeparated);

  bool empty() const { return Patterns.empty(); }
  /// True if \p Loc comes from the expansion of a matching macro, at any
  /// level of nesting (REQUIRE expands to INTERNAL_CATCH_TEST, TEST to
  /// GTEST_TEST_). With \p BodyOnly, a token the matching macro was given in
  /// its arguments does not count: it is the user's text, not the macro's.
  bool inExpansion(clang::SourceLocation Loc, const clang::SourceManager &SM,
                   bool BodyOnly = false) const;

private:
  /// The option's text: a GlobPattern refers into the pattern it was made
  /// from, so the patterns point into this copy (a heap buffer that a move
  /// or copy does not relocate), never into the caller's string.
  std::shared_ptr<const std::string> Text;
  std::vector<llvm::GlobPattern> Patterns;
};

/// Default value of the AssertionMacros option: test-framework macros whose
/// failure ends the test, by throwing (Catch2's and doctest's REQUIRE and
/// FAIL) or by returning from the test function (GoogleTest's ASSERT_* and
/// FAIL); glob patterns on the macro name.
inline constexpr const char *DefaultAssertionMacros =
    "REQUIRE*;CATCH_REQUIRE*;DOCTEST_REQUIRE*;FAIL;CATCH_FAIL;DOCTEST_FAIL;"
    "ASSERT_*;GTEST_ASSERT_*;GTEST_FAIL";

/// Default value of the TestCaseMacros option: the macros with which test
/// frameworks define a test case's function, whose body the user writes
/// after the macro: GoogleTest's TEST, TEST_F, TEST_P, TYPED_TEST(_P),
/// Catch2's and doctest's TEST_CASE, TEST_CASE_METHOD, SCENARIO (and
/// their CATCH_ / DOCTEST_ forms), Boost.Test's BOOST_AUTO_TEST_CASE,
/// BOOST_FIXTURE_TEST_CASE, BOOST_DATA_TEST_CASE.
inline constexpr const char *DefaultTestCaseMacros =
    "TEST;TEST_F;TEST_P;TYPED_TEST;TYPED_TEST_P;GTEST_TEST;*TEST_CASE*;"
    "SCENARIO;CATCH_SCENARIO;DOCTEST_SCENARIO";

/// True if \p FD is the function of a test case: its name is spelled by a
/// \p TestCaseMacros macro (`TEST(Suite, Name) { ... }` defines
/// `Suite_Name_Test::TestBody()`, BOOST_AUTO_TEST_CASE a `test_method()`,
/// Catch2's TEST_CASE a static function). An exception that leaves it is
/// caught by the framework and fails the test.
bool isTestCaseFunction(const clang::FunctionDecl *FD,
                        const MacroPatterns &TestCaseMacros,
                        const clang::SourceManager &SM);

/// The fixture classes of a translation unit's test cases, and which
/// functions are their members.
class TestFixtures {
public:
  /// Adds the fixture classes of \p TestCase, a test case's function
  /// (isTestCaseFunction) that is a member of the class the test macro
  /// declares: the bases of that class the user named in the macro's
  /// arguments (`TEST_F(DBTest, Put)` declares `class DBTest_Put_Test :
  /// public DBTest`; `TEST(Suite, Name)`'s `::testing::Test` is spelled by
  /// the framework's macro, not by the user), and their bases in turn,
  /// except classes declared in system headers (the framework's own).
  void addTestCase(const clang::FunctionDecl *TestCase,
                   const clang::SourceManager &SM);
  /// True if \p FD is a member function of a fixture class (of a class
  /// template's specialization whose template is one).
  bool isFixtureMember(const clang::FunctionDecl *FD) const;
  void clear() { Fixtures.clear(); }

private:
  void add(const clang::CXXRecordDecl *RD, const clang::SourceManager &SM,
           unsigned Depth);
  llvm::SmallPtrSet<const clang::CXXRecordDecl *, 4> Fixtures;
};

} // namespace pitfall

#endif // PITFALL_CORE_TESTMACROS_H
