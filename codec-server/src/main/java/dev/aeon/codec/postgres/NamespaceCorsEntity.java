package dev.aeon.codec.postgres;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** One row of {@code codec.namespace_cors}. */
@Entity
@Table(schema = "codec", name = "namespace_cors")
public class NamespaceCorsEntity {

    @Id
    public String namespace;

    /** Comma-separated; origins never contain a comma. */
    @Column(name = "allowed_origins", nullable = false)
    public String allowedOrigins;

    @Column(name = "allow_credentials", nullable = false)
    public boolean allowCredentials;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
