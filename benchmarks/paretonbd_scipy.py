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
The search and the output are scipy_peer.py's. Prints one JSON object: the fit time of each run (ms,
time.perf_counter around the minimisation only), the
parameters, the log-likelihood, iterations and function evaluations, and the time of one likelihood evaluation.
"""
import numpy as np
from scipy.special import gammaln, hyp2f1

import scipy_peer


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


if __name__ == '__main__':
    scipy_peer.main(log_likelihood, ['r', 'alpha', 's', 'beta'], [False, True, False, True])
