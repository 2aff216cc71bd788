#pragma once
// Batches of frames, encrypted or decrypted in parallel on a WorkerPool. A batch owns its input
// and output bytes, so the caller can read the next batch and write the previous one while the
// workers process this one. Output is byte-identical to a sequential run: every frame's place
// in the output is fixed before the workers start. Spec: docs/format.md#body.
#include <cstdint>
#include <vector>

#include "core/bytes.h"
#include "crypto/aes_gcm.h"
#include "message/raw_buffer.h"
#include "message/worker_pool.h"

namespace envelope::message {

// The layout of one frame to encrypt: where its plaintext is and where its output goes.
struct EncryptFrame {
  std::uint32_t sequence = 0;
  bool final = false;
  std::size_t plaintext_offset = 0, length = 0, out_offset = 0;
};

// Plaintext in, framed ciphertext out.
struct EncryptBatch {
  RawBuffer plaintext;
  RawBuffer ciphertext;
  std::vector<EncryptFrame> frames;  // laid out by StartEncrypt
  std::uint32_t first_sequence = 1;
  bool last = false;  // the batch ends the message: its last frame is the final frame
  std::vector<Status> task_status;
  TaskGroup group;
  // A batch is never freed under its workers, even on an early error return.
  ~EncryptBatch() { group.Wait(); }
};

// A parsed frame inside a DecryptBatch's ciphertext, by offsets.
struct FrameRef {
  std::uint32_t sequence = 0;
  bool final = false;
  std::size_t iv_offset = 0, ciphertext_offset = 0, length = 0, tag_offset = 0;
  std::size_t plaintext_offset = 0;
};

// Framed ciphertext in, plaintext out.
struct DecryptBatch {
  RawBuffer ciphertext;  // exactly the bytes of `frames`
  std::vector<FrameRef> frames;
  RawBuffer plaintext;
  bool has_final = false;
  std::vector<Status> task_status;
  TaskGroup group;
  ~DecryptBatch() { group.Wait(); }
};

// Parameters of one message's body. Tasks on the pool each clone `gcm`; a batch run inline on
// the caller's thread uses it directly (cloning re-expands the key, a real cost for 1 KiB).
struct BodyParams {
  crypto::AesGcm* gcm;
  ByteView message_id;
  std::uint32_t frame_length;
};

// Lays out and encrypts `batch` on `pool` (or inline when `pool` is null or there is one task).
// Returns once the work is queued; call batch.group.Wait() and then CombinedStatus(batch).
// kInvalidArgument if the message would need more than 2^32 - 1 frames.
Status StartEncrypt(const BodyParams& params, WorkerPool* pool, EncryptBatch& batch);
// Decrypts every frame of `batch` (laid out by the caller) likewise.
void StartDecrypt(const BodyParams& params, WorkerPool* pool, DecryptBatch& batch);

// The first failure of the batch's tasks, or OK.
Status CombinedStatus(const std::vector<Status>& task_status);

}  // namespace envelope::message
