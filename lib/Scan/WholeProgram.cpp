//===--- WholeProgram.cpp - per-TU summaries and the link step ------------===//
#include "pitfall/Scan/WholeProgram.h"

#include "pitfall/Flow/LockAnalysis.h"

#include "pitfall/Core/AtomicWaits.h"

#include "pitfall/Flow/LockOrder.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/GlobPattern.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

namespace pitfall {
namespace scan {

// --- serialisation -----------------------------------------------------------
//
// Files and USRs are interned, which keeps summaries small (most locations
// of a TU are in a few files; a function's USR, long for a template
// instantiation, recurs at each call of it): a location is [file index,
// line, column] into the summary's "files" (relative to the source root), a
// function, mutex or container an index into its "usrs".

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

  llvm::json::Value usr(llvm::StringRef U) {
    auto [It, New] = UsrIndex.try_emplace(U, Usrs.size());
    if (New)
      Usrs.push_back(U.str());
    return It->second;
  }

  llvm::json::Value held(const std::vector<HeldMutex> &Held) {
    llvm::json::Array A;
    for (const HeldMutex &H : Held) {
      llvm::json::Array E{usr(H.Mutex), loc(H.AcquiredAt)};
      if (H.ModeArm)
        E.push_back(1);
      A.push_back(std::move(E));
    }
    return A;
  }

  llvm::json::Array files() const { return llvm::json::Array(Files); }
  llvm::json::Array usrs() const { return llvm::json::Array(Usrs); }

private:
  std::string Root;
  llvm::StringMap<unsigned> Index, UsrIndex;
  std::vector<std::string> Files, Usrs;
};

llvm::json::Array usrs(FileTable &Files, const std::vector<std::string> &V) {
  llvm::json::Array Out;
  for (const std::string &U : V)
    Out.push_back(Files.usr(U));
  return Out;
}

llvm::json::Array indices(const std::vector<unsigned> &V) {
  return llvm::json::Array(V);
}

/// A wait for an atomic (SummaryWait) as the summary writes it.
llvm::json::Object waitJson(FileTable &Files, const SummaryWait &W) {
  llvm::json::Object O{{"atomic", Files.usr(W.Atomic)},
                       {"op", W.Op},
                       {"value", W.Value},
                       {"atReturn", W.AtReturn},
                       {"calls", indices(W.Calls)},
                       {"accesses", indices(W.Accesses)}};
  if (W.Param >= 0)
    O["param"] = W.Param;
  return O;
}

/// Reads the interned locations of one summary.
class FileReader {
public:
  FileReader(const llvm::json::Array *Files, const llvm::json::Array *Usrs,
             llvm::StringRef Root) {
    if (Files)
      for (const llvm::json::Value &F : *Files)
        if (std::optional<llvm::StringRef> S = F.getAsString())
          Paths.push_back(resolveAgainst(*S, Root));
    if (Usrs)
      for (const llvm::json::Value &U : *Usrs)
        UsrTable.push_back(U.getAsString().value_or("").str());
  }

  /// The USR the index \p V names; false if it names none.
  bool usr(const llvm::json::Value *V, std::string &Out) const {
    std::optional<int64_t> I = V ? V->getAsInteger() : std::nullopt;
    if (!I || *I < 0 || static_cast<size_t>(*I) >= UsrTable.size())
      return false;
    Out = UsrTable[*I];
    return true;
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
      HeldMutex H;
      if (!P || P->size() < 2 || P->size() > 3 || !usr(&(*P)[0], H.Mutex) ||
          !loc(&(*P)[1], H.AcquiredAt))
        return false;
      H.ModeArm = P->size() == 3;
      Out.push_back(std::move(H));
    }
    return true;
  }

private:
  std::vector<std::string> Paths, UsrTable;
};

llvm::json::Array pairs(const std::vector<std::pair<unsigned, int>> &Ps) {
  llvm::json::Array Out;
  for (const auto &[Index, Value] : Ps)
    Out.push_back(llvm::json::Array{Index, Value});
  return Out;
}

/// Calls \p Read on each element of the array \p V: true when \p V is
/// absent; false when it is not an array or \p Read returns false.
template <typename ReadFn>
bool readArray(const llvm::json::Value *V, ReadFn Read) {
  if (!V)
    return true;
  const llvm::json::Array *A = V->getAsArray();
  return A && llvm::all_of(*A, Read);
}

/// Pairs [index, value] (the index not negative); none when \p V is
/// absent.
bool readPairs(const llvm::json::Value *V,
               std::vector<std::pair<unsigned, int>> &Out) {
  return readArray(V, [&](const llvm::json::Value &E) {
    const llvm::json::Array *P = E.getAsArray();
    if (!P || P->size() != 2 || !(*P)[0].getAsInteger() ||
        !(*P)[1].getAsInteger() || *(*P)[0].getAsInteger() < 0)
      return false;
    Out.push_back({static_cast<unsigned>(*(*P)[0].getAsInteger()),
                   static_cast<int>(*(*P)[1].getAsInteger())});
    return true;
  });
}

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

/// Reads a wait for an atomic (SummaryWait); false if malformed.
bool readWait(const FileReader &Files, const llvm::json::Object *WO,
              SummaryWait &W) {
  if (!WO || !Files.usr(WO->get("atomic"), W.Atomic) || !WO->getInteger("op") ||
      !WO->getInteger("value") || !readIndices(WO->get("calls"), W.Calls) ||
      !readIndices(WO->get("accesses"), W.Accesses))
    return false;
  W.Op = static_cast<int>(*WO->getInteger("op"));
  W.Value = *WO->getInteger("value");
  W.AtReturn = WO->getBoolean("atReturn").value_or(false);
  W.Param = static_cast<int>(WO->getInteger("param").value_or(-1));
  return true;
}

/// Reads an array of interned USRs (none: empty); false if malformed.
bool readUsrs(const FileReader &Files, const llvm::json::Value *V,
              std::vector<std::string> &Out) {
  return readArray(V, [&](const llvm::json::Value &E) {
    std::string U;
    if (!Files.usr(&E, U))
      return false;
    Out.push_back(std::move(U));
    return true;
  });
}

std::string str(const llvm::json::Object &O, llvm::StringRef Key) {
  std::optional<llvm::StringRef> S = O.getString(Key);
  return S ? S->str() : std::string();
}

/// Reads the array \p Key of \p O (none: empty), objects with a "loc" and
/// the mutexes "held" there, into \p Out; \p Rest reads their other
/// members. False if malformed.
template <typename Site, typename RestFn>
bool readSites(const llvm::json::Object &O, llvm::StringRef Key,
               const FileReader &Files, std::vector<Site> &Out, RestFn Rest) {
  const llvm::json::Array *A = O.getArray(Key);
  if (!A)
    return true;
  for (const llvm::json::Value &V : *A) {
    const llvm::json::Object *E = V.getAsObject();
    Site S;
    if (!E || !Files.loc(E->get("loc"), S.Loc) ||
        !Files.held(E->get("held"), S.Held) || !Rest(*E, S))
      return false;
    Out.push_back(std::move(S));
  }
  return true;
}

} // namespace

/// Not a USR (those start with "c:"), so never a mutex's name.
static constexpr llvm::StringLiteral ClaimPrefix = "claim:";

std::string claimName(llvm::StringRef FlagUSR, int64_t Free) {
  return (ClaimPrefix + FlagUSR + "=" + llvm::Twine(Free)).str();
}

bool isClaimName(llvm::StringRef Name) { return Name.starts_with(ClaimPrefix); }

std::string ownerThreadName(llvm::StringRef MemberUSR) {
  return claimName(MemberUSR, ThreadClaimValue);
}

bool isOwnerThreadName(llvm::StringRef Name) {
  return isClaimName(Name) &&
         Name.ends_with(("=" + llvm::Twine(ThreadClaimValue)).str());
}

static constexpr llvm::StringLiteral SerialPrefix = "serial:";

std::string serialExecutorName(llvm::StringRef Key) {
  return (SerialPrefix + Key).str();
}

bool isSerialExecutorName(llvm::StringRef Name) {
  return Name.starts_with(SerialPrefix);
}

static constexpr llvm::StringLiteral ContextPrefix = "io_context:";

std::string contextExecutorKey(llvm::StringRef Key) {
  return (ContextPrefix + Key).str();
}

bool isContextExecutorKey(llvm::StringRef Key) {
  return Key.starts_with(ContextPrefix);
}

llvm::json::Value toJSON(const TUSummary &S, llvm::StringRef SourceRoot) {
  FileTable Files(SourceRoot);
  llvm::json::Array Fns;
  for (const SummaryFunction &F : S.Functions) {
    llvm::json::Array Acqs, Calls;
    for (const SummaryAcquisition &A : F.Acquisitions)
      Acqs.push_back(llvm::json::Object{{"mutex", Files.usr(A.Mutex)},
                                        {"loc", Files.loc(A.Loc)},
                                        {"held", Files.held(A.Held)}});
    for (const SummaryCall &C : F.Calls) {
      llvm::json::Object Call{{"callee", Files.usr(C.Callee)},
                              {"loc", Files.loc(C.Loc)},
                              {"held", Files.held(C.Held)}};
      if (C.Object != Receiver::Other)
        Call["object"] = C.Object == Receiver::This    ? "this"
                         : C.Object == Receiver::Owned ? "owned"
                         : C.Object == Receiver::Task  ? "task"
                                                       : "captured";
      if (C.Local >= 0)
        Call["local"] = C.Local;
      if (C.Param >= 0)
        Call["param"] = C.Param;
      if (C.Fresh)
        Call["fresh"] = true;
      if (!C.IterAfter.empty())
        Call["iterAfter"] = indices(C.IterAfter);
      if (C.NewObject >= 0)
        Call["newObject"] = C.NewObject;
      if (C.Makes)
        Call["makes"] = true;
      if (!C.NewIf.empty())
        Call["newIf"] = usrs(Files, C.NewIf);
      if (!C.NewIfArgs.empty()) {
        llvm::json::Array A;
        for (const auto &[Fn, Param] : C.NewIfArgs)
          A.push_back(llvm::json::Array{Files.usr(Fn), Param});
        Call["newIfArgs"] = std::move(A);
      }
      if (!C.CallableArgs.empty()) {
        llvm::json::Array A;
        for (const auto &[Param, Fn] : C.CallableArgs)
          A.push_back(llvm::json::Array{Param, Files.usr(Fn)});
        Call["callables"] = std::move(A);
      }
      if (!C.ThisArgs.empty())
        Call["thisArgs"] = indices(C.ThisArgs);
      if (!C.BoolArgs.empty())
        Call["boolArgs"] = pairs(C.BoolArgs);
      if (C.OnParam >= 0)
        Call["onParam"] = C.OnParam;
      if (C.Anchor == ObjectAnchor::None)
        Call["anchor"] = "none";
      if (C.Anchor == ObjectAnchor::Param)
        Call["anchor"] = C.AnchorParam;
      if (!C.FixedArgs.empty())
        Call["fixedArgs"] = pairs(C.FixedArgs);
      if (C.OnThis)
        Call["members"] = usrs(Files, C.Members);
      if (C.Virtual)
        Call["virtual"] = true;
      if (!C.Current.empty())
        Call["current"] = Files.usr(C.Current);
      if (!C.Args.empty())
        Call["args"] = pairs(C.Args);
      if (!C.After.empty())
        Call["after"] = indices(C.After);
      if (!C.Renewed.empty())
        Call["renewed"] = indices(C.Renewed);
      if (!C.Gates.empty())
        Call["gates"] = usrs(Files, C.Gates);
      if (!C.Behind.empty())
        Call["behind"] = indices(C.Behind);
      if (!C.JoinedBefore.empty())
        Call["joined"] = usrs(Files, C.JoinedBefore);
      Calls.push_back(std::move(Call));
    }
    llvm::json::Object Fn{{"usr", Files.usr(F.USR)},
                          {"name", F.Name},
                          {"external", F.External},
                          {"acquisitions", std::move(Acqs)},
                          {"calls", std::move(Calls)}};
    if (F.Unique)
      Fn["unique"] = true;
    if (F.OwnsThis)
      Fn["ownsThis"] = true;
    if (!F.Within.empty())
      Fn["within"] = Files.usr(F.Within);
    if (!F.ThisClass.empty())
      Fn["thisClass"] = Files.usr(F.ThisClass);
    if (F.Ordered)
      Fn["ordered"] = true;
    if (F.Drives)
      Fn["drives"] = true;
    if (!F.DrivenContexts.empty())
      Fn["drivenContexts"] = usrs(Files, F.DrivenContexts);
    if (F.Handler)
      Fn["handler"] = true;
    if (!F.Takes.empty())
      Fn["takes"] = usrs(Files, F.Takes);
    if (!F.ReturnGates.empty())
      Fn["returnGates"] = usrs(Files, F.ReturnGates);
    if (!F.ReturnBehind.empty())
      Fn["returnBehind"] = indices(F.ReturnBehind);
    if (!F.KeptParams.empty())
      Fn["kept"] = indices(F.KeptParams);
    if (!F.CallsOnly.empty())
      Fn["callsOnly"] = indices(F.CallsOnly);
    if (F.ReturnsNew)
      Fn["returnsNew"] = true;
    if (!F.Joins.empty())
      Fn["joins"] = usrs(Files, F.Joins);
    if (!F.Hook.empty())
      Fn["hook"] = usrs(Files, F.Hook);
    if (!F.Overrides.empty())
      Fn["overrides"] = usrs(Files, F.Overrides);
    if (!F.HandsOff.empty())
      Fn["handsOff"] = usrs(Files, F.HandsOff);
    if (!F.SetsCurrent.empty())
      Fn["setsCurrent"] = usrs(Files, F.SetsCurrent);
    if (!F.SetsOther.empty())
      Fn["setsOther"] = usrs(Files, F.SetsOther);
    if (!F.Stores.empty()) {
      llvm::json::Array Stores;
      for (const SummaryStore &St : F.Stores) {
        llvm::json::Object Store{{"atomic", Files.usr(St.Atomic)},
                                 {"laterCalls", indices(St.LaterCalls)},
                                 {"laterAccesses", indices(St.LaterAccesses)}};
        if (St.Value)
          Store["value"] = *St.Value;
        if (!St.Releases)
          Store["relaxed"] = true;
        Stores.push_back(std::move(Store));
      }
      Fn["stores"] = std::move(Stores);
    }
    if (!F.CallWaits.empty()) {
      llvm::json::Array Waits;
      for (const auto &[Call, W] : F.CallWaits) {
        llvm::json::Object O = waitJson(Files, W);
        O["call"] = Call;
        Waits.push_back(std::move(O));
      }
      Fn["callWaits"] = std::move(Waits);
    }
    // Most functions access no shared container: no key.
    if (!F.Accesses.empty()) {
      llvm::json::Array Accesses;
      for (const SummaryAccess &A : F.Accesses) {
        llvm::json::Object Access{{"object", Files.usr(A.Object)},
                                  {"loc", Files.loc(A.Loc)},
                                  {"write", A.Write},
                                  {"this", A.ThroughThis},
                                  {"decides", A.DecidesLocking},
                                  {"held", Files.held(A.Held)}};
        if (A.Owned)
          Access["owned"] = true;
        if (!A.After.empty())
          Access["after"] = indices(A.After);
        if (!A.Gates.empty())
          Access["gates"] = usrs(Files, A.Gates);
        if (!A.Behind.empty())
          Access["behind"] = indices(A.Behind);
        if (!A.JoinedBefore.empty())
          Access["joined"] = usrs(Files, A.JoinedBefore);
        Accesses.push_back(std::move(Access));
      }
      Fn["accesses"] = std::move(Accesses);
    }
    Fns.push_back(std::move(Fn));
  }
  llvm::json::Array Tasks;
  for (const SummaryTask &T : S.Tasks) {
    llvm::json::Object Task{{"starter", Files.usr(T.Starter)},
                            {"entry", Files.usr(T.Entry)},
                            {"loc", Files.loc(T.Loc)},
                            {"acquisitions", indices(T.ConcurrentAcquisitions)},
                            {"calls", indices(T.ConcurrentCalls)}};
    if (!T.ConcurrentAccesses.empty())
      Task["accesses"] = indices(T.ConcurrentAccesses);
    if (!T.Serial.empty())
      Task["serial"] = Files.usr(T.Serial);
    if (T.Ended)
      Task["ended"] = true;
    if (!T.Handle.empty())
      Task["handle"] = Files.usr(T.Handle);
    if (T.OnOwnObject)
      Task["ownObject"] = true;
    if (!T.Owner.empty())
      Task["owner"] = Files.usr(T.Owner);
    if (T.OnStarterThis)
      Task["starterThis"] = true;
    if (T.OnStarterThread)
      Task["starterThread"] = true;
    if (T.Repeated)
      Task["repeated"] = true;
    if (!T.Via.empty()) {
      Task["via"] = Files.usr(T.Via);
      Task["viaParam"] = T.ViaParam;
    }
    if (!T.Waits.empty()) {
      llvm::json::Array Waits;
      for (const SummaryWait &W : T.Waits)
        Waits.push_back(waitJson(Files, W));
      Task["waits"] = std::move(Waits);
    }
    if (T.Ordered) {
      Task["laterCalls"] = indices(T.LaterCalls);
      Task["laterAccesses"] = indices(T.LaterAccesses);
    }
    Tasks.push_back(std::move(Task));
  }
  llvm::json::Array Classes;
  for (const SummaryClass &C : S.Classes)
    Classes.push_back(llvm::json::Array{Files.usr(C.USR), usrs(Files, C.Bases),
                                        usrs(Files, C.VirtualBases),
                                        usrs(Files, C.Overridden)});
  auto Names = [](const std::vector<std::pair<std::string, std::string>> &N) {
    llvm::json::Object O;
    for (const auto &[USR, Name] : N)
      O[USR] = Name;
    return O;
  };
  // Interned before the table is written.
  llvm::json::Value Referenced = usrs(Files, S.Referenced);
  llvm::json::Value BoundHandlers = usrs(Files, S.BoundHandlers);
  llvm::json::Array HandlerContexts;
  for (const SummaryHandler &H : S.HandlerContexts)
    HandlerContexts.push_back(llvm::json::Array{
        Files.usr(H.USR), Files.usr(H.Context), Files.loc(H.Loc)});
  llvm::json::Array Holds;
  for (const auto &[Holder, Held] : S.ClassHolds)
    Holds.push_back(llvm::json::Array{Files.usr(Holder), Files.usr(Held)});
  llvm::json::Value Shared = usrs(Files, S.SharedClasses);
  llvm::json::Value Constructed = usrs(Files, S.Constructed);
  llvm::json::Object Out{{"version", WholeProgramVersion},
                         {"file", relativeTo(S.File, SourceRoot)},
                         {"functions", std::move(Fns)},
                         {"tasks", std::move(Tasks)},
                         {"mutexes", Names(S.MutexNames)},
                         {"files", Files.files()},
                         {"usrs", Files.usrs()}};
  if (!S.MutexAliases.empty())
    Out["mutexAliases"] = Names(S.MutexAliases);
  if (!S.ContextAliases.empty())
    Out["contextAliases"] = Names(S.ContextAliases);
  if (!S.ObjectNames.empty())
    Out["objects"] = Names(S.ObjectNames);
  if (!Classes.empty())
    Out["classes"] = std::move(Classes);
  if (!S.Referenced.empty())
    Out["referenced"] = std::move(Referenced);
  if (!S.BoundHandlers.empty())
    Out["boundHandlers"] = std::move(BoundHandlers);
  if (!S.HandlerContexts.empty())
    Out["handlerContexts"] = std::move(HandlerContexts);
  if (!S.ClassHolds.empty())
    Out["classHolds"] = std::move(Holds);
  if (!S.SharedClasses.empty())
    Out["sharedClasses"] = std::move(Shared);
  if (!S.Constructed.empty())
    Out["constructed"] = std::move(Constructed);
  if (S.ReportUnguarded)
    Out["reportUnguarded"] = true;
  llvm::json::Array Reported;
  for (const std::string &F : S.Reported)
    Reported.push_back(relativeTo(F, SourceRoot));
  Out["reported"] = std::move(Reported);
  if (!S.Errors.empty()) {
    llvm::json::Array Sites, Findings;
    for (const ErrorUseSite &U : S.Errors.Sites)
      Sites.push_back(
          llvm::json::Array{Files.usr(U.Callee), Files.loc(U.Loc), U.Dropped});
    for (const ErrorUseFinding &F : S.Errors.Findings)
      Findings.push_back(llvm::json::Array{Files.usr(F.Callee),
                                           Files.loc(F.Loc), F.ReportAsNote});
    Out["errorUses"] = llvm::json::Object{{"sites", std::move(Sites)},
                                          {"findings", std::move(Findings)}};
    // Interned above: the tables are written after the sections that use them.
    Out["files"] = Files.files();
    Out["usrs"] = Files.usrs();
  }
  return Out;
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
  FileReader Files(O->getArray("files"), O->getArray("usrs"), SourceRoot);
  S = TUSummary();
  S.File = resolveAgainst(str(*O, "file"), SourceRoot);
  Error = "malformed summary of " + S.File;
  if (const llvm::json::Array *Fns = O->getArray("functions"))
    for (const llvm::json::Value &FV : *Fns) {
      const llvm::json::Object *FO = FV.getAsObject();
      if (!FO)
        return false;
      SummaryFunction F;
      if (!Files.usr(FO->get("usr"), F.USR))
        return false;
      F.Name = str(*FO, "name");
      F.External = FO->getBoolean("external").value_or(true);
      F.Unique = FO->getBoolean("unique").value_or(false);
      F.OwnsThis = FO->getBoolean("ownsThis").value_or(false);
      F.Ordered = FO->getBoolean("ordered").value_or(false);
      F.Drives = FO->getBoolean("drives").value_or(false);
      F.Handler = FO->getBoolean("handler").value_or(false);
      if (FO->get("kept") && !readIndices(FO->get("kept"), F.KeptParams))
        return false;
      if (FO->get("callsOnly") &&
          !readIndices(FO->get("callsOnly"), F.CallsOnly))
        return false;
      F.ReturnsNew = FO->getBoolean("returnsNew").value_or(false);
      if (const llvm::json::Array *Stores = FO->getArray("stores"))
        for (const llvm::json::Value &SV : *Stores) {
          const llvm::json::Object *SO = SV.getAsObject();
          SummaryStore St;
          if (!SO || !Files.usr(SO->get("atomic"), St.Atomic) ||
              !readIndices(SO->get("laterCalls"), St.LaterCalls) ||
              !readIndices(SO->get("laterAccesses"), St.LaterAccesses))
            return false;
          if (std::optional<int64_t> V = SO->getInteger("value"))
            St.Value = *V;
          St.Releases = !SO->getBoolean("relaxed").value_or(false);
          F.Stores.push_back(std::move(St));
        }
      if (const llvm::json::Array *Waits = FO->getArray("callWaits"))
        for (const llvm::json::Value &WV : *Waits) {
          const llvm::json::Object *WO = WV.getAsObject();
          SummaryWait W;
          std::optional<int64_t> Call =
              WO ? WO->getInteger("call") : std::nullopt;
          if (!Call || *Call < 0 || !readWait(Files, WO, W))
            return false;
          F.CallWaits.push_back({static_cast<unsigned>(*Call), std::move(W)});
        }
      if ((FO->get("within") && !Files.usr(FO->get("within"), F.Within)) ||
          (FO->get("thisClass") &&
           !Files.usr(FO->get("thisClass"), F.ThisClass)))
        return false;
      if (!readUsrs(Files, FO->get("joins"), F.Joins) ||
          !readUsrs(Files, FO->get("hook"), F.Hook) ||
          !readUsrs(Files, FO->get("overrides"), F.Overrides) ||
          !readUsrs(Files, FO->get("handsOff"), F.HandsOff) ||
          !readUsrs(Files, FO->get("setsCurrent"), F.SetsCurrent) ||
          !readUsrs(Files, FO->get("setsOther"), F.SetsOther) ||
          !readUsrs(Files, FO->get("takes"), F.Takes) ||
          (FO->get("drivenContexts") &&
           !readUsrs(Files, FO->get("drivenContexts"), F.DrivenContexts)) ||
          !readUsrs(Files, FO->get("returnGates"), F.ReturnGates) ||
          (FO->get("returnBehind") &&
           !readIndices(FO->get("returnBehind"), F.ReturnBehind)))
        return false;
      if (!readSites(*FO, "acquisitions", Files, F.Acquisitions,
                     [&](const llvm::json::Object &E, SummaryAcquisition &A) {
                       return Files.usr(E.get("mutex"), A.Mutex);
                     }) ||
          !readSites(
              *FO, "calls", Files, F.Calls,
              [&](const llvm::json::Object &E, SummaryCall &C) {
                std::optional<llvm::StringRef> Object = E.getString("object");
                C.Object = !Object                 ? Receiver::Other
                           : *Object == "this"     ? Receiver::This
                           : *Object == "owned"    ? Receiver::Owned
                           : *Object == "task"     ? Receiver::Task
                           : *Object == "captured" ? Receiver::Captured
                                                   : Receiver::Other;
                C.Local = static_cast<int>(E.getInteger("local").value_or(-1));
                C.Param = static_cast<int>(E.getInteger("param").value_or(-1));
                C.Fresh = E.getBoolean("fresh").value_or(false);
                C.NewObject =
                    static_cast<int>(E.getInteger("newObject").value_or(-1));
                C.Makes = E.getBoolean("makes").value_or(false);
                C.OnParam =
                    static_cast<int>(E.getInteger("onParam").value_or(-1));
                if (std::optional<int64_t> P = E.getInteger("anchor")) {
                  C.Anchor = ObjectAnchor::Param;
                  C.AnchorParam = static_cast<int>(*P);
                } else if (E.get("anchor")) {
                  C.Anchor = ObjectAnchor::None;
                }
                if (!readPairs(E.get("fixedArgs"), C.FixedArgs))
                  return false;
                if (E.get("thisArgs") &&
                    !readIndices(E.get("thisArgs"), C.ThisArgs))
                  return false;
                C.OnThis = E.get("members") != nullptr;
                C.Virtual = E.getBoolean("virtual").value_or(false);
                if (E.get("current") && !Files.usr(E.get("current"), C.Current))
                  return false;
                if (!readUsrs(Files, E.get("members"), C.Members))
                  return false;
                if (E.get("iterAfter") &&
                    !readIndices(E.get("iterAfter"), C.IterAfter))
                  return false;
                if (!readPairs(E.get("boolArgs"), C.BoolArgs) ||
                    !readPairs(E.get("args"), C.Args) ||
                    !readUsrs(Files, E.get("newIf"), C.NewIf))
                  return false;
                // [USR, index] and [index, USR] pairs.
                auto UsrPair = [&](const llvm::json::Value &P, unsigned U,
                                   std::string &Usr, unsigned &Index) {
                  const llvm::json::Array *A = P.getAsArray();
                  std::optional<int64_t> I = A && A->size() == 2
                                                 ? (*A)[1 - U].getAsInteger()
                                                 : std::nullopt;
                  if (!I || *I < 0 || !Files.usr(&(*A)[U], Usr))
                    return false;
                  Index = static_cast<unsigned>(*I);
                  return true;
                };
                if (!readArray(E.get("newIfArgs"),
                               [&](const llvm::json::Value &P) {
                                 C.NewIfArgs.emplace_back();
                                 return UsrPair(P, 0, C.NewIfArgs.back().first,
                                                C.NewIfArgs.back().second);
                               }) ||
                    !readArray(
                        E.get("callables"), [&](const llvm::json::Value &P) {
                          C.CallableArgs.emplace_back();
                          return UsrPair(P, 1, C.CallableArgs.back().second,
                                         C.CallableArgs.back().first);
                        }))
                  return false;
                return (!E.get("after") ||
                        readIndices(E.get("after"), C.After)) &&
                       (!E.get("renewed") ||
                        readIndices(E.get("renewed"), C.Renewed)) &&
                       readUsrs(Files, E.get("gates"), C.Gates) &&
                       (!E.get("behind") ||
                        readIndices(E.get("behind"), C.Behind)) &&
                       readUsrs(Files, E.get("joined"), C.JoinedBefore) &&
                       Files.usr(E.get("callee"), C.Callee);
              }) ||
          !readSites(*FO, "accesses", Files, F.Accesses,
                     [&](const llvm::json::Object &E, SummaryAccess &X) {
                       X.Write = E.getBoolean("write").value_or(false);
                       X.ThroughThis = E.getBoolean("this").value_or(false);
                       X.DecidesLocking =
                           E.getBoolean("decides").value_or(false);
                       X.Owned = E.getBoolean("owned").value_or(false);
                       return (!E.get("after") ||
                               readIndices(E.get("after"), X.After)) &&
                              readUsrs(Files, E.get("gates"), X.Gates) &&
                              (!E.get("behind") ||
                               readIndices(E.get("behind"), X.Behind)) &&
                              readUsrs(Files, E.get("joined"),
                                       X.JoinedBefore) &&
                              Files.usr(E.get("object"), X.Object);
                     }))
        return false;
      S.Functions.push_back(std::move(F));
    }
  if (const llvm::json::Array *Ts = O->getArray("tasks"))
    for (const llvm::json::Value &TV : *Ts) {
      const llvm::json::Object *TO = TV.getAsObject();
      SummaryTask T;
      if (!TO || !Files.loc(TO->get("loc"), T.Loc) ||
          !Files.usr(TO->get("starter"), T.Starter) ||
          !Files.usr(TO->get("entry"), T.Entry) ||
          !readIndices(TO->get("acquisitions"), T.ConcurrentAcquisitions) ||
          !readIndices(TO->get("calls"), T.ConcurrentCalls) ||
          (TO->get("accesses") &&
           !readIndices(TO->get("accesses"), T.ConcurrentAccesses)) ||
          (TO->get("serial") && !Files.usr(TO->get("serial"), T.Serial)))
        return false;
      T.Ended = TO->getBoolean("ended").value_or(false);
      T.OnOwnObject = TO->getBoolean("ownObject").value_or(false);
      T.OnStarterThis = TO->getBoolean("starterThis").value_or(false);
      T.OnStarterThread = TO->getBoolean("starterThread").value_or(false);
      T.Repeated = TO->getBoolean("repeated").value_or(false);
      if (TO->get("handle") && !Files.usr(TO->get("handle"), T.Handle))
        return false;
      if (TO->get("owner") && !Files.usr(TO->get("owner"), T.Owner))
        return false;
      if (TO->get("via")) {
        if (!Files.usr(TO->get("via"), T.Via))
          return false;
        T.ViaParam = static_cast<int>(TO->getInteger("viaParam").value_or(-1));
      }
      if (const llvm::json::Array *Waits = TO->getArray("waits"))
        for (const llvm::json::Value &WV : *Waits) {
          SummaryWait W;
          if (!readWait(Files, WV.getAsObject(), W))
            return false;
          T.Waits.push_back(std::move(W));
        }
      T.Ordered = TO->get("laterCalls") && TO->get("laterAccesses");
      if (T.Ordered &&
          (!readIndices(TO->get("laterCalls"), T.LaterCalls) ||
           !readIndices(TO->get("laterAccesses"), T.LaterAccesses)))
        return false;
      S.Tasks.push_back(std::move(T));
    }
  auto ReadNames = [&](llvm::StringRef Key,
                       std::vector<std::pair<std::string, std::string>> &To) {
    if (const llvm::json::Object *Ns = O->getObject(Key))
      for (const auto &[USR, Name] : *Ns)
        if (std::optional<llvm::StringRef> N = Name.getAsString())
          To.emplace_back(USR.str(), N->str());
    llvm::sort(To);
  };
  ReadNames("mutexes", S.MutexNames);
  ReadNames("mutexAliases", S.MutexAliases);
  ReadNames("contextAliases", S.ContextAliases);
  ReadNames("objects", S.ObjectNames);
  if (const llvm::json::Array *Cs = O->getArray("classes"))
    for (const llvm::json::Value &CV : *Cs) {
      const llvm::json::Array *CA = CV.getAsArray();
      SummaryClass C;
      if (!CA || CA->size() != 4 || !Files.usr(&(*CA)[0], C.USR) ||
          !readUsrs(Files, &(*CA)[1], C.Bases) ||
          !readUsrs(Files, &(*CA)[2], C.VirtualBases) ||
          !readUsrs(Files, &(*CA)[3], C.Overridden))
        return false;
      S.Classes.push_back(std::move(C));
    }
  if (!readUsrs(Files, O->get("referenced"), S.Referenced) ||
      !readUsrs(Files, O->get("boundHandlers"), S.BoundHandlers) ||
      !readArray(O->get("handlerContexts"),
                 [&](const llvm::json::Value &HV) {
                   const llvm::json::Array *H = HV.getAsArray();
                   SummaryHandler Out;
                   if (!H || H->size() != 3 || !Files.usr(&(*H)[0], Out.USR) ||
                       !Files.usr(&(*H)[1], Out.Context) ||
                       !Files.loc(&(*H)[2], Out.Loc))
                     return false;
                   S.HandlerContexts.push_back(std::move(Out));
                   return true;
                 }) ||
      !readUsrs(Files, O->get("sharedClasses"), S.SharedClasses) ||
      !readUsrs(Files, O->get("constructed"), S.Constructed) ||
      !readArray(O->get("classHolds"), [&](const llvm::json::Value &HV) {
        const llvm::json::Array *H = HV.getAsArray();
        std::pair<std::string, std::string> P;
        if (!H || H->size() != 2 || !Files.usr(&(*H)[0], P.first) ||
            !Files.usr(&(*H)[1], P.second))
          return false;
        S.ClassHolds.push_back(std::move(P));
        return true;
      }))
    return false;
  S.ReportUnguarded = O->getBoolean("reportUnguarded").value_or(false);
  if (const llvm::json::Array *Rs = O->getArray("reported"))
    for (const llvm::json::Value &RV : *Rs)
      if (std::optional<llvm::StringRef> F = RV.getAsString())
        S.Reported.push_back(resolveAgainst(*F, SourceRoot));
  if (const llvm::json::Object *EU = O->getObject("errorUses")) {
    // [callee, loc, flag] triples.
    auto Read = [&](llvm::StringRef Key, auto &To) {
      if (const llvm::json::Array *A = EU->getArray(Key))
        for (const llvm::json::Value &E : *A) {
          const llvm::json::Array *T = E.getAsArray();
          typename std::decay_t<decltype(To)>::value_type U;
          if (!T || T->size() != 3 || !Files.usr(&(*T)[0], U.Callee) ||
              !Files.loc(&(*T)[1], U.Loc) || !(*T)[2].getAsBoolean())
            return false;
          if constexpr (std::is_same_v<decltype(U), ErrorUseSite>)
            U.Dropped = *(*T)[2].getAsBoolean();
          else
            U.ReportAsNote = *(*T)[2].getAsBoolean();
          To.push_back(std::move(U));
        }
      return true;
    };
    if (!Read("sites", S.Errors.Sites) || !Read("findings", S.Errors.Findings))
      return false;
  }
  Error.clear();
  return true;
}

