-- Indexes of the figures counted in the database (issue 10's bench): a
-- region's residencies admitted by a window's end, its verified ladder
-- steps by date, and a carrier's residents.
CREATE INDEX residencies_region_admitted ON residencies (region_id, admitted_on);
-- split
CREATE INDEX residencies_carrier_moved_in ON residencies (carrier_id, moved_in_on);
-- split
CREATE INDEX ladder_steps_region_verified ON ladder_steps (region_id, status, step_on);
