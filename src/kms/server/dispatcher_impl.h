#pragma once
// The JSON Dispatcher over a KmsService: operation name -> parse the JSON body -> the service ->
// the JSON response. Unknown names are UnknownOperationException; bad JSON is
// SerializationException. Thread-safe (the table is immutable after construction).
#include <functional>
#include <map>
#include <string>

#include "kms/server/dispatcher.h"
#include "kms/server/kms_service.h"

namespace envelope::kms::server {

class ServiceDispatcher final : public Dispatcher {
 public:
  explicit ServiceDispatcher(KmsService& service);  // service must outlive the dispatcher
  Result<std::string> Dispatch(const Caller& caller, std::string_view operation,
                               std::string_view json_body) override;
  bool HasOperation(std::string_view operation) const;

 private:
  using Handler = std::function<Result<Json>(const Caller&, const Json&)>;
  void RegisterTyped();
  void RegisterJson();
  KmsService& service_;
  std::map<std::string, Handler, std::less<>> handlers_;
};

}  // namespace envelope::kms::server
