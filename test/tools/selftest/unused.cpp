// Self-test of check-tidy.py, using a compiler diagnostic so that it does not
// depend on any pitfall check (clang-tidy runs compiler warnings only when
// some check is enabled: llvm-namespace-comment, silent here, is that check). The passing run proves annotations match; the
// `not` runs prove the runner fails on a missing, an unexpected and a wrong
// diagnostic.
// RUN: %check_tidy %s clang-diagnostic-unused-variable,llvm-namespace-comment -- -Wunused-variable
// RUN: sed 's/CHECK-WARN: unused variable .x./CHECK-WARN: unused variable (x)/' %s > %t.wrong.cpp
// RUN: not %check_tidy %t.wrong.cpp clang-diagnostic-unused-variable,llvm-namespace-comment -- -Wunused-variable
// RUN: sed 's|// CHECK-WARN: unused variable .y.||' %s > %t.missing.cpp
// RUN: not %check_tidy %t.missing.cpp clang-diagnostic-unused-variable,llvm-namespace-comment -- -Wunused-variable
// RUN: sed 's|int z = 0;|int z = 0; // CHECK-WARN: unused variable {{.}}z{{.}}|' %s > %t.extra.cpp
// RUN: not %check_tidy %t.extra.cpp clang-diagnostic-unused-variable,llvm-namespace-comment -- -Wunused-variable

void f() {
  int x = 0; // CHECK-WARN: unused variable 'x'
  // CHECK-WARN: unused variable 'y'
  int y = 1;
  int z = 0;
  (void)z;
}