// --- the link step ----------------------------------------------------------

namespace {

/// A call on a path: where, and the function called (USR).
struct PathStep {
  Location At;
  std::string Callee;
};

/// A mutex acquired during a call of a function, wherever it is.
struct LinkAcquisition {
  std::string Mutex;
  Location At;
  std::string In; ///< USR of the function whose body acquires it
  /// The calls from the called function's body down to In.
  std::vector<PathStep> Via;
};

/// An order taken in a function's body (directly or by a call).
struct LinkOrder {
  std::string Held, Acquired;
  std::string Fn; ///< USR of the function whose body takes it
  Location At, HeldAt;
  bool HeldAtKnown = false;
  /// For an order taken by a call, Via starts with that call.
  LinkAcquisition Acquisition;
  /// The acquisition or call of the function that takes it.
  bool ByCall = false;
  unsigned Index = 0;
  /// Every mutex held there: two orders under a common one cannot wait for
  /// each other.
  const std::vector<HeldMutex> *Gates = nullptr;
};

/// The results of a computation that follows the program's calls from a
/// function (what a call of it acquires, waits for, ...), per function:
/// followed at most LinkLimits::MaxDepth calls deep and not into a function
/// already on the way. A result cut short that way is computed again when
/// asked from a shallower depth, so what a caller sees does not depend on
/// which function asked first.
template <typename T> class DepthMemo {
public:
  /// The result for \p USR asked \p Depth calls deep: the cached one, or
  /// \p Compute()'s (which asks for its callees' at Depth + 1).
  template <typename ComputeFn>
  const T &get(llvm::StringRef USR, unsigned Depth, unsigned MaxDepth,
               ComputeFn Compute) {
    auto It = Results.find(USR);
    if (It != Results.end() && (!It->second.Cut || Depth >= It->second.Depth)) {
      Cut = Cut || It->second.Cut;
      return It->second.Value;
    }
    if (Depth > MaxDepth || Active.contains(USR)) {
      Cut = true;
      return Empty;
    }
    Active.insert(USR);
    bool Outer = Cut;
    Cut = false;
    T Value = Compute();
    Active.erase(USR);
    Entry &E = Results[USR];
    E.Value = std::move(Value);
    E.Depth = Depth;
    E.Cut = Cut;
    Cut = Outer || Cut;
    return E.Value;
  }
  /// What get() returns for a function it does not follow (beyond the
  /// depth, or on the way): an empty result, told apart by its address.
  const T &none() const { return Empty; }

private:
  struct Entry {
    T Value{};
    unsigned Depth = 0;
    bool Cut = false;
  };
  llvm::StringMap<Entry> Results;
  llvm::StringSet<> Active;
  /// Set while a result is computed when a callee's was cut short.
  bool Cut = false;
  const T Empty{};
};

struct FunctionLinks {
  bool OrdersDone = false;
  std::vector<LinkOrder> Orders;
};

/// The functions some roots reach through calls, as a tree: a node's parent
/// is the function whose call reached it first with the same gates.
struct Reached {
  llvm::StringRef USR;
  int Parent;      ///< -1 for a root
  Location CallAt; ///< the call in the parent (a root: the call given)
  /// The mutexes held at the calls that lead here (sorted): orders taken
  /// here are taken under them.
  std::vector<llvm::StringRef> Gates;
  /// `this` is an object the thread owns (SummaryCall::Object): accesses
  /// through it race with nothing.
  bool OwnsThis = false;
  /// `this` is an object each run of the thread's task has its own
  /// (Receiver::Task).
  bool PerRun = false;
  /// The tasks (indices) no call on the path may have started yet when
  /// this function runs: every call that reaches their start comes after
  /// the path's call in a function on the path (Linker::startsAt()).
  llvm::BitVector NotYet;
  /// The tasks a call before the path's call in a function on the path may
  /// have started.
  llvm::BitVector Started;
  /// The index of the call in the parent (-1 for a root).
  int CallIndex = -1;
  /// A completion handler its parent runs by running its io_context
  /// (TUSummary::HandlerContexts); CallAt is where it was handed over.
  bool Handed = false;
  /// The mutexes of the waits for work passed on every path to here: in
  /// the functions on the path before the path's call (Linker::gatesAt()).
  std::vector<std::string> Waited;
  /// The mutexes of waits for work (anywhere in the program) that the
  /// thread may have acquired before it got here: taken by a function on
  /// the path or by a call that may come before the path's call in one.
  std::vector<std::string> TakenBefore;
  /// The function's kept reference parameters (SummaryFunction::KeptParams)
  /// bound, along the path, to a local of a caller's own (bit per index):
  /// calls on them are made on an object the thread owns.
  uint64_t OwnedParams = 0;
  /// Reached through a call on an object a loop makes anew in each
  /// iteration (SummaryCall::Fresh), and on along calls on that object:
  /// `this` is the iteration's object (OnIter), or these reference
  /// parameters are bound to it or to parts of it (IterParams,
  /// SummaryCall::ThisArgs and OnParam). For the accesses through such a
  /// `this`, IterNotYet and IterStarted are NotYet and Started but for the
  /// tasks the earlier iterations of that call started: they were started
  /// before the object existed.
  bool HasIter = false, OnIter = false;
  uint64_t IterParams = 0;
  llvm::BitVector IterNotYet, IterStarted;
  /// `this` is a local of this function (a USR) that a lambda on the path
  /// captures by reference (Receiver::Captured), or a part of one.
  llvm::StringRef ScopedTo;
  /// Whose object `this` is, as far as the calls on the path say (with
  /// Linker::TrackOwners): the object reached from `this` of the class
  /// OwnerRoot (a function's on the path) through the members OwnerChain,
  /// each owned by the one before (SummaryCall::Members). Empty: the
  /// function's own class (SummaryFunction::ThisClass), any of its objects.
  llvm::StringRef OwnerRoot;
  llvm::SmallVector<llvm::StringRef, 2> OwnerChain;
  /// The function at OwnerRoot, when a virtual dispatch reached it
  /// (SummaryCall::Virtual): the object's class does not override it.
  llvm::StringRef OwnerVirtual;
  /// The call that reached this function dispatched virtually.
  bool ViaVirtual = false;
  /// `this` is the object a constructor started the root task on, once
  /// (SummaryTask::OnOwnObject), reached along calls on it and its owned
  /// members (SummaryCall::OnThis).
  bool OnTaskObject = false;
  /// `this` is the object the root task was started on by its starter, a
  /// member function running the task's entry on its own `this`
  /// (SummaryTask::OnOwnObject, OnStarterThis), reached along calls on it
  /// and its owned members.
  bool OnStarterObject = false;
  /// The thread members of `this` (USRs) a caller on the same object has
  /// joined on every path to the call that reached here
  /// (SummaryCall::JoinedBefore).
  std::vector<llvm::StringRef> JoinedThis;
  /// `this` is the object whose owner thread the root task is
  /// (SummaryTask::Owner), reached along calls on it and its owned members.
  bool OnOwner = false;
  /// `this` is the object of a run of a per-object thread's entry (its
  /// USR, Linker::OwnRunEntries) on the calling thread, reached along calls
  /// on it and its owned members (Linker::ownRunOf()); empty otherwise.
  llvm::StringRef OwnRun;
  /// `this` is one object for every thread that reaches it from the same
  /// root object: every call on the path is made on `this`, a global, a
  /// capture, or what these reach through members and getters, or (at the
  /// root) on a parameter (SummaryCall::Anchor). Not: on a local, an
  /// element, a call's result, nor the object a public function nothing
  /// in the program calls is called on (Root::Anchored).
  bool Anchored = true;
  /// The parameters (bit per index) bound to an object fixed as above: at
  /// a task's root, those the start binds (Root::ParamsAnchored); along
  /// the path, those the caller hands such an object
  /// (SummaryCall::FixedArgs).
  uint64_t AnchoredParams = 0;
};
using ReachTree = std::vector<Reached>;

/// What reaches each starter (a function that starts tasks), for the gates
/// its own thread holds (Linker::threads()): a starter called from tasks
/// sent to an io_context one thread runs (an asio handler that posts more
/// work) runs on that thread, and the tasks it sends there run after it.
/// Every node of a tree that reaches a starter gives what that path holds
/// there; a node of a starter's own call tree gives that, and what that
/// starter holds itself.
class StarterReach {
public:
  /// Notes the starters among \p Tree's nodes; \p Via: the starter whose
  /// call \p Tree follows ("" for a task's or the program's entries).
  template <typename StarterSet>
  void note(const ReachTree &Tree, llvm::StringRef Via,
            const StarterSet &Starters) {
    for (const Reached &R : Tree)
      if (Starters.count(R.USR)) {
        std::vector<llvm::StringRef> Gates(R.Gates.begin(), R.Gates.end());
        llvm::sort(Gates);
        Gates.erase(std::unique(Gates.begin(), Gates.end()), Gates.end());
        Reaching[R.USR].insert({Via, std::move(Gates)});
      }
  }

  /// The gates each starter of \p Starters holds on every path to it
  /// (none for a starter nothing reaches: the program's users call it), as
  /// the greatest solution: a starter reached only through starters no
  /// thread reaches holds none.
  template <typename StarterSet>
  llvm::StringMap<std::vector<llvm::StringRef>>
  solve(const StarterSet &Starters) const {
    using Gates = std::vector<llvm::StringRef>;
    llvm::StringMap<std::optional<Gates>> Held; // none: not known yet
    for (const auto &E : Starters)
      Held[E.getKey()] = std::nullopt;
    bool Changed = true;
    for (unsigned Round = 0; Changed; ++Round) {
      if (Round == 64) // not settled: nothing is known
        return {};
      Changed = false;
      for (auto &E : Held) {
        auto It = Reaching.find(E.getKey());
        std::optional<Gates> Meet;
        if (It == Reaching.end())
          Meet = Gates();
        else
          for (const auto &[Via, Path] : It->second) {
            Gates C = Path;
            if (!Via.empty()) {
              auto V = Held.find(Via);
              if (V == Held.end() || !V->second)
                continue;
              Gates Merged;
              std::set_union(C.begin(), C.end(), V->second->begin(),
                             V->second->end(), std::back_inserter(Merged));
              C = std::move(Merged);
            }
            if (!Meet) {
              Meet = std::move(C);
              continue;
            }
            Gates Common;
            std::set_intersection(Meet->begin(), Meet->end(), C.begin(),
                                  C.end(), std::back_inserter(Common));
            Meet = std::move(Common);
          }
        if (Meet && Meet != E.second) {
          E.second = std::move(Meet);
          Changed = true;
        }
      }
    }
    llvm::StringMap<Gates> Out;
    for (const auto &E : Held)
      if (E.second && !E.second->empty())
        Out[E.getKey()] = *E.second;
    return Out;
  }

private:
  llvm::StringMap<
      std::set<std::pair<llvm::StringRef, std::vector<llvm::StringRef>>>>
      Reaching;
};

/// Where an order is taken, as in the per-TU analysis (LockOrder.h).
struct LinkUse {
  enum Kind { Task, Starter, External } K = External;
  /// What is used there: an order, or an access of a container made in
  /// AccessFn's body.
  const LinkOrder *O = nullptr;
  const SummaryAccess *Access = nullptr;
  llvm::StringRef AccessFn;
  /// Task: the task. Starter: the starting function.
  int TaskIndex = -1;
  std::string StarterFn;
  /// Starter: the tasks that may run where the order is taken.
  llvm::DenseSet<unsigned> Running;
  /// How the thread gets to O's function (none: the starter's own body).
  std::shared_ptr<const ReachTree> Tree;
  unsigned Node = 0;
  /// Every mutex held where the order is taken (the access made): its own
  /// and the path's.
  llvm::SmallVector<llvm::StringRef, 4> Gates;
  /// The function's `this` is an object the thread owns.
  bool OwnsThis = false;
  /// Access: a member of an object each run of the task has its own.
  bool PerRun = false;
  /// Access: a member of the object of a run of a per-object thread's
  /// entry on its thread (Reached::OwnRun), the entry's USR; empty
  /// otherwise.
  llvm::StringRef OwnRun;
  /// Access (a task's): a member of a local of this function (a USR), which
  /// started the task and ends it before it returns (Reached::ScopedTo).
  llvm::StringRef ScopedTo;
  /// Access: the tasks that cannot have started yet where it is made.
  llvm::BitVector NotYet;
  /// Access: the tasks its thread may have started before it is made.
  llvm::BitVector Started;
  /// Starter with a Tree: the starter's call the tree's root is reached
  /// through.
  int RootCall = -1;
  /// Access: a member of the object reached from `this` of the class
  /// OwnerRoot through the members OwnerChain and then the access's own
  /// (Reached::OwnerRoot; SummaryAccess::Owned); empty when not known.
  llvm::StringRef OwnerRoot;
  llvm::ArrayRef<llvm::StringRef> OwnerChain;
  llvm::StringRef OwnerVirtual; ///< Reached::OwnerVirtual
  /// A task's access through `this` of a member the object its
  /// constructor started the task on owns (Reached::OnTaskObject).
  bool OnTaskObject = false;
  /// A task's access through `this` of a member the object its starter
  /// started it on owns (Reached::OnStarterObject).
  bool OnStarterObject = false;
  /// Reached::JoinedThis where the access is made.
  llvm::ArrayRef<llvm::StringRef> JoinedThis;
  /// A task's access through `this` of a member of the object whose owner
  /// thread the task is (Reached::OnOwner).
  bool OnOwner = false;
  /// Reached::Anchored (the starter's own body: true).
  bool Anchored = true;
};

class Linker {
public:
  Linker(llvm::ArrayRef<const TUSummary *> Input, const LinkLimits &Limits)
      : Limits(Limits) {
    std::vector<const TUSummary *> Summaries = perProgram(settle(Input));
    for (unsigned I = 0, N = Summaries.size(); I != N; ++I) {
      const TUSummary &S = *Summaries[I];
      for (const SummaryFunction &F : S.Functions) {
        Fns.try_emplace(F.USR, &F);
        llvm::SmallVector<unsigned, 2> &In = DefinedIn[F.USR];
        if (In.empty() || In.back() != I)
          In.push_back(I);
      }
      for (const SummaryTask &T : S.Tasks) {
        Tasks.push_back(&T);
        TaskTU.push_back(I);
      }
      for (const auto &[USR, Name] : S.MutexNames)
        Names.try_emplace(USR, Name);
      for (const auto &[USR, Name] : S.ObjectNames)
        ObjectNames.try_emplace(USR, Name);
      ReportUnguarded = ReportUnguarded || S.ReportUnguarded;
      for (const SummaryClass &C : S.Classes)
        Classes.try_emplace(C.USR, &C);
      for (const SummaryFunction &F : S.Functions)
        if (F.Handler)
          Handlers.insert(F.USR);
      for (const std::string &H : S.BoundHandlers)
        Handlers.insert(H);
      for (const SummaryHandler &H : S.HandlerContexts)
        HandlersOn[H.Context].push_back(&H);
    }
    for (const auto &E : Fns)
      for (const SummaryCall &C : E.second->Calls)
        Called.insert(C.Callee);
    llvm::StringSet<> Made;
    for (const TUSummary *S : Summaries)
      for (const std::string &U : S->Constructed)
        if (const SummaryClass *C = Classes.lookup(U);
            C && Made.insert(U).second) {
          ConstructedUnder[U].push_back(C);
          for (const std::string &B : C->Bases)
            ConstructedUnder[B].push_back(C);
        }
    // An override of a virtual method: a call of the method may run it.
    for (const auto &E : Fns)
      for (const std::string &O : E.second->Overrides) {
        OverridersOf[O].push_back(E.second->USR);
        if (Called.contains(O))
          Called.insert(E.second->USR);
      }
    TaskGates.resize(Tasks.size());
    for (unsigned I = 0, N = Tasks.size(); I != N; ++I) {
      Entries.insert(Tasks[I]->Entry);
      StartedBy[Tasks[I]->Starter].push_back(I);
      // A task sent to a serial executor holds it while it runs (one sent
      // to an io_context: contextGates()).
      if (!Tasks[I]->Serial.empty() && !isContextExecutorKey(Tasks[I]->Serial))
        TaskGates[I].push_back(
            {serialExecutorName(Tasks[I]->Serial), Location()});
    }
    findPerCallObjects();
    findCurrentPointers();
    findPrograms(Summaries);
    findSharedClasses(Summaries);
    contextGates();
  }

