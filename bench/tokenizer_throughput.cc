// Tokenizer throughput: spanguard's Tokenizer against the SentencePiece library (C++ API) on the
// same strings, single-threaded, with an id-by-id agreement check on every string.
//
//   bench_tokenizer [--model spm.model] [--corpus FILE.jsonl | --builtin] [--reps N]
//                   [--show-mismatches N]
//
// --corpus reads one JSON object per line and tokenises its "text" field (for example the output
// of tests/python/corpus.py); --builtin (the default) uses English prose compiled into this file.
// Each library tokenises the whole corpus `reps` times after a warm-up pass; the table gives the
// median and best repetition in MB/s (input UTF-8 bytes) and strings/s, and the
// spanguard/sentencepiece ratios. Times are the benchmark thread's CPU time, so that other load on
// a shared machine does not count (on an idle machine it equals wall time). A third row times
// spanguard's Unigram search alone on the normalised segments (taken from the SentencePiece
// library's output), which shows how the time splits between normalisation and search. Exit status
// 1 when any string's ids differ.
#include <sentencepiece_processor.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "tokenizer/tokenizer.h"
#include "tokenizer/unigram_model.h"

namespace {

// CPU time of the calling thread, in seconds.
double thread_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}
namespace tk = spanguard::tokenizer;

// Original English prose (written for this benchmark); strings are built from 1-4 consecutive
// sentences so that lengths vary like paragraphs of ordinary text.
const char* const kProse[] = {
    "The committee met on a grey Tuesday morning to review the budget for the coming year.",
    "Most of the members arrived early, carrying coffee and thick folders of printed reports.",
    "Dr. Eleanor Whitfield, who had chaired the group since 2019, opened with a short summary.",
    "Revenue had grown by 4.7% while costs, driven mostly by energy prices, rose nearly twice as "
    "fast.",
    "\"We cannot keep postponing the maintenance of the old library building,\" she said.",
    "A younger colleague asked whether the city's new grant programme could cover part of the "
    "work.",
    "Nobody was sure; the application deadline had already passed in March, and the rules were "
    "strict.",
    "After lunch the discussion turned to staffing, which proved far more contentious.",
    "Three positions had been vacant for over six months, and the remaining staff were exhausted.",
    "The treasurer proposed hiring two part-time assistants instead of one full-time coordinator.",
    "Some members worried that part-time contracts would make it even harder to keep good people.",
    "Others pointed out that the local university had a steady supply of eager graduate students.",
    "By four o'clock they had agreed on a compromise and a timeline for the recruitment process.",
    "Outside, the rain had stopped and the streets of the old town shone under the street lamps.",
    "She walked home along the river, past the bakery where she used to buy bread as a child.",
    "The owner, a cheerful man named Marco, waved at her through the fogged-up window.",
    "At home she made tea, read the news, and wrote a long e-mail to her sister in Montreal.",
    "Her sister worked as an engineer for a company that designed wind turbines for offshore "
    "farms.",
    "They had not seen each other since the summer, when the whole family gathered at the lake.",
    "Those two weeks felt like a distant dream now: swimming at dawn, long dinners, endless talk.",
    "In the evening the wind picked up again and rattled the shutters of the narrow house.",
    "She fell asleep on the sofa with an unfinished crossword puzzle resting on her knees.",
    "The next day began with a phone call from the mayor's office about the library proposal.",
    "Apparently a private foundation had expressed interest in funding the restoration work.",
    "Negotiations would take months, but for the first time in years there was real hope.",
    "Meanwhile, the children's section reported record attendance at its Saturday reading hour.",
    "Volunteers read stories aloud, helped with homework, and taught basic computer skills.",
    "One retired teacher, Mr. Okafor, had not missed a single Saturday in eleven years.",
    "When asked why, he simply smiled and said that the children kept him young.",
    "The annual report, published in December, described the year as difficult but hopeful.",
};

