//===--- DocLinks.cpp - pitfall's documentation links in clangd's output --===//
#include "DocLinks.h"

#include "pitfall/CheckList.h"
#include "pitfall/Version.h"

#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace pitfall {
namespace clangd {

/// What clangd links a "pitfall-<stem>" diagnostic to (<stem>.html follows).
static constexpr llvm::StringLiteral ClangdLinkPrefix =
    "https://clang.llvm.org/extra/clang-tidy/checks/pitfall/";

std::string rewriteDocLinks(llvm::StringRef Body) {
  std::string Out;
  size_t Pos = 0;
  for (;;) {
    size_t Link = Body.find(ClangdLinkPrefix, Pos);
    if (Link == llvm::StringRef::npos)
      break;
    size_t Stem = Link + ClangdLinkPrefix.size();
    size_t End = Body.find(".html", Stem);
    if (End == llvm::StringRef::npos)
      break;
    llvm::StringRef Name = Body.slice(Stem, End);
    const CheckInfo *Check = nullptr;
    for (const CheckInfo &C : allChecks())
      if (C.docStem() == Name)
        Check = &C;
    Out += Body.slice(Pos, Link);
    if (Check)
      Out += PITFALL_DOCS_URL + checkDocPath(*Check);
    else
      Out += Body.slice(Link, End + 5);
    Pos = End + 5;
  }
  Out += Body.substr(Pos);
  return Out;
}

static void writeAll(int FD, llvm::StringRef Data) {
  while (!Data.empty()) {
    ssize_t N = ::write(FD, Data.data(), Data.size());
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      return; // the client is gone; clangd notices on its side
    Data = Data.drop_front(N);
  }
}

namespace {
/// Splits the bytes clangd writes into LSP messages.
class MessageForwarder {
public:
  explicit MessageForwarder(int Out) : Out(Out) {}

  void append(llvm::StringRef Data) {
    Pending += Data;
    forward();
  }

  void finish() {
    writeAll(Out, Pending);
    Pending.clear();
  }

private:
  void forward() {
    static constexpr llvm::StringLiteral Header = "Content-Length:";
    while (!Pending.empty()) {
      llvm::StringRef P(Pending);
      if (Raw || !Header.starts_with(P.take_front(Header.size()))) {
        Raw = true;
        finish();
        return;
      }
      size_t HeaderEnd = P.find("\r\n\r\n");
      if (HeaderEnd == llvm::StringRef::npos)
        return; // more to come
      llvm::StringRef Fields = P.take_front(HeaderEnd);
      auto [First, Others] = Fields.split("\r\n");
      size_t Length = 0;
      if (First.drop_front(Header.size()).trim().getAsInteger(10, Length)) {
        Raw = true;
        continue;
      }
      size_t Total = HeaderEnd + 4 + Length;
      if (P.size() < Total)
        return;
      std::string Body = rewriteDocLinks(P.substr(HeaderEnd + 4, Length));
      std::string Message = "Content-Length: " + std::to_string(Body.size());
      if (!Others.empty())
        Message += "\r\n" + Others.str();
      Message += "\r\n\r\n";
      Message += Body;
      writeAll(Out, Message);
      Pending.erase(0, Total);
    }
  }

  int Out;
  std::string Pending;
  bool Raw = false; ///< not LSP: forward as is
};
} // namespace

void DocLinkRelay::start() {
  if (Worker.joinable())
    return;
  int Pipe[2];
  if (::pipe2(Pipe, O_CLOEXEC) != 0)
    return;
  ClientFD = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0);
  if (ClientFD < 0 || ::dup2(Pipe[1], STDOUT_FILENO) < 0) {
    ::close(Pipe[0]);
    ::close(Pipe[1]);
    if (ClientFD >= 0)
      ::close(ClientFD);
    ClientFD = -1;
    return;
  }
  ::close(Pipe[1]);
  int In = Pipe[0], Out = ClientFD;
  Worker = std::thread([In, Out] {
    MessageForwarder Forwarder(Out);
    char Buf[1 << 16];
    for (;;) {
      ssize_t N = ::read(In, Buf, sizeof(Buf));
      if (N < 0 && errno == EINTR)
        continue;
      if (N <= 0)
        break;
      Forwarder.append(llvm::StringRef(Buf, N));
    }
    Forwarder.finish();
    ::close(In);
  });
}

void DocLinkRelay::stop() {
  if (!Worker.joinable())
    return;
  llvm::outs().flush();
  std::fflush(stdout);
  // stdout becomes the client's again; the pipe's last writer is closed and
  // the relay sees its end once it has forwarded everything.
  ::dup2(ClientFD, STDOUT_FILENO);
  Worker.join();
  ::close(ClientFD);
  ClientFD = -1;
}

} // namespace clangd
} // namespace pitfall