  /// The lock-order inversions.
  std::vector<Finding> run();
  /// Whether \p W, a write, and \p O, another access of its object, may
  /// run at once on two threads, locks aside.
  bool mayRace(const LinkUse &W, const LinkUse &O);
  /// Adds to \p Ordered the places of \p Reads whose accesses every thread
  /// that reaches them makes on a serial executor (SerialPrefix gates) and
  /// that race with no write of their object (mayRace()), every write of
  /// which some thread reaches.
  void orderedReads(llvm::ArrayRef<LinkUse> Uses, const ReadPlaces &Reads,
                    ReadPlaces &Ordered);
  /// The container races. With \p Reads, also the places among them (file,
  /// line, object name) of unlocked reads that race with no write of their
  /// object on a serial executor's thread: OrderedReads.
  std::vector<Finding> races(const ReadPlaces *Reads = nullptr,
                             ReadPlaces *Ordered = nullptr);

private:
  /// \p Summaries with what a TU's summary leaves to the TUs that define
  /// the functions it calls settled (a TU so changed is copied):
  ///   * a start taken by the name of the function its callable is handed
  ///     to (SummaryTask::Via) is a call of the task's entry, made during
  ///     that call, when every definition of the function only calls the
  ///     parameter (SummaryFunction::CallsOnly): IXWebSocket's
  ///     `WebSocketTransport::dispatch`, which calls the message callback;
  ///   * a call on an object a factory made (SummaryCall::NewIf, NewIfArgs)
  ///     is one on a new object only when every function the factory may
  ///     be returns a new object (SummaryFunction::ReturnsNew), otherwise
  ///     the calls on that object are calls on any object.
  std::vector<const TUSummary *>
  settle(llvm::ArrayRef<const TUSummary *> Summaries) {
    llvm::StringMap<llvm::SmallVector<const SummaryFunction *, 1>> Defs;
    llvm::StringMap<llvm::SmallVector<const SummaryCall *, 2>> CallsOf;
    for (const TUSummary *S : Summaries)
      for (const SummaryFunction &F : S->Functions) {
        Defs[F.USR].push_back(&F);
        for (const SummaryCall &C : F.Calls)
          CallsOf[C.Callee].push_back(&C);
      }
    auto Every = [&](llvm::StringRef USR, auto Pred) {
      auto It = Defs.find(USR);
      return It != Defs.end() && llvm::all_of(It->second, Pred);
    };
    auto CallsOnly = [&](const SummaryTask &T) {
      return !T.Via.empty() && T.ViaParam >= 0 &&
             Every(T.Via, [&](const SummaryFunction *F) {
               return llvm::is_contained(F->CallsOnly,
                                         static_cast<unsigned>(T.ViaParam));
             });
    };
    auto ReturnsNew = [&](llvm::StringRef USR) {
      return !USR.empty() &&
             Every(USR, [](const SummaryFunction *F) { return F->ReturnsNew; });
    };
    // Every callable the calls of Fn hand its parameter Param returns a new
    // object.
    auto ArgsReturnNew = [&](llvm::StringRef Fn, unsigned Param) {
      auto It = CallsOf.find(Fn);
      return It == CallsOf.end() ||
             llvm::all_of(It->second, [&](const SummaryCall *C) {
               auto A = llvm::find_if(C->CallableArgs, [&](const auto &P) {
                 return P.first == Param;
               });
               return A != C->CallableArgs.end() && ReturnsNew(A->second);
             });
    };
    auto NewObjectHolds = [&](const SummaryCall &C) {
      return llvm::all_of(C.NewIf, ReturnsNew) &&
             llvm::all_of(C.NewIfArgs, [&](const auto &P) {
               return ArgsReturnNew(P.first, P.second);
             });
    };
    std::vector<const TUSummary *> Out(Summaries.begin(), Summaries.end());
    for (const TUSummary *&S : Out) {
      bool Change = llvm::any_of(S->Tasks, CallsOnly) ||
                    llvm::any_of(S->Tasks,
                                 [](const SummaryTask &T) {
                                   return T.OnStarterThread;
                                 }) ||
                    llvm::any_of(S->Functions, [&](const SummaryFunction &F) {
                      return llvm::any_of(F.Calls, [&](const SummaryCall &C) {
                        return C.NewObject >= 0 && !NewObjectHolds(C);
                      });
                    });
      if (!Change)
        continue;
      auto Copy = std::make_unique<TUSummary>(*S);
      for (SummaryFunction &F : Copy->Functions) {
        llvm::SmallVector<int, 2> NotNew;
        for (const SummaryCall &C : F.Calls)
          if (C.NewObject >= 0 && !NewObjectHolds(C))
            NotNew.push_back(C.NewObject);
        for (SummaryCall &C : F.Calls)
          if (llvm::is_contained(NotNew, C.NewObject)) {
            C.NewObject = -1;
            C.Makes = false;
          }
      }
      llvm::BitVector Calls(Copy->Tasks.size());
      for (unsigned I = 0, N = Copy->Tasks.size(); I != N; ++I) {
        bool Later = Copy->Tasks[I].OnStarterThread;
        if (!Later && !CallsOnly(Copy->Tasks[I]))
          continue;
        SummaryTask T = Copy->Tasks[I];
        auto F = llvm::find_if(Copy->Functions, [&](const SummaryFunction &F) {
          return F.USR == T.Starter;
        });
        if (F != Copy->Functions.end() &&
            callInsteadOfStart(*F, T, *Copy, Later))
          Calls.set(I);
      }
      std::vector<SummaryTask> Tasks;
      for (unsigned I = 0, N = Copy->Tasks.size(); I != N; ++I)
        if (!Calls.test(I))
          Tasks.push_back(std::move(Copy->Tasks[I]));
      Copy->Tasks = std::move(Tasks);
      S = Copy.get();
      Owned.push_back(std::move(Copy));
    }
    return Out;
  }

  /// Adds to \p F, the starter of \p T, a call of T's entry made during
  /// F's call of the function T's callable is handed to (SummaryTask::Via),
  /// under its locks, after what comes before that call and before what
  /// comes after it (each index list of \p S's that names that call names
  /// the new one too). With \p Later (SummaryTask::OnStarterThread), a call
  /// made after the start's call, at some later turn of the thread's loop:
  /// outside the locks and gates the start is made under, ordered before
  /// nothing; when F records no call at the start, one ordered after
  /// nothing. False when F records no such call (without Later).
  static bool callInsteadOfStart(SummaryFunction &F, const SummaryTask &T,
                                 TUSummary &S, bool Later) {
    int K = -1;
    for (unsigned I = 0, N = F.Calls.size(); I != N; ++I)
      if ((Later || F.Calls[I].Callee == T.Via) &&
          F.Calls[I].Loc.File == T.Loc.File &&
          F.Calls[I].Loc.Line == T.Loc.Line &&
          F.Calls[I].Loc.Column == T.Loc.Column)
        K = static_cast<int>(I);
    if (K < 0 && !Later)
      return false;
    SummaryCall C;
    C.Callee = T.Entry;
    C.Loc = T.Loc;
    if (Later) {
      unsigned New = F.Calls.size();
      if (K >= 0) {
        C.After = F.Calls[K].After;
        C.After.push_back(static_cast<unsigned>(K));
        // A task of F's that may run beside the start may run beside it.
        for (SummaryTask &Other : S.Tasks)
          if (Other.Starter == F.USR &&
              llvm::is_contained(Other.ConcurrentCalls,
                                 static_cast<unsigned>(K)))
            Other.ConcurrentCalls.push_back(New);
      }
      F.Calls.push_back(std::move(C));
      return true;
    }
    unsigned New = F.Calls.size();
    const SummaryCall &Via = F.Calls[K];
    C.Held = Via.Held;
    C.After = Via.After;
    C.Gates = Via.Gates;
    C.Behind = Via.Behind;
    // Wherever the call is named, the callable's call is too.
    auto AlsoNew = [&](std::vector<unsigned> &V) {
      if (llvm::is_contained(V, static_cast<unsigned>(K)))
        V.push_back(New);
    };
    AlsoNew(C.After);
    C.After.push_back(static_cast<unsigned>(K));
    F.Calls.push_back(std::move(C));
    for (SummaryCall &Other : F.Calls) {
      if (&Other == &F.Calls.back())
        continue;
      AlsoNew(Other.After);
      AlsoNew(Other.Behind);
      AlsoNew(Other.IterAfter);
      AlsoNew(Other.Renewed);
    }
    for (SummaryAccess &A : F.Accesses) {
      AlsoNew(A.After);
      AlsoNew(A.Behind);
    }
    AlsoNew(F.ReturnBehind);
    for (SummaryStore &St : F.Stores)
      AlsoNew(St.LaterCalls);
    for (auto &CW : F.CallWaits)
      AlsoNew(CW.second.Calls);
    for (SummaryTask &Other : S.Tasks) {
      if (Other.Starter != F.USR)
        continue;
      AlsoNew(Other.ConcurrentCalls);
      AlsoNew(Other.LaterCalls);
      for (SummaryWait &W : Other.Waits)
        AlsoNew(W.Calls);
    }
    return true;
  }

  /// \p Summaries with the definitions several TUs make of a function a
  /// program defines once (SummaryFunction::Unique: every `main`, a helper
  /// of the same name in two executables) renamed to each TU's own, in the
  /// TU's functions, calls and tasks; and one more summary that defines
  /// each such name as a call of every definition: a TU that calls it
  /// without defining it may be linked with any of them.
  std::vector<const TUSummary *>
  perProgram(llvm::ArrayRef<const TUSummary *> Summaries) {
    llvm::StringMap<unsigned> Definitions;
    for (const TUSummary *S : Summaries)
      for (const SummaryFunction &F : S->Functions)
        if (F.Unique)
          ++Definitions[F.USR];
    std::vector<const TUSummary *> Out(Summaries.begin(), Summaries.end());
    auto Dispatch = std::make_unique<TUSummary>();
    llvm::StringMap<unsigned> DispatchOf;
    for (const TUSummary *&S : Out) {
      llvm::StringMap<std::string> Own;
      for (const SummaryFunction &F : S->Functions)
        if (F.Unique && Definitions.lookup(F.USR) > 1)
          Own.try_emplace(F.USR, F.USR + "@" + S->File);
      if (Own.empty())
        continue;
      auto Rename = [&](std::string &USR) {
        auto It = Own.find(USR);
        if (It != Own.end())
          USR = It->second;
      };
      auto Copy = std::make_unique<TUSummary>(*S);
      for (SummaryFunction &F : Copy->Functions) {
        for (SummaryCall &C : F.Calls)
          Rename(C.Callee);
        Rename(F.Within);
        auto It = Own.find(F.USR);
        if (It == Own.end())
          continue;
        auto [D, New] =
            DispatchOf.try_emplace(F.USR, Dispatch->Functions.size());
        if (New) {
          SummaryFunction Any;
          Any.USR = F.USR;
          Any.Name = F.Name;
          Any.External = false; // not external code: only what calls it
          Dispatch->Functions.push_back(std::move(Any));
        }
        Dispatch->Functions[D->second].Calls.push_back({It->second, {}, {}});
        F.USR = It->second;
      }
      for (SummaryTask &T : Copy->Tasks) {
        Rename(T.Starter);
        Rename(T.Entry);
      }
      for (std::string &H : Copy->BoundHandlers)
        Rename(H);
      for (SummaryHandler &H : Copy->HandlerContexts)
        Rename(H.USR);
      S = Copy.get();
      Owned.push_back(std::move(Copy));
    }
    if (!Dispatch->Functions.empty()) {
      Out.push_back(Dispatch.get());
      Owned.push_back(std::move(Dispatch));
    }
    return Out;
  }

  /// Whether call \p I of \p F is made on an object that the call is the
  /// first of \p F's calls of its callee to reach: an object F makes anew
  /// in each iteration of the loop around the call (SummaryCall::Fresh),
  /// whose earlier calls of the callee reached only the objects of earlier
  /// iterations (SummaryCall::Renewed), or an object F has just made and
  /// not shown to other code (SummaryCall::NewObject) that no other call
  /// of the callee that may come before reaches (another holder's).
  static bool firstCallOnNewObject(const SummaryFunction &F, unsigned I) {
    const SummaryCall &C = F.Calls[I];
    if (!F.Ordered || C.Virtual || (!C.Fresh && C.NewObject < 0))
      return false;
    return llvm::all_of(C.After, [&](unsigned J) {
      if (J >= F.Calls.size() || F.Calls[J].Callee != C.Callee)
        return true;
      const SummaryCall &D = F.Calls[J];
      return (C.Fresh && llvm::is_contained(C.Renewed, J)) ||
             (C.NewObject >= 0 && D.NewObject >= 0 &&
              D.NewObject != C.NewObject);
    });
  }

  /// Sets PerCallObject: the tasks a member function starts on its `this`
  /// once per call (SummaryTask::OnStarterThis) that every call of it in
  /// the program makes on an object of its own (firstCallOnNewObject(): a
  /// loop making a scheduler anew in each iteration and starting its
  /// thread), none a task's entry: each run of the task has its own
  /// object, as a constructor's start does (SummaryTask::OnOwnObject).
  void findPerCallObjects() {
    PerCallObject.resize(Tasks.size());
    llvm::StringMap<bool> OwnCalls;
    for (const SummaryTask *T : Tasks)
      if (T->OnStarterThis && !Entries.contains(T->Starter))
        OwnCalls.try_emplace(T->Starter, false);
    if (OwnCalls.empty())
      return;
    llvm::StringSet<> Other;
    for (const auto &E : Fns) {
      const SummaryFunction &F = *E.second;
      for (unsigned I = 0, N = F.Calls.size(); I != N; ++I) {
        auto It = OwnCalls.find(F.Calls[I].Callee);
        if (It == OwnCalls.end())
          continue;
        if (firstCallOnNewObject(F, I))
          It->second = true;
        else
          Other.insert(It->getKey());
      }
    }
    for (unsigned I = 0, N = Tasks.size(); I != N; ++I)
      if (Tasks[I]->OnStarterThis && OwnCalls.lookup(Tasks[I]->Starter) &&
          !Other.contains(Tasks[I]->Starter))
        PerCallObject.set(I);
  }

  /// Sets OwnRunEntries and CurrentEntry. A per-object thread's entry is
  /// the entry of one start (its copies in several TUs) whose runs each
  /// have an object of their own (SummaryTask::OnOwnObject, PerCallObject):
  /// a scheduler's loop. A direct call of it (a thread running an object's
  /// loop itself, coost's main thread as the first scheduler) is taken for
  /// that object's own run: one object's loop running on two threads at
  /// once is a defect of its own. Two runs of the entry, and what they
  /// reach on their object, are on one thread or on two objects.
  ///
  /// A current-object pointer is a thread-local pointer that holds, on each
  /// thread, the object whose own thread it is: every function of the
  /// program that stores into it stores `this` or a null pointer
  /// (SummaryFunction::SetsCurrent, SetsOther), and the one function that
  /// stores `this` is a per-object thread's entry (`gSched = this;` in the
  /// scheduler's loop).
  void findCurrentPointers() {
    llvm::StringMap<llvm::SmallVector<unsigned, 2>> ByEntry;
    for (unsigned I = 0, N = Tasks.size(); I != N; ++I)
      ByEntry[Tasks[I]->Entry].push_back(I);
    for (const auto &E : ByEntry) {
      llvm::ArrayRef<unsigned> Starts = E.second;
      if (llvm::all_of(Starts, [&](unsigned T) {
            return (Tasks[T]->OnOwnObject || PerCallObject.test(T)) &&
                   sameStart(T, Starts.front());
          }))
        OwnRunEntries.insert(E.getKey());
    }
    llvm::StringMap<std::string> Setter;
    llvm::StringSet<> Other;
    for (const auto &E : Fns) {
      const SummaryFunction &F = *E.second;
      for (const std::string &V : F.SetsOther)
        Other.insert(V);
      for (const std::string &V : F.SetsCurrent)
        if (auto [It, New] = Setter.try_emplace(V, F.USR);
            !New && It->second != F.USR)
          Other.insert(V);
    }
    for (const auto &E : Setter)
      if (!Other.contains(E.getKey()))
        if (auto It = OwnRunEntries.find(E.second); It != OwnRunEntries.end())
          CurrentEntry.try_emplace(E.getKey(), It->getKey());
  }

  /// Reached::OwnRun of the callee of \p C, made in \p F, a function whose
  /// `this` is the object of a run of \p OwnRun (or none): a call of a
  /// per-object thread's entry (not on an object F has just made and also
  /// starts that entry's thread on: `w->start(); w->loop();`), a call on
  /// the object a current-object pointer holds, or a call on the caller's
  /// object or a part of it.
  llvm::StringRef ownRunOf(const SummaryFunction &F, const SummaryCall &C,
                           llvm::StringRef OwnRun) const {
    // Not a call on an object the caller has just made and also starts
    // the entry's thread on (`w->start(); w->loop();`: two runs on it).
    if (auto It = OwnRunEntries.find(C.Callee); It != OwnRunEntries.end()) {
      if ((C.NewObject < 0 && !C.Fresh) ||
          llvm::none_of(F.Calls, [&](const SummaryCall &D) {
            auto S = StartedBy.find(D.Callee);
            return S != StartedBy.end() &&
                   llvm::any_of(S->second, [&](unsigned T) {
                     return Tasks[T]->Entry == C.Callee;
                   });
          }))
        return It->getKey();
      return {};
    }
    if (!C.Current.empty()) {
      auto It = CurrentEntry.find(C.Current);
      return It == CurrentEntry.end() ? llvm::StringRef() : It->second;
    }
    return C.OnThis ? OwnRun : llvm::StringRef();
  }

  /// What findPrograms() learns: the programs (executables) of the
  /// database, each named by its `main` or by the TU it is, and the programs
  /// each function may run in (none known: any).
  std::vector<std::string> ProgramNames;
  llvm::StringMap<llvm::SmallVector<unsigned, 2>> ProgramsOf;
  /// The program each summary's own code runs in, when it is one (a
  /// `main`'s TU, a test's).
  std::vector<std::optional<unsigned>> ProgramOfTU;

  /// True if tasks \p A and \p B are one start (one starter, entry and
  /// location) that two summaries hold (a header's inline function, a
  /// template instantiation, in each TU that includes it) of TUs that are
  /// two programs: each TU's copy is the start as its program runs it, and
  /// two programs do not run together.
  bool copiesInTwoPrograms(unsigned A, unsigned B) const {
    if (!sameStart(A, B))
      return false;
    auto Program = [&](unsigned T) -> std::optional<unsigned> {
      return TaskTU[T] < ProgramOfTU.size() ? ProgramOfTU[TaskTU[T]]
                                            : std::nullopt;
    };
    std::optional<unsigned> PA = Program(A), PB = Program(B);
    return PA && PB && *PA != *PB;
  }

  /// Whether the tasks \p A and \p B are copies of one start (its TU's
  /// copies of a header's): the same starter, entry and place.
  bool sameStart(unsigned A, unsigned B) const {
    const SummaryTask &TA = *Tasks[A], &TB = *Tasks[B];
    return TA.Starter == TB.Starter && TA.Entry == TB.Entry &&
           TA.Loc.File == TB.Loc.File && TA.Loc.Line == TB.Loc.Line &&
           TA.Loc.Column == TB.Loc.Column;
  }

  /// Labels every function \p Work reaches with \p Program: through calls,
  /// the tasks it starts, and the lambdas its body defines (which run where
  /// their creator runs, whoever calls them).
  void
  reachPrograms(unsigned Program, std::vector<llvm::StringRef> Work,
                const llvm::StringMap<std::vector<llvm::StringRef>> &Defines) {
    auto Label = [&](llvm::StringRef USR) {
      llvm::SmallVector<unsigned, 2> &Ps = ProgramsOf[USR];
      if (llvm::is_contained(Ps, Program))
        return false;
      Ps.push_back(Program);
      return true;
    };
    for (llvm::StringRef S : Work)
      Label(S);
    while (!Work.empty()) {
      llvm::StringRef USR = Work.back();
      Work.pop_back();
      auto Reach = [&](llvm::StringRef To) {
        if (Label(To))
          Work.push_back(ProgramsOf.find(To)->getKey());
      };
      if (const SummaryFunction *F = function(USR))
        for (const SummaryCall &C : F->Calls)
          Reach(C.Callee);
      if (auto It = StartedBy.find(USR); It != StartedBy.end())
        for (unsigned T : It->second)
          Reach(Tasks[T]->Entry);
      if (auto It = Defines.find(USR); It != Defines.end())
        for (llvm::StringRef L : It->second)
          Reach(L);
    }
  }

  /// Each `main` is a program; when the database has one, so is each TU
  /// without a `main` none of whose own functions (those it alone defines)
  /// a `main` reaches: a test, run by a test framework's `main` that is not
  /// in the database. What a program's `main` (a test TU's own functions)
  /// reaches runs in that program; a function defined only in a TU with a
  /// `main` runs in its program; one only a TU without a `main` defines and
  /// no `main` reaches runs in that TU's (as a test's).
  void findPrograms(llvm::ArrayRef<const TUSummary *> Summaries) {
    llvm::StringMap<std::vector<llvm::StringRef>> Defines;
    for (const auto &E : Fns)
      if (!E.second->Within.empty())
        Defines[E.second->Within].push_back(E.getKey());
    auto NewProgram = [&](llvm::StringRef Name) {
      ProgramNames.push_back(Name.str());
      return static_cast<unsigned>(ProgramNames.size() - 1);
    };
    // perProgram()'s summary of the calls of each TU's `main` has no file:
    // it is no TU.
    // The program each TU's own code runs in, when it is one: a `main`'s, a
    // test's.
    std::vector<std::optional<unsigned>> &TUProgram = ProgramOfTU;
    TUProgram.assign(Summaries.size(), std::nullopt);
    for (unsigned I = 0, N = Summaries.size(); I != N; ++I)
      for (const SummaryFunction &F : Summaries[I]->Functions)
        if (isMain(F.USR) && !Summaries[I]->File.empty() && !TUProgram[I]) {
          TUProgram[I] = NewProgram(F.USR);
          reachPrograms(*TUProgram[I], {F.USR}, Defines);
        }
    if (ProgramNames.empty())
      return;
    // The functions each TU alone defines that no `main` reaches, and the
    // TUs none of whose own functions a `main` reaches: tests.
    std::vector<std::vector<llvm::StringRef>> Own(Summaries.size()),
        Unreached(Summaries.size());
    for (const auto &E : DefinedIn)
      if (E.second.size() == 1)
        Own[E.second.front()].push_back(E.getKey());
    for (unsigned I = 0, N = Summaries.size(); I != N; ++I) {
      for (llvm::StringRef USR : Own[I])
        if (!ProgramsOf.count(USR))
          Unreached[I].push_back(USR);
      if (!TUProgram[I] && !Summaries[I]->File.empty() && !Own[I].empty() &&
          Unreached[I].size() == Own[I].size())
        TUProgram[I] = NewProgram(Summaries[I]->File);
    }
    // A library TU's code no `main` reaches is a program of its own too, as
    // a test's, but the TU's tasks are not tied to it.
    for (unsigned I = 0, N = Summaries.size(); I != N; ++I)
      if (!Unreached[I].empty() && !Summaries[I]->File.empty())
        reachPrograms(TUProgram[I] ? *TUProgram[I]
                                   : NewProgram(Summaries[I]->File),
                      std::move(Unreached[I]), Defines);
  }

  /// Whether \p USR names a program's `main` (possibly one TU's own).
  static bool isMain(llvm::StringRef USR) {
    return USR == "c:@F@main" || USR.starts_with("c:@F@main#") ||
           USR.starts_with("c:@F@main@");
  }

  /// The programs \p U may run in, when they are known: those of the
  /// function that starts U's task, of U's starting function, or of the
  /// external function U's code is reached from. Empty when unknown (any
  /// program may run it).
  llvm::ArrayRef<unsigned> programsOf(const LinkUse &U) const {
    llvm::StringRef Fn;
    if (U.K == LinkUse::Task) {
      Fn = Tasks[U.TaskIndex]->Starter;
    } else if (U.K == LinkUse::Starter) {
      Fn = U.StarterFn;
    } else if (U.Tree) {
      Fn = pathTo(U).front()->USR;
    }
    auto It = ProgramsOf.find(Fn);
    if (It == ProgramsOf.end())
      return {};
    return It->second;
  }

  const SummaryFunction *function(llvm::StringRef USR) const {
    return Fns.lookup(USR);
  }

