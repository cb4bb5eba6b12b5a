package dev.aeon.dataplane.history.workflowtask;

import io.temporal.api.protocol.v1.Message;

import java.util.List;

/**
 * Protocol messages a workflow task carries to its worker besides history: the update requests waiting for the
 * run. The update lifecycle provides them; the workflow task only delivers.
 */
public interface TaskMessages {

    /** Messages for the run's task that started at {@code startedEventId}. */
    List<Message> forTask(String runId, long startedEventId);
}
