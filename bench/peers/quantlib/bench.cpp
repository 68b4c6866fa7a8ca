// QuantLib peer for `npm run bench -- pricing`. Not a test: it only times things.
//
// Usage: quantlib-bench CASES.bin [--reps R] [--warmup W] [--n N] [--engine-n M] [--iv-n L]
//
// CASES.bin (written by bench/pricing-peers.ts, little-endian):
//   8 bytes magic "VXSCASE1", uint32 n, uint32 reserved (0),
//   then float64[n] S, K, T, r, q, sigma, then uint8[n] isCall.
//
// Prints one JSON object on stdout. Each timing runs the whole loop `warmup` times untimed, then
// `reps` times timed; it reports the best and median options/second and a checksum (a sum over the
// outputs of the last repetition), which is printed so the compiler cannot drop the work. Rates are also
// given by this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which leaves out time the OS gave to other jobs.

#include <ql/exercise.hpp>
#include <ql/instruments/payoffs.hpp>
#include <ql/instruments/vanillaoption.hpp>
#include <ql/pricingengines/blackcalculator.hpp>
#include <ql/pricingengines/blackformula.hpp>
#include <ql/pricingengines/vanilla/analyticeuropeanengine.hpp>
#include <ql/processes/blackscholesprocess.hpp>
#include <ql/quotes/simplequote.hpp>
#include <ql/settings.hpp>
#include <ql/termstructures/volatility/equityfx/blackconstantvol.hpp>
#include <ql/termstructures/yield/flatforward.hpp>
#include <ql/time/calendars/nullcalendar.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/version.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace QuantLib;

