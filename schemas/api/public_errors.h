// Private to the public API's implementation: internal exceptions become the public ones at the
// library boundary, so callers catch spanguard::RequestError / LoadError / Error only.
#pragma once

#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#include "schemas/schema/request_error.h"
#include "spanguard/spanguard.h"

namespace spanguard::api {

// Runs `call` and rethrows what it throws as a public error: schemas::RequestError and
// std::invalid_argument as RequestError, anything else derived from std::exception as `Other`
// (LoadError while loading, Error otherwise). std::bad_alloc passes through unchanged.
template <typename Other = Error, typename Call>
auto public_errors(Call&& call) -> decltype(call()) {
    try {
        return std::forward<Call>(call)();
    } catch (const spanguard::Error&) {
        throw;
    } catch (const schemas::RequestError& e) {
        throw RequestError(e.path(), e.problem());
    } catch (const std::invalid_argument& e) {
        throw RequestError("", e.what());
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        throw Other(e.what());
    }
}

}  // namespace spanguard::api
