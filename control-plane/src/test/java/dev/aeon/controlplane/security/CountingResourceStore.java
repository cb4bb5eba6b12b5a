package dev.aeon.controlplane.security;

import dev.aeon.controlplane.store.PostgresResourceStore;
import dev.aeon.controlplane.store.SigningKeyRow;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The PostgreSQL store, counting reads of the published signing keys (test-only). */
@Alternative
@Priority(1)
@ApplicationScoped
public class CountingResourceStore extends PostgresResourceStore {

    private final AtomicInteger signingKeyReads = new AtomicInteger();

    @Override
    public List<SigningKeyRow> publishedSigningKeys() {
        signingKeyReads.incrementAndGet();
        return super.publishedSigningKeys();
    }

    int signingKeyReads() {
        return signingKeyReads.get();
    }
}
