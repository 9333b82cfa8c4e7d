-- The node-wide firewall rules of the fleet (issue 19): one list, kept here and put on every node (the panel's
-- machine and each joined node's agent). No row: the panel's machine's rules are the fleet's, as before the fleet.
create table fleet_firewall (
    id         smallint    primary key default 1 check (id = 1),
    rules      text        not null,
    changed_at timestamptz not null
);
