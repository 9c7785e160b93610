//===--- NameList.h - configurable lists of qualified names ---------------===//
//
// Options such as ThreadTypes or EscapeFunctions are semicolon-separated
// lists of names. A name with a leading "::" is fully qualified; without it,
// it matches any enclosing scope ending in the given components, so "Pool"
// matches ::app::Pool and "detail::run" matches ::x::detail::run. Inline
// namespaces (std::__1, std::__cxx11) are transparent.
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_NAMELIST_H
#define PITFALL_CORE_NAMELIST_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace clang {
class NamedDecl;
class QualType;
class CXXRecordDecl;
} // namespace clang

namespace pitfall {

class NameList {
public:
  NameList() = default;
  /// Parses "a;::b::c; d " (whitespace around entries is ignored).
  explicit NameList(llvm::StringRef SemicolonSeparated);

  bool empty() const { return Patterns.empty(); }
  /// True if \p D's qualified name matches any pattern.
  bool matches(const clang::NamedDecl *D) const;
  /// True if any pattern matches the plain identifier \p Name (patterns are
  /// compared by their last component only).
  bool matchesLastComponent(llvm::StringRef Name) const;
  /// The patterns as written, for hasAnyName() and for storeOptions().
  const std::vector<std::string> &patterns() const { return Patterns; }
  /// The list joined back with ';'.
  std::string str() const;

private:
  std::vector<std::string> Patterns;
};

/// Splits a qualified name into its scope components, skipping inline and
/// anonymous namespaces: std::__cxx11::basic_string -> {std, basic_string}.
llvm::SmallVector<llvm::StringRef, 4>
qualifiedComponents(const clang::NamedDecl *D);

/// The class behind \p T (through references, pointers if \p ThroughPointers,
/// typedefs, elaborations and template specializations), or null.
const clang::CXXRecordDecl *recordOf(clang::QualType T,
                                     bool ThroughPointers = false);

} // namespace pitfall

#endif
