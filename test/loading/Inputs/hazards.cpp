#include <thread>
struct Chan {
  void send(int);
  void close();
};
void work();
void send_after_close(Chan &ch) {
  ch.send(1);
  ch.close();
  ch.send(2);
}
void unjoined(bool c) {
  std::thread t(work);
  if (c) t.join();
}
