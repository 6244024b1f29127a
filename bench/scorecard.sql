-- The national scorecard written directly in SQL: the same figures the
-- store computes for `GET /api/v1/scorecard` (partnership :PID, "lately"
-- meaning since :SINCE), one statement per figure. bench/scorecard fills in
-- :PID, :SINCE, :TODAY and DAYS(from, to) for each engine.

-- Teams by level.
SELECT COALESCE(t.level, 0) AS level, COUNT(*) AS teams
FROM bodies b JOIN units d ON d.id = b.unit_id LEFT JOIN teams t ON t.body_id = b.id
WHERE b.partnership_id = :PID AND b.level = 'team' GROUP BY 1 ORDER BY 1;

-- Projects by Value Compass point.
SELECT c.point, COUNT(*) AS projects
FROM project_compass c JOIN projects pj ON pj.id = c.project_id JOIN bodies b ON b.id = pj.body_id
JOIN units d ON d.id = b.unit_id
WHERE c.partnership_id = :PID GROUP BY c.point ORDER BY c.point;

-- Savings by year, self-reported beside verified; corrected claims do not count.
SELECT SUBSTR(CAST(c.period_start AS VARCHAR), 1, 4) AS year, SUM(c.amount_cents) AS self_reported_cents,
  SUM(CASE WHEN c.verified_at IS NOT NULL THEN c.amount_cents ELSE 0 END) AS verified_cents
FROM savings_claims c JOIN bodies b ON b.id = c.body_id JOIN units d ON d.id = b.unit_id
WHERE c.partnership_id = :PID AND NOT EXISTS (SELECT 1 FROM savings_claims n WHERE n.corrects_id = c.id)
GROUP BY 1 ORDER BY 1;

-- The practices that spread furthest.
SELECT o.id, o.title, ob.id, ob.name, COUNT(*) AS adoptions, COUNT(DISTINCT ad.id), COUNT(DISTINCT af.id),
  COUNT(DISTINCT ar.id), MIN(DAYS(o.started_on, a.started_on)), MAX(DAYS(o.started_on, a.started_on))
FROM projects a JOIN projects o ON o.id = a.adopted_from_id JOIN bodies ob ON ob.id = o.body_id
JOIN bodies ab ON ab.id = a.body_id JOIN units ad ON ad.id = ab.unit_id
LEFT JOIN units af ON af.id = ad.parent_id LEFT JOIN units ar ON ar.id = af.parent_id
WHERE a.partnership_id = :PID
GROUP BY o.id, o.title, ob.id, ob.name ORDER BY adoptions DESC, 8 DESC, o.id LIMIT 10;

-- The breakdown by region: teams, levels 4-5, savings, quiet teams, teams
-- missing a leader; the per-team facts joined as whole sets.
SELECT COALESCE(r.id, f.id, d.id) AS region, COUNT(*),
  SUM(CASE WHEN COALESCE(t.level, 0) >= 4 THEN 1 ELSE 0 END),
  SUM(sv.self_reported), SUM(sv.verified),
  SUM(CASE WHEN pd.last IS NULL OR pd.last < ':SINCE' THEN 1 ELSE 0 END),
  SUM(CASE WHEN COALESCE(ld.complete, 0) = 0 THEN 1 ELSE 0 END)
FROM bodies b JOIN units d ON d.id = b.unit_id LEFT JOIN units f ON f.id = d.parent_id
LEFT JOIN units r ON r.id = f.parent_id LEFT JOIN teams t ON t.body_id = b.id
LEFT JOIN (SELECT c.body_id, SUM(c.amount_cents) AS self_reported,
    SUM(CASE WHEN c.verified_at IS NOT NULL THEN c.amount_cents ELSE 0 END) AS verified
  FROM savings_claims c WHERE c.partnership_id = :PID
    AND NOT EXISTS (SELECT 1 FROM savings_claims n WHERE n.corrects_id = c.id) GROUP BY c.body_id) sv ON sv.body_id = b.id
LEFT JOIN (SELECT pj.body_id, MAX(pj.last_documented_on) AS last FROM projects pj
  WHERE pj.partnership_id = :PID GROUP BY pj.body_id) pd ON pd.body_id = b.id
LEFT JOIN (SELECT s.body_id, CASE WHEN
    MAX(CASE WHEN s.role = 'co_lead' AND s.side = 'labor' THEN 1 ELSE 0 END) = 1
    AND MAX(CASE WHEN s.role = 'co_lead' AND s.side = 'management' THEN 1 ELSE 0 END) = 1
    AND MAX(CASE WHEN s.role = 'sponsor' AND s.side = 'labor' THEN 1 ELSE 0 END) = 1
    AND MAX(CASE WHEN s.role = 'sponsor' AND s.side = 'management' THEN 1 ELSE 0 END) = 1 THEN 1 ELSE 0 END AS complete
  FROM seats s WHERE s.partnership_id = :PID AND s.role IN ('co_lead', 'sponsor') GROUP BY s.body_id) ld ON ld.body_id = b.id
WHERE b.partnership_id = :PID AND b.level = 'team' GROUP BY 1 ORDER BY 1;

-- Engagement by region: workers, and those who took part lately (counted by
-- unit first, then rolled up, as the store does).
SELECT COALESCE(r.id, f.id, d.id) AS region, SUM(x.workers), SUM(x.engaged)
FROM (SELECT unit_id, COUNT(*) AS workers,
        SUM(CASE WHEN last_took_part_on >= ':SINCE' THEN 1 ELSE 0 END) AS engaged
      FROM people WHERE partnership_id = :PID GROUP BY unit_id) x
JOIN units d ON d.id = x.unit_id LEFT JOIN units f ON f.id = d.parent_id LEFT JOIN units r ON r.id = f.parent_id
GROUP BY 1 ORDER BY 1;
