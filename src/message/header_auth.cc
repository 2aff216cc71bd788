#include "message/header_auth.h"

#include <algorithm>

#include "crypto/aes_gcm.h"
#include "format/encryption_context.h"

namespace envelope::message {

namespace {
bool Contains(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

Result<Bytes> HeaderAad(const EncryptionContext& authenticate_only, const format::Header& header) {
  ENVELOPE_ASSIGN_OR_RETURN(Bytes extra, format::SerializeEncryptionContext(authenticate_only));
  Bytes aad = header.body;
  aad.insert(aad.end(), extra.begin(), extra.end());
  return aad;
}
}  // namespace

ContextSplit SplitForEncrypt(const EncryptionContext& context,
                             const std::vector<std::string>& required_keys) {
  ContextSplit split;
  for (const auto& [key, value] : context) {
    (Contains(required_keys, key) ? split.authenticate_only : split.stored).emplace(key, value);
  }
  return split;
}

EncryptionContext AuthenticateOnlyForDecrypt(const EncryptionContext& materials_context,
                                             const std::vector<std::string>& required_keys,
                                             const EncryptionContext& header_context) {
  EncryptionContext out;
  for (const auto& [key, value] : materials_context) {
    if (Contains(required_keys, key) && !header_context.contains(key)) out.emplace(key, value);
  }
  return out;
}

Status SignHeader(crypto::AesGcm& gcm, const EncryptionContext& authenticate_only,
                  format::Header& header) {
  ENVELOPE_ASSIGN_OR_RETURN(Bytes aad, HeaderAad(authenticate_only, header));
  const std::uint8_t zero_iv[format::kIvBytes] = {};
  header.iv = header.version == 1 ? Bytes(format::kIvBytes, 0) : Bytes();
  header.tag.assign(format::kTagBytes, 0);
  return gcm.Encrypt(zero_iv, aad, {}, nullptr, header.tag.data());
}

Status VerifyHeader(crypto::AesGcm& gcm, const EncryptionContext& authenticate_only,
                    const format::Header& header) {
  ENVELOPE_ASSIGN_OR_RETURN(Bytes aad, HeaderAad(authenticate_only, header));
  // v1 stores the IV (writers use zeros; we use it as stored); v2's IV is implicitly zero.
  const std::uint8_t zero_iv[format::kIvBytes] = {};
  ByteView iv = header.version == 1 ? ByteView(header.iv) : ByteView(zero_iv);
  if (!gcm.Decrypt(iv, aad, {}, header.tag, nullptr).ok()) {
    return Corrupt("header authentication failed");
  }
  return OkStatus();
}

}  // namespace envelope::message
