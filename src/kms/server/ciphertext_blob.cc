#include "kms/server/ciphertext_blob.h"

#include "crypto/aes_gcm.h"
#include "kms/api/errors.h"

namespace envelope::kms::server {
namespace {

Status Invalid() { return InvalidCiphertextError(""); }

void WriteShort(ByteWriter& w, const std::string& s) {
  w.U8(static_cast<std::uint8_t>(s.size()));
  w.Append(s);
}

Result<std::string> ReadShort(ByteReader& r) {
  auto len = r.ReadU8();
  if (!len.ok()) return Invalid();
  auto bytes = r.ReadBytes(*len);
  if (!bytes.ok()) return Invalid();
  return std::string(AsChars(*bytes));
}

Bytes EncodeHeader(const BlobHeader& h) {
  Bytes out;
  ByteWriter w(out);
  w.U8(kBlobMagic);
  w.U8(kBlobVersion);
  WriteShort(w, h.account);
  WriteShort(w, h.region);
  WriteShort(w, h.key_id);
  w.U32(h.material_version);
  return out;
}

struct ParsedBlob {
  BlobHeader header;
  std::size_t header_size = 0;
};

Result<ParsedBlob> Parse(ByteView blob) {
  ByteReader r(blob, "ciphertext");
  auto magic = r.ReadU8();
  auto version = r.ReadU8();
  if (!magic.ok() || !version.ok() || *magic != kBlobMagic || *version != kBlobVersion) {
    return Invalid();
  }
  ParsedBlob p;
  ENVELOPE_ASSIGN_OR_RETURN(p.header.account, ReadShort(r));
  ENVELOPE_ASSIGN_OR_RETURN(p.header.region, ReadShort(r));
  ENVELOPE_ASSIGN_OR_RETURN(p.header.key_id, ReadShort(r));
  auto mv = r.ReadU32();
  if (!mv.ok()) return Invalid();
  p.header.material_version = *mv;
  p.header_size = r.position();
  if (r.remaining() < crypto::kGcmIvBytes + crypto::kGcmTagBytes) return Invalid();
  return p;
}

}  // namespace

Bytes EncodeEncryptionContext(const EncryptionContext& context) {
  Bytes out;
  ByteWriter w(out);
  w.U32(static_cast<std::uint32_t>(context.size()));
  for (const auto& [k, v] : context) {  // std::map: byte-wise key order
    w.U32(static_cast<std::uint32_t>(k.size()));
    w.Append(k);
    w.U32(static_cast<std::uint32_t>(v.size()));
    w.Append(v);
  }
  return out;
}

Result<BlobHeader> ParseBlobHeader(ByteView blob) {
  ENVELOPE_ASSIGN_OR_RETURN(ParsedBlob p, Parse(blob));
  return p.header;
}

Result<Bytes> SealBlob(const BlobHeader& header, ByteView key, ByteView iv,
                       const EncryptionContext& context, ByteView plaintext) {
  Bytes out = EncodeHeader(header);
  Bytes aad = out;
  Bytes ec = EncodeEncryptionContext(context);
  aad.insert(aad.end(), ec.begin(), ec.end());
  ENVELOPE_ASSIGN_OR_RETURN(crypto::AesGcm gcm, crypto::AesGcm::Create(key));
  std::size_t iv_at = out.size();
  out.insert(out.end(), iv.begin(), iv.end());
  std::size_t ct_at = out.size();
  out.resize(ct_at + plaintext.size() + crypto::kGcmTagBytes);
  ENVELOPE_RETURN_IF_ERROR(gcm.Encrypt(ByteView(out).subspan(iv_at, crypto::kGcmIvBytes), aad,
                                       plaintext, out.data() + ct_at,
                                       out.data() + ct_at + plaintext.size()));
  return out;
}

Result<SecretBytes> OpenBlob(ByteView blob, ByteView key, const EncryptionContext& context) {
  ENVELOPE_ASSIGN_OR_RETURN(ParsedBlob p, Parse(blob));
  Bytes aad(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(p.header_size));
  Bytes ec = EncodeEncryptionContext(context);
  aad.insert(aad.end(), ec.begin(), ec.end());
  ByteView rest = blob.subspan(p.header_size);
  ByteView iv = rest.first(crypto::kGcmIvBytes);
  ByteView tag = rest.last(crypto::kGcmTagBytes);
  ByteView ct = rest.subspan(crypto::kGcmIvBytes,
                             rest.size() - crypto::kGcmIvBytes - crypto::kGcmTagBytes);
  auto gcm = crypto::AesGcm::Create(key);
  if (!gcm.ok()) return Invalid();
  SecretBytes plaintext(ct.size());
  if (!gcm->Decrypt(iv, aad, ct, tag, plaintext.data()).ok()) return Invalid();
  return plaintext;
}

}  // namespace envelope::kms::server
