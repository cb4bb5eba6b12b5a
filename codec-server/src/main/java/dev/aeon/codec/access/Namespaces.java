package dev.aeon.codec.access;

import dev.aeon.codec.CodecException;

import java.util.regex.Pattern;

/** Namespace names as Temporal and Aeon accept them ({@code orders}, {@code orders.acct-1}). */
public final class Namespaces {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    private Namespaces() {
    }

    public static String validate(String namespace, String source) {
        if (namespace == null || namespace.isBlank()) {
            throw new CodecException(CodecException.Cause.MISSING_NAMESPACE, "no namespace: send the X-Namespace"
                    + " header or call {namespace}/encode and {namespace}/decode");
        }
        if (!NAME.matcher(namespace).matches()) {
            throw new CodecException(CodecException.Cause.INVALID_NAMESPACE, source + " must be 1-255 letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit; got " + namespace.length()
                    + " characters");
        }
        return namespace;
    }
}