std::vector<std::string> builtin_corpus() {
    const size_t n = sizeof(kProse) / sizeof(kProse[0]);
    std::vector<std::string> out;
    for (size_t rep = 0; rep < 80; ++rep) {
        for (size_t i = 0; i < n; ++i) {
            const size_t count = 1 + (i * 7 + rep * 3) % 4;
            std::string s;
            for (size_t k = 0; k < count; ++k) {
                if (k) s += ' ';
                s += kProse[(i + k + rep) % n];
            }
            out.push_back(std::move(s));
        }
    }
    return out;
}

std::vector<std::string> jsonl_corpus(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open corpus '" + path + "'");
    std::vector<std::string> out;
    std::string line;
    size_t line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const auto record = nlohmann::json::parse(line, nullptr, false);
        if (record.is_discarded() || !record.is_object() || !record.contains("text") ||
            !record["text"].is_string()) {
            throw std::runtime_error(path + ":" + std::to_string(line_no) +
                                     ": expected a JSON object with a string field \"text\"");
        }
        out.push_back(record["text"].get<std::string>());
    }
    return out;
}

struct Timing {
    double median_s;
    double best_s;
};

// Runs `pass` (one pass over the corpus) `reps` times after one warm-up pass.
Timing time_passes(int reps, const std::function<void()>& pass) {
    pass();
    std::vector<double> seconds;
    for (int r = 0; r < reps; ++r) {
        const double t0 = thread_seconds();
        pass();
        seconds.push_back(thread_seconds() - t0);
    }
    std::sort(seconds.begin(), seconds.end());
    return {seconds[seconds.size() / 2], seconds.front()};
}

void print_row(const char* name, const Timing& t, double megabytes, size_t strings) {
    std::printf("%-34s %10.2f %10.2f %12.0f %12.0f\n", name, megabytes / t.median_s,
                megabytes / t.best_s, static_cast<double>(strings) / t.median_s,
                static_cast<double>(strings) / t.best_s);
}

// The normalised text SentencePiece tokenised: its pieces concatenated, byte pieces as bytes.
std::string normalised(const sentencepiece::SentencePieceProcessor& sp, const std::string& s) {
    std::string out;
    const auto encoded = sp.EncodeAsImmutableProto(s);  // owns what pieces() point into
    for (const auto& p : encoded.pieces()) {
        if (sp.IsByte(p.id())) {
            out.push_back(static_cast<char>(std::stoi(p.piece().substr(3, 2), nullptr, 16)));
        } else {
            out += p.piece();
        }
    }
    return out;
}

// spanguard's UnigramModel over the SentencePiece library's vocabulary (no user-defined pieces in
// the models this is meant for; they would be treated as normal here).
tk::UnigramModel unigram_from(const sentencepiece::SentencePieceProcessor& sp) {
    std::vector<tk::Piece> pieces;
    int32_t unk = -1;
    bool bytes = false;
    for (int id = 0; id < sp.GetPieceSize(); ++id) {
        tk::PieceType type = tk::PieceType::kNormal;
        if (sp.IsUnknown(id)) {
            type = tk::PieceType::kUnknown;
            unk = id;
        } else if (sp.IsControl(id)) {
            type = tk::PieceType::kControl;
        } else if (sp.IsUnused(id)) {
            type = tk::PieceType::kUnused;
        } else if (sp.IsByte(id)) {
            type = tk::PieceType::kByte;
            bytes = true;
        }
        pieces.push_back({sp.IdToPiece(id), sp.GetScore(id), type});
    }
    return tk::UnigramModel(std::move(pieces), unk, bytes,
                            tk::UnigramModel::Matching::kSentencePiece);
}

std::string ids_text(const std::vector<int>& ids) {
    std::string s;
    for (int id : ids) {
        s += std::to_string(id) + " ";
    }
    return s;
}

