package dev.aeon.auth;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Aeon's namespace names are {@code <name>.<accountId>}: the part after the dot says which account owns a namespace.
 * Both parts are labels without dots, so the owner is read by splitting, never by a suffix test ({@code x.b.evil}
 * must not belong to account {@code evil} while account {@code b.evil} could exist).
 */
public final class NamespaceNames {

    /** Temporal Cloud's namespace name rule, which account ids share: 2-39 of a-z, 0-9 and '-', a letter first. */
    private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9-]{0,37}[a-z0-9]");

    private NamespaceNames() {
    }

    /** Why {@code accountId} is not a valid account id, or null if it is. */
    public static String invalidAccountId(String accountId) {
        if (accountId == null || !LABEL.matcher(accountId).matches()) {
            return "must be 2-39 lowercase letters, digits and hyphens, starting with a letter and not ending with "
                    + "a hyphen (no dots: it is the last label of its namespaces' names)";
        }
        return null;
    }

    /** The account of {@code <name>.<accountId>}; empty when the name is not of that form. */
    public static Optional<String> accountOf(String namespace) {
        if (namespace == null) {
            return Optional.empty();
        }
        int dot = namespace.indexOf('.');
        if (dot <= 0 || namespace.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        String account = namespace.substring(dot + 1);
        return invalidAccountId(account) == null ? Optional.of(account) : Optional.empty();
    }

    /** Whether {@code namespace} is {@code <name>.<accountId>}, compared exactly. */
    public static boolean belongsTo(String namespace, String accountId) {
        return accountId != null && accountOf(namespace).filter(accountId::equals).isPresent();
    }
}
