// The Client against the simulator over loopback: every action compared with the simulator's
// ground truth, and every error class the simulator can produce, typed.

#include "exporter/api/client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "exporter/api/pagination.h"
#include "simulator/simulator.h"

namespace tcorg::api {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class ClientSim : public ::testing::Test {
 protected:
  ClientSim() : sim_(sim_options()) { sim_.start(); }

  static sim::Options sim_options() {
    sim::Options o;
    o.org.members = 60;
    o.org.nodes = 6;
    o.org.invitations = 70;  // 35 received + 35 sent: 7 pages of 5 each way
    o.org.seed = 7;
    return o;
  }

  ClientOptions client_options() const {
    ClientOptions o;
    o.endpoint = sim_.endpoint();
    o.endpoint_explicit = true;
    o.credentials = [id = options_.secret_id, key = options_.secret_key] {
      return Credentials{id, key, ""};
    };
    o.timeout = 2000ms;
    return o;
  }

  const sim::Options options_ = sim_options();
  sim::Simulator sim_;
};

void expect_same(const Invitation& got, const Invitation& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.uin, want.uin) << want.id;
  EXPECT_EQ(got.host_uin, want.host_uin) << want.id;
  EXPECT_EQ(got.host_name, want.host_name) << want.id;
  EXPECT_EQ(got.host_mail, want.host_mail) << want.id;
  EXPECT_EQ(got.status, want.status) << want.id;
  EXPECT_EQ(got.name, want.name) << want.id;
  EXPECT_EQ(got.remark, want.remark) << want.id;
  EXPECT_EQ(got.org_type, want.org_type) << want.id;
  EXPECT_EQ(got.invite_time, want.invite_time) << want.id;
  EXPECT_EQ(got.expire_time, want.expire_time) << want.id;
}

TEST_F(ClientSim, EveryInvitationOnceIn7Pages) {
  Client client(client_options());
  const auto org = sim_.organization();
  for (const auto& [direction, want] :
       {std::pair{Direction::kReceived, org.received}, std::pair{Direction::kSent, org.sent}}) {
    ASSERT_EQ(want.size(), 35u);
    sim_.reset_stats();
    const auto got = list_all_invitations(client, direction, 5);
    ASSERT_TRUE(got.ok()) << got.error().to_string();
    EXPECT_EQ(sim_.stats().actions["ListOrganizationInvitations"].accepted, 7u);
    ASSERT_EQ(got->size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) expect_same((*got)[i], want[i]);
  }
  // Every status is present, including the signed -1.
  std::map<std::int64_t, int> statuses;
  for (const auto& inv : org.received) ++statuses[inv.status];
  for (const auto& inv : org.sent) ++statuses[inv.status];
  EXPECT_TRUE(statuses.count(invitation_status::kExpired));
}

TEST_F(ClientSim, MembersAndNodesMatch) {
  sim_.set_rate_limit(1e6);  // one GetOrganizationMember per member, unpaced
  Client client(client_options());
  const auto org = sim_.organization();

  const auto members = list_all_members(client);
  ASSERT_TRUE(members.ok()) << members.error().to_string();
  ASSERT_EQ(members->size(), org.members.size());
  for (std::size_t i = 0; i < org.members.size(); ++i) {
    const MemberDetail& want = org.members[i];
    EXPECT_EQ((*members)[i].uin, want.uin);
    EXPECT_EQ((*members)[i].name, want.name);
    EXPECT_EQ((*members)[i].remark, want.remark);
    EXPECT_EQ((*members)[i].join_time, want.join_time);

    const auto got = client.get_member(want.uin);
    ASSERT_TRUE(got.ok()) << got.error().to_string();
    EXPECT_EQ(got->uin, want.uin);
    EXPECT_EQ(got->name, want.name);
    EXPECT_EQ(got->remark, want.remark);
    EXPECT_EQ(got->join_time, want.join_time);
    EXPECT_EQ(got->node_id, want.node_id);
    EXPECT_EQ(got->node_name, want.node_name);
    EXPECT_EQ(got->parent_node_id, want.parent_node_id);
    EXPECT_FALSE(got->request_id.empty());
  }

  const auto nodes = client.list_nodes();
  ASSERT_TRUE(nodes.ok()) << nodes.error().to_string();
  ASSERT_EQ(nodes->nodes.size(), org.nodes.size());
  for (std::size_t i = 0; i < org.nodes.size(); ++i) {
    EXPECT_EQ(nodes->nodes[i].node_id, org.nodes[i].node_id);
    EXPECT_EQ(nodes->nodes[i].name, org.nodes[i].name);
    EXPECT_EQ(nodes->nodes[i].parent_node_id, org.nodes[i].parent_node_id);
    EXPECT_EQ(nodes->nodes[i].member_count, org.nodes[i].member_count);
  }
}

TEST_F(ClientSim, UnknownMemberIsNotFound) {
  Client client(client_options());
  const auto r = client.get_member(1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kApi);
  EXPECT_TRUE(r.error().is_not_found()) << r.error().to_string();
  EXPECT_FALSE(r.error().request_id.empty());
}

ApiError first_error(Client& client) {
  const auto r = client.list_nodes();
  EXPECT_FALSE(r.ok());
  return r.ok() ? ApiError{} : r.error();
}

