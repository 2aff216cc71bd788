// Decrypts every usable official test vector (../shared/vectors/esdk, see its README) and
// checks each result against the manifest's expected plaintext or expected failure. The cases
// and answers come from the manifests at run time; nothing is copied here.
#include <gtest/gtest.h>

#include "core/encoding.h"
#include "envelope/envelope.h"
#include "envelope/keyrings.h"
#include "format/header.h"
#include "tests/vectors/vector_files.h"

namespace envelope {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::EsdkVectorsDir;
using testing::ReadFileBytes;
using testing::ReadJson;
using testing::ResolveUri;

// Builds keyrings from manifest key descriptions and the set's keys.json.
class KeyringFactory {
 public:
  explicit KeyringFactory(const fs::path& keys_file) : keys_(ReadJson(keys_file).at("keys")) {}

  // A raw AES/RSA master-key description: {type: raw, key, provider-id, encryption-algorithm,
  // padding-algorithm, padding-hash}.
  Result<KeyringPtr> Raw(const json& d) const {
    const json& key = keys_.at(d.at("key").get<std::string>());
    const std::string name = key.at("key-id");
    const std::string ns = d.at("provider-id");
    const std::string material = key.at("material");
    if (d.at("encryption-algorithm") == "aes") {
      ENVELOPE_ASSIGN_OR_RETURN(Bytes bytes, Base64Decode(material));
      return MakeRawAesKeyring(ns, name, SecretBytes(bytes));
    }
    RsaPadding padding = RsaPadding::kPkcs1;
    if (d.value("padding-algorithm", "pkcs1") == "oaep-mgf1") {
      ENVELOPE_ASSIGN_OR_RETURN(padding,
                                ParseRsaPadding("oaep-" + d.at("padding-hash").get<std::string>()));
    }
    if (key.at("type") == "private") {
      return MakeRawRsaKeyring(ns, name, padding, "", SecretBytes(AsBytes(material)));
    }
    return MakeRawRsaKeyring(ns, name, padding, material, SecretBytes());
  }

  // A v5 decryptKeyDescription that is a keyring (raw or multi-keyring).
  Result<KeyringPtr> Keyring(const json& d) const {
    if (d.at("type") == "raw") return Raw(d);
    if (d.at("type") == "multi-keyring") {
      KeyringPtr generator;
      if (d.contains("generator")) {
        ENVELOPE_ASSIGN_OR_RETURN(generator, Keyring(d.at("generator")));
      }
      std::vector<KeyringPtr> children;
      for (const json& child : d.value("childKeyrings", json::array())) {
        ENVELOPE_ASSIGN_OR_RETURN(KeyringPtr k, Keyring(child));
        children.push_back(std::move(k));
      }
      return MakeMultiKeyring(std::move(generator), std::move(children));
    }
    return Unimplemented("key description type " + d.at("type").get<std::string>());
  }

  // A v4 master-keys list: the first is the generator, the rest children.
  Result<KeyringPtr> MasterKeys(const json& keys) const {
    std::vector<KeyringPtr> all;
    for (const json& k : keys) {
      ENVELOPE_ASSIGN_OR_RETURN(KeyringPtr keyring, Raw(k));
      all.push_back(std::move(keyring));
    }
    if (all.size() == 1) return all[0];
    KeyringPtr generator = all[0];
    all.erase(all.begin());
    return MakeMultiKeyring(std::move(generator), std::move(all));
  }

 private:
  json keys_;
};

EncryptionContext ContextOf(const json& j) {
  EncryptionContext out;
  for (const auto& [k, v] : j.items()) out.emplace(k, v.get<std::string>());
  return out;
}

Result<Bytes> DecryptWith(CryptoMaterialsManager& cmm, const Bytes& ciphertext,
                          EncryptionContext reproduced) {
  DecryptOptions options;
  options.commitment_policy = CommitmentPolicy::kRequireEncryptAllowDecrypt;
  options.reproduced_encryption_context = std::move(reproduced);
  return DecryptBuffer(cmm, options, ciphertext);
}

class EsdkVectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = EsdkVectorsDir();
    if (!dir) GTEST_SKIP() << "SKIPPED: ../shared/vectors/esdk not found";
    dir_ = *dir;
  }
  fs::path dir_;
};

