// Workload files (engine_runner.h), process memory, the variant names of the spanguard column, and
// the small helpers the engine programs share.
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bench/engine_runner.h"

namespace spanguard::bench {

Variant parse_variant(const std::string& name) {
    Variant v;
    v.name = name;
    if (name == "fp32") return v;
    if (name == "int8") {
        v.precision = core::Precision::kInt8;
        return v;
    }
    throw std::invalid_argument("unknown variant '" + name + "' (expected fp32 or int8)");
}

std::vector<std::string> Workload::request_texts(size_t r) const {
    if (mode == "batch") return texts;
    return {texts.at(r)};
}

std::vector<Workload> load_workloads(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot open the workload file");
    Json doc;
    try {
        doc = Json::parse(in);
    } catch (const Json::parse_error& e) {
        throw std::runtime_error(path + ": not JSON: " + e.what());
    }
    std::vector<Workload> out;
    if (!doc.contains("workloads") || !doc["workloads"].is_array())
        throw std::runtime_error(path + ": missing the array \"workloads\"");
    for (size_t i = 0; i < doc["workloads"].size(); ++i) {
        const Json& w = doc["workloads"][i];
        const std::string where = path + ": workloads[" + std::to_string(i) + "]";
        try {
            Workload x;
            x.name = w.at("name").get<std::string>();
            x.mode = w.at("mode").get<std::string>();
            if (x.mode != "single" && x.mode != "long" && x.mode != "batch")
                throw std::runtime_error("mode '" + x.mode + "' is not single, long or batch");
            x.schema = w.at("schema");
            x.texts = w.at("texts").get<std::vector<std::string>>();
            if (x.texts.empty()) throw std::runtime_error("no texts");
            x.reps = w.value("reps", size_t{1});
            x.batch_size = w.value("batch_size", size_t{8});
            x.threshold = w.value("threshold", 0.5);
            x.warmup = w.value("warmup", true);
            if (x.reps == 0 || x.batch_size == 0)
                throw std::runtime_error("reps and batch_size must be at least 1");
            out.push_back(std::move(x));
        } catch (const Json::exception& e) {
            throw std::runtime_error(where + ": " + e.what());
        } catch (const std::runtime_error& e) {
            throw std::runtime_error(where + ": " + e.what());
        }
    }
    return out;
}

std::optional<size_t> parse_count(const std::string& value) {
    if (value.empty() || value[0] == '-') return std::nullopt;
    size_t used = 0;
    unsigned long n = 0;
    try {
        n = std::stoul(value, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (used != value.size()) return std::nullopt;
    return n;
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream f(path);
    f << text << "\n";
    if (!f) throw std::runtime_error(path + ": write failed");
}

Json empty_samples(size_t requests) {
    Json out = Json::array();
    for (size_t r = 0; r < requests; ++r)
        out.push_back(Json::array());
    return out;
}

Json memory_usage() {
    // VmHWM is the peak resident set since the process started; VmRSS the current one.
    std::ifstream in("/proc/self/status");
    Json out = Json::object();
    std::string line;
    while (std::getline(in, line)) {
        for (const char* key : {"VmHWM", "VmRSS"}) {
            const std::string prefix = std::string(key) + ":";
            if (line.rfind(prefix, 0) != 0) continue;
            std::istringstream fields(line.substr(prefix.size()));
            long long kib = 0;
            fields >> kib;
            out[std::string(key) == "VmHWM" ? "peak_rss_bytes" : "rss_bytes"] = kib * 1024;
        }
    }
    return out;
}

}  // namespace spanguard::bench
