package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aeon.dataplane.nexus.NexusEndpoint;
import dev.aeon.dataplane.nexus.NexusEndpointSpec;
import dev.aeon.dataplane.nexus.NexusEndpointStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class CassandraNexusEndpointStore implements NexusEndpointStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement update;
    private final PreparedStatement delete;
    private final PreparedStatement selectById;
    private final PreparedStatement selectAll;

    public CassandraNexusEndpointStore(CqlSession session) {
        this.session = session;
        this.insert = session.prepare("INSERT INTO nexus_endpoints (id, version, spec, created_time, "
                + "last_modified_time) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS");
        // A missing row fails the condition too, so an update never resurrects a deleted endpoint.
        this.update = session.prepare("UPDATE nexus_endpoints SET version = ?, spec = ?, last_modified_time = ? "
                + "WHERE id = ? IF version = ?");
        this.delete = session.prepare("DELETE FROM nexus_endpoints WHERE id = ? IF EXISTS");
        this.selectById = session.prepare("SELECT id, version, spec, created_time, last_modified_time "
                + "FROM nexus_endpoints WHERE id = ?");
        this.selectAll = session.prepare("SELECT id, version, spec, created_time, last_modified_time "
                + "FROM nexus_endpoints");
    }

    @Override
    public boolean put(NexusEndpoint endpoint, long expectedVersion) {
        String spec = spec(endpoint.spec());
        if (expectedVersion == 0) {
            return session.execute(insert.bind(endpoint.id(), endpoint.version(), spec, endpoint.createdTime(),
                    endpoint.lastModifiedTime())).wasApplied();
        }
        return session.execute(update.bind(endpoint.version(), spec, endpoint.lastModifiedTime(), endpoint.id(),
                expectedVersion)).wasApplied();
    }

    @Override
    public boolean delete(String id) {
        return session.execute(delete.bind(id)).wasApplied();
    }

    @Override
    public Optional<NexusEndpoint> byId(String id) {
        return Optional.ofNullable(session.execute(selectById.bind(id)).one()).map(CassandraNexusEndpointStore::parse);
    }

    @Override
    public List<NexusEndpoint> all() {
        return session.execute(selectAll.bind()).all().stream().map(CassandraNexusEndpointStore::parse).toList();
    }

    private static String spec(NexusEndpointSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("endpoint spec not serializable", e);
        }
    }

    private static NexusEndpoint parse(Row row) {
        try {
            return new NexusEndpoint(row.getString("id"), row.getLong("version"),
                    JSON.readValue(row.getString("spec"), NexusEndpointSpec.class), row.getInstant("created_time"),
                    row.getInstant("last_modified_time"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt Nexus endpoint record " + row.getString("id"), e);
        }
    }
}
