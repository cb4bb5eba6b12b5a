package dev.aeon.dataplane.history.visibility;

import dev.aeon.dataplane.history.engine.HistoryEngine;
import dev.aeon.dataplane.history.engine.InternalTaskQueue;
import dev.aeon.dataplane.history.state.ExecutionState;
import dev.aeon.dataplane.history.state.StoredProtos;
import dev.aeon.dataplane.matching.DispatchTask;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.namespace.NamespaceRegistry;
import dev.aeon.dataplane.visibility.VisibilityConfig;
import dev.aeon.dataplane.visibility.store.SearchAttributeCodec;
import dev.aeon.dataplane.visibility.store.VisibilityRecord;
import dev.aeon.dataplane.visibility.store.VisibilityStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.runtime.StartupEvent;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps each run's visibility record (what list, count and scan see) following the run. The transition that
 * changes what visibility shows commits a {@link DispatchTask.Kind#VISIBILITY} task with it (the shard's outbox);
 * this handler brings the record up to the run's state as it is when the task runs, under the workflow's lock, so
 * a task run twice, late or out of order writes the same newest state, and a run deleted meanwhile has its record
 * deleted. Run deletion deletes the record under the same lock first, so no late task brings it back.
 */
@ApplicationScoped
public class VisibilityTasks {

    private static final Logger LOG = Logger.getLogger(VisibilityTasks.class);

    private final HistoryEngine engine;
    private final VisibilityStore store;
    private final NamespaceRegistry namespaces;
    /**
     * Writes wait on PostgreSQL (and hold their workflow's lock meanwhile): they run on threads of their own, so
     * the engine's threads never wait on visibility.
     */
    private final ExecutorService writers;

    public VisibilityTasks(HistoryEngine engine, InternalTaskQueue queue, VisibilityStore store,
                           VisibilityConfig config, NamespaceRegistry namespaces) {
        this.engine = engine;
        this.store = store;
        this.namespaces = namespaces;
        this.writers = Executors.newFixedThreadPool(Math.max(1, config.postgres().maxPoolSize() / 2), runnable -> {
            Thread thread = new Thread(runnable, "aeon-visibility-write");
            thread.setDaemon(true);
            return thread;
        });
        if (config.enabled()) {
            queue.onTask(EnumSet.of(DispatchTask.Kind.VISIBILITY), this::handle, writers);
            engine.writeVisibilityTasks();
            engine.beforeRunDeletion(store::delete);
        } else {
            // Rows written while visibility was on, before a restart with it off: nothing reads records now.
            queue.onTask(EnumSet.of(DispatchTask.Kind.VISIBILITY), engine::forgetDoneTask, writers);
        }
    }

    /** Created before the engine hands pending tasks back, so none runs without a handler. */
    void init(@Observes @Priority(1) StartupEvent event) {
    }

    @PreDestroy
    void stop() {
        writers.shutdownNow();
    }

    void handle(DispatchTask task) {
        Optional<Map<String, IndexedValueType>> types = attributeTypes(task.namespaceId());
        engine.withRun(task.namespaceId(), task.workflowId(), task.runId(), run -> {
            if (run.isPresent() && types.isPresent()) {
                store.upsert(record(run.get().state(), run.get().version(), types.get()), types.get());
            } else {
                store.delete(task.namespaceId(), task.workflowId(), task.runId());
            }
            return null;
        });
        engine.forgetDoneTask(task);
    }

    /** The namespace's custom attribute types; empty once the namespace is deleted (its runs are being purged). */
    private Optional<Map<String, IndexedValueType>> attributeTypes(String namespaceId) {
        try {
            Namespace namespace = namespaces.withId(namespaceId);
            return Optional.of(namespace.searchAttributeTypes());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The record of a run's state. {@code version} is the execution's stored version, which every committed
     * transition raises: Temporal's StateTransitionCount, and the order of records.
     */
    static VisibilityRecord record(ExecutionState state, long version, Map<String, IndexedValueType> types) {
        WorkflowExecutionStatus status = WorkflowExecutionStatus.forNumber(state.status);
        ExecutionState.ParentRef parent = state.parent;
        VisibilityRecord.Builder record = VisibilityRecord.builder()
                .namespaceId(state.namespaceId)
                .workflowId(state.workflowId)
                .runId(state.runId)
                .workflowType(state.workflowType)
                .status(status)
                .startTime(Instant.ofEpochMilli(state.startTimeMillis))
                .executionTime(Instant.ofEpochMilli(state.executionTimeMillis()))
                .closeTime(state.isRunning() ? null : Instant.ofEpochMilli(state.closeTimeMillis))
                .historyLength(state.nextEventId - 1)
                .historySizeBytes(state.historySizeBytes)
                .stateTransitionCount(version)
                .taskQueue(state.taskQueue)
                .memo(state.memo == null ? Memo.getDefaultInstance() : StoredProtos.parse(state.memo, Memo.parser()))
                .searchAttributes(indexable(state, types))
                .version(version);
        if (parent == null) {
            record.rootWorkflowId(state.workflowId).rootRunId(state.runId);
        } else {
            record.parentWorkflowId(parent.workflowId()).parentRunId(parent.runId())
                    .rootWorkflowId(parent.rootWorkflowId() != null ? parent.rootWorkflowId() : parent.workflowId())
                    .rootRunId(parent.rootRunId() != null ? parent.rootRunId() : parent.runId());
        }
        return record.build();
    }

    /**
     * The run's search attributes that fit the namespace's registered types. One that does not (set before it was
     * registered, or since removed) is left out of the record rather than keeping the record from being written:
     * the run stays listable, that attribute unsearchable, as in Temporal.
     */
    private static SearchAttributes indexable(ExecutionState state, Map<String, IndexedValueType> types) {
        if (state.searchAttributes == null) {
            return SearchAttributes.getDefaultInstance();
        }
        SearchAttributes all = StoredProtos.parse(state.searchAttributes, SearchAttributes.parser());
        SearchAttributes.Builder kept = SearchAttributes.newBuilder();
        for (Map.Entry<String, Payload> attribute : all.getIndexedFieldsMap().entrySet()) {
            SearchAttributes one = SearchAttributes.newBuilder()
                    .putIndexedFields(attribute.getKey(), attribute.getValue()).build();
            try {
                SearchAttributeCodec.index(one, types);
                kept.putIndexedFields(attribute.getKey(), attribute.getValue());
            } catch (StatusRuntimeException e) {
                LOG.debugf("run %s: search attribute %s not indexed: %s", state.runId, attribute.getKey(),
                        e.getStatus().getDescription());
            }
        }
        return kept.build();
    }
}
