-- How many snapshots each VE of a plan may keep; plans made before snapshots existed offer none until an admin
-- says otherwise.
alter table plan add column snapshots_kept int not null default 0 check (snapshots_kept between 0 and 100);
