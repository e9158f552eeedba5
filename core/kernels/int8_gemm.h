// Int8 GEMM for Linear layers: out[M,N] = dequant(quant(x)[M,K] * W_int8[N,K]^T) + bias.
//
// Quantization scheme (the contract every kernel implements bit-exactly):
//  - Weights: symmetric, per output channel. w_q[n,k] = round(w[n,k] / s_w[n]) in [-127, 127],
//    s_w[n] = max_k |w[n,k]| / 127 (1 when the row is all zeros).
//  - Activations: asymmetric, per row (token), quantized on every call. With lo/hi the row's
//  min/max
//    widened to include 0, s_x[m] = (hi - lo) / 255 and z[m] = floor(-lo / s_x[m] + 0.5), then
//    x_q[m,k] = floor(clamp(x * (1 / s_x[m]) + z[m], 0, 255) + 0.5). 0.0 is exact, and u8 x s8
//    products suit AVX-512 VNNI's vpdpbusd.
//  - acc[m,n] = sum_k x_q[m,k] * w_q[n,k] (int32, exact; |acc| < 2^31 for K < 65793).
//    out[m,n] = (acc[m,n] - z[m] * colsum[n]) * s_x[m] * s_w[n] + bias[n], colsum[n] = sum_k
//    w_q[n,k] being the zero-point compensation, computed once at packing.
//
// Kernels: an AVX-512 VNNI kernel (own translation unit, compiled with -mavx512vnni) and a portable
// one (no special flags). The kernel is chosen once, on first use: VNNI when the CPU reports it,
// unless the environment variable SPANGUARD_INT8_KERNEL=portable forces the portable path. Both
// produce identical int32 accumulations; this header holds no ISA-specific code (STYLE.md pitfall
// 4).
//
// Thread safety: a PackedInt8Weight is immutable after packing and may be shared by any number of
// threads; the GEMM functions only read their inputs and split the output columns across threads
// with core::parallel_for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace spanguard::core {

enum class Int8Kernel { kPortable, kAvx512Vnni };

// Human-readable kernel name ("portable", "avx512-vnni") for benchmark and log output.
const char* int8_kernel_name(Int8Kernel kernel);

// True when this CPU can run `kernel` (the portable kernel always can).
bool int8_kernel_supported(Int8Kernel kernel);

// The kernel int8_linear() and int8_gemm_s32() use: decided once per process as described above.
Int8Kernel active_int8_kernel();

// A weight matrix [N, K] quantized and rearranged for the micro-kernels. Owns its storage (about
// N*K bytes plus 8 bytes per output channel); move-only. Layout, for reference: column blocks of 16
// output channels, each a run of ceil(K/4) groups of 64 bytes holding 4 consecutive k of 16
// channels (byte 4*c + t = w_q[16*block + c, 4*group + t]); padding channels and k are zero.
class PackedInt8Weight {
  public:
    PackedInt8Weight() = default;

    int64_t out_features() const { return n_; }
    int64_t in_features() const { return k_; }
    int64_t k_groups() const { return (k_ + 3) / 4; }
    int64_t column_blocks() const { return (n_ + 15) / 16; }
    const int8_t* data() const { return data_.get(); }
    const float* scales() const { return scales_.get(); }           // [N], s_w
    const int32_t* column_sums() const { return col_sums_.get(); }  // [N], sum_k w_q[n,k]
    size_t bytes() const;                                           // memory held

    // Quantizes a float32 [n, k] row-major weight (PyTorch Linear layout): per output channel,
    // scale = max|w| / 127 and w_q = clamp(nearbyint(w / scale), -127, 127). `name` only labels
    // errors (a NaN or infinite weight is one, naming its position). Runs on the active kernel.
    static PackedInt8Weight quantize(const float* weight, int64_t n, int64_t k,
                                     const std::string& name);
    // Same, on an explicitly chosen (supported) kernel; every kernel gives the same bytes.
    static PackedInt8Weight quantize(Int8Kernel kernel, const float* weight, int64_t n, int64_t k,
                                     const std::string& name);
    // Same, on the active kernel, with the weight's rows fetched in blocks by
    // `read_rows(first_row, rows, out)` (out: rows * k floats), for a weight the caller reads
    // from somewhere other than memory (a file, without touching its mapping).
    static PackedInt8Weight quantize(
        int64_t n, int64_t k, const std::string& name,
        const std::function<void(int64_t first_row, int64_t rows, float* out)>& read_rows);
    // Packs already-quantized weights (values in [-128, 127]) with the given per-channel scales;
    // used by tests to hit exact extreme values.
    static PackedInt8Weight from_quantized(const int8_t* weight_q, const float* scales, int64_t n,
                                           int64_t k, const std::string& name);

  private:
    struct FreeDeleter {
        void operator()(void* p) const;
    };
    // Storage for [n, k] with every padding byte and channel zero, the rest left for store_row.
    static PackedInt8Weight allocate(int64_t n, int64_t k, const std::string& name);
    // Writes channel `row`'s k quantized values, its scale and its column sum.
    void store_row(int64_t row, const int8_t* values, float scale);
    // Quantizes rows [first_row, first_row + rows) given at `weight` (rows x k) into this.
    void quantize_rows(Int8Kernel kernel, const float* weight, int64_t first_row, int64_t rows,
                       const std::string& name);

    int64_t n_ = 0;
    int64_t k_ = 0;
    std::unique_ptr<int8_t[], FreeDeleter> data_;
    std::unique_ptr<float[]> scales_;
    std::unique_ptr<int32_t[]> col_sums_;
};

// Per-row asymmetric u8 quantization of x [m, k] (row stride ldx floats) as specified above.
// Writes x_q [m, ldq] (ldq >= 4*ceil(k/4); bytes past k are set to zero), scales [m], zero_points
// [m].
void quantize_rows_u8(const float* x, int64_t m, int64_t k, int64_t ldx, uint8_t* x_q, int64_t ldq,
                      float* scales, int32_t* zero_points);
// The same with `kernel`'s vector code (what int8_linear runs with that kernel); every kernel
// writes bit-identical codes, scales and zero points.
void quantize_rows_u8(Int8Kernel kernel, const float* x, int64_t m, int64_t k, int64_t ldx,
                      uint8_t* x_q, int64_t ldq, float* scales, int32_t* zero_points);

// acc[m, N] (row stride ldc) = x_q[m, K] * W_q^T with the given kernel; x_q rows have stride ldq
// >= 4*ceil(K/4) with zeros past K. The raw accumulations, without compensation; for tests.
void int8_gemm_s32(Int8Kernel kernel, const uint8_t* x_q, int64_t m, int64_t ldq,
                   const PackedInt8Weight& w, int32_t* acc, int64_t ldc);

// out[m, N] (row stride ldo) = dequantized int8 product of x [m, K] (row stride ldx) and w, plus
// bias [N] (may be null). Uses active_int8_kernel(), or `kernel` in the overload. Temporary
// quantized activations (m * K bytes) are allocated per call. out must not alias x.
void int8_linear(const float* x, int64_t m, int64_t ldx, const PackedInt8Weight& w,
                 const float* bias, float* out, int64_t ldo);
void int8_linear(Int8Kernel kernel, const float* x, int64_t m, int64_t ldx,
                 const PackedInt8Weight& w, const float* bias, float* out, int64_t ldo);

}  // namespace spanguard::core
