package dev.aeon.dataplane.auth;

import dev.aeon.testing.StandInControlPlane;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import org.jose4j.jwk.RsaJsonWebKey;

import java.util.List;
import java.util.Map;

/** The data plane with authentication on (plaintext, as in dev), its API keys issued by a control plane stand-in. */
public class ApiKeyAuthProfile implements QuarkusTestProfile {

    static StandInControlPlane controlPlane;
    static RsaJsonWebKey signingKey;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("aeon.auth.enabled", "true");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ControlPlane.class));
    }

    public static class ControlPlane implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                controlPlane = new StandInControlPlane();
                signingKey = controlPlane.newSigningKey("sk-1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of("aeon.auth.control-plane-url", controlPlane.baseUri().toString(),
                    "aeon.auth.issuer", StandInControlPlane.ISSUER,
                    "aeon.internal.token", StandInControlPlane.INTERNAL_TOKEN);
        }

        @Override
        public void stop() {
            controlPlane.close();
        }
    }
}