  std::string functionName(llvm::StringRef USR) const {
    const SummaryFunction *F = function(USR);
    return F ? F->Name : USR.str();
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
  /// Held for real (not only by the mode of a flag's arm): what orders an
  /// acquisition after it.
  static bool takenBefore(const std::vector<HeldMutex> &Held,
                          llvm::StringRef M) {
    return llvm::any_of(
        Held, [&](const HeldMutex &H) { return H.Mutex == M && !H.ModeArm; });
  }

  /// The mutexes a call of \p USR acquires, its callees' included.
  const std::vector<LinkAcquisition> &acquisitions(llvm::StringRef USR,
                                                   unsigned Depth) {
    const SummaryFunction *F = function(USR);
    if (!F) {
      static const std::vector<LinkAcquisition> None;
      return None;
    }
    return Acquisitions.get(USR, Depth, Limits.MaxDepth, [&] {
      std::vector<LinkAcquisition> Out;
      auto Add = [&](LinkAcquisition A) {
        if (Out.size() != Limits.MaxAcquisitions &&
            llvm::none_of(Out, [&](const LinkAcquisition &K) {
              return K.Mutex == A.Mutex;
            }))
          Out.push_back(std::move(A));
      };
      for (const SummaryAcquisition &A : F->Acquisitions)
        Add({A.Mutex, A.Loc, F->USR, {}});
      for (const SummaryCall &C : F->Calls)
        for (const LinkAcquisition &A : acquisitions(C.Callee, Depth + 1))
          if (!takenBefore(C.Held, A.Mutex)) // a recursive mutex locked again
            Add(through(C, A));
      return Out;
    });
  }

  /// The mutexes a call of \p USR takes (SummaryFunction::Takes), its
  /// callees' included.
  const llvm::StringSet<> &takenBy(llvm::StringRef USR) {
    return reachedMutexes(USR, Taken,
                          [](const SummaryFunction &F, llvm::StringSet<> &Out) {
                            for (const std::string &M : F.Takes)
                              Out.insert(M);
                          });
  }

  /// The mutexes of the waits for work \p F's body passes (on some path).
  static void ownWaits(const SummaryFunction &F, llvm::StringSet<> &Out) {
    for (const std::string &M : F.ReturnGates)
      Out.insert(M);
    for (const SummaryCall &C : F.Calls)
      for (const std::string &M : C.Gates)
        Out.insert(M);
    for (const SummaryAccess &A : F.Accesses)
      for (const std::string &M : A.Gates)
        Out.insert(M);
  }

  /// The mutexes of the waits for work a call of \p USR passes, its
  /// callees' included.
  const llvm::StringSet<> &waitsIn(llvm::StringRef USR) {
    return reachedMutexes(USR, WaitsOf, ownWaits);
  }

  /// What \p Own gives for \p USR and, through their calls, its callees
  /// (cached in \p Cache).
  template <class OwnFn>
  const llvm::StringSet<> &reachedMutexes(llvm::StringRef USR,
                                          DepthMemo<llvm::StringSet<>> &Cache,
                                          OwnFn Own, unsigned Depth = 0) {
    static const llvm::StringSet<> None;
    const SummaryFunction *F = function(USR);
    if (!F)
      return None;
    return Cache.get(USR, Depth, Limits.MaxDepth, [&] {
      llvm::StringSet<> Out;
      Own(*F, Out);
      for (const SummaryCall &C : F->Calls)
        for (const auto &M : reachedMutexes(C.Callee, Cache, Own, Depth + 1))
          Out.insert(M.getKey());
      return Out;
    });
  }

  /// A store that can end a wait, and the function that makes it.
  struct EndingStore {
    const SummaryFunction *Fn;
    const SummaryStore *St;
  };

  /// Whether \p W, a wait of task \p T's starter or one made after a call
  /// that starts T (SummaryFunction::CallWaits), is a handshake: the
  /// task's entry, or a function it calls (MaxDepth deep), makes a store
  /// that can end it, and every such store releases. Those stores are added
  /// to \p Ending.
  bool handshake(unsigned T, const SummaryWait &W,
                 std::vector<EndingStore> *Ending = nullptr) {
    const SummaryFunction *E = function(Tasks[T]->Entry);
    if (!E)
      return false;
    if (W.Param >= 0 && !alwaysTrue(Tasks[T]->Starter, W.Param))
      return false;
    bool Any = false, Relaxed = false;
    for (const EndingStore &S : storesOf(T, W.Atomic))
      if (endsWait(static_cast<clang::BinaryOperatorKind>(W.Op), W.Value,
                   S.St->Value)) {
        Relaxed |= !S.St->Releases;
        Any = true;
        if (Ending)
          Ending->push_back(S);
      }
    return Any && !Relaxed;
  }

  /// The stores to \p Atomic that task \p T's entry and the functions it
  /// calls (MaxDepth deep, each at its shallowest depth) make. Cached.
  const std::vector<EndingStore> &storesOf(unsigned T, llvm::StringRef Atomic) {
    auto [It, New] =
        TaskStores.try_emplace({T, Atomic.str()}, std::vector<EndingStore>());
    if (!New)
      return It->second;
    std::vector<EndingStore> Out;
    const SummaryFunction *E = function(Tasks[T]->Entry);
    llvm::SmallPtrSet<const SummaryFunction *, 16> Seen;
    std::vector<const SummaryFunction *> Level;
    if (E && Seen.insert(E).second)
      Level.push_back(E);
    // Breadth first: a function is visited at the least depth it is
    // reached at, whatever path reached it first.
    for (unsigned Depth = 0; !Level.empty() && Depth <= Limits.MaxDepth;
         ++Depth) {
      std::vector<const SummaryFunction *> Next;
      for (const SummaryFunction *F : Level) {
        for (const SummaryStore &St : F->Stores)
          if (St.Atomic == Atomic)
            Out.push_back({F, &St});
        for (const SummaryCall &C : F->Calls)
          if (const SummaryFunction *Callee = function(C.Callee);
              Callee && Seen.insert(Callee).second)
            Next.push_back(Callee);
      }
      Level = std::move(Next);
    }
    return TaskStores[{T, Atomic.str()}] = std::move(Out);
  }

  /// Whether \p USR's bool parameter \p Param is true in every call of it
  /// in the program: it has calls, none a task's start, and each passes
  /// a constant true or a parameter of its caller that is (SummaryCall::
  /// BoolArgs; the greatest fixpoint, so a parameter a recursion passes on
  /// stays true).
  bool alwaysTrue(llvm::StringRef USR, int Param) {
    if (Param < 0 || Param >= 64)
      return false;
    if (!TrueParamsDone) {
      TrueParamsDone = true;
      for (const auto &E : Fns)
        for (const SummaryCall &C : E.second->Calls)
          if (!Entries.contains(C.Callee))
            TrueParams[C.Callee] = ~uint64_t(0);
      auto Of = [&](llvm::StringRef Fn) {
        auto It = TrueParams.find(Fn);
        return It == TrueParams.end() ? uint64_t(0) : It->second;
      };
      for (bool Changed = true; Changed;) {
        Changed = false;
        for (const auto &E : Fns)
          for (const SummaryCall &C : E.second->Calls) {
            auto It = TrueParams.find(C.Callee);
            if (It == TrueParams.end() || !It->second)
              continue;
            uint64_t Known = 0;
            for (const auto &[P, V] : C.BoolArgs)
              if (P < 64 && (V == 1 || (V < 0 && -1 - V < 64 &&
                                        ((Of(E.getKey()) >> (-1 - V)) & 1))))
                Known |= uint64_t(1) << P;
            if ((It->second & Known) != It->second) {
              It->second &= Known;
              Changed = true;
            }
          }
      }
    }
    auto It = TrueParams.find(USR);
    return It != TrueParams.end() && ((It->second >> Param) & 1);
  }

  /// The tasks a call of \p USR returns only after a handshake with
  /// (handshake()): its body starts them and waits for them on every path
  /// to its return, or a call made on every path to its return does.
  const llvm::BitVector &waitedAtReturn(llvm::StringRef USR,
                                        unsigned Depth = 0) {
    static const llvm::BitVector None;
    const SummaryFunction *F = function(USR);
    if (!F)
      return None;
    return WaitedAtReturn.get(USR, Depth, Limits.MaxDepth, [&] {
      llvm::BitVector Out(Tasks.size());
      if (auto It = StartedBy.find(USR); It != StartedBy.end())
        for (unsigned T : It->second)
          for (const SummaryWait &W : Tasks[T]->Waits)
            if (W.AtReturn && handshake(T, W))
              Out.set(T);
      for (unsigned C : F->ReturnBehind)
        if (C < F->Calls.size())
          Out |= waitedAtReturn(F->Calls[C].Callee, Depth + 1);
      return Out;
    });
  }

  /// Whether \p U, a use on another thread than task \p T's, comes after
  /// a handshake with T on its path: in a function on the path, the
  /// statement on the path follows the wait of T's starter, or a wait made
  /// after a call that starts T on the object that call makes or is made on
  /// (SummaryFunction::CallWaits), or follows a call that returns only
  /// after it (waitedAtReturn()), with no call before it that may start T
  /// again without it. The waits passed are added to \p Used.
  bool afterHandshake(const LinkUse &U, unsigned T,
                      std::vector<const SummaryWait *> *Used = nullptr) {
    bool After = false;
    auto Level = [&](const SummaryFunction &F, int Call, int Access,
                     const std::vector<unsigned> &Before) {
      auto Covers = [&](const SummaryWait &W) {
        return Call >= 0 ? llvm::is_contained(W.Calls, unsigned(Call))
                         : llvm::is_contained(W.Accesses, unsigned(Access));
      };
      // The calls before the statement that start T and are waited for.
      llvm::SmallVector<unsigned, 2> Waited;
      for (const auto &[J, W] : F.CallWaits)
        if (J < F.Calls.size() && Covers(W) &&
            starts(F.Calls[J].Callee).test(T) && handshake(T, W)) {
          Waited.push_back(J);
          if (Used)
            Used->push_back(&W);
        }
      for (unsigned J : Before) {
        if (J >= F.Calls.size())
          continue;
        llvm::StringRef Callee = F.Calls[J].Callee;
        if (llvm::is_contained(Waited, J) || waitedAtReturn(Callee).test(T))
          After = true;
        else if (starts(Callee).test(T))
          return void(After = false);
      }
      if (F.USR == Tasks[T]->Starter)
        for (const SummaryWait &W : Tasks[T]->Waits)
          if (handshake(T, W) && Covers(W)) {
            After = true;
            if (Used)
              Used->push_back(&W);
          }
    };
    auto CallLevel = [&](llvm::StringRef Fn, int Call) {
      const SummaryFunction *F = function(Fn);
      if (F && Call >= 0 && unsigned(Call) < F->Calls.size())
        Level(*F, Call, -1, F->Calls[Call].After);
    };
    llvm::SmallVector<const Reached *, 8> Path = pathTo(U);
    if (U.K == LinkUse::Starter && U.Tree)
      CallLevel(U.StarterFn, U.RootCall);
    for (unsigned I = 1, N = Path.size(); I < N; ++I)
      CallLevel(Path[I - 1]->USR, Path[I]->CallIndex);
    if (const SummaryFunction *F = function(U.AccessFn); F && U.Access)
      Level(*F, -1, static_cast<int>(U.Access - F->Accesses.data()),
            U.Access->After);
    return After;
  }

  /// Whether \p P, a use of a task, comes before every store of its entry
  /// (or of a function it calls) that ends a wait which \p Waiter's thread
  /// passed before \p Waiter (afterHandshake()): each such store is made
  /// by a function on P's path after the statement on that path.
  bool orderedByHandshake(const LinkUse &P, const LinkUse &Waiter) {
    if (P.K != LinkUse::Task ||
        (Waiter.K == LinkUse::Task &&
         (Waiter.TaskIndex == P.TaskIndex || !anyCallWaits())) ||
        (Tasks[P.TaskIndex]->Waits.empty() && !anyCallWaits()))
      return false;
    unsigned T = static_cast<unsigned>(P.TaskIndex);
    llvm::SmallVector<const Reached *, 8> Path = pathTo(P);
    const SummaryFunction *E = function(Tasks[T]->Entry);
    std::vector<const SummaryWait *> Used;
    if (Path.empty() || !E || Path[0]->USR != E->USR ||
        !afterHandshake(Waiter, T, &Used))
      return false;
    for (const SummaryWait &W : Tasks[T]->Waits)
      Used.push_back(&W);
    auto Before = [&](const EndingStore &End) {
      for (unsigned L = 0, N = Path.size(); L != N; ++L) {
        if (Path[L]->USR != End.Fn->USR)
          continue;
        // The statement of that function on P's path: its call, or P's
        // access.
        if (L + 1 < N)
          return !llvm::is_contained(End.St->LaterCalls,
                                     unsigned(Path[L + 1]->CallIndex));
        if (!P.Access || End.Fn->USR != P.AccessFn)
          return false;
        return !llvm::is_contained(
            End.St->LaterAccesses,
            static_cast<unsigned>(P.Access - End.Fn->Accesses.data()));
      }
      return false; // made off P's path: its order is not known
    };
    for (const SummaryWait *W : Used) {
      std::vector<EndingStore> Ending;
      if (handshake(T, *W, &Ending) && llvm::all_of(Ending, Before))
        return true;
    }
    return false;
  }

  /// Whether any function records a wait after a call (CallWaits).
  bool anyCallWaits() {
    if (!AnyCallWaits)
      AnyCallWaits = llvm::any_of(
          Fns, [](const auto &E) { return !E.second->CallWaits.empty(); });
    return *AnyCallWaits;
  }

  /// The mutexes of the waits for work a call of \p USR passes on every
  /// path to its return, its callees' included.
  const std::vector<std::string> &gatesAfter(llvm::StringRef USR,
                                             unsigned Depth = 0) {
    static const std::vector<std::string> None;
    const SummaryFunction *F = function(USR);
    if (!F)
      return None;
    return ReturnGates.get(USR, Depth, Limits.MaxDepth, [&] {
      return gatesAt(*F, F->ReturnGates, F->ReturnBehind, Depth);
    });
  }

  /// The waits for work \p F passes before a statement of its with the
  /// gates \p Gates and the calls \p Behind before it on every path.
  std::vector<std::string> gatesAt(const SummaryFunction &F,
                                   const std::vector<std::string> &Gates,
                                   const std::vector<unsigned> &Behind,
                                   unsigned Depth = 0) {
    std::vector<std::string> Out = Gates;
    for (unsigned J : Behind)
      if (J < F.Calls.size())
        for (const std::string &G : gatesAfter(F.Calls[J].Callee, Depth + 1))
          if (!llvm::is_contained(Out, G))
            Out.push_back(G);
    return Out;
  }

  /// Whether \p P, a use of the program's own thread (not a task's), and
  /// \p Waiter, a task's, are ordered by a wait for work: the task made
  /// its access after a wait that only a thread acquiring the wait's mutex
  /// can end (to publish the work), and nothing on \p P's thread can have
  /// acquired that mutex yet where P is made (in P's function and in every
  /// function on its path, no call before P's that takes it; none of them
  /// takes it itself): P's thread publishes only after P. What P's thread
  /// did before is known when its path starts at a program's `main`, or
  /// when it started the waiting thread itself before P (its starter, or a
  /// call before P's that may start it); not from a function nothing in the
  /// program calls (a library's, which its callers may call after a
  /// publish). No other thread may publish first: no task that may run at
  /// P takes the mutex, but the other waiters (the waiting thread's other
  /// starts, the tasks that wait under the mutex themselves: a pool's
  /// workers, a consumer of another class; one that also publishes is not
  /// told apart).
  bool orderedByWait(const LinkUse &P, const LinkUse &Waiter) {
    if (P.K == LinkUse::Task || Waiter.K != LinkUse::Task || !Waiter.Tree)
      return false;
    unsigned WT = static_cast<unsigned>(Waiter.TaskIndex);
    bool Known =
        (P.Started.size() > WT && P.Started.test(WT)) ||
        (P.K == LinkUse::Starter && P.StarterFn == Tasks[WT]->Starter) ||
        (P.K == LinkUse::External && P.Tree && isMain(pathTo(P).front()->USR));
    if (!Known)
      return false;
    const SummaryFunction *WF = function(Waiter.AccessFn);
    if (!WF)
      return false;
    std::vector<std::string> Waited = (*Waiter.Tree)[Waiter.Node].Waited;
    for (std::string &G :
         gatesAt(*WF, Waiter.Access->Gates, Waiter.Access->Behind))
      Waited.push_back(std::move(G));
    if (Waited.empty())
      return false;
    auto TakesBefore = [&](const SummaryFunction &F,
                           const std::vector<unsigned> &After,
                           llvm::StringRef M) {
      if (llvm::is_contained(F.Takes, M))
        return true;
      auto Takes = [&](unsigned J) {
        return J < F.Calls.size() && takenBy(F.Calls[J].Callee).contains(M);
      };
      if (F.Ordered)
        return llvm::any_of(After, Takes);
      for (unsigned J = 0, N = F.Calls.size(); J != N; ++J)
        if (Takes(J))
          return true;
      return false;
    };
    const SummaryFunction *PF = function(P.AccessFn);
    if (!PF)
      return false;
    auto TakenOnPsThread = [&](llvm::StringRef M) {
      return TakesBefore(*PF, P.Access->After, M) ||
             (P.Tree && llvm::is_contained((*P.Tree)[P.Node].TakenBefore, M));
    };
    // Whether another thread may acquire M before P's thread first does: a
    // task that may be running at P (not the waiter's other starts at the
    // top, nor a task that waits under M itself) whose entry acquires M
    // before it passes any wait for work, or only behind waits of which
    // one's mutex may be acquired first so (on P's thread before P, or by
    // another task in turn). A mutex being decided is not: its first
    // acquisition cannot wait for itself (an I/O worker that hands its
    // tasks back to the processor whose thread gives them to it).
    llvm::StringSet<> Deciding;
    std::function<bool(llvm::StringRef, bool)> OtherTaskTakes =
        [&](llvm::StringRef M, bool Top) {
          if (!Deciding.insert(M).second)
            return false;
          for (unsigned T = 0, N = Tasks.size(); T != N; ++T) {
            llvm::StringRef Entry = Tasks[T]->Entry;
            if ((Top && Entry == Tasks[WT]->Entry) ||
                (P.NotYet.size() > T && P.NotYet.test(T)) ||
                !takenBy(Entry).contains(M) || waitsIn(Entry).contains(M))
              continue;
            const WorkGated &G = takenBeforeWork(Entry);
            if (G.Ungated.contains(M) || G.Gates.empty())
              return true;
            for (const auto &Gate : G.Gates)
              if (TakenOnPsThread(Gate.getKey()) ||
                  OtherTaskTakes(Gate.getKey(), false))
                return true;
          }
          return false;
        };
    return llvm::any_of(Waited, [&](llvm::StringRef M) {
      Deciding.clear();
      return !TakenOnPsThread(M) && !OtherTaskTakes(M, true);
    });
  }

  /// What a call of a task's entry acquires before its thread passes a
  /// wait for work, and the waits for work behind which it acquires more.
  struct WorkGated {
    /// Acquired on some path before any wait for work (its callees' that
    /// no wait precedes included; a function's own acquisitions count
    /// here wherever they are).
    llvm::StringSet<> Ungated;
    /// The mutexes of the waits for work that precede, on every path, a
    /// call it makes (the rest of what it acquires is behind them).
    llvm::StringSet<> Gates;
  };
  const WorkGated &takenBeforeWork(llvm::StringRef USR, unsigned Depth = 0) {
    const SummaryFunction *F = function(USR);
    if (!F)
      return BeforeWork.none();
    return BeforeWork.get(USR, Depth, Limits.MaxDepth, [&] {
      WorkGated Out;
      for (const std::string &M : F->Takes)
        Out.Ungated.insert(M);
      for (const SummaryCall &C : F->Calls) {
        std::vector<std::string> G = gatesAt(*F, C.Gates, C.Behind, Depth);
        if (!G.empty()) {
          for (std::string &M : G)
            Out.Gates.insert(std::move(M));
          continue;
        }
        const WorkGated &Sub = takenBeforeWork(C.Callee, Depth + 1);
        for (const auto &M : Sub.Ungated)
          Out.Ungated.insert(M.getKey());
        for (const auto &M : Sub.Gates)
          Out.Gates.insert(M.getKey());
        // A callee not followed (cut, or on the way): what it takes is
        // taken before any wait.
        if (&Sub == &BeforeWork.none())
          for (const auto &M : takenBy(C.Callee))
            Out.Ungated.insert(M.getKey());
      }
      return Out;
    });
  }

  /// The mutexes of every wait for work of the program.
  const llvm::StringSet<> &waitMutexes() {
    if (!WaitMutexesDone) {
      WaitMutexesDone = true;
      for (const auto &E : Fns)
        ownWaits(*E.second, WaitMutexes);
    }
    return WaitMutexes;
  }

  /// \p A, acquired by a call of C's callee, as acquired through \p C.
  static LinkAcquisition through(const SummaryCall &C,
                                 const LinkAcquisition &A) {
    LinkAcquisition Out = A;
    Out.Via.insert(Out.Via.begin(), {C.Loc, C.Callee});
    return Out;
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
                       F->USR,
                       A.Loc,
                       H.AcquiredAt,
                       !H.AcquiredAt.File.empty(),
                       {A.Mutex, A.Loc, F->USR, {}},
                       false,
                       I,
                       &A.Held});
    }
    for (unsigned I = 0, N = F->Calls.size(); I != N; ++I) {
      const SummaryCall &C = F->Calls[I];
      if (C.Held.empty())
        continue;
      for (const LinkAcquisition &A : acquisitions(C.Callee, 1))
        if (!takenBefore(C.Held, A.Mutex))
          for (const HeldMutex &H : C.Held)
            if (!H.ModeArm)
              Out.push_back({H.Mutex, A.Mutex, F->USR, C.Loc, H.AcquiredAt,
                             !H.AcquiredAt.File.empty(), through(C, A), true, I,
                             &C.Held});
    }
    FunctionLinks &Done = links(USR);
    Done.Orders = std::move(Out);
    Done.OrdersDone = true;
    return Done.Orders;
  }

  /// A root of reach(): a function, the call of it (if any) and the
  /// mutexes held there.
  struct Root {
    llvm::StringRef USR;
    Location CallAt;
    const std::vector<HeldMutex> *Held = nullptr;
    Receiver Object = Receiver::Other;
    /// Reached::NotYet and Reached::Started at the root (none: empty).
    llvm::BitVector NotYet = {}, Started = {};
    /// Reached::OwnerRoot and OwnerChain at the root (none: empty).
    llvm::StringRef OwnerRoot = {};
    llvm::SmallVector<llvm::StringRef, 2> OwnerChain = {};
    bool ViaVirtual = false;
    bool OnTaskObject = false;    ///< Reached::OnTaskObject at the root
    bool OnStarterObject = false; ///< Reached::OnStarterObject at the root
    bool OnOwner = false;         ///< Reached::OnOwner at the root
    llvm::StringRef OwnRun = {};  ///< Reached::OwnRun at the root
    /// Reached::Anchored at the root: a task's entry runs on the object
    /// its start binds; a starter's callee on what the call's object
    /// expression says (SummaryCall::Anchor); a public function nothing in
    /// the program calls on any object its users have.
    bool Anchored = true;
    /// The parameters of a task's entry that is no lambda are bound by the
    /// start (a lambda's, the code that runs the lambda chooses: an
    /// actor's `self`); an entry point's, by its users.
    bool ParamsAnchored = false;
  };

  /// Whether two objects reached from `this` of the classes \p A and \p B
  /// (through the same members) may be one: one class is the other or
  /// derives from it, they share a virtual base, or the bases of one are
  /// not known.
  bool relatedClasses(llvm::StringRef A, llvm::StringRef B) const {
    if (A == B)
      return true;
    const SummaryClass *CA = Classes.lookup(A), *CB = Classes.lookup(B);
    if (!CA || !CB)
      return true;
    return llvm::is_contained(CA->Bases, B) ||
           llvm::is_contained(CB->Bases, A) ||
           llvm::any_of(CA->VirtualBases, [&](const std::string &V) {
             return llvm::is_contained(CB->VirtualBases, V);
           });
  }

  /// Whether \p J's access, through `this` of a member its object owns,
  /// comes after a join, on every path, of the thread member of that object
  /// that holds the thread of task \p T (SummaryTask::Handle, joined in
  /// J's function, SummaryAccess::JoinedBefore, or by a caller on the same
  /// object, Reached::JoinedThis), and \p T's access is through `this` of a
  /// member of the object its starter started it on (LinkUse::
  /// OnStarterObject): on one object the thread has ended; on two objects
  /// the members are two. So is a task sent to an io_context member of its
  /// starter's object when the one thread that runs it is that object's
  /// runner, so joined (RunnerOf). Not when some function may detach
  /// the member's thread or move it out (SummaryFunction::HandsOff).
  bool apartByJoin(const LinkUse &J, const LinkUse &T) {
    if (T.K != LinkUse::Task || !T.OnStarterObject || !J.Access ||
        !J.Access->ThroughThis || !J.Access->Owned)
      return false;
    if (!HandedOffDone) {
      HandedOffDone = true;
      for (const auto &E : Fns)
        for (const std::string &M : E.second->HandsOff)
          HandedOff.insert(M);
    }
    auto Joined = [&](llvm::StringRef H) {
      return !H.empty() && !HandedOff.contains(H) &&
             (llvm::is_contained(J.Access->JoinedBefore, H) ||
              llvm::is_contained(J.JoinedThis, H));
    };
    const SummaryTask &Task = *Tasks[T.TaskIndex];
    if (Joined(Task.Handle))
      return true;
    // A task sent to an io_context of its starter's object that one thread
    // runs (contextGates()), that object's runner: over once that thread is.
    if (!isContextExecutorKey(Task.Serial))
      return false;
    llvm::StringRef K = llvm::StringRef(Task.Serial).split(':').second;
    const SummaryFunction *Starter = function(Task.Starter);
    if (!Starter || !ownContext(K, Starter->ThisClass))
      return false;
    auto It = RunnerOf.find(K);
    return It != RunnerOf.end() && llvm::any_of(It->second, [&](unsigned R) {
             const SummaryFunction *Entry = function(Tasks[R]->Entry);
             return (Tasks[R]->OnOwnObject || Tasks[R]->OnStarterThis) &&
                    Entry && ownContext(K, Entry->ThisClass) &&
                    Joined(Tasks[R]->Handle);
           });
  }

  /// Whether the io_context \p K (as contextGates() names it) is a data
  /// member of `this` of a function of class \p Class: a member of the
  /// class or of one of its bases.
  bool ownContext(llvm::StringRef K, llvm::StringRef Class) {
    if (Class.empty() || K.contains('.'))
      return false;
    auto Of = [&](llvm::StringRef C) {
      return K.starts_with(C) && K.drop_front(C.size()).starts_with("@FI@");
    };
    if (Of(Class))
      return true;
    const SummaryClass *C = Classes.lookup(Class);
    return C &&
           llvm::any_of(C->Bases, [&](const std::string &B) { return Of(B); });
  }

  /// Whether \p A, confined to the owner thread of its object by a
  /// current-thread test (ownerThreadName() among its gates), and \p B run
  /// on that one thread: \p B is the task the member holds, reaching its
  /// access along calls on its own object (LinkUse::OnOwner). Two accesses
  /// both confined by one member hold a common gate already; two tasks
  /// that member holds are the threads of two objects.
  bool onOwnerThread(const LinkUse &A, const LinkUse &B) const {
    if (!B.OnOwner || B.K != LinkUse::Task)
      return false;
    std::string Owner = ownerThreadName(Tasks[B.TaskIndex]->Owner);
    return llvm::is_contained(A.Gates, Owner);
  }

  /// Whether \p A and \p B, two accesses of one member through `this`,
  /// touch two objects: their objects are reached through members owned
  /// by their owners (LinkUse::OwnerRoot, OwnerChain), and the chains,
  /// read from the accessed member back towards `this`, reach two
  /// different members (a member object has one owner), or end together at
  /// `this` of two unrelated classes (relatedClasses()). A chain that ends
  /// first may be a part of the other's object.
  bool apartByOwner(const LinkUse &A, const LinkUse &B) const {
    if (A.OwnerRoot.empty() || B.OwnerRoot.empty())
      return false;
    auto IA = A.OwnerChain.rbegin(), IB = B.OwnerChain.rbegin();
    for (; IA != A.OwnerChain.rend() && IB != B.OwnerChain.rend(); ++IA, ++IB)
      if (*IA != *IB)
        return true;
    if (IA != A.OwnerChain.rend() || IB != B.OwnerChain.rend())
      return false;
    // One object: its class derives from both (or is one of them), and
    // does not override a function reached on it by virtual dispatch.
    auto Overrides = [&](llvm::StringRef Class, llvm::StringRef Fn) {
      const SummaryClass *C = Classes.lookup(Class);
      return !Fn.empty() && C && llvm::is_contained(C->Overridden, Fn);
    };
    return !relatedClasses(A.OwnerRoot, B.OwnerRoot) ||
           Overrides(B.OwnerRoot, A.OwnerVirtual) ||
           Overrides(A.OwnerRoot, B.OwnerVirtual);
  }

  /// Whether \p A, a task's access to a local of the function that started
  /// the task and ends it before it returns (LinkUse::ScopedTo), cannot be
  /// made on \p B's object: B is a task that function neither starts nor
  /// may start through its calls and its tasks (another function's task,
  /// on objects of its own). The function's own thread is judged as before.
  bool apartByScope(const LinkUse &A, const LinkUse &B) {
    if (A.ScopedTo.empty() || B.K != LinkUse::Task)
      return false;
    unsigned T = static_cast<unsigned>(B.TaskIndex);
    if (Tasks[T]->Starter == A.ScopedTo)
      return false;
    const llvm::BitVector &S = starts(A.ScopedTo);
    return !(S.size() > T && S.test(T));
  }

  /// The tasks a call of \p USR may start: those its body starts, and
  /// those its callees and its tasks' entries start, in any TU.
  const llvm::BitVector &starts(llvm::StringRef USR) {
    if (!StartsDone) {
      StartsDone = true;
      for (const auto &E : Fns) {
        llvm::BitVector &B = StartsOf[E.getKey()];
        B.resize(Tasks.size());
        if (auto It = StartedBy.find(E.getKey()); It != StartedBy.end())
          for (unsigned T : It->second)
            B.set(T);
      }
      for (bool Changed = true; Changed;) {
        Changed = false;
        for (const auto &E : Fns) {
          llvm::BitVector B = StartsOf[E.getKey()];
          llvm::BitVector Old = B;
          for (const SummaryCall &C : E.second->Calls)
            if (auto It = StartsOf.find(C.Callee); It != StartsOf.end())
              B |= It->second;
          for (unsigned T : Old.set_bits())
            if (auto It = StartsOf.find(Tasks[T]->Entry); It != StartsOf.end())
              B |= It->second;
          // Running an io_context runs the handlers on it.
          if (E.second->Drives)
            for (const auto &H : Handlers)
              if (auto It = StartsOf.find(H.getKey()); It != StartsOf.end())
                B |= It->second;
          if (B != Old) {
            StartsOf[E.getKey()] = std::move(B);
            Changed = true;
          }
        }
      }
    }
    return taskSetOf(StartsOf, USR);
  }

  /// \p USR's entry of \p Sets, a set of tasks per function; none when it
  /// has none.
  const llvm::BitVector &taskSetOf(const llvm::StringMap<llvm::BitVector> &Sets,
                                   llvm::StringRef USR) {
    auto It = Sets.find(USR);
    if (It != Sets.end())
      return It->second;
    if (NoStarts.size() != Tasks.size())
      NoStarts.resize(Tasks.size());
    return NoStarts;
  }

  /// The tasks a call of \p USR may leave running when it returns: those it
  /// starts (its body, its callees, its tasks' entries) but the tasks its
  /// body starts and ends before returning (SummaryTask::Ended). What those
  /// start in turn may still run.
  const llvm::BitVector &leftRunning(llvm::StringRef USR) {
    if (!LeftDone) {
      LeftDone = true;
      for (const auto &E : Fns) {
        llvm::BitVector B = starts(E.getKey());
        if (auto It = StartedBy.find(E.getKey()); It != StartedBy.end())
          for (unsigned T : It->second)
            if (Tasks[T]->Ended)
              B.reset(T);
        // Unless another path starts them again.
        for (const SummaryCall &C : E.second->Calls)
          B |= starts(C.Callee);
        if (auto It = StartedBy.find(E.getKey()); It != StartedBy.end())
          for (unsigned T : It->second)
            B |= starts(Tasks[T]->Entry);
        // The tasks its calls start on an object of its own that it joins
        // before returning.
        B.reset(joinedBefore(*E.second, E.second->ReturnBehind));
        LeftOf[E.getKey()] = std::move(B);
      }
    }
    auto It = LeftOf.find(USR);
    return It != LeftOf.end() ? It->second : starts(USR);
  }

  /// The object \p C is made on, when the summary says which: a local of
  /// its function's own (SummaryCall::Local), an object the function has
  /// just made (NewObject), or the function's own object or one of its
  /// by-value members (OnThis, the chain of members). Empty otherwise.
  static std::string objectKey(const SummaryCall &C) {
    if (C.Local >= 0)
      return "local:" + std::to_string(C.Local);
    if (C.NewObject >= 0)
      return "new:" + std::to_string(C.NewObject);
    if (C.Object != Receiver::This || !C.OnThis)
      return {};
    std::string K = "this";
    for (const std::string &M : C.Members)
      (K += '.') += M;
    return K;
  }

  /// The thread members of its `this` a call of \p USR joins on every path
  /// by which it returns: its body's (SummaryFunction::Joins) and those of
  /// the calls on its own object it makes on every path to its return
  /// (ReturnBehind), in any TU.
  const llvm::StringSet<> &joinsOf(llvm::StringRef USR) {
    if (auto It = JoinsMemo.find(USR); It != JoinsMemo.end())
      return It->second;
    llvm::StringSet<> Out;
    JoinsMemo[USR]; // a recursion joins nothing more
    if (const SummaryFunction *F = function(USR)) {
      for (const std::string &J : F->Joins)
        Out.insert(J);
      for (unsigned I : F->ReturnBehind)
        if (I < F->Calls.size() && objectKey(F->Calls[I]) == "this")
          for (const auto &J : joinsOf(F->Calls[I].Callee))
            Out.insert(J.getKey());
    }
    return JoinsMemo[USR] = std::move(Out);
  }

  /// The tasks a call of \p USR starts only on its own object, each with
  /// its thread stored in a data member of that object that no function of
  /// the program detaches or moves out (SummaryTask::Handle,
  /// SummaryFunction::HandsOff): its body's starts, and those of its calls
  /// on its own object, in any TU; not a task it (or a callee, or a task it
  /// starts) may also start otherwise. A join of that member on the same
  /// object ends them.
  const llvm::BitVector &startsOnOwnObject(llvm::StringRef USR) {
    if (!OwnStartsDone) {
      OwnStartsDone = true;
      llvm::StringSet<> HandedOff;
      for (const auto &E : Fns)
        for (const std::string &H : E.second->HandsOff)
          HandedOff.insert(H);
      llvm::StringMap<llvm::BitVector> Own, Other;
      for (const auto &E : Fns) {
        llvm::BitVector &O = Own[E.getKey()], &X = Other[E.getKey()];
        O.resize(Tasks.size());
        X.resize(Tasks.size());
        if (auto It = StartedBy.find(E.getKey()); It != StartedBy.end())
          for (unsigned T : It->second) {
            if (!Tasks[T]->Handle.empty() &&
                !HandedOff.contains(Tasks[T]->Handle))
              O.set(T);
            else
              X.set(T);
            X |= starts(Tasks[T]->Entry);
          }
        for (const SummaryCall &C : E.second->Calls)
          if (objectKey(C) != "this")
            X |= starts(C.Callee);
      }
      for (bool Changed = true; Changed;) {
        Changed = false;
        for (const auto &E : Fns)
          for (const SummaryCall &C : E.second->Calls) {
            if (objectKey(C) != "this" || !Own.count(C.Callee))
              continue;
            llvm::BitVector O = Own[E.getKey()], X = Other[E.getKey()];
            O |= Own[C.Callee];
            X |= Other[C.Callee];
            if (O != Own[E.getKey()] || X != Other[E.getKey()]) {
              Own[E.getKey()] = std::move(O);
              Other[E.getKey()] = std::move(X);
              Changed = true;
            }
          }
      }
      for (auto &E : Own) {
        E.second.reset(Other[E.getKey()]);
        OwnStarts[E.getKey()] = std::move(E.second);
      }
    }
    return taskSetOf(OwnStarts, USR);
  }

  /// The tasks \p F's calls start that its calls \p Behind (made on every
  /// path before a statement, or before its return) have joined: a call of
  /// \p Behind on one object (objectKey()) joins the member (joinsOf())
  /// that each call of F that may start such a task starts it in, on that
  /// object (startsOnOwnObject()), and none of those calls may run after
  /// the join. A join on some paths only, a start on another object, a
  /// start F makes itself or whose start may follow the join are not.
  llvm::BitVector joinedBefore(const SummaryFunction &F,
                               const std::vector<unsigned> &Behind) {
    llvm::BitVector Out(Tasks.size());
    if (!F.Ordered || Tasks.empty())
      return Out;
    for (unsigned J : Behind) {
      if (J >= F.Calls.size())
        continue;
      std::string Key = objectKey(F.Calls[J]);
      if (Key.empty())
        continue;
      const llvm::StringSet<> &Joined = joinsOf(F.Calls[J].Callee);
      if (Joined.empty())
        continue;
      llvm::BitVector Candidates(Tasks.size());
      for (const SummaryCall &K : F.Calls)
        if (&K != &F.Calls[J] && objectKey(K) == Key)
          for (unsigned T : startsOnOwnObject(K.Callee).set_bits())
            if (Joined.contains(Tasks[T]->Handle))
              Candidates.set(T);
      if (auto It = StartedBy.find(F.USR); It != StartedBy.end())
        for (unsigned T : It->second) {
          Candidates.reset(T);
          Candidates.reset(starts(Tasks[T]->Entry));
        }
      for (unsigned K = 0, N = F.Calls.size(); K != N; ++K) {
        const SummaryCall &C = F.Calls[K];
        const llvm::BitVector &S = starts(C.Callee);
        bool Joins =
            K != J && objectKey(C) == Key && !llvm::is_contained(C.After, J);
        for (unsigned T : Candidates.set_bits())
          if (S.test(T) && (!Joins || !startsOnOwnObject(C.Callee).test(T)))
            Candidates.reset(T);
      }
      Out |= Candidates;
    }
    return Out;
  }

  /// What is known of tasks at a statement of function \p F: its call
  /// \p Call, or its access \p Access (the other is -1), that the calls
  /// \p After may precede, given what is known where F runs (\p NotYet,
  /// \p Started). Added to \p Started: the tasks F's calls before it may
  /// have started, the tasks F starts itself that may be running there
  /// (\p Running) and what those whose start may come before it start in
  /// turn; to \p NotYet: the tasks only F's later calls start, and those F
  /// starts itself that are not running there (not started yet, or
  /// joined), with what they start when their start comes after it.
  void startsAt(const SummaryFunction &F, const std::vector<unsigned> &After,
                int Call, int Access, const llvm::DenseSet<unsigned> &Running,
                llvm::BitVector &NotYet, llvm::BitVector &Started,
                const std::vector<unsigned> *Behind = nullptr) {
    NotYet.resize(Tasks.size());
    Started.resize(Tasks.size());
    if (Tasks.empty())
      return;
    // The tasks its calls start and a call before it joined, unless they
    // may have been started before F was called.
    llvm::BitVector Joined =
        Behind ? joinedBefore(F, *Behind) : llvm::BitVector(Tasks.size());
    Joined.reset(Started);
    for (unsigned T : Running)
      Started.set(T);
    llvm::BitVector Later(Tasks.size());
    if (auto It = StartedBy.find(F.USR); It != StartedBy.end())
      for (unsigned T : It->second) {
        const SummaryTask &Task = *Tasks[T];
        llvm::BitVector B = starts(Task.Entry);
        B.reset(T);
        bool StartBefore =
            !Task.Ordered ||
            (Call >= 0 &&
             llvm::is_contained(Task.LaterCalls, unsigned(Call))) ||
            (Access >= 0 &&
             llvm::is_contained(Task.LaterAccesses, unsigned(Access)));
        if (StartBefore) {
          Started |= B;
        } else {
          Later |= B;
          Later.set(T);
        }
        if (!Running.contains(T))
          Later.set(T);
      }
    // The tasks the statement's own call starts start during it: neither
    // before it nor known not to have started (its callee's calls decide).
    llvm::BitVector During(Tasks.size()), Ended(Tasks.size());
    for (unsigned J = 0, N = F.Calls.size(); J != N; ++J) {
      const llvm::BitVector &B = starts(F.Calls[J].Callee);
      // Without a flow graph any call may come first.
      if (!F.Ordered) {
        Started |= B;
      } else if (llvm::is_contained(After, J)) {
        // A call before it that ended the tasks it started before
        // returning (`spawn(f, worker).wait()` in a helper).
        const llvm::BitVector &Left = leftRunning(F.Calls[J].Callee);
        Started |= Left;
        llvm::BitVector Done = B;
        Done.reset(Left);
        Ended |= Done;
      } else if (static_cast<int>(J) == Call)
        During |= B;
      else
        Later |= B;
    }
    Later.reset(During);
    NotYet |= Later;
    NotYet |= Ended;
    Started.reset(Joined);
    NotYet |= Joined;
    NotYet.reset(Started);
  }

  static std::vector<llvm::StringRef>
  withHeld(std::vector<llvm::StringRef> Gates,
           const std::vector<HeldMutex> *Held) {
    if (Held)
      for (const HeldMutex &H : *Held)
        Gates.push_back(H.Mutex);
    llvm::sort(Gates);
    Gates.erase(std::unique(Gates.begin(), Gates.end()), Gates.end());
    return Gates;
  }

  /// Every function \p Roots reach through calls, in order, once per set
  /// of mutexes held at the calls that lead to it.
  std::shared_ptr<const ReachTree> reach(llvm::ArrayRef<Root> Roots) {
    auto Out = std::make_shared<ReachTree>();
    /// Each visit's key, and whether it was per-run only, the tasks not
    /// started yet and those maybe started.
    struct Visit {
      bool PerRun, OnTaskObject, OnOwner, Anchored;
      uint64_t AnchoredParams;
      llvm::BitVector NotYet, Started, IterNotYet, IterStarted;
      bool OnStarterObject;
      std::vector<llvm::StringRef> JoinedThis;
    };
    llvm::StringMap<llvm::SmallVector<Visit, 1>> Seen;
    std::vector<Reached> Work;
    for (auto It = Roots.rbegin(); It != Roots.rend(); ++It) {
      Work.push_back({It->USR, -1, It->CallAt, withHeld({}, It->Held),
                      It->Object == Receiver::Owned,
                      It->Object == Receiver::Task, It->NotYet, It->Started});
      Work.back().NotYet.resize(Tasks.size());
      Work.back().Started.resize(Tasks.size());
      Work.back().OwnerRoot = It->OwnerRoot;
      Work.back().OwnerChain = It->OwnerChain;
      Work.back().ViaVirtual = It->ViaVirtual;
      Work.back().OnTaskObject = It->OnTaskObject;
      Work.back().OnStarterObject = It->OnStarterObject;
      Work.back().OnOwner = It->OnOwner;
      Work.back().OwnRun = It->OwnRun;
      Work.back().Anchored = It->Anchored;
      Work.back().AnchoredParams = It->ParamsAnchored ? ~uint64_t(0) : 0;
    }
    // This tree's share of what is left of the total budget: each tree
    // still to be built gets as much (threads() counts them down).
    uint64_t Left = Limits.MaxReachedTotal > ReachedTotal
                        ? Limits.MaxReachedTotal - ReachedTotal
                        : 0;
    uint64_t Share = std::min<uint64_t>(
        Limits.MaxReachedPerThread,
        std::max<uint64_t>(Left / std::max(TreesLeft, 1u),
                           std::min<uint64_t>(Left, MinTreeShare)));
    if (TreesLeft)
      --TreesLeft;
    while (!Work.empty()) {
      if (Out->size() >= Share) {
        if (Limits.Report) {
          ++Limits.Report->CutThreads;
          Limits.Report->PerThread = Limits.MaxReachedPerThread;
          Limits.Report->Total = Limits.MaxReachedTotal;
        }
        break;
      }
      Reached R = std::move(Work.back());
      Work.pop_back();
      const SummaryFunction *F = function(R.USR);
      if (!F)
        continue;
      R.OwnsThis = R.OwnsThis || F->OwnsThis;
      // A lambda created on the way by a function running on a per-run
      // object: what it captured of that object (`this`, `self`) is the
      // run's.
      for (int P = R.Parent; !R.PerRun && !F->Within.empty() && P >= 0;
           P = (*Out)[P].Parent)
        R.PerRun = (*Out)[P].USR == F->Within && (*Out)[P].PerRun;
      std::string Key = R.USR.str();
      for (llvm::StringRef G : R.Gates)
        (Key += '\x1f') += G;
      for (const std::string &G : R.Waited)
        (Key += "\x1fwaited:") += G;
      for (const std::string &G : R.TakenBefore)
        (Key += "\x1ftaken:") += G;
      if (R.OwnsThis)
        Key += "\x1fowned";
      if (R.OwnedParams)
        Key += "\x1fparams" + std::to_string(R.OwnedParams);
      if (!R.ScopedTo.empty())
        (Key += "\x1fscoped:") += R.ScopedTo;
      if (R.HasIter)
        Key += "\x1fiter" + std::to_string(R.OnIter) + ":" +
               std::to_string(R.IterParams);
      // Whose object `this` is, when the path says more than the class.
      if (R.OwnerRoot.empty() || R.OwnerChain.size() > MaxOwnerChain) {
        R.OwnerRoot = F->ThisClass;
        R.OwnerChain.clear();
        R.OwnerVirtual = R.ViaVirtual ? R.USR : llvm::StringRef();
      }
      if (!R.OwnerChain.empty() || R.OwnerRoot != F->ThisClass) {
        (Key += "\x1fowner:") += R.OwnerRoot;
        for (llvm::StringRef M : R.OwnerChain)
          (Key += '.') += M;
      }
      if (!R.OwnerVirtual.empty())
        (Key += "\x1fvirtual:") += R.OwnerVirtual;
      if (!R.OwnRun.empty())
        (Key += "\x1fown:") += R.OwnRun;
      // A visit adds nothing an earlier one pairs as much as: a per-run
      // visit after a shared one, a visit where fewer tasks are known not
      // to have started or more may have. After a few visits of one key,
      // the next is made as if any task may have started (it pairs
      // everything later ones would).
      llvm::SmallVector<Visit, 1> &Prev = Seen[Key];
      if (llvm::any_of(Prev, [&](const Visit &V) {
            return (!V.PerRun || R.PerRun) &&
                   (!V.OnTaskObject || R.OnTaskObject) &&
                   (!V.OnStarterObject || R.OnStarterObject) &&
                   llvm::all_of(V.JoinedThis,
                                [&](llvm::StringRef J) {
                                  return llvm::is_contained(R.JoinedThis, J);
                                }) &&
                   (!V.OnOwner || R.OnOwner) && (V.Anchored || !R.Anchored) &&
                   !(R.AnchoredParams & ~V.AnchoredParams) &&
                   !V.NotYet.test(R.NotYet) && !R.Started.test(V.Started) &&
                   !V.IterNotYet.test(R.IterNotYet) &&
                   !R.IterStarted.test(V.IterStarted);
          }))
        continue;
      if (Prev.size() >= MaxVisitsPerKey) {
        R.NotYet.reset();
        R.Started.set();
        R.IterNotYet.reset();
        R.IterStarted.set();
      }
      Prev.push_back({R.PerRun, R.OnTaskObject, R.OnOwner, R.Anchored,
                      R.AnchoredParams, R.NotYet, R.Started, R.IterNotYet,
                      R.IterStarted, R.OnStarterObject, R.JoinedThis});
      int Index = static_cast<int>(Out->size());
      ++ReachedTotal;
      bool Owned = R.OwnsThis, PerRun = R.PerRun, OnTask = R.OnTaskObject,
           OnOwner = R.OnOwner, OnStarter = R.OnStarterObject;
      llvm::StringRef OwnRun = R.OwnRun;
      uint64_t OwnedParams = R.OwnedParams;
      llvm::StringRef ScopedTo = R.ScopedTo;
      Out->push_back(std::move(R));
      // Running an io_context runs the handlers of its I/O objects' async
      // operations (those of an io_context the link cannot name: not
      // followed), under what the run is made under.
      for (const std::string &K : F->DrivenContexts)
        if (auto It = HandlersOn.find(K); It != HandlersOn.end())
          for (const SummaryHandler *H : It->second) {
            // A task sent there as well is judged as that task.
            if (Entries.contains(H->USR))
              continue;
            const Reached &Here = (*Out)[Index];
            Work.push_back({H->USR, Index, H->Loc, Here.Gates, false, false,
                            Here.NotYet, Here.Started});
            // A handler of the object whose own io_context this is runs on
            // that object (as the runner does, when it does).
            const SummaryFunction *HF = function(H->USR);
            Work.back().OnStarterObject =
                Here.OnStarterObject && HF && ownContext(K, HF->ThisClass);
            Work.back().Waited = Here.Waited;
            Work.back().TakenBefore = Here.TakenBefore;
            Work.back().Handed = true;
          }
      for (unsigned I = F->Calls.size(); I-- != 0;) {
        const SummaryCall &C = F->Calls[I];
        llvm::BitVector NotYet = (*Out)[Index].NotYet,
                        Started = (*Out)[Index].Started;
        startsAt(*F, C.After, static_cast<int>(I), -1,
                 runningAt(F->USR, &SummaryTask::ConcurrentCalls, I), NotYet,
                 Started, &C.Behind);
        Work.push_back({C.Callee, Index, C.Loc,
                        withHeld((*Out)[Index].Gates, &C.Held),
                        receiver(*F, C) == Receiver::Owned ||
                            (C.Object == Receiver::This && Owned) ||
                            ownedParam(OwnedParams, C.Param),
                        receiver(*F, C) == Receiver::Task ||
                            (C.Object == Receiver::This && PerRun),
                        std::move(NotYet), std::move(Started)});
        Work.back().CallIndex = static_cast<int>(I);
        Work.back().ViaVirtual = TrackOwners && C.Virtual;
        Work.back().OnTaskObject = OnTask && C.OnThis;
        Work.back().OnStarterObject = OnStarter && C.OnThis;
        if (C.Object == Receiver::This && C.OnThis && C.Members.empty()) {
          Work.back().JoinedThis = (*Out)[Index].JoinedThis;
          for (const std::string &J : C.JoinedBefore)
            if (!llvm::is_contained(Work.back().JoinedThis, J))
              Work.back().JoinedThis.push_back(J);
        }
        Work.back().OnOwner = OnOwner && C.OnThis;
        Work.back().OwnRun = ownRunOf(*F, C, OwnRun);
        {
          const Reached &Here = (*Out)[Index];
          auto FixedParam = [&](int P) {
            return P >= 0 && P < 64 && (Here.AnchoredParams >> P & 1);
          };
          Work.back().Anchored =
              (Here.Anchored && C.Anchor == ObjectAnchor::Fixed) ||
              (C.Anchor == ObjectAnchor::Param && FixedParam(C.AnchorParam));
          for (const auto &[Param, Source] : C.FixedArgs)
            if (Param < 64 && (Source < 0 ? Here.Anchored : FixedParam(Source)))
              Work.back().AnchoredParams |= uint64_t(1) << Param;
        }
        if (TrackOwners && C.OnThis && !(*Out)[Index].OwnerRoot.empty()) {
          Work.back().OwnerRoot = (*Out)[Index].OwnerRoot;
          Work.back().OwnerChain = (*Out)[Index].OwnerChain;
          Work.back().OwnerVirtual = (*Out)[Index].OwnerVirtual;
          for (const std::string &M : C.Members)
            Work.back().OwnerChain.push_back(M);
        }
        if (C.Object == Receiver::Captured)
          Work.back().ScopedTo = F->Within;
        else if (C.Object == Receiver::This)
          Work.back().ScopedTo = ScopedTo;
        Work.back().Waited = (*Out)[Index].Waited;
        for (std::string &G : gatesAt(*F, C.Gates, C.Behind))
          if (!llvm::is_contained(Work.back().Waited, G))
            Work.back().Waited.push_back(std::move(G));
        llvm::sort(Work.back().Waited);
        std::vector<std::string> &Taken = Work.back().TakenBefore;
        Taken = (*Out)[Index].TakenBefore;
        auto AddTaken = [&](llvm::StringRef M) {
          if (waitMutexes().contains(M) && !llvm::is_contained(Taken, M))
            Taken.push_back(M.str());
        };
        for (const std::string &M : F->Takes)
          AddTaken(M);
        // Not the calls on an earlier iteration's object that the loop
        // made anew before this call (SummaryCall::Renewed): they took that
        // object's mutexes.
        for (unsigned J = 0, N = F->Calls.size(); J != N; ++J)
          if ((!F->Ordered || llvm::is_contained(C.After, J)) &&
              !llvm::is_contained(C.Renewed, J))
            for (const auto &M : takenBy(F->Calls[J].Callee))
              AddTaken(M.getKey());
        llvm::sort(Taken);
        iterationStep(*F, I, (*Out)[Index], Work.back());
        // The callee's parameters bound to the caller's own locals, or to
        // its parameters bound to its callers' own.
        for (const auto &[Param, Source] : C.Args)
          if (Param < 64 &&
              (Source >= 0 ? ownedLocal(*F, Source)
                           : ownedParam(OwnedParams, -1 - Source)))
            Work.back().OwnedParams |= uint64_t(1) << Param;
        // Or to the caller's own object or a part of it it holds by value,
        // when the calling thread owns that object (a temporary logger
        // handing its stream member to `operator<<(LogStream &, T)`).
        if (Owned)
          for (unsigned P : C.ThisArgs)
            if (P < 64)
              Work.back().OwnedParams |= uint64_t(1) << P;
        // A virtual call may run the callee or an override of it the
        // program defines (dispatchTargets()): followed to each as it is to
        // the callee.
        if (C.Virtual) {
          Reached Call = std::move(Work.back());
          Work.pop_back();
          for (llvm::StringRef T : dispatchTargets(C.Callee)) {
            Work.push_back(Call);
            if (T != C.Callee) {
              Work.back().USR = T;
              Work.back().ViaVirtual = false;
            }
          }
        }
      }
    }
    return Out;
  }

  /// The functions a virtual call of \p Callee may run: the callee and the
  /// overrides of it the program defines, but, when the program may make
  /// an object of a class one of them is a member of (TUSummary::
  /// Constructed), those that are no such class's final overrider (an
  /// abstract class's implementation every class derived from it
  /// overrides). When it makes none the link knows of (they are made by
  /// code it does not see), all of them.
  llvm::ArrayRef<llvm::StringRef> dispatchTargets(llvm::StringRef Callee) {
    auto [It, New] = DispatchTargets.try_emplace(Callee);
    if (!New)
      return It->second;
    std::vector<llvm::StringRef> All{It->getKey()};
    if (auto O = OverridersOf.find(Callee); O != OverridersOf.end())
      llvm::append_range(All, O->second);
    bool Known = false;
    std::vector<llvm::StringRef> Runs;
    for (llvm::StringRef T : All) {
      const SummaryFunction *F = Fns.lookup(T);
      auto Made = F && !F->ThisClass.empty()
                      ? ConstructedUnder.find(F->ThisClass)
                      : ConstructedUnder.end();
      if (Made == ConstructedUnder.end()) {
        Runs.push_back(T);
        continue;
      }
      Known = true;
      if (llvm::any_of(Made->second, [&](const SummaryClass *C) {
            return !llvm::is_contained(C->Overridden, T);
          }))
        Runs.push_back(T);
    }
    It = DispatchTargets.find(Callee);
    It->second = Known ? std::move(Runs) : std::move(All);
    return It->second;
  }

  /// Reached::HasIter and the rest for \p Callee, reached through \p F's
  /// call \p I from \p Here: on a call on a fresh object of a loop's
  /// iteration, the tasks known at the call but those F's calls before the
  /// object was made started (before the loop, in earlier iterations, this
  /// call's own earlier iterations: SummaryCall::IterAfter); on
  /// along calls on that object, as NotYet and Started are.
  void iterationStep(const SummaryFunction &F, unsigned I, const Reached &Here,
                     Reached &Callee) {
    const SummaryCall &C = F.Calls[I];
    llvm::BitVector NotYet, Started;
    std::vector<unsigned> Before = C.After;
    if (C.Fresh) {
      // Only the calls of its own iteration after the object was made: the
      // tasks started before (before the loop, in earlier iterations) were
      // started before the object existed.
      // The tasks started before the function was called (an earlier call
      // of it) were too: not yet started, as far as the object goes.
      Before = C.IterAfter;
      Callee.OnIter = true;
      NotYet = Here.NotYet;
      NotYet |= Here.Started;
      Started.resize(Here.Started.size());
    } else if (Here.HasIter) {
      Callee.OnIter = (C.Object == Receiver::This && Here.OnIter) ||
                      ownedParam(Here.IterParams, C.OnParam);
      if (Here.OnIter)
        for (unsigned P : C.ThisArgs)
          if (P < 64)
            Callee.IterParams |= uint64_t(1) << P;
      NotYet = Here.IterNotYet;
      Started = Here.IterStarted;
    }
    Callee.HasIter = Callee.OnIter || Callee.IterParams;
    if (!Callee.HasIter)
      return;
    startsAt(F, Before, static_cast<int>(I), -1,
             runningAt(F.USR, &SummaryTask::ConcurrentCalls, I), NotYet,
             Started, &C.Behind);
    Callee.IterNotYet = std::move(NotYet);
    Callee.IterStarted = std::move(Started);
  }

  /// The nodes from \p U's root to its function.
  static llvm::SmallVector<const Reached *, 8> pathTo(const LinkUse &U) {
    llvm::SmallVector<const Reached *, 8> Path;
    if (!U.Tree)
      return Path;
    for (int N = U.Node; N >= 0; N = (*U.Tree)[N].Parent)
      Path.push_back(&(*U.Tree)[N]);
    std::reverse(Path.begin(), Path.end());
    return Path;
  }

  /// Whether one TU's summary holds the whole cycle (or race) \p Chain:
  /// every function on its threads' paths, and its tasks.
  bool inOneTU(llvm::ArrayRef<unsigned> Chain,
               llvm::ArrayRef<LinkUse> Uses) const;

  void describe(Finding &F, const LinkUse &U, bool First) const;
  void describeThread(Finding &F, const LinkUse &U) const;

  /// Calls \p Visit(Proto, Fn) for every function \p Fn a thread runs, and
  /// the thread in \p Proto: each task's (what its entry reaches), each
  /// starter's while its tasks may run (its own body: Proto.Tree is null
  /// and Proto.Running empty, ask runningAt() per statement; and what its
  /// calls reach), and external code's (what the functions nothing calls
  /// or starts reach). Proto.Gates holds the mutexes held on the path.
  template <typename VisitFn> void threads(VisitFn Visit);

  /// The tasks of \p Starter that may run at its statement \p Index of the
  /// kind \p Field lists.
  llvm::DenseSet<unsigned> runningAt(llvm::StringRef Starter,
                                     std::vector<unsigned> SummaryTask::*Field,
                                     unsigned Index) const {
    llvm::DenseSet<unsigned> Running;
    auto It = StartedBy.find(Starter);
    if (It != StartedBy.end())
      for (unsigned T : It->second)
        if (llvm::is_contained(Tasks[T]->*Field, Index))
          Running.insert(T);
    return Running;
  }

  /// Whether \p A and \p B run on different threads at the same time and
  /// hold no common mutex.
  bool concurrent(const LinkUse &A, const LinkUse &B) const;

  /// The functions \p From reach through calls, the lambdas they define and,
  /// when one runs an io_context, the asio handlers; \p Entries adds the
  /// entries of the tasks they start.
  llvm::StringSet<> closure(std::vector<llvm::StringRef> From,
                            bool Entries) const;
  /// Whose object \p F's call \p C is made on: one the calling thread owns
  /// when it is a local of F's own that nothing else reaches
  /// (SummaryCall::Local) and no call of F on it may start a task.
  Receiver receiver(const SummaryFunction &F, const SummaryCall &C) {
    if (C.Object != Receiver::This && newObjectOwned(F, C))
      return Receiver::Owned;
    if (C.Local < 0 || C.Object != Receiver::Task)
      return C.Object;
    return ownedLocal(F, C.Local) ? Receiver::Owned : Receiver::Task;
  }
  /// Whether \p F's call \p C, a member call on an object F has just made
  /// and not shown yet (SummaryCall::NewObject), is made on an object the
  /// calling thread owns: neither it nor any call on or making that
  /// holder's object that may run before it may start a task (nor, a member
  /// call, has no summary): no thread started through the object sees it.
  bool newObjectOwned(const SummaryFunction &F, const SummaryCall &C) {
    if (C.NewObject < 0 || C.Makes)
      return false;
    unsigned I = static_cast<unsigned>(&C - F.Calls.data());
    for (unsigned J = 0, N = F.Calls.size(); J != N; ++J) {
      const SummaryCall &D = F.Calls[J];
      if (D.NewObject != C.NewObject ||
          (J != I && F.Ordered && !llvm::is_contained(C.After, J)))
        continue;
      if (!function(D.Callee) ? !D.Makes : starts(D.Callee).any())
        return false;
    }
    return true;
  }
  /// Whether \p F's local number \p Local is one the calling thread owns:
  /// no member function F calls on it may start a task (or has no
  /// summary), and every callee F hands it to by reference keeps it
  /// (keptDeep()).
  bool ownedLocal(const SummaryFunction &F, int Local) {
    for (const SummaryCall &D : F.Calls) {
      for (const auto &[Param, Source] : D.Args)
        if (Source == Local && !keptDeep(D.Callee, Param))
          return false;
      if (D.Local == Local && (!function(D.Callee) || starts(D.Callee).any()))
        return false;
    }
    return true;
  }
  static bool ownedParam(uint64_t Owned, int Param) {
    return Param >= 0 && Param < 64 && (Owned >> Param) & 1;
  }
  /// Whether \p USR keeps its reference parameter \p Param, and so do the
  /// callees it hands it to, none of the member functions it calls on it
  /// starting a task.
  bool keptDeep(llvm::StringRef USR, unsigned Param) {
    std::string Key = USR.str() + '#' + std::to_string(Param);
    if (auto It = Kept.find(Key); It != Kept.end())
      return It->second;
    const SummaryFunction *F = function(USR);
    if (!F || !llvm::is_contained(F->KeptParams, Param))
      return Kept[Key] = false;
    Kept[Key] = true; // a cycle keeps it unless another use does not
    bool Ok = true;
    for (const SummaryCall &C : F->Calls) {
      // Handed on: the callee must keep it in turn (it hands it to no
      // task: keptParam()).
      for (const auto &[Into, Source] : C.Args)
        if (Source == -1 - static_cast<int>(Param))
          Ok = Ok && keptDeep(C.Callee, Into);
      // A member function called on it may start a task on `this`.
      if (C.Param == static_cast<int>(Param) &&
          (!function(C.Callee) || starts(C.Callee).any()))
        Ok = false;
    }
    return Kept[Key] = Ok;
  }
  llvm::StringMap<bool> Kept;
  /// The runs of io_contexts in one program (findPrograms()): the
  /// threads running each named io_context (contextExecutorKey()'s keys,
  /// without the prefix), those running unnamed ones per starter, and the
  /// starts of those.
  struct ContextRunners {
    llvm::StringMap<unsigned> Named;
    llvm::StringMap<unsigned> Unnamed;
    unsigned UnnamedStarts = 0;
  };

  /// Gives the tasks sent to an io_context one thread runs
  /// (contextExecutorKey()) that io_context, which they hold while they
  /// run, as a strand; and so the task of that one thread, whose handlers
  /// and the tasks sent to it it runs one after another. In each program a
  /// task's starter runs in (every program when not known), the io_context
  /// is run (SummaryFunction::DrivenContexts, through calls) by one start
  /// at most of a task, not repeated (SummaryTask::Repeated), whose starter
  /// does not run it too (`std::thread t([&] { io.run(); }); io.run();`).
  /// Runs of io_contexts the link cannot name count for one io_context per
  /// starter: two in one function (a pool) make every io_context's runners
  /// in that program unknown. A getter's io_context (one no runner names)
  /// needs each io_context of the program to have one runner; the task of
  /// the program's one runner of unnamed ones holds the getters'.
  void contextGates() {
    // The io_contexts each function runs, through its calls.
    llvm::StringMap<std::vector<llvm::StringRef>> Callers;
    llvm::StringMap<llvm::StringSet<>> Runs;
    std::vector<std::pair<llvm::StringRef, llvm::StringRef>> Work;
    for (const auto &E : Fns) {
      for (const SummaryCall &C : E.second->Calls)
        Callers[C.Callee].push_back(E.getKey());
      for (const std::string &K : E.second->DrivenContexts)
        if (Runs[E.getKey()].insert(K).second)
          Work.push_back({E.getKey(), K});
    }
    if (Work.empty())
      return;
    while (!Work.empty()) {
      auto [USR, K] = Work.back();
      Work.pop_back();
      if (auto It = Callers.find(USR); It != Callers.end())
        for (llvm::StringRef Caller : It->second)
          if (Runs[Caller].insert(K).second)
            Work.push_back({Caller, K});
    }
    // The programs a starter runs in; -1 when not known.
    auto Programs = [&](llvm::StringRef Starter) {
      llvm::SmallVector<int, 2> Out;
      if (auto It = ProgramsOf.find(Starter); It != ProgramsOf.end())
        for (unsigned P : It->second)
          Out.push_back(static_cast<int>(P));
      if (Out.empty())
        Out.push_back(-1);
      return Out;
    };
    std::map<int, ContextRunners> By;
    // A start in a header is in the summary of each TU that includes it.
    std::set<std::tuple<llvm::StringRef, llvm::StringRef, unsigned, unsigned>>
        Seen;
    for (const SummaryTask *T : Tasks) {
      auto It = Runs.find(T->Entry);
      if (It == Runs.end() ||
          !Seen.insert({T->Starter, T->Loc.File, T->Loc.Line, T->Loc.Column})
               .second)
        continue;
      auto Starter = Runs.find(T->Starter);
      for (int P : Programs(T->Starter)) {
        ContextRunners &R = By[P];
        R.UnnamedStarts += It->second.contains("?");
        for (const auto &K : It->second) {
          unsigned N =
              (T->Repeated ? 2 : 1) +
              (Starter != Runs.end() && Starter->second.contains(K.getKey()));
          (K.getKey() == "?" ? R.Unnamed[T->Starter] : R.Named[K.getKey()]) +=
              N;
        }
      }
    }
    // In program P (with what runs in unknown programs): whether one
    // thread at most runs the io_context K; K "*" for one no runner names,
    // "?" for the unnamed ones the program's runners run.
    auto One = [&](int P, llvm::StringRef K) {
      const ContextRunners *Rs[2] = {&By[P], P == -1 ? nullptr : &By[-1]};
      unsigned Named = 0, UnnamedStarts = 0;
      for (const ContextRunners *R : Rs) {
        if (!R)
          continue;
        if (llvm::any_of(R->Unnamed,
                         [](const auto &E) { return E.getValue() > 1; }))
          return false;
        Named += K == "*" || K == "?" ? 0 : R->Named.lookup(K);
        UnnamedStarts += R->UnnamedStarts;
        if (K == "*")
          for (const auto &E : R->Named)
            if (E.getValue() + (Rs[1] && R == Rs[0]
                                    ? Rs[1]->Named.lookup(E.getKey())
                                    : 0) >
                1)
              return false;
      }
      return K == "?" ? UnnamedStarts == 1 : Named <= 1;
    };
    auto OneEverywhere = [&](llvm::StringRef Starter, llvm::StringRef K) {
      llvm::SmallVector<int, 2> Ps = Programs(Starter);
      if (Ps.size() == 1 && Ps.front() == -1) {
        Ps.clear();
        for (const auto &E : By)
          Ps.push_back(E.first);
        if (Ps.empty())
          Ps.push_back(-1);
      }
      return llvm::all_of(Ps, [&](int P) { return One(P, K); });
    };
    // The names of the io_contexts each getter the tasks are sent to.
    llvm::StringSet<> Getters;
    for (const SummaryTask *T : Tasks)
      if (isContextExecutorKey(T->Serial) &&
          T->Serial.find("getter:") != std::string::npos)
        Getters.insert(T->Serial);
    llvm::StringSet<> NamedByRunners;
    for (const auto &E : By)
      for (const auto &K : E.second.Named)
        NamedByRunners.insert(K.getKey());
    for (unsigned I = 0, N = Tasks.size(); I != N; ++I) {
      const SummaryTask *T = Tasks[I];
      auto Gate = [&](llvm::StringRef Key) {
        TaskGates[I].push_back({serialExecutorName(Key), Location()});
      };
      if (isContextExecutorKey(T->Serial)) {
        llvm::StringRef K = llvm::StringRef(T->Serial).split(':').second;
        if (OneEverywhere(T->Starter, NamedByRunners.contains(K) ? K : "*"))
          Gate(T->Serial);
      }
      auto It = Runs.find(T->Entry);
      if (It == Runs.end())
        continue;
      for (const auto &K : It->second) {
        if (K.getKey() != "?") {
          if (OneEverywhere(T->Starter, K.getKey())) {
            Gate(contextExecutorKey(K.getKey()));
            RunnerOf[K.getKey()].push_back(I);
          }
        } else if (OneEverywhere(T->Starter, "*") &&
                   OneEverywhere(T->Starter, "?")) {
          for (const auto &G : Getters)
            Gate(G.getKey());
        }
      }
    }
  }
  /// Computes SharedClasses: the classes a chain of holds leads to from a
  /// class some TU's code shares outright (TUSummary::ClassHolds,
  /// SharedClasses; Flow/ClassReach.h).
  void findSharedClasses(llvm::ArrayRef<const TUSummary *> Summaries) {
    llvm::StringMap<std::vector<llvm::StringRef>> Holds;
    std::vector<llvm::StringRef> Work;
    for (const TUSummary *S : Summaries) {
      ClassFacts =
          ClassFacts || !S->ClassHolds.empty() || !S->SharedClasses.empty();
      for (const auto &[Holder, Held] : S->ClassHolds)
        Holds[Holder].push_back(Held);
      llvm::append_range(Work, S->SharedClasses);
    }
    while (!Work.empty()) {
      llvm::StringRef C = Work.back();
      Work.pop_back();
      if (!SharedClasses.insert(C).second)
        continue;
      if (auto It = Holds.find(C); It != Holds.end())
        llvm::append_range(Work, It->second);
    }
  }
  /// Whether the container \p Object names (SummaryAccess::Object) is a data
  /// member of a class whose objects no thread but the one that made each
  /// reaches: no chain of holds leads to it from a shared class.
  bool confinedMember(llvm::StringRef Object) const {
    if (!ClassFacts)
      return false;
    // The innermost object's field: the last component of the key.
    llvm::StringRef Field = Object;
    for (llvm::StringRef Start : {".c:", ".pitfall@"})
      if (size_t At = Object.rfind(Start);
          At != llvm::StringRef::npos && At + 1 > Object.size() - Field.size())
        Field = Object.drop_front(At + 1);
    size_t At = Field.rfind("@FI@");
    return At != llvm::StringRef::npos && Field.starts_with("c:") &&
           !SharedClasses.contains(Field.take_front(At));
  }
  llvm::StringSet<> SharedClasses;
  bool ClassFacts = false;
  /// Some TU's check reports the races of unguarded members reached through
  /// objects of unknown origin, as notes (TUSummary::ReportUnguarded).
  bool ReportUnguarded = false;
  /// Computes OnTasks and Window (nested()).
  void findNestedTasks();
  /// True if task \p T runs only while its starter runs, on the program's
  /// own thread (Window has a set for it).
  bool nested(unsigned T) const {
    return T < Window.size() && Window[T].has_value();
  }
  /// True if \p U, a use that is not a task's, runs on the program's own
  /// thread outside every window of task \p T (nested()): no function its
  /// code runs in is called while T may run.
  bool outsideWindow(const LinkUse &U, unsigned T) const;

  std::string name(llvm::StringRef Mutex) const {
    auto It = Names.find(Mutex);
    return It == Names.end() ? Mutex.str() : It->second;
  }

  const LinkLimits &Limits;
  /// The nodes of every call tree reach() has built (LinkLimits), and the
  /// trees threads() has still to build.
  uint64_t ReachedTotal = 0;
  unsigned TreesLeft = 0;
  /// A tree gets at least this many nodes while the total budget lasts.
  static constexpr uint64_t MinTreeShare = 1000;
  /// The summaries perProgram() rewrote or added.
  std::vector<std::unique_ptr<TUSummary>> Owned;
  llvm::StringMap<const SummaryFunction *> Fns;
  /// The summaries (by index) defining each function.
  llvm::StringMap<llvm::SmallVector<unsigned, 2>> DefinedIn;
  std::vector<const SummaryTask *> Tasks;
  std::vector<unsigned> TaskTU;
  /// What each task holds while it runs: its serial executor's gate.
  std::vector<std::vector<HeldMutex>> TaskGates;
  /// What reaches the starters, while threads() builds its trees, and what
  /// each starter's own thread holds (StarterReach::solve()).
  StarterReach Reaching;
  llvm::StringMap<std::vector<llvm::StringRef>> StarterGates;
  llvm::StringMap<std::string> Names, ObjectNames;
  llvm::StringSet<> Called, Entries;
  /// The asio handlers (SummaryFunction::Handler, TUSummary::BoundHandlers):
  /// they run when a thread runs an io_context.
  llvm::StringSet<> Handlers;
  /// The overrides of each virtual method (SummaryFunction::Overrides).
  llvm::StringMap<std::vector<llvm::StringRef>> OverridersOf;
  /// The classes the program may make (TUSummary::Constructed), under each
  /// class they are or derive from.
  llvm::StringMap<std::vector<const SummaryClass *>> ConstructedUnder;
  /// dispatchTargets(), per virtual method.
  llvm::StringMap<std::vector<llvm::StringRef>> DispatchTargets;
  /// The handlers handed to the async operations of each io_context's I/O
  /// objects (TUSummary::HandlerContexts): the functions that run it reach
  /// them.
  llvm::StringMap<std::vector<const SummaryHandler *>> HandlersOn;
  llvm::StringMap<std::vector<unsigned>> StartedBy;
  /// The tasks that run on an object of their own, once per call of a
  /// member function on a new object: findPerCallObjects().
  llvm::BitVector PerCallObject;
  /// The per-object threads' entries, and the thread-local pointers that
  /// hold each thread's own object with the entry of the tasks whose object
  /// that is: findCurrentPointers().
  llvm::StringSet<> OwnRunEntries;
  llvm::StringMap<llvm::StringRef> CurrentEntry;
  /// waitedAtReturn(), per function.
  DepthMemo<llvm::BitVector> WaitedAtReturn;
  /// alwaysTrue(): per function with calls, a bit per bool parameter.
  llvm::StringMap<uint64_t> TrueParams;
  bool TrueParamsDone = false;
  std::optional<bool> AnyCallWaits;
  /// storesOf(): per task and atomic.
  std::map<std::pair<unsigned, std::string>, std::vector<EndingStore>>
      TaskStores;
  /// The functions a task may run (its entry's reach, the tasks it starts
  /// in turn): findNestedTasks().
  llvm::StringSet<> OnTasks;
  /// Per task its starter ends before returning (SummaryTask::Ended) and
  /// whose starter no task runs: the functions the starter's calls made
  /// while it may run reach. Such a task runs only within those calls of
  /// its starter, on the program's own thread.
  std::vector<std::optional<llvm::StringSet<>>> Window;
  llvm::StringMap<std::unique_ptr<FunctionLinks>> Links;
  /// takenBeforeWork(), per function.
  DepthMemo<WorkGated> BeforeWork;
  /// takenBy(), waitsIn(), gatesAfter(), acquisitions() and
  /// waitedAtReturn(), per function.
  DepthMemo<llvm::StringSet<>> Taken, WaitsOf;
  DepthMemo<std::vector<std::string>> ReturnGates;
  DepthMemo<std::vector<LinkAcquisition>> Acquisitions;
  llvm::StringSet<> WaitMutexes;
  bool WaitMutexesDone = false;
  /// starts(): computed for every function at once.
  bool StartsDone = false;
  llvm::StringMap<llvm::BitVector> StartsOf;
  llvm::BitVector NoStarts;
  /// leftRunning(): computed for every function at once.
  bool LeftDone = false;
  llvm::StringMap<llvm::BitVector> LeftOf;
  /// joinsOf(), per function.
  llvm::StringMap<llvm::StringSet<>> JoinsMemo;
  /// apartByJoin(): the thread members some function may detach or move
  /// out.
  llvm::StringSet<> HandedOff;
  bool HandedOffDone = false;
  /// The one task whose thread runs each io_context one thread runs
  /// (contextGates()), in each program.
  llvm::StringMap<std::vector<unsigned>> RunnerOf;
  /// startsOnOwnObject(): computed for every function at once.
  bool OwnStartsDone = false;
  llvm::StringMap<llvm::BitVector> OwnStarts;
  /// reach(): visits of one function with one set of gates, different
  /// tasks known not started, before the next is made as if any had.
  static constexpr unsigned MaxVisitsPerKey = 4;
  /// Whether reach() follows whose object `this` is (Reached::OwnerRoot):
  /// for the container races only.
  bool TrackOwners = false;
  /// The members followed from a `this` (Reached::OwnerChain): a longer
  /// chain (a recursion through members) is taken for any object of the
  /// function's class.
  static constexpr unsigned MaxOwnerChain = 6;
  /// The classes of the functions' `this` whose bases are known.
  llvm::StringMap<const SummaryClass *> Classes;
};

