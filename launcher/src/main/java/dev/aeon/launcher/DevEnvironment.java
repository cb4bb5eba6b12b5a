package dev.aeon.launcher;

import dev.aeon.auth.SecretFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a developer, a script or an acceptance test needs to reach the running platform. Written to
 * {@code .aeon/dev.env} as shell variables; the names are a contract and only ever get added to.
 */
record DevEnvironment(Map<String, String> variables) {

    /** The account the control plane creates on first start, with an owner and an API key. */
    static final String ACCOUNT = "local";
    /** Its ready namespace (API-key auth on), like Temporal's dev server's "default": ids are name.account. */
    static final String NAMESPACE_NAME = "default";
    static final String NAMESPACE = NAMESPACE_NAME + "." + ACCOUNT;

    /** @param apiKey the bootstrap owner's API key */
    static DevEnvironment of(DevPorts ports, Path dataDir, String apiKey) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("AEON_ADDRESS", "127.0.0.1:" + ports.frontend());
        v.put("AEON_CONTROL_PLANE_URL", "http://127.0.0.1:" + ports.controlPlane());
        v.put("AEON_CODEC_URL", "http://127.0.0.1:" + ports.codec());
        v.put("AEON_NAMESPACE", NAMESPACE);
        v.put("AEON_API_KEY", apiKey);
        v.put("AEON_ACCOUNT_ID", ACCOUNT);
        v.put("AEON_DATA_PLANE_HTTP_URL", "http://127.0.0.1:" + ports.dataPlaneHttp());
        // Temporal's HTTP API (/api/v1/..., proto3 JSON, the API key as a bearer token) on the same port
        v.put("AEON_HTTP_API_URL", "http://127.0.0.1:" + ports.dataPlaneHttp());
        v.put("AEON_CASSANDRA_CONTACT_POINT", "127.0.0.1:" + ports.cql());
        v.put("AEON_POSTGRES_URL", "postgresql://127.0.0.1:" + ports.postgres() + "/aeon");
        v.put("AEON_DATA_DIR", dataDir.toString());
        // The web console, served by the control plane
        v.put("AEON_CONSOLE_URL", "http://127.0.0.1:" + ports.controlPlane() + "/console/");
        return new DevEnvironment(v);
    }

    void writeTo(Path file) {
        String content = "# Written by ./aeon dev; source it: . .aeon/dev.env\n"
                + variables.entrySet().stream()
                .map(e -> "export " + e.getKey() + "=" + quote(e.getValue()))
                .collect(Collectors.joining("\n")) + "\n";
        try {
            SecretFiles.write(file, content); // it holds the owner's API key
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    String banner(Path envFile) {
        return """
                Aeon is running.

                  Temporal gRPC (SDKs, CLI)  %s          plaintext in dev, namespace "%s",
                                                               API key in $AEON_API_KEY (account owner)
                  Web console                %s   (sign in with $AEON_API_KEY)
                  Control plane (Cloud API)  %s
                  Codec server               %s
                  Temporal HTTP API          %s/api/v1/...      (Authorization: Bearer $AEON_API_KEY)
                  Data plane health/metrics  %s/q/health  /q/metrics
                  Cassandra (CQL)            %s
                  PostgreSQL                 %s   user postgres

                Variables for scripts: %s   (source it: . %s)
                Logs: %s/logs/
                Ctrl-C stops everything.
                """.formatted(variables.get("AEON_ADDRESS"), variables.get("AEON_NAMESPACE"),
                variables.get("AEON_CONSOLE_URL"), variables.get("AEON_CONTROL_PLANE_URL"),
                variables.get("AEON_CODEC_URL"), variables.get("AEON_HTTP_API_URL"), variables.get("AEON_DATA_PLANE_HTTP_URL"),
                variables.get("AEON_CASSANDRA_CONTACT_POINT"), variables.get("AEON_POSTGRES_URL"),
                envFile, envFile, variables.get("AEON_DATA_DIR"));
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
