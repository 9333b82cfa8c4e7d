-- Templates an admin hides from customers (VEs made from one keep it), and the templates each plan offers
-- (a plan that lists none offers every template that is not hidden).
create table template_setting (
    template varchar(32) primary key,
    hidden   boolean     not null default false
);

create table plan_template (
    plan_id  bigint      not null references plan (id) on delete cascade,
    template varchar(32) not null,
    primary key (plan_id, template)
);