namespace {

struct Cases {
    std::size_t n = 0;
    std::vector<double> S, K, T, r, q, sigma;
    std::vector<std::uint8_t> isCall;
};

Cases readCases(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    char magic[8];
    in.read(magic, 8);
    if (!in || std::memcmp(magic, "VXSCASE1", 8) != 0) throw std::runtime_error("bad magic in " + path);
    std::uint32_t n = 0, reserved = 0;
    in.read(reinterpret_cast<char*>(&n), 4);
    in.read(reinterpret_cast<char*>(&reserved), 4);
    Cases c;
    c.n = n;
    for (auto* v : {&c.S, &c.K, &c.T, &c.r, &c.q, &c.sigma}) {
        v->resize(n);
        in.read(reinterpret_cast<char*>(v->data()), static_cast<std::streamsize>(n * sizeof(double)));
    }
    c.isCall.resize(n);
    in.read(reinterpret_cast<char*>(c.isCall.data()), n);
    if (!in) throw std::runtime_error("truncated cases file " + path);
    return c;
}

struct Timing {
    std::string id, name, kind;
    std::size_t n = 0;
    int reps = 0;
    double bestOpsPerSec = 0, medianOpsPerSec = 0, checksum = 0;
    double bestCpuOpsPerSec = 0, medianCpuOpsPerSec = 0;  // by this thread's CPU time
    std::string note;
};

volatile double g_sink = 0;

double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double medianOf(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size();
    return (m % 2 == 1) ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}

// fn() runs the loop over n options once and returns its checksum.
Timing timeIt(const std::string& id, const std::string& name, const std::string& kind, std::size_t n,
              int warmup, int reps, const std::function<double()>& fn) {
    double checksum = 0;
    for (int i = 0; i < warmup; ++i) g_sink = g_sink + fn();
    std::vector<double> rates, cpuRates;
    for (int i = 0; i < reps; ++i) {
        const double c0 = threadCpuSeconds();
        auto t0 = std::chrono::steady_clock::now();
        checksum = fn();
        auto t1 = std::chrono::steady_clock::now();
        const double c1 = threadCpuSeconds();
        g_sink = g_sink + checksum;
        double secs = std::chrono::duration<double>(t1 - t0).count();
        rates.push_back(static_cast<double>(n) / secs);
        cpuRates.push_back(static_cast<double>(n) / std::max(c1 - c0, 1e-9));
    }
    Timing t;
    t.id = id;
    t.name = name;
    t.kind = kind;
    t.n = n;
    t.reps = reps;
    t.bestOpsPerSec = *std::max_element(rates.begin(), rates.end());
    t.medianOpsPerSec = medianOf(rates);
    t.bestCpuOpsPerSec = *std::max_element(cpuRates.begin(), cpuRates.end());
    t.medianCpuOpsPerSec = medianOf(cpuRates);
    t.checksum = checksum;
    return t;
}

std::string jsonString(const std::string& s) {
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (static_cast<unsigned char>(ch) < 0x20) {
            out += ' ';
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string jsonNumber(double x) {
    if (!std::isfinite(x)) return "null";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

Option::Type typeOf(std::uint8_t isCall) { return isCall ? Option::Call : Option::Put; }

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 2) {
            std::fprintf(stderr, "usage: %s CASES.bin [--reps R] [--warmup W] [--n N] [--engine-n M] [--iv-n L]\n",
                         argv[0]);
            return 2;
        }
        std::string path = argv[1];
        int reps = 7, warmup = 1;
        long nArg = -1, engineN = 5000, ivN = -1;
        for (int i = 2; i + 1 < argc; i += 2) {
            std::string k = argv[i];
            long v = std::stol(argv[i + 1]);
            if (k == "--reps") reps = static_cast<int>(v);
            else if (k == "--warmup") warmup = static_cast<int>(v);
            else if (k == "--n") nArg = v;
            else if (k == "--engine-n") engineN = v;
            else if (k == "--iv-n") ivN = v;
            else throw std::runtime_error("unknown option " + k);
        }
        if (reps < 1) reps = 1;
        Cases c = readCases(path);
        const std::size_t n = nArg > 0 ? std::min<std::size_t>(static_cast<std::size_t>(nArg), c.n) : c.n;
        const std::size_t nEngine = std::min<std::size_t>(static_cast<std::size_t>(std::max(1L, engineN)), n);
        std::vector<Timing> timings;

        // (a) BlackCalculator kernel: price + delta, gamma, vega, theta, rho (all per 1.00 / per year).
        std::vector<double> price(n), vega(n);
        auto kernel = [&]() {
            double sum = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const double S = c.S[i], T = c.T[i], r = c.r[i], q = c.q[i];
                const double forward = S * std::exp((r - q) * T);
                const double stdDev = c.sigma[i] * std::sqrt(T);
                const double discount = std::exp(-r * T);
                auto payoff = ext::make_shared<PlainVanillaPayoff>(typeOf(c.isCall[i]), c.K[i]);
                BlackCalculator bc(payoff, forward, stdDev, discount);
                const double p = bc.value();
                const double v = bc.vega(T);
                price[i] = p;
                vega[i] = v;
                sum += p + bc.delta(S) + bc.gamma(S) + v + bc.theta(S, T) + bc.rho(T);
            }
            return sum;
        };
        timings.push_back(timeIt("ql-blackcalculator", "QuantLib BlackCalculator: price + 5 Greeks", "greeks", n,
                                 warmup, reps, kernel));
        timings.back().note = "per option: make_shared<PlainVanillaPayoff>, BlackCalculator(payoff, F, stdDev, df); "
                              "value, delta, gamma, vega, theta, rho";

        // Same construction, price only: separates the cost of building a BlackCalculator from the Greeks.
        auto kernelPrice = [&]() {
            double sum = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const double S = c.S[i], T = c.T[i], r = c.r[i], q = c.q[i];
                auto payoff = ext::make_shared<PlainVanillaPayoff>(typeOf(c.isCall[i]), c.K[i]);
                BlackCalculator bc(payoff, S * std::exp((r - q) * T), c.sigma[i] * std::sqrt(T), std::exp(-r * T));
                sum += bc.value();
            }
            return sum;
        };
        timings.push_back(timeIt("ql-blackcalculator-price", "QuantLib BlackCalculator: price only", "price", n,
                                 warmup, reps, kernelPrice));

