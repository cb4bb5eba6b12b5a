package dev.aeon.dataplane.history.engine;

/**
 * Ends a run that outgrew Temporal's history limits, within the transition that made it too large. The run
 * lifecycle implements it; the engine only knows when to ask.
 */
public interface RunTerminator {

    void terminate(Mutation m, String reason, String identity);
}
