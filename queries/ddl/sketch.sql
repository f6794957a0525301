-- HyperLogLog sketches of unique reach (Flajolet, Fusy, Gandouet, Meunier 2007), estimated with
-- Ertl's improved raw estimator (Ertl 2017, "New cardinality estimation algorithms for
-- HyperLogLog sketches", arXiv:1702.01284, algorithm 6): estimates for any filter once the exact
-- rollup (reach_recipients) is too large to count quickly. Pages say when they show one.
-- Idempotent: run on every connect that may write, after macros.sql (the table macros use its
-- filters). Filters as in macros.sql: date_from/date_to (WIB send dates, NULL = open), waves,
-- operators, provinces (lists, NULL = all; a province filter leaves out recipients of unknown
-- province).
--
-- recipient_key is already a uniform 64-bit keyed hash (the lower 64 bits of MD5), so it is
-- not hashed again: register = its low p bits; rank = 1 + the number of trailing zero bits of
-- the other q = 64 - p bits (q + 1 when they are all zero). m = 2^p registers; the theoretical
-- standard error is 1.04 / sqrt(m): 1.6 % at p = 12 (measured with this estimator: RMSE at most
-- 1.6 % and mean error at most 0.2 % from 100 to 10^7 recipients, tests/test_sketch.py).
--
-- Storage is bit-sliced ("thermometer" planes) instead of one row per register: plane k of a
-- sketch is an m-bit string whose bit j is set when register j holds a rank >= k. The union of
-- sketches (max rank per register) is then the bitwise OR of their planes, and the estimate
-- needs only c_k = the number of registers with rank >= k (a popcount): the histogram of ranks
-- is C_0 = m - c_1 (empty registers) and C_k = c_k - c_(k+1) (rank exactly k).
-- Built without a row per register: see macro sketch_planes.
-- At 100 M receipts that is 23 thousand rows (12 MB) instead of millions of register rows,
-- and merging them for a page's grouping took 6-16 ms where grouping register rows took
-- 20-350 ms (BENCHMARKS.md, "HyperLogLog reach sketches").

-- rollup: one row per (slot, operator, province, plane k) with at least one register at rank
-- >= k. Register j of the sketch of (slot, operator, province) has rank = the number of its
-- planes with bit j set.
CREATE TABLE IF NOT EXISTS reach_sketch (
    slot INTEGER NOT NULL,          -- reach_slots.slot: one (wave, WIB send day)
    operator VARCHAR NOT NULL,
    province_code SMALLINT,         -- NULL = unknown province
    plane UTINYINT NOT NULL,        -- k = 1 .. 64 - p + 1
    bits BIT NOT NULL               -- m bits, register 0 leftmost: rank of register >= k
);

-- one row: the precision the sketch was built with and the last receipts file it includes
-- (ingest_log.ingest_id; NULL = none), so a sketch that missed a file is never used
CREATE TABLE IF NOT EXISTS reach_sketch_state (
    p UTINYINT NOT NULL,
    ingest_id INTEGER
);

-- the precision p (m = 2^p registers per sketch); dashboard/sketch.py PRECISION must agree.
-- Changing it makes the stored sketch stale; the next writable connect rebuilds it.
CREATE OR REPLACE MACRO hll_p() AS 12;

CREATE OR REPLACE MACRO hll_m() AS (1 << hll_p());

CREATE OR REPLACE MACRO hll_register(key) AS (key & ((1::UBIGINT << hll_p()) - 1))::INTEGER;

-- 1 + trailing zeros of a word w > 0: w XOR (w - 1) keeps the lowest 1-bit and the zeros
-- below it, so its popcount is the rank. Integer arithmetic only: no log2 rounding.
CREATE OR REPLACE MACRO hll_lowest_one(w) AS bit_count(xor(w, w - 1));

-- a sentinel bit just above the 64 - p hash bits gives an all-zero word the rank 64 - p + 1
-- (and keeps w - 1 from underflowing)
CREATE OR REPLACE MACRO hll_rank(key) AS
hll_lowest_one((key >> hll_p()) | (1::UBIGINT << (64 - hll_p())))::UTINYINT;

-- the m-bit plane of a group of registers (an aggregate): bit j set for each register j
CREATE OR REPLACE MACRO hll_plane_bits(register) AS bitstring_agg(register, 0, hll_m() - 1);

