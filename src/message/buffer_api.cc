// The one-call forms: the streaming engine over memory.
#include "envelope/envelope.h"
#include "message/stream_io.h"

namespace envelope {

Result<std::vector<std::uint8_t>> EncryptBuffer(CryptoMaterialsManager& cmm,
                                                const EncryptOptions& options,
                                                std::span<const std::uint8_t> plaintext,
                                                MessageInfo* info) {
  EncryptOptions sized = options;
  sized.plaintext_length = plaintext.size();
  message::MemoryInputStream input(plaintext);
  Bytes out;
  out.reserve(plaintext.size() + plaintext.size() / 64 + 1024);
  message::VectorOutputStream output(out);
  ENVELOPE_ASSIGN_OR_RETURN(MessageInfo result, Encrypt(cmm, sized, input, output));
  if (info != nullptr) *info = std::move(result);
  return out;
}

Result<std::vector<std::uint8_t>> DecryptBuffer(CryptoMaterialsManager& cmm,
                                                const DecryptOptions& options,
                                                std::span<const std::uint8_t> ciphertext,
                                                MessageInfo* info) {
  message::MemoryInputStream input(ciphertext);
  Bytes out;
  out.reserve(ciphertext.size());
  message::VectorOutputStream output(out);
  ENVELOPE_ASSIGN_OR_RETURN(MessageInfo result, Decrypt(cmm, options, input, output));
  if (info != nullptr) *info = std::move(result);
  return out;
}

}  // namespace envelope
