package dev.aeon.controlplane.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** An RSA key pair that signs API keys; see {@code V2__cloud_ops_resources.sql}. */
@Entity
@Table(name = "signing_key")
public class SigningKeyRow {

    @Id
    public String kid;

    @Column(name = "private_key", nullable = false)
    public String privateKey;

    @Column(name = "public_key", nullable = false)
    public String publicKey;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "retired_at")
    public OffsetDateTime retiredAt;
}
