package dev.aeon.dataplane.persistence;

import dev.aeon.dataplane.namespace.NamespaceStore;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.dataplane.persistence.cassandra.CassandraNamespaceStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The Cassandra namespace store, counting reads by name (test-only); otherwise the real store. */
@Alternative
@Priority(1)
@Singleton
public class CountingNamespaceStore extends CassandraNamespaceStore {

    private final Map<String, AtomicInteger> readsByName = new ConcurrentHashMap<>();

    public CountingNamespaceStore(CqlSession session) {
        super(session);
    }

    @Override
    public Optional<Namespace> byName(String name) {
        readsByName.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        return super.byName(name);
    }

    public int readsOf(String name) {
        AtomicInteger reads = readsByName.get(name);
        return reads == null ? 0 : reads.get();
    }
}
