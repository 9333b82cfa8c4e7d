-- Live moves (issue 16): the VE's processes saved by a checkpoint on the source and restored on the target, instead of
-- a stop and a boot.
alter table ve_move add column live boolean not null default false;
