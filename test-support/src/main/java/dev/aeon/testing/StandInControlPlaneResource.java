package dev.aeon.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.jose4j.jwk.RsaJsonWebKey;

import java.time.Instant;
import java.util.Map;

/**
 * A {@link StandInControlPlane} with one signing key for a Quarkus test profile, and the service's settings that
 * point API-key verification at it. Tests issue keys with {@link #sign} and answer their access with
 * {@code controlPlane().putAccess(...)}.
 */
public class StandInControlPlaneResource implements QuarkusTestResourceLifecycleManager {

    private static StandInControlPlane controlPlane;
    private static RsaJsonWebKey signingKey;

    @Override
    public Map<String, String> start() {
        try {
            controlPlane = new StandInControlPlane();
            signingKey = controlPlane.newSigningKey("sk-1");
        } catch (Exception e) {
            throw new IllegalStateException("the control plane stand-in did not start", e);
        }
        return Map.of("aeon.auth.control-plane-url", controlPlane.baseUri().toString(),
                "aeon.auth.issuer", StandInControlPlane.ISSUER,
                "aeon.internal.token", StandInControlPlane.INTERNAL_TOKEN);
    }

    @Override
    public void stop() {
        controlPlane.close();
    }

    public static StandInControlPlane controlPlane() {
        return controlPlane;
    }

    /** An API key for {@code keyId} of {@code account}, signed with the published key. */
    public static String sign(String keyId, String account, Instant expiresAt) {
        try {
            return StandInControlPlane.sign(signingKey, keyId, account, StandInControlPlane.ISSUER, expiresAt);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
