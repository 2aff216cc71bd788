#include "message/body_reader.h"

#include "format/body.h"
#include "format/suites.h"
#include "message/body_limits.h"
#include "message/signature.h"
#include "message/stream_io.h"

namespace envelope::message {

namespace {
constexpr std::size_t kMaxFooterBytes = 2 + 65535;
constexpr std::size_t kMinReadStep = 64 * 1024;

Status Truncated() { return Corrupt("message is truncated"); }
}  // namespace

BodyReader::BodyReader(const BodyParams& params, unsigned threads,
                       std::optional<crypto::Hasher>& hasher, bool release_after_verify,
                       OutputStream& output)
    : params_(params),
      threads_(threads),
      hasher_(hasher),
      hold_all_(release_after_verify),
      output_(output) {}

WorkerPool* BodyReader::Pool(const DecryptBatch& batch) {
  if (threads_ <= 1 || batch.frames.size() < 2) return pool_.get();
  if (!pool_) pool_ = std::make_unique<WorkerPool>(threads_);
  return pool_.get();
}

// Moves `carry` into the batch, reads about a batch worth of frames, and parses frame
// boundaries (no crypto). Bytes past the last whole frame go back to `carry`.
Status BodyReader::ParseBatch(InputStream& input, RawBuffer& carry, DecryptBatch& batch) {
  const std::size_t frame_size =
      params_.frame_length + format::kRegularFramePrefixBytes + format::kTagBytes;
  const std::size_t max_frames = FramesPerBatch(params_.frame_length);
  RawBuffer& buf = batch.ciphertext;
  buf.assign(carry.begin(), carry.end());  // keeps the recycled buffer's capacity
  std::size_t want = max_frames * frame_size;
  std::size_t pos = 0, plaintext = 0;
  while (batch.frames.size() < max_frames) {
    if (!eof_ && buf.size() < want) {
      ENVELOPE_ASSIGN_OR_RETURN(eof_, ReadUpTo(input, buf, want));
    }
    ByteReader reader(ByteView(buf).subspan(pos), "frame");
    auto frame = format::ParseFrame(reader, params_.frame_length);
    if (!frame.ok()) {
      if (!reader.truncated()) return frame.status();
      if (eof_) return Truncated();
      want = std::max(want, buf.size() + std::max(frame_size, kMinReadStep));
      continue;
    }
    if (frame->sequence != next_sequence_) return Corrupt("frame sequence number out of order");
    const auto offset = [&buf](ByteView v) { return static_cast<std::size_t>(v.data() - buf.data()); };
    batch.frames.push_back({frame->sequence, frame->final, offset(frame->iv),
                            offset(frame->ciphertext), frame->ciphertext.size(),
                            offset(frame->tag), plaintext});
    plaintext += frame->ciphertext.size();
    pos += reader.position();
    if (frame->final) {
      batch.has_final = true;
      break;
    }
    if (next_sequence_ == 0xFFFFFFFF) return Corrupt("too many frames");
    ++next_sequence_;
  }
  carry.assign(buf.begin() + static_cast<std::ptrdiff_t>(pos), buf.end());
  buf.resize(pos);
  batch.plaintext.resize(plaintext);
  return OkStatus();
}

std::unique_ptr<DecryptBatch> BodyReader::NewBatch() {
  if (free_.empty()) return std::make_unique<DecryptBatch>();
  std::unique_ptr<DecryptBatch> batch = std::move(free_.back());
  free_.pop_back();
  batch->frames.clear();
  batch->plaintext.clear();
  batch->has_final = false;
  return batch;
}

Status BodyReader::FinishBatch(DecryptBatch& batch) {
  batch.group.Wait();
  ENVELOPE_RETURN_IF_ERROR(CombinedStatus(batch.task_status));
  plaintext_bytes_ += batch.plaintext.size();
  // The final frame of a signed message waits for the signature.
  if (hold_all_ || (batch.has_final && hasher_)) {
    held_.insert(held_.end(), batch.plaintext.begin(), batch.plaintext.end());
    return OkStatus();
  }
  return Release(batch.plaintext);
}

Status BodyReader::Release(ByteView plaintext) {
  if (plaintext.empty()) return OkStatus();
  return output_.Write(plaintext);
}

Status BodyReader::ReadFramed(InputStream& input, RawBuffer& carry) {
  std::unique_ptr<DecryptBatch> pending;
  for (;;) {
    std::unique_ptr<DecryptBatch> batch = NewBatch();
    ENVELOPE_RETURN_IF_ERROR(ParseBatch(input, carry, *batch));
    StartDecrypt(params_, Pool(*batch), *batch);
    // Hash this batch while the workers decrypt it.
    if (hasher_) hasher_->Update(batch->ciphertext);
    ciphertext_bytes_ += batch->ciphertext.size();
    if (pending) {
      ENVELOPE_RETURN_IF_ERROR(FinishBatch(*pending));
      free_.push_back(std::move(pending));
    }
    pending = std::move(batch);
    if (pending->has_final) break;
  }
  return FinishBatch(*pending);
}

Status BodyReader::ReadNonFramed(InputStream& input, RawBuffer& carry) {
  RawBuffer& buf = carry;
  ByteReader prefix_reader(buf, "body");
  auto prefix = format::ParseNonFramedPrefix(prefix_reader);
  while (!prefix.ok() && prefix_reader.truncated() && !eof_) {
    ENVELOPE_ASSIGN_OR_RETURN(eof_, ReadUpTo(input, buf, buf.size() + kMinReadStep));
    prefix_reader = ByteReader(buf, "body");
    prefix = format::ParseNonFramedPrefix(prefix_reader);
  }
  if (!prefix.ok()) return prefix_reader.truncated() ? Truncated() : prefix.status();
  std::uint8_t aad[format::kMaxBodyAadBytes];
  const std::size_t aad_len = format::WriteBodyAad(
      params_.message_id, format::BodyKind::kSingleBlock, 1, prefix->length, aad);
  crypto::AesGcm& gcm = *params_.gcm;  // one stream on this thread: no clone needed
  ENVELOPE_RETURN_IF_ERROR(gcm.Begin(false, prefix->iv, ByteView(aad, aad_len)));
  const std::size_t prefix_size = prefix_reader.position();
  if (hasher_) hasher_->Update(ByteView(buf).first(prefix_size));
  // Stream the ciphertext through GCM; the plaintext is held until the tag verifies.
  RawBuffer data(buf.begin() + static_cast<std::ptrdiff_t>(prefix_size), buf.end());
  std::uint64_t remaining = prefix->length;
  RawBuffer plaintext;
  for (;;) {
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, data.size()));
    if (take > 0) {
      const std::size_t at = plaintext.size();
      plaintext.resize(at + take);
      ENVELOPE_RETURN_IF_ERROR(gcm.Update(ByteView(data).first(take), plaintext.data() + at));
      if (hasher_) hasher_->Update(ByteView(data).first(take));
      data.erase(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
      remaining -= take;
    }
    if (remaining == 0 && data.size() >= format::kTagBytes) break;
    if (eof_) return Truncated();
    ENVELOPE_ASSIGN_OR_RETURN(eof_, ReadUpTo(input, data, data.size() + kMinReadStep));
  }
  const ByteView tag = ByteView(data).first(format::kTagBytes);
  if (!gcm.FinishDecrypt(tag).ok()) return Corrupt("message body failed authentication");
  if (hasher_) hasher_->Update(tag);
  ciphertext_bytes_ += prefix_size + prefix->length + format::kTagBytes;
  plaintext_bytes_ += plaintext.size();
  carry.assign(data.begin() + format::kTagBytes, data.end());
  if (hold_all_ || hasher_) {
    held_ = std::move(plaintext);
    return OkStatus();
  }
  return Release(plaintext);
}

Status BodyReader::ReadEnd(InputStream& input, RawBuffer& carry, const format::SuiteInfo& suite,
                           ByteView verification_key) {
  if (!eof_) {
    // Anything past a footer's maximum size is trailing garbage.
    ENVELOPE_ASSIGN_OR_RETURN(eof_, ReadUpTo(input, carry, kMaxFooterBytes + 1));
  }
  ByteReader reader(carry, "footer");
  if (hasher_) {
    auto signature = format::ParseFooter(reader);
    if (!signature.ok()) return reader.truncated() ? Truncated() : signature.status();
    ENVELOPE_RETURN_IF_ERROR(
        VerifyFooter(suite, verification_key, hasher_->Finish(), *signature));
    ciphertext_bytes_ += reader.position();
  }
  if (!reader.empty() || !eof_) return Corrupt("unexpected bytes after the end of the message");
  return Release(held_);
}

}  // namespace envelope::message
