package dev.aeon.dataplane.visibility.query;

import io.temporal.api.enums.v1.IndexedValueType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;

/**
 * The search attributes every namespace has, as Temporal's {@code sadefs} declares them: the system ones, kept in
 * the record's own fields, and the predefined ones (Temporal-prefixed, set by the server or SDKs), kept with the
 * custom ones. A namespace's custom attributes cannot take these names.
 */
public final class SearchAttributeCatalog {

    public static final String WORKFLOW_ID = "WorkflowId";
    public static final String RUN_ID = "RunId";
    public static final String WORKFLOW_TYPE = "WorkflowType";
    public static final String START_TIME = "StartTime";
    public static final String EXECUTION_TIME = "ExecutionTime";
    public static final String CLOSE_TIME = "CloseTime";
    public static final String EXECUTION_STATUS = "ExecutionStatus";
    public static final String TASK_QUEUE = "TaskQueue";
    public static final String HISTORY_LENGTH = "HistoryLength";
    public static final String EXECUTION_DURATION = "ExecutionDuration";
    public static final String STATE_TRANSITION_COUNT = "StateTransitionCount";
    public static final String HISTORY_SIZE_BYTES = "HistorySizeBytes";
    public static final String PARENT_WORKFLOW_ID = "ParentWorkflowId";
    public static final String PARENT_RUN_ID = "ParentRunId";
    public static final String ROOT_WORKFLOW_ID = "RootWorkflowId";
    public static final String ROOT_RUN_ID = "RootRunId";

    public static final String NAMESPACE_DIVISION = "TemporalNamespaceDivision";
    static final String RESERVED_PREFIX = "Temporal";
    static final String SCHEDULE_ID = "ScheduleId";

    private static final Map<String, IndexedValueType> SYSTEM = new LinkedHashMap<>();
    private static final Map<String, IndexedValueType> PREDEFINED = new LinkedHashMap<>();
    private static final java.util.Set<String> RESERVED = java.util.Set.of("NamespaceId", "Memo", "MemoEncoding",
            "VisibilityTaskKey");

    static {
        SYSTEM.put(WORKFLOW_ID, INDEXED_VALUE_TYPE_KEYWORD);
        SYSTEM.put(RUN_ID, INDEXED_VALUE_TYPE_KEYWORD);
        SYSTEM.put(WORKFLOW_TYPE, INDEXED_VALUE_TYPE_KEYWORD);
        SYSTEM.put(START_TIME, INDEXED_VALUE_TYPE_DATETIME);
        SYSTEM.put(EXECUTION_TIME, INDEXED_VALUE_TYPE_DATETIME);
        SYSTEM.put(CLOSE_TIME, INDEXED_VALUE_TYPE_DATETIME);
        SYSTEM.put(EXECUTION_STATUS, INDEXED_VALUE_TYPE_KEYWORD);
        SYSTEM.put(TASK_QUEUE, INDEXED_VALUE_TYPE_KEYWORD);
        SYSTEM.put(HISTORY_LENGTH, INDEXED_VALUE_TYPE_INT);
        SYSTEM.put(EXECUTION_DURATION, INDEXED_VALUE_TYPE_INT);
        SYSTEM.put(STATE_TRANSITION_COUNT, INDEXED_VALUE_TYPE_INT);
        SYSTEM.put(HISTORY_SIZE_BYTES, INDEXED_VALUE_TYPE_INT);
        SYSTEM.put(PARENT_WORKFLOW_ID, INDEXED_VALUE_TYPE_KEYWORD);
        SYSTEM.put(PARENT_RUN_ID, INDEXED_VALUE_TYPE_KEYWORD);
        SYSTEM.put(ROOT_WORKFLOW_ID, INDEXED_VALUE_TYPE_KEYWORD);
        SYSTEM.put(ROOT_RUN_ID, INDEXED_VALUE_TYPE_KEYWORD);

        PREDEFINED.put("TemporalChangeVersion", INDEXED_VALUE_TYPE_KEYWORD_LIST);
        PREDEFINED.put("BinaryChecksums", INDEXED_VALUE_TYPE_KEYWORD_LIST);
        PREDEFINED.put("BuildIds", INDEXED_VALUE_TYPE_KEYWORD_LIST);
        PREDEFINED.put("BatcherNamespace", INDEXED_VALUE_TYPE_KEYWORD);
        PREDEFINED.put("BatcherUser", INDEXED_VALUE_TYPE_KEYWORD);
        PREDEFINED.put("TemporalScheduledStartTime", INDEXED_VALUE_TYPE_DATETIME);
        PREDEFINED.put("TemporalScheduledById", INDEXED_VALUE_TYPE_KEYWORD);
        PREDEFINED.put("TemporalSchedulePaused", INDEXED_VALUE_TYPE_BOOL);
        PREDEFINED.put(NAMESPACE_DIVISION, INDEXED_VALUE_TYPE_KEYWORD);
        PREDEFINED.put("TemporalPauseInfo", INDEXED_VALUE_TYPE_KEYWORD_LIST);
        PREDEFINED.put("TemporalReportedProblems", INDEXED_VALUE_TYPE_KEYWORD_LIST);
        PREDEFINED.put("TemporalWorkerDeploymentVersion", INDEXED_VALUE_TYPE_KEYWORD);
        PREDEFINED.put("TemporalWorkflowVersioningBehavior", INDEXED_VALUE_TYPE_KEYWORD);
        PREDEFINED.put("TemporalWorkerDeployment", INDEXED_VALUE_TYPE_KEYWORD);
        PREDEFINED.put("TemporalUsedWorkerDeploymentVersions", INDEXED_VALUE_TYPE_KEYWORD_LIST);
        PREDEFINED.put("TemporalExternalPayloadCount", INDEXED_VALUE_TYPE_INT);
        PREDEFINED.put("TemporalExternalPayloadSizeBytes", INDEXED_VALUE_TYPE_INT);
    }

    private SearchAttributeCatalog() {
    }

    /** Kept in the record's own fields (a column each in a SQL store). */
    public static boolean isSystem(String name) {
        return SYSTEM.containsKey(name);
    }

    /** A name a namespace may register for a custom attribute: neither system nor predefined. */
    public static boolean isMappable(String name) {
        return !SYSTEM.containsKey(name) && !PREDEFINED.containsKey(name);
    }

    /**
     * A name no custom attribute may take (Temporal's {@code sadefs.IsReserved}): system and predefined names, the
     * names Temporal's stores use internally, and anything starting with "Temporal".
     */
    public static boolean isReserved(String name) {
        return !isMappable(name) || RESERVED.contains(name) || name.startsWith(RESERVED_PREFIX);
    }

    public static Map<String, IndexedValueType> system() {
        return java.util.Collections.unmodifiableMap(SYSTEM);
    }

    public static Map<String, IndexedValueType> predefined() {
        return java.util.Collections.unmodifiableMap(PREDEFINED);
    }

    static Optional<IndexedValueType> builtIn(String name) {
        IndexedValueType type = SYSTEM.get(name);
        return Optional.ofNullable(type != null ? type : PREDEFINED.get(name));
    }
}
