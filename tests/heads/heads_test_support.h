// Helpers for the heads tests: seeded random parameters, and plain double-precision scalar
// re-implementations of the reference formulas (GLINER2.md §3), written loop by loop and
// independently of
// the Eigen code under test.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "heads/linear.h"
#include "heads/mlp.h"
#include "heads/tensor.h"
#include "heads/transformer_encoder_layer.h"

namespace spanguard::heads::testing {

using Mat = std::vector<std::vector<double>>;  // [rows][cols]

inline Matrix random_matrix(std::mt19937& rng, int64_t rows, int64_t cols, float scale = 0.5f) {
    std::uniform_real_distribution<float> dist(-scale, scale);
    Matrix m(rows, cols);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            m(r, c) = dist(rng);
    return m;
}

inline Vector random_vector(std::mt19937& rng, int64_t size, float scale = 0.5f) {
    std::uniform_real_distribution<float> dist(-scale, scale);
    Vector v(size);
    for (int64_t i = 0; i < size; ++i)
        v[i] = dist(rng);
    return v;
}

inline Linear random_linear(std::mt19937& rng, int64_t in, int64_t out) {
    return Linear(random_matrix(rng, out, in), random_vector(rng, out));
}

// A ReluMlp through the given widths (widths[0] = input).
inline ReluMlp random_mlp(std::mt19937& rng, const std::vector<int64_t>& widths) {
    std::vector<Linear> layers;
    for (size_t i = 0; i + 1 < widths.size(); ++i)
        layers.push_back(random_linear(rng, widths[i], widths[i + 1]));
    return ReluMlp(std::move(layers));
}

inline Mat to_mat(const Matrix& m) {
    Mat out(static_cast<size_t>(m.rows()), std::vector<double>(static_cast<size_t>(m.cols())));
    for (int64_t r = 0; r < m.rows(); ++r)
        for (int64_t c = 0; c < m.cols(); ++c)
            out[r][c] = m(r, c);
    return out;
}

inline double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

// y = W x + b for one vector x; W is [out][in] as PyTorch stores it.
inline std::vector<double> linear(const Linear& layer, const std::vector<double>& x) {
    std::vector<double> y(static_cast<size_t>(layer.out_features()));
    for (int64_t o = 0; o < layer.out_features(); ++o) {
        double sum = layer.bias()[o];
        for (int64_t i = 0; i < layer.in_features(); ++i)
            sum += layer.weight()(o, i) * x[i];
        y[o] = sum;
    }
    return y;
}

inline std::vector<double> relu(std::vector<double> x) {
    for (double& v : x)
        v = v > 0 ? v : 0;
    return x;
}

// Linear, ReLU, Linear, ReLU, ..., Linear.
inline std::vector<double> mlp(const ReluMlp& net, std::vector<double> x) {
    for (size_t i = 0; i < net.layers().size(); ++i) {
        if (i > 0) x = relu(x);
        x = linear(net.layers()[i], x);
    }
    return x;
}

inline std::vector<double> concat(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> out = a;
    out.insert(out.end(), b.begin(), b.end());
    return out;
}

// One PyTorch GRU step for one state: gates stacked [r; z; n].
inline std::vector<double> gru_step(const Matrix& w_ih, const Matrix& w_hh, const Vector& b_ih,
                                    const Vector& b_hh, const std::vector<double>& x,
                                    const std::vector<double>& h) {
    const size_t n = h.size();
    auto gate = [&](size_t row_block, size_t j, bool input) {
        const Matrix& w = input ? w_ih : w_hh;
        const std::vector<double>& v = input ? x : h;
        double sum = input ? b_ih[row_block * n + j] : b_hh[row_block * n + j];
        for (size_t i = 0; i < v.size(); ++i)
            sum += w(row_block * n + j, i) * v[i];
        return sum;
    };
    std::vector<double> out(n);
    for (size_t j = 0; j < n; ++j) {
        const double r = sigmoid(gate(0, j, true) + gate(0, j, false));
        const double z = sigmoid(gate(1, j, true) + gate(1, j, false));
        const double cand = std::tanh(gate(2, j, true) + r * gate(2, j, false));
        out[j] = (1 - z) * cand + z * h[j];
    }
    return out;
}

inline std::vector<double> layer_norm(const std::vector<double>& x, const Vector& w,
                                      const Vector& b, double eps) {
    double mean = 0;
    for (double v : x)
        mean += v;
    mean /= static_cast<double>(x.size());
    double var = 0;
    for (double v : x)
        var += (v - mean) * (v - mean);
    var /= static_cast<double>(x.size());
    std::vector<double> y(x.size());
    for (size_t i = 0; i < x.size(); ++i)
        y[i] = (x[i] - mean) / std::sqrt(var + eps) * w[i] + b[i];
    return y;
}

struct TransformerParams {
    Linear in_proj, out_proj, linear1, linear2;
    LayerNormParams norm1, norm2;
};

inline TransformerParams random_transformer_params(std::mt19937& rng, int64_t d, int64_t ffn) {
    return {random_linear(rng, d, 3 * d),
            random_linear(rng, d, d),
            random_linear(rng, d, ffn),
            random_linear(rng, ffn, d),
            {Vector::Ones(d) + random_vector(rng, d, 0.2f), random_vector(rng, d), 1e-5f},
            {Vector::Ones(d) + random_vector(rng, d, 0.2f), random_vector(rng, d), 1e-5f}};
}

// One sequence [L][d] through the layer, spelled out: per head h, softmax(q_h k_h^T / sqrt(dh))
// v_h.
inline Mat reference_transformer_layer(const TransformerParams& p, int heads, const Mat& x) {
    const size_t len = x.size();
    const size_t d = x[0].size();
    const size_t dh = d / static_cast<size_t>(heads);
    Mat qkv;
    for (const auto& row : x)
        qkv.push_back(linear(p.in_proj, row));
    Mat context(len, std::vector<double>(d));
    for (int head = 0; head < heads; ++head) {
        const size_t off = static_cast<size_t>(head) * dh;
        for (size_t i = 0; i < len; ++i) {
            std::vector<double> weights(len);
            double max = -INFINITY;
            for (size_t j = 0; j < len; ++j) {
                double dot = 0;
                for (size_t c = 0; c < dh; ++c)
                    dot += qkv[i][off + c] * qkv[j][d + off + c];
                weights[j] = dot / std::sqrt(static_cast<double>(dh));
                max = std::max(max, weights[j]);
            }
            double total = 0;
            for (double& w : weights)
                total += (w = std::exp(w - max));
            for (size_t c = 0; c < dh; ++c) {
                double sum = 0;
                for (size_t j = 0; j < len; ++j)
                    sum += weights[j] / total * qkv[j][2 * d + off + c];
                context[i][off + c] = sum;
            }
        }
    }
    Mat out;
    for (size_t i = 0; i < len; ++i) {
        std::vector<double> attn = linear(p.out_proj, context[i]);
        for (size_t c = 0; c < d; ++c)
            attn[c] += x[i][c];
        const std::vector<double> y = layer_norm(attn, p.norm1.weight, p.norm1.bias, 1e-5);
        std::vector<double> ff = linear(p.linear2, relu(linear(p.linear1, y)));
        for (size_t c = 0; c < d; ++c)
            ff[c] += y[c];
        out.push_back(layer_norm(ff, p.norm2.weight, p.norm2.bias, 1e-5));
    }
    return out;
}

}  // namespace spanguard::heads::testing
