package dev.aeon.dataplane.visibility;

import dev.aeon.dataplane.visibility.store.VisibilityRecord;
import dev.aeon.dataplane.visibility.store.VisibilityStore;
import dev.aeon.dataplane.visibility.store.postgres.PostgresVisibilityStore;
import dev.aeon.embedded.PostgresServer;
import dev.aeon.testing.SharedServers;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The store the configuration chooses, built as the CDI producer builds it (without a Quarkus boot). */
class VisibilityStoreProducerTest {

    @Test
    void disabledVisibilityAnswersUnimplemented() {
        VisibilityStore store = new VisibilityStoreProducer().visibilityStore(config(false, Optional.empty()));
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
                () -> store.count(new VisibilityStore.CountRequest("ns", "", Map.of())));
        assertEquals(Status.Code.UNIMPLEMENTED, error.getStatus().getCode());
    }

    @Test
    void enabledVisibilityMigratesPostgresAndSharesThePageTokenKey() {
        String key = Base64.getEncoder().encodeToString("k".repeat(32).getBytes());
        VisibilityStoreProducer first = new VisibilityStoreProducer();
        VisibilityStoreProducer second = new VisibilityStoreProducer();
        VisibilityStore one = first.visibilityStore(config(true, Optional.of(key)));
        VisibilityStore other = second.visibilityStore(config(true, Optional.of(key)));
        try {
            assertInstanceOf(PostgresVisibilityStore.class, one);
            String ns = "ns-" + java.util.UUID.randomUUID();
            for (int i = 0; i < 2; i++) {
                one.upsert(VisibilityRecord.builder().namespaceId(ns).workflowId("w" + i).runId("r" + i)
                        .workflowType("T").startTime(Instant.parse("2025-01-01T00:00:0" + i + "Z")).taskQueue("q")
                        .build(), Map.of());
            }
            byte[] token = one.list(new VisibilityStore.ListRequest(ns, "", Map.of(), 1, null)).nextPageToken();
            // Another node with the same key continues the listing.
            assertEquals("r0", other.list(new VisibilityStore.ListRequest(ns, "", Map.of(), 1, token)).records()
                    .get(0).runId());
        } finally {
            first.close(one);
            second.close(other);
        }
    }

    private static VisibilityConfig config(boolean enabled, Optional<String> pageTokenKey) {
        PostgresServer postgres = enabled ? SharedServers.postgres() : null;
        return new VisibilityConfig() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public Postgres postgres() {
                return new Postgres() {
                    @Override
                    public String jdbcUrl() {
                        return postgres.jdbcUrl();
                    }

                    @Override
                    public String username() {
                        return PostgresServer.USER;
                    }

                    @Override
                    public Optional<String> password() {
                        return Optional.empty();
                    }

                    @Override
                    public int maxPoolSize() {
                        return 2;
                    }
                };
            }

            @Override
            public Optional<String> pageTokenKey() {
                return pageTokenKey;
            }
        };
    }
}
