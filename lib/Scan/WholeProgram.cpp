//===--- WholeProgram.cpp - per-TU summaries and the link step ------------===//
#include "pitfall/Scan/WholeProgram.h"

#include "pitfall/Flow/LockOrder.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <memory>

namespace pitfall {
namespace scan {

// --- serialisation -----------------------------------------------------------
//
// Files are interned: a location is [file index, line, column] into the
// summary's "files" (relative to the source root), which keeps summaries
// small (most locations of a TU are in a few files).

namespace {

class FileTable {
public:
  explicit FileTable(llvm::StringRef Root) : Root(Root) {}

  llvm::json::Value loc(const Location &L) {
    auto [It, New] = Index.try_emplace(L.File, Files.size());
    if (New)
      Files.push_back(relativeTo(L.File, Root));
    return llvm::json::Array{It->second, L.Line, L.Column};
  }

  llvm::json::Value held(const std::vector<HeldMutex> &Held) {
    llvm::json::Array A;
    for (const HeldMutex &H : Held)
      A.push_back(llvm::json::Array{H.Mutex, loc(H.AcquiredAt)});
    return A;
  }

  llvm::json::Array files() const { return llvm::json::Array(Files); }

private:
  std::string Root;
  llvm::StringMap<unsigned> Index;
  std::vector<std::string> Files;
};

llvm::json::Array indices(const std::vector<unsigned> &V) {
  return llvm::json::Array(V);
}

/// Reads the interned locations of one summary.
class FileReader {
public:
  FileReader(const llvm::json::Array *Files, llvm::StringRef Root) {
    if (Files)
      for (const llvm::json::Value &F : *Files)
        if (std::optional<llvm::StringRef> S = F.getAsString())
          Paths.push_back(resolveAgainst(*S, Root));
  }

  bool loc(const llvm::json::Value *V, Location &L) const {
    const llvm::json::Array *A = V ? V->getAsArray() : nullptr;
    if (!A || A->size() != 3)
      return false;
    std::optional<int64_t> F = (*A)[0].getAsInteger(),
                           Line = (*A)[1].getAsInteger(),
                           Col = (*A)[2].getAsInteger();
    if (!F || !Line || !Col || *F < 0 ||
        static_cast<size_t>(*F) >= Paths.size())
      return false;
    L = {Paths[*F], static_cast<unsigned>(*Line), static_cast<unsigned>(*Col)};
    return true;
  }

