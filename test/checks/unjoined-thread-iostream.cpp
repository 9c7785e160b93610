// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
// Seen in asio's chat_client.cpp and futures/daytime_client.cpp examples:
// stream input and output throw only when the stream's exceptions() mask asks
// for it, which it does not by default; members of the std stream classes and
// the std functions taking a stream (operator<<, operator>>, getline,
// manipulators) are taken not to throw. Other calls in the handler still may.
#include <iostream>
#include <string>
#include <system_error>
#include <thread>

void fetch(const char *host) {
  try {
    if (!host)
      throw std::system_error(std::make_error_code(std::errc::invalid_argument));
  } catch (std::system_error &e) {
    std::cerr << e.what() << std::endl;
  }
}

void readLines() {
  std::thread t([] {});
  std::string line;
  while (std::getline(std::cin, line))
    ;
  t.join();
}

void helperCatches(const char *host) {
  std::thread t([] {});
  fetch(host);
  t.join();
}

std::string parse(const std::string &s); // elsewhere; may throw

void parseLines() {
  std::thread t([] {}); // CHECK-NOTE: thread 't' started here
  // CHECK-FIX@-1: std::jthread t([] {});
  std::string line;
  while (std::getline(std::cin, line))
    std::cout << parse(line) << '\n'; // CHECK-WARN: thread 't' is destroyed while joinable (std::terminate is called) if this call throws
  t.join();
}
