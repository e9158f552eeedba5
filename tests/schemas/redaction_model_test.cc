// redact / redact_batch with a model (schemas/redaction/redaction.h), on the random-weight parity
// checkpoint: the redacted spans are exactly what Model::extract_long reports above the threshold,
// after the overlap rules; batches equal single calls; blank texts are left alone; bad input is
// named.
#include <gtest/gtest.h>

#include "redaction_test_support.h"
#include "schemas/model.h"
#include "schemas/prompt/text_windows.h"
#include "schemas/redaction/pii_entity_types.h"
#include "schemas/redaction/redaction.h"
#include "schemas/schema/request_error.h"
#include "schemas/schema/schema_parser.h"
#include "shared_fixtures.h"
#include "tokenizer/utf8.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(RedactModelTest);

namespace spanguard::schemas {
namespace {

using testing::request_error_message;

const Model& parity_model() {
    static const Model model =
        Model::load(spanguard::testing::shared_dir() + "/reference/parity/tiny_count_lstm_v2");
    return model;
}

// Random weights put probabilities around 0.5; 0.3 gives a handful of spans per text.
constexpr double kThreshold = 0.3;

std::vector<std::string> texts() {
    std::string long_text;
    for (int i = 0; i < 40; ++i) {
        long_text += "Contact Maria García at maria.garcia@example.es or 10.0.0." +
                     std::to_string(i) + " in Zürich. ";
    }
    return {"Tim Cook wrote to jo@example.org from Cupertino",
            "Ünïcödé naïve café — 東京で山田太郎に会いましょう 😀 mail: taro@example.jp!",
            long_text};
}

RedactRequest request() {
    RedactRequest r;
    r.labels = {"person", "email", "city", "ip_address"};
    r.threshold = kThreshold;
    r.include_original = true;
    // The model alone, in extract_long's windows, so reported_spans() is the reference.
    r.use_patterns = false;
    r.chunk_size = schemas::kDefaultChunkSize;
    r.chunk_overlap = schemas::kDefaultChunkOverlap;
    return r;
}

// Rule 1 of redaction.h written out on its own: canonical types, then neighbours of one type at
// most 8 code points apart merge across whitespace (LOCATION also across , . ; - / # and line
// breaks; others not across line breaks).
std::vector<DetectedSpan> joined(const std::string& text, std::vector<DetectedSpan> spans) {
    const std::u32string cps = tokenizer::utf8::to_u32(text);
    for (DetectedSpan& s : spans)
        s.entity_type = canonical_entity_type(s.entity_type);
    std::vector<DetectedSpan> out;
    for (const DetectedSpan& s : spans) {
        if (!out.empty() && out.back().entity_type == s.entity_type &&
            s.start - out.back().end <= 8) {
            const std::u32string gap = cps.substr(out.back().end, s.start - out.back().end);
            const std::u32string allowed =
                s.entity_type == "LOCATION" ? U" \t\n\r\u00A0\u202F,.;-/#" : U" \t\u00A0\u202F";
            if (gap.find_first_not_of(allowed) == std::u32string::npos) {
                out.back().end = s.end;
                out.back().score = std::max(out.back().score, s.score);
                continue;
            }
        }
        out.push_back(s);
    }
    return out;
}

// The spans extract_long reports, independently of the redaction code's own collection.
std::vector<DetectedSpan> reported_spans(const std::string& text) {
    LongTextOptions options;
    options.threshold = kThreshold;
    options.include_confidence = true;
    options.include_spans = true;
    const Json out = parity_model().extract_long(
        text, schemas::schema_from_entity_types(Json(request().labels)), options);
    const size_t length = tokenizer::utf8::to_u32(text).size();
    std::vector<DetectedSpan> spans;
    for (const auto& [label, items] : out.at("entities").items()) {
        for (const Json& item : items) {
            // A span over the window's appended "." (GLINER2.md §2.2) is cut back to the text; one
            // that covered only that "." is no span at all.
            const size_t end = std::min(item.at("end").get<size_t>(), length);
            if (item.at("start").get<size_t>() >= end) continue;
            spans.push_back(
                {label, item.at("start").get<size_t>(), end, item.at("confidence").get<double>()});
        }
    }
    return spans;
}

TEST(RedactModelTest, RewritesExactlyTheReportedSpans) {
    size_t total = 0;
    for (const std::string& text : texts()) {
        const std::vector<DetectedSpan> expected =
            joined(text, resolve_overlaps(reported_spans(text)));
        total += expected.size();
        const RedactionResult r = redact(parity_model(), text, request());
        ASSERT_EQ(r.items.size(), expected.size()) << text.substr(0, 60);
        const std::u32string original = tokenizer::utf8::to_u32(text);
        std::u32string rewritten;
        size_t pos = 0;
        for (size_t i = 0; i < expected.size(); ++i) {
            const RedactedItem& item = r.items[i];
            EXPECT_EQ(item.entity_type, expected[i].entity_type);
            EXPECT_EQ(item.start, expected[i].start);
            EXPECT_EQ(item.end, expected[i].end);
            EXPECT_EQ(item.score, expected[i].score);
            EXPECT_GE(item.score, kThreshold);
            EXPECT_EQ(item.op, "replace");
            EXPECT_EQ(item.original, tokenizer::utf8::from_u32(
                                         original.substr(item.start, item.end - item.start)));
            rewritten += original.substr(pos, item.start - pos);
            std::u32string label = tokenizer::utf8::to_u32(item.entity_type);
            for (char32_t& c : label)
                c = (c >= U'a' && c <= U'z') ? c - U'a' + U'A' : c;
            rewritten += U"<" + label + U">";
            pos = item.end;
        }
        rewritten += original.substr(pos);
        EXPECT_EQ(r.text, tokenizer::utf8::from_u32(rewritten));
    }
    // The test is only meaningful if the random model found something.
    EXPECT_GE(total, 3u);
}

TEST(RedactModelTest, BatchEqualsSingleCallsAndSkipsBlankTexts) {
    std::vector<std::string> batch = texts();
    batch.insert(batch.begin() + 1, "");
    batch.push_back(" \t\n\u3000");
    const std::vector<RedactionResult> results =
        redact_batch(parity_model(), batch, request(), /*batch_size=*/3);
    ASSERT_EQ(results.size(), batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
        const RedactionResult single = redact(parity_model(), batch[i], request());
        EXPECT_EQ(to_json(results[i]), to_json(single)) << i;
    }
    EXPECT_EQ(results[1].text, "");
    EXPECT_TRUE(results[1].items.empty());
    EXPECT_EQ(results.back().text, batch.back());
    EXPECT_TRUE(results.back().items.empty());
}

TEST(RedactModelTest, BadRequestsAreNamed) {
    EXPECT_EQ(request_error_message([] {
                  redact_batch(parity_model(), {"fine", "bad \xC3"}, request());
              }),
              "texts[1]: invalid UTF-8 at byte offset 4");
    EXPECT_EQ(request_error_message([] { redact(parity_model(), "\xFF", request()); }),
              "text: invalid UTF-8 at byte offset 0");
    RedactRequest no_labels = request();
    no_labels.labels.clear();
    EXPECT_EQ(request_error_message([&] { redact(parity_model(), "x", no_labels); }),
              "labels: no entity types to look for (give labels, a preset or entity types)");
    RedactRequest duplicate = request();
    duplicate.labels.push_back("email");
    EXPECT_NE(request_error_message([&] { redact(parity_model(), "x", duplicate); }).find("labels"),
              std::string::npos);
    EXPECT_EQ(request_error_message([] { redact_batch(parity_model(), {"x"}, request(), 0); }),
              "batch_size: batch_size must be at least 1");
}

}  // namespace
}  // namespace spanguard::schemas
