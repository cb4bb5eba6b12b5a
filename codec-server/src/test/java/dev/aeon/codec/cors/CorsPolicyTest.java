package dev.aeon.codec.cors;

import dev.aeon.codec.CodecException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CorsPolicyTest {

    @Test
    void exactOriginsAreEchoedWithTheirCredentialsAndWildcardsNeverAre() {
        CorsPolicy policy = CorsPolicy.of(List.of("https://UI.example:8443"), true, "test");
        assertEquals(Optional.of(new CorsPolicy.Grant("https://ui.example:8443", true)),
                policy.grant("https://ui.example:8443"));
        assertEquals(Optional.empty(), policy.grant("https://ui.example"));

        CorsPolicy any = CorsPolicy.of(List.of("*"), false, "test");
        assertEquals(Optional.of(new CorsPolicy.Grant("*", false)), any.grant("https://x.example"));
    }

    @Test
    void wildcardWithCredentialsIsRefused() {
        CodecException e = assertThrows(CodecException.class,
                () -> CorsPolicy.of(List.of("https://a.example", "*"), true, "aeon.codec.cors.allowed-origins"));
        assertEquals(CodecException.Cause.WILDCARD_WITH_CREDENTIALS, e.errorCause());
        assertEquals(true, e.getMessage().startsWith("aeon.codec.cors.allowed-origins"));
    }

    @Test
    void onlyBareHttpOriginsAreAccepted() {
        for (String bad : List.of("https://a.example/", "https://a.example/x", "https://u@a.example", "null",
                "file:///x", "https://a.example?x")) {
            CodecException e = assertThrows(CodecException.class, () -> CorsPolicy.of(List.of(bad), false, "o"),
                    bad);
            assertEquals(CodecException.Cause.INVALID_ORIGIN, e.errorCause(), bad);
        }
    }
}
