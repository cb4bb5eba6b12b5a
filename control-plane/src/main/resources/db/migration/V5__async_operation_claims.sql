-- Control-plane replicas share the operations that carry changes to the data plane: a replica runs one only while it
-- holds its claim, which lasts until claim_expires_at (the database's clock, never a replica's) and is renewed at
-- every attempt. A replica that dies stops renewing, and another takes the operation over once the lease has run out.
alter table async_operation add column claimed_by varchar(100);
alter table async_operation add column claim_expires_at timestamptz;
-- A claim waits while another unfinished operation of the same resource is held: found through this index.
create index async_operation_unfinished_by_resource on async_operation (resource_id) where finished_at is null;
