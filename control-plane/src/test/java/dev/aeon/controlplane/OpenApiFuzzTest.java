package dev.aeon.controlplane;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Schemathesis (property-based API fuzzing from the OpenAPI document) against the Cloud Ops REST API, with an
 * account owner's key: valid and invalid bodies, parameters and paths for every operation, then stateful sequences
 * (create, read, update, delete). Passes only if no response is a 5xx and every refusal is a 4xx in the documented
 * {@code {"code","message","field"}} shape, a 400 naming its field ({@code src/test/schemathesis/checks.py}).
 *
 * <p>Schemathesis is a Python tool: the test installs the pinned version into a virtual environment under
 * {@code target/} (once per clean build), so CI needs only {@code python3} with {@code venv}; without
 * {@code python3} the test is skipped, and says so.
 */
@QuarkusTest
class OpenApiFuzzTest {

    static final String SCHEMATHESIS = "schemathesis==4.32.5";
    private static final Path SCRIPTS = Path.of("src", "test", "schemathesis").toAbsolutePath();
    private static final Path WORK = Path.of("target", "schemathesis").toAbsolutePath();

    @TestHTTPResource("/openapi.json")
    URL openApi;

    @Test
    void noServerErrorAndEveryRefusalNamesItsField() throws Exception {
        Python python = python();
        assumeTrue(python != null, "SKIPPED: python3 is not installed, so schemathesis cannot run");
        Path schemathesis = install(python);
        Path report = WORK.resolve("report");
        List<String> command = new ArrayList<>(List.of(schemathesis.toString(),
                "--config-file", SCRIPTS.resolve("schemathesis.toml").toString(),
                "run", openApi.toString(),
                // Aeon's promise, nothing more: the schema is generated from Temporal's protos, which declare
                // neither the statuses an operation answers nor which values are valid (an empty namespace name
                // is schema-valid proto3 JSON and rightly a 400), so conformance checks would only report that.
                "--checks", "not_a_server_error,refusals_are_documented_errors",
                "--max-examples", "25", "--max-time", "100", "--seed", "20261201",
                "--workers", python.threadSafeAst() ? "2" : "1",
                "--report", "junit", "--report-dir", report.toString()));
        // In target/: schemathesis keeps a cache in its working directory.
        ProcessBuilder run = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(WORK.resolve("run.log").toFile());
        run.environment().put("SCHEMATHESIS_HOOKS", SCRIPTS.resolve("checks.py").toString());
        run.environment().put("AEON_FUZZ_TOKEN", CloudApi.newAccount("fuzz"));
        run.environment().put("NO_COLOR", "1");
        Process process = run.start();
        assertTrue(process.waitFor(4, TimeUnit.MINUTES), "schemathesis did not finish in 4 minutes");
        String log = Files.readString(WORK.resolve("run.log"));
        assertEquals(0, process.exitValue(), "schemathesis found failures (report in " + report + "):\n" + log);
    }

    /** Found by schemathesis: a query parameter named "." failed the server (an index out of bounds). */
    @Test
    void queryParametersThatAreNoFieldPathAreRefusedNamingThem() {
        String owner = CloudApi.newAccount("params");
        for (String name : List.of(".", "..", ".page_size", "page_size.", "a..b", "\u008d")) {
            var response = CloudApi.as(owner).queryParam(name, "1").get("/cloud/api-keys");
            assertEquals(400, response.statusCode(), name + ": " + response.asString());
            assertEquals("query parameter \"" + name + "\"", response.jsonPath().getString("field"),
                    response.asString());
        }
    }

