//===--- ErrorUseRecorder.cpp - a code base's uses of error results -------===//
#include "pitfall/Core/ErrorUseRecorder.h"

namespace pitfall {

namespace {
thread_local ErrorUseRecorder *Current = nullptr;
} // namespace

ErrorUseRecorder::~ErrorUseRecorder() = default;

ScopedErrorUseRecorder::ScopedErrorUseRecorder(ErrorUseRecorder &R)
    : Previous(Current) {
  Current = &R;
}

ScopedErrorUseRecorder::~ScopedErrorUseRecorder() { Current = Previous; }

ErrorUseRecorder *errorUseRecorder() { return Current; }

} // namespace pitfall
