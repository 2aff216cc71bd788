#include "kms/server/sqlite_db.h"

namespace envelope::kms::server {
namespace {

Status SqlError(sqlite3* db, std::string_view what) {
  return Internal("key store: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

}  // namespace

SqliteStmt::~SqliteStmt() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

SqliteStmt& SqliteStmt::Text(std::string_view v) {
  sqlite3_bind_text(stmt_, next_++, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
SqliteStmt& SqliteStmt::Blob(ByteView v) {
  sqlite3_bind_blob(stmt_, next_++, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
SqliteStmt& SqliteStmt::Int(std::int64_t v) {
  sqlite3_bind_int64(stmt_, next_++, v);
  return *this;
}
SqliteStmt& SqliteStmt::Real(double v) {
  sqlite3_bind_double(stmt_, next_++, v);
  return *this;
}
SqliteStmt& SqliteStmt::OptReal(const std::optional<double>& v) {
  if (v) return Real(*v);
  sqlite3_bind_null(stmt_, next_++);
  return *this;
}

Result<bool> SqliteStmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqlError(db_, "step");
}

Status SqliteStmt::Run() {
  for (;;) {
    ENVELOPE_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return OkStatus();
  }
}

std::string SqliteStmt::ColText(int i) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : "";
}
Bytes SqliteStmt::ColBlob(int i) const {
  const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, i));
  return p ? Bytes(p, p + sqlite3_column_bytes(stmt_, i)) : Bytes();
}
std::int64_t SqliteStmt::ColInt(int i) const { return sqlite3_column_int64(stmt_, i); }
double SqliteStmt::ColReal(int i) const { return sqlite3_column_double(stmt_, i); }
std::optional<double> SqliteStmt::ColOptReal(int i) const {
  if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) return std::nullopt;
  return ColReal(i);
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Internal("key store: cannot open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db, 5000);
  return std::unique_ptr<SqliteDb>(new SqliteDb(db));
}

SqliteDb::~SqliteDb() { sqlite3_close(db_); }

Status SqliteDb::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Internal("key store: " + msg);
  }
  return OkStatus();
}

Result<SqliteStmt> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return SqlError(db_, "prepare");
  }
  return SqliteStmt(db_, stmt);
}

}  // namespace envelope::kms::server
