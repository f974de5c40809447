-- Direct enrolment is two-sided: a carrier offers, the company's admin
-- accepts (the residency opens) or declines. Before this, a carrier could
-- open a residency for any company of its region on its own, and with it
-- read the company; see docs/adr/0005-authorization.md.
CREATE TABLE enrolment_offers (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id),
    carrier_id TEXT NOT NULL,
    region_id TEXT NOT NULL,
    company_ref TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    admitted_on TEXT NULL,
    moved_in_on TEXT NULL,
    unit TEXT NOT NULL DEFAULT '',
    area_m2 DOUBLE PRECISION NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    offered_by TEXT NOT NULL,
    decided_by TEXT NOT NULL DEFAULT '',
    residency_id TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- split
CREATE INDEX enrolment_offers_carrier ON enrolment_offers (carrier_id, status, created_at);
-- split
CREATE INDEX enrolment_offers_company ON enrolment_offers (company_id, created_at);
-- split
-- One pending offer per company and carrier.
CREATE UNIQUE INDEX enrolment_offers_one_pending ON enrolment_offers (company_id, carrier_id) WHERE status = 'pending';
-- split
-- The offer a residency was opened by, when it came from a direct enrolment.
ALTER TABLE residencies ADD COLUMN enrolment_offer_id TEXT NOT NULL DEFAULT '';
-- split
-- A carrier sees a company only through a relationship the company entered:
-- an application it submitted to the carrier's call, a residency from an
-- admission or a promotion, or a promotion it consented to. Links left by
-- residencies a carrier opened on its own are dropped; such a residency
-- stays in the carrier's list, and the company confirms it by accepting an
-- enrolment offer (which adopts it).
DELETE FROM company_carriers WHERE NOT EXISTS (
    SELECT 1 FROM applications a
    WHERE a.company_id = company_carriers.company_id AND a.carrier_id = company_carriers.carrier_id AND a.status <> 'draft'
) AND NOT EXISTS (
    SELECT 1 FROM residencies r
    WHERE r.company_id = company_carriers.company_id AND r.carrier_id = company_carriers.carrier_id
      AND (r.application_id <> '' OR r.promoted_from_id <> '')
) AND NOT EXISTS (
    SELECT 1 FROM promotions p
    WHERE p.company_id = company_carriers.company_id AND p.to_carrier_id = company_carriers.carrier_id
      AND p.status IN ('consented', 'accepted')
);
