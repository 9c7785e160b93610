//===--- TestMacros.cpp - test frameworks' throw expectations -------------===//
#include "pitfall/Core/TestMacros.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace pitfall {

ThrowExpectation throwExpectation(llvm::StringRef Name) {
  if (!Name.contains_insensitive("throw"))
    return ThrowExpectation::None;
  llvm::SmallString<64> Folded;
  for (char C : Name)
    if (C != '_')
      Folded.push_back(llvm::toLower(C));
  llvm::StringRef F = Folded;
  if (F.contains("nothrow") || F.contains("notthrow"))
    return ThrowExpectation::NoThrow;
  return ThrowExpectation::Throws;
}

bool inExpectThrowMacroArgument(SourceLocation Loc, const SourceManager &SM,
                                const LangOptions &LangOpts) {
  bool Throws = false;
  for (; Loc.isMacroID(); Loc = SM.getImmediateMacroCallerLoc(Loc)) {
    if (!SM.isMacroArgExpansion(Loc))
      continue;
    switch (throwExpectation(Lexer::getImmediateMacroName(Loc, SM, LangOpts))) {
    case ThrowExpectation::NoThrow:
      return false;
    case ThrowExpectation::Throws:
      Throws = true;
      break;
    case ThrowExpectation::None:
      break;
    }
  }
  return Throws;
}

} // namespace pitfall
