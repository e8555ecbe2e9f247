#include "test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace tcorg::api::testing {
namespace {

// Binds a TCP socket to 127.0.0.1:0; returns the fd and stores the port.
int bind_loopback(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

}  // namespace

TestServer::TestServer(Handler handler) : server_(std::make_unique<httplib::Server>()) {
  start(std::move(handler));
}

TestServer::TestServer(Handler handler, const std::string& cert_path, const std::string& key_path)
    : server_(std::make_unique<httplib::SSLServer>(cert_path.c_str(), key_path.c_str())) {
  if (!server_->is_valid()) throw std::runtime_error("SSLServer: bad certificate or key");
  start(std::move(handler));
}

void TestServer::start(Handler handler) {
  // A peer closing a TLS connection must not kill the test binary (SSL_write raises SIGPIPE).
  std::signal(SIGPIPE, SIG_IGN);
  server_->set_tcp_nodelay(true);  // else delayed ACKs add 40 ms to every reused connection
  server_->set_keep_alive_max_count(1000);  // the default 5 would hide connection reuse
  server_->Post("/", [this, handler = std::move(handler)](const httplib::Request& req,
                                                          httplib::Response& res) {
    {
      std::lock_guard lock(mu_);
      requests_.push_back(Captured{req.headers, req.body, req.remote_port});
    }
    handler(req, res);
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("TestServer: bind failed");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

TestServer::~TestServer() {
  server_->stop();
  thread_.join();
}

std::string TestServer::endpoint(const std::string& scheme) const {
  return scheme + "://127.0.0.1:" + std::to_string(port_);
}

std::vector<Captured> TestServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::size_t TestServer::connections() const {
  std::lock_guard lock(mu_);
  std::vector<int> ports;
  for (const auto& r : requests_) {
    if (std::find(ports.begin(), ports.end(), r.remote_port) == ports.end()) {
      ports.push_back(r.remote_port);
    }
  }
  return ports.size();
}

SilentListener::SilentListener() {
  fd_ = bind_loopback(port_);
  if (::listen(fd_, 16) != 0) throw std::runtime_error("listen failed");
}

SilentListener::~SilentListener() {
  ::close(fd_);
}

namespace {

// Reads one request with a Content-Length body; false on end of stream or an error.
bool read_request(int fd) {
  std::string in;
  char buf[4096];
  for (;;) {
    const auto head_end = in.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const auto at = in.find("Content-Length: ");
      const std::size_t body = at == std::string::npos ? 0 : std::stoul(in.substr(at + 16));
      if (in.size() >= head_end + 4 + body) return true;
    }
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    in.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

ResettingServer::ResettingServer(int answers_per_connection)
    : per_connection_(answers_per_connection) {
  fd_ = bind_loopback(port_);
  if (::listen(fd_, 16) != 0) throw std::runtime_error("listen failed");
  thread_ = std::thread([this] { serve(); });
}

ResettingServer::~ResettingServer() {
  stop_ = true;
  ::shutdown(fd_, SHUT_RDWR);  // ends the accept()
  thread_.join();
  ::close(fd_);
}

void ResettingServer::serve() {
  while (!stop_) {
    const int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    ++connections_;
    for (int i = 0; i < per_connection_ && read_request(c); ++i) {
      const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
      if (::write(c, answer.data(), answer.size()) != static_cast<ssize_t>(answer.size())) break;
      ++answers_;
    }
    pollfd p{c, POLLIN, 0};
    ::poll(&p, 1, 5000);  // the next request arrives...
    const linger reset{1, 0};
    ::setsockopt(c, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    ::close(c);  // ...and is never read
  }
}

int closed_port() {
  int port = 0;
  ::close(bind_loopback(port));
  return port;
}

TempCert make_self_signed_cert(const std::string& dns_name, bool with_loopback_ip) {
  char templ[] = "/tmp/tcorg-cert-XXXXXX";
  if (::mkdtemp(templ) == nullptr) throw std::runtime_error("mkdtemp failed");
  TempCert out{templ, std::string(templ) + "/cert.pem", std::string(templ) + "/key.pem"};

  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* cert = X509_new();
  if (key == nullptr || cert == nullptr) throw std::runtime_error("OpenSSL allocation failed");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(dns_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  const std::string san = "DNS:" + dns_name + (with_loopback_ip ? ",IP:127.0.0.1" : "");
  for (const auto& [nid, value] : {std::pair<int, std::string>{NID_subject_alt_name, san},
                                   {NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert, key, EVP_sha256()) == 0) throw std::runtime_error("X509_sign failed");

  FILE* f = std::fopen(out.cert_path.c_str(), "w");
  PEM_write_X509(f, cert);
  std::fclose(f);
  f = std::fopen(out.key_path.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

std::string canned_answer(const std::string& action) {
  if (action == "ListOrganizationInvitations") {
    return R"({"Response":{"TotalCount":1,"Invitations":[{"Id":1,"Status":-1}],"RequestId":"r1"}})";
  }
  if (action == "GetOrganizationMember") {
    return R"({"Response":{"Uin":123,"Name":"m","RequestId":"r2"}})";
  }
  if (action == "ListOrganizationMembers") {
    return R"({"Response":{"TotalCount":1,"Members":[{"Uin":123}],"RequestId":"r3"}})";
  }
  if (action == "ListOrganizationNodes") {
    return R"({"Response":{"Nodes":[{"NodeId":1,"Name":"root"}],"RequestId":"r4"}})";
  }
  return R"({"Response":{"Error":{"Code":"InvalidAction","Message":"?"},"RequestId":"r0"}})";
}

}  // namespace tcorg::api::testing
