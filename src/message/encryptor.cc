// Encrypt: materials -> key derivation -> header -> frames in parallel -> signature footer.
#include <memory>

#include "core/encoding.h"
#include "core/random.h"
#include "envelope/envelope.h"
#include "format/body.h"
#include "format/header.h"
#include "message/body_limits.h"
#include "message/frame_batch.h"
#include "message/header_auth.h"
#include "message/key_derivation.h"
#include "message/signature.h"
#include "message/stream_io.h"

namespace envelope {

namespace {

using message::EncryptBatch;

Status CheckMaterials(const EncryptOptions& options, const EncryptionMaterials& materials) {
  const format::SuiteInfo& suite = format::Info(materials.suite);
  if (!format::EncryptAllowed(options.commitment_policy, suite)) {
    return InvalidArgument(std::string("algorithm suite ") + std::string(suite.name) +
                           " is not allowed by commitment policy " +
                           std::string(CommitmentPolicyName(options.commitment_policy)));
  }
  if (options.suite && *options.suite != materials.suite) {
    return InvalidArgument("the materials manager chose a different algorithm suite");
  }
  if (materials.encrypted_data_keys.empty()) {
    return InvalidArgument("the keyring produced no encrypted data key");
  }
  if (options.max_encrypted_data_keys &&
      materials.encrypted_data_keys.size() > *options.max_encrypted_data_keys) {
    return InvalidArgument("the keyrings produced " +
                           std::to_string(materials.encrypted_data_keys.size()) +
                           " encrypted data keys, more than the maximum of " +
                           std::to_string(*options.max_encrypted_data_keys));
  }
  if (materials.data_key.size() != suite.key_bytes) {
    return Internal("the keyring produced a data key of the wrong length");
  }
  if (suite.signs() && materials.signing_key.empty()) {
    return Internal("the materials lack a signing key for a signing suite");
  }
  return OkStatus();
}

// Writes the body, batch by batch: while the workers encrypt one batch, this thread reads the
// next and hashes and writes the previous one.
class BodyWriter {
 public:
  BodyWriter(const message::BodyParams& params, unsigned threads, OutputStream& output,
             std::optional<crypto::Hasher>& hasher)
      : params_(params), threads_(threads), output_(output), hasher_(hasher) {}

  Result<std::uint64_t> Run(InputStream& input) {
    const std::size_t limit = message::FramesPerBatch(params_.frame_length) * params_.frame_length;
    std::uint64_t plaintext_bytes = 0;
    std::uint32_t next_sequence = 1;
    std::unique_ptr<EncryptBatch> current = NewBatch();
    ENVELOPE_ASSIGN_OR_RETURN(bool eof, message::ReadUpTo(input, current->plaintext, limit));
    std::unique_ptr<EncryptBatch> pending;
    for (;;) {
      std::unique_ptr<EncryptBatch> lookahead;
      if (!eof) {
        // A full batch: the message ends here only if nothing follows.
        lookahead = NewBatch();
        ENVELOPE_ASSIGN_OR_RETURN(eof, message::ReadUpTo(input, lookahead->plaintext, limit));
        if (lookahead->plaintext.empty()) lookahead.reset();
      }
      current->last = lookahead == nullptr;
      current->first_sequence = next_sequence;
      plaintext_bytes += current->plaintext.size();
      ENVELOPE_RETURN_IF_ERROR(message::StartEncrypt(params_, Pool(current->plaintext.size()), *current));
      next_sequence += static_cast<std::uint32_t>(current->plaintext.size() / params_.frame_length);
      if (pending) {
        ENVELOPE_RETURN_IF_ERROR(Finish(*pending));
        free_.push_back(std::move(pending));
      }
      pending = std::move(current);
      if (!lookahead) break;
      current = std::move(lookahead);
    }
    ENVELOPE_RETURN_IF_ERROR(Finish(*pending));
    return plaintext_bytes;
  }

  std::uint64_t ciphertext_bytes() const { return ciphertext_bytes_; }

 private:
  // Small inputs run inline on this thread; the pool starts with the first full batch.
  message::WorkerPool* Pool(std::size_t plaintext_size) {
    if (threads_ <= 1 || plaintext_size < 2 * static_cast<std::size_t>(params_.frame_length)) {
      return pool_.get();
    }
    if (!pool_) pool_ = std::make_unique<message::WorkerPool>(threads_);
    return pool_.get();
  }

  // Batches are reused, so their buffers are allocated (and faulted in) once per message.
  std::unique_ptr<EncryptBatch> NewBatch() {
    if (free_.empty()) return std::make_unique<EncryptBatch>();
    std::unique_ptr<EncryptBatch> batch = std::move(free_.back());
    free_.pop_back();
    batch->plaintext.clear();
    batch->ciphertext.clear();
    batch->frames.clear();
    batch->last = false;
    return batch;
  }