-- grain: one reach_sketch row (slot, operator, province, plane) from the delivered receipts of
-- the relation named `source` (receipts, or a view with its columns: recipient_key, operator,
-- province_code, wave_id, send_date, status), slots from reach_slots. One build for the
-- merge, the refresh and the rebuild. Plane k = {j : M_j >= k} is the OR, over the ranks r >= k
-- seen, of the registers that saw rank r, so the build groups by (slot, operator, province,
-- rank) only (at 10 M receipts 1.2-1.7 s, against 2.4-2.5 s for the largest rank per
-- register first; the same sketch).
CREATE OR REPLACE MACRO sketch_planes(source) AS TABLE
WITH by_rank AS (
    SELECT s.slot, r.operator, r.province_code, hll_rank(r.recipient_key) AS rank,
           hll_plane_bits(hll_register(r.recipient_key)) AS bits
    FROM query_table(source) AS r
    JOIN reach_slots AS s ON s.wave_id = r.wave_id AND s.send_date = r.send_date
    WHERE r.status = 'DELIVRD'
    GROUP BY ALL
)
SELECT slot, operator, province_code, plane::UTINYINT AS plane, bit_or(bits) AS bits
FROM (SELECT *, unnest(range(1, rank + 1)) AS plane FROM by_rank)  -- rank r is in planes 1 .. r
GROUP BY ALL;

-- q = 64 - p: the hash bits a rank is counted in; ranks run from 0 (empty) to q + 1
CREATE OR REPLACE MACRO hll_q() AS (64 - hll_p());

-- Ertl's sigma(x) = x + sum_(k>=1) x^(2^k) 2^(k-1) for 0 <= x < 1 (x = the share of empty
-- registers; infinite at x = 1, an empty sketch, whose estimate is 0). The paper sums until the
-- sum stops changing; here the terms k = 1 .. K with K = ceil(log2(64 / -ln x)) (at least 1,
-- at most 64), past which nothing changes a double: the first term left out is
-- 2^K exp(-2^(K+1) (-ln x)) <= 2^K e^-128, below 2^-60 of sigma >= x for any p <= 57
-- (-ln x <= ln m), and each later one is smaller than the square of the one before. That is
-- K = 18 terms at most at p = 12 (x = 1 - 1/m). pow(x, 2^k) directly, not by squaring k
-- times, which compounds rounding.
CREATE OR REPLACE MACRO hll_sigma(x) AS
CASE
    WHEN x <= 0 THEN 0.0
    WHEN x >= 1 THEN 'infinity'::DOUBLE
    ELSE x + list_sum(list_transform(
        range(1, least(64, greatest(1, ceil(log2(64 / -ln(x)))))::BIGINT + 1),
        lambda k: pow(x, pow(2, k)) * pow(2, k - 1)))
END;

-- Ertl's tau(x) = (1 - x - sum_(k>=1) (1 - x^(2^-k))^2 2^-k) / 3 for 0 <= x <= 1 (x = 1 - the
-- share of registers at rank q + 1), to 64 terms: 1 - x^(2^-k) <= 2^-k |ln x| and x >= 1/m
-- when x > 0, so term k is at most (p ln 2)^2 2^(-3k), and the terms left out (k > 64) are
-- below 2^-120 of tau(x) >= about 1 / (3m) for any p <= 57. tau(0) = tau(1) = 0 exactly, as
-- the paper returns them.
CREATE OR REPLACE MACRO hll_tau(x) AS
CASE
    WHEN x <= 0 OR x >= 1 THEN 0.0
    ELSE (1 - x - list_sum(list_transform(
        range(1, 65), lambda k: pow(1 - pow(x, pow(0.5, k)), 2) * pow(0.5, k)))) / 3
END;

