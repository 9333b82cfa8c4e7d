-- Failed sign-ins, per user name ('user:NAME') and per source address ('address:ADDR'), in the database so that
-- the throttle and its locks hold across restarts and across several panel instances (issue 19).
create table login_failure (
    key          varchar(300) primary key,
    count        integer      not null,
    first_at     timestamptz  not null,
    locked_until timestamptz
);
create index login_failure_first_at_idx on login_failure (first_at);
