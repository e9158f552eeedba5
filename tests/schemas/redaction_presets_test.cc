// pii_preset (schemas/redaction/redaction.h): the embedded GLiNER2-PII list equals the reference
// JSON file, in order, and the common preset is a subset of it.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "schemas/redaction/redaction.h"
#include "schemas/schema/json_values.h"
#include "schemas/schema/request_error.h"
#include "shared_fixtures.h"

namespace spanguard::schemas {
namespace {

TEST(RedactPresetsTest, PiiPresetEqualsReferenceListInOrder) {
    SPANGUARD_SKIP_WITHOUT_SHARED();
    const std::string path =
        spanguard::testing::shared_dir() + "/reference/gliner2_pii_42_labels.json";
    std::ifstream in(path);
    ASSERT_TRUE(in) << path;
    const schemas::Json reference = schemas::Json::parse(in);
    const std::vector<std::string> expected =
        reference.at("labels").get<std::vector<std::string>>();
    ASSERT_EQ(expected.size(), 42u);
    EXPECT_EQ(pii_preset("pii"), expected);
}

TEST(RedactPresetsTest, CommonPresetIsAShortSubsetOfPii) {
    const std::vector<std::string> pii = pii_preset("pii");
    const std::vector<std::string> common = pii_preset("common");
    EXPECT_GE(common.size(), 4u);
    EXPECT_LT(common.size(), 12u);
    for (const std::string& label : common) {
        EXPECT_NE(std::find(pii.begin(), pii.end(), label), pii.end()) << label;
    }
    EXPECT_EQ(pii_preset_names(), (std::vector<std::string>{"pii", "common"}));
}

TEST(RedactPresetsTest, UnknownPresetListsKnownNames) {
    try {
        pii_preset("gdpr");
        FAIL() << "no error";
    } catch (const schemas::RequestError& e) {
        EXPECT_STREQ(e.what(), "preset: unknown preset \"gdpr\" (known: pii, common)");
    }
}

}  // namespace
}  // namespace spanguard::schemas
