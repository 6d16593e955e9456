// checkers/linearizability/jepsen_history.cc — see jepsen_history.h.

#include "checkers/linearizability/jepsen_history.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "checkers/linearizability/edn.h"

namespace raftsim::checkers {
namespace {

enum class Form { kUndecided, kPlain, kTuple };
enum class TimeMode { kUndecided, kNanoseconds, kPosition };

// A process's invoke that has not completed yet.
struct Pending {
  size_t slot = 0;  // Index into Converter::ops_.
  std::string f;
  std::string key;
  int line = 0;
  int column = 0;
};

std::string Where(const EdnValue& v) {
  return absl::StrCat(v.line, ":", v.column);
}

std::string Found(const EdnValue& v) {
  if (v.type == EdnType::kNil) return "nil";
  if (v.type == EdnType::kVector || v.type == EdnType::kList ||
      v.type == EdnType::kMap || v.type == EdnType::kSet ||
      v.type == EdnType::kTagged || v.type == EdnType::kKeyword) {
    return DescribeEdn(v);
  }
  return absl::StrCat(EdnTypeName(v.type), " ", DescribeEdn(v));
}

bool IsPair(const EdnValue& v) {
  return v.type == EdnType::kVector && v.items.size() == 2;
}

class Converter {
 public:
  explicit Converter(absl::string_view filename) : filename_(filename) {}

  absl::StatusOr<History> Run(const std::vector<EdnValue>& forms) {
    const std::vector<EdnValue>* ops = &forms;
    if (forms.size() == 1 && (forms[0].type == EdnType::kVector ||
                              forms[0].type == EdnType::kList)) {
      ops = &forms[0].items;  // One wrapping vector of operations.
    }
    for (size_t i = 0; i < ops->size(); ++i) {
      absl::Status s = Op((*ops)[i], static_cast<int64_t>(i));
      if (!s.ok()) return s;
    }
    History history;
    for (size_t slot = 0; slot < ops_.size(); ++slot) {
      if (!ops_[slot].has_value()) continue;
      absl::Status valid = ValidateOperation(*ops_[slot]);
      if (!valid.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(filename_, ":", where_[slot], ": ", valid.message()));
      }
      history.push_back(*std::move(ops_[slot]));
    }
    return history;
  }

 private:
  absl::Status Error(const EdnValue& at, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(filename_, ":", Where(at), ": ", what));
  }
  absl::Status Missing(const EdnValue& map, absl::string_view key) const {
    return Error(
        map, absl::StrCat("expected key :", key, ", found a map without it"));
  }

  // An integer, a string or nil (the initial value) as register text.
  absl::StatusOr<std::string> Scalar(const EdnValue& v,
                                     absl::string_view what) const {
    switch (v.type) {
      case EdnType::kNil:
        return std::string();
      case EdnType::kInt:
        return absl::StrCat(v.integer);
      case EdnType::kString:
        return v.text;
      default:
        return Error(v, absl::StrCat("expected ", what,
                                     " to be an integer, a string or nil, "
                                     "found ",
                                     Found(v)));
    }
  }

  absl::StatusOr<std::string> Key(const EdnValue& v) const {
    switch (v.type) {
      case EdnType::kInt:
        return absl::StrCat(v.integer);
      case EdnType::kString:
        return v.text;
      case EdnType::kKeyword:
        return FormatEdn(v);
      default:
        return Error(v, absl::StrCat("expected a key (an integer, a string or "
                                     "a keyword), found ",
                                     Found(v)));
    }
  }

  // Splits a :value into key and plain value according to the file's form
  // (deciding it on the first call). `f` and `type` name the operation.
  absl::StatusOr<std::pair<std::string, const EdnValue*>> Split(
      const EdnValue& value, absl::string_view f, absl::string_view type) {
    if (form_ == Form::kUndecided) {
      const bool tuple =
          IsPair(value) && (f != "cas" || IsPair(value.items[1]));
      form_ = tuple ? Form::kTuple : Form::kPlain;
    }
    if (form_ == Form::kPlain) return std::make_pair(std::string(), &value);
    if (!IsPair(value)) {
      return Error(value, absl::StrCat("expected the :", f, " :", type,
                                       "'s :value to be a [key value] tuple "
                                       "(jepsen.independent, like the first "
                                       "operation's), found ",
                                       Found(value)));
    }
    absl::StatusOr<std::string> key = Key(value.items[0]);
    if (!key.ok()) return key.status();
    return std::make_pair(*std::move(key), &value.items[1]);
  }

