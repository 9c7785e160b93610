// ReportBestEffort: true reports the best-effort and informational calls
// (std::filesystem::remove, available, local_endpoint, remote_endpoint)
// that ignored-error-best-effort-informational.cpp shows hidden by default,
// as notes in pitfall-scan's report.
// RUN: %check_tidy %s pitfall-ignored-error -config="{CheckOptions: {pitfall-ignored-error.ReportBestEffort: true}}" -- -std=c++17 -I %S/Inputs/best-effort
// RUN: %scan_one %s pitfall-ignored-error --option pitfall-ignored-error.ReportBestEffort=true \
// RUN:   -- -std=c++17 -I %S/Inputs/best-effort | FileCheck %s --check-prefix=SCAN
#include "informational.h"

// ------------------------------------------------ reported with the option

std::size_t pending(const net::Socket &S) {
  std::error_code Ec;
  return S.available(Ec); // CHECK-WARN: error stored in 'Ec' by 'available' is never read
  // SCAN: informational-report.cpp:[[@LINE-1]]:12: note: error stored in 'Ec' by 'available' is never read
}

std::string peer(const net::Socket &S) {
  std::error_code Ec;
  return format(S.remote_endpoint(Ec)); // CHECK-WARN: error stored in 'Ec' by 'remote_endpoint' is never read
}

std::string localAddress(const net::Socket &S) {
  std::error_code Ec;
  net::Endpoint E = S.local_endpoint(Ec);
  if (Ec) // CHECK-NOTE: 'Ec' is tested here; its error path goes on to the code that uses 'E'
    markClosed();
  return format(E); // CHECK-WARN: 'E', the result of 'local_endpoint', is used on the path where the error in 'Ec' was seen and not acted on
  // SCAN: informational-report.cpp:[[@LINE-1]]:17: note: 'E', the result of 'local_endpoint'
}

void removeStale(const fs::path &P) {
  std::error_code Ec;
  fs::remove(P, Ec); // CHECK-WARN: error stored in 'Ec' by 'remove' is never read
}

// ------------------------------------------------------- reported anyway

void receive(net::Socket &S, char *Buf) {
  std::error_code Ec;
  std::size_t N = S.read_some(Buf, 64, Ec);
  if (Ec) // CHECK-NOTE: 'Ec' is tested here; its error path goes on to the code that uses 'N'
    markClosed();
  consume(N); // CHECK-WARN: 'N', the result of 'read_some', is used on the path where the error in 'Ec' was seen and not acted on
}

void acceptOne(net::Socket &Listener, net::Socket &Peer) {
  std::error_code Ec;
  Listener.accept(Peer, Ec); // CHECK-WARN: error stored in 'Ec' by 'accept' is never read
}

// A function of the program's own named remove is not the filesystem's.
void drop(const std::string &Key) {
  std::error_code Ec;
  store::remove(Key, Ec); // CHECK-WARN: error stored in 'Ec' by 'remove' is never read
}