  bool held(const llvm::json::Value *V, std::vector<HeldMutex> &Out) const {
    const llvm::json::Array *A = V ? V->getAsArray() : nullptr;
    if (!A)
      return false;
    for (const llvm::json::Value &E : *A) {
      const llvm::json::Array *P = E.getAsArray();
      if (!P || P->size() != 2 || !(*P)[0].getAsString())
        return false;
      HeldMutex H{(*P)[0].getAsString()->str(), {}};
      if (!loc(&(*P)[1], H.AcquiredAt))
        return false;
      Out.push_back(std::move(H));
    }
    return true;
  }

private:
  std::vector<std::string> Paths;
};

bool readIndices(const llvm::json::Value *V, std::vector<unsigned> &Out) {
  const llvm::json::Array *A = V ? V->getAsArray() : nullptr;
  if (!A)
    return false;
  for (const llvm::json::Value &E : *A) {
    std::optional<int64_t> I = E.getAsInteger();
    if (!I || *I < 0)
      return false;
    Out.push_back(static_cast<unsigned>(*I));
  }
  return true;
}

std::string str(const llvm::json::Object &O, llvm::StringRef Key) {
  std::optional<llvm::StringRef> S = O.getString(Key);
  return S ? S->str() : std::string();
}

} // namespace

llvm::json::Value toJSON(const TUSummary &S, llvm::StringRef SourceRoot) {
  FileTable Files(SourceRoot);
  llvm::json::Array Fns;
  for (const SummaryFunction &F : S.Functions) {
    llvm::json::Array Acqs, Calls;
    for (const SummaryAcquisition &A : F.Acquisitions)
      Acqs.push_back(llvm::json::Object{{"mutex", A.Mutex},
                                        {"loc", Files.loc(A.Loc)},
                                        {"held", Files.held(A.Held)}});
    for (const SummaryCall &C : F.Calls)
      Calls.push_back(llvm::json::Object{{"callee", C.Callee},
                                         {"loc", Files.loc(C.Loc)},
                                         {"held", Files.held(C.Held)}});
    Fns.push_back(llvm::json::Object{{"usr", F.USR},
                                     {"name", F.Name},
                                     {"external", F.External},
                                     {"acquisitions", std::move(Acqs)},
                                     {"calls", std::move(Calls)}});
  }
  llvm::json::Array Tasks;
  for (const SummaryTask &T : S.Tasks)
    Tasks.push_back(
        llvm::json::Object{{"starter", T.Starter},
                           {"entry", T.Entry},
                           {"loc", Files.loc(T.Loc)},
                           {"acquisitions", indices(T.ConcurrentAcquisitions)},
                           {"calls", indices(T.ConcurrentCalls)}});
  llvm::json::Object Mutexes;
  for (const auto &[USR, Name] : S.MutexNames)
    Mutexes[USR] = Name;
  return llvm::json::Object{{"version", WholeProgramVersion},
                            {"file", relativeTo(S.File, SourceRoot)},
                            {"functions", std::move(Fns)},
                            {"tasks", std::move(Tasks)},
                            {"mutexes", std::move(Mutexes)},
                            {"files", Files.files()}};
}

bool fromJSON(const llvm::json::Value &V, TUSummary &S,
              llvm::StringRef SourceRoot, std::string &Error) {
  const llvm::json::Object *O = V.getAsObject();
  if (!O) {
    Error = "summary is not an object";
    return false;
  }
  std::optional<int64_t> Version = O->getInteger("version");
  if (!Version || *Version != WholeProgramVersion) {
    Error = "summary version " +
            (Version ? std::to_string(*Version) : std::string("missing")) +
            ", expected " + std::to_string(WholeProgramVersion);
    return false;
  }
  FileReader Files(O->getArray("files"), SourceRoot);
  S = TUSummary();
  S.File = resolveAgainst(str(*O, "file"), SourceRoot);
  Error = "malformed summary of " + S.File;
  if (const llvm::json::Array *Fns = O->getArray("functions"))
    for (const llvm::json::Value &FV : *Fns) {
      const llvm::json::Object *FO = FV.getAsObject();
      if (!FO)
        return false;
      SummaryFunction F;
      F.USR = str(*FO, "usr");
      F.Name = str(*FO, "name");
      F.External = FO->getBoolean("external").value_or(true);
      if (const llvm::json::Array *As = FO->getArray("acquisitions"))
        for (const llvm::json::Value &AV : *As) {
          const llvm::json::Object *AO = AV.getAsObject();
          SummaryAcquisition A;
          if (!AO || !Files.loc(AO->get("loc"), A.Loc) ||
              !Files.held(AO->get("held"), A.Held))
            return false;
          A.Mutex = str(*AO, "mutex");
          F.Acquisitions.push_back(std::move(A));
        }
      if (const llvm::json::Array *Cs = FO->getArray("calls"))
        for (const llvm::json::Value &CV : *Cs) {
          const llvm::json::Object *CO = CV.getAsObject();
          SummaryCall C;
          if (!CO || !Files.loc(CO->get("loc"), C.Loc) ||
              !Files.held(CO->get("held"), C.Held))
            return false;
          C.Callee = str(*CO, "callee");
          F.Calls.push_back(std::move(C));
        }
      S.Functions.push_back(std::move(F));
    }
  if (const llvm::json::Array *Ts = O->getArray("tasks"))
    for (const llvm::json::Value &TV : *Ts) {
      const llvm::json::Object *TO = TV.getAsObject();
      SummaryTask T;
      if (!TO || !Files.loc(TO->get("loc"), T.Loc) ||
          !readIndices(TO->get("acquisitions"), T.ConcurrentAcquisitions) ||
          !readIndices(TO->get("calls"), T.ConcurrentCalls))
        return false;
      T.Starter = str(*TO, "starter");
      T.Entry = str(*TO, "entry");
      S.Tasks.push_back(std::move(T));
    }
  if (const llvm::json::Object *Ms = O->getObject("mutexes"))
    for (const auto &[USR, Name] : *Ms)
      if (std::optional<llvm::StringRef> N = Name.getAsString())
        S.MutexNames.emplace_back(USR.str(), N->str());
  llvm::sort(S.MutexNames);
  Error.clear();
  return true;
}

// --- the link step
// -------------------------------------------------------------

namespace {

/// A mutex acquired during a call of a function, wherever it is.
struct LinkAcquisition {
  std::string Mutex;
  Location At;
  std::string In; ///< the function whose body acquires it
};

/// An order taken in a function's body (directly or by a call).
struct LinkOrder {
  std::string Held, Acquired;
  std::string Fn;
  Location At, HeldAt;
  bool HeldAtKnown = false;
  LinkAcquisition Acquisition;
  /// The acquisition or call of the function that takes it.
  bool ByCall = false;
  unsigned Index = 0;
  /// Every mutex held there: two orders under a common one cannot wait for
  /// each other.
  const std::vector<HeldMutex> *Gates = nullptr;
};

struct FunctionLinks {
  bool AcquisitionsDone = false, OrdersDone = false;
  std::vector<LinkAcquisition> Acquisitions;
  std::vector<LinkOrder> Orders;
};

class Linker {
public:
  Linker(llvm::ArrayRef<TUSummary> Summaries, const LinkLimits &Limits)
      : Limits(Limits) {
    for (const TUSummary &S : Summaries) {
      for (const SummaryFunction &F : S.Functions)
        Fns.try_emplace(F.USR, &F);
      for (const SummaryTask &T : S.Tasks)
        Tasks.push_back(&T);
      for (const auto &[USR, Name] : S.MutexNames)
        Names.try_emplace(USR, Name);
    }
    for (const auto &E : Fns)
      for (const SummaryCall &C : E.second->Calls)
        Called.insert(C.Callee);
  }