  absl::StatusOr<int64_t> Time(const EdnValue& map, int64_t position) {
    const EdnValue* time = map.Find("time");
    if (time_mode_ == TimeMode::kUndecided) {
      time_mode_ =
          time != nullptr ? TimeMode::kNanoseconds : TimeMode::kPosition;
    }
    if (time_mode_ == TimeMode::kPosition) {
      if (time != nullptr) {
        return Error(*time,
                     "expected no :time (the first operation has none, so "
                     "times are positions), found :time");
      }
      return position;
    }
    if (time == nullptr) {
      return Error(map,
                   "expected key :time (the first operation has one), found "
                   "a map without it");
    }
    if (time->type != EdnType::kInt) {
      return Error(*time, absl::StrCat("expected :time to be an integer "
                                       "(nanoseconds), found ",
                                       Found(*time)));
    }
    return time->integer;
  }

  absl::Status Op(const EdnValue& map, int64_t position);
  absl::Status Invoke(const EdnValue& map, int64_t process,
                      const std::string& f, int64_t time);
  absl::Status Complete(const EdnValue& map, int64_t process,
                        const std::string& type, const EdnValue& f_value,
                        int64_t time);

  absl::string_view filename_;
  Form form_ = Form::kUndecided;
  TimeMode time_mode_ = TimeMode::kUndecided;
  // One slot per invoke, in invoke order; reset when the op failed.
  std::vector<std::optional<Operation>> ops_;
  std::vector<std::string> where_;  // LINE:COL of each slot's invoke.
  absl::flat_hash_map<int64_t, Pending> pending_;
};

absl::Status Converter::Op(const EdnValue& map, int64_t position) {
  if (map.type != EdnType::kMap) {
    return Error(map, absl::StrCat("expected an operation map, found ",
                                   EdnTypeName(map.type)));
  }
  const EdnValue* process = map.Find("process");
  if (process == nullptr) return Missing(map, "process");
  if (process->type == EdnType::kKeyword) return absl::OkStatus();  // Nemesis.
  if (process->type != EdnType::kInt) {
    return Error(*process,
                 absl::StrCat("expected :process to be an integer (a client) "
                              "or a keyword (such as :nemesis), found ",
                              Found(*process)));
  }
  const EdnValue* type = map.Find("type");
  if (type == nullptr) return Missing(map, "type");
  if (!type->is_keyword("invoke") && !type->is_keyword("ok") &&
      !type->is_keyword("fail") && !type->is_keyword("info")) {
    return Error(*type, absl::StrCat("expected :type to be :invoke, :ok, "
                                     ":fail or :info, found ",
                                     Found(*type)));
  }
  const EdnValue* f = map.Find("f");
  if (f == nullptr) return Missing(map, "f");
  if (!f->is_keyword("read") && !f->is_keyword("write") &&
      !f->is_keyword("cas")) {
    return Error(*f, absl::StrCat("expected :f to be :read, :write or :cas, "
                                  "found ",
                                  Found(*f)));
  }
  absl::StatusOr<int64_t> time = Time(map, position);
  if (!time.ok()) return time.status();
  if (type->text == "invoke") {
    return Invoke(map, process->integer, f->text, *time);
  }
  return Complete(map, process->integer, type->text, *f, *time);
}

