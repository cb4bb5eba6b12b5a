package dev.aeon.dataplane.visibility.store;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageTokensTest {

    private final PageTokens tokens = new PageTokens("0123456789abcdef0123456789abcdef".getBytes());
    private final PageTokens.Position position =
            new PageTokens.Position(Instant.parse("2025-01-01T00:00:00.123456Z"), "run-é");

    @Test
    void roundTrips() {
        byte[] token = tokens.encode("ns", "WorkflowType = 'x'", position);
        assertEquals(position, tokens.decode("ns", "WorkflowType = 'x'", token));
    }

    @Test
    void refusesAnEditedToken() {
        byte[] token = tokens.encode("ns", "", position);
        for (int i = 0; i < token.length; i++) {
            byte[] edited = token.clone();
            edited[i] ^= 1;
            assertInvalid(() -> tokens.decode("ns", "", edited));
        }
        assertInvalid(() -> tokens.decode("ns", "", new byte[] {1, 2, 3}));
    }

    @Test
    void refusesATokenOfAnotherNamespaceQueryOrKey() {
        byte[] token = tokens.encode("ns", "", position);
        assertInvalid(() -> tokens.decode("other-ns", "", token));
        assertInvalid(() -> tokens.decode("ns", "WorkflowId = 'a'", token));
        assertInvalid(() -> PageTokens.withRandomKey().decode("ns", "", token));
    }

    private static void assertInvalid(Runnable decode) {
        StatusRuntimeException error = assertThrows(StatusRuntimeException.class, decode::run);
        assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
    }
}
