// RUN: %check_tidy %s pitfall-lock-order-inversion -- -std=c++20
// A program that starts no thread cannot deadlock on lock order: both orders
// of the pair are taken, on the one thread there is.
#include <mutex>

std::mutex a, b;
int shared = 0;

void ab() {
  std::lock_guard<std::mutex> la(a);
  std::lock_guard<std::mutex> lb(b);
  ++shared;
}

void ba() {
  std::lock_guard<std::mutex> lb(b);
  std::lock_guard<std::mutex> la(a);
  --shared;
}

int main() {
  ab();
  ba();
  return shared;
}
