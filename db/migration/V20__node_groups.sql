-- Node groups (issue 19): a label nodes share. A plan or a customer pinned to a group gets new VEs only on its
-- nodes; an address pool of a group serves every node in it (a pool has a node or a group, not both).
alter table fleet_node add column node_group varchar(40);
alter table plan add column node_group varchar(40);
alter table customer_quota add column node_group varchar(40);
alter table ip_pool add column node_group varchar(40);
alter table ip_pool add constraint ip_pool_node_or_group check (node_id is null or node_group is null);