    /**
     * Certificate bundles are text the fuzzer never makes: seeded corruptions of a real CA's PEM (truncated, bytes
     * flipped, lines dropped, another PEM type, a leaf instead of a CA), each refused as 400 naming the field.
     */
    @Test
    void garbagePemIsRefusedNamingTheField() throws Exception {
        TestCertificates certificates = TestCertificates.generate();
        String ca = certificates.caPem();
        Random random = new Random(20261201L);
        List<String> bundles = new ArrayList<>(List.of("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----",
                "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----", "-----BEGIN CERTIFICATE-----",
                ca.replace("CERTIFICATE", "PRIVATE KEY"), certificates.leafPem(), ca + "-----BEGIN",
                "-----BEGIN CERTIFICATE-----\n" + "A".repeat(200_000) + "\n-----END CERTIFICATE-----"));
        for (int i = 0; i < 40; i++) {
            char[] corrupted = ca.toCharArray();
            switch (i % 4) {
                case 0 -> bundles.add(ca.substring(0, random.nextInt(ca.length())));
                case 1 -> {
                    for (int j = 0; j < 1 + random.nextInt(4); j++) {
                        corrupted[30 + random.nextInt(ca.length() - 60)] = (char) (33 + random.nextInt(94));
                    }
                    bundles.add(new String(corrupted));
                }
                case 2 -> {
                    List<String> lines = new ArrayList<>(List.of(ca.split("\n")));
                    lines.remove(1 + random.nextInt(lines.size() - 2));
                    bundles.add(String.join("\n", lines));
                }
                default -> {
                    int at = 30 + random.nextInt(ca.length() - 60);
                    bundles.add(ca.substring(0, at) + "=" + ca.substring(at));
                }
            }
        }
        String owner = CloudApi.newAccount("pem");
        List<String> failures = new ArrayList<>();
        for (String bundle : bundles) {
            String encoded = java.util.Base64.getEncoder().encodeToString(bundle.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            var response = CloudApi.as(owner).body("{\"spec\":{\"name\":\"p-" + CloudApi.unique()
                    + "\",\"retentionDays\":7,\"mtlsAuth\":{\"enabled\":true,\"acceptedClientCa\":\"" + encoded
                    + "\"}}}").post("/cloud/namespaces");
            // A corruption the parser cannot see (inside a signature's bytes) may still be a valid CA.
            if (response.statusCode() != 200 && (response.statusCode() != 400
                    || !"spec.mtls_auth.accepted_client_ca".equals(response.jsonPath().getString("field")))) {
                failures.add(response.statusCode() + " " + response.asString() + " for\n" + bundle);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bundles not refused as 400 naming the field:\n"
                + String.join("\n", failures));
    }

    /** The pinned schemathesis in {@code target/schemathesis/venv}, installed unless it already is. */
    private static Path install(Python python) throws IOException, InterruptedException {
        Path venv = WORK.resolve("venv");
        Path executable = venv.resolve("bin").resolve("schemathesis");
        Path marker = venv.resolve(SCHEMATHESIS);
        if (!Files.exists(marker)) {
            Files.createDirectories(WORK);
            exec(python.command(), "-m", "venv", "--clear", venv.toString());
            exec(venv.resolve("bin").resolve("pip").toString(), "install", "--quiet", "--disable-pip-version-check",
                    SCHEMATHESIS);
            Files.createFile(marker);
        }
        return executable;
    }

    /**
     * The Python that runs schemathesis. {@code threadSafeAst} is false for CPython 3.11.0–3.11.7 and 3.12.0–3.12.1,
     * where threads building ASTs at once corrupt a shared recursion counter (CPython gh-106905, fixed in 3.11.8 and
     * 3.12.2): hypothesis parses its lambdas' source to describe strategies, so two schemathesis workers crash it now
     * and then with "SystemError: AST constructor recursion depth mismatch", a failure of the tool, not of Aeon. On
     * those versions the fuzzer runs with one worker.
     */
    record Python(String command, boolean threadSafeAst) {
    }

    private static Python python() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import sys, venv; v = sys.version_info[:3]; "
                    + "print((3, 11) <= v < (3, 11, 8) or (3, 12) <= v < (3, 12, 2))").redirectErrorStream(true).start();
            String racy = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0
                    ? new Python("python3", racy.strip().equals("False")) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Path log = WORK.resolve("install.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + Files.readString(log));
    }
}
