package dev.aeon.dataplane.persistence.cassandra;

import dev.aeon.dataplane.namespace.NamespaceStore;
import dev.aeon.dataplane.persistence.NamespaceStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
class CassandraNamespaceStoreTest extends NamespaceStoreContract {

    @Inject
    CassandraNamespaceStore store;

    @Override
    protected NamespaceStore store() {
        return store;
    }
}
