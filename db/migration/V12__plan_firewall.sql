-- The firewall: how many inbound rules a customer may set on each VE of the plan.
alter table plan add column firewall_rules integer not null default 20;
