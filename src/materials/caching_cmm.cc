// The caching CMM. Cache ids follow the ESDK's caching CMM spec, Appendix A:
//   encrypt, no suite:   SHA512(SHA512(partition) | 0x00 | SHA512(EC))
//   encrypt, suite:      SHA512(SHA512(partition) | 0x01 | suite id (u16) | SHA512(EC))
//   decrypt:             SHA512(SHA512(partition) | suite id | sorted SHA512(EDK)... |
//                               64 zero bytes | SHA512(EC))
// where EC is the serialized encryption context and EDK an EDK as serialized in the header.
// Our one extension: a decrypt request with a reproduced context appends SHA512(its
// serialization), so that a cached entry never skips the underlying CMM's check of that context.
#include <algorithm>
#include <utility>

#include "core/bytes.h"
#include "core/encoding.h"
#include "core/random.h"
#include "crypto/hash.h"
#include "envelope/keyrings.h"
#include "format/encryption_context.h"
#include "format/suites.h"
#include "materials/materials_cache.h"
#include "materials/single_flight.h"

namespace envelope {
namespace {

using crypto::HashAlg;

Bytes Sha512(ByteView data) { return crypto::Digest(HashAlg::kSha512, data); }

Result<Bytes> ContextHash(const EncryptionContext& context) {
  ENVELOPE_ASSIGN_OR_RETURN(Bytes serialized, format::SerializeEncryptionContext(context));
  return Sha512(serialized);
}

std::string ToId(crypto::Hasher& hasher) {
  const Bytes digest = hasher.Finish();
  return std::string(AsChars(digest));
}

Result<std::string> EncryptCacheId(ByteView partition_hash,
                                   const EncryptionMaterialsRequest& request) {
  crypto::Hasher hasher(HashAlg::kSha512);
  hasher.Update(partition_hash);
  Bytes middle;
  ByteWriter writer(middle);
  if (request.suite) {
    writer.U8(0x01);
    writer.U16(static_cast<std::uint16_t>(*request.suite));
  } else {
    writer.U8(0x00);
  }
  hasher.Update(middle);
  ENVELOPE_ASSIGN_OR_RETURN(Bytes context_hash, ContextHash(request.encryption_context));
  hasher.Update(context_hash);
  return ToId(hasher);
}

Bytes EdkHash(const EncryptedDataKey& edk) {
  Bytes serialized;
  ByteWriter writer(serialized);
  writer.U16Prefixed(AsBytes(edk.provider_id));
  writer.U16Prefixed(edk.provider_info);
  writer.U16Prefixed(edk.ciphertext);
  return Sha512(serialized);
}

Result<std::string> DecryptCacheId(ByteView partition_hash,
                                   const DecryptMaterialsRequest& request) {
  for (const EncryptedDataKey& edk : request.encrypted_data_keys) {
    if (edk.provider_id.size() > 0xffff || edk.provider_info.size() > 0xffff ||
        edk.ciphertext.size() > 0xffff) {
      return InvalidArgument("caching CMM: an encrypted data key field exceeds 65535 bytes");
    }
  }
  crypto::Hasher hasher(HashAlg::kSha512);
  hasher.Update(partition_hash);
  Bytes suite;
  ByteWriter(suite).U16(static_cast<std::uint16_t>(request.suite));
  hasher.Update(suite);
  std::vector<Bytes> edk_hashes;
  for (const EncryptedDataKey& edk : request.encrypted_data_keys) {
    edk_hashes.push_back(EdkHash(edk));
  }
  std::sort(edk_hashes.begin(), edk_hashes.end());
  for (const Bytes& hash : edk_hashes) {
    hasher.Update(hash);
  }
  hasher.Update(Bytes(64, 0));
  ENVELOPE_ASSIGN_OR_RETURN(Bytes context_hash, ContextHash(request.encryption_context));
  hasher.Update(context_hash);
  if (!request.reproduced_encryption_context.empty()) {
    ENVELOPE_ASSIGN_OR_RETURN(Bytes reproduced_hash,
                              ContextHash(request.reproduced_encryption_context));
    hasher.Update(reproduced_hash);
  }
  return ToId(hasher);
}

// Suites without a KDF use the data key directly as the message key: never reuse it.
bool Cacheable(AlgorithmSuite suite) {
  const format::SuiteInfo* info = format::FindSuite(static_cast<std::uint16_t>(suite));
  return info != nullptr && info->kdf != format::Kdf::kIdentity;
}

class CachingCmm final : public CryptoMaterialsManager {
 public:
  CachingCmm(CmmPtr underlying, CachingOptions options, std::shared_ptr<MaterialsCache> cache)
      : underlying_(std::move(underlying)),
        options_(std::move(options)),
        cache_(std::move(cache)),
        partition_hash_(Sha512(AsBytes(options_.partition))),
        max_age_(std::chrono::duration_cast<Clock::Duration>(options_.max_age)) {}

