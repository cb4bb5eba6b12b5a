package dev.aeon.codec.keys;

import dev.aeon.codec.postgres.PostgresDataKeyRepository;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The PostgreSQL repository, counting how often a namespace's keys are loaded (test-only). */
@Alternative
@Priority(1)
@ApplicationScoped
public class CountingDataKeyRepository extends PostgresDataKeyRepository {

    private final AtomicInteger loads = new AtomicInteger();

    @Override
    public List<StoredDataKey> findByNamespace(String namespace) {
        loads.incrementAndGet();
        return super.findByNamespace(namespace);
    }

    public int loads() {
        return loads.get();
    }
}
