package dev.aeon.dataplane.history.visibility;

import dev.aeon.dataplane.visibility.query.CustomSearchAttributes;
import dev.aeon.dataplane.history.state.ParentRef;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps each run's visibility record (what list, count and scan see) following the run. The transition that
 * changes what visibility shows commits a {@link DispatchTask.Kind#VISIBILITY} task with it (the shard's outbox);
 * this handler brings the record up to the run's state as it is when the task runs (read under the workflow's
 * lock, with the run's version), so a task run twice, late or out of order writes the same newest state, and a run
 * deleted meanwhile has its record deleted. Run deletion deletes the record under the same lock; a write that
 * raced it is undone by the look the task takes after writing.
 */
@ApplicationScoped
public class VisibilityTasks {

    private static final Logger LOG = Logger.getLogger(VisibilityTasks.class);

    private final HistoryEngine engine;
    private final VisibilityStore store;
    private final NamespaceRegistry namespaces;
    /**
     * Tasks wait on PostgreSQL: they run on threads of their own, so the engine's threads never wait on visibility,
     * and enough of them that many tasks' records share one write ({@link UpsertBatches}).
     */
    private final ExecutorService writers;
    private final UpsertBatches batches;

    public VisibilityTasks(HistoryEngine engine, InternalTaskQueue queue, VisibilityStore store,
                           VisibilityConfig config, NamespaceRegistry namespaces) {
        this.engine = engine;
        this.store = store;
        this.namespaces = namespaces;
        this.writers = Executors.newFixedThreadPool(UpsertBatches.MAX_RECORDS, runnable -> {
            Thread thread = new Thread(runnable, "aeon-visibility-task");
            thread.setDaemon(true);
            return thread;
        });
        this.batches = new UpsertBatches(store);
        if (config.enabled()) {
            queue.onTask(EnumSet.of(DispatchTask.Kind.VISIBILITY), this::handle, writers);
            engine.writeVisibilityTasks();
            engine.beforeRunDeletion(store::delete);
            writers.execute(this::moveRecordsToFields);
        } else {
            // Rows written while visibility was on, before a restart with it off: nothing reads records now.
            queue.onTask(EnumSet.of(DispatchTask.Kind.VISIBILITY), engine::forgetDoneTask, writers);
        }
    }

    /**
     * Records written before search attribute fields existed hold custom attributes by name; queries name fields.
     * Each namespace's are moved once (the store remembers it), in the background: until then such a record is
     * listed but not matched by its custom attributes.
     */
    private void moveRecordsToFields() {
        List<io.temporal.api.workflowservice.v1.DescribeNamespaceResponse> all;
        try {
            all = namespaces.all();
        } catch (RuntimeException e) {
            LOG.warnf("visibility records not moved to search attribute fields (next start will try again): %s",
                    e.getMessage());
            return;
        }
        for (var described : all) {
            String id = described.getNamespaceInfo().getId();
            try {
                store.moveToFields(id, namespaces.withId(id).customSearchAttributes().fields());
            } catch (RuntimeException e) {
                LOG.warnf("namespace %s: visibility records not moved to search attribute fields (next start will"
                        + " try again): %s", id, e.getMessage());
            }
        }
    }

    /** Created before the engine hands pending tasks back, so none runs without a handler. */
    void init(@Observes @Priority(1) StartupEvent event) {
    }

    @PreDestroy
    void stop() {
        writers.shutdownNow();
        batches.stop();
    }

    void handle(DispatchTask task) {
        Optional<CustomSearchAttributes> custom = customAttributes(task.namespaceId());
        // The record of the run as it is now, read under its lock (from memory, as a rule).
        Optional<VisibilityStore.Upsert> upsert = engine.withRun(task.namespaceId(), task.workflowId(),
                task.runId(), run -> run.isPresent() && custom.isPresent()
                        ? Optional.of(new VisibilityStore.Upsert(record(run.get().state(), run.get().version(),
                        custom.get()), custom.get().fieldTypes()))
                        : Optional.empty());
        if (upsert.isPresent()) {
            batches.write(upsert.get());
            // Written outside the lock: the run may have been deleted (its record with it) meanwhile, and this
            // write brought the record back. A run is gone for good once deleted, so looking again settles it.
            if (!engine.withRun(task.namespaceId(), task.workflowId(), task.runId(), Optional::isPresent)) {
                store.delete(task.namespaceId(), task.workflowId(), task.runId());
            }
        } else {
            store.delete(task.namespaceId(), task.workflowId(), task.runId());
        }
        engine.forgetDoneTask(task);
    }

    /** The namespace's custom attributes; empty once the namespace is deleted (its runs are being purged). */
    private Optional<CustomSearchAttributes> customAttributes(String namespaceId) {
        try {
            Namespace namespace = namespaces.withId(namespaceId);
            return Optional.of(namespace.customSearchAttributes());
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
    static VisibilityRecord record(ExecutionState state, long version, CustomSearchAttributes custom) {
        WorkflowExecutionStatus status = WorkflowExecutionStatus.forNumber(state.status());
        ParentRef parent = state.parent();
        VisibilityRecord.Builder record = VisibilityRecord.builder()
                .namespaceId(state.namespaceId())
                .workflowId(state.workflowId())
                .runId(state.runId())
                .workflowType(state.workflowType())
                .status(status)
                .startTime(Instant.ofEpochMilli(state.startTimeMillis()))
                .executionTime(Instant.ofEpochMilli(state.executionTimeMillis()))
                .closeTime(state.isRunning() ? null : Instant.ofEpochMilli(state.closeTimeMillis()))
                .historyLength(state.nextEventId() - 1)
                .historySizeBytes(state.historySizeBytes())
                .stateTransitionCount(version)
                .taskQueue(state.taskQueue())
                .memo(state.memo() == null ? Memo.getDefaultInstance() : StoredProtos.parse(state.memo(), Memo.parser()))
                .searchAttributes(indexable(state, custom))
                .version(version);
        if (parent == null) {
            record.rootWorkflowId(state.workflowId()).rootRunId(state.runId());
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
     * the run stays listable, that attribute unsearchable, as in Temporal. The record keeps custom attributes by
     * field, as the run does (a run's values stored by name before fields existed are moved to their fields here).
     */
    private static SearchAttributes indexable(ExecutionState state, CustomSearchAttributes custom) {
        if (state.searchAttributes() == null) {
            return SearchAttributes.getDefaultInstance();
        }
        Map<String, IndexedValueType> types = custom.fieldTypes();
        SearchAttributes all = custom.toFields(StoredProtos.parse(state.searchAttributes(), SearchAttributes.parser()));
        SearchAttributes.Builder kept = SearchAttributes.newBuilder();
        for (Map.Entry<String, Payload> attribute : all.getIndexedFieldsMap().entrySet()) {
            SearchAttributes one = SearchAttributes.newBuilder()
                    .putIndexedFields(attribute.getKey(), attribute.getValue()).build();
            try {
                SearchAttributeCodec.index(one, types);
                kept.putIndexedFields(attribute.getKey(), attribute.getValue());
            } catch (StatusRuntimeException e) {
                LOG.debugf("run %s: search attribute %s not indexed: %s", state.runId(), attribute.getKey(),
                        e.getStatus().getDescription());
            }
        }
        return kept.build();
    }
}
