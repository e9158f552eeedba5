#include "schemas/server/service_metrics.h"

#include <cstdio>

namespace spanguard::schemas::server {
namespace {

const std::vector<double> kLatencyBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                            0.5,   1.0,  2.5,   5.0,  10.0};
const std::vector<double> kBatchBounds = {1, 2, 4, 8, 16, 32, 64};

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", value);
    return text;
}

}  // namespace

void ServiceMetrics::Histogram::observe(double value) {
    if (counts.empty()) counts.assign(bounds.size() + 1, 0);
    size_t i = 0;
    while (i < bounds.size() && value > bounds[i])
        ++i;
    ++counts[i];
    sum += value;
    ++total;
}

ServiceMetrics::ServiceMetrics(std::function<size_t()> queue_depth)
    : queue_depth_(std::move(queue_depth)) {
    batch_sizes_.bounds = kBatchBounds;
}

void ServiceMetrics::request(const std::string& endpoint, int status, double seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requests_[{endpoint, status}];
    Histogram& h = latency_[endpoint];
    if (h.bounds.empty()) h.bounds = kLatencyBounds;
    h.observe(seconds);
}

void ServiceMetrics::batch(size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    batch_sizes_.observe(static_cast<double>(size));
}

std::string ServiceMetrics::prometheus_text() const {
    const size_t depth = queue_depth_ ? queue_depth_() : 0;
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    out += "# HELP spanguard_requests_total HTTP requests by endpoint and status.\n";
    out += "# TYPE spanguard_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
        out += "spanguard_requests_total{endpoint=\"" + key.first + "\",status=\"" +
               std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
    }
    auto histogram = [&out](const std::string& name, const std::string& labels,
                            const Histogram& h) {
        unsigned long long cumulative = 0;
        const std::string sep = labels.empty() ? "" : ",";
        for (size_t i = 0; i < h.bounds.size(); ++i) {
            cumulative += h.counts.empty() ? 0 : h.counts[i];
            out += name + "_bucket{" + labels + sep + "le=\"" + number(h.bounds[i]) + "\"} " +
                   std::to_string(cumulative) + "\n";
        }
        out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(h.total) + "\n";
        const std::string braces = labels.empty() ? "" : "{" + labels + "}";
        out += name + "_sum" + braces + " " + number(h.sum) + "\n";
        out += name + "_count" + braces + " " + std::to_string(h.total) + "\n";
    };
    out += "# HELP spanguard_request_duration_seconds Time from request to response.\n";
    out += "# TYPE spanguard_request_duration_seconds histogram\n";
    for (const auto& [endpoint, h] : latency_)
        histogram("spanguard_request_duration_seconds", "endpoint=\"" + endpoint + "\"", h);
    out += "# HELP spanguard_batch_size Requests per encoder batch.\n";
    out += "# TYPE spanguard_batch_size histogram\n";
    histogram("spanguard_batch_size", "", batch_sizes_);
    out += "# HELP spanguard_queue_depth Requests waiting for the encoder.\n";
    out += "# TYPE spanguard_queue_depth gauge\n";
    out += "spanguard_queue_depth " + std::to_string(depth) + "\n";
    return out;
}

}  // namespace spanguard::schemas::server
