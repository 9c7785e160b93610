#include <thread>
void work();
void leak() {
  std::thread t(work);
}
