package dev.aeon.controlplane.api;

import dev.aeon.controlplane.error.CloudApiException;
import io.temporal.api.cloud.cloudservice.v1.CreateNamespaceRequest;
import io.temporal.api.cloud.cloudservice.v1.GetNexusEndpointsRequest;
import io.temporal.api.cloud.namespace.v1.NamespaceSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NoNulCharactersTest {

    @Test
    void aNulAnywhereInTheRequestIsRefusedNamingTheField() {
        CloudApiException top = assertThrows(CloudApiException.class,
                () -> NoNulCharacters.check(GetNexusEndpointsRequest.newBuilder().setName("M\u0000Z").build()));
        assertEquals(CloudApiException.Code.INVALID_ARGUMENT, top.code());
        assertEquals("name", top.field());

        CloudApiException nested = assertThrows(CloudApiException.class, () -> NoNulCharacters.check(
                CreateNamespaceRequest.newBuilder().setSpec(NamespaceSpec.newBuilder().setName("ok")
                        .addRegions("aws-us-east-1").addRegions("b\u0000")).build()));
        assertEquals("spec.regions[1]", nested.field());

        NoNulCharacters.check(GetNexusEndpointsRequest.newBuilder().setName("MZ\u00a2").build()); // other characters pass
    }
}
