//===--- Errors.h - which results carry errors, which calls report failure
//-===//
//
// One recognizer answers, for every front end, "does the value of this call
// report an error that the caller must look at?":
//   * error objects: std::error_code / error_condition, boost::system's, and
//     asio's (a typedef of one of those);
//   * error-or-value holders: std::expected and the classes of the
//     ErrorTypes option, plus (optionally) a heuristic for status-like
//     classes (named like Status/Result/Error and testable with ok(),
//     has_value(), operator bool, ...);
//   * std::from_chars_result / std::to_chars_result;
//   * the std::future returned by std::async (dropping it blocks at once and
//     drops the task's exception);
//   * C functions whose int result reports failure (CheckedFunctions).
// It also recognizes error out-parameters (`fs::remove(p, ec)`).
//
//===----------------------------------------------------------------------===//
#ifndef PITFALL_CORE_ERRORS_H
#define PITFALL_CORE_ERRORS_H

#include "pitfall/Core/NameList.h"

#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace clang {
class CallExpr;
class CXXConstructExpr;
class CXXConstructorDecl;
class CXXRecordDecl;
class Expr;
class FunctionDecl;
class ParmVarDecl;
} // namespace clang

namespace pitfall {

/// Default value of the ErrorTypes option: classes (templates) whose values
/// carry an error, in addition to the built-in std/boost error types.
inline constexpr const char *DefaultErrorTypes =
    "::std::expected;::tl::expected;::boost::system::result;"
    "::boost::outcome_v2::basic_result;::boost::outcome_v2::basic_outcome;"
    "::absl::Status;::absl::StatusOr;::folly::Expected;::llvm::Error;"
    "::llvm::Expected";

/// Default value of the CheckedFunctions option: C functions whose integer
/// result is their only failure report. An entry ending in '*' is a prefix;
/// entries without "::" match functions declared at global scope (or extern
/// "C") only, so "write" never matches asio::write.
inline constexpr const char *DefaultCheckedFunctions =
    "pthread_*;write;read;pread;pwrite;readv;writev;send;sendto;sendmsg;"
    "recv;recvfrom;recvmsg;fsync;fdatasync;ftruncate;truncate;setuid;setgid;"
    "seteuid;setegid;setreuid;setregid;setresuid;setresgid;chdir;fchdir;"
    "chroot;dup2;posix_memalign;sem_init;sem_wait;sem_trywait;sem_timedwait;"
    "sem_post;"
    "sigaction;sigprocmask";

/// Default value of pitfall-ignored-error's TeardownFunctions option:
/// functions that tear their object down, where an error dropped through an
/// error_code overload is dropped so as not to throw (as in a destructor).
inline constexpr const char *DefaultTeardownFunctions =
    "close;stop;shutdown;disconnect;reset";

/// Default value of the BestEffortFunctions option: calls whose failure
/// changes nothing the program relies on (a thread's name, set or read for
/// a log line, its CPU affinity, a socket option such as Nagle's algorithm off,
/// the cancellation of a socket's or timer's pending operations, the removal of
/// a file that may not exist), and informational calls whose result on
/// failure is a neutral answer the program uses as such (`available(ec)`
/// gives 0 bytes, `local_endpoint(ec)` / `remote_endpoint(ec)` a default
/// endpoint).
inline constexpr const char *DefaultBestEffortFunctions =
    "pthread_setname_np;pthread_getname_np;pthread_setaffinity_np;"
    "set_option;cancel;"
    "filesystem::remove;available;local_endpoint;remote_endpoint";

/// Default value of pitfall-ignored-error's LockWrapperFunctions option: the
/// POSIX lock primitives whose result a C++ lock wrapper drops (a member
/// that only forwards to one, a constructor that initialises the lock, a
/// destructor that destroys it). With default attributes they fail only on
/// misuse (EINVAL, EDEADLK, EPERM), which the wrapper cannot report. The
/// try-lock and timed variants are not on it: their result says whether
/// the lock is held.
inline constexpr const char *DefaultLockWrapperFunctions =
    "pthread_mutex_init;pthread_mutex_destroy;pthread_mutex_lock;"
    "pthread_mutex_unlock;pthread_spin_init;pthread_spin_destroy;"
    "pthread_spin_lock;pthread_spin_unlock;pthread_rwlock_init;"
    "pthread_rwlock_destroy;pthread_rwlock_rdlock;pthread_rwlock_wrlock;"
    "pthread_rwlock_unlock;pthread_cond_init;pthread_cond_destroy;"
    "pthread_cond_signal;pthread_cond_broadcast;pthread_cond_wait;"
    "pthread_key_create;pthread_key_delete;pthread_setspecific";

/// What kind of error a value carries.
enum class ErrorKind {
  None,
  ErrorCode,   ///< std/boost error_code or error_condition
  Expected,    ///< std::expected and the ErrorTypes classes
  StatusLike,  ///< the Status/Result/Error class heuristic
  CharsResult, ///< std::from_chars_result / to_chars_result
  AsyncFuture, ///< the std::future returned by std::async
  CheckedInt,  ///< the integer result of a CheckedFunctions call
};

class ErrorRecognizer {
public:
  explicit ErrorRecognizer(
      llvm::StringRef ErrorTypesOption = DefaultErrorTypes,
      llvm::StringRef CheckedFunctionsOption = DefaultCheckedFunctions,
      bool StatusHeuristic = true);

  /// The error kind values of type \p T carry (never AsyncFuture or
  /// CheckedInt: those depend on the call). None for dependent types.
  ErrorKind typeKind(clang::QualType T) const;

