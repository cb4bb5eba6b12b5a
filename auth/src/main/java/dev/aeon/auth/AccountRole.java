package dev.aeon.auth;

/** An owner's role in its account (Temporal Cloud's account roles). */
public enum AccountRole {
    /** Everything, on every namespace of the account. */
    OWNER,
    /** Everything, on every namespace of the account. */
    ADMIN,
    /** Only what its namespace permissions grant. */
    DEVELOPER,
    /** At least READ on every namespace of the account. */
    READ
}