bool Linker::inOneTU(llvm::ArrayRef<unsigned> Chain,
                     llvm::ArrayRef<LinkUse> Uses) const {
  llvm::SmallVector<unsigned, 4> Common;
  bool Any = false;
  auto Meet = [&](llvm::ArrayRef<unsigned> TUs) {
    if (!Any) {
      Common.assign(TUs.begin(), TUs.end());
      Any = true;
      return;
    }
    llvm::erase_if(Common,
                   [&](unsigned T) { return !llvm::is_contained(TUs, T); });
  };
  auto MeetFn = [&](llvm::StringRef USR) {
    auto It = DefinedIn.find(USR);
    Meet(It == DefinedIn.end() ? llvm::ArrayRef<unsigned>()
                               : llvm::ArrayRef<unsigned>(It->second));
  };
  for (unsigned I : Chain) {
    const LinkUse &U = Uses[I];
    if (U.O) {
      MeetFn(U.O->Fn);
      MeetFn(U.O->Acquisition.In);
      for (const PathStep &S : U.O->Acquisition.Via)
        MeetFn(S.Callee);
    } else {
      MeetFn(U.AccessFn);
    }
    for (const Reached *R : pathTo(U))
      MeetFn(R->USR);
    if (U.K == LinkUse::Starter)
      MeetFn(U.StarterFn);
    if (U.K == LinkUse::Task)
      Meet(TaskTU[U.TaskIndex]);
  }
  return !Common.empty();
}

