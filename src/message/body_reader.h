#pragma once
// Reads and decrypts a message body, releasing plaintext only once it is authenticated:
// each batch of frames after all its tags verify; for signed messages, the batch holding the
// final frame (or a non-framed body) only after the signature verifies; with
// `release_after_verify`, nothing before the whole message verifies.
#include <memory>
#include <optional>

#include "crypto/hash.h"
#include "envelope/envelope.h"
#include "format/suites.h"
#include "message/frame_batch.h"

namespace envelope::message {

class BodyReader {
 public:
  // `hasher` (empty for unsigned suites) already holds the header. All references must outlive
  // the reader.
  BodyReader(const BodyParams& params, unsigned threads, std::optional<crypto::Hasher>& hasher,
             bool release_after_verify, OutputStream& output);

  // `carry` holds input already read past the header; on return, input read past the body.
  Status ReadFramed(InputStream& input, RawBuffer& carry);
  Status ReadNonFramed(InputStream& input, RawBuffer& carry);
  // Reads the footer (signed suites), verifies the signature, refuses trailing bytes, then
  // releases the held plaintext.
  Status ReadEnd(InputStream& input, RawBuffer& carry, const format::SuiteInfo& suite,
                 ByteView verification_key);

  std::uint64_t plaintext_bytes() const { return plaintext_bytes_; }
  std::uint64_t ciphertext_bytes() const { return ciphertext_bytes_; }

 private:
  Status ParseBatch(InputStream& input, RawBuffer& carry, DecryptBatch& batch);
  Status FinishBatch(DecryptBatch& batch);
  std::unique_ptr<DecryptBatch> NewBatch();  // recycled, so buffers are allocated once
  Status Release(ByteView plaintext);
  WorkerPool* Pool(const DecryptBatch& batch);

  BodyParams params_;
  unsigned threads_;
  std::optional<crypto::Hasher>& hasher_;
  bool hold_all_;
  OutputStream& output_;
  std::unique_ptr<WorkerPool> pool_;
  std::vector<std::unique_ptr<DecryptBatch>> free_;
  bool eof_ = false;
  std::uint32_t next_sequence_ = 1;
  RawBuffer held_;  // authenticated plaintext awaiting the signature (or the end, when holding all)
  std::uint64_t plaintext_bytes_ = 0;
  std::uint64_t ciphertext_bytes_ = 0;
};

}  // namespace envelope::message