int run(int argc, char** argv) {
    std::string model = SPANGUARD_DEFAULT_SPM_MODEL;
    std::string corpus_path;
    int reps = 10;
    size_t show = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--model") {
            model = value();
        } else if (arg == "--corpus") {
            corpus_path = value();
        } else if (arg == "--builtin") {
            corpus_path.clear();
        } else if (arg == "--reps") {
            reps = std::max(1, std::stoi(value()));
        } else if (arg == "--show-mismatches") {
            show = static_cast<size_t>(std::stoul(value()));
        } else {
            throw std::runtime_error("unknown argument '" + arg +
                                     "' (see the comment at the top of tokenizer_throughput.cc)");
        }
    }
    const std::vector<std::string> corpus =
        corpus_path.empty() ? builtin_corpus() : jsonl_corpus(corpus_path);
    size_t bytes = 0;
    for (const auto& s : corpus) {
        bytes += s.size();
    }
    const double megabytes = static_cast<double>(bytes) / 1e6;

    double t0 = thread_seconds();
    const tk::Tokenizer ours = tk::Tokenizer::from_file(model);
    const double our_load = thread_seconds() - t0;
    sentencepiece::SentencePieceProcessor sp;
    t0 = thread_seconds();
    const auto status = sp.Load(model);
    const double sp_load = thread_seconds() - t0;
    if (!status.ok()) throw std::runtime_error("sentencepiece cannot load " + model);

    // Agreement, string by string.
    size_t mismatches = 0;
    for (const auto& s : corpus) {
        const std::vector<int32_t> a = ours.encode_ids(s);
        const std::vector<int> b = sp.EncodeAsIds(s);
        if (!std::equal(a.begin(), a.end(), b.begin(), b.end())) {
            if (++mismatches <= show) {
                std::printf("MISMATCH %s\n  spanguard:     %s\n  sentencepiece: %s\n",
                            nlohmann::json(s).dump().c_str(),
                            ids_text(std::vector<int>(a.begin(), a.end())).c_str(),
                            ids_text(b).c_str());
            }
        }
    }

    std::vector<std::string> segments;
    segments.reserve(corpus.size());
    for (const auto& s : corpus) {
        segments.push_back(normalised(sp, s));
    }
    const tk::UnigramModel unigram = unigram_from(sp);
    size_t segment_bytes = 0;
    for (const auto& s : segments) {
        segment_bytes += s.size();
    }

    size_t sink = 0;
    std::vector<int> sp_ids;
    const Timing sp_time = time_passes(reps, [&] {
        for (const auto& s : corpus) {
            sp.Encode(s, &sp_ids).IgnoreError();
            sink += sp_ids.size();
        }
    });
    const Timing our_time = time_passes(reps, [&] {
        for (const auto& s : corpus) {
            sink += ours.encode(s).ids.size();
        }
    });
    const Timing search_time = time_passes(reps, [&] {
        for (const auto& s : segments) {
            sink += unigram.encode(s).size();
        }
    });

    std::printf("corpus: %s, %zu strings, %.2f MB; %d repetitions, 1 thread\n",
                corpus_path.empty() ? "built-in English prose" : corpus_path.c_str(), corpus.size(),
                megabytes, reps);
    std::printf("model: %s; load: spanguard %.3f s, sentencepiece %.3f s\n", model.c_str(),
                our_load, sp_load);
    std::printf("%-34s %10s %10s %12s %12s\n", "", "MB/s med", "MB/s best", "strings/s med",
                "strings/s best");
    print_row("sentencepiece 0.1.97 (EncodeAsIds)", sp_time, megabytes, corpus.size());
    print_row("spanguard Tokenizer::encode", our_time, megabytes, corpus.size());
    std::printf("%-34s %10.2fx %9.2fx\n", "ratio spanguard / sentencepiece",
                sp_time.median_s / our_time.median_s, sp_time.best_s / our_time.best_s);
    print_row("spanguard Unigram search only [1]", search_time, megabytes, corpus.size());
    std::printf(
        "[1] UnigramModel::encode on the %.2f MB of normalised segments; MB/s counted on the "
        "original input size so that times compare directly (%.0f%% of Tokenizer::encode)\n",
        static_cast<double>(segment_bytes) / 1e6, 100.0 * search_time.median_s / our_time.median_s);
    std::printf("ids: %zu/%zu strings identical (%zu mismatches)\n", corpus.size() - mismatches,
                corpus.size(), mismatches);
    if (sink == 0) std::printf("(empty corpus)\n");
    return mismatches == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_tokenizer: %s\n", e.what());
        return 2;
    }
}