  Result<EncryptionMaterials> GetEncryptionMaterials(
      const EncryptionMaterialsRequest& request) override;
  Result<DecryptionMaterials> DecryptMaterials(const DecryptMaterialsRequest& request) override;

 private:
  const CmmPtr underlying_;
  const CachingOptions options_;
  const std::shared_ptr<MaterialsCache> cache_;
  const Bytes partition_hash_;
  const Clock::Duration max_age_;
  SingleFlight flights_;  // one underlying call per cache id at a time
};

Result<EncryptionMaterials> CachingCmm::GetEncryptionMaterials(
    const EncryptionMaterialsRequest& request) {
  // Unknown length: the byte limit could not be enforced, so the ESDK rule is not to cache.
  if (!request.max_plaintext_length ||
      *request.max_plaintext_length > options_.max_bytes_encrypted ||
      (request.suite && !Cacheable(*request.suite))) {
    return underlying_->GetEncryptionMaterials(request);
  }
  const std::uint64_t length = *request.max_plaintext_length;
  ENVELOPE_ASSIGN_OR_RETURN(std::string id, EncryptCacheId(partition_hash_, request));
  const AlgorithmSuite expected = request.suite.value_or(DefaultSuite(request.commitment_policy));
  auto [cached, lead] = flights_.LookOrLead(id, [&] {
    return cache_->UseEncrypt(id, expected, length, options_.max_messages_encrypted,
                              options_.max_bytes_encrypted);
  });
  if (cached) {
    return std::move(*cached);
  }
  EncryptionMaterialsRequest inner = request;
  inner.max_plaintext_length = options_.max_bytes_encrypted;
  ENVELOPE_ASSIGN_OR_RETURN(EncryptionMaterials materials,
                            underlying_->GetEncryptionMaterials(inner));
  if (Cacheable(materials.suite) && materials.suite == expected) {
    cache_->PutEncrypt(id, CloneMaterials(materials), {1, length},
                       cache_->clock().Now() + max_age_);
  }
  return materials;
}

Result<DecryptionMaterials> CachingCmm::DecryptMaterials(const DecryptMaterialsRequest& request) {
  const format::SuiteInfo* suite = format::FindSuite(static_cast<std::uint16_t>(request.suite));
  if (!Cacheable(request.suite) || !format::DecryptAllowed(request.commitment_policy, *suite)) {
    return underlying_->DecryptMaterials(request);  // which reports a disallowed suite
  }
  ENVELOPE_ASSIGN_OR_RETURN(std::string id, DecryptCacheId(partition_hash_, request));
  auto [cached, lead] = flights_.LookOrLead(id, [&] { return cache_->GetDecrypt(id); });
  if (cached) {
    return std::move(*cached);
  }
  ENVELOPE_ASSIGN_OR_RETURN(DecryptionMaterials materials, underlying_->DecryptMaterials(request));
  cache_->PutDecrypt(id, CloneMaterials(materials), cache_->clock().Now() + max_age_);
  return materials;
}

}  // namespace

Result<CmmPtr> MakeCachingCmm(CmmPtr underlying, CachingOptions options) {
  if (underlying == nullptr) {
    return InvalidArgument("caching CMM: no underlying CMM");
  }
  if (options.cache == nullptr && options.capacity == 0) {
    return InvalidArgument("caching CMM: capacity must be at least 1");
  }
  if (!(options.max_age.count() > 0)) {
    return InvalidArgument("caching CMM: max_age must be greater than 0");
  }
  if (options.max_messages_encrypted == 0) {
    return InvalidArgument("caching CMM: max_messages_encrypted must be at least 1");
  }
  if (options.partition.empty()) {
    // A partition unique to this CMM, so that a shared cache never mixes it with another's.
    ENVELOPE_ASSIGN_OR_RETURN(SecretBytes random, RandomSecret(SystemRandom(), 16));
    options.partition = "envelope-caching-cmm-" + HexEncode(random.span());
  }
  std::shared_ptr<MaterialsCache> cache =
      options.cache ? options.cache : MakeMaterialsCache(options.capacity, options.clock);
  return CmmPtr(std::make_shared<CachingCmm>(std::move(underlying), std::move(options),
                                             std::move(cache)));
}

}  // namespace envelope
