-- Nesting: the plan's VEs may run containers of their own (user and network namespaces inside them).
alter table plan add column nesting boolean not null default false;
