// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++17
// std::to_chars of an integer fails only with std::errc::value_too_large:
// into a buffer whose size the types and constants give, and that holds
// every value of the integer's type in the base (its digits, and a sign if
// it is signed), it cannot fail, and an unread error drops nothing. A
// floating-point value, a buffer too small, one of unknown size, or a base
// that is not a constant (counted as 2, the longest) stay reported.
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

struct Response {
  char buf_[32];
  std::string_view length(std::size_t n) {
    // 20 digits for any 64-bit unsigned value.
    auto [ptr, ec] = std::to_chars(buf_, buf_ + 32, n);
    return std::string_view(buf_, ptr - buf_);
  }
};

std::string_view decimal(char (&out)[24], long long v) {
  // 19 digits and a sign.
  auto [ptr, ec] = std::to_chars(out, out + sizeof out, v);
  return std::string_view(out, ptr - out);
}

std::size_t hex(std::string &s, std::size_t n) {
  s.resize(20);
  // 16 hexadecimal digits.
  auto [ptr, ec] = std::to_chars(s.data(), s.data() + 20, n, 16);
  return static_cast<std::size_t>(ptr - s.data());
}

char *chunkHeader(std::array<char, 24> &buffer, std::size_t n) {
  // 24 - 4 = 20 characters between the offsets.
  auto [ptr, ec] =
      std::to_chars(buffer.data() + 2, buffer.data() + buffer.size() - 2, n, 16);
  return ptr;
}

void discarded(char *out, std::uint8_t v) {
  char small[3];
  std::to_chars(small, small + 3, v); // 255: three digits
}

// Reported: a buffer one character short of a negative value.
std::string_view tooSmall(long long v) {
  char out[19];
  auto [ptr, ec] = std::to_chars(out, out + sizeof out, v); // CHECK-WARN: error stored in 'ec' by 'to_chars' is never read
  return std::string_view(out, ptr - out);
}

// Reported: the same buffer in base 2.
std::string_view binary(std::size_t n) {
  char out[32];
  auto [ptr, ec] = std::to_chars(out, out + 32, n, 2); // CHECK-WARN: error stored in 'ec' by 'to_chars' is never read
  return std::string_view(out, ptr - out);
}

// Reported: a base that is not a constant may be 2.
std::string_view anyBase(std::size_t n, int base) {
  char out[32];
  auto [ptr, ec] = std::to_chars(out, out + 32, n, base); // CHECK-WARN: error stored in 'ec' by 'to_chars' is never read
  return std::string_view(out, ptr - out);
}

// Reported: a buffer of unknown size.
char *unknown(char *first, char *last, int v) {
  auto [ptr, ec] = std::to_chars(first, last, v); // CHECK-WARN: error stored in 'ec' by 'to_chars' is never read
  return ptr;
}
char *runtimeSize(std::string &s, int v) {
  auto [ptr, ec] = std::to_chars(s.data(), s.data() + s.size(), v); // CHECK-WARN: error stored in 'ec' by 'to_chars' is never read
  return ptr;
}

// Reported: the ends of two different buffers.
char *twoBuffers(int v) {
  char a[32], b[32];
  auto [ptr, ec] = std::to_chars(a, b + 32, v); // CHECK-WARN: error stored in 'ec' by 'to_chars' is never read
  return ptr;
}

// Reported: a floating-point value has no bound on its length here.
char *floating(double d) {
  static char out[64];
  auto [ptr, ec] = std::to_chars(out, out + 64, d); // CHECK-WARN: error stored in 'ec' by 'to_chars' is never read
  return ptr;
}

void discardedTooSmall(std::uint16_t v) {
  char small[4];
  std::to_chars(small, small + 4, v); // CHECK-WARN: error result of type 'std::to_chars_result' returned by 'to_chars' is discarded
  // CHECK-NOTE@-1: compare its 'ec' member with std::errc()
}
