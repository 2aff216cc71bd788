// The HTTP server over real loopback sockets with a fake handler: keep-alive, pipelining, the
// size limits, IPv4 and IPv6, port-in-use errors and graceful shutdown.
#include "kms/server/http/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "kms/server/http/raw_http_client.h"

namespace envelope::kms::server {
namespace {

using testing::BuildRequest;
using testing::RawHttpClient;
using testing::RawHttpResponse;

// Answers 200 with "METHOD TARGET BODY"; a handler hook lets a test block a request.
class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpServerOptions options = {}) {
    if (options.listen == HttpServerOptions{}.listen) options.listen = {"127.0.0.1:0", "[::1]:0"};
    options.threads = 2;
    if (options.max_body_bytes == HttpServerOptions{}.max_body_bytes) options.max_body_bytes = 1024;
    auto server = HttpServer::Create(options, [this](HttpRequest& r) {
      if (hook_) hook_(r);
      HttpResponse out;
      out.content_type = "text/plain";
      out.body = r.method + " " + r.target + " " + r.body;
      return out;
    });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    runner_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    if (runner_.joinable()) runner_.join();
  }
  RawHttpClient Connect(int index = 0) {
    auto client = RawHttpClient::Connect(index == 0 ? "127.0.0.1" : "::1", server_->ports()[index]);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return std::move(client).value();
  }
  static std::string Post(std::string_view body, std::string_view target = "/") {
    return BuildRequest("POST", target, {{"Host", "x"}}, body);
  }

  std::function<void(HttpRequest&)> hook_;
  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
};

TEST_F(HttpServerTest, ServesOnIpv4AndIpv6AtOnce) {
  Start();
  ASSERT_EQ(server_->endpoints().size(), 2u);
  EXPECT_TRUE(server_->endpoints()[1].starts_with("[::1]:"));
  for (int i = 0; i < 2; ++i) {
    RawHttpClient client = Connect(i);
    auto response = client.RoundTrip(Post("hi"));
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "POST / hi");
  }
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Start();
  RawHttpClient client = Connect();
  for (int i = 0; i < 100; ++i) {
    auto response = client.RoundTrip(Post(std::to_string(i)));
    ASSERT_TRUE(response.ok()) << i << ": " << response.status().ToString();
    EXPECT_EQ(response->body, "POST / " + std::to_string(i));
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Start();
  RawHttpClient client = Connect();
  ASSERT_TRUE(client.Send(Post("a") + Post("b") + Post("c")).ok());
  for (std::string expected : {"a", "b", "c"}) {
    auto response = client.Read();
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->body, "POST / " + expected);
  }
}

TEST_F(HttpServerTest, OversizeBodyIs413JsonAndTheConnectionCloses) {
  Start();
  RawHttpClient client = Connect();
  auto response = client.RoundTrip(Post(std::string(4096, 'x')));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->Header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_NE(response->body.find(R"("__type":"RequestEntityTooLargeException")"), std::string::npos);
  EXPECT_TRUE(client.ServerClosed());
}

TEST_F(HttpServerTest, OversizeHeadersAre431Json) {
  Start();
  RawHttpClient client = Connect();
  auto response = client.RoundTrip(
      BuildRequest("POST", "/", {{"Host", "x"}, {"X-Big", std::string(20000, 'a')}}, ""));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 431);
  EXPECT_NE(response->body.find("RequestHeaderFieldsTooLargeException"), std::string::npos);
}

TEST_F(HttpServerTest, MalformedRequestIs400JsonNotHtml) {
  Start();
  RawHttpClient client = Connect();
  auto response = client.RoundTrip("POST / HTTP/1.1\r\nContent-Length: banana\r\n\r\n");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find(R"("__type":"SerializationException")"), std::string::npos);
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  Start();
  RawHttpClient client = Connect();
  auto response = client.RoundTrip(BuildRequest("POST", "/", {{"Connection", "close"}}, "x"));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->Header("Connection"), "close");
  EXPECT_TRUE(client.ServerClosed());
}

TEST_F(HttpServerTest, ExpectContinueGetsA100ThenTheResponse) {
  Start();
  RawHttpClient client = Connect();
  ASSERT_TRUE(client.Send("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                          "Content-Length: 3\r\n\r\n").ok());
  auto interim = client.Read();
  ASSERT_TRUE(interim.ok());
  EXPECT_EQ(interim->status, 100);
  auto response = client.RoundTrip("abc");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->body, "POST / abc");
}

TEST_F(HttpServerTest, IdleConnectionIsClosedAfterTheIdleTimeout) {
  HttpServerOptions options;
  options.idle_timeout = std::chrono::milliseconds(100);
  Start(options);
  RawHttpClient client = Connect();
  EXPECT_TRUE(client.ServerClosed());
}

TEST_F(HttpServerTest, PortInUseIsAClearError) {
  Start();
  HttpServerOptions options;
  const std::string taken = "127.0.0.1:" + std::to_string(server_->ports()[0]);
  options.listen = {taken};
  auto second = HttpServer::Create(options, [](HttpRequest&) { return HttpResponse{}; });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kUnavailable);
  EXPECT_EQ(second.status().message(), "listen " + taken + ": address already in use");
}

TEST(HttpServerCreate, RejectsAnUnparsableListenAddress) {
  for (std::string bad : {"127.0.0.1", "::1:80", "[::1]80", "127.0.0.1:99999", ":80"}) {
    HttpServerOptions options;
    options.listen = {bad};
    auto server = HttpServer::Create(options, [](HttpRequest&) { return HttpResponse{}; });
    ASSERT_FALSE(server.ok()) << bad;
    EXPECT_EQ(server.status().code(), Code::kInvalidArgument) << bad;
  }
}

TEST_F(HttpServerTest, ShutdownLetsAnInFlightRequestFinish) {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> first{true};
  hook_ = [&](HttpRequest&) {
    if (first.exchange(false)) {
      entered.set_value();
      released.wait();
    }
  };
  Start();
  RawHttpClient busy = Connect();
  RawHttpClient idle = Connect();
  ASSERT_TRUE(busy.Send(Post("slow")).ok());
  entered.get_future().wait();
  server_->Shutdown();
  EXPECT_TRUE(idle.ServerClosed());
  release.set_value();
  auto response = busy.Read();
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body, "POST / slow");
  EXPECT_EQ(response->Header("Connection"), "close");
  runner_.join();  // Run() returned: every connection is gone
}

}  // namespace
}  // namespace envelope::kms::server
