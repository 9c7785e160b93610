//===--- TestMacros.cpp - test frameworks' throw expectations -------------===//
#include "pitfall/Core/TestMacros.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

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

NameGlobs::NameGlobs(llvm::StringRef SemicolonSeparated)
    : Text(std::make_shared<const std::string>(SemicolonSeparated.str())) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  llvm::StringRef(*Text).split(Parts, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts) {
    if (P.trim().empty())
      continue;
    llvm::Expected<llvm::GlobPattern> G = llvm::GlobPattern::create(P.trim());
    if (G)
      Patterns.push_back(std::move(*G));
    else
      llvm::consumeError(G.takeError());
  }
}

bool NameGlobs::matches(llvm::StringRef Name) const {
  return llvm::any_of(
      Patterns, [&](const llvm::GlobPattern &G) { return G.match(Name); });
}

bool MacroPatterns::inExpansion(SourceLocation Loc, const SourceManager &SM,
                                bool BodyOnly) const {
  if (!Loc.isMacroID() || Globs.empty())
    return false;
  // Walk out through the macro expansions; any of them may be the test
  // framework's (REQUIRE expands to INTERNAL_CATCH_TEST, ...).
  for (unsigned Depth = 0; Loc.isMacroID() && Depth != 16; ++Depth) {
    if (!BodyOnly || !SM.isMacroArgExpansion(Loc)) {
      if (Globs.matches(Lexer::getImmediateMacroName(Loc, SM, LangOptions())))
        return true;
    }
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

/// The patterns of \p SemicolonSeparated with a `/` (\p WithSlash) or
/// without.
static std::string pathPatterns(llvm::StringRef SemicolonSeparated,
                                bool WithSlash) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  SemicolonSeparated.split(Parts, ';', -1, /*KeepEmpty=*/false);
  std::string Out;
  for (llvm::StringRef P : Parts)
    if (P.contains('/') == WithSlash)
      Out += (P + ";").str();
  return Out;
}

PathPatterns::PathPatterns(llvm::StringRef SemicolonSeparated)
    : Components(pathPatterns(SemicolonSeparated, false)),
      Whole(pathPatterns(SemicolonSeparated, true)),
      Roots(std::make_shared<llvm::StringMap<std::string>>()) {}

bool PathPatterns::matches(llvm::StringRef Path) const {
  return Whole.matches(Path) || matchesComponents(Path);
}

bool PathPatterns::matchesComponents(llvm::StringRef Path) const {
  llvm::SmallVector<llvm::StringRef, 16> Parts;
  Path.split(Parts, '/', -1, /*KeepEmpty=*/false);
  return llvm::any_of(Parts,
                      [&](llvm::StringRef C) { return Components.matches(C); });
}

/// The root of the project \p Dir is in: the nearest of its ancestors (or
/// itself) that holds `.git` (a repository or submodule), `.clang-tidy`
/// (the configuration clang-tidy and pitfall read for it) or
/// `compile_commands.json` (where clangd finds the project's commands);
/// empty if none.
static llvm::StringRef projectRoot(llvm::StringRef Dir,
                                   llvm::vfs::FileSystem &FS,
                                   llvm::StringMap<std::string> &Cache) {
  auto Known = Cache.find(Dir);
  if (Known != Cache.end())
    return Known->second;
  std::string Root;
  for (llvm::StringRef D = Dir; !D.empty();
       D = llvm::sys::path::parent_path(D)) {
    bool Marked = llvm::any_of(
        std::initializer_list<llvm::StringRef>{".git", ".clang-tidy",
                                               "compile_commands.json"},
        [&](llvm::StringRef Marker) {
          llvm::SmallString<256> P(D);
          llvm::sys::path::append(P, Marker);
          return FS.exists(P);
        });
    if (Marked) {
      Root = D.str();
      break;
    }
  }
  return Cache.try_emplace(Dir, std::move(Root)).first->second;
}

bool PathPatterns::containsLocation(SourceLocation Loc,
                                    const SourceManager &SM) const {
  if (empty() || Loc.isInvalid())
    return false;
  FileID File = SM.getFileID(SM.getExpansionLoc(Loc));
  OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
  if (!Entry)
    return false;
  // `examples/../src/server.h`, as an include spelled `../src/server.h`
  // names it, is not in examples/.
  llvm::SmallString<256> Path(Entry->getName());
  SM.getFileManager().makeAbsolutePath(Path);
  llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  if (Whole.matches(Path))
    return true;
  // The components below the project's root: a checkout under a directory
  // named `test` or `examples` (a CI runner's, pitfall's own example
  // project) is not test or example code as a whole.
  llvm::StringRef Root =
      projectRoot(llvm::sys::path::parent_path(Path),
                  SM.getFileManager().getVirtualFileSystem(), *Roots);
  llvm::StringRef Below = Path;
  if (!Root.empty() && Below.consume_front(Root))
    Below = Below.ltrim('/');
  return matchesComponents(Below);
}

bool isTestCaseFunction(const FunctionDecl *FD,
                        const MacroPatterns &TestCaseMacros,
                        const SourceManager &SM) {
  return FD && FD->doesThisDeclarationHaveABody() &&
         TestCaseMacros.inExpansion(FD->getLocation(), SM, /*BodyOnly=*/true);
}

void TestFixtures::add(const CXXRecordDecl *RD, const SourceManager &SM,
                       unsigned Depth) {
  if (!RD || Depth > 8)
    return;
  RD = RD->getCanonicalDecl();
  if (SM.isInSystemHeader(SM.getExpansionLoc(RD->getLocation())) ||
      !Fixtures.insert(RD).second)
    return;
  if (const CXXRecordDecl *Def = RD->getDefinition())
    for (const CXXBaseSpecifier &B : Def->bases())
      add(B.getType()->getAsCXXRecordDecl(), SM, Depth + 1);
}

void TestFixtures::addTestCase(const FunctionDecl *TestCase,
                               const SourceManager &SM) {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(TestCase);
  const CXXRecordDecl *Test = M ? M->getParent() : nullptr;
  if (!Test || !Test->hasDefinition())
    return;
  for (const CXXBaseSpecifier &B : Test->getDefinition()->bases()) {
    // Named by the user in the test macro's arguments: spelled in the file
    // the macro is expanded in, not in the framework's macro definition.
    SourceLocation Loc = B.getTypeSourceInfo()->getTypeLoc().getBeginLoc();
    if (!Loc.isMacroID() || SM.getFileID(SM.getSpellingLoc(Loc)) !=
                                SM.getFileID(SM.getExpansionLoc(Loc)))
      continue;
    add(B.getType()->getAsCXXRecordDecl(), SM, 0);
  }
}

bool TestFixtures::isFixtureMember(const FunctionDecl *FD) const {
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD);
  const CXXRecordDecl *RD = M ? M->getParent() : nullptr;
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD))
    RD = Spec->getSpecializedTemplate()->getTemplatedDecl();
  return RD && Fixtures.contains(RD->getCanonicalDecl());
}