  /// std::error_code, std::error_condition, boost::system::error_code,
  /// boost::system::error_condition (asio::error_code is one of these).
  bool isErrorCode(clang::QualType T) const {
    return typeKind(T) == ErrorKind::ErrorCode;
  }

  /// std::errc and the other standard error enumerations (the type of
  /// from_chars_result::ec).
  static bool isErrorEnum(clang::QualType T);

  /// True if a value of type \p T carries an error: an error type or an
  /// error enumeration.
  bool carriesError(clang::QualType T) const {
    return typeKind(T) != ErrorKind::None || isErrorEnum(T);
  }

  /// The error kind of the value \p Call returns, or None.
  ErrorKind callKind(const clang::CallExpr *Call) const;

  /// True if \p FD is a CheckedFunctions function (int result = failure).
  bool isCheckedFunction(const clang::FunctionDecl *FD) const;

  /// True if \p Call is a POSIX synchronisation call whose failure, with
  /// the object's default attributes, can only come from misuse (EINVAL,
  /// EPERM, EDEADLK, EBUSY): pthread_mutex_lock/unlock/destroy, the
  /// rwlock's rdlock/wrlock/unlock/destroy, pthread_cond_signal/broadcast/
  /// wait/destroy, the spin lock's lock/unlock/destroy,
  /// pthread_barrier_destroy, pthread_key_delete, the attribute objects'
  /// destroy, and pthread_mutex_init / pthread_cond_init /
  /// pthread_rwlock_init given a null attributes pointer, and sem_post
  /// (EINVAL, or EOVERFLOW past SEM_VALUE_MAX: posts nobody waited for),
  /// pthread_setcancelstate / pthread_setcanceltype (EINVAL: no such state
  /// or type) and pthread_cancel (ESRCH: no such thread). Not:
  /// the try-lock and timed variants (their result is the outcome), an init
  /// with attributes, pthread_create, pthread_join, sem_wait (EINTR), a
  /// key's create (EAGAIN, ENOMEM), the calls of failsOnlyWithoutMemory.
  bool failsOnlyOnMisuse(const clang::CallExpr *Call) const;

  /// True if \p Call is a POSIX call whose failure can only come from misuse
  /// or from memory running out (ENOMEM): an attributes object's init
  /// (pthread_attr_init, pthread_mutexattr_init, pthread_condattr_init,
  /// pthread_rwlockattr_init, pthread_barrierattr_init), a key's
  /// pthread_setspecific, a fork handler's pthread_atfork — the failure of
  /// `new` or of a container's growth, which code does not check either.
  /// Not: pthread_key_create (EAGAIN: the process's keys run out),
  /// pthread_spin_init and pthread_create (EAGAIN), the calls that fail only
  /// on misuse (failsOnlyOnMisuse).
  bool failsOnlyWithoutMemory(const clang::CallExpr *Call) const;

  /// True if \p CE, a default construction of an error-carrying class
  /// (`Status()`, `{}`), makes a success by construction: an error code
  /// (value 0), or a class whose default constructor leaves every member in
  /// its null state: no body, each field (and base) initialised to null,
  /// zero, false, value-initialised or default-constructed as a class, a
  /// scalar left to value-initialisation only when the constructor is not
  /// user-provided — and whose own success test (`ok()`, `operator bool`,
  /// `failed()`, one `return` of `state_ == nullptr`, `msg_.empty()`,
  /// `!failed_`, ...) says success on that state. `Status() :
  /// state_(nullptr) {}` with `ok() { return state_ == nullptr; }` does;
  /// `StatusOr() : status_(kUnknown)`, or a `bool ok_ = false` tested by
  /// `ok() { return ok_; }`, does not.
  bool isSuccessByConstruction(const clang::CXXConstructExpr *CE) const;

  /// An argument bound to an error out-parameter.
  struct OutArgument {
    const clang::ParmVarDecl *Param;
    const clang::Expr *Arg;
  };

  /// The arguments of \p Call that are error out-parameters: bound to a
  /// parameter declared (in the template pattern, for an instantiation) as a
  /// non-const lvalue reference to an error-code type. The callee stores
  /// into them (asio's `sock.close(ec)`, `fs::remove(p, ec)`); a forwarding
  /// reference or a pack deduced as `error_code &` is not one.
  llvm::SmallVector<OutArgument, 1>
  errorOutArguments(const clang::CallExpr *Call) const;

  /// A condition that tests an error code for an error: `ec`, `!ec`,
  /// `static_cast<bool>(ec)`, boost's `ec.failed()` (through parentheses and
  /// negations). The error code tested, and whether the condition is true
  /// when it holds an error.
  struct ErrorTest {
    const clang::Expr *ErrorCode = nullptr;
    bool TrueOnError = true;
  };
  std::optional<ErrorTest> errorTest(const clang::Expr *Cond) const;

  const NameList &errorTypes() const { return ErrorTypes; }

private:
  ErrorKind classifyRecord(const clang::CXXRecordDecl *RD) const;
  bool defaultIsNullState(const clang::CXXConstructorDecl *Ctor,
                          unsigned Depth) const;

  NameList ErrorTypes;
  NameList QualifiedChecked;                       ///< entries with "::"
  llvm::SmallVector<std::string, 8> ExactChecked;  ///< plain C names
  llvm::SmallVector<std::string, 2> PrefixChecked; ///< "pthread_*"
  bool StatusHeuristic;
  mutable llvm::DenseMap<const clang::CXXRecordDecl *, ErrorKind> RecordCache;
  mutable llvm::DenseMap<const clang::FunctionDecl *, bool> CheckedCache;
};

/// A short human name for \p K ("error code", "expected value", ...).
llvm::StringRef errorKindName(ErrorKind K);

} // namespace pitfall

#endif
