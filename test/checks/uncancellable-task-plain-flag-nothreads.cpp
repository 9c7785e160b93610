// RUN: %check_tidy %s pitfall-uncancellable-task -- -std=c++20
// A translation unit that starts no thread: a flag set by another function
// is ordinary single-threaded state (an event loop's quit flag).
void process_events();

struct App {
  bool quit = false;
  void run() {
    while (!quit)
      process_events();
  }
  void on_close() { quit = true; }
};
