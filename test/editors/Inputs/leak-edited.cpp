#include <system_error>
#include <thread>
std::error_code save();
void work();
void leak() {
  std::jthread t(work);
}
void drop() {
  save();
}
int unchanged() {
  int x = 1; // misc-const-correctness (slow in clangd's table): not run
  return x;
}
