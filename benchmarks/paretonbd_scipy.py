"""Pareto/NBD peer for benchmarks/clv.bench.ts: scipy Nelder-Mead on the Pareto/NBD likelihood with scipy's hyp2f1.

The Pareto/NBD log-likelihood of Schmittlein, Morrison & Colombo (1987) in the form of Fader & Hardie (2005),
"A note on deriving the Pareto/NBD model and related expressions", http://brucehardie.com/notes/009/, section 3,
as the sum of two positive terms (restated in Fader & Hardie 2014, note 028, eq. 3), written here with numpy:

    L(r, alpha, s, beta | x, t_x, T) = Gamma(r + x) alpha^r beta^s / Gamma(r)
                                       * [ s/(r+s+x) * A1 + (r+x)/(r+s+x) * A2 ]

    alpha >= beta:  A1 = 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+t_x)) / (alpha+t_x)^(r+s+x)
                    A2 = 2F1(r+s+x, s;   r+s+x+1; (alpha-beta)/(alpha+T))   / (alpha+T)^(r+s+x)
    alpha <  beta:  A1 = 2F1(r+s+x, r+x;   r+s+x+1; (beta-alpha)/(beta+t_x)) / (beta+t_x)^(r+s+x)
                    A2 = 2F1(r+s+x, r+x+1; r+s+x+1; (beta-alpha)/(beta+T))   / (beta+T)^(r+s+x)

with scipy.special.hyp2f1 (Cephes), evaluated in logs with numpy.logaddexp, summed over the distinct
(x, t_x, T) patterns with their weights, and maximised with scipy.optimize.minimize(method='Nelder-Mead') over
theta = ln(parameter / scale), alpha's and beta's scale being the weighted mean age: the derivative-free search
lifetimes' ParetoNBDFitter uses, with clientele's parametrisation, start (r = s = 1, alpha = beta = mean T), initial
simplex and tolerances.

Usage: python3 paretonbd_scipy.py PATTERNS_FILE [RUNS]
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
from scipy.special import gammaln, hyp2f1


def load(path):
    data = np.fromfile(path, dtype='<f8')
    if data.size % 4 != 0:
        raise ValueError(f'{path}: {data.size} values, not a multiple of 4')
    m = data.size // 4
    return data[:m], data[m:2 * m], data[2 * m:3 * m], data[3 * m:]


def log_likelihood(x, tx, T, w):
    """The weighted Pareto/NBD log-likelihood as a function of (r, alpha, s, beta), note 009 section 3."""

    def ll(r, alpha, s, beta):
        n = r + s + x
        if alpha >= beta:
            ln_a1 = np.log(hyp2f1(n, s + 1, n + 1, (alpha - beta) / (alpha + tx))) - n * np.log(alpha + tx)
            ln_a2 = np.log(hyp2f1(n, s, n + 1, (alpha - beta) / (alpha + T))) - n * np.log(alpha + T)
        else:
            ln_a1 = np.log(hyp2f1(n, r + x, n + 1, (beta - alpha) / (beta + tx))) - n * np.log(beta + tx)
            ln_a2 = np.log(hyp2f1(n, r + x + 1, n + 1, (beta - alpha) / (beta + T))) - n * np.log(beta + T)
        bracket = np.logaddexp(np.log(s / n) + ln_a1, np.log((r + x) / n) + ln_a2)
        front = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        return float(np.dot(w, front + bracket))

    return ll


def fit(x, tx, T, w):
    customers = float(w.sum())
    scale = float(np.dot(w, T)) / customers
    if not scale > 0:
        scale = 1.0
    scales = np.array([1.0, scale, 1.0, scale])
    ll = log_likelihood(x, tx, T, w)

    def objective(theta):
        p = np.exp(theta) * scales
        with np.errstate(all='ignore'):
            v = ll(*p)
        return -v / customers if np.isfinite(v) else np.inf

    x0 = np.zeros(4)  # r = 1, alpha = mean T, s = 1, beta = mean T: clientele's default start
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
        'params': dict(zip(['r', 'alpha', 's', 'beta'], map(float, params))),
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
