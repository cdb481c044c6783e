"""BG/NBD peer for benchmarks/clv.bench.ts: scipy Nelder-Mead on the same likelihood.

The BG/NBD log-likelihood of Fader, Hardie & Lee (2005), "'Counting your customers' the easy way: an alternative
to the Pareto/NBD model", Marketing Science 24(2), 275-284, eq. (6), written here with numpy from the paper:

    L(r, alpha, a, b | x, t_x, T) = A1 * A2 * (A3 + delta(x > 0) * A4)

    ln A1 = ln Gamma(r + x) - ln Gamma(r) + r ln alpha
    ln A2 = ln Gamma(a + b) + ln Gamma(b + x) - ln Gamma(b) - ln Gamma(a + b + x)
    ln A3 = -(r + x) ln(alpha + T)
    ln A4 = ln a - ln(b + x - 1) - (r + x) ln(alpha + t_x)            (x > 0 only)

summed over the distinct (x, t_x, T) patterns with their weights, and maximised with
scipy.optimize.minimize(method='Nelder-Mead') over theta = ln(parameter / scale), alpha's scale being the weighted
mean age (the same parametrisation, start, initial simplex and tolerances as clientele's fitBgNbd, so that the two
runs differ only in the implementation).

Usage: python3 bgnbd_scipy.py PATTERNS_FILE [RUNS]
PATTERNS_FILE: little-endian float64, m values of x, then m of t_x, then m of T, then m of weights (4m values).
Prints one JSON object: the fit time of each run (ms, time.perf_counter around the minimisation only), the
parameters, the log-likelihood, iterations and function evaluations, and the time of one likelihood evaluation.
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import gammaln


def load(path):
    data = np.fromfile(path, dtype='<f8')
    if data.size % 4 != 0:
        raise ValueError(f'{path}: {data.size} values, not a multiple of 4')
    m = data.size // 4
    return data[:m], data[m:2 * m], data[2 * m:3 * m], data[3 * m:]


def log_likelihood(x, tx, T, w):
    """The weighted BG/NBD log-likelihood as a function of (r, alpha, a, b), FHL (2005) eq. (6)."""
    repeat = x > 0
    # ln(b + x - 1) is only used where x > 0; elsewhere any finite stand-in (masked below)
    x_minus_one = np.where(repeat, x - 1.0, 0.0)

    def ll(r, alpha, a, b):
        ln_a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        ln_a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
        ln_a3 = -(r + x) * np.log(alpha + T)
        ln_a4 = np.log(a) - np.log(b + x_minus_one) - (r + x) * np.log(alpha + tx)
        ln_a4 = np.where(repeat, ln_a4, -np.inf)
        return float(np.dot(w, ln_a1 + ln_a2 + np.logaddexp(ln_a3, ln_a4)))

    return ll


def fit(x, tx, T, w):
    customers = float(w.sum())
    scale = float(np.dot(w, T)) / customers
    if not scale > 0:
        scale = 1.0
    scales = np.array([1.0, scale, 1.0, 1.0])
    ll = log_likelihood(x, tx, T, w)

    def objective(theta):
        p = np.exp(theta) * scales
        with np.errstate(all='ignore'):
            v = ll(*p)
        return -v / customers if np.isfinite(v) else np.inf

    x0 = np.zeros(4)  # r = 1, alpha = mean T, a = 1, b = 1: clientele's default start
    simplex = np.vstack([x0, x0 + 0.1 * np.eye(4)])  # clientele's initial simplex (step 0.1)
    result = minimize(
        objective,
        x0,
        method='Nelder-Mead',
        options={
            'initial_simplex': simplex,
            'xatol': 1e-8,
            'fatol': 1e-10,
            'adaptive': True,  # Gao & Han (2012) coefficients, as clientele's minimize
            'maxiter': 2000,
            'maxfev': 10000,
        },
    )
    params = np.exp(result.x) * scales
    return result, params, ll


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    x, tx, T, w = load(path)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result, params, ll = fit(x, tx, T, w)
        times.append((time.perf_counter() - t0) * 1000)
    # one likelihood evaluation at the optimum (median of 5), to compare the cost per evaluation
    evals = []
    for _ in range(5):
        t0 = time.perf_counter()
        ll(*params)
        evals.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({
        'ms': times,
        'params': dict(zip(['r', 'alpha', 'a', 'b'], map(float, params))),
        'logLikelihood': ll(*params),
        'iterations': int(result.nit),
        'evaluations': int(result.nfev),
        'success': bool(result.success),
        'message': str(result.message),
        'evaluationMs': float(np.median(evals)),
        'patterns': int(x.size),
        'customers': float(w.sum()),
        'numpy': np.__version__,
        'scipy': scipy.__version__,
        'python': sys.version.split()[0],
    }))


if __name__ == '__main__':
    main()
