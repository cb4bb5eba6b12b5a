package dev.aeon.controlplane.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** An API key: its owner and the SHA-256 of its token (the token itself is never stored). */
@Entity
@Table(name = "api_key")
public class ApiKeyRow extends ResourceRow {

    @Column(name = "owner_id", nullable = false)
    public String ownerId;

    @Column(name = "owner_type", nullable = false)
    public String ownerType;

    @Column(name = "token_sha256", nullable = false)
    public String tokenSha256;
}
