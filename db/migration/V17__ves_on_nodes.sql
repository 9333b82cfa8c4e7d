-- Which node holds a VE (issue 19): none for the panel's own node, as every VE before the fleet. What the panel
-- last learnt from each node's agent: its software, kernel, capacity and templates, and when it last answered;
-- and a certificate rotation under way.
alter table ve add column node_id bigint references fleet_node (id);
create index ve_node_idx on ve (node_id);

alter table fleet_node
    add column last_contact_at timestamptz,
    add column last_error varchar(1000),
    add column version varchar(64),
    add column kernel varchar(128),
    add column cgroup_version varchar(8),
    add column memory_bytes bigint not null default 0,
    add column cpus int not null default 0,
    add column disk_bytes bigint not null default 0,
    add column disk_free_bytes bigint not null default 0,
    add column templates text not null default '',
    -- a rotation under way: the new certificate's SHA-256, accepted beside the old until the node serves it
    add column next_certificate_sha256 char(64);

-- An address pool belongs to a node (none: the panel's own machine): a VE gets its addresses from its node's pools,
-- which are routed to that node.
alter table ip_pool add column node_id bigint references fleet_node (id);
