//===--- Throws.h - which calls may throw, and what kind of exception -----===//
//
// The flow graph adds an exceptional edge after every expression that may
// throw; this model decides which expressions those are and classifies the
// exception, so a check can tell a hazard that needs a user exception from
// one that needs the system to run out of memory:
//
//   User        a throw expression, or a call whose body (or unknown body)
//               may throw anything: the exceptions programs handle
//   Assertion   a test framework's failed assertion that throws (Catch2's and
//               doctest's REQUIRE, the AssertionMacros option)
//   Resource    allocation failure (std::bad_alloc from containers, strings,
//               make_shared, new) and system resource exhaustion
//               (std::system_error from starting a thread or taking a lock)
//   None        cannot throw in practice
//
// The order is User > Assertion > Resource > None: a call whose body throws
// both a user exception and bad_alloc is User.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_FLOW_THROWS_H
#define PITFALL_FLOW_THROWS_H

#include "pitfall/Core/NameList.h"
#include "pitfall/Core/TestMacros.h"

#include "clang/AST/Type.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace clang {
class ASTContext;
class CXXMethodDecl;
class CXXCatchStmt;
class CXXTryStmt;
class ParentMap;
class FunctionDecl;
class SourceManager;
class Stmt;
} // namespace clang

namespace pitfall {

enum class ThrowKind : uint8_t { None, Resource, Assertion, User };

/// "user exception", "test assertion", "allocation failure", "".
llvm::StringRef throwKindName(ThrowKind K);

/// The least kind of throw whose paths are reported, from the
/// `ReportThrowPaths` option's value (`all`, `user-exceptions`, `none`),
/// and back.
ThrowKind parseThrowPaths(llvm::StringRef Option);
llvm::StringRef throwPathsName(ThrowKind K);

/// True if \p S holds a throw expression (a rethrow included), the bodies
/// of lambdas excepted.
bool containsThrowExpr(const clang::Stmt *S);

class ThrowModel {
public:
  explicit ThrowModel(
      llvm::StringRef AssertionMacrosOption = DefaultAssertionMacros,
      llvm::StringRef TestCaseMacrosOption = DefaultTestCaseMacros);

  /// What evaluating \p S itself (not its operands) may throw: a throw
  /// expression, a call, a construction or a new-expression. A callee
  /// declared noexcept throws nothing; one whose body is in the translation
  /// unit throws what its body throws (followed through every level of
  /// calls; each body is read once per translation unit, see MaxBodies); a
  /// virtual call throws what the implementations the translation unit
  /// defines throw (virtualKind()); an unknown body throws User, unless
  /// it is a C function, a builtin, a destructor, a trivial or defaulted
  /// member, or a standard library operation that fails only by exhausting
  /// resources.
  ThrowKind classify(const clang::Stmt *S, const clang::ASTContext &Ctx);

  bool mayThrow(const clang::Stmt *S, const clang::ASTContext &Ctx) {
    return classify(S, Ctx) != ThrowKind::None;
  }

  /// Appends to \p Out the types of the user exceptions evaluating \p S may
  /// throw (what classify() calls User): a throw expression's exception
  /// object, and those of the throw expressions of the bodies it calls.
  /// False when they are not all known: a rethrow, a callee without a body
  /// or reached too deep, a virtual call.
  bool userExceptionTypes(const clang::Stmt *S, const clang::ASTContext &Ctx,
                          llvm::SmallVectorImpl<clang::QualType> &Out);

  /// True if a handler of \p Try may catch an exception object of type \p T
  /// ([except.handle]: `...`, the same type or an unambiguous public base
  /// class, cv-qualifiers and references aside, a pointer converted to the
  /// handler's by a qualification or derived-to-base conversion or to
  /// `void *`). Base classes are not checked for access or ambiguity: a
  /// handler is taken as catching more, never less.
  static bool catches(const clang::CXXTryStmt &Try, clang::QualType T,
                      const clang::ASTContext &Ctx);
  /// The same for the one handler \p H.
  static bool handlerCatches(const clang::CXXCatchStmt &H, clang::QualType T,
                             const clang::ASTContext &Ctx);

  /// True if the handler \p H ends the program with a failure on every
  /// path: its last statement calls exit, quick_exit, _Exit, abort or
  /// std::terminate, or (\p InMain: a handler of `main`) returns a non-zero
  /// constant (`return 1;`, `return EXIT_FAILURE;`), also in both branches
  /// of an `if`, and nothing else leaves it (another return, a throw or
  /// rethrow, a jump out). An exception such a handler catches fails the
  /// program whatever the state of the threads it leaves behind.
  static bool handlerEndsProgram(const clang::CXXCatchStmt &H, bool InMain,
                                 const clang::ASTContext &Ctx);

