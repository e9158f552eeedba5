// Dispatch, packing and activation quantization for the int8 GEMM; the micro-kernels live in
// int8_gemm_portable.cc and int8_gemm_avx512vnni.cc (see int8_gemm_kernels.h).
#include "core/kernels/int8_gemm.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/kernels/int8_gemm_kernels.h"
#include "core/parallel/parallel_for.h"
#include "core/util/error.h"

namespace spanguard::core {
namespace {

constexpr int64_t kBlock = 16;
constexpr int64_t kGroupBytes = 64;  // 16 channels x 4 k

bool cpu_has_vnni() {
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vnni");
#else
    return false;
#endif
}

Int8Kernel choose_kernel() {
    const char* forced = std::getenv("SPANGUARD_INT8_KERNEL");
    if (forced != nullptr && std::strcmp(forced, "portable") == 0) return Int8Kernel::kPortable;
    return int8_kernel_supported(Int8Kernel::kAvx512Vnni) ? Int8Kernel::kAvx512Vnni
                                                          : Int8Kernel::kPortable;
}

int8_detail::BlockKernel kernel_function(Int8Kernel kernel) {
    return kernel == Int8Kernel::kAvx512Vnni ? &int8_detail::avx512vnni_gemm_blocks
                                             : &int8_detail::portable_gemm_blocks;
}

void check_kernel(Int8Kernel kernel) {
    SPANGUARD_THROW_IF_NOT(int8_kernel_supported(kernel),
                           std::string("int8 GEMM: kernel ") + int8_kernel_name(kernel) +
                               " is not available on this CPU or build");
}

// Runs the kernel over all column blocks, two blocks per work item (the VNNI micro-tile width), in
// chunks of at least ~1M multiply-adds so small GEMMs stay on one thread.
void run_blocks(Int8Kernel kernel, const int8_detail::GemmArgs& args, int64_t blocks) {
    const int8_detail::BlockKernel fn = kernel_function(kernel);
    const int64_t pairs = (blocks + 1) / 2;
    const int64_t work_per_pair = std::max<int64_t>(args.m * args.k_groups * 4 * 2 * kBlock, 1);
    const size_t grain =
        static_cast<size_t>(std::max<int64_t>(1, (int64_t{1} << 20) / work_per_pair));
    parallel_for(static_cast<size_t>(pairs), grain, [&](size_t begin, size_t end) {
        const auto first = static_cast<int64_t>(begin) * 2;
        const int64_t last = std::min<int64_t>(static_cast<int64_t>(end) * 2, blocks);
        fn(args, first, last);
    });
}

}  // namespace

const char* int8_kernel_name(Int8Kernel kernel) {
    return kernel == Int8Kernel::kAvx512Vnni ? "avx512-vnni" : "portable";
}

bool int8_kernel_supported(Int8Kernel kernel) {
    if (kernel == Int8Kernel::kPortable) return true;
    static const bool vnni = int8_detail::avx512vnni_compiled() && cpu_has_vnni();
    return vnni;
}

Int8Kernel active_int8_kernel() {
    static const Int8Kernel kernel = choose_kernel();
    return kernel;
}

void PackedInt8Weight::FreeDeleter::operator()(void* p) const {
    std::free(p);
}

size_t PackedInt8Weight::bytes() const {
    const auto padded_n = static_cast<size_t>(column_blocks() * kBlock);
    return padded_n * static_cast<size_t>(k_groups() * 4) + padded_n * (sizeof(float) + 4);
}

PackedInt8Weight PackedInt8Weight::allocate(int64_t n, int64_t k, const std::string& name) {
    SPANGUARD_THROW_IF_NOT(n >= 0 && k >= 0, name + ": negative int8 weight shape");
    SPANGUARD_THROW_IF_NOT(
        k < 65793, name + ": " + std::to_string(k) + " input features overflow int32 accumulation");
    PackedInt8Weight packed;
    packed.n_ = n;
    packed.k_ = k;
    const int64_t blocks = packed.column_blocks();
    const int64_t groups = packed.k_groups();
    // 64-byte alignment: the VNNI kernel loads each 64-byte group with an aligned load.
    const size_t data_bytes =
        static_cast<size_t>(std::max<int64_t>(blocks * groups, 1) * kGroupBytes);
    void* raw = std::aligned_alloc(64, data_bytes);
    SPANGUARD_THROW_IF_NOT(raw != nullptr, name + ": out of memory packing int8 weight");
    packed.data_.reset(static_cast<int8_t*>(raw));
    // Zeroing is needed only where store_row writes nothing; skipping it on the usual shapes
    // saves a pass over fresh memory, which is slow to touch the first time.
    if (n % kBlock != 0 || k % 4 != 0 || n == 0 || k == 0) std::memset(raw, 0, data_bytes);
    const auto padded_n = static_cast<size_t>(std::max<int64_t>(blocks * kBlock, 1));
    packed.scales_ = std::make_unique<float[]>(padded_n);  // zero-initialised padding
    packed.col_sums_ = std::make_unique<int32_t[]>(padded_n);
    return packed;
}

void PackedInt8Weight::store_row(int64_t row, const int8_t* values, float scale) {
    const int64_t blk = row / kBlock;
    const int64_t c = row % kBlock;
    const int64_t groups = k_groups();
    int8_t* block = data_.get() + blk * groups * kGroupBytes + c * 4;
    // 4 consecutive k of this channel per 64-byte group.
    for (int64_t g = 0; g < groups; ++g)
        std::memcpy(block + g * kGroupBytes, values + 4 * g,
                    static_cast<size_t>(std::min<int64_t>(4, k_ - 4 * g)));
    int32_t sum = 0;
    for (int64_t col = 0; col < k_; ++col)
        sum += values[col];
    col_sums_[static_cast<size_t>(row)] = sum;
    scales_[static_cast<size_t>(row)] = scale;
}

PackedInt8Weight PackedInt8Weight::from_quantized(const int8_t* weight_q, const float* scales,
                                                  int64_t n, int64_t k, const std::string& name) {
    PackedInt8Weight packed = allocate(n, k, name);
    for (int64_t row = 0; row < n; ++row)
        packed.store_row(row, weight_q + row * k, scales[row]);
    return packed;
}

PackedInt8Weight PackedInt8Weight::quantize(const float* weight, int64_t n, int64_t k,
                                            const std::string& name) {
    return quantize(active_int8_kernel(), weight, n, k, name);
}

void PackedInt8Weight::quantize_rows(Int8Kernel kernel, const float* weight, int64_t first_row,
                                     int64_t rows, const std::string& name) {
    std::vector<int8_t> q(static_cast<size_t>(k_));
    for (int64_t r = 0; r < rows; ++r) {
        const float* w = weight + r * k_;
        float scale = 1.0f;
        bool finite = true;
        if (kernel == Int8Kernel::kAvx512Vnni) {
            finite = int8_detail::avx512_quantize_weight_row(w, k_, q.data(), &scale);
        } else {
            float max_abs = 0.0f;
            for (int64_t col = 0; col < k_; ++col) {
                finite = finite && std::isfinite(w[col]);
                max_abs = std::max(max_abs, std::fabs(w[col]));
            }
            scale = max_abs > 0.0f ? max_abs / 127.0f : 1.0f;
            for (int64_t col = 0; col < k_ && finite; ++col) {
                const float v = std::nearbyint(w[col] / scale);
                q[static_cast<size_t>(col)] = static_cast<int8_t>(std::clamp(v, -127.0f, 127.0f));
            }
        }
        if (!finite) {
            const int64_t col =
                std::find_if(w, w + k_, [](float v) { return !std::isfinite(v); }) - w;
            throw Error(name + ": non-finite weight at [" + std::to_string(first_row + r) + ", " +
                        std::to_string(col) + "]");
        }
        store_row(first_row + r, q.data(), scale);
    }
}

PackedInt8Weight PackedInt8Weight::quantize(Int8Kernel kernel, const float* weight, int64_t n,
                                            int64_t k, const std::string& name) {
    check_kernel(kernel);
    PackedInt8Weight packed = allocate(n, k, name);
    packed.quantize_rows(kernel, weight, 0, n, name);
    return packed;
}

PackedInt8Weight PackedInt8Weight::quantize(
    int64_t n, int64_t k, const std::string& name,
    const std::function<void(int64_t first_row, int64_t rows, float* out)>& read_rows) {
    const Int8Kernel kernel = active_int8_kernel();
    PackedInt8Weight packed = allocate(n, k, name);
    // 64 KiB blocks: small enough to come from the heap's reused memory and stay in cache.
    const int64_t block_rows = std::max<int64_t>(1, 16384 / std::max<int64_t>(k, 1));
    std::vector<float> block(static_cast<size_t>(block_rows * k));
    for (int64_t row = 0; row < n; row += block_rows) {
        const int64_t rows = std::min(block_rows, n - row);
        read_rows(row, rows, block.data());
        packed.quantize_rows(kernel, block.data(), row, rows, name);
    }
    return packed;
}

void quantize_rows_u8(const float* x, int64_t m, int64_t k, int64_t ldx, uint8_t* x_q, int64_t ldq,
                      float* scales, int32_t* zero_points) {
    for (int64_t i = 0; i < m; ++i) {
        const float* row = x + i * ldx;
        // The range always includes 0 so that zero (padding, ReLU/GELU zeros) is exact.
        float lo = 0.0f, hi = 0.0f;
        for (int64_t c = 0; c < k; ++c) {
            lo = std::min(lo, row[c]);
            hi = std::max(hi, row[c]);
        }
        const float scale = hi > lo ? (hi - lo) / 255.0f : 1.0f;
        const float inv = 1.0f / scale;
        // Rounding is floor(y + 0.5) on a value already clamped to [0, 255]: cheap, vectorisable
        // and the same on every kernel.
        const float zp = std::floor(std::clamp(-lo * inv, 0.0f, 255.0f) + 0.5f);
        uint8_t* q = x_q + i * ldq;
        for (int64_t c = 0; c < k; ++c) {
            const float y = std::clamp(row[c] * inv + zp, 0.0f, 255.0f);
            q[c] = static_cast<uint8_t>(static_cast<int32_t>(y + 0.5f));
        }
        for (int64_t c = k; c < ldq; ++c)
            q[c] = 0;
        scales[i] = scale;
        zero_points[i] = static_cast<int32_t>(zp);
    }
}

void quantize_rows_u8(Int8Kernel kernel, const float* x, int64_t m, int64_t k, int64_t ldx,
                      uint8_t* x_q, int64_t ldq, float* scales, int32_t* zero_points) {
    check_kernel(kernel);
    if (kernel == Int8Kernel::kAvx512Vnni)
        int8_detail::avx512_quantize_rows_u8(x, m, k, ldx, x_q, ldq, scales, zero_points);
    else
        quantize_rows_u8(x, m, k, ldx, x_q, ldq, scales, zero_points);
}

void int8_gemm_s32(Int8Kernel kernel, const uint8_t* x_q, int64_t m, int64_t ldq,
                   const PackedInt8Weight& w, int32_t* acc, int64_t ldc) {
    check_kernel(kernel);
    SPANGUARD_THROW_IF_NOT(ldq >= w.k_groups() * 4 && ldc >= w.out_features(),
                           "int8 GEMM: row strides smaller than the matrices");
    if (m == 0 || w.out_features() == 0) return;
    int8_detail::GemmArgs args;
    args.a = x_q;
    args.lda = ldq;
    args.m = m;
    args.b = w.data();
    args.k_groups = w.k_groups();
    args.n = w.out_features();
    args.acc = acc;
    args.ldc = ldc;
    run_blocks(kernel, args, w.column_blocks());
}

void int8_linear(const float* x, int64_t m, int64_t ldx, const PackedInt8Weight& w,
                 const float* bias, float* out, int64_t ldo) {
    int8_linear(active_int8_kernel(), x, m, ldx, w, bias, out, ldo);
}

void int8_linear(Int8Kernel kernel, const float* x, int64_t m, int64_t ldx,
                 const PackedInt8Weight& w, const float* bias, float* out, int64_t ldo) {
    check_kernel(kernel);
    const int64_t k = w.in_features();
    SPANGUARD_THROW_IF_NOT(ldx >= k && ldo >= w.out_features(),
                           "int8 GEMM: row strides smaller than the matrices");
    if (m == 0 || w.out_features() == 0) return;
    const int64_t ldq = w.k_groups() * 4;
    std::vector<uint8_t> x_q(static_cast<size_t>(m * ldq));
    std::vector<float> scales(static_cast<size_t>(m));
    std::vector<int32_t> zero_points(static_cast<size_t>(m));
    const size_t row_grain =
        static_cast<size_t>(std::max<int64_t>(1, 65536 / std::max<int64_t>(k, 1)));
    parallel_for(static_cast<size_t>(m), row_grain, [&](size_t begin, size_t end) {
        const auto first = static_cast<int64_t>(begin);
        quantize_rows_u8(kernel, x + first * ldx, static_cast<int64_t>(end) - first, k, ldx,
                         x_q.data() + first * ldq, ldq, scales.data() + first,
                         zero_points.data() + first);
    });
    int8_detail::GemmArgs args;
    args.a = x_q.data();
    args.lda = ldq;
    args.m = m;
    args.b = w.data();
    args.k_groups = w.k_groups();
    args.n = w.out_features();
    args.out = out;
    args.ldo = ldo;
    args.a_scales = scales.data();
    args.a_zero_points = zero_points.data();
    args.b_scales = w.scales();
    args.b_col_sums = w.column_sums();
    args.bias = bias;
    run_blocks(kernel, args, w.column_blocks());
}

}  // namespace spanguard::core
