package dev.aeon.codec;

import dev.aeon.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Every @QuarkusTest of the codec server runs against the test JVM's one real PostgreSQL, with a master key made
 * at test time and a console origin of its own, so all of them share one boot.
 */
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(CodecServerTestResources.Settings.class)
public final class CodecServerTestResources {

    public static final String CONSOLE_ORIGIN = "http://console.test:7243";

    private CodecServerTestResources() {
    }

    public static class Settings implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            byte[] masterKey = new byte[32];
            new SecureRandom().nextBytes(masterKey);
            return Map.of(
                    "aeon.codec.master-key", Base64.getEncoder().encodeToString(masterKey),
                    "aeon.codec.cors.allowed-origins", CONSOLE_ORIGIN,
                    "aeon.codec.cors.allow-credentials", "true");
        }

        @Override
        public void stop() {
        }
    }
}
