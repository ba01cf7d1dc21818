// Checkpoints are safetensors files (PyTorch users can read the weights with
// the safetensors package): parameters and BatchNorm buffers under their
// state_dict names, Adam moments under optimizer.exp_avg.<name> and
// optimizer.exp_avg_sq.<name>, and in the metadata the resolved config and
// the training state (epoch, Adam step, lr, scheduler, RNG, elapsed time).
// Written atomically, so a killed run leaves the previous checkpoint intact.
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/json.h"
#include "core/safetensors.h"
#include "train/trainer.h"

namespace gt {

namespace {

constexpr const char* kFormat = "gt-checkpoint-1";

Json state_to_json(const TrainState& s) {
  Json j = Json::object();
  j.set("epochs_done", s.epochs_done);
  j.set("adam_step", static_cast<long long>(s.adam_step));
  j.set("lr", s.lr);
  // best may be +inf before the first epoch; JSON has no infinity.
  j.set("scheduler_best", std::isfinite(s.scheduler.best) ? Json(s.scheduler.best) : Json("inf"));
  j.set("scheduler_num_bad_epochs", s.scheduler.num_bad_epochs);
  j.set("scheduler_cooldown_counter", s.scheduler.cooldown_counter);
  Json rng = Json::array();
  for (uint64_t w : s.rng_state) rng.push_back(std::to_string(w));  // uint64 as text
  j.set("rng_state", rng);
  j.set("elapsed_seconds", s.elapsed_seconds);
  return j;
}

void state_from_json(const Json& j, TrainState* s) {
  s->epochs_done = j.at("epochs_done").as_int();
  s->adam_step = j.at("adam_step").as_int64(0);
  s->lr = j.at("lr").as_double();
  const Json& best = j.at("scheduler_best");
  s->scheduler.best = best.is_string() ? INFINITY : best.as_double();
  s->scheduler.num_bad_epochs = j.at("scheduler_num_bad_epochs").as_int();
  s->scheduler.cooldown_counter = j.at("scheduler_cooldown_counter").as_int();
  const Json& rng = j.at("rng_state");
  if (rng.size() != 4) fail(rng.located("rng_state must have 4 words"));
  for (size_t i = 0; i < 4; ++i) s->rng_state[i] = std::stoull(rng[i].as_string());
  s->elapsed_seconds = j.at("elapsed_seconds").as_double();
}

void add_store(std::vector<TensorRef>* out, const TensorStore& store, const std::vector<float>& data,
               const std::string& prefix) {
  for (const auto& t : store.infos())
    out->push_back({prefix + t.name, DType::F32, t.shape, data.data() + t.offset});
}

void read_store(const SafetensorsFile& f, TensorStore* store, std::vector<float>* data,
                const std::string& prefix) {
  for (const auto& t : store->infos()) {
    const auto& e = f.get(prefix + t.name, DType::F32, t.shape);
    std::memcpy(data->data() + t.offset, e.f32(), t.size * sizeof(float));
  }
}

}  // namespace

void Trainer::save_checkpoint(const std::string& path) const {
  TrainState s = state_;
  s.rng_state = rng_.state();
  const TensorStore& P = model_.params();
  const TensorStore& B = model_.buffers();
  std::vector<TensorRef> tensors;
  add_store(&tensors, P, P.values(), "");
  add_store(&tensors, B, B.values(), "");
  add_store(&tensors, P, P.adam_m(), "optimizer.exp_avg.");
  add_store(&tensors, P, P.adam_v(), "optimizer.exp_avg_sq.");
  std::map<std::string, std::string> meta;
  meta["format"] = kFormat;
  meta["config"] = config_to_json(config_).dump();
  meta["state"] = state_to_json(s).dump();
  meta["data_info"] = data_info_to_json(data_.info).dump();
  write_safetensors(path, tensors, meta);
}

void Trainer::load_checkpoint(const std::string& path) {
  const SafetensorsFile f = SafetensorsFile::read(path);
  const auto& meta = f.metadata();
  auto it = meta.find("format");
  if (it == meta.end() || it->second != kFormat)
    fail(path + ": not a gt checkpoint (metadata \"format\" is not " + kFormat + ")");
  TensorStore& P = model_.params();
  TensorStore& B = model_.buffers();
  read_store(f, &P, &P.values(), "");
  read_store(f, &B, &B.values(), "");
  read_store(f, &P, &P.adam_m(), "optimizer.exp_avg.");
  read_store(f, &P, &P.adam_v(), "optimizer.exp_avg_sq.");
  state_from_json(Json::parse(meta.at("state"), path + " (metadata \"state\")"), &state_);
  rng_.set_state(state_.rng_state);
}

// The config stored in a checkpoint (to rebuild the model before loading it).
Config checkpoint_config(const std::string& path) {
  const SafetensorsFile f = SafetensorsFile::read(path);
  auto it = f.metadata().find("config");
  if (it == f.metadata().end()) fail(path + ": checkpoint has no \"config\" metadata");
  return config_from_json(Json::parse(it->second, path + " (metadata \"config\")"), path);
}

// The data info stored in a checkpoint; checkpoints written before it was
// stored hold a benchmark, whose info is fixed.
DataInfo checkpoint_data_info(const std::string& path) {
  const SafetensorsFile f = SafetensorsFile::read(path);
  auto it = f.metadata().find("data_info");
  if (it == f.metadata().end()) return benchmark_info(checkpoint_config(path).dataset);
  return data_info_from_json(Json::parse(it->second, path + " (metadata \"data_info\")"), path);
}

}  // namespace gt