absl::Status Converter::Invoke(const EdnValue& map, int64_t process,
                               const std::string& f, int64_t time) {
  if (auto it = pending_.find(process); it != pending_.end()) {
    return Error(map,
                 absl::StrCat("expected a completion of process ", process,
                              "'s :invoke at ", it->second.line, ":",
                              it->second.column, ", found another :invoke"));
  }
  const EdnValue* value = map.Find("value");
  if (value == nullptr) return Missing(map, "value");
  absl::StatusOr<std::pair<std::string, const EdnValue*>> split =
      Split(*value, f, "invoke");
  if (!split.ok()) return split.status();
  const EdnValue& plain = *split->second;
  Operation op;
  op.client = process;
  op.key = split->first;
  op.call_ns = time;
  if (f == "read") {
    op.kind = OpKind::kGet;
    if (plain.type != EdnType::kNil) {
      return Error(plain, absl::StrCat("expected a :read :invoke's value to "
                                       "be nil, found ",
                                       Found(plain)));
    }
  } else if (f == "write") {
    op.kind = OpKind::kPut;
    absl::StatusOr<std::string> v = Scalar(plain, "the :write's value");
    if (!v.ok()) return v.status();
    op.value = *std::move(v);
  } else {
    op.kind = OpKind::kCas;
    if (!IsPair(plain)) {
      return Error(plain, absl::StrCat("expected a :cas value to be "
                                       "[old new], found ",
                                       Found(plain)));
    }
    absl::StatusOr<std::string> old_value =
        Scalar(plain.items[0], "the :cas's old value");
    if (!old_value.ok()) return old_value.status();
    absl::StatusOr<std::string> new_value =
        Scalar(plain.items[1], "the :cas's new value");
    if (!new_value.ok()) return new_value.status();
    op.expected = *std::move(old_value);
    op.value = *std::move(new_value);
  }
  pending_[process] = {ops_.size(), f, op.key, map.line, map.column};
  ops_.push_back(std::move(op));
  where_.push_back(Where(map));
  return absl::OkStatus();
}

absl::Status Converter::Complete(const EdnValue& map, int64_t process,
                                 const std::string& type,
                                 const EdnValue& f_value, int64_t time) {
  auto it = pending_.find(process);
  if (it == pending_.end()) {
    return Error(map,
                 absl::StrCat("expected an :invoke from process ", process,
                              " before this :", type, ", found none pending"));
  }
  const Pending pending = it->second;
  if (f_value.text != pending.f) {
    return Error(f_value,
                 absl::StrCat("expected :f :", pending.f, " like process ",
                              process, "'s pending :invoke at ", pending.line,
                              ":", pending.column, ", found ", Found(f_value)));
  }
  Operation& op = *ops_[pending.slot];
  if (time < op.call_ns) {
    return Error(*map.Find("time"),
                 absl::StrCat("expected :time >= ", op.call_ns,
                              " (its :invoke's), found ", time));
  }
  pending_.erase(it);
  if (type == "fail") {
    ops_[pending.slot].reset();  // Definitely did not happen.
    return absl::OkStatus();
  }
  if (type == "info") return absl::OkStatus();  // Unknown outcome.
  op.return_ns = time;
  if (op.kind == OpKind::kCas) {
    op.output = true;
  } else if (op.kind == OpKind::kGet) {
    const EdnValue* value = map.Find("value");
    if (value == nullptr) return Missing(map, "value");
    absl::StatusOr<std::pair<std::string, const EdnValue*>> split =
        Split(*value, "read", "ok");
    if (!split.ok()) return split.status();
    if (split->first != pending.key) {
      return Error(value->items[0],
                   absl::StrCat("expected the key ", pending.key,
                                " of the :invoke at ", pending.line, ":",
                                pending.column, ", found ", split->first));
    }
    absl::StatusOr<std::string> read =
        Scalar(*split->second, "the :read's value");
    if (!read.ok()) return read.status();
    op.output = *std::move(read);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<History> ParseJepsenEdnHistory(absl::string_view text,
                                              absl::string_view filename) {
  absl::StatusOr<std::vector<EdnValue>> forms = ParseEdn(text);
  if (!forms.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(filename, ":", forms.status().message()));
  }
  return Converter(filename).Run(*forms);
}

}  // namespace raftsim::checkers
