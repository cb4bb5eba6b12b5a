package dev.aeon.dataplane.auth;

import dev.aeon.testing.StandInControlPlaneResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** The data plane with authentication on (plaintext, as in dev), its API keys issued by a control plane stand-in. */
public class ApiKeyAuthProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("aeon.auth.enabled", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(StandInControlPlaneResource.class));
    }
}
