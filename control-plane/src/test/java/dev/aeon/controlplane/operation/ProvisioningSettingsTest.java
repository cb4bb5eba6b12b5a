package dev.aeon.controlplane.operation;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvisioningSettingsTest {

    private static ProvisioningSettings settings(String claimLease) {
        return new ProvisioningSettings.FromConfig().settings(Duration.ofMillis(500), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.parse("PT" + claimLease), Duration.ofSeconds(5));
    }

    @Test
    void aLeaseThatAnAttemptCouldOutlastIsRefusedNamingTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings("20S"));
        assertTrue(e.getMessage().startsWith("aeon.control-plane.provisioning.claim-lease (PT20S) must be longer than"
                + " request-timeout (PT10S) plus max-backoff (PT10S)"), e.getMessage());
    }

    @Test
    void eachStartIsAReplicaOfItsOwn() {
        assertNotEquals(settings("21S").replica(), settings("21S").replica());
    }
}
