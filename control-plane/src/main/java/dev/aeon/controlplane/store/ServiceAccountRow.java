package dev.aeon.controlplane.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A service account: an identity for machines, with the same access model as users. */
@Entity
@Table(name = "service_account")
public class ServiceAccountRow extends ResourceRow {

    @Column(name = "name", nullable = false)
    public String name;
}
