package dev.aeon.dataplane.visibility.store;

import dev.aeon.dataplane.visibility.query.CustomSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;

import java.util.List;
import java.util.Map;

/**
 * Where visibility records live and how Temporal's list, count and scan queries read them. One contract
 * ({@code VisibilityStoreContract}) holds for every implementation: PostgreSQL by default; an OpenSearch one can be
 * added behind the same interface.
 *
 * <p>Every read is scoped to one namespace id in the store's own query, whatever the user's query says. Queries are
 * Temporal's visibility language; a query that does not parse or fit the namespace's attributes fails with
 * INVALID_ARGUMENT "invalid query: ...". Calls block: run them off the gRPC event loop.
 */
public interface VisibilityStore {

    /** Temporal's frontend.visibilityMaxPageSize default: a larger or non-positive page size means this. */
    int MAX_PAGE_SIZE = 1000;

    /**
     * Creates or replaces the run's record; idempotent, and ignored when the stored record has a higher
     * {@link VisibilityRecord#version()}.
     *
     * @param customAttributes the namespace's registered custom search attributes by field (as the record keeps
     *                         them): the record's search attributes are indexed by these types; an unknown one or
     *                         a value of the wrong type is INVALID_ARGUMENT
     */
    void upsert(VisibilityRecord record, Map<String, IndexedValueType> customAttributes);

    /**
     * Like {@link #upsert} for each, written together (one transaction where the store has them): the engine
     * writes the records of many runs' tasks at once. All or none.
     */
    default void upsertAll(List<Upsert> upserts) {
        upserts.forEach(upsert -> upsert(upsert.record(), upsert.customAttributes()));
    }

    /** One record to write, with its namespace's registered attribute types. */
    record Upsert(VisibilityRecord record, Map<String, IndexedValueType> customAttributes) {
    }

    void delete(String namespaceId, String workflowId, String runId);

    /**
     * Moves the namespace's custom search attributes that records written before fields existed hold by name to
     * their fields, so queries (which name fields) find them. Idempotent; a store may do the work once per namespace
     * and remember it. A name that is also another attribute's field is left as it is (it cannot be told apart).
     *
     * @param fieldsByName the namespace's custom attributes, name to field
     */
    void moveToFields(String namespaceId, Map<String, String> fieldsByName);

    /** Every record of the namespace (namespace deletion). Returns how many were deleted. */
    long deleteNamespace(String namespaceId);

    /** A page in Temporal's order: StartTime newest first, then RunId. */
    Page list(ListRequest request);

    /** Like {@link #list}; Temporal's SQL stores scan as they list. */
    Page scan(ListRequest request);

    /** The number of records the query matches; with {@code GROUP BY ExecutionStatus}, per status too. */
    Count count(CountRequest request);

    /**
     * @param pageToken empty for the first page, else a previous page's {@link Page#nextPageToken()} for the same
     *                  namespace and query (anything else is INVALID_ARGUMENT)
     */
    record ListRequest(String namespaceId, String query, CustomSearchAttributes customAttributes,
                       int pageSize, byte[] pageToken) {

        public ListRequest {
            query = query == null ? "" : query;
            customAttributes = customAttributes == null ? CustomSearchAttributes.none() : customAttributes;
            pageToken = pageToken == null ? new byte[0] : pageToken.clone();
        }

        /** Custom attributes stored under their own names. */
        public ListRequest(String namespaceId, String query, Map<String, IndexedValueType> customAttributes,
                           int pageSize, byte[] pageToken) {
            this(namespaceId, query, CustomSearchAttributes.byName(customAttributes == null ? Map.of()
                    : customAttributes), pageSize, pageToken);
        }
    }

    /** @param nextPageToken empty on the last page */
    record Page(List<VisibilityRecord> records, byte[] nextPageToken) {
    }

    record CountRequest(String namespaceId, String query, CustomSearchAttributes customAttributes) {

        public CountRequest {
            query = query == null ? "" : query;
            customAttributes = customAttributes == null ? CustomSearchAttributes.none() : customAttributes;
        }

        /** Custom attributes stored under their own names. */
        public CountRequest(String namespaceId, String query, Map<String, IndexedValueType> customAttributes) {
            this(namespaceId, query, CustomSearchAttributes.byName(customAttributes == null ? Map.of()
                    : customAttributes));
        }
    }

    /**
     * @param groups empty without GROUP BY; else one per value, its values as Temporal returns them (ExecutionStatus
     *               by name, e.g. "Running")
     */
    record Count(long count, List<Group> groups) {
    }

    record Group(List<Object> values, long count) {
    }
}