const FunctionDecl *outsideLambdas(const FunctionDecl *FD) {
  while (const auto *M = dyn_cast_or_null<CXXMethodDecl>(FD)) {
    const auto *Enclosing =
        dyn_cast<FunctionDecl>(M->getParent()->getDeclContext());
    if (!M->getParent()->isLambda() || !Enclosing)
      break;
    FD = Enclosing;
  }
  return FD;
}

void TestCode::addFunctions(llvm::ArrayRef<const FunctionDecl *> Functions,
                            const SourceManager &SM) {
  for (const FunctionDecl *FD : Functions) {
    if (!isTestCaseFunction(FD, TestCaseMacros, SM))
      continue;
    Fixtures.addTestCase(FD, SM);
    MainFileDefinesTestCase |=
        SM.isInMainFile(SM.getExpansionLoc(FD->getLocation()));
  }
}

bool TestCode::isTestCase(const FunctionDecl *FD,
                          const SourceManager &SM) const {
  FD = outsideLambdas(FD);
  return FD && (isTestCaseFunction(FD, TestCaseMacros, SM) ||
                Fixtures.isFixtureMember(FD));
}

bool TestCode::contains(const FunctionDecl *FD, const SourceManager &SM) const {
  FD = outsideLambdas(FD);
  if (!FD)
    return false;
  if (isTestCase(FD, SM))
    return true;
  SourceLocation Loc = FD->getLocation();
  return (MainFileDefinesTestCase &&
          SM.isInMainFile(SM.getExpansionLoc(Loc))) ||
         TestPaths.containsLocation(Loc, SM);
}

} // namespace pitfall
