package dev.aeon.controlplane.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A Nexus endpoint; its name is unique within the account. */
@Entity
@Table(name = "nexus_endpoint")
public class NexusEndpointRow extends ResourceRow {

    @Column(name = "name", nullable = false)
    public String name;
}
