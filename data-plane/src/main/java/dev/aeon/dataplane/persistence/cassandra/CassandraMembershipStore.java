package dev.aeon.dataplane.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.aeon.dataplane.cluster.Member;
import dev.aeon.dataplane.cluster.MembershipStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;

/**
 * Lease rows with a TTL in one partition of {@code cluster_members}. Written and read at QUORUM, so every node sees
 * a renewal (or its absence) the same way however many Cassandra nodes there are.
 */
@ApplicationScoped
public class CassandraMembershipStore implements MembershipStore {

    private static final String CLUSTER = "data-plane";

    private final CqlSession session;
    private final PreparedStatement renew;
    private final PreparedStatement select;
    private final PreparedStatement delete;

    public CassandraMembershipStore(CqlSession session) {
        this.session = session;
        this.renew = session.prepare("INSERT INTO cluster_members (cluster, node_id, address, http_address, "
                + "started_at) VALUES (?, ?, ?, ?, ?) USING TTL ?");
        this.select = session.prepare("SELECT node_id, address, http_address, started_at FROM cluster_members "
                + "WHERE cluster = ?");
        this.delete = session.prepare("DELETE FROM cluster_members WHERE cluster = ? AND node_id = ?");
    }

    @Override
    public void renew(Member member, Duration lease) {
        session.execute(renew.bind(CLUSTER, member.nodeId(), member.address(), member.httpAddress(),
                member.startedAtMillis(),
                (int) Math.max(1, lease.toSeconds())).setConsistencyLevel(DefaultConsistencyLevel.QUORUM));
    }

    @Override
    public List<Member> members() {
        return session.execute(select.bind(CLUSTER).setConsistencyLevel(DefaultConsistencyLevel.QUORUM)).all()
                .stream()
                .map(row -> new Member(row.getString("node_id"), row.getString("address"),
                        row.getString("http_address"), row.getLong("started_at")))
                .toList();
    }

    @Override
    public void leave(String nodeId) {
        session.execute(delete.bind(CLUSTER, nodeId).setConsistencyLevel(DefaultConsistencyLevel.QUORUM));
    }
}
