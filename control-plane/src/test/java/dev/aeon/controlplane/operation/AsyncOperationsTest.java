package dev.aeon.controlplane.operation;

import dev.aeon.controlplane.error.CloudApiException;
import dev.aeon.controlplane.store.UserRow;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The checks every mutation makes before it is recorded, without a database. */
class AsyncOperationsTest {

    @Test
    void aClientsOperationIdIsKeptAndAMissingOneIsMadeUp() {
        assertEquals("my-op", AsyncOperations.operationId("my-op"));
        assertNotEquals(AsyncOperations.operationId(""), AsyncOperations.operationId(null));
        for (String bad : new String[]{"   ", "x".repeat(201)}) {
            CloudApiException e = assertThrows(CloudApiException.class, () -> AsyncOperations.operationId(bad));
            assertEquals("async_operation_id", e.field());
        }
    }

    @Test
    void aChangeAppliesOnlyToTheVersionTheClientRead() {
        UserRow row = new UserRow();
        row.resourceVersion = 3;

        assertDoesNotThrow(() -> AsyncOperations.requireVersion(row, "3"));
        CloudApiException stale = assertThrows(CloudApiException.class, () -> AsyncOperations.requireVersion(row, "2"));
        assertEquals(CloudApiException.Code.FAILED_PRECONDITION, stale.code());
        assertEquals("resource_version", stale.field());
        CloudApiException missing = assertThrows(CloudApiException.class,
                () -> AsyncOperations.requireVersion(row, ""));
        assertEquals(CloudApiException.Code.INVALID_ARGUMENT, missing.code());
    }
}
