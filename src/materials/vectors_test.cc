// Runs the CMMs and keyrings over every case of the ESDK Dafny 4.1.0 raw-key decrypt vectors
// (see /work/shared/vectors/esdk/README.md): each message's header EDKs must yield a data key.
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

constexpr std::string_view kSet = "esdk-dafny-4.1.0-raw";

fs::path VectorsDir() {
  std::vector<fs::path> candidates;
  if (const char* dir = std::getenv("ENVELOPE_ESDK_VECTORS")) {
    candidates.emplace_back(dir);
  }
  if (const char* src = std::getenv("ENVELOPE_SOURCE_DIR")) {
    candidates.push_back(fs::path(src) / "tests/vectors/esdk");
  }
  candidates.emplace_back("/work/shared/vectors/esdk");
  for (const fs::path& dir : candidates) {
    if (fs::exists(dir / kSet / "manifest.json")) {
      return dir / kSet;
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

// Returns an empty string on success, else what went wrong.
std::string RunCase(const fs::path& dir, const json& scenario, const json& keys) {
  auto cmm = BuildCmm(scenario.at("decryptKeyDescription"), keys);
  if (!cmm.ok()) {
    return "cmm: " + cmm.status().ToString();
  }
  std::string uri = scenario.at("ciphertext");
  const std::string message = ReadFile(dir / uri.substr(std::string_view("file://").size()));
  ByteReader reader(AsBytes(message), "header");
  auto header = format::ParseHeader(reader, format::HeaderLimits{});
  if (!header.ok()) {
    return "header: " + header.status().ToString();
  }
  DecryptMaterialsRequest request;
  request.suite = header->suite->id;
  request.commitment_policy = CommitmentPolicy::kRequireEncryptAllowDecrypt;
  request.encrypted_data_keys = header->encrypted_data_keys;
  request.encryption_context = header->encryption_context;
  request.reproduced_encryption_context =
      scenario.value("reproduced-encryption-context", json::object()).get<EncryptionContext>();
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

TEST(EsdkVectors, EveryDafnyRawCaseYieldsItsDataKey) {
  const fs::path dir = VectorsDir();
  if (dir.empty()) {
    GTEST_SKIP() << "SKIPPED: ESDK vectors not found (set ENVELOPE_ESDK_VECTORS)";
  }
  const json manifest = json::parse(ReadFile(dir / "manifest.json"));
  const json keys = json::parse(ReadFile(dir / "keys.json")).at("keys");
  int cases = 0;
  for (const auto& [id, test] : manifest.at("tests").items()) {
    std::string failure = RunCase(dir, test.at("decryption-scenario"), keys);
    EXPECT_EQ(failure, "") << "case " << id;
    ++cases;
  }
  EXPECT_EQ(cases, 187);
}

}  // namespace
}  // namespace envelope
