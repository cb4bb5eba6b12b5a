/**
 * What a run is, as stored: {@link dev.aeon.dataplane.history.state.ExecutionState} and its parts (workflow task,
 * activities, children, timers, requests to other workflows, the parent), each with private fields and methods
 * named for the changes its lifecycle makes, and the lifecycles' state machines as tables
 * ({@link dev.aeon.dataplane.history.state.Transitions}). Below the engine and every lifecycle; depends on nothing
 * of theirs.
 *
 * <p>Why this package is slightly over 1,500 lines: the parts' accessors. Each part is its own file, and the record
 * they make up is one storage format (the codec reads fields by name), so the package holds all of it.
 */
package dev.aeon.dataplane.history.state;
