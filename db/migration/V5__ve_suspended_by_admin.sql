-- A VE frozen because its owner was suspended: unsuspending the owner thaws exactly these.
alter table ve add column suspended_by_admin boolean not null default false;
