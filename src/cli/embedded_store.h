#pragma once
// The embedded key store: the local KMS's key store used in-process (no HTTP), under the user's
// data directory. `envelope kms serve --data-dir DIR` on the same directory serves the same keys:
// both act as account 111122223333 (the server's default account) in region us-east-1 unless a
// region is named.
#include <memory>
#include <string>

#include "envelope/result.h"
#include "kms/api/kms_api.h"
#include "materials/aws_kms_keyring.h"

namespace envelope::cli {

inline constexpr char kDefaultLocalRegion[] = "us-east-1";  // the server's default region too
inline constexpr char kDefaultLocalAlias[] = "alias/envelope-default";

// $ENVELOPE_DATA_DIR, else $XDG_DATA_HOME/envelope, else $HOME/.local/share/envelope.
// kInvalidArgument when none of the variables is set.
Result<std::string> UserDataDir();

// True when ENVELOPE_DATA_DIR is set: the user chose the embedded store explicitly.
bool DataDirChosenExplicitly();

// A description of the AWS configuration found in the environment or the default files (e.g.
// "AWS_PROFILE is set", "~/.aws/config exists"), or empty when there is none.
std::string FindAwsConfiguration();

// Opens (creating it with mode 0700 when missing) the store under `data_dir`, once per process
// and directory. The supplier gives a KmsApi bound to the default local caller of a region (empty:
// us-east-1); every KmsApi it returns keeps the store open.
Result<KmsClientSupplier> OpenEmbeddedStore(const std::string& data_dir);

// The key ARN behind `key_id` (alias name, key id or ARN). With `create_alias`, a missing alias
// is created with a new symmetric key (and `created` set). kNotFound for a missing key.
Result<std::string> ResolveLocalKey(kms::KmsApi& kms, const std::string& key_id, bool create_alias,
                                    bool* created = nullptr);

}  // namespace envelope::cli
