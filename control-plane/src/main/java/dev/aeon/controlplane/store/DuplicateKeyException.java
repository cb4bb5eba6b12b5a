package dev.aeon.controlplane.store;

/**
 * A write that would break one of the schema's unique constraints (a second namespace of the same name, a user's
 * email taken, two changes racing for one async operation id): nothing was written. The API edge says which request
 * field that was.
 */
public class DuplicateKeyException extends RuntimeException {

    private final String constraint;

    public DuplicateKeyException(String constraint, Throwable cause) {
        super("unique constraint " + constraint + " refused the write", cause, false, false);
        this.constraint = constraint;
    }

    /** The constraint's name in the schema ({@code namespace_name_unique}). */
    public String constraint() {
        return constraint;
    }
}
