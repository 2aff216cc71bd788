#pragma once
// A thin RAII layer over SQLite3: a connection and prepared statements, errors as Status
// (kInternal with SQLite's message). Not thread-safe: the KeyStore serialises access.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "envelope/result.h"

namespace envelope::kms::server {

class SqliteStmt {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStmt(SqliteStmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;
  ~SqliteStmt();

  // Binds parameters 1..n in order; chainable.
  SqliteStmt& Text(std::string_view v);
  SqliteStmt& Blob(ByteView v);
  SqliteStmt& Int(std::int64_t v);
  SqliteStmt& Real(double v);
  SqliteStmt& OptReal(const std::optional<double>& v);
  // Steps once: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion (for writes).
  Status Run();

  std::string ColText(int i) const;
  Bytes ColBlob(int i) const;
  std::int64_t ColInt(int i) const;
  double ColReal(int i) const;
  std::optional<double> ColOptReal(int i) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int next_ = 1;
};

class SqliteDb {
 public:
  // Opens (creating) the database file. kInternal on failure.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();
  Status Exec(const std::string& sql);
  Result<SqliteStmt> Prepare(std::string_view sql);
  sqlite3* handle() { return db_; }

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back when it fails.
template <typename F>
Status InTransaction(SqliteDb& db, F&& body) {
  ENVELOPE_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  Status s = body();
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    return s;
  }
  return db.Exec("COMMIT");
}

}  // namespace envelope::kms::server