  std::vector<Finding> run();

private:
  const SummaryFunction *function(llvm::StringRef USR) const {
    return Fns.lookup(USR);
  }

  FunctionLinks &links(llvm::StringRef USR) {
    std::unique_ptr<FunctionLinks> &L = Links[USR];
    if (!L)
      L = std::make_unique<FunctionLinks>();
    return *L;
  }

  static bool held(const std::vector<HeldMutex> &Held, llvm::StringRef M) {
    return llvm::any_of(Held, [&](const HeldMutex &H) { return H.Mutex == M; });
  }

  /// The mutexes a call of \p USR acquires, its callees' included.
  const std::vector<LinkAcquisition> &acquisitions(llvm::StringRef USR,
                                                   unsigned Depth) {
    FunctionLinks &L = links(USR);
    const SummaryFunction *F = function(USR);
    if (L.AcquisitionsDone || !F || InProgress.contains(USR) ||
        Depth > Limits.MaxDepth)
      return L.Acquisitions;
    InProgress.insert(USR);
    std::vector<LinkAcquisition> Out;
    auto Add = [&](LinkAcquisition A) {
      if (Out.size() != Limits.MaxAcquisitions &&
          llvm::none_of(Out, [&](const LinkAcquisition &K) {
            return K.Mutex == A.Mutex;
          }))
        Out.push_back(std::move(A));
    };
    for (const SummaryAcquisition &A : F->Acquisitions)
      Add({A.Mutex, A.Loc, F->Name});
    for (const SummaryCall &C : F->Calls)
      for (const LinkAcquisition &A : acquisitions(C.Callee, Depth + 1))
        if (!held(C.Held, A.Mutex)) // a recursive mutex locked again
          Add(A);
    InProgress.erase(USR);
    // Links may have grown: look the entry up again.
    FunctionLinks &Done = links(USR);
    Done.Acquisitions = std::move(Out);
    Done.AcquisitionsDone = true;
    return Done.Acquisitions;
  }

  /// The orders \p USR's body takes.
  const std::vector<LinkOrder> &orders(llvm::StringRef USR) {
    FunctionLinks &L = links(USR);
    const SummaryFunction *F = function(USR);
    if (L.OrdersDone || !F)
      return L.Orders;
    std::vector<LinkOrder> Out;
    for (unsigned I = 0, N = F->Acquisitions.size(); I != N; ++I) {
      const SummaryAcquisition &A = F->Acquisitions[I];
      for (const HeldMutex &H : A.Held)
        Out.push_back({H.Mutex,
                       A.Mutex,
                       F->Name,
                       A.Loc,
                       H.AcquiredAt,
                       !H.AcquiredAt.File.empty(),
                       {A.Mutex, A.Loc, F->Name},
                       false,
                       I,
                       &A.Held});
    }
    for (unsigned I = 0, N = F->Calls.size(); I != N; ++I) {
      const SummaryCall &C = F->Calls[I];
      if (C.Held.empty())
        continue;
      for (const LinkAcquisition &A : acquisitions(C.Callee, 1))
        if (!held(C.Held, A.Mutex))
          for (const HeldMutex &H : C.Held)
            Out.push_back({H.Mutex, A.Mutex, F->Name, C.Loc, H.AcquiredAt,
                           !H.AcquiredAt.File.empty(), A, true, I, &C.Held});
    }
    FunctionLinks &Done = links(USR);
    Done.Orders = std::move(Out);
    Done.OrdersDone = true;
    return Done.Orders;
  }

