// Decrypt, in the order of checks of docs/format.md#decrypt: parse the header, check the
// commitment policy, get materials, derive keys and check the commitment, authenticate the
// header, decrypt the body (frames in parallel), verify the signature, refuse trailing bytes.
#include <memory>

#include "crypto/hash.h"
#include "envelope/envelope.h"
#include "format/body.h"
#include "format/header.h"
#include "message/body_reader.h"
#include "message/header_auth.h"
#include "message/key_derivation.h"
#include "message/signature.h"
#include "message/stream_io.h"

namespace envelope {

namespace {

constexpr std::size_t kMaxHeaderBytes = 64 * 1024 * 1024;
constexpr std::size_t kHeaderReadStep = 64 * 1024;

// Reads and parses the header. On return `buffer` holds the header bytes as received followed
// by whatever input was read past them; `header_size` says where the header ends.
Result<format::Header> ReadHeader(InputStream& input, const DecryptOptions& options,
                                  message::RawBuffer& buffer,
                                  std::size_t& header_size) {
  format::HeaderLimits limits{options.max_encrypted_data_keys};
  bool eof = false;
  for (std::size_t want = kHeaderReadStep;; want *= 2) {
    ENVELOPE_ASSIGN_OR_RETURN(eof, message::ReadUpTo(input, buffer, std::min(want, kMaxHeaderBytes)));
    ByteReader reader(buffer, "header");
    auto header = format::ParseHeader(reader, limits);
    if (header.ok()) {
      header_size = reader.position();
      return header;
    }
    if (!reader.truncated()) return header.status();
    if (eof) return Corrupt("message is truncated (in the header)");
    if (want >= kMaxHeaderBytes) return Corrupt("header larger than 64 MiB");
  }
}

Status CheckHeaderPolicy(const DecryptOptions& options, const format::SuiteInfo& suite) {
  if (!format::DecryptAllowed(options.commitment_policy, suite)) {
    return FailedPrecondition(std::string("commitment policy ") +
                              std::string(CommitmentPolicyName(options.commitment_policy)) +
                              " refuses messages of the non-committing suite " +
                              std::string(suite.name));
  }
  if (options.unsigned_only && suite.signs()) {
    return FailedPrecondition(std::string("the message is signed (") + std::string(suite.name) +
                              ") and only unsigned messages are accepted");
  }
  return OkStatus();
}

// Derives the keys, checks the commitment and the header tag; returns the body cipher.
Result<crypto::AesGcm> AuthenticateHeader(const format::Header& header,
                                          const DecryptionMaterials& materials) {
  const format::SuiteInfo& suite = *header.suite;
  if (materials.suite != suite.id) return Internal("materials are for a different suite");
  if (suite.signs() && materials.verification_key.empty()) {
    return Internal("materials lack the verification key of a signed suite");
  }
  ENVELOPE_ASSIGN_OR_RETURN(message::DerivedKeys keys,
                            message::DeriveKeys(suite, materials.data_key, header.message_id));
  if (suite.committing() && !crypto::ConstantTimeEquals(keys.commit_key, header.commit_key)) {
    return Corrupt("key commitment does not match: the data key is not the one committed to");
  }
  EncryptionContext authenticate_only = message::AuthenticateOnlyForDecrypt(
      materials.encryption_context, materials.required_encryption_context_keys,
      header.encryption_context);
  ENVELOPE_ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(keys.encryption_key.span()));
  ENVELOPE_RETURN_IF_ERROR(message::VerifyHeader(gcm, authenticate_only, header));
  return gcm;
}

MessageInfo InfoOf(format::Header& header) {
  MessageInfo info;
  info.version = header.version;
  info.suite = header.suite->id;
  info.message_id = header.message_id;
  info.framed = header.content_type == format::ContentType::kFramed;
  info.frame_length = header.frame_length;
  info.encryption_context = header.encryption_context;
  info.encrypted_data_keys = std::move(header.encrypted_data_keys);
  return info;
}

}  // namespace

Result<MessageInfo> Decrypt(CryptoMaterialsManager& cmm, const DecryptOptions& options,
                            InputStream& input, OutputStream& output) {
  message::RawBuffer buffer;
  std::size_t header_size = 0;
  ENVELOPE_ASSIGN_OR_RETURN(format::Header header,
                            ReadHeader(input, options, buffer, header_size));
  const format::SuiteInfo& suite = *header.suite;
  ENVELOPE_RETURN_IF_ERROR(CheckHeaderPolicy(options, suite));

  DecryptMaterialsRequest request{suite.id, options.commitment_policy,
                                  header.encrypted_data_keys, header.encryption_context,
                                  options.reproduced_encryption_context};
  ENVELOPE_ASSIGN_OR_RETURN(DecryptionMaterials materials, cmm.DecryptMaterials(request));
  ENVELOPE_ASSIGN_OR_RETURN(crypto::AesGcm gcm, AuthenticateHeader(header, materials));

  std::optional<crypto::Hasher> hasher = message::SignatureHasher(suite);
  if (hasher) hasher->Update(ByteView(buffer).first(header_size));
  message::RawBuffer rest(buffer.begin() + static_cast<std::ptrdiff_t>(header_size), buffer.end());
  buffer = message::RawBuffer();

  message::BodyParams params{&gcm, header.message_id, header.frame_length};
  message::BodyReader body(params, message::ResolveThreads(options.threads), hasher,
                           options.release_after_verify, output);
  ENVELOPE_RETURN_IF_ERROR(header.content_type == format::ContentType::kFramed
                               ? body.ReadFramed(input, rest)
                               : body.ReadNonFramed(input, rest));
  ENVELOPE_RETURN_IF_ERROR(body.ReadEnd(input, rest, suite, materials.verification_key));

  MessageInfo info = InfoOf(header);
  info.plaintext_bytes = body.plaintext_bytes();
  info.ciphertext_bytes = header_size + body.ciphertext_bytes();
  return info;
}

}  // namespace envelope
