package dev.aeon.dataplane.persistence;

import dev.aeon.dataplane.namespace.NamespaceStore;
import dev.aeon.dataplane.namespace.Namespace;
import dev.aeon.auth.mtls.CertificateFilter;
import dev.aeon.auth.mtls.MtlsSettings;
import dev.aeon.dataplane.namespace.NamespaceSettings;
import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link NamespaceStore} must guarantee. Subclass it once per implementation. */
public abstract class NamespaceStoreContract {

    protected abstract NamespaceStore store();

    private static Namespace namespace(String name, String id, String description) {
        return new Namespace(DescribeNamespaceResponse.newBuilder().setNamespaceInfo(NamespaceInfo.newBuilder()
                .setName(name).setId(id).setDescription(description)).build(), null);
    }

    @Test
    void aNameIsTakenOnceAndFoundByNameAndId() {
        String name = "contract-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();

        assertTrue(store().create(namespace(name, id, "first")));
        assertFalse(store().create(namespace(name, UUID.randomUUID().toString(), "second")));

        assertEquals("first", store().byName(name).orElseThrow().description().getNamespaceInfo().getDescription());
        assertEquals(name, store().byId(id).orElseThrow().name());
        assertTrue(store().all().stream().anyMatch(ns -> ns.name().equals(name)));
    }

    @Test
    void onlyExistingNamespacesAreUpdated() {
        String name = "contract-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        assertFalse(store().update(namespace(name, id, "ghost")));
        assertTrue(store().byName(name).isEmpty());

        store().create(namespace(name, id, "first"));
        assertTrue(store().update(namespace(name, id, "changed")));

        assertEquals("changed", store().byName(name).orElseThrow().description().getNamespaceInfo().getDescription());
        assertTrue(store().byId("not-a-uuid").isEmpty());
    }

    @Test
    void anUpdateFromAStaleCopyChangesNothing() {
        String name = "contract-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        store().create(namespace(name, id, "first"));
        Namespace mine = store().byName(name).orElseThrow();
        Namespace theirs = store().byName(name).orElseThrow();

        assertTrue(store().update(new Namespace(namespace(name, id, "theirs").description(), null, theirs.version())));
        assertFalse(store().update(new Namespace(namespace(name, id, "mine").description(), null, mine.version())));

        Namespace stored = store().byName(name).orElseThrow();
        assertEquals("theirs", stored.description().getNamespaceInfo().getDescription());
        assertEquals(theirs.version() + 1, stored.version());
    }

    @Test
    void provisionedSettingsRoundTripAndADeletedNameIsFreeAgain() {
        String name = "contract-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        NamespaceSettings settings = new NamespaceSettings("acct1", 7, true,
                new MtlsSettings(true, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                        List.of(new CertificateFilter("worker", "Acme", null, null))),
                Map.of("CustomerId", "Keyword"), true);
        Namespace provisioned = new Namespace(namespace(name, id, "p").description(), settings);
        assertTrue(store().create(provisioned));

        assertEquals(settings, store().byName(name).orElseThrow().settings());
        assertEquals(settings, store().byId(id).orElseThrow().settings());

        assertTrue(store().delete(name));
        assertFalse(store().delete(name));
        assertTrue(store().byName(name).isEmpty());
        assertTrue(store().byId(id).isEmpty());
        assertTrue(store().create(namespace(name, UUID.randomUUID().toString(), "again")));
        assertNull(store().byName(name).orElseThrow().settings());
    }
}
