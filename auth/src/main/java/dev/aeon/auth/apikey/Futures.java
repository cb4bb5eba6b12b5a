package dev.aeon.auth.apikey;

import dev.aeon.auth.AuthException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Joins the async API for the synchronous one, rethrowing the {@link AuthException} a stage failed with. */
final class Futures {

    private Futures() {
    }

    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        return new AuthException(AuthException.Kind.UNAVAILABLE, Jwks.describe(cause), cause);
    }
}
