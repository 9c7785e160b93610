// Best-effort and informational calls (BestEffortFunctions, on the default
// list): removing a file that may not exist (std::filesystem::remove), and
// calls whose result on failure is a neutral answer the program uses as
// such: available(ec) gives 0 bytes, local_endpoint(ec) / remote_endpoint(ec)
// a default endpoint to show. Their dropped or unheeded error_code is not
// reported by default; a read, an accept, or a remove of the program's own
// stays reported. ignored-error-best-effort-informational-report.cpp has
// ReportBestEffort on.
// RUN: %check_tidy %s pitfall-ignored-error -- -std=c++17 -I %S/Inputs/best-effort
#include "informational.h"

// ---------------------------------------------------------------- negatives

std::size_t pending(const net::Socket &S) {
  std::error_code Ec;
  return S.available(Ec);
}

std::string peer(const net::Socket &S) {
  std::error_code Ec;
  return format(S.remote_endpoint(Ec));
}

std::string localAddress(const net::Socket &S) {
  std::error_code Ec;
  net::Endpoint E = S.local_endpoint(Ec);
  if (Ec)
    markClosed();
  return format(E);
}

void removeStale(const fs::path &P) {
  std::error_code Ec;
  fs::remove(P, Ec);
}

// ---------------------------------------------------------------- positives

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
