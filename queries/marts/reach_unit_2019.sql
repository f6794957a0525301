-- Unique reach per province unit of 2019: a province split off since then (Papua's and Papua
-- Barat's new provinces, provinces.split_from_2019) counts with the province it was split
-- from, and a recipient reached in two of a unit's provinces counts once (a distinct count
-- cannot be added up over provinces). The participation tests compare on these 34 units.
-- Exact from reach_recipients (a row per recipient and province, so the distinct count runs
-- across the unit's provinces), or with $approximate estimated from the HyperLogLog sketch
-- merged over the unit's provinces (ddl/sketch.sql), as reach_unique_chosen does.
-- An estimate is capped at the unit's delivered messages, as in exposure_province.sql.
-- Unknown province (NULL) is no unit: left out.
-- Params: $date_from, $date_to, $waves, $operators, $provinces (NULL = no filter), $approximate.
-- Grain: one row per 2019 unit with delivered messages (delivered: the unit's).
WITH reached AS (  -- exact: a recipient alone in the rollup has one row, so one unit
    SELECT coalesce(p.split_from_2019, p.province_code) AS unit_code, r.recipient_key, r.alone
    FROM filtered_reach($date_from, $date_to, $waves, $operators, $provinces) AS r
    JOIN provinces AS p ON p.province_code = r.province_code
    WHERE NOT $approximate
),
planes AS (  -- estimated: the unit's provinces' sketches merged (OR of each plane)
    SELECT coalesce(p.split_from_2019, p.province_code) AS unit_code, s.plane,
           bit_count(bit_or(s.bits)) AS registers
    FROM filtered_sketch($date_from, $date_to, $waves, $operators, $provinces) AS s
    JOIN provinces AS p ON p.province_code = s.province_code
    WHERE $approximate
    GROUP BY ALL
),
delivered AS (
    SELECT coalesce(p.split_from_2019, p.province_code) AS unit_code,
           sum(c.receipts) AS delivered
    FROM filtered_counts($date_from, $date_to, $waves, $operators, $provinces) AS c
    JOIN provinces AS p ON p.province_code = c.province_code
    WHERE c.status = 'DELIVRD'
    GROUP BY ALL
),
sums AS (
    SELECT unit_code, hll_filled(registers, plane) AS filled,
           hll_scaled(hll_q(), registers, plane) AS scaled,
           hll_top(hll_q(), registers, plane) AS top
    FROM planes
    GROUP BY unit_code
)
SELECT u.unit_code AS province_code,
       any_value(d.delivered)::BIGINT AS delivered,
       least(sum(u.recipients), any_value(d.delivered))::BIGINT AS unique_reach,
       $approximate AS unique_reach_approximate  -- last, as in every reach table
FROM (
    SELECT unit_code, count(*) AS recipients FROM reached WHERE alone GROUP BY unit_code
    UNION ALL
    SELECT unit_code, count(DISTINCT recipient_key) FROM reached WHERE NOT alone
    GROUP BY unit_code
    UNION ALL
    SELECT s.unit_code,
           round(hll_estimate(hll_m(), hll_q(), s.filled, s.scaled, s.top, e.sigma, t.tau))
    FROM sums AS s
    JOIN hll_series AS e ON e.p = hll_p() AND e.j = hll_m() - s.filled
    JOIN hll_series AS t ON t.p = hll_p() AND t.j = s.top
) AS u
JOIN delivered AS d ON d.unit_code = u.unit_code
GROUP BY u.unit_code
ORDER BY province_code
