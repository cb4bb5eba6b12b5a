package dev.aeon.controlplane.store;

import java.util.function.Function;

/**
 * One change to one resource, recorded together with the async operation that reports it and its audit log entry.
 *
 * @param actor         who asks for the change; its account is the resource's
 * @param resourceId    the row to load for {@code decide}; null for a create whose id {@code decide} chooses
 * @param decide        given the current row of the account (null if absent), validates the request against it and
 *                      returns what to do; may change the row in place (an update). Throwing aborts, nothing written.
 *                      Runs inside the transaction, so it must not block.
 */
public record Mutation<R extends ResourceRow>(Class<R> kind, Actor actor, String resourceId,
                                              String operationId, String operationType,
                                              Function<R, Change<R>> decide) {

    public String accountId() {
        return actor.accountId();
    }

    /** What {@code decide} wants done. {@code provisioned}: the operation stays PENDING until the data plane applied it. */
    public record Change<R extends ResourceRow>(Kind kind, R row, boolean provisioned) {

        public enum Kind { INSERT, UPDATE, REMOVE }

        public static <R extends ResourceRow> Change<R> insert(R row, boolean provisioned) {
            return new Change<>(Kind.INSERT, row, provisioned);
        }

        public static <R extends ResourceRow> Change<R> update(R row, boolean provisioned) {
            return new Change<>(Kind.UPDATE, row, provisioned);
        }

        public static <R extends ResourceRow> Change<R> remove(R row) {
            return new Change<>(Kind.REMOVE, row, false);
        }

        /** The row goes at once; with {@code provisioned}, the operation stays PENDING until the data plane removed it. */
        public static <R extends ResourceRow> Change<R> remove(R row, boolean provisioned) {
            return new Change<>(Kind.REMOVE, row, provisioned);
        }
    }

    /**
     * @param replayed true when the account already had an operation with this id: nothing was changed and
     *                 {@code operation} is that earlier one
     */
    public record Result(AsyncOperationRow operation, String resourceId, boolean replayed) {
    }
}