  /// What may reach the `catch` handlers of \p Try: the most the
  /// statements of its try block may throw (a nested `try` whose handler
  /// ends without rethrowing counts by its handlers).
  ThrowKind tryBlockKind(const clang::CXXTryStmt &Try,
                         const clang::ASTContext &Ctx);

  /// For \p S inside the `catch` handlers of `try` statements of the body
  /// \p PM was built on: the least, over those handlers, of what may reach
  /// them (tryBlockKind()); nullopt when \p S is in no handler (lambda
  /// bodies are functions of their own: the walk stops at a lambda). A
  /// handler reached only by ThrowKind::Resource runs only when the system
  /// ran out of memory or threads, or of another resource.
  std::optional<ThrowKind> handlerReach(const clang::Stmt *S,
                                        const clang::ParentMap &PM,
                                        const clang::ASTContext &Ctx);

  /// True if \p Loc is in the expansion of an AssertionMacros macro (a
  /// `return` there is a failed GoogleTest assertion leaving the test).
  bool inAssertionMacro(clang::SourceLocation Loc,
                        const clang::SourceManager &SM) const {
    return AssertionMacros.inExpansion(Loc, SM);
  }

  /// True if \p FD is a test case's function, defined by a TestCaseMacros
  /// macro: an exception leaving it fails the test (isTestCaseFunction).
  bool isTestCase(const clang::FunctionDecl *FD,
                  const clang::SourceManager &SM) const {
    return isTestCaseFunction(FD, TestCaseMacros, SM);
  }

  /// What calling \p FD may throw (as classify()).
  ThrowKind calleeKind(const clang::FunctionDecl *FD, bool Virtual,
                       const clang::ASTContext &Ctx);

  /// How many function bodies one translation unit reads, at most: every
  /// body is read once (its answer is cached), so the cost is linear in the
  /// code the calls reach; past the budget an unread body throws User.
  static constexpr unsigned MaxBodies = 20000;
  /// How many calls deep the bodies are followed from one question, at most
  /// (the walk recurses: this bounds its stack); deeper, User.
  static constexpr unsigned MaxNesting = 64;

  /// Forgets cached answers (at the end of a translation unit).
  void clear() {
    Cache.clear();
    TypeCache.clear();
    BodiesRead = 0;
    Overrides.reset();
  }
  /// How many bodies have been read since the last clear().
  unsigned bodiesRead() const { return BodiesRead; }

private:
  ThrowKind classify(const clang::Stmt *S, const clang::ASTContext &Ctx,
                     unsigned Depth);
  ThrowKind calleeKind(const clang::FunctionDecl *FD, bool Virtual,
                       const clang::ASTContext &Ctx, unsigned Depth);
  ThrowKind bodyKind(const clang::Stmt *Body, const clang::ASTContext &Ctx,
                     unsigned Depth);
  /// What a virtual call of \p M may throw: the most of what \p M's own
  /// body (unless it is pure) and every override of it declared in the
  /// translation unit throw; User for a pure function without a visible
  /// override (the implementation is elsewhere), and for an override
  /// declared without a body.
  ThrowKind virtualKind(const clang::CXXMethodDecl *M,
                        const clang::ASTContext &Ctx, unsigned Depth);

  bool userExceptionTypes(const clang::Stmt *S, const clang::ASTContext &Ctx,
                          llvm::SmallVectorImpl<clang::QualType> &Out,
                          unsigned Depth);
  /// What a body's user exceptions are (userExceptionTypes()), or nullopt
  /// when not all are known.
  std::optional<llvm::SmallVector<clang::QualType, 2>>
  bodyExceptionTypes(const clang::FunctionDecl *Def,
                     const clang::ASTContext &Ctx, unsigned Depth);

  MacroPatterns AssertionMacros;
  MacroPatterns TestCaseMacros;
  llvm::DenseMap<const clang::FunctionDecl *, ThrowKind> Cache;
  llvm::DenseMap<const clang::FunctionDecl *,
                 std::optional<llvm::SmallVector<clang::QualType, 2>>>
      TypeCache;
  unsigned BodiesRead = 0;
  /// The methods of the translation unit that directly override each
  /// virtual method (canonical declarations), built on the first virtual
  /// call.
  std::optional<
      llvm::DenseMap<const clang::CXXMethodDecl *,
                     llvm::SmallVector<const clang::CXXMethodDecl *, 2>>>
      Overrides;
};

} // namespace pitfall

#endif // PITFALL_FLOW_THROWS_H
