#include "exporter/api/decode.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "exporter/api/time_parse.h"
#include "exporter/common/printable.h"

namespace tcorg::api {
namespace {

using nlohmann::json;

enum class Need { kOptional, kRequired };

ApiError decode_error(std::string message) {
  ApiError e;
  e.kind = ErrorKind::kDecode;
  e.message = std::move(message);
  return e;
}

std::string kind_of(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "float";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "invalid";
  }
}

// A short, printable excerpt of a body that is not JSON (an HTML error page from a proxy, say),
// so the log line says what came back without dumping binary or huge text.
std::string excerpt(std::string_view body) {
  return printable(body, 64, NonAscii::kMask);
}

// A JSON object being decoded at `path`. Getters never throw: the first problem is recorded in
// `error` (shared by the whole document) and a default is returned, so decoding code reads as a
// flat list of fields and the caller checks `error` once at the end.
class Object {
 public:
  Object(const json& object, std::string path, std::optional<ApiError>& error, int utc_offset)
      : object_(object), path_(std::move(path)), error_(error), utc_offset_(utc_offset) {}

  std::int64_t integer(const char* name, Need need = Need::kOptional) {
    const json* v = field(name, need, "integer");
    if (v == nullptr) return 0;
    if (v->is_number_unsigned()) {
      const auto u = v->get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        fail(name, "integer out of range: " + std::to_string(u));
        return 0;
      }
      return static_cast<std::int64_t>(u);
    }
    if (v->is_number_integer()) return v->get<std::int64_t>();
    fail(name, "expected integer, got " + kind_of(*v));
    return 0;
  }

  std::string text(const char* name, Need need = Need::kOptional) {
    const json* v = field(name, need, "string");
    if (v == nullptr) return {};
    if (!v->is_string()) {
      fail(name, "expected string, got " + kind_of(*v));
      return {};
    }
    return v->get<std::string>();
  }

  // Unix seconds of an optional "YYYY-MM-DD hh:mm:ss" field. "" and the zero date some Tencent
  // services emit mean "not set" and give 0, like a missing field; anything else malformed fails.
  std::int64_t time(const char* name) {
    const std::string s = text(name);
    if (s.empty() || s == "0000-00-00 00:00:00") return 0;
    const auto t = parse_api_time(s, utc_offset_);
    if (!t) fail(name, R"(expected time "YYYY-MM-DD hh:mm:ss", got ")" + excerpt(s) + "\"");
    return t.value_or(0);
  }

  // Calls visit(Object&) for each element of an optional array of objects; missing or null is an
  // empty list.
  template <class Visit>
  void each(const char* name, Visit visit) {
    const json* v = field(name, Need::kOptional, "array");
    if (v == nullptr) return;
    if (!v->is_array()) {
      fail(name, "expected array, got " + kind_of(*v));
      return;
    }
    for (std::size_t i = 0; i < v->size() && !error_; ++i) {
      const std::string path = path_ + "." + name + "[" + std::to_string(i) + "]";
      const json& element = (*v)[i];
      if (!element.is_object()) {
        error_ = decode_error(path + ": expected object, got " + kind_of(element));
        return;
      }
      Object child(element, path, error_, utc_offset_);
      visit(child);
    }
  }

  // Calls visit(Object&) with the required object `name`.
  template <class Visit>
  void object(const char* name, Visit visit) {
    const json* v = field(name, Need::kRequired, "object");
    if (v == nullptr) return;
    if (!v->is_object()) {
      fail(name, "expected object, got " + kind_of(*v));
      return;
    }
    Object child(*v, path_ + "." + name, error_, utc_offset_);
    visit(child);
  }

  // Records `what` against this object's field `name` unless an error is already recorded.
  void fail(const char* name, const std::string& what) {
    if (!error_) error_ = decode_error(path_ + "." + name + ": " + what);
  }

  const json& raw() const { return object_; }

 private:
  // The field's value, or nullptr when it is absent or null (an error if required, or after an
  // earlier error).
  const json* field(const char* name, Need need, const char* expected) {
    if (error_) return nullptr;
    const auto it = object_.find(name);
    if (it == object_.end()) {
      if (need == Need::kRequired) fail(name, "missing");
      return nullptr;
    }
    if (it->is_null()) {
      if (need == Need::kRequired) fail(name, std::string("expected ") + expected + ", got null");
      return nullptr;
    }
    return &*it;
  }

  const json& object_;
  std::string path_;
  std::optional<ApiError>& error_;
  int utc_offset_;
};

// `{"Response":{"Error":{"Code","Message"},"RequestId"}}` → kApi.
ApiError api_error(Object& response, const json& error_value) {
  std::optional<ApiError> bad;
  if (!error_value.is_object()) {
    return decode_error("Response.Error: expected object, got " + kind_of(error_value));
  }
  Object error(error_value, "Response.Error", bad, 0);
  ApiError e;
  e.kind = ErrorKind::kApi;
  e.code = error.text("Code", Need::kRequired);
  e.message = error.text("Message");
  if (bad) return *bad;
  // The request id helps support even when the error envelope is odd, so it is best effort here.
  const auto id = response.raw().find("RequestId");
  if (id != response.raw().end() && id->is_string()) e.request_id = id->get<std::string>();
  return e;
}

