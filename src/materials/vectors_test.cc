// Runs the CMMs and keyrings over every case of the ESDK Dafny 4.1.0 and .NET 4.0.1 raw-key
// decrypt vectors (see /work/shared/vectors/esdk/README.md): each message's header EDKs must
// yield a data key.
// A raw AES EDK only unwraps under the exact materials context (its AAD), so this also checks
// the reproduced and required context handling against what the other SDKs wrote.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/bytes.h"
#include "core/encoding.h"
#include "envelope/keyrings.h"
#include "format/header.h"

namespace envelope {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path VectorsDir(std::string_view set) {
  std::vector<fs::path> candidates;
  if (const char* dir = std::getenv("ENVELOPE_ESDK_VECTORS")) {
    candidates.emplace_back(dir);
  }
  if (const char* src = std::getenv("ENVELOPE_SOURCE_DIR")) {
    candidates.push_back(fs::path(src) / "tests/vectors/esdk");
  }
  candidates.emplace_back("/work/shared/vectors/esdk");
  for (const fs::path& dir : candidates) {
    if (fs::exists(dir / set / "manifest.json")) {
      return dir / set;
    }
  }
  return {};
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Result<RsaPadding> PaddingOf(const json& desc) {
  const std::string algorithm = desc.value("padding-algorithm", "");
  if (algorithm == "pkcs1") {
    return RsaPadding::kPkcs1;
  }
  return ParseRsaPadding("oaep-" + desc.value("padding-hash", ""));
}

Result<KeyringPtr> BuildKeyring(const json& desc, const json& keys) {
  const std::string type = desc.at("type");
  if (type == "multi-keyring") {
    KeyringPtr generator;
    if (desc.contains("generator")) {
      ENVELOPE_ASSIGN_OR_RETURN(generator, BuildKeyring(desc.at("generator"), keys));
    }
    std::vector<KeyringPtr> children;
    for (const json& child : desc.value("childKeyrings", json::array())) {
      ENVELOPE_ASSIGN_OR_RETURN(KeyringPtr keyring, BuildKeyring(child, keys));
      children.push_back(std::move(keyring));
    }
    return MakeMultiKeyring(std::move(generator), std::move(children));
  }
  if (type != "raw") {
    return Unimplemented("key description type " + type);
  }
  const json& key = keys.at(desc.at("key").get<std::string>());
  const std::string material = key.at("material");
  const std::string ns = desc.at("provider-id");
  const std::string name = key.at("key-id");
  if (desc.at("encryption-algorithm") == "aes") {
    ENVELOPE_ASSIGN_OR_RETURN(Bytes raw, Base64Decode(material));
    return MakeRawAesKeyring(ns, name, SecretBytes(raw));
  }
  ENVELOPE_ASSIGN_OR_RETURN(RsaPadding padding, PaddingOf(desc));
  if (key.at("type") == "private") {
    return MakeRawRsaKeyring(ns, name, padding, "", SecretBytes(AsBytes(material)));
  }
  return MakeRawRsaKeyring(ns, name, padding, material, SecretBytes());
}

Result<CmmPtr> BuildCmm(const json& desc, const json& keys) {
  if (desc.at("type") == "required-encryption-context-cmm") {
    ENVELOPE_ASSIGN_OR_RETURN(KeyringPtr keyring, BuildKeyring(desc.at("underlying"), keys));
    return MakeRequiredEncryptionContextCmm(
        MakeDefaultCmm(std::move(keyring)),
        desc.at("requiredEncryptionContextKeys").get<std::vector<std::string>>());
  }
  ENVELOPE_ASSIGN_OR_RETURN(KeyringPtr keyring, BuildKeyring(desc, keys));
  return MakeDefaultCmm(std::move(keyring));
}

// Parses the message's header and asks `cmm` for its decryption materials. Returns an empty
// string on success, else what went wrong. `required_from_reproduced` builds the v4 manifests'
// required-EC CMM: its required keys are the reproduced keys absent from the header.
std::string CheckMessage(const fs::path& dir, std::string uri, Result<CmmPtr> cmm,
                         const EncryptionContext& reproduced, bool required_from_reproduced) {
  if (!cmm.ok()) {
    return "cmm: " + cmm.status().ToString();
  }
  const std::string message = ReadFile(dir / uri.substr(std::string_view("file://").size()));
  ByteReader reader(AsBytes(message), "header");
  auto header = format::ParseHeader(reader, format::HeaderLimits{});
  if (!header.ok()) {
    return "header: " + header.status().ToString();
  }
  if (required_from_reproduced) {
    std::vector<std::string> required;
    for (const auto& [key, value] : reproduced) {
      if (!header->encryption_context.contains(key)) {
        required.push_back(key);
      }
    }
    cmm = MakeRequiredEncryptionContextCmm(*cmm, required);
    if (!cmm.ok()) {
      return "required cmm: " + cmm.status().ToString();
    }
  }
  DecryptMaterialsRequest request;
  request.suite = header->suite->id;
  request.commitment_policy = CommitmentPolicy::kRequireEncryptAllowDecrypt;
  request.encrypted_data_keys = header->encrypted_data_keys;
  request.encryption_context = header->encryption_context;
  request.reproduced_encryption_context = reproduced;
  auto materials = (*cmm)->DecryptMaterials(request);
  if (!materials.ok()) {
    return "materials: " + materials.status().ToString();
  }
  if (materials->data_key.size() != header->suite->key_bytes) {
    return "data key of the wrong size";
  }
  if (header->suite->signs() != !materials->verification_key.empty()) {
    return "verification key presence does not match the suite";
  }
  return "";
}

// v4 manifest: the master keys form a multi-keyring, the first one as generator.
Result<CmmPtr> BuildV4Cmm(const json& master_keys, const json& keys) {
  std::vector<KeyringPtr> keyrings;
  for (const json& desc : master_keys) {
    ENVELOPE_ASSIGN_OR_RETURN(KeyringPtr keyring, BuildKeyring(desc, keys));
    keyrings.push_back(std::move(keyring));
  }
  if (keyrings.size() == 1) {
    return MakeDefaultCmm(keyrings.front());
  }
  KeyringPtr generator = keyrings.front();
  keyrings.erase(keyrings.begin());
  ENVELOPE_ASSIGN_OR_RETURN(KeyringPtr multi, MakeMultiKeyring(generator, std::move(keyrings)));
  return MakeDefaultCmm(std::move(multi));
}

TEST(EsdkVectors, EveryDafnyRawCaseYieldsItsDataKey) {
  const fs::path dir = VectorsDir("esdk-dafny-4.1.0-raw");
  if (dir.empty()) {
    GTEST_SKIP() << "SKIPPED: ESDK vectors not found (set ENVELOPE_ESDK_VECTORS)";
  }
  const json manifest = json::parse(ReadFile(dir / "manifest.json"));
  const json keys = json::parse(ReadFile(dir / "keys.json")).at("keys");
  int cases = 0;
  for (const auto& [id, test] : manifest.at("tests").items()) {
    const json& scenario = test.at("decryption-scenario");
    std::string failure = CheckMessage(
        dir, scenario.at("ciphertext"), BuildCmm(scenario.at("decryptKeyDescription"), keys),
        scenario.value("reproduced-encryption-context", json::object()).get<EncryptionContext>(),
        /*required_from_reproduced=*/false);
    EXPECT_EQ(failure, "") << "case " << id;
    ++cases;
  }
  EXPECT_EQ(cases, 187);
}

TEST(EsdkVectors, EveryNet401RawCaseYieldsItsDataKey) {
  const fs::path dir = VectorsDir("esdk-net-4.0.1-raw");
  if (dir.empty()) {
    GTEST_SKIP() << "SKIPPED: ESDK vectors not found (set ENVELOPE_ESDK_VECTORS)";
  }
  const json manifest = json::parse(ReadFile(dir / "manifest.json"));
  const json keys = json::parse(ReadFile(dir / "keys.json")).at("keys");
  int cases = 0;
  for (const auto& [id, test] : manifest.at("tests").items()) {
    std::string failure = CheckMessage(
        dir, test.at("ciphertext"), BuildV4Cmm(test.at("master-keys"), keys),
        test.value("encryption-context", json::object()).get<EncryptionContext>(),
        /*required_from_reproduced=*/test.value("cmm", "") == "RequiredEncryptionContext");
    EXPECT_EQ(failure, "") << "case " << id;
    ++cases;
  }
  EXPECT_EQ(cases, 99);
}

}  // namespace
}  // namespace envelope