  Status Finish(EncryptBatch& batch) {
    batch.group.Wait();
    ENVELOPE_RETURN_IF_ERROR(message::CombinedStatus(batch.task_status));
    if (hasher_) hasher_->Update(batch.ciphertext);
    ciphertext_bytes_ += batch.ciphertext.size();
    return output_.Write(batch.ciphertext);
  }

  message::BodyParams params_;
  unsigned threads_;
  OutputStream& output_;
  std::optional<crypto::Hasher>& hasher_;
  std::unique_ptr<message::WorkerPool> pool_;
  std::vector<std::unique_ptr<EncryptBatch>> free_;
  std::uint64_t ciphertext_bytes_ = 0;
};

}  // namespace

Result<MessageInfo> Encrypt(CryptoMaterialsManager& cmm, const EncryptOptions& options,
                            InputStream& input, OutputStream& output) {
  if (options.frame_length == 0) return InvalidArgument("frame length must be at least 1");
  EncryptionMaterialsRequest request{options.encryption_context, options.commitment_policy,
                                     options.suite, options.plaintext_length};
  ENVELOPE_ASSIGN_OR_RETURN(EncryptionMaterials materials, cmm.GetEncryptionMaterials(request));
  ENVELOPE_RETURN_IF_ERROR(CheckMaterials(options, materials));
  const format::SuiteInfo& suite = format::Info(materials.suite);

  format::Header header;
  header.version = suite.message_version;
  header.suite = &suite;
  header.message_id.resize(suite.message_id_bytes());
  Random& random = options.random != nullptr ? *options.random : SystemRandom();
  ENVELOPE_RETURN_IF_ERROR(random.Fill(header.message_id));
  ENVELOPE_ASSIGN_OR_RETURN(message::DerivedKeys keys,
                            message::DeriveKeys(suite, materials.data_key, header.message_id));
  message::ContextSplit context = message::SplitForEncrypt(
      materials.encryption_context, materials.required_encryption_context_keys);
  header.encryption_context = context.stored;
  header.encrypted_data_keys = materials.encrypted_data_keys;
  header.content_type = format::ContentType::kFramed;
  header.frame_length = options.frame_length;
  header.commit_key = keys.commit_key;
  ENVELOPE_RETURN_IF_ERROR(format::SerializeHeaderBody(header));
  ENVELOPE_ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(keys.encryption_key.span()));
  ENVELOPE_RETURN_IF_ERROR(message::SignHeader(gcm, context.authenticate_only, header));

  Bytes header_bytes = header.body;
  format::AppendHeaderAuth(header, header_bytes);
  std::optional<crypto::Hasher> hasher = message::SignatureHasher(suite);
  if (hasher) hasher->Update(header_bytes);
  ENVELOPE_RETURN_IF_ERROR(output.Write(header_bytes));

  message::BodyParams params{&gcm, header.message_id, options.frame_length};
  BodyWriter body(params, message::ResolveThreads(options.threads), output, hasher);
  ENVELOPE_ASSIGN_OR_RETURN(std::uint64_t plaintext_bytes, body.Run(input));
  if (options.plaintext_length && *options.plaintext_length != plaintext_bytes) {
    return InvalidArgument("the input was " + std::to_string(plaintext_bytes) +
                           " bytes, not the declared " + std::to_string(*options.plaintext_length));
  }
  std::uint64_t ciphertext_bytes = header_bytes.size() + body.ciphertext_bytes();
  if (hasher) {
    // The default CMM put the public key in the context; it spares deriving it again.
    Bytes public_key;
    if (auto it = materials.encryption_context.find(std::string(kPublicKeyContextKey));
        it != materials.encryption_context.end()) {
      ENVELOPE_ASSIGN_OR_RETURN(public_key, Base64Decode(it->second));
    }
    ENVELOPE_ASSIGN_OR_RETURN(Bytes signature, message::SignFooter(suite, materials.signing_key,
                                                                   public_key, hasher->Finish()));
    Bytes footer;
    format::AppendFooter(signature, footer);
    ENVELOPE_RETURN_IF_ERROR(output.Write(footer));
    ciphertext_bytes += footer.size();
  }

  MessageInfo info;
  info.version = header.version;
  info.suite = materials.suite;
  info.message_id = header.message_id;
  info.framed = true;
  info.frame_length = header.frame_length;
  info.encryption_context = header.encryption_context;
  info.encrypted_data_keys = std::move(header.encrypted_data_keys);
  info.plaintext_bytes = plaintext_bytes;
  info.ciphertext_bytes = ciphertext_bytes;
  return info;
}

}  // namespace envelope
