package dev.aeon.dataplane.frontend;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The data plane with authentication off ({@code aeon.auth.enabled=false}, for local experiments only). One suite
 * runs so, named for it: RegisterNamespace exists only in this mode; every other test runs with authentication on.
 */
public class WithoutAuthProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("aeon.auth.enabled", "false");
    }
}
