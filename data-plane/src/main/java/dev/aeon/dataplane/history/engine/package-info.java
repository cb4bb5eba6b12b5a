/**
 * The engine: applies state transitions to workflow runs (load, mutate, commit as one fenced write) and owns what
 * every transition shares: shard ownership and task ids, the mutable-state cache, the outbox (transfer and timer
 * rows handed to matching, the timer queue and the cross-workflow queue after each commit, and reconciled from
 * the rows), history long polls, and the timer dispatcher lifecycles register with. It knows no lifecycle.
 *
 * <p>Why this package is over 1,500 lines: the commit, the shard fence and the outbox are one mechanism (a commit
 * writes rows under the shard's range id; reconciliation re-reads exactly those rows and moves the shard's ack
 * levels), so splitting shards or queues into their own package would make a cycle with the commit. The group
 * commit (issue 18) reshapes this package next; it is split then if the new shape allows it.
 */
package dev.aeon.dataplane.history.engine;