-- Ertl's improved raw estimate (algorithm 6) of m registers from their plane counts
-- c_k = the registers with rank >= k, given as
--   filled = c_1 (so C_0 = m - filled registers are empty),
--   scaled = sum_k c_k 2^(q+1-k), an exact integer (HUGEINT: up to 2^(p + q + 1) = 2^65),
--   top    = c_(q+1) = C_(q+1), the registers at the largest rank,
--   sigma  = sigma(C_0 / m) and tau = tau(1 - C_(q+1) / m) (looked up in hll_series).
-- The rank histogram is C_0 = m - c_1 and C_k = c_k - c_(k+1) (rank exactly k). The
-- algorithm's z = m tau(1 - C_(q+1)/m), then z = (z + C_k) / 2 for k = q down to 1, then
-- z += m sigma(C_0/m), is unrolled as
--   z = m sigma(C_0/m) + sum_(k=1..q) C_k 2^-k + m tau(1 - C_(q+1)/m) 2^-q,
-- and the estimate is alpha_inf m^2 / z with alpha_inf = 1 / (2 ln 2). By summation by parts
-- the middle sum is c_1 - sum_k c_k 2^-k - c_(q+1) 2^-(q+1), which times 2^(q+1) is the exact
-- integer filled 2^(q+1) - scaled - top: one rounding when it becomes a DOUBLE (the same
-- difference taken in doubles was off by 1e-7 at 10^13 recipients: cancellation). No switch
-- to linear counting and no bias table: sigma carries the empty registers and tau the
-- saturated ones. An empty sketch gives 0; z > 0 unless every register is at rank q + 1,
-- which takes m keys whose q rank bits are all zero.
CREATE OR REPLACE MACRO hll_estimate(m, q, filled, scaled, top, sigma, tau) AS
CASE
    WHEN filled <= 0 THEN 0.0
    ELSE m * m / (2 * ln(2))
         / (m * sigma + ((filled::HUGEINT << (q + 1)) - scaled - top)::DOUBLE * pow(0.5, q + 1)
            + m * tau * pow(0.5, q))
END;

-- what hll_estimate needs of a group of plane rows (aggregates; c = c_k, the registers with
-- rank >= k in plane k; planes with no register are not stored)
CREATE OR REPLACE MACRO hll_filled(c, plane) AS coalesce(sum(c) FILTER (WHERE plane = 1), 0);

CREATE OR REPLACE MACRO hll_scaled(q, c, plane) AS
coalesce(sum(c::HUGEINT << (q + 1 - plane)), 0);

CREATE OR REPLACE MACRO hll_top(q, c, plane) AS
coalesce(sum(c) FILTER (WHERE plane = q + 1), 0);

-- sigma and tau at every value a sketch of m registers gives them: one row per precision p
-- and count j = 0 .. m, sigma(j / m) (j registers empty) and tau(1 - j / m) (j registers at
-- rank q + 1). Filled once per precision (the first writable connect with a new p, 4,097
-- rows), so that a query looks the two series up instead of evaluating them: binding their
-- sums cost every query 1.2 ms more than the 2007 estimator, the lookup nothing measurable
-- (BENCHMARKS.md, "HyperLogLog reach sketches").
CREATE TABLE IF NOT EXISTS hll_series (
    p UTINYINT NOT NULL,
    j INTEGER NOT NULL,
    sigma DOUBLE NOT NULL,  -- 'infinity' at j = m (an empty sketch: the estimate is 0)
    tau DOUBLE NOT NULL,
    PRIMARY KEY (p, j)
);

INSERT INTO hll_series
SELECT hll_p(), j, hll_sigma(j / hll_m()), hll_tau(1 - j / hll_m())
FROM range(0, hll_m() + 1) AS r(j)
WHERE NOT EXISTS (SELECT 1 FROM hll_series WHERE p = hll_p());

-- grain: one reach_sketch row inside the filters, with the wave of its slot
CREATE OR REPLACE MACRO filtered_sketch(date_from, date_to, waves, operators, provinces)
AS TABLE
SELECT s.slot, sl.wave_id, s.operator, s.province_code, s.plane, s.bits
FROM reach_sketch AS s
JOIN reach_slots AS sl USING (slot)
WHERE in_period(sl.send_date, date_from, date_to) AND in_list(waves, sl.wave_id)
  AND in_list(operators, s.operator) AND in_list(provinces, s.province_code);

-- Approximate unique reach grouped by operator and/or province (by_operator, by_province:
-- booleans; a key not grouped by comes out NULL): the columns of reach_unique (macros.sql),
-- unique_reach rounded to a whole number. The sketches of the chosen slots, operators and
-- provinces are merged per group (OR of each plane), then estimated.
-- Grain: one row per group with delivered messages.
CREATE OR REPLACE MACRO reach_unique_approx(date_from, date_to, waves, operators, provinces,
                                            by_operator, by_province) AS TABLE