        // Price only through the free function blackFormula (no payoff object; what IV solvers call).
        auto priceOnly = [&]() {
            double sum = 0;
            for (std::size_t i = 0; i < n; ++i) {
                const double S = c.S[i], T = c.T[i], r = c.r[i], q = c.q[i];
                sum += blackFormula(typeOf(c.isCall[i]), c.K[i], S * std::exp((r - q) * T),
                                    c.sigma[i] * std::sqrt(T), std::exp(-r * T));
            }
            return sum;
        };
        timings.push_back(timeIt("ql-blackformula", "QuantLib blackFormula: price only", "price", n, warmup, reps,
                                 priceOnly));

        // (b) AnalyticEuropeanEngine on a VanillaOption with flat term structures, all built per option.
        // T is rounded to whole minutes (QuantLib 1.29 on Debian is built with QL_HIGH_RESOLUTION_DATE, so
        // Actual365Fixed gives T = minutes / 525600 exactly; generated cases are whole minutes already).
        const Date today(2, January, 2024);
        Settings::instance().evaluationDate() = today;
        const DayCounter dc = Actual365Fixed();
        auto engineLoop = [&]() {
            double sum = 0;
            for (std::size_t i = 0; i < nEngine; ++i) {
                const long minutes = std::max(1L, std::lround(c.T[i] * 525600.0));
                const Date day = today + static_cast<Date::serial_type>(minutes / 1440);
                const long rem = minutes % 1440;
                const Date maturity(day.dayOfMonth(), day.month(), day.year(), static_cast<Hour>(rem / 60),
                                    static_cast<Minute>(rem % 60), 0);
                auto spot = ext::make_shared<SimpleQuote>(c.S[i]);
                Handle<YieldTermStructure> rTS(ext::make_shared<FlatForward>(today, c.r[i], dc));
                Handle<YieldTermStructure> qTS(ext::make_shared<FlatForward>(today, c.q[i], dc));
                Handle<BlackVolTermStructure> volTS(
                    ext::make_shared<BlackConstantVol>(today, NullCalendar(), c.sigma[i], dc));
                auto process = ext::make_shared<BlackScholesMertonProcess>(Handle<Quote>(spot), qTS, rTS, volTS);
                auto payoff = ext::make_shared<PlainVanillaPayoff>(typeOf(c.isCall[i]), c.K[i]);
                auto exercise = ext::make_shared<EuropeanExercise>(maturity);
                VanillaOption option(payoff, exercise);
                option.setPricingEngine(ext::make_shared<AnalyticEuropeanEngine>(process));
                sum += option.NPV() + option.delta() + option.gamma() + option.vega() + option.theta() +
                       option.rho();
            }
            return sum;
        };
        const int engineReps = std::max(3, reps / 2);
        timings.push_back(timeIt("ql-analytic-engine", "QuantLib AnalyticEuropeanEngine: NPV + 5 Greeks", "greeks",
                                 nEngine, warmup, engineReps, engineLoop));
        timings.back().note = "per option: SimpleQuote, 2 FlatForward, BlackConstantVol, BlackScholesMertonProcess, "
                              "VanillaOption, AnalyticEuropeanEngine; T rounded to whole minutes";

