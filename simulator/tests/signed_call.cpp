#include "simulator/tests/signed_call.h"

#include <chrono>

#include "tc3/signer.h"

namespace tcorg::sim::testing {

std::string Reply::code() const {
  if (!json.is_object() || !json.contains("Response")) return "";
  const auto& r = json["Response"];
  return r.contains("Error") ? r["Error"].value("Code", "") : "";
}

Options small_options() {
  Options options;
  options.org.members = 30;
  options.org.nodes = 5;
  options.org.invitations = 30;
  options.org.seed = 7;
  return options;
}

httplib::Client client_for(const Simulator& simulator) {
  httplib::Client client("127.0.0.1", simulator.port());
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);  // else Nagle + delayed ACK add ~40 ms per call
  client.set_read_timeout(10, 0);
  return client;
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Reply send(httplib::Client& client, const Simulator& simulator, const Call& call) {
  const std::string host = "127.0.0.1:" + std::to_string(simulator.port());
  tc3::Request request;
  request.host = call.sign_host_without_port ? "127.0.0.1" : host;
  request.action = call.action;
  request.payload = call.body;
  request.timestamp = call.timestamp != 0 ? call.timestamp : unix_now();
  request.service = call.service;
  request.sign_action = call.sign_action;
  const auto signature = tc3::sign(request, call.secret_id, call.secret_key);

  httplib::Headers headers{{"X-TC-Action", call.action},
                           {"X-TC-Version", call.version},
                           {"X-TC-Timestamp", std::to_string(request.timestamp)},
                           {"Authorization", signature.authorization}};
  if (!call.token.empty()) headers.emplace("X-TC-Token", call.token);
  if (!call.accept_encoding.empty()) headers.emplace("Accept-Encoding", call.accept_encoding);
  Reply reply;
  const auto result = client.Post("/", headers, call.body, "application/json");
  if (!result) return reply;
  reply.status = result->status;
  reply.body = result->body;
  reply.content_encoding = result->get_header_value("Content-Encoding");
  reply.json = nlohmann::json::parse(reply.body, nullptr, false);
  if (reply.json.is_discarded()) reply.json = nullptr;
  return reply;
}

}  // namespace tcorg::sim::testing