/// Appends to \p F the notes and the path of one thread's order: where the
/// thread starts, the calls that lead to the order, the order (unless it is
/// the finding's own location, \p First), the calls into the helper that
/// acquires, and the acquisition.
void Linker::describe(Finding &F, const LinkUse &U, bool First) const {
  const LinkOrder &O = *U.O;
  std::string H = "'" + name(O.Held) + "'", A = "'" + name(O.Acquired) + "'";
  describeThread(F, U);
  std::string In = "'" + functionName(O.Fn) + "'";
  if (O.HeldAtKnown)
    F.Flow.push_back({O.HeldAt, H + " acquired in " + In});
  if (!First)
    F.Notes.push_back({O.At, A + " is acquired while holding " + H + " here"});
  F.Flow.push_back({O.At, A + " acquired while holding " + H});
  if (!O.ByCall)
    return;
  const std::vector<PathStep> &Via = O.Acquisition.Via;
  for (unsigned I = 1, N = Via.size(); I < N; ++I) {
    std::string Msg = "'" + functionName(Via[I].Callee) + "' called here";
    F.Notes.push_back({Via[I].At, Msg});
    F.Flow.push_back({Via[I].At, Msg});
  }
  std::string Acquirer = "'" + functionName(O.Acquisition.In) + "'";
  F.Notes.push_back(
      {O.Acquisition.At, A + " is acquired here, in " + Acquirer});
  F.Flow.push_back({O.Acquisition.At, A + " acquired in " + Acquirer});
}

