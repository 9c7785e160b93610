//===--- TestMacros.h - test frameworks' throw expectations ---------------===//
//
// Test frameworks check that a statement throws with a macro or a function
// named so (EXPECT_THROW, BOOST_CHECK_THROW, REQUIRE_THROWS_AS,
// assert_throws<E>(...)): a call made inside one is made to see it throw,
// not for its result. Recognised by how the name reads, so a project's own
// helper named the same way counts too.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_TESTMACROS_H
#define PITFALL_CORE_TESTMACROS_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/StringRef.h"

namespace clang {
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

} // namespace pitfall

#endif // PITFALL_CORE_TESTMACROS_H
