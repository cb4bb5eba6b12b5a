package dev.aeon.controlplane.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A user of an account; the email is unique within the account. */
@Entity
@Table(name = "cloud_user")
public class UserRow extends ResourceRow {

    @Column(name = "email", nullable = false)
    public String email;
}