bool Linker::mayRace(const LinkUse &W, const LinkUse &O) {
  return concurrent(W, O) && !orderedByWait(W, O) && !orderedByWait(O, W) &&
         !apartByScope(W, O) && !apartByScope(O, W) && !apartByOwner(W, O) &&
         !onOwnerThread(W, O) && !onOwnerThread(O, W) && !apartByJoin(W, O) &&
         !apartByJoin(O, W) && !orderedByHandshake(W, O) &&
         !orderedByHandshake(O, W);
}

void Linker::orderedReads(llvm::ArrayRef<LinkUse> Uses, const ReadPlaces &Reads,
                          ReadPlaces &Ordered) {
  auto NameOf = [&](llvm::StringRef Object) -> llvm::StringRef {
    auto It = ObjectNames.find(Object);
    return It == ObjectNames.end() ? Object : llvm::StringRef(It->second);
  };
  llvm::StringSet<> Names, Files;
  for (const ReadPlace &P : Reads) {
    Names.insert(P.Object);
    Files.insert(P.File);
  }
  // The uses of each access, and the writes of each object.
  llvm::DenseMap<const SummaryAccess *, std::vector<const LinkUse *>> Of;
  llvm::StringMap<std::vector<const LinkUse *>> Writes;
  for (const LinkUse &U : Uses) {
    Of[U.Access].push_back(&U);
    if (U.Access->Write)
      Writes[U.Access->Object].push_back(&U);
  }
  // The objects some write of which no thread reaches (its function's
  // callers unknown): nothing is known of when it runs. A constructor's or
  // destructor's writes are made before or after any other thread sees it.
  llvm::StringSet<> Unknown;
  for (const auto &E : Fns)
    if (!E.second->OwnsThis)
      for (const SummaryAccess &A : E.second->Accesses)
        if (A.Write && !Of.count(&A))
          Unknown.insert(A.Object);
  // The functions that read an object asked about in a file asked about,
  // with the lines their calls, acquisitions and accesses span there: a
  // finding made at a read through an iterator (`it->second`, `++it`) is
  // at a line of the function's, not at the container's access.
  struct Reader {
    const SummaryFunction *F;
    unsigned Min = ~0u, Max = 0;
  };
  std::vector<Reader> Readers;
  for (const auto &E : Fns) {
    const SummaryFunction &F = *E.second;
    const SummaryAccess *Read = nullptr;
    for (const SummaryAccess &A : F.Accesses)
      if (!A.Write && Names.contains(NameOf(A.Object)) &&
          Files.contains(A.Loc.File))
        Read = &A;
    if (!Read)
      continue;
    Reader R{&F};
    auto Span = [&](const Location &L) {
      if (L.File != Read->Loc.File)
        return;
      R.Min = std::min(R.Min, L.Line);
      R.Max = std::max(R.Max, L.Line);
    };
    for (const SummaryAccess &A : F.Accesses)
      Span(A.Loc);
    for (const SummaryCall &C : F.Calls)
      Span(C.Loc);
    for (const SummaryAcquisition &A : F.Acquisitions)
      Span(A.Loc);
    Readers.push_back(R);
  }
  constexpr size_t MaxPairs = 1 << 14;
  for (const ReadPlace &P : Reads) {
    // The reads of the object by the functions whose lines there hold
    // the place: each reached, always on a serial executor's thread
    // (an io_context one thread runs, a strand), racing with no write.
    std::vector<const LinkUse *> Rs;
    bool Known = true;
    llvm::StringRef Object;
    for (const Reader &R : Readers) {
      if (P.Line < R.Min || P.Line > R.Max)
        continue;
      for (const SummaryAccess &A : R.F->Accesses) {
        if (A.Write || A.Loc.File != P.File || NameOf(A.Object) != P.Object)
          continue;
        auto It = Of.find(&A);
        Known =
            Known && It != Of.end() && (Object.empty() || Object == A.Object);
        Object = A.Object;
        if (It != Of.end())
          llvm::append_range(Rs, It->second);
      }
    }
    if (!Known || Rs.empty() || Unknown.contains(Object))
      continue;
    const std::vector<const LinkUse *> &Ws = Writes[Object];
    if (Ws.empty() || Rs.size() * Ws.size() > MaxPairs)
      continue;
    if (llvm::all_of(Rs,
                     [&](const LinkUse *R) {
                       return llvm::any_of(R->Gates, isSerialExecutorName);
                     }) &&
        llvm::none_of(Rs, [&](const LinkUse *R) {
          return llvm::any_of(
              Ws, [&](const LinkUse *W) { return mayRace(*W, *R); });
        }))
      Ordered.insert(P);
  }
}

std::vector<Finding> Linker::races(const ReadPlaces *Reads,
                                   ReadPlaces *Ordered) {
  if (Tasks.empty())
    return {};
  findNestedTasks();
  TrackOwners = true;
  std::vector<LinkUse> Uses;
  threads([&](const LinkUse &Proto, llvm::StringRef Fn) {
    const SummaryFunction *F = function(Fn);
    for (unsigned I = 0, N = F->Accesses.size(); I != N; ++I) {
      // A member of an object no other thread sees.
      if ((F->Accesses[I].ThroughThis && (Proto.OwnsThis || F->OwnsThis)) ||
          confinedMember(F->Accesses[I].Object))
        continue;
      LinkUse U = Proto;
      U.Access = &F->Accesses[I];
      U.AccessFn = F->USR;
      U.PerRun = Proto.PerRun && U.Access->ThroughThis;
      U.OnTaskObject =
          Proto.OnTaskObject && U.Access->ThroughThis && U.Access->Owned;
      U.OnStarterObject =
          Proto.OnStarterObject && U.Access->ThroughThis && U.Access->Owned;
      U.OnOwner = Proto.OnOwner && U.Access->ThroughThis && U.Access->Owned;
      if (U.Access->ThroughThis && U.Access->Owned && U.Tree)
        U.OwnRun = (*U.Tree)[U.Node].OwnRun;
      if (U.Access->ThroughThis && U.Access->Owned) {
        if (U.Tree) {
          U.OwnerRoot = (*U.Tree)[U.Node].OwnerRoot;
          U.OwnerChain = (*U.Tree)[U.Node].OwnerChain;
          U.OwnerVirtual = (*U.Tree)[U.Node].OwnerVirtual;
        } else {
          U.OwnerRoot = F->ThisClass;
        }
      }
      // A local's member only while the function that started the task on
      // it waits for the task.
      if (!U.Access->ThroughThis || U.K != LinkUse::Task ||
          Tasks[U.TaskIndex]->Starter != U.ScopedTo ||
          !Tasks[U.TaskIndex]->Ended)
        U.ScopedTo = {};
      llvm::BitVector Started;
      llvm::DenseSet<unsigned> Running =
          runningAt(Fn, &SummaryTask::ConcurrentAccesses, I);
      if (!U.Tree) {
        U.Running = Running;
      } else if (const Reached &R = (*U.Tree)[U.Node];
                 R.OnIter && U.Access->ThroughThis) {
        // A member of the object this iteration of a loop made.
        U.NotYet = R.IterNotYet;
        Started = R.IterStarted;
      } else {
        U.NotYet = R.NotYet;
        Started = R.Started;
      }
      startsAt(*F, U.Access->After, -1, static_cast<int>(I), Running, U.NotYet,
               Started, &U.Access->Behind);
      U.Started = std::move(Started);
      for (const HeldMutex &H : U.Access->Held)
        U.Gates.push_back(H.Mutex);
      // The owner thread confines the members of its object only.
      if (!U.Access->ThroughThis || !U.Access->Owned)
        llvm::erase_if(U.Gates,
                       [](llvm::StringRef G) { return isOwnerThreadName(G); });
      Uses.push_back(std::move(U));
    }
  });
  if (Reads && Ordered)
    orderedReads(Uses, *Reads, *Ordered);
  // The containers some code of the program accesses under a lock it
  // holds (or on a serial executor, or confined to an owner thread): the
  // evidence that their objects are meant to be shared.
  llvm::StringSet<> Guarded;
  // The function's own locks only: a lock its callers hold may be held for
  // anything (a logger's, around the formatting of what it logs).
  for (const auto &E : Fns)
    for (const SummaryAccess &A : E.second->Accesses)
      if (!A.Held.empty())
        Guarded.insert(A.Object);
  // (Not an io_context's: its one runner holds it for everything it runs.)
  for (const LinkUse &U : Uses)
    if (llvm::any_of(U.Gates, [](llvm::StringRef G) {
          return isSerialExecutorName(G) &&
                 !isContextExecutorKey(G.drop_front(SerialPrefix.size()));
        }))
      Guarded.insert(U.Access->Object);
  // The uses of each container, in the order found.
  llvm::StringMap<std::vector<unsigned>> ByObject;
  std::vector<llvm::StringRef> Objects;
  for (unsigned I = 0, N = Uses.size(); I != N; ++I) {
    std::vector<unsigned> &V = ByObject[Uses[I].Access->Object];
    if (V.empty())
      Objects.push_back(Uses[I].Access->Object);
    if (V.size() != Limits.MaxUsesPerObject)
      V.push_back(I);
  }
  auto Key = [&](const LinkUse &U) {
    const Location &L = U.Access->Loc;
    return std::make_tuple(L.File, L.Line, L.Column);
  };
  std::vector<Finding> Out;
  std::set<std::tuple<std::string, unsigned, unsigned>> Reported;
  for (llvm::StringRef Object : Objects) {
    const std::vector<unsigned> &V = ByObject[Object];
    for (unsigned X = 0, N = V.size(); X != N; ++X)
      for (unsigned Y = X + 1; Y != N; ++Y) {
        const LinkUse *W = &Uses[V[X]], *O = &Uses[V[Y]];
        if (!W->Access->Write && !O->Access->Write)
          continue;
        // Reported at the write; of two writes, the first in file order.
        if (!W->Access->Write || (O->Access->Write && Key(*O) < Key(*W)))
          std::swap(W, O);
        // An emptiness test that only decides whether to take the lock
        // races with no locked write (W is the write, or both are).
        auto Locked = [](const LinkUse *U) {
          return llvm::any_of(U->Gates, [](llvm::StringRef G) {
            return !isSerialExecutorName(G) && !isOwnerThreadName(G);
          });
        };
        if ((O->Access->DecidesLocking && Locked(W)) ||
            (W->Access->DecidesLocking && Locked(O)))
          continue;
        if (Reported.count(Key(*W)) || !mayRace(*W, *O) ||
            (Limits.AcrossTUsOnly && inOneTU({V[X], V[Y]}, Uses)))
          continue;
        // A member no code locks, reached by both threads through objects
        // the code does not fix (a local, an element, a call's result on
        // the way): nothing says the two are one object, nor that the class
        // is meant to be shared. (One thread's fixed object may be the
        // other's local: the object a function makes and starts a thread
        // on.)
        bool Unevidenced = !Guarded.contains(Object) &&
                           W->Access->ThroughThis && O->Access->ThroughThis &&
                           !W->Anchored && !O->Anchored;
        if (Unevidenced && !ReportUnguarded)
          continue;
        Reported.insert(Key(*W));
        auto It = ObjectNames.find(Object);
        std::string What =
            "'" + (It == ObjectNames.end() ? Object.str() : It->second) + "'";
        // A mutex a side holds, as the per-TU check names it.
        auto MutexOf = [&](const LinkUse &U) {
          const auto *Gate = llvm::find_if(U.Gates, [](llvm::StringRef G) {
            return !isClaimName(G) && !isSerialExecutorName(G);
          });
          return Gate == U.Gates.end() ? std::string()
                                       : "'" + name(*Gate) + "'";
        };
        std::string Lock = MutexOf(*O);
        // The write holds a mutex the other side does not take: said so
        // (not "modified without a lock", which the write is not).
        std::string Own = Lock.empty() ? MutexOf(*W) : std::string();
        Finding F;
        F.Check = "pitfall-unlocked-container-access";
        F.Level = Unevidenced ? Severity::Note : Severity::Warning;
        F.Loc = W->Access->Loc;
        F.Message = "container " + What + " is modified " +
                    (!Own.empty()   ? "under " + Own
                     : Lock.empty() ? "without a lock"
                                    : "without holding " + Lock) +
                    " while another thread " +
                    (O->Access->Write ? "modifies" : "reads") + " it" +
                    (Own.empty() ? "" : " without a lock");
        describeThread(F, *W);
        F.Flow.push_back({W->Access->Loc, What + " modified in '" +
                                              functionName(W->AccessFn) + "'"});
        describeThread(F, *O);
        std::string Other = std::string("conflicting ") +
                            (O->Access->Write ? "modification" : "read") +
                            " on another thread" +
                            (!Lock.empty() ? " under " + Lock
                             : Own.empty() ? ""
                                           : " without a lock");
        F.Notes.push_back({O->Access->Loc, Other});
        F.Flow.push_back({O->Access->Loc, Other});
        Out.push_back(std::move(F));
      }
  }
  normalize(Out);
  return Out;
}

template <typename VisitFn> void Linker::threads(VisitFn Visit) {
  // The trees built below: one per task, per call of a starter, and the
  // program's own entry points'.
  TreesLeft = Tasks.size() + 1;
  for (const auto &E : StartedBy)
    if (const SummaryFunction *F = function(E.getKey()))
      TreesLeft += F->Calls.size();
  auto VisitTree = [&](const LinkUse &Proto,
                       const std::shared_ptr<const ReachTree> &Tree,
                       bool SkipStarters) {
    for (unsigned N = 0, E = Tree->size(); N != E; ++N) {
      llvm::StringRef U = (*Tree)[N].USR;
      if (SkipStarters && StartedBy.count(U))
        continue;
      LinkUse Use = Proto;
      Use.Tree = Tree;
      Use.Node = N;
      Use.OwnsThis = (*Tree)[N].OwnsThis;
      Use.PerRun = (*Tree)[N].PerRun;
      Use.ScopedTo = (*Tree)[N].ScopedTo;
      Use.OnTaskObject = (*Tree)[N].OnTaskObject;
      Use.OnStarterObject = (*Tree)[N].OnStarterObject;
      Use.JoinedThis = (*Tree)[N].JoinedThis;
      Use.OnOwner = (*Tree)[N].OnOwner;
      Use.Anchored = (*Tree)[N].Anchored;
      llvm::append_range(Use.Gates, (*Tree)[N].Gates);
      Visit(Use, U);
    }
  };
  for (unsigned I = 0, N = Tasks.size(); I != N; ++I) {
    LinkUse Proto;
    Proto.K = LinkUse::Task;
    Proto.TaskIndex = static_cast<int>(I);
    Root R{Tasks[I]->Entry, Tasks[I]->Loc, &TaskGates[I]};
    const SummaryFunction *Entry = function(Tasks[I]->Entry);
    R.ParamsAnchored = Entry && Entry->Within.empty();
    R.OnTaskObject = Tasks[I]->OnOwnObject || PerCallObject.test(I);
    R.OnStarterObject = Tasks[I]->OnOwnObject || Tasks[I]->OnStarterThis;
    R.OnOwner = !Tasks[I]->Owner.empty();
    if (auto It = OwnRunEntries.find(Tasks[I]->Entry);
        R.OnTaskObject && It != OwnRunEntries.end())
      R.OwnRun = It->getKey();
    std::shared_ptr<const ReachTree> Tree = reach({std::move(R)});
    Reaching.note(*Tree, {}, StartedBy);
    VisitTree(Proto, Tree, false);
  }
  std::vector<llvm::StringRef> Starters;
  for (const auto &E : StartedBy)
    Starters.push_back(E.getKey());
  llvm::sort(Starters);
  // The starters' own threads are visited once every tree is built: a
  // starter runs under what every thread that reaches it holds
  // (StarterGates).
  struct StarterTree {
    llvm::StringRef Fn;
    LinkUse Proto;
    std::shared_ptr<const ReachTree> Tree;
  };
  std::vector<StarterTree> StarterTrees;
  for (llvm::StringRef S : Starters) {
    const SummaryFunction *F = function(S);
    if (!F)
      continue;
    LinkUse Own;
    Own.K = LinkUse::Starter;
    Own.StarterFn = S.str();
    StarterTrees.push_back({S, Own, nullptr});
    for (unsigned I = 0, N = F->Calls.size(); I != N; ++I) {
      const SummaryCall &C = F->Calls[I];
      LinkUse Proto = Own;
      Proto.RootCall = static_cast<int>(I);
      Proto.Running = runningAt(S, &SummaryTask::ConcurrentCalls, I);
      Root R{C.Callee, C.Loc, &C.Held, receiver(*F, C)};
      R.Anchored = C.Anchor == ObjectAnchor::Fixed;
      R.ViaVirtual = TrackOwners && C.Virtual;
      R.OwnRun = ownRunOf(*F, C, {});
      if (TrackOwners && C.OnThis && !F->ThisClass.empty()) {
        R.OwnerRoot = F->ThisClass;
        R.OwnerChain.assign(C.Members.begin(), C.Members.end());
      }
      startsAt(*F, C.After, static_cast<int>(I), -1, Proto.Running, R.NotYet,
               R.Started, &C.Behind);
      std::shared_ptr<const ReachTree> Tree = reach({std::move(R)});
      Reaching.note(*Tree, S, StartedBy);
      StarterTrees.push_back({S, std::move(Proto), std::move(Tree)});
    }
  }
  std::vector<llvm::StringRef> Roots;
  for (const auto &E : Fns) {
    const SummaryFunction &F = *E.second;
    // Not an asio handler: it runs on a thread that runs its io_context.
    if (F.External && !Called.contains(F.USR) && !Entries.contains(F.USR) &&
        !StartedBy.count(F.USR) && !Handlers.contains(F.USR))
      Roots.push_back(F.USR);
  }
  llvm::sort(Roots);
  std::vector<Root> RootCalls;
  for (llvm::StringRef R : Roots) {
    RootCalls.push_back({R, Location(), nullptr});
    RootCalls.back().Anchored = function(R)->ThisClass.empty();
  }
  std::shared_ptr<const ReachTree> RootTree = reach(RootCalls);
  Reaching.note(*RootTree, {}, StartedBy);
  StarterGates = Reaching.solve(StartedBy);
  for (StarterTree &T : StarterTrees) {
    if (auto It = StarterGates.find(T.Fn); It != StarterGates.end())
      llvm::append_range(T.Proto.Gates, It->second);
    if (T.Tree)
      VisitTree(T.Proto, T.Tree, false);
    else
      Visit(T.Proto, T.Fn);
  }
  VisitTree(LinkUse(), RootTree, true);
  Reaching = {};
}

bool Linker::concurrent(const LinkUse &A, const LinkUse &B) const {
  if (A.K != LinkUse::Task && B.K != LinkUse::Task)
    return false;
  // One side comes before the other's task starts.
  auto NotYet = [](const LinkUse &U, const LinkUse &T) {
    return T.K == LinkUse::Task && U.NotYet.size() > unsigned(T.TaskIndex) &&
           U.NotYet.test(T.TaskIndex);
  };
  if (NotYet(A, B) || NotYet(B, A))
    return false;
  if (llvm::any_of(A.Gates, [&](llvm::StringRef G) {
        return llvm::is_contained(B.Gates, G);
      }))
    return false;
  // Members of the objects of two runs of a per-object thread's entry:
  // one thread's, or two objects.
  if (!A.OwnRun.empty() && A.OwnRun == B.OwnRun)
    return false;
  // Two executables of one database.
  llvm::ArrayRef<unsigned> PA = programsOf(A), PB = programsOf(B);
  if (!PA.empty() && !PB.empty() &&
      llvm::none_of(PA, [&](unsigned P) { return llvm::is_contained(PB, P); }))
    return false;
  if (A.K == LinkUse::Task && B.K == LinkUse::Task) {
    // Members of objects each run of a task has its own: two runs of one
    // task (started again, or by another TU or program) have two objects,
    // and so do two tasks of different starters; two tasks one starter
    // hands the same pointer may share it.
    const SummaryTask &TA = *Tasks[A.TaskIndex], &TB = *Tasks[B.TaskIndex];
    if (A.PerRun && B.PerRun &&
        (TA.Entry == TB.Entry || TA.Starter != TB.Starter))
      return false;
    // Members of the objects a constructor started each on: two runs of
    // one such start (its copies in two TUs) are two constructions.
    if (A.OnTaskObject && B.OnTaskObject && sameStart(A.TaskIndex, B.TaskIndex))
      return false;
    return A.TaskIndex != B.TaskIndex &&
           !copiesInTwoPrograms(A.TaskIndex, B.TaskIndex);
  }
  const LinkUse &T = A.K == LinkUse::Task ? A : B;
  const LinkUse &O = A.K == LinkUse::Task ? B : A;
  if (O.K == LinkUse::Starter && O.StarterFn == Tasks[T.TaskIndex]->Starter)
    return O.Running.contains(T.TaskIndex);
  // A task its starter waits for runs within the starter's run: code of
  // the program's own thread that the starter does not call meanwhile
  // comes before or after it.
  if (nested(T.TaskIndex) && outsideWindow(O, T.TaskIndex))
    return false;
  return true;
}