        // (c) Implied vol from the prices computed in (a), on well-conditioned cases only:
        // price > 0 and vega > 1e-4 * S (the iv_check rule of test/vectors/pricing).
        std::vector<std::size_t> ivIdx;
        for (std::size_t i = 0; i < n; ++i)
            if (price[i] > 0 && vega[i] > 1e-4 * c.S[i]) ivIdx.push_back(i);
        if (ivN > 0 && static_cast<std::size_t>(ivN) < ivIdx.size()) ivIdx.resize(static_cast<std::size_t>(ivN));
        const std::size_t nIv = ivIdx.size();
        const double sigmaTol = 1e-8;  // solver accuracy on stdDev is sigmaTol * sqrt(T), i.e. 1e-8 in vol
        struct IvStats {
            std::size_t failures = 0;
            double maxAbsErr = 0;
            std::size_t over1e7 = 0;
        };
        auto ivLoop = [&](bool lirs, IvStats* stats) {
            return [&, lirs, stats]() {
                double sum = 0;
                IvStats s;
                for (std::size_t j = 0; j < nIv; ++j) {
                    const std::size_t i = ivIdx[j];
                    const double S = c.S[i], T = c.T[i], r = c.r[i], q = c.q[i];
                    const double forward = S * std::exp((r - q) * T);
                    const double discount = std::exp(-r * T);
                    const double sqrtT = std::sqrt(T);
                    double iv;
                    try {
                        const double sd =
                            lirs ? blackFormulaImpliedStdDevLiRS(typeOf(c.isCall[i]), c.K[i], forward, price[i],
                                                                 discount, 0.0, Null<Real>(), 1.0, sigmaTol * sqrtT,
                                                                 100)
                                 : blackFormulaImpliedStdDev(typeOf(c.isCall[i]), c.K[i], forward, price[i],
                                                             discount, 0.0, Null<Real>(), sigmaTol * sqrtT, 100);
                        iv = sd / sqrtT;
                    } catch (const std::exception&) {
                        ++s.failures;
                        continue;
                    }
                    const double err = std::fabs(iv - c.sigma[i]);
                    if (!(err <= s.maxAbsErr)) s.maxAbsErr = err;  // also catches NaN
                    if (!(err <= 1e-7)) ++s.over1e7;
                    sum += iv;
                }
                *stats = s;
                return sum;
            };
        };
        IvStats newtonStats, lirsStats;
        if (nIv > 0) {
            timings.push_back(timeIt("ql-iv-newton", "QuantLib blackFormulaImpliedStdDev: implied vol", "iv", nIv,
                                     warmup, reps, ivLoop(false, &newtonStats)));
            timings.back().note = "accuracy 1e-8*sqrt(T) on stdDev, guess from Corrado-Miller approximation";
            timings.push_back(timeIt("ql-iv-lirs", "QuantLib blackFormulaImpliedStdDevLiRS: implied vol", "iv", nIv,
                                     warmup, reps, ivLoop(true, &lirsStats)));
            timings.back().note = "accuracy 1e-8*sqrt(T) on stdDev, Li SOR with Radoicic-Stefanica start";
        }

        std::ostringstream o;
        o << "{\"peer\":\"quantlib\",\"quantlibVersion\":" << jsonString(QL_VERSION)
          << ",\"compiler\":" << jsonString(std::string("g++ ") + __VERSION__)
          << ",\"n\":" << n << ",\"engineN\":" << nEngine << ",\"ivN\":" << nIv << ",\"reps\":" << reps
          << ",\"warmup\":" << warmup << ",\"iv\":{\"newton\":{\"failures\":" << newtonStats.failures
          << ",\"maxAbsErr\":" << jsonNumber(newtonStats.maxAbsErr) << ",\"over1e7\":" << newtonStats.over1e7
          << "},\"lirs\":{\"failures\":" << lirsStats.failures << ",\"maxAbsErr\":" << jsonNumber(lirsStats.maxAbsErr)
          << ",\"over1e7\":" << lirsStats.over1e7 << "}},\"results\":[";
        for (std::size_t k = 0; k < timings.size(); ++k) {
            const Timing& t = timings[k];
            if (k) o << ",";
            o << "{\"id\":" << jsonString(t.id) << ",\"name\":" << jsonString(t.name)
              << ",\"kind\":" << jsonString(t.kind) << ",\"n\":" << t.n << ",\"reps\":" << t.reps
              << ",\"bestOpsPerSec\":" << jsonNumber(t.bestOpsPerSec)
              << ",\"medianOpsPerSec\":" << jsonNumber(t.medianOpsPerSec)
              << ",\"bestCpuOpsPerSec\":" << jsonNumber(t.bestCpuOpsPerSec)
              << ",\"medianCpuOpsPerSec\":" << jsonNumber(t.medianCpuOpsPerSec)
              << ",\"checksum\":" << jsonNumber(t.checksum) << ",\"note\":" << jsonString(t.note) << "}";
        }
        o << "]}";
        std::printf("%s\n", o.str().c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "quantlib-bench: %s\n", e.what());
        return 1;
    }
}
