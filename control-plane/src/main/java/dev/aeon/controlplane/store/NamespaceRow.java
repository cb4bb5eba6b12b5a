package dev.aeon.controlplane.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A namespace's desired state; its id is {@code <name>.<account_id>}, tags are a JSON object. */
@Entity
@Table(name = "namespace")
public class NamespaceRow extends ResourceRow {

    @Column(name = "name", nullable = false)
    public String name;

    @Column(name = "tags", nullable = false)
    public String tags;

    /**
     * Custom search attribute name to the field its values are stored under on the data plane, a JSON object; a
     * rename keeps the field. Null in rows older than fields.
     */
    @Column(name = "search_attribute_fields")
    public String searchAttributeFields;

    /** Names custom search attributes had before a rename, old name to field, a JSON object; null for none. */
    @Column(name = "search_attribute_former_names")
    public String searchAttributeFormerNames;
}