llvm::StringSet<> Linker::closure(std::vector<llvm::StringRef> Work,
                                  bool WithEntries) const {
  llvm::StringMap<std::vector<llvm::StringRef>> Defines;
  for (const auto &E : Fns)
    if (!E.second->Within.empty())
      Defines[E.second->Within].push_back(E.getKey());
  llvm::StringSet<> Seen;
  for (llvm::StringRef S : Work)
    Seen.insert(S);
  auto Reach = [&](llvm::StringRef To) {
    if (Seen.insert(To).second)
      Work.push_back(To);
  };
  while (!Work.empty()) {
    llvm::StringRef USR = Work.back();
    Work.pop_back();
    if (const SummaryFunction *F = function(USR)) {
      for (const SummaryCall &C : F->Calls)
        Reach(C.Callee);
      if (F->Drives)
        for (const auto &H : Handlers)
          Reach(H.getKey());
    }
    if (auto It = Defines.find(USR); It != Defines.end())
      for (llvm::StringRef L : It->second)
        Reach(L);
    if (WithEntries)
      if (auto It = StartedBy.find(USR); It != StartedBy.end())
        for (unsigned T : It->second)
          Reach(Tasks[T]->Entry);
  }
  return Seen;
}

void Linker::findNestedTasks() {
  if (!Window.empty())
    return;
  std::vector<llvm::StringRef> Entry;
  for (const SummaryTask *T : Tasks)
    Entry.push_back(T->Entry);
  OnTasks = closure(std::move(Entry), /*Entries=*/true);
  Window.resize(Tasks.size());
  for (unsigned I = 0, N = Tasks.size(); I != N; ++I) {
    const SummaryTask &T = *Tasks[I];
    const SummaryFunction *S = function(T.Starter);
    if (!T.Ended || !S || OnTasks.contains(T.Starter))
      continue;
    std::vector<llvm::StringRef> During;
    for (unsigned C : T.ConcurrentCalls)
      if (C < S->Calls.size())
        During.push_back(S->Calls[C].Callee);
    Window[I] = closure(std::move(During), /*Entries=*/false);
  }
}

bool Linker::outsideWindow(const LinkUse &U, unsigned T) const {
  const llvm::StringSet<> &In = *Window[T];
  switch (U.K) {
  case LinkUse::Task:
    return false;
  case LinkUse::Starter:
    // Another starter, on the program's own thread too, and everything
    // on the way from it to the access.
    if (OnTasks.contains(U.StarterFn) || In.contains(U.StarterFn) ||
        U.StarterFn == Tasks[T]->Starter)
      return false;
    break;
  case LinkUse::External:
    break;
  }
  if (U.Tree)
    for (const Reached *R : pathTo(U))
      if (In.contains(R->USR) || R->USR == Tasks[T]->Starter)
        return false;
  return !In.contains(U.AccessFn);
}

/// Appends to \p F where \p U's thread starts and the calls that lead from
/// its entry to U's function.
void Linker::describeThread(Finding &F, const LinkUse &U) const {
  if (U.K == LinkUse::Task) {
    F.Notes.push_back({Tasks[U.TaskIndex]->Loc, "on the thread started here"});
    F.Flow.push_back(
        {Tasks[U.TaskIndex]->Loc, "thread running '" +
                                      functionName(Tasks[U.TaskIndex]->Entry) +
                                      "' started"});
  }
  for (const Reached *R : pathTo(U)) {
    if (R->CallAt.File.empty() || (R->Parent < 0 && U.K == LinkUse::Task))
      continue;
    std::string Msg = R->Handed
                          ? "completion handler '" + functionName(R->USR) +
                                "' handed over here, run by this thread"
                          : "'" + functionName(R->USR) + "' called here";
    F.Notes.push_back({R->CallAt, Msg});
    F.Flow.push_back({R->CallAt, Msg});
  }
}

std::vector<Finding> Linker::run() {
  if (Tasks.empty())
    return {};
  std::vector<LinkUse> Uses;
  threads([&](const LinkUse &Proto, llvm::StringRef Fn) {
    for (const LinkOrder &O : orders(Fn)) {
      LinkUse U = Proto;
      U.O = &O;
      if (!U.Tree)
        U.Running = runningAt(Fn,
                              O.ByCall ? &SummaryTask::ConcurrentCalls
                                       : &SummaryTask::ConcurrentAcquisitions,
                              O.Index);
      for (const HeldMutex &H : *O.Gates)
        U.Gates.push_back(H.Mutex);
      Uses.push_back(std::move(U));
    }
  });
  auto Concurrent = [&](unsigned IA, unsigned IB) {
    return concurrent(Uses[IA], Uses[IB]);
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
    if (Limits.AcrossTUsOnly && inOneTU(Chain, Uses))
      continue;
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
    for (unsigned I : C)
      describe(F, Uses[I], I == C[0]);
    Out.push_back(std::move(F));
  }
  normalize(Out);
  return Out;
}

} // namespace

std::vector<Finding> linkLockOrder(llvm::ArrayRef<const TUSummary *> Summaries,
                                   const LinkLimits &Limits) {
  return Linker(Summaries, Limits).run();
}

std::vector<Finding>
linkContainerRaces(llvm::ArrayRef<const TUSummary *> Summaries,
                   const LinkLimits &Limits, const ReadPlaces *Reads,
                   ReadPlaces *Ordered) {
  return Linker(Summaries, Limits).races(Reads, Ordered);
}

std::vector<Finding> linkLockOrder(llvm::ArrayRef<TUSummary> Summaries,
                                   const LinkLimits &Limits) {
  std::vector<const TUSummary *> Ptrs;
  for (const TUSummary &S : Summaries)
    Ptrs.push_back(&S);
  return linkLockOrder(Ptrs, Limits);
}

/// Whether \p Comment (the text after "NOLINT" or "NOLINTNEXTLINE") names
/// \p Check: no list names every check, "(a,b*)" names those (globs).
static bool namesCheck(llvm::StringRef Comment, llvm::StringRef Check) {
  if (!Comment.consume_front("("))
    return true;
  llvm::SmallVector<llvm::StringRef, 4> Globs;
  Comment.take_until([](char C) { return C == ')'; }).split(Globs, ',');
  return llvm::any_of(Globs, [&](llvm::StringRef G) {
    llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(G.trim());
    if (!P) {
      llvm::consumeError(P.takeError());
      return false;
    }
    return P->match(Check);
  });
}

/// Whether \p Text, from \p Marker's end, is that marker and names
/// \p Check ("NOLINT" is not "NOLINTNEXTLINE").
static bool markerNames(llvm::StringRef Text, llvm::StringRef Marker,
                        llvm::StringRef Check) {
  for (size_t P = Text.find(Marker); P != llvm::StringRef::npos;
       P = Text.find(Marker, P + 1)) {
    llvm::StringRef Rest = Text.substr(P + Marker.size());
    if ((Rest.empty() || !llvm::isAlpha(Rest.front())) &&
        namesCheck(Rest, Check))
      return true;
  }
  return false;
}

/// Whether a NOLINT comment suppresses \p F, as clang-tidy's would in the
/// TU (the link step's findings do not go through clang-tidy's diagnostic
/// consumer): NOLINT on its line, NOLINTNEXTLINE on the line before, or a
/// NOLINTBEGIN above it whose block no NOLINTEND has closed.
static bool suppressed(const Finding &F) {
  if (markerNames(sourceLine(F.Loc.File, F.Loc.Line), "NOLINT", F.Check))
    return true;
  if (F.Loc.Line >= 2 && markerNames(sourceLine(F.Loc.File, F.Loc.Line - 1),
                                     "NOLINTNEXTLINE", F.Check))
    return true;
  unsigned Open = 0;
  for (unsigned L = 1; L < F.Loc.Line; ++L) {
    llvm::StringRef Text = sourceLine(F.Loc.File, L);
    if (!Text.contains("NOLINT"))
      continue;
    if (markerNames(Text, "NOLINTBEGIN", F.Check))
      ++Open;
    else if (Open && markerNames(Text, "NOLINTEND", F.Check))
      --Open;
  }
  return Open != 0;
}

/// The lock a finding of the member rule names (pitfall-unlocked-container-
/// access: "... without holding 'm', which guards its other accesses"), or
/// empty for another finding.
static llvm::StringRef memberRuleLock(const Finding &F) {
  static constexpr llvm::StringLiteral Holding = "without holding '",
                                       Guards = "', which guards its other";
  if (F.Check != "pitfall-unlocked-container-access")
    return {};
  size_t Begin = F.Message.find(Holding);
  if (Begin == std::string::npos)
    return {};
  Begin += Holding.size();
  size_t End = F.Message.find(Guards, Begin);
  if (End == std::string::npos)
    return {};
  return llvm::StringRef(F.Message).slice(Begin, End);
}

/// The place of a finding of the member rule at an unlocked read ("container
/// 'c' is read without holding 'm', which guards its other accesses"): its
/// file, line and the container's name; none for another finding.
static std::optional<ReadPlace> memberRuleRead(const Finding &F) {
  static constexpr llvm::StringLiteral Container = "container '",
                                       Read = "' is read without holding";
  if (memberRuleLock(F).empty() ||
      !llvm::StringRef(F.Message).starts_with(Container))
    return std::nullopt;
  size_t End = F.Message.find(Read);
  if (End == std::string::npos)
    return std::nullopt;
  return ReadPlace{F.Loc.File, F.Loc.Line,
                   F.Message.substr(Container.size(), End - Container.size())};
}

/// The global or data member an access's object key (SummaryAccess::Object)
/// starts from: its first '.'-separated component.
static llvm::StringRef outermostObject(llvm::StringRef Object) {
  return Object.split('.').first;
}

/// Leaves out the member rule's findings made in a function whose every
/// call in the program (in any TU; at least one) holds the lock the finding
/// names: a non-public virtual member (SummaryFunction::Hook), called by a
/// name of its own or of a method it overrides (Poco's protected
/// configuration hooks, each called by the base class's code under the
/// base's mutex, defined in another TU), and any other function but a
/// constructor, destructor, lambda or `main` that no TU names otherwise than
/// as a direct call's callee (TUSummary::Referenced: its address taken, a
/// thread's entry) nor starts a task on (rocksdb's VersionSet::Reset and
/// DBImpl's REQUIRES-held helpers, called from other TUs under the DB's
/// mutex). The locks held at a call are the caller's there and, when the
/// caller is such a function itself, those it is entered with (the
/// greatest fixpoint over the program's calls, over the functions holding
/// such a finding and their callers). A call without the lock keeps them.
static void applyCallerEntryLocks(ScanResult &R,
                                  llvm::ArrayRef<const TUSummary *> Summaries) {
  // The places of the member rule's findings.
  std::set<std::pair<std::string, unsigned>> Wanted;
  for (const Finding &F : R.Findings)
    if (!memberRuleLock(F).empty())
      Wanted.insert({F.Loc.File, F.Loc.Line});
  if (Wanted.empty())
    return;
  std::map<std::pair<std::string, unsigned>, const SummaryFunction *> Hooks;
  // The object (outermost: `_layers` of `_layers.second`, an element's
  // member) each such function's access at a line is of.
  std::map<std::pair<std::string, unsigned>, std::string> HookObjects;
  // The mutexes held at the accesses of each such object, by name: what a
  // finding's lock name stands for (a field of one class, not every field
  // of that name).
  llvm::StringMap<llvm::StringMap<llvm::StringSet<>>> Evidence;
  llvm::StringMap<std::string> Names;
  struct Site {
    const SummaryFunction *Caller;
    const SummaryCall *Call;
  };
  llvm::StringMap<std::vector<Site>> CallsTo;
  // Functions that run from places the calls do not show.
  llvm::StringSet<> Unseen;
  for (const TUSummary *S : Summaries) {
    for (const auto &[USR, Name] : S->MutexNames)
      Names[USR] = Name;
    for (const std::string &U : S->Referenced)
      Unseen.insert(U);
    for (const SummaryTask &T : S->Tasks)
      Unseen.insert(T.Entry);
    for (const SummaryFunction &F : S->Functions) {
      for (const SummaryCall &C : F.Calls)
        CallsTo[C.Callee].push_back({&F, &C});
      if (F.Hook.empty())
        continue;
      for (const SummaryAccess &A : F.Accesses)
        if (Wanted.count({A.Loc.File, A.Loc.Line}) &&
            Hooks.emplace(std::make_pair(A.Loc.File, A.Loc.Line), &F).second)
          HookObjects.emplace(std::make_pair(A.Loc.File, A.Loc.Line),
                              outermostObject(A.Object));
    }
  }
  if (Hooks.empty())
    return;
  // The evidence: the mutexes held at the accesses of those objects, and
  // at the calls of the functions that make them (the per-TU check's
  // evidence includes an access its TU's callers lock around), but for
  // the functions holding the findings judged: the calls of those are
  // what is judged, not what guards the container.
  llvm::StringSet<> Objects, Judged;
  for (const auto &[Place, Object] : HookObjects)
    Objects.insert(Object);
  for (const auto &[Place, F] : Hooks)
    Judged.insert(F->USR);
  for (const TUSummary *S : Summaries)
    for (const SummaryFunction &F : S->Functions) {
      std::optional<llvm::StringSet<>> AtCalls;
      if (Judged.contains(F.USR))
        AtCalls.emplace();
      for (const SummaryAccess &A : F.Accesses) {
        llvm::StringRef Object = outermostObject(A.Object);
        if (!Objects.contains(Object))
          continue;
        if (!AtCalls) {
          AtCalls.emplace();
          if (auto It = CallsTo.find(F.USR); It != CallsTo.end())
            for (const Site &C : It->second)
              for (const HeldMutex &H : C.Call->Held)
                AtCalls->insert(H.Mutex);
        }
        auto Note = [&](llvm::StringRef Mutex) {
          if (auto N = Names.find(Mutex); N != Names.end())
            Evidence[Object][N->second].insert(Mutex);
        };
        for (const HeldMutex &H : A.Held)
          Note(H.Mutex);
        for (const auto &M : *AtCalls)
          Note(M.getKey());
      }
    }
  // Whether \p F may run from a place no call shows (the methods of a
  // virtual chain are never the entry the summary names: `&Base::f`).
  auto Confined = [&](const SummaryFunction &F) {
    return !F.Hook.empty() && !llvm::any_of(F.Hook, [&](const std::string &U) {
      return Unseen.contains(U);
    });
  };
  // The functions whose entry locks are computed: those holding a finding
  // and, transitively, their callers that are confined.
  std::vector<const SummaryFunction *> Work;
  llvm::DenseSet<const SummaryFunction *> Relevant;
  for (const auto &[Place, F] : Hooks)
    if (Relevant.insert(F).second)
      Work.push_back(F);
  for (unsigned I = 0; I != Work.size(); ++I) {
    if (!Confined(*Work[I]))
      continue;
    for (const std::string &U : Work[I]->Hook)
      if (auto It = CallsTo.find(U); It != CallsTo.end())
        for (const Site &S : It->second)
          if (Confined(*S.Caller) && Relevant.insert(S.Caller).second)
            Work.push_back(S.Caller);
  }
  // Entry locks by function; nullopt: not known yet (every lock).
  using Locks = std::optional<llvm::StringSet<>>;
  llvm::DenseMap<const SummaryFunction *, Locks> Entry;
  auto HeldAt = [&](const Site &S) -> Locks {
    Locks Out;
    if (!Relevant.contains(S.Caller) || !Confined(*S.Caller)) {
      Out.emplace();
    } else {
      auto It = Entry.find(S.Caller);
      if (It == Entry.end() || !It->second)
        return std::nullopt;
      Out = It->second;
    }
    // A lock held as a mode condition's other arm counts, as in the TU's
    // own check (the summary has it only when the check's option does).
    for (const HeldMutex &H : S.Call->Held)
      if (!isClaimName(H.Mutex))
        Out->insert(H.Mutex);
    return Out;
  };
  auto Meet = [](Locks &Into, const Locks &L) {
    if (!L)
      return;
    if (!Into) {
      Into = L;
      return;
    }
    llvm::SmallVector<llvm::StringRef, 4> Gone;
    for (const auto &E : *Into)
      if (!L->contains(E.getKey()))
        Gone.push_back(E.getKey());
    for (llvm::StringRef G : Gone)
      Into->erase(G);
  };
  bool Changed = true;
  for (unsigned Round = 0; Changed && Round != 64; ++Round) {
    Changed = false;
    // Callers first: a chain's locks reach its end in one round.
    for (const SummaryFunction *F : llvm::reverse(Work)) {
      Locks New;
      bool Called = false;
      if (Confined(*F))
        for (const std::string &U : F->Hook) {
          auto It = CallsTo.find(U);
          if (It == CallsTo.end())
            continue;
          for (const Site &S : It->second) {
            Called = true;
            Meet(New, HeldAt(S));
          }
        }
      if (!Called)
        New.emplace(); // no call seen: entered with nothing known
      Locks &Old = Entry[F];
      size_t OldSize = Old ? Old->size() : ~size_t(0);
      size_t NewSize = New ? New->size() : ~size_t(0);
      if (OldSize != NewSize) {
        Old = std::move(New);
        Changed = true;
      }
    }
  }
  if (Changed)
    return; // no fixpoint within the bound: nothing is left out
  // A function that takes the lock itself may release the one it was
  // entered with first: its own analysis judged that.
  // The mutex the finding names is one held at another access of its
  // container (a field of the class that guards it, not one of the same
  // name in another class).
  auto Guarded = [&](const SummaryFunction &Hook, llvm::StringRef Object,
                     llvm::StringRef Lock) {
    const Locks &L = Entry[&Hook];
    auto Ev = Evidence.find(Object);
    if (!L || Ev == Evidence.end())
      return false;
    auto Named = Ev->second.find(Lock);
    return Named != Ev->second.end() && llvm::any_of(*L, [&](const auto &E) {
             return Named->second.contains(E.getKey()) &&
                    !llvm::is_contained(Hook.Takes, E.getKey());
           });
  };
  llvm::erase_if(R.Findings, [&](const Finding &F) {
    llvm::StringRef Lock = memberRuleLock(F);
    if (Lock.empty())
      return false;
    auto It = Hooks.find({F.Loc.File, F.Loc.Line});
    return It != Hooks.end() &&
           Guarded(*It->second, HookObjects[{F.Loc.File, F.Loc.Line}], Lock);
  });
}

/// The mutex (or io_context) each pointer or reference member stands for
/// across the program (TUSummary::MutexAliases, ContextAliases): the one
/// every TU that constructs its class gives it, when they all agree.
static llvm::StringMap<std::string> programAliases(
    llvm::ArrayRef<const TUSummary *> Summaries,
    std::vector<std::pair<std::string, std::string>> TUSummary::*Aliases) {
  llvm::StringMap<std::optional<std::string>> Seen;
  for (const TUSummary *S : Summaries)
    for (const auto &[USR, Target] : S->*Aliases) {
      auto [It, New] = Seen.try_emplace(USR, Target);
      if (!New && It->second && *It->second != Target)
        It->second = std::nullopt;
    }
  llvm::StringMap<std::string> Out;
  for (const auto &E : Seen)
    if (E.second && !E.second->empty() && *E.second != E.getKey())
      Out[E.getKey()] = *E.second;
  // A member handed another member: the mutex at the end of the chain.
  for (auto &E : Out)
    for (unsigned Hops = 0; Hops != 4; ++Hops) {
      auto Next = Out.find(E.second);
      if (Next == Out.end() || Next->second == E.getKey())
        break;
      E.second = Next->second;
    }
  return Out;
}

/// \p S with the members of \p Aliases named by the mutexes they stand for.
static TUSummary renameMutexes(const TUSummary &S,
                               const llvm::StringMap<std::string> &Aliases) {
  TUSummary Out = S;
  auto Rename = [&](std::string &M) {
    if (auto It = Aliases.find(M); It != Aliases.end())
      M = It->second;
  };
  auto RenameHeld = [&](std::vector<HeldMutex> &Held) {
    for (HeldMutex &H : Held)
      Rename(H.Mutex);
  };
  for (SummaryFunction &F : Out.Functions) {
    for (SummaryAcquisition &A : F.Acquisitions) {
      Rename(A.Mutex);
      RenameHeld(A.Held);
    }
    for (SummaryCall &C : F.Calls) {
      RenameHeld(C.Held);
      llvm::for_each(C.Gates, Rename);
    }
    for (SummaryAccess &A : F.Accesses) {
      RenameHeld(A.Held);
      llvm::for_each(A.Gates, Rename);
    }
    llvm::for_each(F.Takes, Rename);
    llvm::for_each(F.ReturnGates, Rename);
  }
  return Out;
}

/// \p S with the members of \p Aliases named by the io_contexts they
/// stand for.
static TUSummary renameContexts(const TUSummary &S,
                                const llvm::StringMap<std::string> &Aliases) {
  TUSummary Out = S;
  auto Rename = [&](std::string &K) {
    if (auto It = Aliases.find(K); It != Aliases.end())
      K = It->second;
  };
  for (SummaryTask &T : Out.Tasks)
    if (isContextExecutorKey(T.Serial)) {
      std::string K = T.Serial.substr(ContextPrefix.size());
      Rename(K);
      T.Serial = contextExecutorKey(K);
    }
  for (SummaryFunction &F : Out.Functions)
    llvm::for_each(F.DrivenContexts, Rename);
  for (SummaryHandler &H : Out.HandlerContexts)
    Rename(H.Context);
  return Out;
}

/// Whether \p S names a member of \p Aliases as an io_context.
static bool namesContexts(const TUSummary &S,
                          const llvm::StringMap<std::string> &Aliases) {
  auto Names = [&](llvm::StringRef K) { return Aliases.contains(K); };
  return llvm::any_of(S.Tasks,
                      [&](const SummaryTask &T) {
                        return isContextExecutorKey(T.Serial) &&
                               Names(llvm::StringRef(T.Serial).drop_front(
                                   ContextPrefix.size()));
                      }) ||
         llvm::any_of(S.Functions,
                      [&](const SummaryFunction &F) {
                        return llvm::any_of(F.DrivenContexts, Names);
                      }) ||
         llvm::any_of(S.HandlerContexts, [&](const SummaryHandler &H) {
           return Names(H.Context);
         });
}

void linkWholeProgram(ScanResult &R) {
  applyErrorConvention(R);
  std::vector<const TUSummary *> Ptrs;
  for (const std::shared_ptr<const TUSummary> &S : R.Summaries)
    Ptrs.push_back(S.get());
  // One mutex under several names: the summaries that name it otherwise,
  // renamed.
  std::vector<std::unique_ptr<TUSummary>> Renamed;
  if (llvm::StringMap<std::string> Aliases =
          programAliases(Ptrs, &TUSummary::MutexAliases);
      !Aliases.empty())
    for (const TUSummary *&S : Ptrs)
      if (llvm::any_of(S->MutexNames, [&](const auto &N) {
            return Aliases.contains(N.first);
          })) {
        Renamed.push_back(
            std::make_unique<TUSummary>(renameMutexes(*S, Aliases)));
        S = Renamed.back().get();
      }
  // One io_context under several names (a reference member given another
  // object's): likewise.
  if (llvm::StringMap<std::string> Aliases =
          programAliases(Ptrs, &TUSummary::ContextAliases);
      !Aliases.empty())
    for (const TUSummary *&S : Ptrs)
      if (namesContexts(*S, Aliases)) {
        Renamed.push_back(
            std::make_unique<TUSummary>(renameContexts(*S, Aliases)));
        S = Renamed.back().get();
      }
  applyCallerEntryLocks(R, Ptrs);
  // Linked in file order: the result does not depend on the TUs' order
  // (shards merged in any order), only which definition of an inline
  // function is kept does, and those are the same.
  llvm::stable_sort(Ptrs, [](const TUSummary *A, const TUSummary *B) {
    return A->File < B->File;
  });
  llvm::StringSet<> Reported;
  for (const TUSummary *S : Ptrs)
    for (const std::string &File : S->Reported)
      Reported.insert(File);
  // Where the TUs' checks already report: a linked finding there (an
  // access a race within its TU and another across TUs both reach) would
  // say it twice.
  std::set<std::tuple<std::string, std::string, unsigned, unsigned>> Known;
  for (const Finding &F : R.Findings)
    Known.emplace(F.Check, F.Loc.File, F.Loc.Line, F.Loc.Column);
  LinkLimits Limits;
  Limits.AcrossTUsOnly = true;
  Limits.Report = &R.Link;
  if (R.LinkBudget)
    Limits.MaxReachedPerThread = Limits.MaxReachedTotal = R.LinkBudget;
  // The member rule's unlocked reads: those the owner thread of a table
  // makes, on a serial executor, of what only it (or threads ordered with
  // it) writes are left out.
  ReadPlaces Reads, Ordered;
  for (const Finding &F : R.Findings)
    if (std::optional<ReadPlace> P = memberRuleRead(F))
      Reads.insert(std::move(*P));
  std::vector<Finding> Races = linkContainerRaces(
      Ptrs, Limits, Reads.empty() ? nullptr : &Reads, &Ordered);
  if (!Ordered.empty())
    llvm::erase_if(R.Findings, [&](const Finding &F) {
      std::optional<ReadPlace> P = memberRuleRead(F);
      return P && Ordered.count(*P);
    });
  for (std::vector<Finding> Found :
       {linkLockOrder(Ptrs, Limits), std::move(Races)})
    for (Finding &F : Found)
      if (Reported.contains(F.Loc.File) && !suppressed(F) &&
          !Known.count({F.Check, F.Loc.File, F.Loc.Line, F.Loc.Column}))
        R.Findings.push_back(std::move(F));
  normalize(R.Findings);
}

} // namespace scan
} // namespace pitfall
