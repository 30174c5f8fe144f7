"""The checker on real notes: a corpus of 21 Markdown files of ML derivations from public repositories
(tests/checker/notes_corpus, each with its source and licence in its first line) and copies of 10 of them with
one planted error each (tests/checker/notes_planted).

Precision first: no step of the corpus may be reported wrong unless it is listed in ``HAND_JUDGED`` below, with
an independent numeric check of the judgement. Coverage (the share of relation lines decided) is printed, and on
the whole corpora (SYMML_NOTES_CORPUS=1) held to measured floors: the goal is 80%.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from symml.checker import StepStatus
from symml.checker.notes import check_notes
from symml.cli import main

HERE = Path(__file__).parent
CORPUS = HERE / "notes_corpus"
PLANTED = HERE / "notes_planted"

#: Steps of the corpus reported wrong, each judged by hand: (file, line) -> why it is really wrong. Each entry
#: has a numeric check below (test_the_hand_judged_error_...).
HAND_JUDGED: dict[tuple[str, int], str] = {
    ("statproofbook_gaussian_mle.md", 83): "setting d LL / d sigma^2 = -n/(2 s) + S/(2 s^2) to zero, the row drops "
                                           "the term -n/(2 s): 0 = S/(2 s^2) holds only for S = 0",
    ("cadizm_gaussian_mle.md", 8): "row 7 writes the normal density's factor as 1/sqrt(2 pi sigma), row 8 as "
                                   "1/(sqrt(2 pi)^n sigma^n): the rows differ by sigma^(n/2); the slip is row 7's "
                                   "(the density has 1/(sqrt(2 pi) sigma)), the report names it",
}


def test_the_hand_judged_error_of_the_gaussian_proof_is_confirmed_numerically():
    # the derivative of LL(mu_hat, s) = -n/2 log(2 pi s) - S/(2 s) by s, by central differences, vanishes at
    # s = S/n (the MLE the proof arrives at), where the row's right side S/(2 s^2) = n^2/(2 S) is not zero
    y = np.random.default_rng(0).normal(1.0, 2.0, 50)
    n, S = len(y), float(np.sum((y - y.mean()) ** 2))
    log_likelihood = lambda s: -n / 2 * np.log(2 * np.pi * s) - S / (2 * s)  # noqa: E731
    s_hat, h = S / n, 1e-6
    derivative = (log_likelihood(s_hat + h) - log_likelihood(s_hat - h)) / (2 * h)
    assert abs(derivative) < 1e-4 * n and S / (2 * s_hat ** 2) > 1.0

def test_the_hand_judged_error_of_the_cadizm_notes_is_confirmed_numerically():
    # the product of normal densities (the likelihood of a sample drawn from N(mu, sigma^2), by numpy's own
    # log-density of the normal, log N = -(x - mu)^2 / (2 sigma^2) - log(sigma) - log(2 pi) / 2) is row 8's closed
    # form, and not row 7's product at sigma != 1
    x = np.random.default_rng(2).normal(0.3, 2.0, 5)
    mu, sigma, n = 0.3, 2.0, len(x)
    likelihood = np.exp(np.sum(-(x - mu) ** 2 / (2 * sigma ** 2) - np.log(sigma) - np.log(2 * np.pi) / 2))
    row_7 = np.prod(1 / np.sqrt(2 * np.pi * sigma) * np.exp(-0.5 * (x - mu) ** 2 / sigma ** 2))
    row_8 = np.exp(-0.5 * np.sum((x - mu) ** 2) / sigma ** 2) / (np.sqrt(2 * np.pi) ** n * sigma ** n)
    assert abs(row_8 - likelihood) < 1e-12 * likelihood
    assert abs(row_7 / row_8 - sigma ** (n / 2)) < 1e-9 * sigma ** (n / 2) and sigma ** (n / 2) > 5


#: A held-out corpus (tests/checker/notes_heldout), added after the checker was tuned on the corpus above and
#: measured before and after each change: its wrong steps, judged by hand as above.
HELDOUT = HERE / "notes_heldout"
HELDOUT_HAND_JUDGED: dict[tuple[str, int], str] = {
    ("projectrhea_exponential_ml.md", 6): "d/dlambda (lambda e^{-lambda x}) = e^{-lambda x} - lambda x e^{-lambda x}: "
                                          "the source's row loses the factor x of the second term",
    ("fiveminutestats_gmm_em.md", 17): "d/dmu of -sum_i (x_i - mu)^2 / (2 sigma^2) is sum_i (x_i - mu) / sigma^2: the "
                                        "source's row divides by 2 sigma^2 (a factor of 2)",
    ("opensrdk_beta.md", 16): "B(alpha, beta) = Gamma(alpha) Gamma(beta) / Gamma(alpha + beta): the source's row adds "
                              "the two gammas in the numerator instead of multiplying them",
    ("ketozhang_qda.md", 47): "e^{Q_A} / (e^{Q_A} + e^{Q_B}) = 1 / (1 + e^{Q_B - Q_A}): the source's row writes the "
                              "exponent Q_A - Q_B (the posterior of the other class)",
    ("andrewjones_natural_gradients.md", 72): "1 - E[2 (x - mu)^2 / sigma^2 + (x - mu)^4 / sigma^4] = -4 for x ~ N(mu, "
                                              "sigma^2), not 2: the fourth moment's sign is lost (see "
                                              "HELDOUT_ERRORS_FOUND_BY_HAND)",
}


#: Five held-out files added on 26 Nov 2026 (branch checkheld; bias-variance twice, logistic regression, softmax with
#: cross-entropy, backpropagation), every relation line judged by hand before symml was run on them: each row holds
#: (under what the notes state: E[epsilon] = 0 and independence of the noise, one-hot labels, z_i = w^T x_i), except
#: the error below, in inline prose the checker does not compare (no need to catch it). Untuned, the checker
#: decided 8 of their 53 relation lines and reported none wrong.
HELDOUT_ERRORS_FOUND_BY_HAND: dict[tuple[str, int], str] = {
    ("ezalos_backprop.md", 24): "the binary cross-entropy is written y log a + (1 - y) log(1 - a), without its minus "
                                "sign, next to the gradient -y/a + (1 - y)/(1 - a) of the cost with the sign",
    # seven files added on 26 Nov 2026 (branch checkheld5), see below
    ("gokererdogan_reparameterization.md", 14): "the chain's third member, the integral of grad q_theta(x) q/q dx, "
                                                "drops the factor x^2 (the fourth member has it back)",
    ("xushengyichn_kalman_gain.md", 26): "expanding x_k - (x_k^- + K_k(y_k - J p_k - G x_k^-)) gives +K_k J p_k, the row "
                                         "writes -K_k J p_k (row 28 drops the term again, so the chain ends right)",
    ("andrewjones_ppca_em.md", 16): "the linear terms -t'S W x - x'W'S t + x'W'S mu + mu'S W x (S = (sigma^2 I)^-1) sum "
                                    "to -2x'W'S t + 2x'W'S mu: the second row writes -2x'W'S mu (the third row is right)",
    ("andrewjones_ppca_em.md", 38): "minus the sum of d/(2 s) - a/(2 s^2) + b/s^2 - c/(2 s^2) is -nd/(2 s) + (1/(2 s^2)) "
                                    "sum(a - 2b + c); the second row writes -(1/(2 s^2)) sum(a + 2b - c), and the "
                                    "update it ends with is negative",
    ("andrewjones_fisher_scoring.md", 42): "with a_i(phi) = phi/w_i, (h y - b(h))/a_i(phi) = w_i (h y - b(h))/phi: the "
                                           "row multiplies h y by w_i but not b(h)",
    # six files added on 26 Nov 2026 (branch checkheld6), see below
    ("ketozhang_qda.md", 23): "log of (2 pi)^{d/2} N(x | mu_c, sigma_c^2) pi_c has -|x - mu_c|^2 / (2 sigma_c^2): the row "
                              "loses the minus sign (maximising it picks the farthest class)",
    ("kevinzakka_batchnorm_backward.md", 38): "d x_hat_i / d mu = -1 / sqrt(sigma^2 + eps): the row sums it over i (m "
                                              "times too large; the sum belongs to d f / d mu, row 68 has it)",
    ("kevinzakka_batchnorm_backward.md", 56): "x_hat_i = (x_i - mu)(sigma^2 + eps)^{-1/2}: the row writes (sqrt(sigma^2 "
                                              "+ eps))^{-0.5}, a fourth root",
    ("kevinzakka_batchnorm_backward.md", 62): "d/d sigma^2 of (x_i - mu)(sigma^2 + eps)^{-1/2} has (sigma^2 + eps)^{-3/2}: "
                                              "the rows keep the square root of row 56 ((sigma^2 + eps)^{-3/4})",
    ("kelp0tr0nic_momentum_adam.md", 46): "Adam's second moment is v_t = beta_2 v_{t-1} + (1 - beta_2) delta_t^2 (row "
                                          "28): the row writes m_{t-1}",
    # six files added on 26 Nov 2026 (branch checkheld7), see below
    ("gentrywhite_binomial_crlb.md", 10): "-d^2 ell / d theta^2 = sum_i y_i/theta^2 + (k - y_i)/(1 - theta)^2: the row "
                                          "writes minus before the second term (rows 11-12 carry the slip on)",
    ("gentrywhite_binomial_crlb.md", 13): "n (k/theta - k/(1 - theta)) = nk (1 - 2 theta)/(theta (1 - theta)), not "
                                          "nk/(theta (1 - theta)): the row does not follow from row 12 (it is the right "
                                          "Fisher information, which row 10's slip had lost)",
    ("telhc_softmax_jacobian.md", 17): "the chain's left side differentiates e^{a_j}/Sigma where line 8 has e^{a_i}: read "
                                       "as written, its first link holds only for i = j (the rest of the chain is right)",
    ("mathtechqa_linear_poisson.md", 15): "d/d beta of sum_i (y_i - beta^T X_i)^2 is -2 sum_i (y_i - beta^T X_i) X_i: the "
                                          "row drops the factor -2 (harmless to the root it sets to zero)",
    ("stackexchange_gp_marginal_likelihood.md", 12): "the first term ends in K^{-1} y^T where y is meant (as written it "
                                                     "is not a number); with y the row is the gradient of row 6",
    # six files added on 26 Nov 2026 (branch checker8), see below
    ("fdabl_variational_inference.md", 69): "the entropy is H[p] = -int p(x) log p(x) dx: the row drops the minus sign "
                                            "(a definition, so not a step symml can report)",
    ("fdabl_coin_regularization.md", 146): "the penalized log likelihood's second term is (1 - x_i) log(1 - sigma(beta)): "
                                           "the row drops the log (an expression, compared with nothing)",
    ("xcz0_bayes_linear_regression.md", 14): "Sigma_0 = tau^2 I is the prior covariance of the d weights: the prose writes "
                                             "I_N, the identity of the N observations (the rows after it are right)",
    # six files added on 27 Nov 2026 (branch checker9), see below
    ("sigagent_exponential_family.md", 53): "the normal's natural parameter is (-1/(2 sigma^2), mu/sigma^2): the row (and "
                                            "row 49) writes mu/sigma, whose family has mean mu sigma",
    ("sigagent_exponential_family.md", 74): "the Poisson's log partition function is a(eta) = lambda = e^eta: the row writes "
                                            "eta (then sum_k e^{k eta - a(eta)}/k! is e^{e^eta - eta}, not 1)",
    ("n1o_exponential_family.md", 35): "A(theta) = log Z = -theta_1^2/(4 theta_2) - log(-2 theta_2)/2 + log(2 pi)/2 (Z "
                                       "has the factor sqrt(2 pi)): the row subtracts log(2 pi)/2",
    ("daodaokamilt_kalman_filter.md", 39): "x - x_hat - K(z - H x_hat) = x - (I - K H) x_hat - K z: the row writes I + K H "
                                           "(the next row is right again)",
    ("daodaokamilt_kalman_filter.md", 44): "the covariance of A v + b w (v, w independent, zero mean) is A E[vv^T] A^T + "
                                           "b E[ww^T] b^T: the row drops the transpose of A",
    ("daodaokamilt_kalman_filter.md", 57): "the trace of M_k - (K H M + M H^T K^T) + ... has -2 tr(K H M): the row writes "
                                           "+2 (the derivative in row 61 has the right sign)",
    ("aburkov_policy_gradient.md", 107): "E_o[V(q) grad log pi(o | q)] = V(q) E_o[grad log pi] = 0, as the next row says: "
                                         "the row writes V(q)",
    ("sagar87_poisson_mixture_em.md", 39): "the M-step maximises the expected complete-data log likelihood: the row (and its "
                                           "prose) writes argmin; the updates of row 111 are its maximiser",
    ("sagar87_poisson_mixture_em.md", 93): "E[z_nk] sums z_nk p(z_nk | x_n) over the values 0 and 1 of z_nk: the row sums "
                                           "over k, which leaves no k (its last member, gamma(z_nk), is right)",
    ("n1o_generalized_linear_model.md", 59): "the Poisson log density is y log mu - mu - log(y!): the row drops -mu",
    # six files added on 27 Nov 2026 (branch checker10), see below
    ("andrewjones_natural_gradients.md", 34): "with A = diag(a_1, ..., a_p), A^{-1} grad f is the elementwise product of rho "
                                              "and grad f: the row writes rho^T grad f, a number (an inner product)",
    ("andrewjones_natural_gradients.md", 72): "1 - E[2 (x - mu)^2 / sigma^2 + (x - mu)^4 / sigma^4] = 1 - 2 - 3 = -4: the lower-right "
                                              "entry of row 61 is 1 - E[2 (.)^2 / sigma^2] + E[(.)^4 / sigma^4] (the next "
                                              "member, = 2, is right; the prose before it calls the fourth moment E[(x - mu)^3])",
    ("ethanweinberger_gp_regression.md", 79): "the right side is the log marginal likelihood, and its second term needs the log: "
                                              "-log|K + sigma_n^2 I| / 2; the row writes p(y | X, theta) and |K + sigma_n^2 I|",
    ("nmayorov_kalman_smoother.md", 118): "F_k x_k = F_k x_k^+ + F_k P_k^+ F_k^T lambda_{k+1}: the row writes F_k^T P_k^+ F_k (the "
                                          "next row, with P_{k+1}^-, is right)",
    ("wei2624_variational_em.md", 37): "the EM lower bound is E_q[ln p(y, alpha, w | x)] - E_q[ln q(alpha)]: the row adds the "
                                       "entropy term with the wrong sign (a constant in w, so the M-step is unaffected)",
    ("wei2624_variational_em.md", 38): "the model puts w ~ N(0, lambda I) (covariance lambda I), whose log density has "
                                       "-w^T w / (2 lambda): the rows (this one, the M-steps, p(lambda | w)) use lambda as a "
                                       "precision",
    ("wei2624_variational_em.md", 98): "E_q[ln N(y_i | x_i^T w, 1/alpha)] summed over i is -E[alpha]/2 sum E[(y_i - x_i^T w)^2] "
                                       "+ N/2 E[ln alpha] + const: the row writes +E[alpha]/2 and 1/2 E[ln alpha]",
    ("roobnloo_lasso_soft_threshold.md", 13): "the minimiser of |beta|-penalised Q is sign(y)(|y| - lambda)_+: for y < -lambda the "
                                              "row's sign(y)(y - lambda)_+ is 0, not y + lambda",
    # five files added on 27 Nov 2026 (branch checker11), see below
    ("cedchan_adaboost.md", 45): "-sum_i w_i y_i h(x_i) is sum_wrong w_i - sum_right w_i: read as written, the row's "
                                 "-sum_wrong(-w_i) + sum_right w_i is sum_i w_i = 1 for every h (brackets dropped)",
    ("cedchan_adaboost.md", 50): "the objective is eps - sum_right w_i = 2 eps - 1 (the next row): the row writes eps + "
                                 "sum_right w_i = 1, which no h changes",
    ("cedchan_adaboost.md", 67): "the minimiser of sum_i w_i exp(-alpha y_i h(x_i)) = (1 - eps) e^-alpha + eps e^alpha is "
                                 "alpha* = ln((1 - eps)/eps) / 2: the prose writes ln(eps/(1 - eps)) / 2, its negative",
    ("khoatranrb_gaussian_conditioning.md", 60): "-(a - mu)^T S (a - mu) / 2 = -a^T S a / 2 + a^T S mu - mu^T S mu / 2 (S "
                                                 "symmetric): the row's quadratic term has lost its minus sign",
    ("khoatranrb_gaussian_conditioning.md", 201): "D^-1 [f - C(M e - M B D^-1 f)] = -D^-1 C M e + (D^-1 + D^-1 C M B D^-1) f: "
                                                  "the row drops C from the second term (row 211's matrix has it)",
}


#: Seven held-out files added on 26 Nov 2026 (branch checkheld5: the reparameterization trick, the log-derivative
#: trick, policy gradient, the SVM dual, the Kalman gain, probabilistic PCA's EM updates, Fisher scoring for GLMs),
#: every relation line judged by hand before symml was run on them: each row holds (under what the notes state:
#: q_theta = N(theta, 1), y_k = G x_k + J p_k + v_k with G invertible and P_k^- symmetric, y_k in {-1, 1}, the SVM's
#: multipliers non-negative; a "\approx" is an approximation, not checked), except the five errors above; PPCA's
#: Cov(x_i) = E[x_i'x_i] - E[x_i]'E[x_i] holds only read as a trace (x'x is a number), so it may not be reported wrong.
#: Untuned, the checker decided 16 of their 83 relation lines and reported none wrong (two links of gokererdogan's
#: line 14 "held" because q_theta(x) was read as a function that does not depend on theta). The SVM file holds only
#: the source's sections 5 and 7: its sections 1-4 are in the tuned corpus (heavenaq_svm_derivation.md).

#: Six held-out files added on 26 Nov 2026 (branch checkheld6: Gaussian discriminant analysis, variational Bayes for
#: a Gaussian, the batch-norm backward pass, momentum and Adam, Bayesian linear regression, QDA), every relation line
#: judged by hand before symml was run on them: each row holds (under what the notes state: a shared symmetric
#: Sigma, n_0 = |I_0| for labels in {0, 1}, "+ C" rows equal up to a constant in mu, v_0 = 0 and m_0 = 0, w and the
#: noise independent, P_{t-1} symmetric) except the errors above (ketozhang 47 also in HELDOUT_HAND_JUDGED). The
#: batch-norm rows written per sample with the sum over i implied (d f / d gamma = d f / d y_i d y_i / d gamma, row
#: 50's d f / d sigma^2) and row 68's dropped 1/m (its term is 0: sum_i (x_i - mu) = 0) are shorthand, never to be
#: reported wrong; the Bayesian regression's y = X^T w is the source's slip in stating the model (X has rows x_i^T).
#: Untuned, the checker decided 31 of their 112 relation lines and reported 4 wrong: ketozhang 47 (a real error) and
#: three false alarms, each from a general cause fixed with a test (test_held6.py): kelp0tr0nic 42 and 52 (m_{t-1} read
#: as a positive integer, like the size m) and kevinzakka 46 (d sigma^2 / d mu after sigma^2 = S(mu) / m, sigma^2 read
#: as a constant).

#: Six held-out files added on 26 Nov 2026 (branch checker8: a coin's MLE, Beta posterior mode and mean with a
#: penalty; variational inference and the mean-field update; the MLE of three densities, one problem per heading; MAP
#: estimation as ridge regression on three points; Bayesian linear regression; OLS's first-order condition), every
#: relation line judged by hand before symml was run on them: each row holds (under what the notes state: a uniform
#: prior a = b = 1 where the posterior mode equals the MLE, a = b = 2 and y = n = 3 for the mode 0.8, the data table
#: of the ridge problem, sigma^2 = 1, tau_0^2 = 10, tau_1^2 = 2; the sum of "\sum_{i=1}^n 1 - x_i" is over 1 - x_i as
#: the source means; each heading of the MLE notes a new density, L and ell redefined for it) except the three errors
#: above, none in a row symml compares. Untuned, the checker decided 49 of their 144 relation lines and reported 13
#: wrong, all false alarms: ten from the MLE notes' second and third problems read against the first (a heading now
#: starts another problem), three from \text{log} dropped as text (now the logarithm).

#: Six held-out files added on 26 Nov 2026 (branch checkheld7: the Cramér–Rao bound of a binomial proportion, the
#: softmax Jacobian, kernel ridge regression, the delta method, a linear Poisson model's likelihood equations, the
#: Gaussian-process marginal likelihood's gradient), every relation line judged by hand before symml was run on them:
#: each row holds (under what the notes state: E(y_i) = k theta, Var(X_bar) = sigma^2 / n for an iid sample, G
#: symmetric, the sums of gentrywhite's (c) taken over both terms as the source means; a "\approx" is an
#: approximation, not checked) except the five errors above. Untuned, the checker decided 3 of their 54 relation lines
#: and reported none wrong.


#: Six held-out files added on 27 Nov 2026 (branch checker9: exponential families twice, GLMs, the Kalman filter's
#: gain, policy gradient with a baseline, EM for a Poisson mixture), every relation line judged by hand before symml
#: was run on them: each row holds (under what the notes state: the noises v and w independent of the errors, a
#: "(same)^T" the transpose of the bracket before it; the Kalman note's w_k in row 72 is its w_{k-1} and its M_k in
#: row 74 the M_{k-1} of the step before) except the ten errors above. Untuned, the checker decided 12 of their 73
#: claims (81 relation lines) and reported none wrong. (A seventh, an SVM dual, was dropped: its source is in the
#: tuned corpus, notes_corpus/gaoshoufenmu_svm_dual.md.)


#: Six held-out files added on 27 Nov 2026 (branch checker10: natural gradients with the Fisher information of the
#: normal in (mu, log sigma), the VAE's ELBO and its score-function gradient, Gaussian-process regression, the Kalman
#: (RTS) smoother as a constrained least-squares problem, EM and mean-field VI for Bayesian linear regression, the
#: lasso's soft-thresholding), every relation line judged by hand before symml was run on them: each row holds (under
#: what the notes state: the noises w, v independent and zero-mean, P^+ symmetric; the lasso's n = p = 1 expansion with
#: X = 1, as the source means; the VI notes' alpha a precision, as their model V3 states) except the eight errors
#: above. Untuned, the checker decided 14 of their 114 claims and reported one step wrong, a false alarm
#: (roobnloo_lasso_soft_threshold.md:26, the prose's "$$n = p = 1$$" in kramdown's inline math read as a chain).
#: After the readings of test_held10.py: 17 of 112 claims, no false alarm, andrewjones_natural_gradients.md:72 (a real
#: error) reported wrong.

#: Five held-out files added on 27 Nov 2026 (branch checker11: word2vec's negative sampling gradient, the differential
#: entropy of the normal, mutual information as a difference of entropies, AdaBoost's reweighting and step size, the
#: conditional Gaussian by completing the square with the block inverse), every relation line judged by hand before
#: symml was run on them: each row holds (under what the notes state: Sigma and Lambda symmetric with Lambda_ab =
#: Lambda_ba^T, A symmetric in the appendix, b = e for the entropy in nats, y_i in {-1, +1}; word2vec's e_j v_{w_i} is the
#: i-th entry of v_{w_I}, AdaBoost's "argmin <grad l, h>" is the first-order step of the gradient view, its stray y and
#: H_t(x) are y_i and H_t(x_i)) except the five errors above; the mutual-information note's h(X|Y) written as a sum over
#: Y with dy is a slip of notation in a definition. Untuned, the checker decided 13 of their 64 claims (word2vec 1/7,
#: normal entropy 3/10, mutual information 1/10, AdaBoost 0/11, conditional Gaussian 8/26) and reported none wrong.

#: Three held-out files added on 27 Nov 2026 (branch checker12: the Beta posterior of binomial observations, the MAP
#: estimate of a binomial proportion under a Beta prior, the variance of the Beta distribution; StatProofBook, CC BY-SA
#: 4.0, chosen by topic before symml was run on them), every relation line judged by hand first: each row holds
#: (Bet(p; a, b) the Beta density; the posterior's hyperparameters defined by alpha_n = alpha_0 + y, beta_n = beta_0 +
#: n - y), the only slip being typographic: the joint-likelihood row writes "frac{1}{B(...)}" without its backslash
#: (MathJax shows the letters; the fraction is meant). Untuned (the code of this branch's start), the checker decided 7
#: of their 33 relation lines (31 claims: Beta variance 5/14, binomial MAP 1/7, binomial posterior 1/12) and reported
#: none wrong; statproofbook_beta_variance.md took 41 s of CPU under a load average of 12 ("\mathrm{E}(X) = ..." makes
#: E a letter the notes define as a function, so its rows about E(X^2) are probed as undefined functions; left as
#: measured: these files are not tuned on).

def test_the_errors_found_by_hand_in_the_checker11_files_are_confirmed_numerically():
    from scipy.optimize import minimize_scalar

    rng = np.random.default_rng(11)
    # AdaBoost: weights w on 12 points, labels and a weak learner in {-1, +1}; eps the weighted error
    w = rng.dirichlet(np.ones(12))
    y, h = rng.choice([-1, 1], 12), rng.choice([-1, 1], 12)
    wrong = y != h
    eps = w[wrong].sum()
    # row 44's objective -sum w y h is 2 eps - 1; row 45 as written is sum w = 1 (for this h and its negation alike)
    assert abs(-np.sum(w * y * h) - (2 * eps - 1)) < 1e-12
    assert abs(-np.sum(-w[wrong]) + np.sum(w[~wrong]) - 1) < 1e-12 and abs(2 * eps - 1 - 1) > 1e-3
    # row 50: eps + sum_right w = 1, the objective 2 eps - 1 differs
    assert abs(eps + w[~wrong].sum() - 1) < 1e-12
    # alpha*: the minimiser of the exponential loss (bounded Brent) against the prose's formula
    best = minimize_scalar(lambda a: np.sum(w * np.exp(-a * y * h)), bounds=(-20, 20), method="bounded").x
    assert abs(best - 0.5 * np.log((1 - eps) / eps)) < 1e-5 and abs(best - 0.5 * np.log(eps / (1 - eps))) > 0.01
    # completing the square: -(a - mu)^T S (a - mu) / 2 for a symmetric S, against the row's +a^T S a / 2
    G = rng.normal(size=(3, 3))
    S, a, mu = G @ G.T + np.eye(3), rng.normal(size=3), rng.normal(size=3)
    quadratic = -0.5 * (a - mu) @ S @ (a - mu)
    assert abs(quadratic - (-0.5 * a @ S @ a + a @ S @ mu - 0.5 * mu @ S @ mu)) < 1e-12
    assert abs(quadratic - (0.5 * a @ S @ a + a @ S @ mu - 0.5 * mu @ S @ mu)) > 0.1
    # the block inverse (numpy's inv of the whole matrix): its lower-right block is D^-1 + D^-1 C M B D^-1
    A, B, C, D = (rng.normal(size=(2, 2)) + 3 * np.eye(2) * (k in (0, 3)) for k in range(4))
    inverse = np.linalg.inv(np.block([[A, B], [C, D]]))
    D_inv = np.linalg.inv(D)
    M = np.linalg.inv(A - B @ D_inv @ C)
    assert np.allclose(inverse[2:, 2:], D_inv + D_inv @ C @ M @ B @ D_inv)
    assert not np.allclose(inverse[2:, 2:], D_inv + D_inv @ M @ B @ D_inv, atol=1e-3)


def test_the_errors_found_by_hand_in_the_checker10_files_are_confirmed_numerically():
    from scipy.integrate import quad
    from scipy.optimize import minimize_scalar
    from scipy.stats import multivariate_normal, norm

    rng = np.random.default_rng(10)
    # natural gradients: A^{-1} g for a diagonal A is rho * g (a vector); rho^T g is a number
    a, g = rng.uniform(1, 3, 3), rng.normal(size=3)
    assert np.allclose(np.linalg.solve(np.diag(a), g), g / a) and np.ndim(np.dot(1 / a, g)) == 0
    # the Fisher information of N(mu, sigma^2) in lambda = log sigma, by quadrature of the squared score: 2, and the
    # row's first member 1 - E[2 u^2 / s^2 + u^4 / s^4] is -4
    mu, sigma = 0.4, 1.7
    density = norm(mu, sigma).pdf
    expect = lambda f: quad(lambda x: f(x) * density(x), mu - 40 * sigma, mu + 40 * sigma)[0]  # noqa: E731
    assert abs(expect(lambda x: (-1 + (x - mu) ** 2 / sigma ** 2) ** 2) - 2) < 1e-8
    assert abs(expect(lambda x: 1 - (2 * (x - mu) ** 2 / sigma ** 2 + (x - mu) ** 4 / sigma ** 4)) + 4) < 1e-8
    assert abs(expect(lambda x: (x - mu) ** 4) - 3 * sigma ** 4) < 1e-8 and abs(expect(lambda x: (x - mu) ** 3)) < 1e-8
    # GP: the log marginal likelihood (scipy) has -log|K| / 2, and p itself is not the row
    B = rng.normal(size=(4, 4))
    K, y = B @ B.T + 0.5 * np.eye(4), rng.normal(size=4)
    row = -0.5 * y @ np.linalg.solve(K, y) - 0.5 * np.linalg.det(K) - 2 * np.log(2 * np.pi)
    log_ml = -0.5 * y @ np.linalg.solve(K, y) - 0.5 * np.log(np.linalg.det(K)) - 2 * np.log(2 * np.pi)
    assert abs(multivariate_normal(np.zeros(4), K).logpdf(y) - log_ml) < 1e-10
    assert abs(row - log_ml) > 0.1 and abs(np.exp(log_ml) - row) > 0.1
    # Kalman smoother: F x_k with x_k = x^+ + P^+ F^T lambda is F x^+ + F P^+ F^T lambda, not F x^+ + F^T P^+ F lambda
    F, P = rng.normal(size=(3, 3)), (lambda m: m @ m.T)(rng.normal(size=(3, 3)))
    x_plus, lam = rng.normal(size=3), rng.normal(size=3)
    x_k = x_plus + P @ F.T @ lam
    assert np.allclose(F @ x_k, F @ x_plus + F @ P @ F.T @ lam)
    assert not np.allclose(F @ x_k, F @ x_plus + F.T @ P @ F @ lam)
    # variational EM: E_q[ln p - ln q] (the bound) against the row's E_q[ln p + ln q], for a discrete q, by sums
    log_p, q = np.log(rng.dirichlet(np.ones(5))), rng.dirichlet(np.ones(5))
    bound = np.sum(q * (log_p - np.log(q)))
    assert bound <= np.log(np.sum(np.exp(log_p))) + 1e-12 and abs(np.sum(q * (log_p + np.log(q))) - bound) > 0.1
    # the prior N(0, lambda I): its log density (scipy) has -w^T w / (2 lambda), not -lambda w^T w / 2
    w, lam_prior = rng.normal(size=3), 2.5
    log_prior = multivariate_normal(np.zeros(3), lam_prior * np.eye(3)).logpdf(w)
    assert abs(log_prior - (-w @ w / (2 * lam_prior) - 1.5 * np.log(2 * np.pi * lam_prior))) < 1e-10
    assert abs(log_prior - (-lam_prior * w @ w / 2 - 1.5 * np.log(2 * np.pi * lam_prior))) > 0.1
    # mean-field VI: at a point mass on (alpha, w), sum_i ln N(y_i | x_i^T w, 1/alpha) (scipy) against the row's terms
    X, targets, alpha = rng.normal(size=(6, 2)), rng.normal(size=6), 1.8
    residual = np.sum((targets - X @ w[:2]) ** 2)
    log_likelihood = np.sum(norm(X @ w[:2], 1 / np.sqrt(alpha)).logpdf(targets))
    assert abs(log_likelihood - (-alpha / 2 * residual + 6 / 2 * np.log(alpha) - 3 * np.log(2 * np.pi))) < 1e-10
    assert abs(log_likelihood - (alpha / 2 * residual + np.log(alpha) / 2 - 3 * np.log(2 * np.pi))) > 1
    # lasso: the minimiser of (y - b)^2 / 2 + lam |b| at y = -3, lam = 1 (bounded Brent) is -2, the row gives 0
    y_value, lam_l1 = -3.0, 1.0
    best = minimize_scalar(lambda b: (y_value - b) ** 2 / 2 + lam_l1 * abs(b), bounds=(-10, 10), method="bounded").x
    assert abs(best - np.sign(y_value) * max(abs(y_value) - lam_l1, 0)) < 1e-5
    assert abs(best - np.sign(y_value) * max(y_value - lam_l1, 0)) > 1


def test_the_errors_found_by_hand_in_the_checker9_files_are_confirmed_numerically():
    from scipy.integrate import quad
    from scipy.special import gammaln
    from scipy.stats import norm, poisson

    rng = np.random.default_rng(29)
    # the normal as an exponential family: with eta = (-1/(2 sigma^2), mu/sigma^2) the normalised density is
    # scipy's N(mu, sigma^2); with the row's mu/sigma its mean is mu sigma
    mu, sigma = 1.3, 2.0
    def family_mean(eta_1: float, eta_2: float) -> float:
        kernel = lambda y: np.exp(eta_1 * y ** 2 + eta_2 * y)  # noqa: E731
        return quad(lambda y: y * kernel(y), -60, 60)[0] / quad(kernel, -60, 60)[0]
    assert abs(family_mean(-1 / (2 * sigma ** 2), mu / sigma ** 2) - norm(mu, sigma).mean()) < 1e-8
    assert abs(family_mean(-1 / (2 * sigma ** 2), mu / sigma) - mu) > 1
    # the Poisson: sum_k e^{k eta - a(eta)} / k! is 1 for a(eta) = e^eta (scipy's pmf), not for a(eta) = eta
    eta, k = 0.7, np.arange(80)
    total = lambda a: np.sum(np.exp(k * eta - a - gammaln(k + 1)))  # noqa: E731
    assert abs(total(np.exp(eta)) - 1) < 1e-12 and np.allclose(np.exp(k * eta - np.exp(eta) - gammaln(k + 1)),
                                                               poisson(np.exp(eta)).pmf(k))
    assert abs(total(eta) - 1) > 1
    # the normal's log partition function: log of the integral of exp(theta_1 x + theta_2 x^2), by quadrature
    theta_1, theta_2 = mu / sigma ** 2, -1 / (2 * sigma ** 2)
    log_z = np.log(quad(lambda x: np.exp(theta_1 * x + theta_2 * x ** 2), -60, 60)[0])
    right = -theta_1 ** 2 / (4 * theta_2) - np.log(-2 * theta_2) / 2
    assert abs(log_z - (right + np.log(2 * np.pi) / 2)) < 1e-8 and abs(log_z - (right - np.log(2 * np.pi) / 2)) > 1
    # the Kalman update: x - x_hat - K(z - H x_hat) with z = H x + v, against the rows with I + K H and I - K H
    K, H = rng.normal(size=(3, 2)), rng.normal(size=(2, 3))
    x, x_hat, v = rng.normal(size=3), rng.normal(size=3), rng.normal(size=2)
    z = H @ x + v
    error = x - x_hat - K @ (z - H @ x_hat)
    assert np.allclose(error, x - (np.eye(3) - K @ H) @ x_hat - K @ z)
    assert not np.allclose(error, x - (np.eye(3) + K @ H) @ x_hat - K @ z)
    # the covariance of A v + b w by Monte Carlo (v, w independent standard normals): A A^T + b b^T, not A A + b b^T
    A, b = rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    draws = rng.normal(size=(200_000, 2)) @ A.T + rng.normal(size=(200_000, 2)) @ b.T
    covariance = draws.T @ draws / len(draws)
    assert np.allclose(covariance, A @ A.T + b @ b.T, atol=0.05 * np.abs(A @ A.T + b @ b.T).max())
    assert not np.allclose(covariance, A @ A + b @ b.T, atol=0.5)
    # the trace of M - (K H M + M H^T K^T) + K (H M H^T + R) K^T (M, R symmetric): -2 tr(K H M), not +2
    M, R = (lambda g: g @ g.T)(rng.normal(size=(3, 3))), (lambda g: g @ g.T)(rng.normal(size=(2, 2)))
    expanded = M - (K @ H @ M + M @ H.T @ K.T) + K @ (H @ M @ H.T + R) @ K.T
    rest = np.trace(M) + np.trace(K @ (H @ M @ H.T + R) @ K.T)
    assert abs(np.trace(expanded) - (rest - 2 * np.trace(K @ H @ M))) < 1e-10
    assert abs(np.trace(expanded) - (rest + 2 * np.trace(K @ H @ M))) > 1e-3
    # policy gradient: for a softmax policy over 4 outputs, sum_o pi(o) V grad log pi(o) (central differences) is 0
    logits, V, h = rng.normal(size=4), 2.5, 1e-6
    policy = lambda t: np.exp(t) / np.sum(np.exp(t))  # noqa: E731
    score = np.array([[(np.log(policy(logits + h * e))[o] - np.log(policy(logits - h * e))[o]) / (2 * h)
                       for e in np.eye(4)] for o in range(4)])
    baseline_term = policy(logits) @ (V * score)
    assert np.allclose(baseline_term, 0, atol=1e-8) and not np.allclose(baseline_term, V, atol=0.5)
    # the Poisson mixture's M-step: the update of row 111 maximises Q(mu, pi) = sum gamma (log pi + log Pois(x; mu))
    x_counts, gamma = rng.poisson(6.0, 20), rng.dirichlet(np.ones(2), 20)
    def q(mu_k: np.ndarray, pi_k: np.ndarray) -> float:
        return float(np.sum(gamma * (np.log(pi_k) + poisson(mu_k).logpmf(x_counts[:, None]))))
    mu_new, pi_new = gamma.T @ x_counts / gamma.sum(0), gamma.sum(0) / len(x_counts)
    for step in rng.normal(scale=0.3, size=(20, 3)):
        pi_step = np.array([pi_new[0] + step[2] / 10, pi_new[1] - step[2] / 10])
        assert q(mu_new, pi_new) > q(mu_new + step[:2], pi_step)
    # E[z_nk] for z_nk in {0, 1} is P(z_nk = 1) = gamma(z_nk); summed over k (the row) it is 1 for every k
    assert abs(gamma[0].sum() - 1) < 1e-12 and abs(gamma[0, 0] - 1) > 1e-3
    # the Poisson log density of y at mu (scipy) is y log mu - mu - log y!, not y log mu - log y!
    y_count, rate = 3, 2.2
    assert abs(poisson(rate).logpmf(y_count) - (y_count * np.log(rate) - rate - gammaln(y_count + 1))) < 1e-12
    assert abs(poisson(rate).logpmf(y_count) - (y_count * np.log(rate) - gammaln(y_count + 1))) > 2


def test_the_error_found_by_hand_in_the_held_out_backprop_notes_is_confirmed_numerically():
    # central differences of the cost as written, y log a + (1 - y) log(1 - a), against the gradient written next to it
    y, a, h = 1.0, 0.3, 1e-6
    cost = lambda t: y * np.log(t) + (1 - y) * np.log(1 - t)  # noqa: E731
    derivative = (cost(a + h) - cost(a - h)) / (2 * h)
    assert abs(derivative - (y / a - (1 - y) / (1 - a))) < 1e-6
    assert abs(derivative - (-y / a + (1 - y) / (1 - a))) > 1


def test_the_errors_found_by_hand_in_the_checkheld5_files_are_confirmed_numerically():
    from scipy.integrate import quad

    rng = np.random.default_rng(5)
    # reparameterization: d/dtheta of the N(theta, 1) density, integrated with x^2 (2 theta) and without (0)
    theta, h = 0.7, 1e-5
    density = lambda x, t: np.exp(-(x - t) ** 2 / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    slope = lambda x: (density(x, theta + h) - density(x, theta - h)) / (2 * h)  # noqa: E731
    assert abs(quad(lambda x: slope(x) * x ** 2, -12, 12)[0] - 2 * theta) < 1e-6
    assert abs(quad(slope, -12, 12)[0]) < 1e-6
    # Kalman: x - (x^- + K(y - J p - G x^-)) against the row with -K J p
    K, J, G = (rng.normal(size=(3, 3)) for _ in range(3))
    x, x_prior, y, p = (rng.normal(size=3) for _ in range(4))
    start = x - (x_prior + K @ (y - J @ p - G @ x_prior))
    assert np.allclose(start, x - x_prior - K @ y + K @ J @ p + K @ G @ x_prior)
    assert not np.allclose(start, x - x_prior - K @ y - K @ J @ p + K @ G @ x_prior)
    # PPCA, the linear terms (S = (sigma^2 I)^-1)
    W, S = rng.normal(size=(4, 2)), np.eye(4) / 1.7
    t, mu, z = rng.normal(size=4), rng.normal(size=4), rng.normal(size=2)
    terms = -t @ S @ W @ z - z @ W.T @ S @ t + z @ W.T @ S @ mu + mu @ S @ W @ z
    assert abs(terms - (-2 * z @ W.T @ S @ (t - mu))) < 1e-12
    assert abs(terms - (-2 * z @ W.T @ S @ t - 2 * z @ W.T @ S @ mu)) > 0.1
    # PPCA, the derivative by s = sigma^2 of -sum(d/2 log s + a/(2s) - b/s + c/(2s)), by central differences
    a, b, c, d, s = rng.uniform(1, 3, 5), rng.normal(size=5), rng.uniform(1, 3, 5), 4, 1.3
    expected = lambda v: -np.sum(d / 2 * np.log(v) + a / (2 * v) - b / v + c / (2 * v))  # noqa: E731
    derivative = (expected(s + h) - expected(s - h)) / (2 * h)
    assert abs(derivative - (-5 * d / (2 * s) + np.sum(a - 2 * b + c) / (2 * s ** 2))) < 1e-6
    assert abs(derivative - (-5 * d / (2 * s) - np.sum(a + 2 * b - c) / (2 * s ** 2))) > 0.5
    # Fisher scoring: (h y - b) / (phi / w) against (w h y - b) / phi
    hy, b_h, phi, w = 1.2, 0.8, 0.9, 2.5
    assert abs((hy - b_h) / (phi / w) - w * (hy - b_h) / phi) < 1e-12
    assert abs((hy - b_h) / (phi / w) - (w * hy - b_h) / phi) > 1


def test_the_errors_found_by_hand_in_the_checkheld6_files_are_confirmed_numerically():
    rng = np.random.default_rng(6)
    # QDA: the posterior of class A, and the log of a normal density's kernel (its quadratic term is negative)
    q_a, q_b = rng.normal(size=2)
    posterior = np.exp(q_a) / (np.exp(q_a) + np.exp(q_b))
    assert abs(posterior - 1 / (1 + np.exp(q_b - q_a))) < 1e-12 and abs(posterior - 1 / (1 + np.exp(q_a - q_b))) > 1e-3
    x, mu, sigma = 1.7, 0.2, 0.8
    assert np.log(np.exp(-(x - mu) ** 2 / (2 * sigma ** 2))) < 0 < (x - mu) ** 2 / (2 * sigma ** 2)
    # batch norm: central differences of x_hat_i = (x_i - mu)(s + eps)^{-1/2} in mu and in s = sigma^2
    xi, mu, s, eps, m, h = 1.3, 0.4, 0.9, 1e-5, 8, 1e-6
    x_hat = lambda mean, var: (xi - mean) * (var + eps) ** -0.5  # noqa: E731
    by_mu = (x_hat(mu + h, s) - x_hat(mu - h, s)) / (2 * h)
    assert abs(by_mu + (s + eps) ** -0.5) < 1e-6 and abs(by_mu + m * (s + eps) ** -0.5) > 1
    assert abs(x_hat(mu, s) - (xi - mu) * np.sqrt(s + eps) ** -0.5) > 1e-2
    by_s = (x_hat(mu, s + h) - x_hat(mu, s - h)) / (2 * h)
    assert abs(by_s - (-0.5 * (xi - mu) * (s + eps) ** -1.5)) < 1e-6
    assert abs(by_s - (-0.5 * (xi - mu) * np.sqrt(s + eps) ** -1.5)) > 1e-2
    # Adam: v_t from v_{t-1}, not from m_{t-1}
    beta_2, v_before, m_before, delta = 0.999, 0.04, 0.3, 0.5
    assert abs((beta_2 * v_before + (1 - beta_2) * delta ** 2) - (beta_2 * m_before + (1 - beta_2) * delta ** 2)) > 0.1


def test_the_errors_found_by_hand_in_the_checkheld7_files_are_confirmed_numerically():
    rng = np.random.default_rng(7)
    h = 1e-5
    # binomial: minus the second derivative of ell(theta) = sum y log theta + (k - y) log(1 - theta), by central
    # differences, against row 10's minus sign; rows 12 and 13 at the same theta
    y, k, theta = rng.integers(0, 6, 8).astype(float), 5, 0.3
    ell = lambda t: np.sum(y * np.log(t) + (k - y) * np.log(1 - t))  # noqa: E731
    minus_second = -(ell(theta + h) - 2 * ell(theta) + ell(theta - h)) / h ** 2
    assert abs(minus_second - np.sum(y / theta ** 2 + (k - y) / (1 - theta) ** 2)) < 1e-3 * minus_second
    assert abs(minus_second - np.sum(y / theta ** 2 - (k - y) / (1 - theta) ** 2)) > 10
    n = len(y)
    assert abs(n * (k / theta - k / (1 - theta)) - n * k / (theta * (1 - theta))) > 10
    # softmax: d/da_j of e^{a_j} / Sigma at i != j is sigma_j (1 - sigma_j), not the chain's end sigma_i (0 - sigma_j)
    a, i, j = rng.normal(size=4), 0, 2
    softmax = lambda v: np.exp(v) / np.sum(np.exp(v))  # noqa: E731
    step = np.eye(4)[j] * h
    by_a_j = (softmax(a + step)[j] - softmax(a - step)[j]) / (2 * h)
    s = softmax(a)
    assert abs(by_a_j - s[j] * (1 - s[j])) < 1e-8 and abs(by_a_j - s[i] * (0 - s[j])) > 0.05
    # squared error: the gradient in beta, by central differences, is -2 sum (y_i - beta^T X_i) X_i
    X, targets, beta = rng.normal(size=(6, 3)), rng.normal(size=6), rng.normal(size=3)
    loss = lambda b: np.sum((targets - X @ b) ** 2)  # noqa: E731
    gradient = np.array([(loss(beta + e * h) - loss(beta - e * h)) / (2 * h) for e in np.eye(3)])
    residual_sum = (targets - X @ beta) @ X
    assert np.allclose(gradient, -2 * residual_sum, atol=1e-6) and not np.allclose(gradient, residual_sum, atol=0.1)
    # GP: with y for the stray y^T, row 12 is the derivative of row 6 in theta (K = theta B + I, B symmetric)
    B = rng.normal(size=(4, 4))
    B, y_gp, t = B @ B.T, rng.normal(size=4), 0.8
    log_ml = lambda v: -0.5 * y_gp @ np.linalg.solve(v * B + np.eye(4), y_gp) - 0.5 * np.linalg.slogdet(v * B + np.eye(4))[1]  # noqa: E731,E501
    K_inverse = np.linalg.inv(t * B + np.eye(4))
    row_12 = 0.5 * y_gp @ K_inverse @ B @ K_inverse @ y_gp - 0.5 * np.trace(K_inverse @ B)
    assert abs((log_ml(t + h) - log_ml(t - h)) / (2 * h) - row_12) < 1e-6


def test_the_errors_found_by_hand_in_the_checker8_files_are_confirmed_numerically():
    from scipy.integrate import quad
    from scipy.special import expit

    # entropy: -int p log p of N(0, 1) is log(2 pi e) / 2 > 0; the row's int p log p is its negative
    density = lambda x: np.exp(-x ** 2 / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    written = quad(lambda x: density(x) * np.log(density(x)), -30, 30)[0]
    assert abs(-written - np.log(2 * np.pi * np.e) / 2) < 1e-8 and written < 0
    # penalized logistic: the Bernoulli log-likelihood of x at p = sigma(beta), against the row without the log
    x, beta = np.array([1, 1, 0, 1, 0]), 0.4
    log_likelihood = np.sum(x * np.log(expit(beta)) + (1 - x) * np.log(1 - expit(beta)))
    row = np.sum(x * np.log(expit(beta)) + (1 - x) * (1 - expit(beta)))
    assert abs(log_likelihood - np.log(np.prod(expit(beta) ** x * (1 - expit(beta)) ** (1 - x)))) < 1e-12
    assert abs(row - log_likelihood) > 1
    # Bayesian linear regression: with N = 5 observations of d = 3 weights, tau^{-2} I + sigma^{-2} X^T X needs I_d
    X = np.random.default_rng(9).normal(size=(5, 3))
    with pytest.raises(ValueError):
        np.eye(5) / 2.0 + X.T @ X
    assert (np.eye(3) / 2.0 + X.T @ X).shape == (3, 3)


def test_the_hand_judged_error_of_the_held_out_exponential_notes_is_confirmed_numerically():
    # central differences of lambda e^{-lambda x} by lambda against the source's e^{-lambda x} - lambda e^{-lambda x}
    density = lambda rate, x: rate * np.exp(-rate * x)  # noqa: E731
    rate, x, h = 1.3, 2.0, 1e-6
    derivative = (density(rate + h, x) - density(rate - h, x)) / (2 * h)
    assert abs(derivative - (np.exp(-rate * x) - rate * x * np.exp(-rate * x))) < 1e-8
    assert abs(derivative - (np.exp(-rate * x) - rate * np.exp(-rate * x))) > 0.05


def test_the_hand_judged_error_of_the_held_out_gmm_notes_is_confirmed_numerically():
    # central differences of the normal log-likelihood in mu against the source's sum (x_i - mu) / (2 sigma^2)
    x = np.random.default_rng(1).normal(0.5, 1.5, 20)
    sigma, mu, h = 1.5, 0.2, 1e-6
    log_likelihood = lambda m: np.sum(-np.log(sigma) - (x - m) ** 2 / (2 * sigma ** 2))  # noqa: E731
    derivative = (log_likelihood(mu + h) - log_likelihood(mu - h)) / (2 * h)
    assert abs(derivative - np.sum(x - mu) / sigma ** 2) < 1e-6
    assert abs(derivative - np.sum(x - mu) / (2 * sigma ** 2)) > 0.1


def test_the_hand_judged_error_of_the_held_out_beta_notes_is_confirmed_numerically():
    # the Beta integral by quadrature, at the counterexample symml reports (alpha = 6/13, beta = 35/17)
    from scipy.integrate import quad
    from scipy.special import gamma

    a, b = 6 / 13, 35 / 17
    integral = quad(lambda x: x ** (a - 1) * (1 - x) ** (b - 1), 0, 1)[0]
    assert abs(integral - gamma(a) * gamma(b) / gamma(a + b)) < 1e-6
    assert abs(integral - (gamma(a) + gamma(b)) / gamma(a + b)) > 0.5


#: The four files that take 8-45 s each on a shared 2-core machine (cadizm's conditions are now checked as
#: implications of the earlier ones, 5-20 s); the whole corpus (about 60 s alone) and the planted copies run when
#: SYMML_NOTES_CORPUS=1 is set (and in benchmarks/bench_check.py --notes).
_SLOW = {"jackey8616_logistic_regression.md", "statproofbook_gaussian_mle.md", "statproofbook_poisson_mle.md",
         "cadizm_gaussian_mle.md"}
#: Floors on the whole corpora (SYMML_NOTES_CORPUS=1): relation lines decided (the goal is 80%). Measured 136-137
#: and 41; a step whose budget runs out under heavy load is undecided, so the floors leave 3 lines of slack.
#: With bounds, estimators and chosen values checked (branch checkcond): measured 162 and 64. With events and
#: conditional expectations (branch checkevent, 17 held-out files), merged with checkcond: 161 and 83. With arbitrary
#: functions, implicit arguments and rows about undefined derivatives (branch checkfunc): 172 and 88. With names
#: defined by chains, mentions before definitions and rescaled conditions (branch checksubst): 173-174 and 84. With
#: the notation of branch checkread (Markdown's bold and thin spaces, ellipses, side conditions on indices): 173 and 91.
#: All merged (26 Nov 2026, 8 points a step, bench_check.py): 185 of 229 and 96 of 182; the floors leave room for
#: the test's 4 points and budgets that run out under load. Branch checkheld (LaTeX spellings, the model stated as a
#: given, functions with an index such as l_i(w); 5 more held-out files, 22 in all): held-out 115 of 230 decided at
#: 8 points (the 17 files 96 of 170, the model stated as a given no longer counted; the 5 new ones 19 of 60, 8 of 53
#: untuned); the floor leaves room for the 4 points of the test and budgets that run out under load. Branch checkheld5
#: (7 more held-out files, 29 in all; kramdown's escapes, functions subscripted by their parameter, raised signs and
#: stars as labels, I beside matrices read as numbers): held-out 151 of 314 at 8 points (the 22 earlier files
#: unchanged at 115 of 230; the 7 new ones 36 of 84, 16 of 83 untuned); the test passed at 4 points under a load
#: average of 22-27 on 2 cores, so the floor is raised by the new files' 20 lines less the same slack. Branch checkheld6
#: (6 more held-out files, 35 in all; additive constants, conditions giving a name a value in the variable
#: differentiated by, elements m_{t-1} of sequences, bound indices, facts in a bullet after a display): held-out 193
#: of 427 at 8 points under a load average of 14-19 (the 29 earlier files 153 of 316, 151 before; the 6 new ones 40 of
#: 111, 31 of 112 untuned with 3 false alarms, now none), tuned 185 of 226 unchanged; the floor keeps the slack.
#: Branch checker8 (6 more held-out files, 47 in all; a heading lets a name be defined anew, \text{log} as the
#: function, a' as a name, I_N, E_{q(\mathbf{z})} of a vector, Jp_k): this test at 4 points under a load average of
#: 10-19 on 2 cores, held-out 281 of 621 decided (the 41 earlier files 200 of 482 before, 201 of 481 after; the 6 new
#: ones 49 of 144 untuned with 13 false alarms, now 79 of 140 and none), tuned 186 of 226, planted 9 of 10. The floors
#: are raised to these figures less a margin for budgets that run out under load. Branch checker9 (6 more held-out
#: files, 53 in all; chains of maximisers, evaluation bars, values stated in the prose as powers, 𝔼, V(q) as a
#: function): held-out 297 of 704 relation lines decided at 8 points under a load average of 8-10 (the 47 earlier
#: files 285 of 623, 281 of 621 before: one line lost to the probe's budget under load; the 6 new ones 12 of 81, as
#: untuned), tuned 186 of 226, planted 9 of 10, no false alarm; this test at 4 points: 298 of 704. The held-out
#: floor keeps the margin. Branch checkvec9 (a declared vector written with an index read by its fonts: y_i beside y
#: in R^n its entry, bold w_n beside bold w a vector): held-out 299 of 705 at 4 points (298 of 704 before; only
#: algorithmikee's namespace changed, 1 -> 2 decided), no false alarm. Branch checker10 (6 more held-out files, 59 in
#: all; normal laws declared in a sentence, letters defined as functions, laws with a bar in an expectation's
#: subscript, starred names, prose facts reaching the whole section, sides that differ by a number reported wrong):
#: this test at 4 points under a load average of 9-15, held-out 319 of 811 relation lines decided (the 53 earlier
#: files 302 of 694, 299 of 705 before; the 6 new ones 17 of 117, 14 of 118 untuned with one false alarm, now none),
#: tuned 186 of 226, planted 9 of 10, no false alarm. Branch checker11 (5 more held-out files, 64 in all; \tag1 without
#: braces, block matrices of bold names left unread rather than read as numbers, \mathrm{h}(X) = ... a function, x the
#: value of a declared X ~ N(mu, sigma^2) in an expectation, multiple integrals not handed to quadrature): this test at
#: 4 points under a load average of 9-14, held-out 336 of 881 relation lines decided (the 59 earlier files 319 of 811,
#: unchanged; the 5 new ones 17 of 70, 13 of 64 claims untuned), tuned 186 of 226, planted 9 of 10, no false alarm.
#: Branch checker12 (3 more held-out files, 67 in all; densities with a parameter subscript and a bar, the first law
#: of a divergence read as a law, primed sum indices with limits, \binom, {\bf w}, s(x)_i): held-out 346 of 914
#: relation lines decided at 8 points under a load average of 12-20 (the 64 earlier files 339 of 881, 335 before;
#: the 3 new ones 7 of 33, as untuned), tuned 186 of 226, planted 9 of 10, no false alarm; this test at 4 points
#: (43 min under a load average of 20): held-out 347 of 914. The floor keeps the margin.
_DECIDED_FLOOR = {"tuned": 180, "held-out": 332}
_FULL = os.environ.get("SYMML_NOTES_CORPUS") == "1"
full_corpus_only = pytest.mark.skipif(not _FULL, reason="set SYMML_NOTES_CORPUS=1 to check the whole corpus")


def _files(directory: Path) -> list[Path]:
    return [path for path in sorted(directory.iterdir()) if _FULL or path.name not in _SLOW]


#: CPU seconds per corpus file, filled by the ``corpus_reports`` fixture: CPU time, unlike wall-clock time, does not
#: grow with the load of a shared machine (the budgets run on wall-clock time, so load can only shorten it).
_CPU_SECONDS: dict[str, float] = {}


def _timed_check(path: Path) -> Any:
    started = time.process_time()
    report = check_notes(path, points=4)
    _CPU_SECONDS[path.name] = time.process_time() - started
    return report


@pytest.fixture(scope="module")
def corpus_reports():
    return {path.name: _timed_check(path) for path in _files(CORPUS)}


def test_every_file_of_the_corpus_is_checked_in_bounded_time(corpus_reports):
    # measured alone (26 Nov 2026): the fast files under 3 s of CPU each; the slowest, statproofbook_gaussian_mle.md
    # (90 lines), about 15 s (it took 100-140 s of wall-clock time under load before: see benchmarks/bench_check.py)
    slowest = max(_CPU_SECONDS, key=_CPU_SECONDS.__getitem__)
    assert _CPU_SECONDS[slowest] < (60 if _FULL else 15), (slowest, _CPU_SECONDS[slowest])


@pytest.fixture(scope="module")
def planted_reports():
    return {path.name: check_notes(path, points=4) for path in sorted(PLANTED.iterdir())}


def test_the_corpus_has_at_least_20_files_each_naming_its_source_and_licence():
    files = sorted(CORPUS.iterdir())
    assert len(files) >= 20
    for path in files:
        first = path.read_text().splitlines()[0]
        assert "source:" in first and "licence:" in first, path.name


def test_no_step_of_the_corpus_is_reported_wrong_unless_judged_wrong_by_hand(corpus_reports):
    reported = {(name, check.line) for name, report in corpus_reports.items() for check in report.checks
                if check.status is StepStatus.WRONG}
    assert reported <= set(HAND_JUDGED), sorted(reported - set(HAND_JUDGED))


def test_the_share_of_relation_lines_decided_is_printed(corpus_reports, capsys):
    statuses = [c.status for report in corpus_reports.values() for c in report.checks]
    relations = [s for s in statuses if s not in (StepStatus.GIVEN, StepStatus.DEFINITION)]
    decided = [s for s in relations if s in (StepStatus.HOLDS, StepStatus.WRONG)]
    with capsys.disabled():
        which = "all files" if _FULL else f"without the {len(_SLOW)} slow files; SYMML_NOTES_CORPUS=1 for all"
        print(f"\nnotes corpus ({which}): {len(decided)}/{len(relations)} relation lines decided "
              f"({100 * len(decided) / len(relations):.0f}%; goal 80%)")
    # measured floors (2 shared cores, 26 Nov 2026), with a margin for budgets that run out under load
    assert len(decided) >= (max(_DECIDED_FLOOR["tuned"], 135) if _FULL else 59)  # fast subset: measured 62


@full_corpus_only
def test_symml_check_runs_on_the_whole_corpus_without_a_crash(capsys):
    status = main(["check", str(CORPUS), "--format", "json", "--points", "2"])
    reports = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert status == (1 if HAND_JUDGED else 0)  # 1: the corpus holds a real error (see HAND_JUDGED); 2 a crash
    assert len(reports) == len(list(CORPUS.iterdir()))
    assert all({"file", "steps", "summary"} <= set(report) for report in reports)
    assert all(set(step) >= {"line", "status", "reason", "latex", "counterexample"}
               for report in reports for step in report["steps"])


def test_symml_check_exits_0_on_a_directory_of_correct_notes_and_1_on_a_wrong_step(tmp_path, capsys):
    (tmp_path / "a.md").write_text("$$ (a+b)^2 = a^2 + 2ab + b^2 $$\n")
    assert main(["check", str(tmp_path), "--format", "json"]) == 0
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("$$ (a+b)^2 = a^2 + 2ab + b^2 = a^2 + b^2 $$\n")
    assert main(["check", str(tmp_path)]) == 1
    assert main(["check", str(tmp_path / "missing.md")]) == 2
    capsys.readouterr()


def _planted_line(path: Path) -> int:
    return int(re.search(r"planted error \([^)]*\) at line (\d+)", path.read_text().splitlines()[0]).group(1))


@full_corpus_only
def test_planted_errors_are_caught_at_their_line(planted_reports, capsys):
    caught = []
    for name, report in planted_reports.items():
        line = _planted_line(PLANTED / name)
        wrong = {c.line for c in report.checks if c.status is StepStatus.WRONG}
        real = {judged_line for judged_name, judged_line in HAND_JUDGED if judged_name == name}
        assert wrong <= {line} | real, f"{name}: a correct step reported wrong: {sorted(wrong - {line} - real)}"
        if line in wrong:
            caught.append(name)
    with capsys.disabled():
        print(f"\nplanted errors caught at their line: {len(caught)}/{len(planted_reports)} (goal 9/10): {caught}")
    assert len(planted_reports) == 10 and len(caught) >= 9  # measured (branch checksubst: ekamperi's y_i = x_i^T q)


@full_corpus_only
def test_no_step_of_the_held_out_corpus_is_reported_wrong_unless_judged_wrong_by_hand(capsys):
    reports = {path.name: check_notes(path, points=4) for path in sorted(HELDOUT.iterdir())}
    reported = {(name, check.line) for name, report in reports.items() for check in report.checks
                if check.status is StepStatus.WRONG}
    assert reported <= set(HELDOUT_HAND_JUDGED), sorted(reported - set(HELDOUT_HAND_JUDGED))
    statuses = [c.status for report in reports.values() for c in report.checks]
    relations = [s for s in statuses if s not in (StepStatus.GIVEN, StepStatus.DEFINITION)]
    decided = [s for s in relations if s in (StepStatus.HOLDS, StepStatus.WRONG)]
    with capsys.disabled():
        print(f"\nheld-out notes: {len(decided)}/{len(relations)} relation lines decided "
              f"({100 * len(decided) / len(relations):.0f}%)")
    assert len(decided) >= _DECIDED_FLOOR["held-out"]