  /// Every function \p Roots reach through calls, each once, in order.
  std::vector<llvm::StringRef> reach(llvm::ArrayRef<llvm::StringRef> Roots) {
    std::vector<llvm::StringRef> Out;
    llvm::StringSet<> Seen;
    std::vector<llvm::StringRef> Work(Roots.rbegin(), Roots.rend());
    while (!Work.empty()) {
      llvm::StringRef U = Work.back();
      Work.pop_back();
      const SummaryFunction *F = function(U);
      if (!F || !Seen.insert(U).second)
        continue;
      Out.push_back(U);
      for (auto It = F->Calls.rbegin(); It != F->Calls.rend(); ++It)
        Work.push_back(It->Callee);
    }
    return Out;
  }

  std::string name(llvm::StringRef Mutex) const {
    auto It = Names.find(Mutex);
    return It == Names.end() ? Mutex.str() : It->second;
  }

  const LinkLimits &Limits;
  llvm::StringMap<const SummaryFunction *> Fns;
  std::vector<const SummaryTask *> Tasks;
  llvm::StringMap<std::string> Names;
  llvm::StringSet<> Called;
  llvm::StringMap<std::unique_ptr<FunctionLinks>> Links;
  llvm::StringSet<> InProgress;
};

/// Where an order is taken, as in the per-TU analysis (LockOrder.h).
struct LinkUse {
  enum Kind { Task, Starter, External } K = External;
  const LinkOrder *O = nullptr;
  /// Task: the task. Starter: the starting function.
  int TaskIndex = -1;
  std::string StarterFn;
  /// Starter: the tasks that may run where the order is taken.
  llvm::DenseSet<unsigned> Running;
};

std::vector<Finding> Linker::run() {
  std::vector<LinkUse> Uses;
  llvm::StringSet<> Entries;
  llvm::StringMap<std::vector<unsigned>> StartedBy;
  for (unsigned I = 0, N = Tasks.size(); I != N; ++I) {
    Entries.insert(Tasks[I]->Entry);
    StartedBy[Tasks[I]->Starter].push_back(I);
  }
  if (Tasks.empty())
    return {};
  // Tasks: what each entry reaches.
  for (unsigned I = 0, N = Tasks.size(); I != N; ++I)
    for (llvm::StringRef U : reach({Tasks[I]->Entry}))
      for (const LinkOrder &O : orders(U))
        Uses.push_back({LinkUse::Task, &O, static_cast<int>(I), "", {}});
  // Starters: their own orders, and what their calls reach, with the tasks
  // that may run there.
  std::vector<llvm::StringRef> Starters;
  for (const auto &E : StartedBy)
    Starters.push_back(E.getKey());
  llvm::sort(Starters);
  for (llvm::StringRef S : Starters) {
    const SummaryFunction *F = function(S);
    if (!F)
      continue;
    auto RunningAt = [&](bool Call, unsigned Index) {
      llvm::DenseSet<unsigned> Running;
      for (unsigned T : StartedBy[S]) {
        const auto &L =
            Call ? Tasks[T]->ConcurrentCalls : Tasks[T]->ConcurrentAcquisitions;
        if (llvm::is_contained(L, Index))
          Running.insert(T);
      }
      return Running;
    };
    for (const LinkOrder &O : orders(S))
      Uses.push_back(
          {LinkUse::Starter, &O, -1, S.str(), RunningAt(O.ByCall, O.Index)});
    for (unsigned I = 0, N = F->Calls.size(); I != N; ++I)
      for (llvm::StringRef U : reach({F->Calls[I].Callee}))
        for (const LinkOrder &O : orders(U))
          Uses.push_back(
              {LinkUse::Starter, &O, -1, S.str(), RunningAt(true, I)});
  }
  // External code: what the functions nothing calls or starts reach.
  std::vector<llvm::StringRef> Roots;
  for (const auto &E : Fns) {
    const SummaryFunction &F = *E.second;
    if (F.External && !Called.contains(F.USR) && !Entries.contains(F.USR) &&
        !StartedBy.count(F.USR))
      Roots.push_back(F.USR);
  }
  llvm::sort(Roots);
  for (llvm::StringRef U : reach(Roots))
    if (!StartedBy.count(U))
      for (const LinkOrder &O : orders(U))
        Uses.push_back({LinkUse::External, &O, -1, "", {}});

  auto Concurrent = [&](unsigned IA, unsigned IB) {
    const LinkUse &A = Uses[IA], &B = Uses[IB];
    if (A.K != LinkUse::Task && B.K != LinkUse::Task)
      return false;
    if (llvm::any_of(*A.O->Gates, [&](const HeldMutex &G) {
          return held(*B.O->Gates, G.Mutex);
        }))
      return false;
    if (A.K == LinkUse::Task && B.K == LinkUse::Task)
      return A.TaskIndex != B.TaskIndex;
    const LinkUse &T = A.K == LinkUse::Task ? A : B;
    const LinkUse &O = A.K == LinkUse::Task ? B : A;
    if (O.K == LinkUse::Starter && O.StarterFn == Tasks[T.TaskIndex]->Starter)
      return O.Running.contains(T.TaskIndex);
    return true;
  };

  llvm::StringMap<unsigned> Ids;
  auto Id = [&](llvm::StringRef M) {
    return Ids.try_emplace(M, Ids.size()).first->second;
  };
  std::vector<OrderUse> Orders;
  for (const LinkUse &U : Uses)
    Orders.push_back({Id(U.O->Held), Id(U.O->Acquired)});

  std::vector<Finding> Out;
  for (const auto &Chain :
       findOrderCycles(Orders, Concurrent, Limits.MaxUsesPerOrder)) {
    // Report at the order first in file order.
    llvm::SmallVector<unsigned, 3> C(Chain.begin(), Chain.end());
    auto Key = [&](unsigned I) {
      const Location &L = Uses[I].O->At;
      return std::make_tuple(L.File, L.Line, L.Column);
    };
    auto First = llvm::min_element(
        C, [&](unsigned X, unsigned Y) { return Key(X) < Key(Y); });
    std::rotate(C.begin(), First, C.end());
    const LinkOrder &O0 = *Uses[C[0]].O;
    Finding F;
    F.Check = "pitfall-lock-order-inversion";
    F.Level = Severity::Warning; // a deadlock needs an interleaving
    F.Loc = O0.At;
    std::string Held = "'" + name(O0.Held) + "'";
    std::string Acquired = "'" + name(O0.Acquired) + "'";
    F.Message =
        "mutex " + Acquired + " is acquired while holding " + Held + ", and ";
    if (C.size() == 2) {
      F.Message += "another thread acquires them in the opposite order";
    } else {
      std::string Cycle;
      for (unsigned I : C)
        Cycle += "'" + name(Uses[I].O->Held) + "' -> ";
      F.Message += "other threads complete a cycle of lock acquisitions (" +
                   Cycle + Held + ")";
    }
    F.Message += ": the threads can deadlock";
    if (O0.HeldAtKnown)
      F.Notes.push_back({O0.HeldAt, Held + " acquired here"});
    for (unsigned I : C) {
      const LinkUse &U = Uses[I];
      const LinkOrder &O = *U.O;
      std::string H = "'" + name(O.Held) + "'",
                  A = "'" + name(O.Acquired) + "'";
      if (&O != &O0)
        F.Notes.push_back(
            {O.At, A + " is acquired while holding " + H + " here"});
      if (O.ByCall)
        F.Notes.push_back({O.Acquisition.At, A + " is acquired here, in '" +
                                                 O.Acquisition.In + "'"});
      if (U.K == LinkUse::Task)
        F.Notes.push_back(
            {Tasks[U.TaskIndex]->Loc, "on the thread started here"});
      // The path of this thread, for SARIF's codeFlows.
      if (O.HeldAtKnown)
        F.Flow.push_back({O.HeldAt, H + " acquired in '" + O.Fn + "'"});
      F.Flow.push_back({O.At, A + " acquired while holding " + H});
      if (O.ByCall)
        F.Flow.push_back(
            {O.Acquisition.At, A + " acquired in '" + O.Acquisition.In + "'"});
    }
    Out.push_back(std::move(F));
  }
  normalize(Out);
  return Out;
}

} // namespace

std::vector<Finding> linkLockOrder(llvm::ArrayRef<TUSummary> Summaries,
                                   const LinkLimits &Limits) {
  return Linker(Summaries, Limits).run();
}

} // namespace scan
} // namespace pitfall
