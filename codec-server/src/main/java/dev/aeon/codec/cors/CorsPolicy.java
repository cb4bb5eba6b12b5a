package dev.aeon.codec.cors;

import dev.aeon.codec.CodecException;
import dev.aeon.codec.CodecException.Cause;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which browser origins may call the codec server for a namespace, and whether with credentials (cookies, HTTP
 * authentication; the Temporal UI's {@code includeCredentials}). {@code *} allows any origin and is never combined
 * with credentials: browsers refuse that pair, and echoing any origin instead would hand credentialed access to
 * every site.
 */
public record CorsPolicy(List<String> allowedOrigins, boolean allowCredentials) {

    public static final String ANY = "*";

    /** What a matching policy lets the response say. */
    public record Grant(String allowOrigin, boolean allowCredentials) {
    }

    /**
     * @param source the field or configuration key the origins came from, for error messages
     * @throws CodecException {@code invalid-origin} or {@code wildcard-with-credentials}
     */
    public static CorsPolicy of(List<String> origins, boolean allowCredentials, String source) {
        LinkedHashSet<String> normalized = new LinkedHashSet<>();
        for (String origin : origins == null ? List.<String>of() : origins) {
            normalized.add(normalize(origin, source));
        }
        if (allowCredentials && normalized.contains(ANY)) {
            throw new CodecException(Cause.WILDCARD_WITH_CREDENTIALS, source + " contains '*' while credentials are"
                    + " allowed; list the origins explicitly or turn credentials off");
        }
        return new CorsPolicy(List.copyOf(normalized), allowCredentials);
    }

    /** @param origin as the browser sent it in {@code Origin} */
    public Optional<Grant> grant(String origin) {
        String normalized = origin.toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(normalized)) {
            return Optional.of(new Grant(origin, allowCredentials));
        }
        if (allowedOrigins.contains(ANY)) {
            return Optional.of(new Grant(ANY, false));
        }
        return Optional.empty();
    }

    /** {@code scheme://host[:port]}, lower case, as browsers send {@code Origin}; or {@code *}. */
    static String normalize(String origin, String source) {
        if (origin == null || origin.isBlank()) {
            throw new CodecException(Cause.INVALID_ORIGIN, source + " contains an empty origin");
        }
        String trimmed = origin.trim();
        if (ANY.equals(trimmed)) {
            return ANY;
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (Exception e) {
            throw new CodecException(Cause.INVALID_ORIGIN, source + ": '" + trimmed + "' is not an origin");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null
                && uri.getFragment() == null && uri.getUserInfo() == null;
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null || !bare) {
            throw new CodecException(Cause.INVALID_ORIGIN, source + ": '" + trimmed + "' is not an origin; expected"
                    + " scheme://host[:port] with scheme http or https and no path, or '*'");
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    static List<String> split(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }
}
