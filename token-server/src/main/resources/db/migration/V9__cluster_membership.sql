-- Token server, part 9: the nodes sharing this database (issue 18, "Past one machine").

-- One row per running token-server node, written by the node every
-- tokenserver.cluster.heartbeat-interval (cluster/ClusterMembership). A node counts the rows with a
-- recent heartbeat to take its share of limits kept in memory, such as the initiation rate; rows
-- of nodes that stopped are deleted by them, those of nodes that died by the others after
-- tokenserver.cluster.member-timeout. Nothing else refers to it.
CREATE TABLE cluster_member (
    node_id      uuid PRIMARY KEY,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL
);
