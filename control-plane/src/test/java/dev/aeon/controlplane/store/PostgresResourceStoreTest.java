package dev.aeon.controlplane.store;

import dev.aeon.controlplane.security.TestSigningKeys;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The resource store's contract on the test JVM's real PostgreSQL. */
@QuarkusTest
class PostgresResourceStoreTest extends ResourceStoreContract {

    @Inject
    ResourceStore store;

    @Override
    protected ResourceStore store() {
        return store;
    }

    @Override
    protected SigningKeyRow newSigningKey() {
        return TestSigningKeys.generate();
    }
}
