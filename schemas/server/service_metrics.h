// The service's counters in Prometheus' text format (/metrics): requests by endpoint and status,
// request latency histograms by endpoint, encoder batch sizes, and the queue depth.
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace spanguard::schemas::server {

class ServiceMetrics {
  public:
    // `queue_depth` is read when the text is rendered.
    explicit ServiceMetrics(std::function<size_t()> queue_depth);

    void request(const std::string& endpoint, int status, double seconds);
    void batch(size_t size);
    std::string prometheus_text() const;

  private:
    struct Histogram {
        std::vector<double> bounds;
        std::vector<unsigned long long> counts;  // per bound, plus +Inf
        double sum = 0;
        unsigned long long total = 0;
        void observe(double value);
    };
    std::function<size_t()> queue_depth_;
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, unsigned long long> requests_;
    std::map<std::string, Histogram> latency_;
    Histogram batch_sizes_;
};

}  // namespace spanguard::schemas::server
