#!/usr/bin/env python3
"""Independent reference for the golden values in base/prng_test.cc.

Written from the published algorithms, not from base/prng.h: splitmix64
(Steele, Lea & Flood 2014; Vigna's splitmix64.c) and xoshiro256** 1.0
(Blackman & Vigna, xoshiro256starstar.c), with the state seeded by four
consecutive splitmix64 outputs as Vigna recommends. It first prints the
splitmix64 sequence for seed 1234567, which must equal the widely published
check values 6457827717110365317, 3203168211198807973, 9817491932198370423,
4593380528125082431, 16408922859458223821; then the first xoshiro256**
outputs for the seeds the test pins, a run of Uniform(10) (Lemire's
method) and the outputs of a forked stream.

Run once by hand (python3 base/testdata/prng_reference.py); the test does not
depend on it.
"""

MASK = (1 << 64) - 1


def splitmix64(state):
    """Returns (new_state, output)."""
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


def xoshiro256starstar(seed, n):
    s = []
    state = seed
    for _ in range(4):
        state, word = splitmix64(state)
        s.append(word)
    out = []
    for _ in range(n):
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        out.append(result)
    return out


def uniform(outputs, bound):
    """Lemire's nearly divisionless bounded integer (Lemire 2019, Alg. 5)."""
    x = next(outputs)
    m = x * bound
    low = m & MASK
    if low < bound:
        threshold = ((1 << 64) - bound) % bound
        while low < threshold:
            x = next(outputs)
            m = x * bound
            low = m & MASK
    return m >> 64


def fork_seed(seed, stream_id):
    """The seed of Prng(seed).Fork(stream_id): this one is our own definition
    (base/prng.h), restated here so the test pins it."""
    state = seed ^ ((stream_id * 0xD1B54A32D192ED03) & MASK)
    state, _ = splitmix64(state)
    _, derived = splitmix64(state)
    return derived


def main():
    state = 1234567
    check = []
    for _ in range(5):
        state, value = splitmix64(state)
        check.append(value)
    print("splitmix64(1234567):", check)
    for seed in (0, 1, 42, 0xDEADBEEF):
        print("seed %d:" % seed)
        for value in xoshiro256starstar(seed, 6):
            print("    0x%016xULL," % value)
    outputs = iter(xoshiro256starstar(42, 1000))
    print("seed 42, Uniform(10) x 12:", [uniform(outputs, 10) for _ in range(12)])
    forked = fork_seed(42, 7)
    print("seed 42, Fork(7): seed 0x%016x, outputs:" % forked)
    for value in xoshiro256starstar(forked, 3):
        print("    0x%016xULL," % value)


if __name__ == "__main__":
    main()
