package dev.aeon.dataplane.auth;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.Map;

/** The data plane as production runs it: TLS on 7233 and authentication on. */
public class TlsAuthProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Path[] server = TestPki.serverFiles();
        return Map.of(
                "aeon.auth.enabled", "true",
                "aeon.tls.plaintext-allowed", "false",
                "aeon.tls.certificate", server[0].toString(),
                "aeon.tls.key", server[1].toString());
    }
}
