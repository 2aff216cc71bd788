#include "crypto/aes_gcm.h"

#include <openssl/evp.h>

#include <algorithm>
#include <utility>

#include "crypto/openssl_util.h"

namespace envelope::crypto {

using internal::OpensslError;

namespace {

// EVP_CipherUpdate counts in int; larger inputs are fed in slices this size (a multiple of the
// AES block, so slicing never changes the output).
constexpr std::size_t kMaxUpdateBytes = std::size_t{1} << 30;

// Fetched once per process (see Md() in openssl_util.cc for why).
const EVP_CIPHER* CipherFor(std::size_t key_size) {
  static EVP_CIPHER* const kAes128 = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  static EVP_CIPHER* const kAes192 = EVP_CIPHER_fetch(nullptr, "AES-192-GCM", nullptr);
  static EVP_CIPHER* const kAes256 = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  switch (key_size) {
    case 16:
      return kAes128;
    case 24:
      return kAes192;
    case 32:
      return kAes256;
    default:
      return nullptr;
  }
}

}  // namespace

// The context holds the key schedule, set once in Create; each message only resets the IV,
// which costs no allocation. The key is kept (zeroed on free) so that Clone() can build a fresh
// schedule instead of EVP_CIPHER_CTX_copy, whose GCM state points into the source context.
struct AesGcm::State {
  EVP_CIPHER_CTX* ctx = nullptr;
  SecretBytes key;
  bool streaming = false;  // between a successful Begin and the matching Finish
  bool encrypting = false;
  ~State() { EVP_CIPHER_CTX_free(ctx); }

  Status Start(bool encrypt, ByteView iv, ByteView aad) {
    streaming = false;
    if (iv.size() != kGcmIvBytes) {
      return InvalidArgument("AES-GCM: IV must be 12 bytes");
    }
    if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, iv.data(), encrypt ? 1 : 0) != 1) {
      return OpensslError(Code::kInternal, "AES-GCM: setting the IV failed");
    }
    ENVELOPE_RETURN_IF_ERROR(Feed(aad, nullptr));
    streaming = true;
    encrypting = encrypt;
    return OkStatus();
  }

  // Feeds `in` as AAD (out == nullptr) or as data into `out`.
  Status Feed(ByteView in, std::uint8_t* out) {
    while (!in.empty()) {
      const std::size_t n = std::min(in.size(), kMaxUpdateBytes);
      int written = 0;
      if (EVP_CipherUpdate(ctx, out, &written, in.data(), static_cast<int>(n)) != 1) {
        streaming = false;
        return OpensslError(Code::kInternal, "AES-GCM: update failed");
      }
      in = in.subspan(n);
      if (out != nullptr) {
        out += n;
      }
    }
    return OkStatus();
  }

  Status FinishEncrypt(std::uint8_t tag[kGcmTagBytes]) {
    if (!streaming || !encrypting) {
      return Internal("AES-GCM: FinishEncrypt without Begin(encrypt)");
    }
    streaming = false;
    int written = 0;
    std::uint8_t unused[16];
    if (EVP_CipherFinal_ex(ctx, unused, &written) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, tag) != 1) {
      return OpensslError(Code::kInternal, "AES-GCM: computing the tag failed");
    }
    return OkStatus();
  }

  Status FinishDecrypt(ByteView tag) {
    if (!streaming || encrypting) {
      streaming = false;
      return Internal("AES-GCM: FinishDecrypt without Begin(decrypt)");
    }
    streaming = false;
    if (tag.size() != kGcmTagBytes) {
      return Corrupt("AES-GCM: authentication failed");
    }
    if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kGcmTagBytes,
                            const_cast<std::uint8_t*>(tag.data())) != 1) {
      return OpensslError(Code::kInternal, "AES-GCM: setting the tag failed");
    }
    int written = 0;
    std::uint8_t unused[16];
    if (EVP_CipherFinal_ex(ctx, unused, &written) != 1) {
      internal::ClearOpensslErrors();
      return Corrupt("AES-GCM: authentication failed");
    }
    return OkStatus();
  }
};

AesGcm::AesGcm(std::unique_ptr<State> state) : state_(std::move(state)) {}
AesGcm::AesGcm(AesGcm&&) noexcept = default;
AesGcm& AesGcm::operator=(AesGcm&&) noexcept = default;
AesGcm::~AesGcm() = default;

Result<AesGcm> AesGcm::Create(ByteView key) {
  const EVP_CIPHER* cipher = CipherFor(key.size());
  if (cipher == nullptr) {
    return InvalidArgument("AES-GCM: key must be 16, 24 or 32 bytes");
  }
  auto state = std::make_unique<State>();
  state->ctx = EVP_CIPHER_CTX_new();
  if (state->ctx == nullptr ||
      EVP_CipherInit_ex(state->ctx, cipher, nullptr, key.data(), nullptr, 1) != 1) {
    return OpensslError(Code::kInternal, "AES-GCM: context setup failed");
  }
  state->key = SecretBytes(key);
  return AesGcm(std::move(state));
}

Result<AesGcm> AesGcm::Clone() const { return Create(state_->key.span()); }

Status AesGcm::Encrypt(ByteView iv, ByteView aad, ByteView plaintext, std::uint8_t* ciphertext,
                       std::uint8_t tag[kGcmTagBytes]) {
  ENVELOPE_RETURN_IF_ERROR(state_->Start(true, iv, aad));
  ENVELOPE_RETURN_IF_ERROR(state_->Feed(plaintext, ciphertext));
  return state_->FinishEncrypt(tag);
}

Status AesGcm::Decrypt(ByteView iv, ByteView aad, ByteView ciphertext, ByteView tag,
                       std::uint8_t* plaintext) {
  ENVELOPE_RETURN_IF_ERROR(state_->Start(false, iv, aad));
  ENVELOPE_RETURN_IF_ERROR(state_->Feed(ciphertext, plaintext));
  return state_->FinishDecrypt(tag);
}

Status AesGcm::Begin(bool encrypt, ByteView iv, ByteView aad) {
  return state_->Start(encrypt, iv, aad);
}

Status AesGcm::Update(ByteView in, std::uint8_t* out) {
  if (!state_->streaming) {
    return Internal("AES-GCM: Update without Begin");
  }
  return state_->Feed(in, out);
}

Status AesGcm::FinishEncrypt(std::uint8_t tag[kGcmTagBytes]) {
  return state_->FinishEncrypt(tag);
}

Status AesGcm::FinishDecrypt(ByteView tag) { return state_->FinishDecrypt(tag); }

}  // namespace envelope::crypto
