//===--- CheckList.cpp ----------------------------------------------------===//
#include "pitfall/CheckList.h"

#include <string>

namespace pitfall {

llvm::ArrayRef<CheckInfo> allChecks() {
  static const CheckInfo Checks[] = {
#define PITFALL_CHECK(Class, Name, Hazard, Analyzer) {Name, Hazard, Analyzer},
#include "pitfall/Checks.def"
  };
  return Checks;
}

std::string checkDocPath(const CheckInfo &Info) {
  return "docs/checks/" + Info.docStem().str() + ".md";
}

} // namespace pitfall
