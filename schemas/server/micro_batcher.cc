#include "schemas/server/micro_batcher.h"

#include <algorithm>
#include <exception>

namespace spanguard::schemas::server {

MicroBatcher::MicroBatcher(Options options, BatchObserver observer)
    : options_(options), observer_(std::move(observer)), dispatcher_([this] { dispatch(); }) {}

MicroBatcher::~MicroBatcher() {
    stop();
}

MicroBatcher::Ticket MicroBatcher::submit(const std::string& group, Runner runner, Json input,
                                          size_t length) {
    auto job = std::make_unique<Job>();
    job->group = group;
    job->runner = std::move(runner);
    job->input = std::move(input);
    job->length = length;
    job->arrived = std::chrono::steady_clock::now();
    job->abandoned = std::make_shared<std::atomic<bool>>(false);
    Ticket ticket{job->promise.get_future(), job->abandoned};
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) throw std::logic_error("the service is shutting down");
        if (queue_.size() >= options_.capacity) {
            throw QueueFull("the request queue is full (" + std::to_string(options_.capacity) +
                            " waiting)");
        }
        queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return ticket;
}

size_t MicroBatcher::depth() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
}

void MicroBatcher::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (dispatcher_.joinable()) dispatcher_.join();
}

void MicroBatcher::dispatch() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping with nothing left
        const std::string group = queue_.front()->group;
        const auto deadline = queue_.front()->arrived + options_.max_wait;
        auto count_group = [&] {
            return static_cast<size_t>(std::count_if(
                queue_.begin(), queue_.end(), [&](const auto& j) { return j->group == group; }));
        };
        // Wait for company until the oldest job's deadline (not when shutting down).
        while (!stopping_ && count_group() < options_.max_batch &&
               std::chrono::steady_clock::now() < deadline) {
            wake_.wait_until(lock, deadline);
        }
        std::vector<std::unique_ptr<Job>> batch;
        for (auto it = queue_.begin(); it != queue_.end() && batch.size() < options_.max_batch;) {
            if ((*it)->group == group) {
                batch.push_back(std::move(*it));
                it = queue_.erase(it);
            } else {
                ++it;
            }
        }
        lock.unlock();
        run(batch);
        lock.lock();
    }
}

void MicroBatcher::run(std::vector<std::unique_ptr<Job>>& jobs) {
    jobs.erase(std::remove_if(jobs.begin(), jobs.end(),
                              [](const auto& j) {
                                  if (!j->abandoned->load()) return false;
                                  j->promise.set_exception(std::make_exception_ptr(
                                      std::runtime_error("abandoned before it started")));
                                  return true;
                              }),
               jobs.end());
    if (jobs.empty()) return;
    std::stable_sort(jobs.begin(), jobs.end(),
                     [](const auto& a, const auto& b) { return a->length < b->length; });
    std::vector<Json> inputs;
    inputs.reserve(jobs.size());
    for (const auto& j : jobs)
        inputs.push_back(j->input);
    if (observer_) observer_(jobs.size());
    try {
        std::vector<Json> results = jobs.front()->runner(inputs);
        if (results.size() != jobs.size()) throw std::logic_error("batch runner lost results");
        for (size_t i = 0; i < jobs.size(); ++i)
            jobs[i]->promise.set_value(std::move(results[i]));
        return;
    } catch (const std::exception&) {
        if (jobs.size() == 1) {
            jobs.front()->promise.set_exception(std::current_exception());
            return;
        }
    }
    for (const auto& j : jobs) {
        try {
            j->promise.set_value(std::move(j->runner({j->input}).at(0)));
        } catch (...) {
            j->promise.set_exception(std::current_exception());
        }
    }
}

}  // namespace spanguard::schemas::server
