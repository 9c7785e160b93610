//===--- UserDefinitions.cpp ----------------------------------------------===//
#include "pitfall/Core/UserDefinitions.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace pitfall {
namespace {

class Collector : public RecursiveASTVisitor<Collector> {
  using Base = RecursiveASTVisitor<Collector>;

public:
  Collector(const SourceManager &SM, std::vector<UserDefinition> &Out)
      : SM(SM), Out(Out) {}

  // The match finder's traversal (MatchASTVisitor): the same nodes. The
  // finder traverses a lambda's class and then its body itself; here the
  // body is traversed with the class's call operator.
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }
  bool shouldVisitLambdaBody() const { return true; }

  // A node is recorded before its children are traversed, as the match
  // finder matches it: for statements when they are queued, which is the
  // finder's order too.
  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    if (inSystemHeader(D->getBeginLoc())) {
      if (!instantiatedFromUserPattern(D))
        return true;
    } else {
      record(D);
    }
    if (!Base::TraverseDecl(D))
      return false;
    if (auto *Partial = dyn_cast<ClassTemplatePartialSpecializationDecl>(D))
      return traverseInstantiationsOf(Partial);
    return true;
  }

  bool TraverseStmt(Stmt *S, DataRecursionQueue *Queue = nullptr) {
    if (const auto *L = dyn_cast_or_null<LambdaExpr>(S))
      if (!inSystemHeader(L->getBeginLoc()))
        Out.push_back(L);
    return Base::TraverseStmt(S, Queue);
  }

private:
  bool inSystemHeader(SourceLocation Loc) const {
    SourceLocation Expansion = SM.getExpansionLoc(Loc);
    return Expansion.isValid() && SM.isInSystemHeader(Expansion);
  }

  /// An instantiation of a system template whose members come from the
  /// user's partial specialization: the instantiation is located at the
  /// primary template, its members at the user's pattern.
  bool instantiatedFromUserPattern(const Decl *D) const {
    const auto *RD = dyn_cast<CXXRecordDecl>(D);
    if (!RD)
      return false;
    const CXXRecordDecl *Pattern = RD->getTemplateInstantiationPattern();
    return Pattern && !inSystemHeader(Pattern->getBeginLoc());
  }

  /// The match finder reaches the instantiations of a system template
  /// through the template, which is not entered here: those instantiated
  /// from the user's partial specialization \p Partial are traversed after
  /// it instead.
  bool traverseInstantiationsOf(ClassTemplatePartialSpecializationDecl *P) {
    ClassTemplateDecl *Primary = P->getSpecializedTemplate();
    if (!Primary || !inSystemHeader(Primary->getBeginLoc()))
      return true; // the finder's order: reached through the template
    for (ClassTemplateSpecializationDecl *Spec : Primary->specializations()) {
      switch (Spec->getSpecializationKind()) {
      case TSK_Undeclared:
      case TSK_ImplicitInstantiation: {
        auto From = Spec->getSpecializedTemplateOrPartial();
        if (dyn_cast_if_present<ClassTemplatePartialSpecializationDecl *>(
                From) == P &&
            !TraverseDecl(Spec))
          return false;
        break;
      }
      default:
        break; // declared, and traversed, where it is written
      }
    }
    return true;
  }

  void record(const Decl *D) {
    if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
      if (FD->isThisDeclarationADefinition())
        Out.push_back(FD);
    } else if (const auto *Field = dyn_cast<FieldDecl>(D)) {
      if (Field->getInClassInitializer())
        Out.push_back(Field);
    } else if (const auto *Var = dyn_cast<VarDecl>(D)) {
      if (Var->hasGlobalStorage() && !Var->isStaticLocal() &&
          Var->getAnyInitializer())
        Out.push_back(Var);
    }
  }

  const SourceManager &SM;
  std::vector<UserDefinition> &Out;
};

} // namespace

std::vector<UserDefinition> collectUserDefinitions(ASTContext &Ctx) {
  std::vector<UserDefinition> Out;
  // TraverseAST() honours a limited traversal scope (clangd's) as the
  // finder does.
  Collector(Ctx.getSourceManager(), Out).TraverseAST(Ctx);
  return Out;
}

} // namespace pitfall