WITH planes AS (
    SELECT
        CASE WHEN by_operator THEN operator END AS operator,
        CASE WHEN by_province THEN province_code END AS province_code,
        plane,
        bit_count(bit_or(bits)) AS registers
    FROM filtered_sketch(date_from, date_to, waves, operators, provinces)
    GROUP BY ALL
),
sums AS (
    SELECT operator, province_code, hll_filled(registers, plane) AS filled,
           hll_scaled(hll_q(), registers, plane) AS scaled,
           hll_top(hll_q(), registers, plane) AS top
    FROM planes
    GROUP BY operator, province_code
)
SELECT s.operator, s.province_code,
       round(hll_estimate(hll_m(), hll_q(), s.filled, s.scaled, s.top, e.sigma, t.tau))::BIGINT
           AS unique_reach
FROM sums AS s
JOIN hll_series AS e ON e.p = hll_p() AND e.j = hll_m() - s.filled
JOIN hll_series AS t ON t.p = hll_p() AND t.j = s.top;

-- Approximate unique reach per wave: a wave's sketch is the merge of its slots inside the
-- filters. Grain: one row per wave with delivered messages.
CREATE OR REPLACE MACRO reach_wave_approx(date_from, date_to, waves, operators, provinces)
AS TABLE
WITH planes AS (
    SELECT wave_id, plane, bit_count(bit_or(bits)) AS registers
    FROM filtered_sketch(date_from, date_to, waves, operators, provinces)
    GROUP BY ALL
),
sums AS (
    SELECT wave_id, hll_filled(registers, plane) AS filled,
           hll_scaled(hll_q(), registers, plane) AS scaled,
           hll_top(hll_q(), registers, plane) AS top
    FROM planes
    GROUP BY wave_id
)
SELECT s.wave_id,
       round(hll_estimate(hll_m(), hll_q(), s.filled, s.scaled, s.top, e.sigma, t.tau))::BIGINT
           AS unique_reach
FROM sums AS s
JOIN hll_series AS e ON e.p = hll_p() AND e.j = hll_m() - s.filled
JOIN hll_series AS t ON t.p = hll_p() AND t.j = s.top;

-- Unique reach as the marts read it: exact (reach_unique, macros.sql) or estimated from the
-- sketch (reach_unique_approx), as `approximate` says. Passed a query's bound value, it is a
-- constant when DuckDB plans the query, so only the chosen branch runs (measured: with
-- approximate true, 30 M rows, the exact branch's count(DISTINCT) adds nothing).
-- Grain: as reach_unique.
CREATE OR REPLACE MACRO reach_unique_chosen(date_from, date_to, waves, operators, provinces,
                                            by_operator, by_province, approximate) AS TABLE
SELECT * FROM reach_unique(date_from, date_to, waves, operators, provinces, by_operator,
                           by_province)
WHERE NOT approximate
UNION ALL
SELECT * FROM reach_unique_approx(date_from, date_to, waves, operators, provinces, by_operator,
                                  by_province)
WHERE approximate;

-- Unique reach per wave, exact (reach_wave_unique, macros.sql) or estimated, as above.
-- Grain: one row per wave with delivered messages.
CREATE OR REPLACE MACRO reach_wave_chosen(date_from, date_to, waves, operators, provinces,
                                          approximate) AS TABLE
SELECT * FROM reach_wave_unique(date_from, date_to, waves, operators, provinces)
WHERE NOT approximate
UNION ALL
SELECT * FROM reach_wave_approx(date_from, date_to, waves, operators, provinces)
WHERE approximate;

-- one row per register of the merged sketch inside the filters (empty registers left out):
-- for checking the sketch against a reference implementation. Grain: one row per register.
CREATE OR REPLACE MACRO sketch_registers(date_from, date_to, waves, operators, provinces)
AS TABLE
WITH planes AS (
    SELECT plane, bit_or(bits) AS bits
    FROM filtered_sketch(date_from, date_to, waves, operators, provinces)
    GROUP BY plane
)
SELECT j AS register, count(*)::UTINYINT AS rank
FROM planes, range(0, hll_m()) AS r(j)
WHERE get_bit(bits, j::INTEGER) = 1
GROUP BY j;
