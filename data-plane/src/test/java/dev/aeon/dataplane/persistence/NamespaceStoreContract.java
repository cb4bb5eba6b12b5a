package dev.aeon.dataplane.persistence;

import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link NamespaceStore} must guarantee. Subclass it once per implementation. */
public abstract class NamespaceStoreContract {

    protected abstract NamespaceStore store();

    private static DescribeNamespaceResponse namespace(String name, String id, String description) {
        return DescribeNamespaceResponse.newBuilder().setNamespaceInfo(NamespaceInfo.newBuilder()
                .setName(name).setId(id).setDescription(description)).build();
    }

    @Test
    void aNameIsTakenOnceAndFoundByNameAndId() {
        String name = "contract-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();

        assertTrue(store().create(namespace(name, id, "first")));
        assertFalse(store().create(namespace(name, UUID.randomUUID().toString(), "second")));

        assertEquals("first", store().byName(name).orElseThrow().getNamespaceInfo().getDescription());
        assertEquals(name, store().byId(id).orElseThrow().getNamespaceInfo().getName());
        assertTrue(store().all().stream().anyMatch(ns -> ns.getNamespaceInfo().getName().equals(name)));
    }

    @Test
    void onlyExistingNamespacesAreUpdated() {
        String name = "contract-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        assertFalse(store().update(namespace(name, id, "ghost")));
        assertTrue(store().byName(name).isEmpty());

        store().create(namespace(name, id, "first"));
        assertTrue(store().update(namespace(name, id, "changed")));

        assertEquals("changed", store().byName(name).orElseThrow().getNamespaceInfo().getDescription());
        assertTrue(store().byId("not-a-uuid").isEmpty());
    }
}
