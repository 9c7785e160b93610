//===--- NameList.cpp -----------------------------------------------------===//
#include "pitfall/Core/NameList.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace pitfall {

NameList::NameList(llvm::StringRef List) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  List.split(Parts, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    if (!P.empty())
      Patterns.push_back(P.str());
  }
}

std::string NameList::str() const {
  std::string Out;
  for (const std::string &P : Patterns) {
    if (!Out.empty())
      Out += ';';
    Out += P;
  }
  return Out;
}

llvm::SmallVector<llvm::StringRef, 4> qualifiedComponents(const NamedDecl *D) {
  llvm::SmallVector<llvm::StringRef, 4> Rev;
  if (!D)
    return Rev;
  if (const IdentifierInfo *II = D->getIdentifier())
    Rev.push_back(II->getName());
  else
    Rev.push_back("");
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Rev.push_back(NS->getName());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (const IdentifierInfo *II = RD->getIdentifier())
        Rev.push_back(II->getName());
    } else if (isa<TranslationUnitDecl>(DC)) {
      break;
    }
    // Functions, linkage specs and other contexts are transparent.
  }
  std::reverse(Rev.begin(), Rev.end());
  return Rev;
}

static bool matchPattern(llvm::StringRef Pattern,
                         llvm::ArrayRef<llvm::StringRef> Components) {
  bool Anchored = Pattern.consume_front("::");
  llvm::SmallVector<llvm::StringRef, 4> Want;
  Pattern.split(Want, "::");
  if (Want.size() > Components.size())
    return false;
  if (Anchored && Want.size() != Components.size())
    return false;
  llvm::ArrayRef<llvm::StringRef> Tail = Components.take_back(Want.size());
  return llvm::equal(Want, Tail);
}

bool NameList::matches(const NamedDecl *D) const {
  if (!D || Patterns.empty())
    return false;
  auto Components = qualifiedComponents(D);
  return llvm::any_of(Patterns, [&](const std::string &P) {
    return matchPattern(P, Components);
  });
}

bool NameList::matchesLastComponent(llvm::StringRef Name) const {
  return llvm::any_of(Patterns, [&](llvm::StringRef P) {
    size_t Pos = P.rfind("::");
    llvm::StringRef Last = Pos == llvm::StringRef::npos ? P : P.substr(Pos + 2);
    return Last == Name;
  });
}

const CXXRecordDecl *recordOf(QualType T, bool ThroughPointers) {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (ThroughPointers) {
    while (const auto *PT = T->getAs<PointerType>())
      T = PT->getPointeeType();
  }
  T = T.getCanonicalType();
  if (const auto *RD = T->getAsCXXRecordDecl())
    return RD;
  // A dependent specialization, or one whose arguments are deduced per
  // instantiation (`std::scoped_lock lock(m)` in a template): use the
  // primary template's pattern.
  const TemplateDecl *Template = nullptr;
  if (const auto *TST = T->getAs<TemplateSpecializationType>())
    Template = TST->getTemplateName().getAsTemplateDecl();
  else if (const auto *DT = T->getAs<DeducedTemplateSpecializationType>())
    Template = DT->getTemplateName().getAsTemplateDecl();
  if (const auto *TD = dyn_cast_or_null<ClassTemplateDecl>(Template))
    return TD->getTemplatedDecl();
  return nullptr;
}

} // namespace pitfall