// Parses the envelope and hands the Response object to fill(Object&, T&). RequestId is required
// on every successful answer.
template <class T, class Fill>
Result<T> decode(std::string_view body, int utc_offset, Fill fill) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return decode_error("body is not JSON (" + std::to_string(body.size()) +
                        " bytes): " + excerpt(body));
  }
  if (!doc.is_object()) return decode_error("body: expected object, got " + kind_of(doc));
  const auto response_it = doc.find("Response");
  if (response_it == doc.end()) return decode_error("missing Response");
  if (!response_it->is_object()) {
    return decode_error("Response: expected object, got " + kind_of(*response_it));
  }
  std::optional<ApiError> error;
  Object response(*response_it, "Response", error, utc_offset);
  const auto error_it = response_it->find("Error");
  if (error_it != response_it->end() && !error_it->is_null()) return api_error(response, *error_it);

  T out;
  fill(response, out);
  out.request_id = response.text("RequestId", Need::kRequired);
  if (error) return *error;
  return out;
}

std::int64_t total_count(Object& response) {
  const std::int64_t n = response.integer("TotalCount", Need::kRequired);
  if (n < 0) response.fail("TotalCount", "must not be negative, got " + std::to_string(n));
  return n;
}

// Issued temporary keys: every field required, none empty (an empty key would be signed with).
void fill_issued(Object& credentials, Object& expiry_holder, IssuedCredentials& out) {
  out.keys.secret_id = credentials.text("TmpSecretId", Need::kRequired);
  out.keys.secret_key = credentials.text("TmpSecretKey", Need::kRequired);
  out.keys.token = credentials.text("Token", Need::kRequired);
  out.expires_at = expiry_holder.integer("ExpiredTime", Need::kRequired);
  for (const auto& [name, value] :
       {std::pair{"TmpSecretId", &out.keys.secret_id},
        std::pair{"TmpSecretKey", &out.keys.secret_key}, std::pair{"Token", &out.keys.token}}) {
    if (value->empty()) credentials.fail(name, "must not be empty");
  }
  if (out.expires_at <= 0) expiry_holder.fail("ExpiredTime", "must be positive");
}

}  // namespace

Result<InvitationPage> decode_invitation_page(std::string_view body, int utc_offset_seconds) {
  return decode<InvitationPage>(body, utc_offset_seconds, [](Object& r, InvitationPage& page) {
    page.total_count = total_count(r);
    r.each("Invitations", [&](Object& o) {
      Invitation inv;
      inv.id = o.integer("Id", Need::kRequired);
      inv.uin = o.integer("Uin");
      inv.host_uin = o.integer("HostUin");
      inv.host_name = o.text("HostName");
      inv.host_mail = o.text("HostMail");
      inv.status = o.integer("Status", Need::kRequired);
      inv.name = o.text("Name");
      inv.remark = o.text("Remark");
      inv.org_type = o.integer("OrgType");
      inv.invite_time = o.time("InviteTime");
      inv.expire_time = o.time("ExpireTime");
      page.invitations.push_back(std::move(inv));
    });
  });
}

Result<MemberDetail> decode_member_detail(std::string_view body, int utc_offset_seconds) {
  return decode<MemberDetail>(body, utc_offset_seconds, [](Object& r, MemberDetail& m) {
    m.uin = r.integer("Uin", Need::kRequired);
    m.name = r.text("Name");
    m.remark = r.text("Remark");
    m.join_time = r.time("JoinTime");
    m.node_id = r.integer("NodeId");
    m.node_name = r.text("NodeName");
    m.parent_node_id = r.integer("ParentNodeId");
  });
}

Result<MemberPage> decode_member_page(std::string_view body, int utc_offset_seconds) {
  return decode<MemberPage>(body, utc_offset_seconds, [](Object& r, MemberPage& page) {
    page.total_count = total_count(r);
    r.each("Members", [&](Object& o) {
      Member m;
      m.uin = o.integer("Uin", Need::kRequired);
      m.name = o.text("Name");
      m.remark = o.text("Remark");
      m.join_time = o.time("JoinTime");
      page.members.push_back(std::move(m));
    });
  });
}

Result<NodeList> decode_node_list(std::string_view body) {
  return decode<NodeList>(body, 0, [](Object& r, NodeList& list) {
    r.each("Nodes", [&](Object& o) {
      Node n;
      n.node_id = o.integer("NodeId", Need::kRequired);
      n.name = o.text("Name");
      n.parent_node_id = o.integer("ParentNodeId");
      n.member_count = o.integer("MemberCount");
      list.nodes.push_back(std::move(n));
    });
  });
}

Result<IssuedCredentials> decode_sts_credentials(std::string_view body) {
  return decode<IssuedCredentials>(body, 0, [](Object& r, IssuedCredentials& out) {
    r.object("Credentials", [&](Object& credentials) { fill_issued(credentials, r, out); });
  });
}

Result<IssuedCredentials> decode_metadata_credentials(std::string_view body) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return decode_error("body is not JSON (" + std::to_string(body.size()) +
                        " bytes): " + excerpt(body));
  }
  if (!doc.is_object()) return decode_error("body: expected object, got " + kind_of(doc));
  std::optional<ApiError> error;
  Object root(doc, "metadata", error, 0);
  const std::string code = root.text("Code", Need::kRequired);
  if (error) return *error;
  if (code != "Success") {
    ApiError e;
    e.kind = ErrorKind::kApi;
    e.code = code;
    e.message = "instance metadata answered Code " + excerpt(code) + ", not Success";
    return e;
  }
  IssuedCredentials out;
  fill_issued(root, root, out);
  if (error) return *error;
  return out;
}

}  // namespace tcorg::api
