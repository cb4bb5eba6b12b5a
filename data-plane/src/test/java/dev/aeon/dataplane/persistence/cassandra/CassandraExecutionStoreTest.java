package dev.aeon.dataplane.persistence.cassandra;

import dev.aeon.dataplane.persistence.ExecutionStore;
import dev.aeon.dataplane.persistence.ExecutionStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
class CassandraExecutionStoreTest extends ExecutionStoreContract {

    @Inject
    CassandraExecutionStore store;

    @Override
    protected ExecutionStore store() {
        return store;
    }
}
