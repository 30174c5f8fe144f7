r"""Benchmark: symml.check over the claim corpus (tests/checker/corpus.py), against plain ``simplify(a - b) == 0``.

Run:  python benchmarks/bench_check.py               (every correct claim and its wrong twin, once each)
      python benchmarks/bench_check.py --baseline    (also SymPy's simplify(a - b) == 0 on the scalar claims)
      python benchmarks/bench_check.py --notes       (also the real notes: tests/checker/notes_corpus, tuned on,
                                                      and tests/checker/notes_heldout, not tuned on)

With ``--notes``: per corpus, median and worst seconds per notes file (and per 100 lines), the share of relation
lines decided (holds or wrong), and of those the share decided symbolically vs numerically (random points).

Measured (2 shared cores under load from other engineers, 26 Nov 2026; the corpus test, 4 points a claim): tuned
corpus 129/235 relation lines decided (55%; 104/254 = 41% before this work), 1 wrong (a real error, hand-judged),
8 of 10 planted errors caught at their line (4 before); held-out corpus 22/46 (48%; 18/43 = 42% before), 1 wrong
(a real error in the source, hand-judged). Times: median 0.4 s per file (under 2 s per 100 lines); the worst,
statproofbook_gaussian_mle.md (90 lines, many sums of products), 50-150 s depending on load.

With expectations read as a linear operator, declared normal laws, Bayes' rule inside expectations and
marginals (branch checkprob, 26 Nov 2026): tuned corpus 145/234 (62%; the Gaussian-KL proof 14/15 rows, 1/14
before; the ELBO notes 2/3 and 2/3, 0/5 and 1/3 before), planted 8/10; the 6 held-out files above unchanged
(22/46); three more held-out files on ELBO/KL, bias-variance and GMM-EM, measured before any tuning for them: 0/51
before, 22/52 after (the ELBO/KL notes 20/21, bias-variance 2/12, GMM-EM 0/19: event notation p(X_i = x) and
sums over sets are not read); no new step reported wrong. Median 0.6 s per file (tuned and held-out).
Then (branch checkstruct: declared matrices, backprop labels and the chain rule, conditions implied by several
earlier ones, facts said in the prose, pmatrix/cases): tuned corpus 137/235 (58%), still 1 wrong (the same real
error), 8 of 10 planted caught; held-out corpus 9 files (3 added, PCA / linear regression / backprop, measured
before any change: 11/28 decided and 3 false alarms in them) 41/76 (54%; the 3 new files 19/30, no false alarm;
the 6 others unchanged at 22/46). Times under a load average of 10 on 2 cores: median 0.4-1.5 s per file; the
worst, statproofbook_gaussian_mle.md, 100-130 s (was 125-175 s at the same load): its slow stage is the numeric
probe of steps on the log of a product of n densities (each 3-20 s), and the implications of its final
conditions (a solve, then each solution checked by the probe: 25-40 s for rows 82-83). Steps of notes now get a 1 s
simplify budget (5 s before): a step that agrees at random points is decided numerically either way.
Merged (12 held-out files): tuned 152-153/235 (65%), held-out 63/128 (49%), planted 8/10, median 0.7 s per file.
With bounds, estimators, chosen values and vector conditions checked (branch checkcond, 26 Nov 2026, load average
12-15 on 2 cores): tuned 162/233 (70%; bounds 5 rows, hatted estimators 3, activation derivatives and functions
written f'(x) 3, a value chosen and its consequence 1), no new step reported wrong, planted 8/10 (the two missed
rest on a substitution the notes never write: y_i = x_i^T q, and mu_0 = mu between a density and its likelihood);
held-out 64/124 (52%). 19 of the tuned corpus's relation lines are conditions the notes impose (a derivative set to
zero, a constraint, KKT conditions): not claims, so never decided; without them 162/214 (76%) of the claims are.
Median 2.1 s per file (1.3 s before, at a lower load), worst statproofbook_gaussian_mle.md 147 s (129 s).
Then (branch checkevent: probabilities of events p(X_i = x), P(Z = k | X = x), \Pr, P(O | S) with Bayes' rule, the
product rule and the sum rule over the values of a variable; conditional expectations with the tower rule; Q(theta |
theta^(t)), gamma_{z_i}(k), \hat{\mu_k}): held-out 12 files 73/129 (57%; the GMM-EM notes 9/20, 0/19 before; the
bias-variance notes 3/12); five more held-out files on GMM-EM, Bayes' rule over K classes, HMM forward/backward (two)
and naive Bayes, measured before any change for them: 0/46, after 9/47, with one real error found (a factor of 2 in
d/dmu of the normal log-likelihood, hand-judged); held-out 17 files 82/176 (47%). Tuned 152/235 (unchanged: its
files hardly write events), planted 8/10, no new step reported wrong. Median 0.6-0.8 s per file; worst
statproofbook_gaussian_mle.md 94 s, of the new files fiveminutestats_gmm_em.md 30-50 s (a log of a mixture
differentiated), under a load average of 12 on 2 cores.
Merged with checkcond (the checkevent branch): tuned 161/234 (69%), held-out 17 files 83/172 (48%; the first 12
74/125, the 5 added 9/47), planted 8/10, no new step reported wrong; median 0.5-0.9 s per file, worst
statproofbook_gaussian_mle.md 150-270 s under a load average of 12-15.
Then (branch checkspeed, 26 Nov 2026): a false claim refuted at the first 2 random points before the symbolic
stages; finite sums and products written out before the probe evaluates (a Subs of a derivative of log prod_{i=1}^3
f_i took minutes: the poisson proof's row 74 ran out of its 20 s); log prod_i f_i = sum_i log f_i for positive
factors; functions defined in inline math; p_i drawn in (0, 1) when p is a probability. Measured side by side with
the code before, same load (about 7 on 2 cores), wall / CPU seconds: statproofbook_gaussian_mle.md 99.6 / 26.7 ->
47.7 / 15.0, statproofbook_poisson_mle.md 42.4 / 10.5 -> 24.8 / 6.1, cadizm 16.5 / 4.4 -> 8.4 / 2.0, jackey8616
17.8 / 5.9 -> 13.1 / 4.2; median file 0.6 s wall, 0.17 s CPU (tuned), 0.6 s / 0.14 s (held-out, worst 2.9 s).
Tuned 158/234 decided (68%), planted 131/165 decided and 8/10 caught, held-out 63/128 (49%); no false alarm, no
crash; every status that changed went from undecided or unchecked to holds. The check that a solution of a
condition satisfies it now runs under the notes' 1 s simplify budget (5 s before). On a nearly idle machine, side by
side: statproofbook_gaussian_mle.md 76.6 s wall / 40.3 s CPU -> 18.6 / 14.6, statproofbook_poisson_mle.md 32.1 /
30.1 -> 17.8 / 8.8. What is left of the worst file: two rows (Product = exp(Sum)) decided numerically after 2 s of
simplify each, and the implications of its final conditions (a solve, then the probe at each solution).
Then (branch checkfunc, 26 Nov 2026, points=4, CPU seconds under a load average of 10-12 on 2 cores): functions the
notes never define probed as random smooth functions (3 draws; holds only if every draw agrees, never wrong),
defined functions applied with their data left implicit or to one observation, quantities differentiated before
they are defined, and rows between derivatives of undefined quantities used by the steps after them: tuned 172/234
(74%; 167 before), held-out 88/172 (51%; 83 before; the exponential MLE notes 9/9 rows, 4 before), planted 8/10, no
new step reported wrong. "has no value at a point" went from 4 tuned / 30 held-out lines to 0 (decided, or undecided
as "holds only for particular functions"); "the derivative of X, which the notes do not define" from 10 / 8 to 8 / 7.
Median 0.3 s CPU per file (tuned), 0.4 s (held-out); worst statproofbook_gaussian_mle.md 19 s, fiveminutestats_gmm_em
.md 11 s (10.3 s before; jiaeyan_hmm_forward.md 1.1 -> 3.4 s: its 8 undecided rows are each probed with 3 draws).
Then (branch checksubst, 26 Nov 2026, load average 12-13 on 2 cores): a name defined by a chain stands for its most
explicit member (cadizm's L is its closed form, not prod f X_i(x_i): its rows 34-85 read), a name mentioned before
its definition is defined by it (ekamperi, with the source's sentence y_i = x_i^T q added to the excerpt), two read
rows that disagree after an unchecked step are reported (cadizm 7 -> 8, a real slip, hand-judged), a claim rescaled
by a positive factor before its "= 0" is unchecked, facts stated after a display ("where $y_i = ...$") or with
"denotes" are used, and an equation after a condition is refuted only at a point where the other recent conditions
hold too (a false alarm otherwise): tuned 173-174/233 decided (74-75%; 174/213 = 82% of claims, 20 conditions; 167
before), 2 wrong, both real; planted 9/10 caught (ekamperi now; windhaunting's row 16 defines L from f with mu_0 =
mu, which the source never writes); held-out 84/172 (49%; 83 before), no new step reported wrong. Median 0.5-0.8 s
wall / 0.2-0.3 s CPU per file (tuned and held-out); worst cadizm_gaussian_mle.md 46 s wall / 11 s CPU (1.6 s CPU
before: its rows 34-85 are now checked; row 79's consequence at a solution took 18 s before logs were expanded)
and statproofbook_poisson_mle.md 46 s / 14 s, at a load average of 12-13.
Then (branch checkread, 26 Nov 2026: notation the reader could not read; load average 10-15 on 2 cores): tuned
173/229 decided (76%; 167/234 = 71% before), 173/206 = 84% of the claims (23 rows are conditions the notes impose);
of the 21 rows of the tuned corpus the reader could not read, 1 is left (\nabla_{w^j}); no new step reported
wrong; planted 8/10 (the windhaunting row 16 is now read, as a definition of L: nothing ties L to the density f,
so its planted error is not caught); held-out 91/178 (51%; 83/172 before), with one more real error found (the
Beta function written (Gamma(a) + Gamma(b)) / Gamma(a + b)). Median 2.6 s per file (tuned) and 3.6 s (held-out),
wall-clock under that load; worst statproofbook_gaussian_mle.md 171-356 s and, held-out, opensrdk_beta.md 509 s
(about 35 s of CPU: SymPy's symbolic Beta integral, 8 s a doit, is tried by each budgeted stage of its two rows).
Then (branch checkcond5, 26 Nov 2026: a conditional density is not the joint outside expectations; load average
15-25 on 2 cores): tuned 185/226 decided (82%, unchanged), held-out 116/233 (50%; 115 before: the ELBO notes' row
p(z | x) = p(z, x) / p(x) holds, it was undecided), planted 11 wrong, all planted or judged by hand; 0 false alarms,
0 crashes. The 14 files that write p(. | .), q(. | .) or p(.; .) were compared row by row with the code before:
no other row changed.
Then (branch checkheld5, 26 Nov 2026, 8 points a step, CPU seconds under a load average of 22-27 on 2 cores): 7
held-out files on topics the corpus lacked (reparameterization and log-derivative tricks, policy gradient, SVM dual,
Kalman gain, probabilistic PCA's EM, Fisher scoring for GLMs), judged by hand first (5 real errors in the sources):
untuned 16/83 relation lines decided, none wrong (the SVM file keeps only the source's sections 5 and 7, the others
being in the tuned corpus); after kramdown's escapes (of _ and *, and a lone bar in brackets), functions subscripted
by their parameter (q_theta(x) depends on theta: two links of a real slip had "held" with both sides 0), raised signs
and stars as labels (P_k^-, x_k^+, w^*, w^{*T}), I beside matrices read as numbers, Cov(x) of one argument,
l_n(beta, phi), and labels in {-1, 1} (a step that needs them is unchecked, not wrong): 36/84, none wrong;
the 22 earlier held-out files unchanged (115/230), so held-out 151/314 (48%; 131/313 before). Steps not decided, by
cause (checks, held-out): unread rows 59 -> 23 ("expected a superscript or subscript" 19 -> 0), undefined functions
that disagree at random draws 47 -> 54, names on one side only 20 -> 22, conditions 28 -> 32 (rows now read).
Median 0.8 s CPU per held-out file (0.4 s before), worst ahstat_gmm_em.md 40 s (51 s before).
Then (branch checkheld6, 26 Nov 2026, load average 14-19 on 2 cores): six more held-out files (Gaussian discriminant
analysis, variational Bayes for a Gaussian, the batch-norm backward pass, momentum and Adam, Bayesian linear
regression, QDA), judged by hand first (7 errors in the sources, 6 confirmed numerically in test_real_notes.py):
untuned 31/112 decided with 3 false alarms (m_{t-1} read as the size m; d sigma^2 / d mu after sigma^2 = S(mu)/m read
with sigma^2 a constant), after 40/111 and none; held-out 193/427 (45%; the 29 earlier files 153/316, 151 before),
0 false alarms, 0 crashes; tuned 185/226 unchanged, 0 false alarms. Steps not decided, by cause (35 held-out files,
before -> after): unread rows 55 -> 51 (blockquotes, q_mu^+(mu), lambda_0(mu - mu_0)^2 a product), chains set to
new names 19 -> 15 (+ C_k and const as additive constants), instantiation failures 4 -> 0 (a sum's index shared
with a size), names on one side only 37 -> 37, undefined functions 64 -> 65; 245 -> 234 in all. CPU per held-out
file: median 0.8 s, worst ahstat_gmm_em.md 50.6 s (502.9 s of wall time at that load).
Then (branch checker8, 26 Nov 2026, load average 10-19 on 2 cores): six more held-out files (a coin's MLE, Beta
posterior mode and mean; variational inference and the mean-field update; the MLE of three densities, one problem per
heading; MAP as ridge regression; Bayesian linear regression; OLS's first-order condition), judged by hand first (3
errors, none in a row symml compares, confirmed numerically in test_real_notes.py): untuned 49/144 decided with 13
false alarms (ten from the MLE notes' second and third problems checked against the first, three from \text{log}
dropped as text), after 79/140 and none; the 41 earlier held-out files 200/482 -> 201/481 (per-step dump: every change
from undecided or unchecked), tuned 186/226 unchanged, 0 false alarms. General causes fixed (test_held8.py): a heading
lets a name be defined anew (then the earlier problem's conditions are forgotten), \text{log}/\mathrm{exp} are the
functions, \enspace is a space, a' is a name (a guess), I_N is the identity, \Longleftrightarrow separates
statements, E_{q(\mathbf{z})} next to z_j names the law q, Jp_k is J p_k (a guess).
Then (branch checker9, 27 Nov 2026, load average 8-10 on 2 cores, 8 points a step): six more held-out files
(exponential families twice, GLMs, a Kalman filter, policy gradient with a baseline, EM for a Poisson mixture),
judged by hand first (10 errors in the sources, each confirmed numerically in test_real_notes.py): untuned 12 of
their 73 claims decided (81 relation lines), none reported wrong; the 47 earlier files 281/565 claims -> 285/566
(opensrdk_beta's row 15 lost to the probe's 20 s budget under load, 286 otherwise), 0 false alarms, 0 crashes;
held-out 53 files 297/639 claims (46%), 297/704 relation lines. Read now (test_held9.py): chains of maximisers
(argmax_y P(y | x) = argmax_y P(x | y) P(y) holds when the objectives' derivatives in y agree up to a positive
factor free of y, through a logarithm too; otherwise undecided, never wrong), \mathop{\arg\max}_c,
\underset{\theta}{\text{argmax}}, evaluation bars f|_{x=a}, sigma^2 = 1 in the prose (a positive name's root),
the Unicode 𝔼, V(q) as a function (read as Var(q), a real error had held as 0 = 0), and an index after _ is not
a name defined as a matrix. Tried and backed out: the conditional law of E_{o \sim \pi_\theta(o \mid q)} (its
parameter is lost, so derivatives by theta read 0 and rows held as 0 = 0). Tuned 186/226 unchanged.
Then (branch checker10, 27 Nov 2026, test_real_notes.py at 4 points under a load average of 9-15 on 2 cores): six
more held-out files (natural gradients, a VAE's ELBO, GP regression, the Kalman smoother, variational EM, the lasso),
judged by hand first (8 errors in the sources, each confirmed numerically in test_real_notes.py): untuned 14 of their
118 relation lines decided, 1 false alarm (the lasso notes' inline "$$n = p = 1$$" read as a chain); after, 17 of 117,
no false alarm, one real error caught (1 - E[2u^2/s^2 + u^4/s^4] = 1 - 2 + 3, the fourth moment's sign lost). The 53
earlier held-out files 299/705 -> 302/694 (rows now read as definitions leave the count), held-out 59 files 319/811;
tuned 186/226 and planted 9/10 unchanged, 0 false alarms, 0 crashes. Read now (test_held10.py): normal laws declared
in a sentence ("Let $x \sim \mathcal{N}(\mu, \sigma^2)$") make their variable random and the other names constants
in the expectations after them; letters the math defines as functions of names and never writes alone (A(\theta) =
..., \phi(x) = x) are functions everywhere (A(\eta) applied, not A times eta); a bar inside the brackets of an
expectation's subscript is its law's condition (E_{q(z|x)}, E_{z \sim q(z|x)}, E_{o \sim \pi_\theta(o|q)}; the law
keeps its parameter, so derivatives by theta do not read 0); starred subscripts (y_*, \mathbf{x}_\star) are names of
their own; an equation said in the prose reaches every display after it in its section; an equation whose sides
differ by a nonzero number is a false claim, not an imposed condition; a chain of names ending in a number ("n = p =
1") states values. Left undecided (largest first): bold matrices never declared (\mathbf{P}_0 read as a number, so
those rows stay unchecked), Kalman-smoother matrices F_k, H_k, P_k^- written without bold (never read as numbers:
unchecked), densities with a parameter subscript and a bar (p_\theta(x | z)), \operatorname{E} x without brackets.
This benchmark at the end (8 points a step, load average 4-9): tuned 186/226, held-out 319/811 relation lines (319/736
claims, 43%), planted 148/168 with its 11 wrong steps all planted or judged; 0 false alarms, 0 crashes; CPU per
held-out file median 0.7 s, worst 37.7 s (opensrdk_beta.md).

Then (branch checker12, 27 Nov 2026, 8 points a step, per-step dump of every held-out file, load average 12-20 on 2
cores): the census of the 462 held-out rows the 64 files left unchecked or undecided, by cause: names on one side
only 85, opaque expectations that need facts (E[eps] = 0) or matrix linearity 70, other unread rows 64, other
undefined functions 53, derivatives of quantities not defined as functions of the variable 37, matrices never declared
read as numbers 31, approximations and proportionalities 18, sums over sets 15, "no value at a point" 14, E x without
brackets 10, argmin/argmax 9, densities with a parameter subscript 7, unsupported commands 21 (\bf 4, diag 4, \dots 3,
\partial 3, \ldots, \cdots, \binom, \colon, \succ, \space, \rm). Read now (test_held12.py): p_theta(x | z) is the
density given z and theta (it was the joint p_theta(x, z, theta) itself: p_theta(x, z) = p_theta(x | z) "held"),
inside an expectation the joint over the marginal; the first law of a divergence is read as a law (D_KL(q(z | x) ||
p(z)) was not read); \sum_{j'=1}^{V}; \binom{n}{k}; {\bf w}; s(x)_i as the entry i of s(x). Held-out: the 64 earlier
files 335 -> 339 of 881 relation lines (797 -> 795 claims; the six files of branch checker10 17 -> 18 of 112
claims); three new files (StatProofBook: the Beta posterior and MAP of binomial data, the Beta variance) 7 of 33
untuned, unchanged after; 67 files 346 of 914; tuned 186 of 226 and planted 9 of 10 unchanged; 0 false alarms, 0
crashes. The mutual-information file's CPU (54-60 s): each of its rows holds double integrals of undefined
densities, and every symbolic stage calls doit(), in which SymPy's manualintegrate tries substitutions on them until
that stage's budget runs out (not fixed).

Reports the median and worst time per check, and how each claim was decided: proved symbolically (which stage),
equivalent numerically (random points at 30 digits), not equivalent (a counterexample), or undecided. The
baseline runs simplify under the same 5 s budget symml gives it (a hang is counted as "no answer"); it cannot
handle matrix claims or give a counterexample, so it is run on the scalar claims only.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Collection

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import symml  # noqa: E402
from symml.budget import SIMPLIFY_SECONDS, within  # noqa: E402
from symml.checker import VerdictKind  # noqa: E402
from symml.checker.claims import read_sides  # noqa: E402
from symml.errors import BudgetExceededError  # noqa: E402
from tests.checker.corpus import PAIRS  # noqa: E402


def _run_symml() -> tuple[list[float], Counter, Counter, int]:
    times, kinds, methods, misjudged = [], Counter(), Counter(), 0
    for pair in PAIRS:
        for right, holds in ((pair.right, True), (pair.wrong, False)):
            started = time.perf_counter()
            verdict = symml.check(pair.left, right, **pair.options)
            times.append(time.perf_counter() - started)
            kinds[verdict.kind] += 1
            if verdict.kind is VerdictKind.EQUIVALENT:
                methods[verdict.method] += 1
            misjudged += bool(verdict) != holds
    return times, kinds, methods, misjudged


def _simplify_is_zero(left: object, right: object) -> bool:
    return sp.simplify(sp.sympify(left).doit() - sp.sympify(right).doit()) == 0


def _run_baseline() -> tuple[int, int, int, int, list[float]]:
    proved = hung = missed = total = 0
    times = []
    for pair in PAIRS:
        left, right = read_sides((pair.left, pair.right))
        if any(getattr(side, "is_Matrix", False) or side.atoms(sp.MatrixSymbol) for side in (left, right)):
            continue
        total += 1
        started = time.perf_counter()
        try:
            if within(SIMPLIFY_SECONDS, "simplify", _simplify_is_zero, left, right):
                proved += 1
            else:
                missed += 1
        except BudgetExceededError:
            hung += 1
        except Exception:  # noqa: BLE001 -- SymPy's own failures count as "no answer", as they would for a user
            missed += 1
        times.append(time.perf_counter() - started)
    return total, proved, missed, hung, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", action="store_true", help="also run simplify(a - b) == 0 on scalar claims")
    parser.add_argument("--notes", action="store_true", help="also check the corpus of real notes")
    arguments = parser.parse_args()
    if arguments.notes:
        _run_notes()

    times, kinds, methods, misjudged = _run_symml()
    checks = len(times)
    correct = len(PAIRS)
    symbolic = kinds[VerdictKind.EQUIVALENT] + kinds[VerdictKind.EQUIVALENT_UP_TO_CONSTANT]
    print(f"symml.check over {checks} claims ({correct} correct, {correct} wrong), one process, seed 0")
    print(f"  time per check: median {1000 * statistics.median(times):.0f} ms, "
          f"mean {1000 * statistics.mean(times):.0f} ms, worst {1000 * max(times):.0f} ms, "
          f"total {sum(times):.1f} s")
    print(f"  misjudged: {misjudged}")
    print(f"  correct claims proved symbolically: {symbolic}/{correct} ({100 * symbolic / correct:.0f}%), "
          f"equivalent numerically: {kinds[VerdictKind.NUMERICALLY_EQUIVALENT]}/{correct} "
          f"({100 * kinds[VerdictKind.NUMERICALLY_EQUIVALENT] / correct:.0f}%)")
    print(f"    symbolic stages: " + ", ".join(f"{m} {c}" for m, c in methods.most_common())
          + f", up to a constant {kinds[VerdictKind.EQUIVALENT_UP_TO_CONSTANT]}")
    print(f"  wrong claims refuted by a counterexample: {kinds[VerdictKind.NOT_EQUIVALENT]}/{correct}; "
          f"undecided: {kinds[VerdictKind.UNDECIDED]}")
    decided_symbolically = symbolic / checks
    print(f"  all checks: decided symbolically {100 * decided_symbolically:.0f}%, "
          f"numerically {100 * (1 - decided_symbolically - kinds[VerdictKind.UNDECIDED] / checks):.0f}% "
          "(random points: agreement or a counterexample)")
    if arguments.baseline:
        total, proved, missed, hung, baseline_times = _run_baseline()
        print(f"baseline simplify(a - b) == 0 on the {total} scalar correct claims ({SIMPLIFY_SECONDS:g} s budget): "
              f"proved {proved}, no answer {missed}, out of budget {hung}; "
              f"median {1000 * statistics.median(baseline_times):.0f} ms")


def _run_notes() -> None:
    from tests.checker.test_real_notes import HAND_JUDGED, HELDOUT_HAND_JUDGED, _planted_line

    notes = Path(__file__).resolve().parents[1] / "tests" / "checker"
    for title, directory, judged in (("tuned corpus", notes / "notes_corpus", HAND_JUDGED),
                                     ("held-out corpus", notes / "notes_heldout", HELDOUT_HAND_JUDGED)):
        _report_notes(title, directory, judged)
    planted = notes / "notes_planted"
    real = {(name, line) for name, line in HAND_JUDGED}
    _report_notes("planted copies", planted, real | {(path.name, _planted_line(path)) for path in planted.iterdir()})


def _report_notes(title: str, directory: Path, judged: Collection[tuple[str, int]]) -> None:
    """The four figures of a corpus: lines decided, false alarms (steps reported wrong that the hand judgement
    does not list), crashes (an exception out of the checker), and seconds per file; then how lines were decided."""
    from symml.checker import StepStatus
    from symml.checker.notes import check_notes

    seconds, cpu, statuses, how, lines, alarms, crashes, caught = [], [], Counter(), Counter(), [], [], [], 0
    for path in sorted(directory.iterdir()):
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            report = check_notes(path)
        except Exception as error:  # noqa: BLE001 -- a crash is one of the figures
            crashes.append(f"{path.name}: {type(error).__name__}: {error}")
            continue
        finally:
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            lines.append(len(path.read_text().splitlines()))
        for check in report.checks:
            statuses[check.status] += 1
            if check.status is StepStatus.HOLDS:
                proved = check.verdict is None or check.verdict.proved
                how["symbolically" if proved else "numerically"] += 1
            elif check.status is StepStatus.WRONG:
                how["numerically"] += 1  # a counterexample at random points
                if (path.name, check.line) in judged:
                    caught += 1
                else:
                    alarms.append(f"{path.name}:{check.line}")
    relations = sum(v for k, v in statuses.items() if k not in (StepStatus.GIVEN, StepStatus.DEFINITION))
    decided = statuses[StepStatus.HOLDS] + statuses[StepStatus.WRONG]
    per_100_lines = [100 * s / n for s, n in zip(seconds, lines)]
    slowest = max(range(len(seconds)), key=seconds.__getitem__)
    print(f"symml check over the {title} ({len(seconds)} notes files, {sum(lines)} lines): median "
          f"{statistics.median(seconds):.1f} s per file, worst {max(seconds):.1f} s "
          f"({sorted(directory.iterdir())[slowest].name}), total {sum(seconds):.1f} s; CPU median "
          f"{statistics.median(cpu):.1f} s, worst {max(cpu):.1f} s; median {statistics.median(per_100_lines):.1f} s "
          "per 100 lines (goal < 5)")
    print(f"  relation lines {relations}: decided {decided} ({100 * decided / max(relations, 1):.0f}%; goal 80%), of "
          f"those symbolically {how['symbolically']} ({100 * how['symbolically'] / max(decided, 1):.0f}%), "
          f"numerically {how['numerically']}; wrong {statuses[StepStatus.WRONG]} ({caught} judged wrong by hand or "
          f"planted); false alarms {len(alarms)}{' ' + str(alarms) if alarms else ''}; crashes {len(crashes)}"
          f"{' ' + str(crashes) if crashes else ''}; " + ", ".join(f"{k.value} {v}" for k, v in statuses.most_common()))
    claims = relations - statuses[StepStatus.CONDITION]  # a condition is imposed (set to zero, a constraint)
    print(f"  claims (relation lines less the {statuses[StepStatus.CONDITION]} conditions imposed): decided "
          f"{decided}/{claims} ({100 * decided / max(claims, 1):.0f}%)")

if __name__ == "__main__":
    main()
