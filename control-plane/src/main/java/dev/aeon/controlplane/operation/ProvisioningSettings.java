package dev.aeon.controlplane.operation;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How this replica runs provisioning operations: who it is when it claims one, how long a claim lasts, how often it
 * looks for operations nobody holds, and the retry backoff.
 *
 * @param replica      this process's claimant id: the host name (a pod's name) and random digits, new at each start,
 *                     so two processes never share one, even on one host
 * @param claimLease   how long a claim lasts after each attempt began; a replica that died has its operations
 *                     taken over this long after its last attempt
 * @param pollInterval how often to look for operations nobody holds (those of a replica that died, or that were
 *                     recorded by one that stopped before it ran them)
 */
public record ProvisioningSettings(String replica, Duration firstBackoff, Duration maxBackoff, Duration claimLease,
                                   Duration pollInterval) {

    /** The settings from configuration ({@code aeon.control-plane.provisioning.*}). */
    @Singleton
    static class FromConfig {

        @Produces
        @Singleton
        ProvisioningSettings settings(
                @ConfigProperty(name = "aeon.control-plane.provisioning.backoff", defaultValue = "500ms")
                Duration backoff,
                @ConfigProperty(name = "aeon.control-plane.provisioning.max-backoff", defaultValue = "10s")
                Duration maxBackoff,
                @ConfigProperty(name = "aeon.control-plane.provisioning.request-timeout", defaultValue = "10s")
                Duration requestTimeout,
                @ConfigProperty(name = "aeon.control-plane.provisioning.claim-lease", defaultValue = "60s")
                Duration claimLease,
                @ConfigProperty(name = "aeon.control-plane.provisioning.poll-interval", defaultValue = "5s")
                Duration pollInterval) {
            // A holder renews its claim at each attempt: the call must end, and the next attempt begin, before the
            // lease runs out, or another replica could take the operation over while this one still calls.
            if (claimLease.compareTo(requestTimeout.plus(maxBackoff)) <= 0) {
                throw new IllegalArgumentException("aeon.control-plane.provisioning.claim-lease (" + claimLease
                        + ") must be longer than request-timeout (" + requestTimeout + ") plus max-backoff ("
                        + maxBackoff + "): a replica must end an attempt and begin the next before its claim lapses");
            }
            return new ProvisioningSettings(host() + "-" + HexFormat.of().toHexDigits(
                    ThreadLocalRandom.current().nextInt()), backoff, maxBackoff, claimLease, pollInterval);
        }

        private static String host() {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                try {
                    host = java.net.InetAddress.getLocalHost().getHostName();
                } catch (java.net.UnknownHostException e) {
                    host = "control-plane";
                }
            }
            return host.length() > 80 ? host.substring(0, 80) : host;
        }
    }
}
