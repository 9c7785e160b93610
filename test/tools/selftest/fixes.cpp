// Self-test of check-tidy.py's fix-it assertions, using a built-in check.
// RUN: %check_tidy %s readability-braces-around-statements
// A CHECK-FIX that does not match the fixed file fails:
// RUN: sed 's/CHECK-FIX: if (x) {$/CHECK-FIX: if (x) {}/' %s > %t.badfix.cpp
// RUN: not %check_tidy %t.badfix.cpp readability-braces-around-statements
// A fix that no CHECK-FIX describes fails:
// RUN: grep -v 'CHECK-FIX' %s > %t.nofix.cpp
// RUN: not %check_tidy %t.nofix.cpp readability-braces-around-statements
int g();
void f(int x) {
  // CHECK-WARN@+1: statement should be inside braces
  if (x)
    g();
  // CHECK-FIX: if (x) {
  // CHECK-FIX: g();
  // CHECK-FIX: }
}
