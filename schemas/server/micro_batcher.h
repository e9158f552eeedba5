// Dynamic micro-batching for the HTTP service: requests that arrive close together and can share
// an encoder call (same group key: same kind of work and same options) are run as one batch.
//
// One dispatcher thread takes the oldest queued job, waits until `max_wait` has passed since that
// job arrived or `max_batch` jobs of its group are queued, and runs the group's jobs (at most
// max_batch, shortest first) through the group's runner in one call; the engine itself spreads
// that call over every core, so batches run one at a time. When a batch call throws, its jobs
// are run one by one so one bad input fails only its own request.
//
// The queue is bounded: submit() throws QueueFull beyond `capacity` jobs (the service answers 429).
// A job whose caller stopped waiting (timeout, disconnect) is skipped if it has not started.
// Thread safety: submit(), depth() and stop() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "schemas/schema/json_values.h"

namespace spanguard::schemas::server {

class QueueFull : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class MicroBatcher {
  public:
    struct Options {
        size_t max_batch = 16;
        std::chrono::microseconds max_wait{std::chrono::milliseconds(5)};
        size_t capacity = 512;
    };
    // One result per input, in order; may throw (then each input is retried alone).
    using Runner = std::function<std::vector<Json>(const std::vector<Json>& inputs)>;
    // Called after every batch with its size.
    using BatchObserver = std::function<void(size_t size)>;

    struct Ticket {
        std::future<Json> result;
        std::shared_ptr<std::atomic<bool>> abandoned;  // set it to skip a job not yet started
    };

    MicroBatcher(Options options, BatchObserver observer);
    ~MicroBatcher();
    MicroBatcher(const MicroBatcher&) = delete;
    MicroBatcher& operator=(const MicroBatcher&) = delete;

    // `length` orders a batch (similar lengths pad least). Throws QueueFull, or std::logic_error
    // after stop().
    Ticket submit(const std::string& group, Runner runner, Json input, size_t length);

    size_t depth() const;
    // Runs every queued job, then ends the dispatcher.
    void stop();

  private:
    struct Job {
        std::string group;
        Runner runner;
        Json input;
        size_t length = 0;
        std::chrono::steady_clock::time_point arrived;
        std::promise<Json> promise;
        std::shared_ptr<std::atomic<bool>> abandoned;
    };
    void dispatch();
    void run(std::vector<std::unique_ptr<Job>>& jobs);

    Options options_;
    BatchObserver observer_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::unique_ptr<Job>> queue_;
    bool stopping_ = false;
    std::thread dispatcher_;
};

}  // namespace spanguard::schemas::server
