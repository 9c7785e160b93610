//===--- PitfallTidyModuleEntry.cpp - keeps the registration linked in ----===//
// The module is `clang-tidy --load`ed; its registration lives in the
// pitfallChecks library (shared with pitfall-scan) and is pulled in here.
extern volatile int PitfallModuleAnchorSource;
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables)
[[maybe_unused]] static int PitfallModuleAnchorDestination =
    PitfallModuleAnchorSource;
