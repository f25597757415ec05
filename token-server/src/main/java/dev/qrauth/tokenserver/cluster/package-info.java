/**
 * The token-server nodes that share one PostgreSQL: each node announces itself in the
 * {@code cluster_member} table and counts the others, so that limits kept in each node's memory
 * (the initiation rate) can be divided among the nodes and hold for the cluster as a whole.
 * Nothing here is read from the database on a request; see {@code docs/SCALING.md}. It depends
 * on no other package of the server but its configuration.
 */
package dev.qrauth.tokenserver.cluster;
