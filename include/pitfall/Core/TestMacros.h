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
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"
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

/// `;`-separated glob patterns (`REQUIRE*;ASSERT_*`), matched against a
/// whole name.
class NameGlobs {
public:
  explicit NameGlobs(llvm::StringRef SemicolonSeparated);

  bool empty() const { return Patterns.empty(); }
  bool matches(llvm::StringRef Name) const;

private:
  /// The option's text: a GlobPattern refers into the pattern it was made
  /// from, so the patterns point into this copy (a heap buffer that a move
  /// or copy does not relocate), never into the caller's string.
  std::shared_ptr<const std::string> Text;
  std::vector<llvm::GlobPattern> Patterns;
};

/// `;`-separated glob patterns on macro names (`REQUIRE*;ASSERT_*`), and
/// which locations come from the expansion of a macro they match.
class MacroPatterns {
public:
  explicit MacroPatterns(llvm::StringRef SemicolonSeparated)
      : Globs(SemicolonSeparated) {}

  bool empty() const { return Globs.empty(); }
  /// True if \p Loc comes from the expansion of a matching macro, at any
  /// level of nesting (REQUIRE expands to INTERNAL_CATCH_TEST, TEST to
  /// GTEST_TEST_). With \p BodyOnly, a token the matching macro was given in
  /// its arguments does not count: it is the user's text, not the macro's.
  bool inExpansion(clang::SourceLocation Loc, const clang::SourceManager &SM,
                   bool BodyOnly = false) const;

private:
  NameGlobs Globs;
};

/// `;`-separated glob patterns on the path of a file (TestPaths,
/// ExamplePaths): a pattern without a `/` is matched against each
/// component of the path, the directories' names and the file's
/// (`tests`, `*_test.*`), one with a `/` against the whole path
/// (`*/src/testing/*`).
class PathPatterns {
public:
  explicit PathPatterns(llvm::StringRef SemicolonSeparated);

  bool empty() const { return Components.empty() && Whole.empty(); }
  bool matches(llvm::StringRef Path) const;
  /// True if the file \p Loc is in (its expansion location's: a function a
  /// macro defines belongs to the file the macro is used in) matches: the
  /// patterns with a `/` against its absolute path, the others against the
  /// components of its path below the project's root (the nearest
  /// directory holding `.git`, `.clang-tidy` or `compile_commands.json`; the
  /// whole path if none).
  bool containsLocation(clang::SourceLocation Loc,
                        const clang::SourceManager &SM) const;

private:
  bool matchesComponents(llvm::StringRef Path) const;

  NameGlobs Components, Whole;
  /// The project root of each directory asked about (shared by copies).
  std::shared_ptr<llvm::StringMap<std::string>> Roots;
};

/// Default value of the TestPaths option: the common conventions for the
/// place of tests, a directory `test`, `tests`, `unittest` or `unittests`,
/// a file `*_test.*`, `*_tests.*` or `test_*.*`.
inline constexpr const char *DefaultTestPaths =
    "test;tests;unittest;unittests;*_test.*;*_tests.*;test_*.*";

/// Default value of the ExamplePaths option: the common conventions for the
/// place of example, sample, demo, tutorial and benchmark programs.
inline constexpr const char *DefaultExamplePaths =
    "example;examples;sample;samples;sample_*;*_sample;*_samples;demo;demos;"
    "tutorial;tutorials;bench;benchmark;benchmarks";

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

/// The function \p FD is written in when it is a lambda's call operator
/// (walking out of nested lambdas), \p FD otherwise.
const clang::FunctionDecl *outsideLambdas(const clang::FunctionDecl *FD);

/// Which functions of a translation unit are test code: what a test runs
/// to check the code under test, not the code under test. A function (or a
/// lambda written in one) is test code if it is
///   * a test case's function (isTestCaseFunction);
///   * a member function of a test case's fixture class (TestFixtures);
///   * defined in the main file of a translation unit whose main file
///     defines a test case: a test file's helpers, handlers and servers;
///   * defined in a file of the TestPaths (a test of the project's own
///     framework, with no test case macro: a `tests/` directory).
/// One notion for every check: the checks decide which of their findings
/// test code makes dismissible.
class TestCode {
public:
  TestCode(llvm::StringRef TestCaseMacros, llvm::StringRef TestPaths)
      : TestCaseMacros(TestCaseMacros), TestPaths(TestPaths) {}

  /// Learns the test cases (and their fixtures) among \p Functions, the
  /// translation unit's function definitions.
  void addFunctions(llvm::ArrayRef<const clang::FunctionDecl *> Functions,
                    const clang::SourceManager &SM);
  bool contains(const clang::FunctionDecl *FD,
                const clang::SourceManager &SM) const;
  /// The narrow part of contains(): \p FD (or the function a lambda is
  /// written in) is a test case's function or a member of its fixture.
  bool isTestCase(const clang::FunctionDecl *FD,
                  const clang::SourceManager &SM) const;

private:
  MacroPatterns TestCaseMacros;
  PathPatterns TestPaths;
  TestFixtures Fixtures;
  bool MainFileDefinesTestCase = false;
};

} // namespace pitfall

#endif // PITFALL_CORE_TESTMACROS_H
