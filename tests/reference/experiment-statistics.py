"""Independent reference values for tests/unit/experiment-statistics.test.ts.
Python standard library only (math, statistics.NormalDist); formulas written out here.
Run: python3 tests/reference/experiment-statistics.py"""
from math import sqrt, exp, log, lgamma, erfc
from statistics import NormalDist

N = NormalDist()
z = N.inv_cdf(0.975)

def wilson(x, n):
    p = x / n; d = 1 + z*z/n
    c = (p + z*z/(2*n)) / d; h = z*sqrt(p*(1-p)/n + z*z/(4*n*n)) / d
    return max(0, c-h), min(1, c+h)

print('z', z)
print('wilson(12,100)', wilson(12, 100))
print('wilson(0,20)', wilson(0, 20))

x1, n1, x0, n0 = 60, 1000, 45, 1000
p1, p0 = x1/n1, x0/n0
se = sqrt(p1*(1-p1)/n1 + p0*(1-p0)/n0)
print('abs lift (Wald, no longer used)', p1-p0, p1-p0-z*se, p1-p0+z*se)

def newcombe(x1, n1, x0, n0):
    # Newcombe (1998) method 10, the hybrid score interval of p1 - p0 from the two Wilson intervals.
    a1, b1 = x1/n1, x0/n0
    l1, u1 = wilson(x1, n1); l0, u0 = wilson(x0, n0)
    d = a1 - b1
    return d, d - sqrt((a1-l1)**2 + (u0-b1)**2), d + sqrt((u1-a1)**2 + (b1-l0)**2)
print('abs lift (Newcombe) 60/1000 vs 45/1000', newcombe(60, 1000, 45, 1000))
print('abs lift (Newcombe) 56/70 vs 48/80 (Newcombe 1998, table II: 0.0524, 0.3339)', newcombe(56, 70, 48, 80))
print('abs lift (Newcombe) 0/44 vs 0/9', newcombe(0, 44, 0, 9))
print('abs lift (Newcombe) 32/32 vs 9/9', newcombe(32, 32, 9, 9))
sel = sqrt(1/x1 - 1/n1 + 1/x0 - 1/n0)
print('rel lift', p1/p0-1, p1/p0*exp(-z*sel)-1, p1/p0*exp(z*sel)-1)
pp = (x1+x0)/(n1+n0)
zz = (p1-p0)/sqrt(pp*(1-pp)*(1/n1+1/n0))
print('z-test', zz, erfc(abs(zz)/sqrt(2)))

def katz_haldane(x1, n1, x0, n0):
    # Katz log risk ratio with 0.5 added to each of the four cells (Haldane-Anscombe), for a zero cell.
    a1, m1, a0, m0 = x1+0.5, n1+1, x0+0.5, n0+1
    rr = (a1/m1)/(a0/m0); s = sqrt(1/a1 - 1/m1 + 1/a0 - 1/m0)
    return rr*exp(-z*s)-1, rr*exp(z*s)-1
print('rel lift 46/51 vs 13/13 (control all responded, corrected)', 46/51 - 1, katz_haldane(46, 51, 13, 13))
print('z-test 46/51 vs 13/13', (lambda pp, zz: (zz, erfc(abs(zz)/sqrt(2))))((46+13)/64, (46/51-1)/sqrt((59/64)*(5/64)*(1/51+1/13))))

def chi2_sf_even_or_any(stat, df):
    # survival function of chi-square by series of the regularized upper gamma (df/2, stat/2)
    a, xx = df/2, stat/2
    # lower regularized gamma by series
    s = term = 1/a; k = 0
    while term > 1e-18*s:
        k += 1; term *= xx/(a+k); s += term
    lower = s*exp(-xx + a*log(xx) - lgamma(a))
    return 1 - lower

arms = [(45, 1000), (60, 1000), (52, 1000)]
NN = sum(n for _, n in arms); X = sum(x for x, _ in arms)
stat = 0
for x, n in arms:
    for o, sh in ((x, X/NN), (n-x, (NN-X)/NN)):
        e = n*sh; stat += (o-e)**2/e
print('chi2 3 arms', stat, chi2_sf_even_or_any(stat, 2))

def srm(counts, shares):
    n = sum(counts); t = sum(shares)
    st = sum((c - n*s/t)**2/(n*s/t) for c, s in zip(counts, shares))
    return st, chi2_sf_even_or_any(st, len(counts)-1)
print('srm 5100/4900', srm([5100, 4900], [50, 50]))
print('srm 2600/2400/5000', srm([2600, 2400, 5000], [25, 25, 50]))

def lbeta(a, b): return lgamma(a)+lgamma(b)-lgamma(a+b)
def prob_b_beats_a(aA, bA, aB, bB):  # Evan Miller's closed form
    return sum(exp(lbeta(aA+i, bA+bB) - log(bB+i) - lbeta(1+i, bB) - lbeta(aA, bA)) for i in range(aB))
print('P(60/1000 best vs 45/1000)', prob_b_beats_a(1+45, 1+955, 1+60, 1+940))

def prob_best_numeric(arms, steps=400000):
    post = [(1+x, 1+n-x) for x, n in arms]
    h = 1/steps
    pdf = lambda t, a, b: exp((a-1)*log(t) + (b-1)*log(1-t) - lbeta(a, b))
    cdf = [0.0]*len(post); out = [0.0]*len(post)
    prevpdf = [0.0]*len(post)
    for k in range(1, steps):
        t = k*h
        cur = [pdf(t, a, b) for a, b in post]
        newcdf = [c + (pv+cv)/2*h for c, pv, cv in zip(cdf, prevpdf, cur)]
        for i in range(len(post)):
            o = 1
            for j in range(len(post)):
                if j != i: o *= newcdf[j]
            out[i] += cur[i]*o*h
        cdf, prevpdf = newcdf, cur
    s = sum(out); return [v/s for v in out]
print('P(best) 3 arms', prob_best_numeric(arms))

def n_per_arm(p0, p1, alpha=0.05, power=0.8):
    za = N.inv_cdf(1-alpha/2); zb = N.inv_cdf(power); pb = (p0+p1)/2
    return (za*sqrt(2*pb*(1-pb)) + zb*sqrt(p0*(1-p0)+p1*(1-p1)))**2/(p1-p0)**2
print('n per arm 5%->5.5%', n_per_arm(0.05, 0.055))
print('n per arm 4.5%->4.95%', n_per_arm(0.045, 0.0495))

# tests/db/experiment-engine.test.ts: arm a 10/40 against the holdout 2/20
print('wilson(10,40)', wilson(10, 40))
x1, n1, x0, n0 = 10, 40, 2, 20
pp = (x1+x0)/(n1+n0); zz = (x1/n1-x0/n0)/sqrt(pp*(1-pp)*(1/n1+1/n0))
print('z-test 10/40 vs 2/20', zz, erfc(abs(zz)/sqrt(2)))
