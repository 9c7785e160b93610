// RUN: %check_tidy %s pitfall-unjoined-thread -- -std=c++20
// XFAIL: *
// Known false positive (asio's chat_client.cpp and futures/daytime_client.cpp
// examples): stream input and output throw only when the stream's
// exceptions() mask asks for it, which it does not by default; the throw
// model treats std::getline, operator>> and operator<< (here: in the handler
// of a helper that otherwise catches its errors) as throwing. Fix needed in
// lib/Core/CFGUtil.cpp's isPracticallyNothrowStd: basic_istream /
// basic_ostream members and the std stream operators and manipulators.
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