// awses-decrypt v5 (Dafny 4.1.0): raw, multi-keyring and required-encryption-context CMM.
TEST_F(EsdkVectorsTest, Dafny41RawPositiveVectorsDecryptToTheirPlaintexts) {
  const fs::path set = dir_ / "esdk-dafny-4.1.0-raw";
  const json manifest = ReadJson(set / "manifest.json");
  ASSERT_EQ(manifest.at("manifest").at("version"), 5);
  KeyringFactory factory(set / "keys.json");
  int passed = 0;
  for (const auto& [id, test] : manifest.at("tests").items()) {
    SCOPED_TRACE(id);
    const json& s = test.at("decryption-scenario");
    const json& d = s.at("decryptKeyDescription");
    CmmPtr cmm;
    if (d.at("type") == "required-encryption-context-cmm") {
      auto keyring = factory.Keyring(d.at("underlying"));
      ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
      auto required = MakeRequiredEncryptionContextCmm(
          MakeDefaultCmm(*keyring), d.at("requiredEncryptionContextKeys"));
      ASSERT_TRUE(required.ok()) << required.status().ToString();
      cmm = *required;
    } else {
      auto keyring = factory.Keyring(d);
      ASSERT_TRUE(keyring.ok()) << keyring.status().ToString();
      cmm = MakeDefaultCmm(*keyring);
    }
    auto plaintext = DecryptWith(*cmm, ReadFileBytes(ResolveUri(set, s.at("ciphertext"))),
                                 ContextOf(s.value("reproduced-encryption-context", json::object())));
    ASSERT_TRUE(plaintext.ok()) << plaintext.status().ToString();
    EXPECT_EQ(*plaintext, ReadFileBytes(ResolveUri(set, s.at("result"))));
    ++passed;
  }
  EXPECT_EQ(passed, 187);
}

// awses-decrypt v4 (.NET): Default or RequiredEncryptionContext CMM over master keys. The
// required keys are the reproduced keys that the header does not hold.
int RunV4Set(const fs::path& set, const std::string& manifest_name, bool expect_success) {
  const json manifest = ReadJson(set / manifest_name);
  EXPECT_EQ(manifest.at("manifest").at("version"), 4);
  KeyringFactory factory(set / "keys.json");
  int checked = 0;
  for (const auto& [id, test] : manifest.at("tests").items()) {
    SCOPED_TRACE(id);
    const Bytes ciphertext = ReadFileBytes(ResolveUri(set, test.at("ciphertext")));
    auto keyring = factory.MasterKeys(test.at("master-keys"));
    EXPECT_TRUE(keyring.ok()) << keyring.status().ToString();
    if (!keyring.ok()) continue;
    const EncryptionContext reproduced = ContextOf(test.value("encryption-context", json::object()));
    CmmPtr cmm = MakeDefaultCmm(*keyring);
    if (test.value("cmm", "Default") == "RequiredEncryptionContext") {
      ByteReader reader(ciphertext);
      auto header = format::ParseHeader(reader, {});
      EXPECT_TRUE(header.ok());
      if (!header.ok()) continue;
      std::vector<std::string> required;
      for (const auto& [k, v] : reproduced) {
        if (!header->encryption_context.contains(k)) required.push_back(k);
      }
      if (!required.empty()) {
        auto wrapped = MakeRequiredEncryptionContextCmm(cmm, required);
        EXPECT_TRUE(wrapped.ok());
        cmm = *wrapped;
      }
    }
    auto plaintext = DecryptWith(*cmm, ciphertext, reproduced);
    if (expect_success) {
      EXPECT_TRUE(plaintext.ok()) << plaintext.status().ToString();
      if (plaintext.ok()) {
        EXPECT_EQ(*plaintext, ReadFileBytes(ResolveUri(
                                  set, test.at("result").at("output").at("plaintext"))));
      }
    } else {
      EXPECT_TRUE(test.at("result").contains("error"));
      EXPECT_FALSE(plaintext.ok()) << "a negative vector decrypted";
      if (!plaintext.ok()) EXPECT_EQ(plaintext.status().code(), Code::kCorrupt);
    }
    ++checked;
  }
  return checked;
}

TEST_F(EsdkVectorsTest, Net401RawPositiveVectorsDecryptToTheirPlaintexts) {
  EXPECT_EQ(RunV4Set(dir_ / "esdk-net-4.0.1-raw", "manifest.json", true), 99);
}

TEST_F(EsdkVectorsTest, Net400ValidVectorsDecryptToTheirPlaintexts) {
  EXPECT_EQ(RunV4Set(dir_ / "esdk-net-4.0.0-valid", "manifest.json", true), 5);
}

TEST_F(EsdkVectorsTest, Net400InvalidVectorsAllFailHeaderAuthentication) {
  EXPECT_EQ(RunV4Set(dir_ / "esdk-net-4.0.0-invalid-negative", "manifest-expected-failure.json",
                     false),
            28);
}

}  // namespace
}  // namespace envelope
