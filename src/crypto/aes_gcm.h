#pragma once
// AES-GCM (12-byte IV, 16-byte tag) over OpenSSL's EVP interface with AES-NI.
//
// An AesGcm holds one key schedule and an EVP context; it is not thread-safe (use one per thread;
// Clone() is cheap). Every call is independent: a fresh IV and AAD per call.
#include <cstdint>
#include <memory>

#include "core/bytes.h"
#include "envelope/secret_bytes.h"

namespace envelope::crypto {

inline constexpr std::size_t kGcmIvBytes = 12;
inline constexpr std::size_t kGcmTagBytes = 16;

class AesGcm {
 public:
  // kInvalidArgument unless the key is 16, 24 or 32 bytes.
  static Result<AesGcm> Create(ByteView key);
  AesGcm(AesGcm&&) noexcept;
  AesGcm& operator=(AesGcm&&) noexcept;
  ~AesGcm();
  Result<AesGcm> Clone() const;

  // Encrypts `plaintext` into `ciphertext` (same size; may alias) and writes the tag.
  Status Encrypt(ByteView iv, ByteView aad, ByteView plaintext, std::uint8_t* ciphertext,
                 std::uint8_t tag[kGcmTagBytes]);
  // Decrypts into `plaintext` (same size; may alias). kCorrupt when the tag does not match, in
  // which case the contents of `plaintext` are unspecified and must not be released.
  Status Decrypt(ByteView iv, ByteView aad, ByteView ciphertext, ByteView tag,
                 std::uint8_t* plaintext);

  // Streaming form, for non-framed bodies too large to hold: Begin, any number of Update, then
  // FinishEncrypt (writes the tag) or FinishDecrypt (kCorrupt on mismatch).
  Status Begin(bool encrypt, ByteView iv, ByteView aad);
  Status Update(ByteView in, std::uint8_t* out);
  Status FinishEncrypt(std::uint8_t tag[kGcmTagBytes]);
  Status FinishDecrypt(ByteView tag);

 private:
  struct State;
  explicit AesGcm(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace envelope::crypto
