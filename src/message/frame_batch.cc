#include "message/frame_batch.h"

#include <algorithm>
#include <functional>

#include "format/body.h"
#include "format/suites.h"

namespace envelope::message {

namespace {
constexpr std::uint32_t kMaxSequence = 0xFFFFFFFF;
constexpr std::size_t kRegularOverhead = format::kRegularFramePrefixBytes + format::kTagBytes;
constexpr std::size_t kFinalOverhead = format::kFinalFramePrefixBytes + format::kTagBytes;

// Splits `count` items into about `parts` contiguous ranges and runs `body(begin, end, index)`.
// `status` must outlive the tasks (it belongs to the batch, which the caller waits on).
// `body(begin, end, gcm)` gets the cipher to use: the caller's own when run inline, else null
// (the task clones one).
using RangeBody = std::function<Status(std::size_t, std::size_t, crypto::AesGcm*)>;
void RunRanges(WorkerPool* pool, crypto::AesGcm* gcm, TaskGroup& group, std::vector<Status>& status,
               std::size_t count, RangeBody body) {
  const std::size_t parts = pool == nullptr ? 1 : std::min<std::size_t>(pool->size(), count);
  status.assign(std::max<std::size_t>(parts, 1), OkStatus());
  if (parts <= 1) {
    status[0] = body(0, count, gcm);
    return;
  }
  auto shared = std::make_shared<RangeBody>(std::move(body));
  std::vector<std::function<void()>> tasks;
  const std::size_t per = (count + parts - 1) / parts;
  for (std::size_t p = 0; p < parts; ++p) {
    const std::size_t begin = p * per, end = std::min(count, begin + per);
    tasks.emplace_back(
        [&status, shared, p, begin, end] { status[p] = (*shared)(begin, end, nullptr); });
  }
  pool->Submit(group, std::move(tasks));
}

// Runs `fn(gcm)` with `own` when given, else with a clone of the message's cipher.
template <typename Fn>
Status WithCipher(const BodyParams& params, crypto::AesGcm* own, Fn fn) {
  if (own != nullptr) return fn(*own);
  ENVELOPE_ASSIGN_OR_RETURN(crypto::AesGcm clone, params.gcm->Clone());
  return fn(clone);
}

Status EncryptFrames(const BodyParams& params, EncryptBatch& batch, std::size_t begin,
                     std::size_t end, crypto::AesGcm& gcm) {
  std::uint8_t aad[format::kMaxBodyAadBytes];
  for (std::size_t i = begin; i < end; ++i) {
    const EncryptFrame& f = batch.frames[i];
    std::uint8_t* out = batch.ciphertext.data() + f.out_offset;
    std::size_t prefix;
    if (f.final) {
      format::WriteFinalFramePrefix(f.sequence, static_cast<std::uint32_t>(f.length), out);
      prefix = format::kFinalFramePrefixBytes;
    } else {
      format::WriteRegularFramePrefix(f.sequence, out);
      prefix = format::kRegularFramePrefixBytes;
    }
    const std::size_t aad_len = format::WriteBodyAad(
        params.message_id,
        f.final ? format::BodyKind::kFinalFrame : format::BodyKind::kRegularFrame, f.sequence,
        f.length, aad);
    // The IV follows the sequence number: offset 4 in a regular frame, 8 in the final frame
    // (after the end marker); the final frame's content length comes after it.
    ByteView iv(out + (f.final ? 8 : 4), format::kIvBytes);
    ByteView plaintext(batch.plaintext.data() + f.plaintext_offset, f.length);
    ENVELOPE_RETURN_IF_ERROR(gcm.Encrypt(iv, ByteView(aad, aad_len), plaintext, out + prefix,
                                         out + prefix + f.length));
  }
  return OkStatus();
}

Status DecryptFrames(const BodyParams& params, DecryptBatch& batch, std::size_t begin,
                     std::size_t end, crypto::AesGcm& gcm) {
  std::uint8_t aad[format::kMaxBodyAadBytes];
  const std::uint8_t* in = batch.ciphertext.data();
  for (std::size_t i = begin; i < end; ++i) {
    const FrameRef& f = batch.frames[i];
    const std::size_t aad_len = format::WriteBodyAad(
        params.message_id,
        f.final ? format::BodyKind::kFinalFrame : format::BodyKind::kRegularFrame, f.sequence,
        f.length, aad);
    if (!gcm.Decrypt(ByteView(in + f.iv_offset, format::kIvBytes), ByteView(aad, aad_len),
                     ByteView(in + f.ciphertext_offset, f.length),
                     ByteView(in + f.tag_offset, format::kTagBytes),
                     batch.plaintext.data() + f.plaintext_offset)
             .ok()) {
      return Corrupt("frame " + std::to_string(f.sequence) + " failed authentication");
    }
  }
  return OkStatus();
}
}  // namespace

Status StartEncrypt(const BodyParams& params, WorkerPool* pool, EncryptBatch& batch) {
  const std::size_t length = params.frame_length;
  const std::size_t size = batch.plaintext.size();
  // Every frame but the last is full. The final frame holds the rest: 1..L bytes, or 0 bytes
  // for an empty message. A batch that does not end the message holds whole frames only.
  const std::size_t regular = batch.last ? (size == 0 ? 0 : (size - 1) / length) : size / length;
  const std::size_t count = regular + (batch.last ? 1 : 0);
  if (count > 0 && std::uint64_t{batch.first_sequence} + count - 1 > kMaxSequence) {
    return InvalidArgument("message too large: more than 2^32-1 frames at this frame length");
  }
  std::vector<EncryptFrame>& frames = batch.frames;
  frames.resize(count);
  std::size_t out = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const bool final = batch.last && i + 1 == count;
    const std::size_t len = final ? size - regular * length : length;
    frames[i] = {static_cast<std::uint32_t>(batch.first_sequence + i), final, i * length, len, out};
    out += len + (final ? kFinalOverhead : kRegularOverhead);
  }
  batch.ciphertext.resize(out);
  RunRanges(pool, params.gcm, batch.group, batch.task_status, count,
            [params, &batch](std::size_t b, std::size_t e, crypto::AesGcm* own) {
              return WithCipher(params, own, [&](crypto::AesGcm& gcm) {
                return EncryptFrames(params, batch, b, e, gcm);
              });
            });
  return OkStatus();
}

void StartDecrypt(const BodyParams& params, WorkerPool* pool, DecryptBatch& batch) {
  RunRanges(pool, params.gcm, batch.group, batch.task_status, batch.frames.size(),
            [params, &batch](std::size_t b, std::size_t e, crypto::AesGcm* own) {
              return WithCipher(params, own, [&](crypto::AesGcm& gcm) {
                return DecryptFrames(params, batch, b, e, gcm);
              });
            });
}

Status CombinedStatus(const std::vector<Status>& task_status) {
  for (const Status& s : task_status) {
    if (!s.ok()) return s;
  }
  return OkStatus();
}

}  // namespace envelope::message
