-- What oppmini/store/nodes.py asks a database node of a cluster (a db_connect
-- URL listing several hosts) before a request uses it.

-- name: get_causal_barrier
-- Returns once this node has applied every transaction the cluster committed
-- before it (wsrep_sync_wait 1: before reads); fails at once (1047) on a node
-- outside the primary component. wsrep_on is 0 on a server without Galera.
SET STATEMENT wsrep_sync_wait = 1 FOR SELECT @@wsrep_on AS wsrep_on;

-- name: get_node_bare
-- The same without waiting, for the health probe.
SELECT @@wsrep_on AS wsrep_on;

-- name: list_node_status
SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state_comment');