TEST_F(ClientSim, BadSecretIsSignatureFailure) {
  ClientOptions o = client_options();
  o.credentials = [id = options_.secret_id] { return Credentials{id, "wrong-key", ""}; };
  Client client(std::move(o));
  const ApiError e = first_error(client);
  EXPECT_EQ(e.kind, ErrorKind::kApi);
  EXPECT_EQ(e.code, "AuthFailure.SignatureFailure");
  EXPECT_TRUE(e.is_auth());
  EXPECT_FALSE(e.is_retryable());
}

TEST_F(ClientSim, UnknownSecretIdIsSecretIdNotFound) {
  ClientOptions o = client_options();
  o.credentials = [] { return Credentials{"AKIDunknown", "k", ""}; };
  Client client(std::move(o));
  EXPECT_EQ(first_error(client).code, "AuthFailure.SecretIdNotFound");
}

// SignatureExpire is answered once; the client then corrects its clock from the Date header and
// resends (details in clock_skew_test.cpp).
TEST_F(ClientSim, ClockTenMinutesOffIsCorrectedAfterOneSignatureExpire) {
  ClientOptions o = client_options();
  o.clock = [] { return unix_now() - 600; };
  Client client(std::move(o));
  const auto r = client.list_nodes();
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(sim_.stats().errors["AuthFailure.SignatureExpire"], 1u);
  EXPECT_NEAR(static_cast<double>(client.clock_skew()), 600, 1);
}

TEST_F(ClientSim, SessionToken) {
  sim_.set_credentials(options_.secret_id, options_.secret_key, "session-token-1");
  {
    Client without(client_options());
    EXPECT_EQ(first_error(without).code, "AuthFailure.TokenFailure");
  }
  ClientOptions o = client_options();
  o.credentials = [this] {
    return Credentials{options_.secret_id, options_.secret_key, "session-token-1"};
  };
  Client with(std::move(o));
  const auto r = with.list_nodes();
  EXPECT_TRUE(r.ok()) << r.error().to_string();
}

TEST_F(ClientSim, BurstIsThrottled) {
  Client client(client_options());
  int throttled = 0, ok = 0;
  for (int i = 0; i < 40; ++i) {
    const auto r = client.list_nodes();
    if (r.ok()) {
      ++ok;
    } else {
      EXPECT_TRUE(r.error().is_throttled()) << r.error().to_string();
      EXPECT_EQ(r.error().code, "RequestLimitExceeded");
      EXPECT_TRUE(r.error().is_retryable());
      ++throttled;
    }
  }
  EXPECT_GE(ok, 20);  // the window admits 20; more if the burst spans past one second
  EXPECT_GT(throttled, 0);
  EXPECT_EQ(static_cast<std::uint64_t>(throttled),
            sim_.stats().actions["ListOrganizationNodes"].throttled);
}

TEST_F(ClientSim, InternalErrorIsRetryableApiError) {
  sim::Faults f;
  f.internal_error = 1;
  sim_.set_faults(f);
  Client client(client_options());
  const ApiError e = first_error(client);
  EXPECT_EQ(e.kind, ErrorKind::kApi);
  EXPECT_EQ(e.code, "InternalError");
  EXPECT_TRUE(e.is_retryable());
}

TEST_F(ClientSim, Http500IsHttpStatus) {
  sim::Faults f;
  f.http_500 = 1;
  sim_.set_faults(f);
  Client client(client_options());
  const ApiError e = first_error(client);
  EXPECT_EQ(e.kind, ErrorKind::kHttpStatus);
  EXPECT_EQ(e.http_status, 500);
  EXPECT_EQ(e.label(), "http_500");
}

TEST_F(ClientSim, MalformedIsDecode) {
  sim::Faults f;
  f.malformed = 1;
  sim_.set_faults(f);
  Client client(client_options());
  const ApiError e = first_error(client);
  EXPECT_EQ(e.kind, ErrorKind::kDecode);
  EXPECT_NE(e.message.find("not JSON"), std::string::npos) << e.message;
}

TEST_F(ClientSim, HangIsTimeout) {
  sim::Faults f;
  f.hang = 1;
  f.hang_seconds = 5;
  sim_.set_faults(f);
  ClientOptions o = client_options();
  o.timeout = 300ms;
  Client client(std::move(o));
  const auto start = Clock::now();
  const ApiError e = first_error(client);
  const auto elapsed = Clock::now() - start;
  EXPECT_EQ(e.kind, ErrorKind::kTimeout) << e.to_string();
  EXPECT_LT(elapsed, 2s);
  EXPECT_GE(elapsed, 270ms);
  std::printf("hang with 300 ms timeout came back after %.1f ms\n",
              std::chrono::duration<double, std::milli>(elapsed).count());
}

TEST_F(ClientSim, ObserverSeesEveryRequest) {
  struct Counter : CallObserver {
    void on_attempt(std::string_view, double, const ApiError* e) override {
      ++attempts;
      errors += e != nullptr;
    }
    std::atomic<int> attempts{0}, errors{0};
  } counter;
  ClientOptions o = client_options();
  o.observer = &counter;
  Client client(std::move(o));
  ASSERT_TRUE(list_all_invitations(client, Direction::kReceived, 10).ok());
  EXPECT_FALSE(client.get_member(1).ok());
  EXPECT_EQ(static_cast<std::uint64_t>(counter.attempts.load()), sim_.stats().requests);
  EXPECT_EQ(counter.errors, 1);
}

}  // namespace
}  // namespace tcorg::api
