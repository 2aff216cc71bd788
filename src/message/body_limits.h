#pragma once
// Sizing of the batches the body is processed in: large enough to keep every core busy and to
// amortize synchronization, small enough that a stream of any length stays in constant memory
// (about three batches in flight, plus one frame when frames are larger than a batch).
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace envelope::message {

inline constexpr std::size_t kTargetBatchBytes = 2 * 1024 * 1024;

// Whole frames per batch, at least one.
inline std::size_t FramesPerBatch(std::uint32_t frame_length) {
  return std::max<std::size_t>(1, kTargetBatchBytes / std::max<std::uint32_t>(frame_length, 1));
}

}  // namespace envelope::message
