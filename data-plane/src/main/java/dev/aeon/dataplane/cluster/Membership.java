package dev.aeon.dataplane.cluster;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live data-plane nodes, from lease rows in Cassandra ({@link MembershipStore}): each node renews its own row
 * every heartbeat and reads everyone's. The oldest live member is the leader: it serves every shard and task
 * queue, and the others forward their calls to it (docs/ARCHITECTURE.md, "Nodes"). When the leader's row goes
 * (it left, or its lease ran out) the next oldest becomes leader and takes the shards over; the shards' range-id
 * fence, not this view, is what keeps a former leader from ever writing again.
 *
 * <p>A node that could not renew its lease in time may have been replaced: if any other node is alive it retires
 * (see {@link #retired}) instead of coming back as the oldest member, which would take leadership back and forth.
 */
@ApplicationScoped
public class Membership {

    private static final Logger LOG = Logger.getLogger(Membership.class);
    private static final String LEADER_NONE = "";

    private final MembershipStore store;
    private final ClusterConfig config;
    private final String nodeId;
    private final String address;
    private final String httpAddress;
    private final List<Consumer<Boolean>> leadershipListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<List<Member>>> memberListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aeon-membership");
        t.setDaemon(true);
        return t;
    });

    /** Listeners run here, in order, so a slow takeover never delays the next lease renewal. */
    private final java.util.concurrent.ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "aeon-leadership");
        t.setDaemon(true);
        return t;
    });

    private volatile Member self;
    private volatile List<Member> members = List.of();
    private volatile Member leader;
    private volatile long renewedAtNanos;
    private volatile String retired;
    private volatile boolean joined;

    public Membership(MembershipStore store, ClusterConfig config,
                      @ConfigProperty(name = "aeon.data-plane.history.node-id") Optional<String> nodeId,
                      @ConfigProperty(name = "quarkus.grpc.server.port", defaultValue = "7233") int grpcPort,
                      @ConfigProperty(name = "quarkus.http.port", defaultValue = "7241") int httpPort) {
        this.store = store;
        this.config = config;
        this.nodeId = nodeId.orElseGet(Membership::defaultNodeId);
        this.address = config.advertiseAddress().orElse("127.0.0.1:" + grpcPort);
        this.httpAddress = config.advertiseHttpAddress().orElse("127.0.0.1:" + httpPort);
    }

    /**
     * Joins: writes this node's lease, reads the members, tells the listeners whether this node leads, and keeps
     * doing so every heartbeat from now on.
     */
    public synchronized void join() {
        if (joined) {
            return;
        }
        joined = true;
        // Younger than every member already there, whatever the clocks say: a node joining never displaces the
        // leader. A row with this node's own address is a previous process here that died without leaving (this
        // process holds the port now), so it does not count.
        long youngest = 0;
        for (Member member : store.members()) {
            if (member.address().equals(address) && !member.nodeId().equals(nodeId)) {
                store.leave(member.nodeId());
                LOG.infof("removed the lease of %s, a previous process at this node's address", member.nodeId());
            } else {
                youngest = Math.max(youngest, member.startedAtMillis());
            }
        }
        self = new Member(nodeId, address, httpAddress, Math.max(System.currentTimeMillis(), youngest + 1));
        tick();
        long every = config.heartbeat().toMillis();
        ticker.scheduleWithFixedDelay(this::tickSafely, every, every, TimeUnit.MILLISECONDS);
    }

    /** Leaves at once (its row removed), so another node takes over without waiting out the lease. */
    public synchronized void leave() {
        ticker.shutdownNow();
        if (joined && retired == null) {
            try {
                store.leave(nodeId);
            } catch (RuntimeException e) {
                LOG.warnf("could not remove this node's lease (%s); it runs out by itself", e.getMessage());
            }
        }
        if (retired == null) {
            retired = "left the cluster";
            notifyMembers(List.of());
        }
    }

    /** Called with true when this node becomes the leader, false when it stops being it. */
    public void onLeadership(Consumer<Boolean> listener) {
        leadershipListeners.add(listener);
    }

    /**
     * Called with the live members, oldest first, whenever the set of them changes (a node joined, left or lost its
     * lease), and with none once this node retires or leaves. In order, on one thread.
     */
    public void onMembers(Consumer<List<Member>> listener) {
        memberListeners.add(listener);
    }

    /** How often members renew their leases: how long another node may take to see a change this one saw. */
    public java.time.Duration heartbeat() {
        return config.heartbeat();
    }

    public String nodeId() {
        return nodeId;
    }

    public boolean isLeader() {
        Member current = leader;
        return retired == null && current != null && current.nodeId().equals(nodeId);
    }

    /** The node that serves shards now, as this node last saw it; empty before the first read or when retired. */
    public Optional<Member> leader() {
        return retired == null ? Optional.ofNullable(leader) : Optional.empty();
    }

    /** The live members, oldest first, as last read. */
    public List<Member> members() {
        return members;
    }

    /** Why this node no longer takes part (it must be restarted to rejoin); null while it does. */
    public String retired() {
        return retired;
    }

    /**
     * Stops this node taking part: it leaves the member list (so another node takes over) and never leads again.
     * For a node that finds it was replaced (its shards fenced) or could not renew its lease in time.
     */
    public synchronized void retire(String why) {
        if (retired != null) {
            return;
        }
        LOG.errorf("node %s retires: %s; restart it to rejoin", nodeId, why);
        boolean wasLeader = isLeader();
        retired = why;
        ticker.shutdownNow();
        try {
            store.leave(nodeId);
        } catch (RuntimeException e) {
            LOG.warnf("could not remove this node's lease (%s); it runs out by itself", e.getMessage());
        }
        if (wasLeader) {
            notifyLeadership(false);
        }
        notifyMembers(List.of());
    }

    private void notifyMembers(List<Member> live) {
        notifier.execute(() -> memberListeners.forEach(listener -> {
            try {
                listener.accept(live);
            } catch (RuntimeException e) {
                LOG.errorf(e, "a membership change (%d members) failed", live.size());
            }
        }));
    }

    private void notifyLeadership(boolean leads) {
        notifier.execute(() -> leadershipListeners.forEach(listener -> {
            try {
                listener.accept(leads);
            } catch (RuntimeException e) {
                LOG.errorf(e, "a leadership change (%s) failed", leads ? "leading" : "not leading");
            }
        }));
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warnf("membership heartbeat failed (%s); retrying", e.getMessage());
        }
    }

    private synchronized void tick() {
        if (retired != null) {
            return;
        }
        long now = System.nanoTime();
        boolean lapsed = renewedAtNanos != 0 && now - renewedAtNanos > config.lease().toNanos();
        if (lapsed) {
            List<Member> others = store.members().stream().filter(m -> !m.nodeId().equals(nodeId)).toList();
            if (!others.isEmpty()) {
                retire("its lease ran out while other nodes are alive (" + others.size() + "), so one of them may "
                        + "have taken its place");
                return;
            }
            LOG.warnf("node %s renewed its lease late, but no other node is alive: it goes on", nodeId);
        }
        store.renew(self, config.lease());
        renewedAtNanos = now;
        List<Member> read = store.members().stream().sorted(Member.SENIORITY).toList();
        if (read.stream().noneMatch(m -> m.nodeId().equals(nodeId))) {
            read = java.util.stream.Stream.concat(read.stream(), java.util.stream.Stream.of(self))
                    .sorted(Member.SENIORITY).toList(); // our own row, just written, is alive whatever a stale read says
        }
        boolean changed = !read.stream().map(Member::nodeId).toList()
                .equals(members.stream().map(Member::nodeId).toList());
        members = read;
        if (changed) {
            notifyMembers(read);
        }
        // Once leading, a node leads until it retires or leaves: an older row reappearing (a paused leader's late
        // renewal) must not make it give the shards back; that node is fenced and retires on its own.
        Member oldest = isLeader() ? self : read.get(0);
        String before = leader == null ? LEADER_NONE : leader.nodeId();
        leader = oldest;
        if (!before.equals(oldest.nodeId())) {
            LOG.infof("data-plane leader is now %s (%s); %d node(s) alive", oldest.nodeId(), oldest.address(),
                    read.size());
            boolean nowLeads = oldest.nodeId().equals(nodeId);
            boolean led = before.equals(nodeId);
            if (nowLeads != led) {
                notifyLeadership(nowLeads);
            }
        }
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
